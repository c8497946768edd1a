/* Frame -> struct ovsx_key, with the kernel module's semantics
 * (net/openvswitch/flow.c: key_extract(), parse_vlan(), parse_ethertype(),
 * parse_ipv6hdr(), parse_icmpv6()).
 *
 * Where the kernel would key a frame in a way this parser does not model
 * (truncated or malformed headers that it zeroes fields for, a third VLAN
 * tag, 802.2 frames, MPLS, NSH, ESP, odd IPv6 header chains) the parser
 * gives up and the frame goes to the kernel unmodified.  Passing is always
 * correct; a wrong key never is.
 *
 * A cursor walks the frame by offset; every header is read through
 * cursor_peek(), which bounds the offset for the verifier and checks the
 * frame end.  Loops are short and fully unrolled: 6.1's verifier refuses a
 * loop whose back-edge is a fall-through, which clang may lay out.  Besides the key, the parser notes where the headers are
 * (struct ovsx_hdrs) for the actions. */
#ifndef OVSX_XDP_PARSE_H
#define OVSX_XDP_PARSE_H

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/openvswitch.h>
#include <stdbool.h>
#include <bpf/bpf_endian.h>

#include "ovs-xdp-abi.h"

/* Header offsets beyond this are not followed (the frame is passed). */
#define OVSX_HDR_MAX 1024
/* IPv6 extension headers followed before the upper layer (ipv6_find_hdr()
 * has no bound; real chains are short). */
#define OVSX_IPV6_MAX_EXT 6
/* Neighbour discovery options looked at (parse_icmpv6() has no bound). */
#define OVSX_ND_MAX_OPTS 8

#define OVSX_ND_NS	135 /* NDISC_NEIGHBOUR_SOLICITATION */
#define OVSX_ND_NA	136 /* NDISC_NEIGHBOUR_ADVERTISEMENT */
#define OVSX_ND_OPT_SLL 1   /* ND_OPT_SOURCE_LL_ADDR */
#define OVSX_ND_OPT_TLL 2   /* ND_OPT_TARGET_LL_ADDR */
#define OVSX_ND_MSG_LEN 24  /* ICMPv6 header + target address */
#define OVSX_ARP_LEN	28  /* struct arp_eth_header */

enum ovsx_hdr_flags {
	OVSX_HDR_L4 = 1 << 0,	   /* a whole L4 header is at hdrs.l4 */
	OVSX_HDR_RH_LEFT = 1 << 1, /* IPv6 routing header, segments left */
};

/* Where the parsed headers are, for the actions. */
struct ovsx_hdrs {
	__u16 l3;     /* network header offset */
	__u16 l4;     /* transport header offset (IP, not a later fragment) */
	__u16 l4_len; /* transport bytes per the IP length fields; 0: unknown */
	__u8 n_tags;  /* VLAN tags in the frame */
	__u8 flags;   /* enum ovsx_hdr_flags */
};

/* What the parser gives the later stages. */
struct ovsx_parsed {
	struct ovsx_key key;
	struct ovsx_hdrs hdrs;
};

struct cursor {
	void *data;
	void *end;
	__u32 off; /* next header */
	__u32 len; /* frame length */
};

/* The 'len' bytes at the cursor, or NULL if they are not in the frame. */
static __always_inline void *cursor_peek(const struct cursor *c, __u32 len)
{
	__u32 off = c->off;
	void *p;

	if (off >= OVSX_HDR_MAX)
		return NULL;
	p = c->data + off;
	if (p + len > c->end)
		return NULL;
	return p;
}

static __always_inline bool eth_type_vlan(__be16 type)
{
	return type == bpf_htons(ETH_P_8021Q) ||
	       type == bpf_htons(ETH_P_8021AD);
}

/* Ethernet and up to two VLAN tags (parse_vlan()): the tag is keyed with
 * the present bit or'ed in, losing the wire's DEI bit as the kernel does. */
static __always_inline int parse_l2(struct cursor *c, struct ovsx_key *key,
				    struct ovsx_hdrs *h)
{
	__u8 *eth = cursor_peek(c, ETH_HLEN);
	__be16 *type;
	int i;

	if (!eth)
		return -1;
	__builtin_memcpy(key->eth_dst, eth, ETH_ALEN);
	__builtin_memcpy(key->eth_src, eth + ETH_ALEN, ETH_ALEN);
	c->off = 2 * ETH_ALEN;
	type = (__be16 *)(eth + 2 * ETH_ALEN);
#pragma unroll
	for (i = 0; i < OVSX_MAX_VLANS; i++) {
		__be16 *tag;

		if (!eth_type_vlan(*type))
			break;
		/* TPID, TCI and the next type, or the kernel keys no tag. */
		tag = cursor_peek(c, 6);
		if (!tag)
			return -1;
		key->vlan_tpid[i] = tag[0];
		key->vlan_tci[i] = tag[1] | bpf_htons(OVSX_VLAN_PRESENT);
		c->off += 4;
		type = &tag[2];
	}
	/* A third tag (the kernel keys its TPID as the type) and 802.2/LLC
	 * frames (keyed by an internal type) are the kernel's. */
	if (eth_type_vlan(*type) || bpf_ntohs(*type) < ETH_P_802_3_MIN)
		return -1;
	key->eth_type = *type;
	c->off += 2;
	h->l3 = c->off;
	h->n_tags = i;
	return 0;
}

/* key_extract()'s ARP branch: anything but Ethernet/IPv4 ARP, or a short
 * one, is keyed with zero ARP fields. */
static __always_inline void parse_arp(struct cursor *c, struct ovsx_key *key)
{
	__u8 *arp = cursor_peek(c, OVSX_ARP_LEN);
	__u16 op;

	if (!arp || *(__be16 *)arp != bpf_htons(1) ||
	    *(__be16 *)(arp + 2) != bpf_htons(ETH_P_IP) || arp[4] != ETH_ALEN ||
	    arp[5] != 4)
		return;
	op = bpf_ntohs(*(__be16 *)(arp + 6));
	key->nw_proto = op <= 0xff ? op : 0;
	__builtin_memcpy(key->arp_sha, arp + 8, ETH_ALEN);
	__builtin_memcpy(&key->nw_src[0], arp + 14, 4);
	__builtin_memcpy(key->arp_tha, arp + 18, ETH_ALEN);
	__builtin_memcpy(&key->nw_dst[0], arp + 24, 4);
}

static __always_inline bool mac_is_zero(const __u8 *a)
{
	return !(a[0] | a[1] | a[2] | a[3] | a[4] | a[5]);
}

/* parse_icmpv6()'s neighbour discovery part: the target and the link-layer
 * address options.  A repeated option invalidates all three fields; a bad
 * option length ends the walk keeping what was found. */
static __always_inline int parse_nd(struct cursor *c, struct ovsx_key *key)
{
	__u32 left = c->len - c->off;
	__u8 *nd, *opt, *lla;
	int i;

	if (left < OVSX_ND_MSG_LEN)
		return 0;
	nd = cursor_peek(c, OVSX_ND_MSG_LEN);
	if (!nd)
		return -1;
	__builtin_memcpy(key->nd_target, nd + 8, 16);
	left -= OVSX_ND_MSG_LEN;
	c->off += OVSX_ND_MSG_LEN;
#pragma unroll
	for (i = 0; i < OVSX_ND_MAX_OPTS; i++) {
		__u32 opt_len;

		if (left < 8)
			return 0;
		opt = cursor_peek(c, 8);
		if (!opt)
			return -1;
		opt_len = opt[1] * 8;
		if (!opt_len || opt_len > left)
			return 0;
		if (opt_len == 8 &&
		    (opt[0] == OVSX_ND_OPT_SLL || opt[0] == OVSX_ND_OPT_TLL)) {
			lla = opt[0] == OVSX_ND_OPT_SLL ? key->arp_sha
							: key->arp_tha;
			if (!mac_is_zero(lla)) {
				__builtin_memset(key->nd_target, 0, 16);
				__builtin_memset(key->arp_sha, 0, ETH_ALEN);
				__builtin_memset(key->arp_tha, 0, ETH_ALEN);
				return 0;
			}
			__builtin_memcpy(lla, opt + 2, ETH_ALEN);
		}
		left -= opt_len;
		c->off += opt_len;
	}
	/* More options than we look at: one of them might invalidate. */
	return left < 8 ? 0 : -1;
}

/* The transport header, as tcphdr_ok() and friends want it.  Where the
 * kernel would zero the ports of a short header, the frame is passed. */
static __always_inline int parse_l4(struct cursor *c, struct ovsx_key *key,
				    struct ovsx_hdrs *h, bool v6)
{
	__u8 proto = key->nw_proto;
	__u8 *l4;

	h->l4 = c->off;
	if (proto == IPPROTO_TCP) {
		__u32 doff;

		l4 = cursor_peek(c, 20);
		if (!l4)
			return -1;
		doff = (l4[12] >> 4) * 4;
		if (doff < 20 || c->off + doff > c->len)
			return -1;
		key->tcp_flags = *(__be16 *)(l4 + 12) & bpf_htons(0x0fff);
	} else if (proto == IPPROTO_UDP || proto == IPPROTO_SCTP) {
		l4 = cursor_peek(c, proto == IPPROTO_UDP ? 8 : 12);
		if (!l4)
			return -1;
	} else if ((!v6 && proto == IPPROTO_ICMP) ||
		   (v6 && proto == IPPROTO_ICMPV6)) {
		l4 = cursor_peek(c, 8);
		if (!l4)
			return -1;
		/* Type and code in the port fields, in network order. */
		key->tp_src = bpf_htons(l4[0]);
		key->tp_dst = bpf_htons(l4[1]);
		h->flags |= OVSX_HDR_L4;
		if (v6 && !l4[1] &&
		    (l4[0] == OVSX_ND_NS || l4[0] == OVSX_ND_NA))
			return parse_nd(c, key);
		return 0;
	} else {
		return 0;
	}
	key->tp_src = *(__be16 *)l4;
	key->tp_dst = *(__be16 *)(l4 + 2);
	h->flags |= OVSX_HDR_L4;
	return 0;
}

static __always_inline int parse_ipv4(struct cursor *c, struct ovsx_key *key,
				      struct ovsx_hdrs *h)
{
	struct iphdr *ip = cursor_peek(c, sizeof(*ip));
	__u32 ihl, tot_len;
	__u16 frag;

	if (!ip || ip->version != 4)
		return -1;
	ihl = ip->ihl * 4;
	tot_len = bpf_ntohs(ip->tot_len);
	/* check_iphdr() zeroes the IP fields of these; not modelled. */
	if (ihl < sizeof(*ip) || tot_len < ihl || c->off + ihl > c->len)
		return -1;
	key->nw_src[0] = ip->saddr;
	key->nw_dst[0] = ip->daddr;
	key->nw_proto = ip->protocol;
	key->nw_tos = ip->tos;
	key->nw_ttl = ip->ttl;
	frag = bpf_ntohs(ip->frag_off);
	if (frag & 0x1fff) {
		key->nw_frag = OVS_FRAG_TYPE_LATER;
		return 0;
	}
	key->nw_frag = frag & 0x2000 ? OVS_FRAG_TYPE_FIRST : OVS_FRAG_TYPE_NONE;
	h->l4_len = tot_len - ihl;
	c->off += ihl;
	return parse_l4(c, key, h, false);
}

/* ipv6_ext_hdr(): what ipv6_find_hdr() walks over. */
static __always_inline bool ipv6_ext_hdr(__u8 nexthdr)
{
	return nexthdr == IPPROTO_HOPOPTS || nexthdr == IPPROTO_ROUTING ||
	       nexthdr == IPPROTO_FRAGMENT || nexthdr == IPPROTO_AH ||
	       nexthdr == IPPROTO_NONE || nexthdr == IPPROTO_DSTOPTS;
}

/* The extension header walk of ipv6_find_hdr(skb, .., -1, ..): returns the
 * upper-layer protocol with the cursor on it, 256 for a later fragment
 * (keyed without L4), or -1 to pass the frame. */
static __always_inline int ipv6_walk(struct cursor *c, struct ovsx_key *key,
				     struct ovsx_hdrs *h, __u8 nexthdr)
{
	int i;

#pragma unroll
	for (i = 0; i < OVSX_IPV6_MAX_EXT; i++) {
		__u8 *eh;
		__u32 len;

		if (!ipv6_ext_hdr(nexthdr) || nexthdr == IPPROTO_NONE)
			return nexthdr;
		/* Every extension header is at least 8 bytes. */
		eh = cursor_peek(c, 8);
		if (!eh)
			return -1;
		if (nexthdr == IPPROTO_FRAGMENT) {
			key->nw_frag = OVS_FRAG_TYPE_FIRST;
			if (bpf_ntohs(*(__be16 *)(eh + 2)) & ~7) {
				/* Before an upper layer: a later fragment;
				 * else ipv6_find_hdr() fails oddly. */
				if (ipv6_ext_hdr(eh[0]) &&
				    eh[0] != IPPROTO_NONE)
					return -1;
				return 256;
			}
			len = 8;
		} else if (nexthdr == IPPROTO_AH) {
			len = (eh[1] + 2) * 4;
		} else {
			if (nexthdr == IPPROTO_ROUTING && eh[3])
				h->flags |= OVSX_HDR_RH_LEFT;
			len = (eh[1] + 1) * 8;
		}
		nexthdr = eh[0];
		c->off += len;
	}
	if (ipv6_ext_hdr(nexthdr) && nexthdr != IPPROTO_NONE)
		return -1;
	return nexthdr;
}

static __always_inline int parse_ipv6(struct cursor *c, struct ovsx_key *key,
				      struct ovsx_hdrs *h)
{
	struct ipv6hdr *ip6 = cursor_peek(c, sizeof(*ip6));
	__u32 ext_len, payload_len;
	int proto;

	if (!ip6 || ip6->version != 6)
		return -1;
	key->nw_tos = bpf_ntohs(*(__be16 *)ip6) >> 4;
	key->ipv6_label = *(__be32 *)ip6 & bpf_htonl(0xfffff);
	key->nw_ttl = ip6->hop_limit;
	__builtin_memcpy(key->nw_src, &ip6->saddr, 16);
	__builtin_memcpy(key->nw_dst, &ip6->daddr, 16);
	payload_len = bpf_ntohs(ip6->payload_len);
	c->off += sizeof(*ip6);
	proto = ipv6_walk(c, key, h, ip6->nexthdr);
	if (proto < 0)
		return -1;
	if (proto == 256) {
		key->nw_frag = OVS_FRAG_TYPE_LATER;
		key->nw_proto = IPPROTO_FRAGMENT;
		return 0;
	}
	/* ESP hides what follows; keep it in the kernel. */
	if (proto == IPPROTO_ESP)
		return -1;
	key->nw_proto = proto;
	ext_len = c->off - h->l3 - sizeof(*ip6);
	h->l4_len = payload_len > ext_len ? payload_len - ext_len : 0;
	if (proto == IPPROTO_NONE)
		return 0;
	return parse_l4(c, key, h, true);
}

/* Fills the key (zeroed first) and the header offsets from the frame; -1: pass it.  A
 * global function: the verifier walks the parser's many paths once, and
 * what follows it is verified once too, not once per parser outcome. */
__attribute__((noinline)) int ovsx_parse(struct xdp_md *ctx, __u32 in_port,
					 struct ovsx_parsed *out)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct cursor c = {.data = data, .end = end, .len = end - data};
	struct ovsx_key *key;
	struct ovsx_hdrs *h;

	if (!out)
		return -1;
	key = &out->key;
	h = &out->hdrs;
	__builtin_memset(key, 0, sizeof(*key));
	__builtin_memset(h, 0, sizeof(*h));
	key->in_port = in_port;
	if (parse_l2(&c, key, h))
		return -1;
	switch (bpf_ntohs(key->eth_type)) {
	case ETH_P_IP:
		return parse_ipv4(&c, key, h);
	case ETH_P_IPV6:
		return parse_ipv6(&c, key, h);
	case ETH_P_ARP:
	case ETH_P_RARP:
		parse_arp(&c, key);
		return 0;
	case ETH_P_MPLS_UC:
	case ETH_P_MPLS_MC:
	case ETH_P_NSH:
		/* Keyed by fields the fast path does not have. */
		return -1;
	default:
		return 0;
	}
}

#endif
