/* The decoded match of a megaflow: every OVS_KEY_ATTR_* of the key and of
 * the mask, as fixed C structs.
 *
 * flow_match_decode() turns the key and mask streams of an odp_flow into a
 * struct flow_match with the kernel module's semantics (absent MASK: every
 * field present in the key is exact; MASK present: what it omits is
 * wildcarded).  It never guesses: an unknown attribute, a wrong length, a
 * duplicate or an impossible nesting leaves the match marked not understood,
 * with the reason.  The planner reads flow_match; the text printer works on
 * the raw streams and does not need it. */
#ifndef OVSX_FLOW_KEY_H
#define OVSX_FLOW_KEY_H

#include <linux/openvswitch.h>
#include <linux/types.h>
#include <stdbool.h>
#include <stdint.h>

#include "flow.h"

#define FLOW_MAX_VLANS	     2
#define FLOW_MAX_MPLS	     3
#define FLOW_GENEVE_OPTS_MAX 252

/* Present bit of OVS_KEY_ATTR_VLAN (the CFI bit, repurposed by OVS). */
#define FLOW_VLAN_PRESENT 0x1000

struct flow_vlan {
	__be16 tpid; /* the ETHERTYPE attribute at that level: 0x8100/0x88a8 */
	__be16 tci;  /* the VLAN attribute, with FLOW_VLAN_PRESENT */
};

struct flow_tunnel {
	__be64 tun_id;
	__be32 ipv4_src, ipv4_dst;
	uint8_t ipv6_src[16], ipv6_dst[16];
	uint8_t tos, ttl;
	__be16 tp_src, tp_dst;
	/* OVS_TUNNEL_KEY_ATTR_{DONT_FRAGMENT,CSUM,OAM,IPV4_INFO_BRIDGE} as
	 * bits (1 << attr id); in the mask, the flags that are matched. */
	uint32_t flags;
	uint32_t vxlan_gbp;
	uint8_t geneve_len;
	uint8_t geneve[FLOW_GENEVE_OPTS_MAX];
	uint8_t erspan_len;
	uint8_t erspan[32];
	uint32_t present; /* bit per OVS_TUNNEL_KEY_ATTR_* seen */
};

/* Every field of a key (or of a mask), one member per attribute. */
struct flow_fields {
	uint32_t recirc_id;
	uint32_t dp_hash;
	uint32_t priority;
	uint32_t skb_mark;
	uint32_t in_port;
	uint32_t ct_state;
	uint16_t ct_zone;
	uint32_t ct_mark;
	struct ovs_key_ct_labels ct_labels;
	struct ovs_key_ct_tuple_ipv4 ct_tuple4;
	struct ovs_key_ct_tuple_ipv6 ct_tuple6;
	struct flow_tunnel tunnel;
	struct ovs_key_ethernet eth;
	struct flow_vlan vlans[FLOW_MAX_VLANS]; /* outermost first */
	__be16 eth_type;			/* innermost EtherType */
	struct ovs_key_mpls mpls[FLOW_MAX_MPLS];
	struct ovs_key_ipv4 ipv4;
	struct ovs_key_ipv6 ipv6;
	uint16_t ipv6_exthdrs;
	struct ovs_key_arp arp;
	struct ovs_key_tcp tcp;
	struct ovs_key_udp udp;
	struct ovs_key_sctp sctp;
	struct ovs_key_icmp icmp;
	struct ovs_key_icmpv6 icmpv6;
	__be16 tcp_flags;
	struct ovs_key_nd nd;
	struct ovs_nsh_key_base nsh_base;
	struct ovs_nsh_key_md1 nsh_md1;
};

/* Bit for attribute type t in flow_match.key_attrs / mask_attrs. */
#define FLOW_ATTR_BIT(t) (UINT64_C(1) << (t))

enum flow_decode_status {
	FLOW_DECODE_OK,
	FLOW_DECODE_NOT_UNDERSTOOD,
};

struct flow_match {
	struct flow_fields key;
	struct flow_fields mask;
	uint64_t key_attrs;  /* attributes present in the key, any depth */
	uint64_t mask_attrs; /* attributes present (non-zero) in the mask */
	uint8_t n_vlans;     /* VLAN levels in the key (0..2) */
	uint8_t n_mpls;	     /* MPLS label stack entries in the key */
	enum flow_decode_status status;
	char reason[96]; /* why not understood; empty when OK */
};

/* Decodes f->key and f->mask into *m.  Returns 0, or -EINVAL when the match
 * is not understood (m->status and m->reason say why; m is still filled as
 * far as decoding went).  Never reads outside the buffers.
 * As in the kernel, a non-zero IN_PORT or ETHERTYPE mask is exact, an
 * all-zero mask attribute counts as absent, and mask.vlans[0..1].tci are
 * 0xffff unless the mask has a non-zero VLAN attribute for that level: a key
 * without a tag matches only untagged frames. */
int flow_match_decode(const struct odp_flow *f, struct flow_match *m);

/* True if the flow matches field bits 'mask' of the given member exactly. */
#define FLOW_FIELD_EXACT(m, member) \
	flow_bytes_all_ones(&(m)->mask.member, sizeof((m)->mask.member))
#define FLOW_FIELD_WILD(m, member) \
	flow_bytes_all_zero(&(m)->mask.member, sizeof((m)->mask.member))

bool flow_bytes_all_ones(const void *p, size_t n);
bool flow_bytes_all_zero(const void *p, size_t n);

#endif
