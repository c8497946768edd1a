/* The planner's match half: a flow_match (every OVS_KEY_ATTR_* of the key
 * and mask) projected into the fast path's struct ovsx_key, with the kernel
 * module's conventions for where each attribute lives (ICMP type/code in
 * the port fields, the ARP opcode in nw_proto, ND link-layer addresses in
 * the ARP hardware address fields), and the verdicts that the match alone
 * decides.
 *
 * Neighbours: flow-key.c decodes the match; planner.c calls this, then
 * plan-actions.c; the XDP parser (xdp/parse.h) fills struct ovsx_key from
 * frames with the same conventions. */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <stdio.h>
#include <string.h>

#include "flow-key.h"
#include "nlattr.h"
#include "planner-private.h"

static bool any_bits(const void *key, const void *mask, size_t n)
{
	const uint8_t *k = key, *m = mask;

	for (size_t i = 0; i < n; i++)
		if (k[i] & m[i])
			return true;
	return false;
}

#define MASKED_NONZERO(m, member) \
	any_bits(&(m)->key.member, &(m)->mask.member, sizeof((m)->key.member))
#define MASK_NONZERO(m, member) !FLOW_FIELD_WILD(m, member)

static void project_l2(const struct flow_match *m, struct ovsx_key *k,
		       struct ovsx_key *mk)
{
	k->in_port = m->key.in_port;
	mk->in_port = m->mask.in_port;
	memcpy(k->eth_src, m->key.eth.eth_src, 6);
	memcpy(k->eth_dst, m->key.eth.eth_dst, 6);
	memcpy(mk->eth_src, m->mask.eth.eth_src, 6);
	memcpy(mk->eth_dst, m->mask.eth.eth_dst, 6);
	for (int i = 0; i < OVSX_MAX_VLANS; i++) {
		k->vlan_tci[i] = m->key.vlans[i].tci;
		mk->vlan_tci[i] = m->mask.vlans[i].tci;
		k->vlan_tpid[i] = m->key.vlans[i].tpid;
		mk->vlan_tpid[i] = m->mask.vlans[i].tpid;
	}
	k->eth_type = m->key.eth_type;
	mk->eth_type = m->mask.eth_type;
}

static void project_ipv4(const struct ovs_key_ipv4 *v, struct ovsx_key *k)
{
	k->nw_src[0] = v->ipv4_src;
	k->nw_dst[0] = v->ipv4_dst;
	k->nw_proto = v->ipv4_proto;
	k->nw_tos = v->ipv4_tos;
	k->nw_ttl = v->ipv4_ttl;
	k->nw_frag = v->ipv4_frag;
}

static void project_ipv6(const struct ovs_key_ipv6 *v, struct ovsx_key *k)
{
	memcpy(k->nw_src, v->ipv6_src, 16);
	memcpy(k->nw_dst, v->ipv6_dst, 16);
	k->ipv6_label = v->ipv6_label;
	k->nw_proto = v->ipv6_proto;
	k->nw_tos = v->ipv6_tclass;
	k->nw_ttl = v->ipv6_hlimit;
	k->nw_frag = v->ipv6_frag;
}

/* As the kernel keys ARP: sip/tip in the IPv4 addresses, the opcode in the
 * protocol byte (ops above 255 are refused in keys). */
static void project_arp(const struct ovs_key_arp *v, struct ovsx_key *k)
{
	k->nw_src[0] = v->arp_sip;
	k->nw_dst[0] = v->arp_tip;
	k->nw_proto = (uint8_t)ntohs(v->arp_op);
	memcpy(k->arp_sha, v->arp_sha, 6);
	memcpy(k->arp_tha, v->arp_tha, 6);
}

static void project_ports(__be16 src, __be16 dst, struct ovsx_key *k)
{
	k->tp_src = src;
	k->tp_dst = dst;
}

/* ICMP and ICMPv6 type and code go in the port fields, in network order. */
static void project_icmp(uint8_t type, uint8_t code, struct ovsx_key *k)
{
	k->tp_src = htons(type);
	k->tp_dst = htons(code);
}

static void project_nd(const struct ovs_key_nd *v, struct ovsx_key *k)
{
	memcpy(k->nd_target, v->nd_target, 16);
	memcpy(k->arp_sha, v->nd_sll, 6);
	memcpy(k->arp_tha, v->nd_tll, 6);
}

/* L3 and L4 of one side (key or mask) of the match; 'eth_type' is the key's
 * EtherType, valid when the mask's is exact (else L3/L4 masks are zero). */
static void project_l3_l4(const struct flow_match *m,
			  const struct flow_fields *ff, struct ovsx_key *k)
{
	uint16_t eth_type = ntohs(m->key.eth_type);

	if (eth_type == ETH_P_IP)
		project_ipv4(&ff->ipv4, k);
	else if (eth_type == ETH_P_IPV6)
		project_ipv6(&ff->ipv6, k);
	else if (eth_type == ETH_P_ARP || eth_type == ETH_P_RARP)
		project_arp(&ff->arp, k);
	if (m->key_attrs & FLOW_ATTR_BIT(OVS_KEY_ATTR_TCP))
		project_ports(ff->tcp.tcp_src, ff->tcp.tcp_dst, k);
	else if (m->key_attrs & FLOW_ATTR_BIT(OVS_KEY_ATTR_UDP))
		project_ports(ff->udp.udp_src, ff->udp.udp_dst, k);
	else if (m->key_attrs & FLOW_ATTR_BIT(OVS_KEY_ATTR_SCTP))
		project_ports(ff->sctp.sctp_src, ff->sctp.sctp_dst, k);
	else if (m->key_attrs & FLOW_ATTR_BIT(OVS_KEY_ATTR_ICMP))
		project_icmp(ff->icmp.icmp_type, ff->icmp.icmp_code, k);
	else if (m->key_attrs & FLOW_ATTR_BIT(OVS_KEY_ATTR_ICMPV6))
		project_icmp(ff->icmpv6.icmpv6_type, ff->icmpv6.icmpv6_code, k);
	k->tcp_flags = ff->tcp_flags;
	if (m->key_attrs & FLOW_ATTR_BIT(OVS_KEY_ATTR_ND))
		project_nd(&ff->nd, k);
}

static void and_key(struct ovsx_key *k, const struct ovsx_key *mask)
{
	uint8_t *kb = (uint8_t *)k;
	const uint8_t *mb = (const uint8_t *)mask;

	for (size_t i = 0; i < sizeof *k; i++)
		kb[i] &= mb[i];
}

/* First-pass frames (the only ones XDP sees) have recirc_id 0, no tunnel
 * metadata, no conntrack state and no dp_hash: a flow that requires one of
 * them non-zero cannot match such a frame. */
static bool can_match_first_pass(const struct flow_match *m)
{
	return !MASKED_NONZERO(m, recirc_id) && !MASKED_NONZERO(m, dp_hash) &&
	       !MASKED_NONZERO(m, ct_state) && !MASKED_NONZERO(m, ct_zone) &&
	       !MASKED_NONZERO(m, ct_mark) && !MASKED_NONZERO(m, ct_labels) &&
	       !MASKED_NONZERO(m, tunnel.tun_id) &&
	       !MASKED_NONZERO(m, tunnel.ipv4_dst) &&
	       !MASKED_NONZERO(m, tunnel.ipv6_dst);
}

void plan_project_match(const struct flow_match *m, struct plan_match *pm)
{
	memset(pm, 0, sizeof *pm);
	project_l2(m, &pm->key, &pm->mask);
	project_l3_l4(m, &m->key, &pm->key);
	project_l3_l4(m, &m->mask, &pm->mask);
	and_key(&pm->key, &pm->mask);
	pm->first_pass = can_match_first_pass(m);
}

/* The verdict the match alone decides, or PLAN_OFFLOADED if it fits. */
enum plan_verdict plan_match_verdict(const struct flow_match *m, char *detail,
				     size_t n)
{
	if (MASKED_NONZERO(m, recirc_id))
		return PLAN_RECIRC;
	if (MASK_NONZERO(m, tunnel))
		return PLAN_TUNNEL;
	/* A first-pass frame has all-zero conntrack fields, so a flow that
	 * only asks for them to be zero (e.g. -trk) is fine. */
	if (MASKED_NONZERO(m, ct_state) || MASKED_NONZERO(m, ct_zone) ||
	    MASKED_NONZERO(m, ct_mark) || MASKED_NONZERO(m, ct_labels))
		return PLAN_CONNTRACK;
	if (MASK_NONZERO(m, ct_tuple4) || MASK_NONZERO(m, ct_tuple6)) {
		snprintf(detail, n, "ct_tuple");
		return PLAN_CONNTRACK;
	}
	if (MASK_NONZERO(m, skb_mark) || MASK_NONZERO(m, priority) ||
	    MASK_NONZERO(m, dp_hash))
		return PLAN_METADATA;
	if (!(m->key_attrs & FLOW_ATTR_BIT(OVS_KEY_ATTR_ETHERNET))) {
		snprintf(detail, n, "not an Ethernet frame");
		return PLAN_MATCH_FIELD;
	}
	if (MASK_NONZERO(m, mpls[0]) || MASK_NONZERO(m, mpls[1]) ||
	    MASK_NONZERO(m, mpls[2])) {
		snprintf(detail, n, "mpls");
		return PLAN_MATCH_FIELD;
	}
	if (MASK_NONZERO(m, nsh_base) || MASK_NONZERO(m, nsh_md1)) {
		snprintf(detail, n, "nsh");
		return PLAN_MATCH_FIELD;
	}
	if (MASK_NONZERO(m, ipv6_exthdrs)) {
		snprintf(detail, n, "ipv6 extension header flags");
		return PLAN_MATCH_FIELD;
	}
	if (m->mask.eth_type && ntohs(m->key.eth_type) < ETH_P_802_3_MIN) {
		snprintf(detail, n, "802.2 frames");
		return PLAN_MATCH_FIELD;
	}
	if (m->mask.in_port != UINT32_MAX)
		return PLAN_IN_PORT_WILDCARD;
	return PLAN_OFFLOADED;
}

bool plan_keys_overlap(const struct ovsx_key *ka, const struct ovsx_key *ma,
		       const struct ovsx_key *kb, const struct ovsx_key *mb)
{
	const uint32_t *a = (const uint32_t *)ka, *b = (const uint32_t *)kb;
	const uint32_t *am = (const uint32_t *)ma, *bm = (const uint32_t *)mb;

	/* Overlap: no bit both masks care about differs between the keys. */
	for (size_t i = 0; i < sizeof *ka / 4; i++)
		if ((a[i] ^ b[i]) & am[i] & bm[i])
			return false;
	return true;
}

bool plan_match_overlap(const struct plan_match *a, const struct plan_match *b)
{
	return a->first_pass && b->first_pass &&
	       plan_keys_overlap(&a->key, &a->mask, &b->key, &b->mask);
}

/* Reads a top-level attribute of exactly 'len' bytes from the key and its
 * mask (all-ones when the flow has no mask); false if absent or odd. */
static bool top_attr(const struct odp_flow *f, int type, void *key, void *mask,
		     size_t len)
{
	const struct nlattr *k = attr_find(f->key.data, f->key.len, type);
	const struct nlattr *m;

	if (!attr_stream_valid(f->key.data, f->key.len) || !k ||
	    attr_len(k) != len)
		return false;
	memcpy(key, attr_data(k), len);
	if (!f->has_mask) {
		memset(mask, 0xff, len);
		return true;
	}
	m = attr_stream_valid(f->mask.data, f->mask.len)
		    ? attr_find(f->mask.data, f->mask.len, type)
		    : NULL;
	if (m && attr_len(m) == len)
		memcpy(mask, attr_data(m), len);
	else
		memset(mask, 0, len);
	return true;
}

void plan_project_partial(const struct odp_flow *f, struct plan_match *pm)
{
	struct ovs_key_ethernet eth, eth_mask;
	uint32_t recirc, recirc_mask;
	__be16 et, et_mask;

	memset(pm, 0, sizeof *pm);
	pm->first_pass = true;
	if (top_attr(f, OVS_KEY_ATTR_RECIRC_ID, &recirc, &recirc_mask, 4) &&
	    (recirc & recirc_mask))
		pm->first_pass = false;
	if (top_attr(f, OVS_KEY_ATTR_IN_PORT, &pm->key.in_port,
		     &pm->mask.in_port, 4) &&
	    pm->mask.in_port)
		pm->mask.in_port = UINT32_MAX; /* the kernel forces it exact */
	if (top_attr(f, OVS_KEY_ATTR_ETHERNET, &eth, &eth_mask, sizeof eth)) {
		memcpy(pm->key.eth_src, eth.eth_src, sizeof pm->key.eth_src);
		memcpy(pm->key.eth_dst, eth.eth_dst, sizeof pm->key.eth_dst);
		memcpy(pm->mask.eth_src, eth_mask.eth_src,
		       sizeof pm->mask.eth_src);
		memcpy(pm->mask.eth_dst, eth_mask.eth_dst,
		       sizeof pm->mask.eth_dst);
	}
	if (top_attr(f, OVS_KEY_ATTR_ETHERTYPE, &et, &et_mask, 2) && et_mask) {
		if (et == htons(0x8100) || et == htons(0x88a8)) {
			/* Tagged: at least the present bit is known. */
			pm->key.vlan_tpid[0] = et;
			pm->mask.vlan_tpid[0] = 0xffff;
			pm->key.vlan_tci[0] = htons(OVSX_VLAN_PRESENT);
			pm->mask.vlan_tci[0] = htons(OVSX_VLAN_PRESENT);
		} else {
			/* Untagged (a key without VLAN matches only that). */
			pm->mask.vlan_tci[0] = 0xffff;
			pm->key.eth_type = et;
			pm->mask.eth_type = 0xffff;
		}
	}
	and_key(&pm->key, &pm->mask);
}
