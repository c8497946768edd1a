/* A flow's actions (struct ovsx_actions) on a frame, as the kernel module's
 * net/openvswitch/actions.c would execute them.
 *
 * Two phases.  check_actions() decides, without writing a byte, whether the
 * frame can be handled here: size, TTL, checksum state, egress target, and
 * op sequences whose kernel behaviour is not modelled.  Any "no" leaves the
 * frame to the kernel untouched.  execute_actions() then makes room in
 * front for the VLAN pushes in one bpf_xdp_adjust_head(), completes a
 * partial L4 checksum (see l4_csum_state()), rewrites, and gives the
 * verdict.
 *
 * Layout while executing: pushes and pops only move the 12 MAC bytes, so
 * everything from the outermost VLAN tag on keeps its place; only 'mac',
 * the offset of the Ethernet header, moves.  What was pre-allocated and is
 * left unused in front is trimmed at the end. */
#ifndef OVSX_XDP_ACTIONS_H
#define OVSX_XDP_ACTIONS_H

#include <linux/icmpv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>

#include "csum.h"
#include "maps.h"
#include "parse.h"

/* check_actions() result when nothing stands in the way. */
#define OVSX_GO OVSX_CTR__MAX

/* Bound of frame offsets here, for the verifier (a power of two less 1).
 * Rewrites stay within the parsed headers and the pushed tags; only the
 * checksum walk goes further, to the end of a frame of at most a page. */
#define OVSX_EXEC_OFF_MAX 16383
/* Longest L4 segment whose checksum is verified. */
#define OVSX_CSUM_CHUNK	    512 /* bpf_csum_diff() takes at most 512 */
#define OVSX_CSUM_MAX_CHUNK 16

struct frame {
	void *data;
	void *end;
};

static __always_inline void *frame_at(const struct frame *f, __u32 off,
				      __u32 len)
{
	void *p = f->data + (off & OVSX_EXEC_OFF_MAX);

	if (off > OVSX_EXEC_OFF_MAX || p + len > f->end)
		return NULL;
	return p;
}

static __always_inline __u8 l4_proto(__u8 l4)
{
	return l4 == OVSX_L4_TCP   ? IPPROTO_TCP
	       : l4 == OVSX_L4_UDP ? IPPROTO_UDP
				   : 0;
}

/* ---- phase 1: preconditions --------------------------------------------- */

/* Walks the ops as the kernel would run them, keeping the TTL and the tag
 * count, and refuses what is not modelled:
 *  - an L3/L4 rewrite after a push onto a tagged frame: skb_vlan_push()
 *    then moves the kernel's network header into the inner tag;
 *  - dec_ttl with two tags: skb->protocol is then a TPID, and
 *    execute_dec_ttl() does nothing;
 *  - an L4 rewrite the frame has no header for. */
static __always_inline __u32 check_ops(const struct ovsx_actions *a,
				       const struct ovsx_key *key,
				       const struct ovsx_hdrs *h, __u32 *n_push)
{
	bool ip4 = key->eth_type == bpf_htons(ETH_P_IP);
	bool ip6 = key->eth_type == bpf_htons(ETH_P_IPV6);
	__u8 tags = h->n_tags, ttl = key->nw_ttl;
	__u32 pushes = 0;
	bool moved = false;

#pragma unroll
	for (int i = 0; i < OVSX_MAX_OPS; i++) {
		switch (a->ops[i]) {
		case OVSX_OP_END:
			*n_push = pushes;
			return OVSX_GO;
		case OVSX_OP_SET_ETH:
			break;
		case OVSX_OP_SET_IPV4:
			if (!ip4 || moved)
				return OVSX_CTR_PASS_UNPARSED;
			ttl = a->l3.ipv4.ttl | (ttl & ~a->l3.ipv4.ttl_mask);
			break;
		case OVSX_OP_SET_IPV6:
			if (!ip6 || moved)
				return OVSX_CTR_PASS_UNPARSED;
			ttl = a->l3.ipv6.hlimit |
			      (ttl & ~a->l3.ipv6.hlimit_mask);
			break;
		case OVSX_OP_SET_TP:
			if (moved || !(h->flags & OVSX_HDR_L4) ||
			    key->nw_proto != l4_proto(a->l4))
				return OVSX_CTR_PASS_UNPARSED;
			break;
		case OVSX_OP_PUSH_VLAN:
			if (pushes == OVSX_MAX_VLANS)
				return OVSX_CTR_PASS_UNPARSED;
			moved |= tags > 0;
			tags++;
			pushes++;
			break;
		case OVSX_OP_POP_VLAN:
			/* skb_vlan_pop() of an untagged frame: nothing. */
			if (tags)
				tags--;
			break;
		case OVSX_OP_DEC_TTL:
			if (!ip4 && !ip6)
				break;
			if (tags > 1 || moved)
				return OVSX_CTR_PASS_UNPARSED;
			/* The kernel runs the flow's le_1 branch instead. */
			if (ttl <= 1)
				return OVSX_CTR_PASS_TTL;
			ttl--;
			break;
		default:
			return OVSX_CTR_PASS_UNPARSED;
		}
	}
	*n_push = pushes;
	return OVSX_GO;
}

/* Sum of the 'len' bytes at 'off' onto 'sum', or false if not in frame.
 * Each piece's offset is computed from 'len' alone, not accumulated: the
 * verifier then sees one state after each piece, not one per path. */
static __always_inline bool csum_add_bytes(const struct frame *f, __u32 off,
					   __u32 len, __u32 *sum)
{
	__u32 s = *sum;
	void *p;

	if (len >= OVSX_CSUM_CHUNK * OVSX_CSUM_MAX_CHUNK)
		return false;
#pragma unroll
	for (__u32 at = 0; at < OVSX_CSUM_CHUNK * OVSX_CSUM_MAX_CHUNK;
	     at += OVSX_CSUM_CHUNK) {
		if (at + OVSX_CSUM_CHUNK > len)
			break;
		p = frame_at(f, off + at, OVSX_CSUM_CHUNK);
		if (!p)
			return false;
		s = bpf_csum_diff(NULL, 0, p, OVSX_CSUM_CHUNK, s);
	}
	/* The rest in power-of-two pieces, each a constant size. */
#pragma unroll
	for (__u32 n = OVSX_CSUM_CHUNK / 2; n >= 4; n /= 2) {
		if (!(len & n))
			continue;
		p = frame_at(f, off + (len & ~(2 * n - 1)), n);
		if (!p)
			return false;
		s = bpf_csum_diff(NULL, 0, p, n, s);
	}
	if (len & 2) {
		p = frame_at(f, off + (len & ~3), 2);
		if (!p)
			return false;
		s = csum32_add(s, *(__u16 *)p);
	}
	if (len & 1) {
		p = frame_at(f, off + (len & ~1), 1);
		if (!p)
			return false;
		/* An odd byte is summed as if followed by a zero byte. */
		s = csum32_add(s, bpf_htons(*(__u8 *)p << 8));
	}
	*sum = s;
	return true;
}

static __always_inline bool any_set(const __be32 *m)
{
	return m[0] | m[1] | m[2] | m[3];
}

/* Does some op change what the L4 checksum covers (the pseudo-header's
 * addresses, or the ports)?  The kernel updates a partial sum for those its
 * own way (only the pseudo-header part), so a frame completed here and
 * then rewritten could differ from it in the sign of a zero checksum. */
static __always_inline bool ops_touch_l4_sum(const struct ovsx_actions *a)
{
	bool touch = false;

#pragma unroll
	for (int i = 0; i < OVSX_MAX_OPS; i++) {
		__u8 op = a->ops[i];

		touch |= op == OVSX_OP_SET_TP ||
			 (op == OVSX_OP_SET_IPV4 &&
			  (a->l3.ipv4.src_mask | a->l3.ipv4.dst_mask)) ||
			 (op == OVSX_OP_SET_IPV6 &&
			  (any_set(a->l3.ipv6.src_mask) ||
			   any_set(a->l3.ipv6.dst_mask)));
	}
	return touch;
}

/* The pseudo-header sum of a TCP/UDP segment of 'len' bytes. */
static __always_inline __u32 pseudo_sum(const struct ovsx_key *key, __u32 len)
{
	__u8 proto = key->nw_proto;
	__u32 sum = 0;

	if (key->eth_type == bpf_htons(ETH_P_IP)) {
		sum = csum32_add(key->nw_src[0], key->nw_dst[0]);
		return csum32_add(sum, bpf_htonl((proto << 16) | len));
	}
#pragma unroll
	for (int i = 0; i < 4; i++) {
		sum = csum32_add(sum, key->nw_src[i]);
		sum = csum32_add(sum, key->nw_dst[i]);
	}
	sum = csum32_add(sum, bpf_htonl(len));
	return csum32_add(sum, bpf_htonl(proto));
}

enum l4_csum {
	L4_CSUM_FINAL,	  /* complete, or no L4 checksum to worry about */
	L4_CSUM_COMPLETE, /* partial: complete it (*check) before output */
	L4_CSUM_UNSAFE,	  /* the kernel's to handle */
};

/* On ports whose peer may hand over CHECKSUM_PARTIAL frames (a veth whose
 * peer has tx checksum offload), the frame data holds a checksum the
 * kernel would have completed on output, which a redirect would send as
 * it is.  So:
 *  - a TCP/UDP checksum that verifies over the whole segment is final;
 *  - one that holds exactly the pseudo-header sum is partial, and is
 *    completed here as the device or skb_checksum_help() would (the sum
 *    of the segment from the L4 header on, complemented; 0xffff for a zero
 *    result, TCP's too), unless an op rewrites what the sum covers;
 *  - ICMP carries no offloaded checksum, fragments none either
 *    (ip_fragment() completes the sum), and non-IP frames none;
 *  - anything else may hide a partial sum deeper in (UDP without a
 *    checksum or GRE carrying a tunnel, SCTP's CRC32c), and is left to
 *    the kernel. */
static __always_inline enum l4_csum l4_csum_state(const struct frame *f,
						  const struct ovsx_actions *a,
						  const struct ovsx_key *key,
						  const struct ovsx_hdrs *h,
						  __u16 *check)
{
	__u8 proto = key->nw_proto;
	__u32 len = h->l4_len, data = 0, pseudo;
	__u16 partial;
	__u8 *l4;

	if ((key->eth_type != bpf_htons(ETH_P_IP) &&
	     key->eth_type != bpf_htons(ETH_P_IPV6)) ||
	    key->nw_frag != OVS_FRAG_TYPE_NONE)
		return L4_CSUM_FINAL;
	if (proto == IPPROTO_ICMP || proto == IPPROTO_ICMPV6)
		return L4_CSUM_FINAL;
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP)
		return L4_CSUM_UNSAFE;
	l4 = frame_at(f, h->l4, sizeof(struct udphdr));
	if (!l4 || !len)
		return L4_CSUM_UNSAFE;
	if (proto == IPPROTO_UDP) {
		struct udphdr *uh = (void *)l4;

		if (!uh->check || bpf_ntohs(uh->len) != len)
			return L4_CSUM_UNSAFE;
		partial = uh->check;
	} else {
		__u8 *th = frame_at(f, h->l4, sizeof(struct tcphdr));

		if (!th)
			return L4_CSUM_UNSAFE;
		partial = ((struct tcphdr *)th)->check;
	}
	if (!csum_add_bytes(f, h->l4, len, &data))
		return L4_CSUM_UNSAFE;
	pseudo = pseudo_sum(key, len);
	if (csum32_fold(csum32_add(pseudo, data)) == 0)
		return L4_CSUM_FINAL;
	/* __tcp_v4_send_check() and friends leave ~csum_fold(pseudo). */
	if (partial != (__u16)~csum32_fold(pseudo) || ops_touch_l4_sum(a))
		return L4_CSUM_UNSAFE;
	/* skb_checksum_help() writes CSUM_MANGLED_0 for a zero, whatever the
	 * protocol (for UDP it is also RFC 768's rule). */
	*check = csum32_fold(data);
	if (!*check)
		*check = 0xffff; /* CSUM_MANGLED_0 */
	return L4_CSUM_COMPLETE;
}

/* What phase 1 found that phase 2 needs. */
struct act_prep {
	__u32 n_push;	/* VLAN tags the ops push */
	bool complete;	/* a partial L4 checksum to complete first */
	__u16 check;	/* its complete value */
	bool untouched; /* nothing writes to the frame */
};

/* Everything that must hold before the frame is touched; OVSX_GO or the
 * counter of the reason to pass. */
static __always_inline __u32 check_actions(const struct frame *f,
					   const struct ovsx_actions *a,
					   const struct ovsx_key *key,
					   const struct ovsx_hdrs *h,
					   const struct ovsx_port *port,
					   struct act_prep *prep)
{
	__u32 reason, ifindex;
	enum l4_csum csum;

	/* The kernel would drop it as too long for the egress MTU. */
	if (f->end - f->data > a->max_frame_len)
		return OVSX_CTR_PASS_TOO_BIG;
	reason = check_ops(a, key, h, &prep->n_push);
	if (reason != OVSX_GO)
		return reason;
	if (a->out_kind == OVSX_OUT_DROP)
		return OVSX_GO;
	if (port->flags & OVSX_PORT_VERIFY_CSUM) {
		csum = l4_csum_state(f, a, key, h, &prep->check);
		if (csum == L4_CSUM_UNSAFE ||
		    (csum == L4_CSUM_COMPLETE &&
		     (port->flags & OVSX_PORT_PARTIAL_TO_KERNEL)))
			return OVSX_CTR_PASS_CSUM;
		prep->complete = csum == L4_CSUM_COMPLETE;
	}
	prep->untouched = a->ops[0] == OVSX_OP_END && !prep->complete;
	switch (a->out_kind) {
	case OVSX_OUT_TX:
		break;
	case OVSX_OUT_REDIRECT:
		/* An untouched frame needs no look now: the redirect itself
		 * passes it if the port is gone. */
		if (prep->untouched)
			break;
		/* On the stack: 6.1 takes no other memory as a map key. */
		ifindex = a->out_ifindex;
		if (!bpf_map_lookup_elem(&tx_ports, &ifindex))
			return OVSX_CTR_PASS_NO_TARGET;
		break;
	case OVSX_OUT_GROUP:
		if (a->out_group >= OVSX_MAX_GROUPS)
			return OVSX_CTR_PASS_NO_TARGET;
		break;
	default:
		return OVSX_CTR_PASS_NO_TARGET;
	}
	return OVSX_GO;
}

/* ---- phase 2: rewrites ------------------------------------------------- */

/* Offsets of the headers while the ops run (see the top of this file). */
struct exec_pos {
	__u32 mac;    /* Ethernet header */
	__u32 l3, l4; /* network and transport headers: fixed */
	__u32 pushes; /* tags pushed so far */
	__u32 tags;   /* tags in the frame now */
};

/* Each op is a global function taking the context and re-deriving the
 * packet pointers (and checking all its pointers, so that the compiler
 * passes them all, as the verifier wants): the verifier checks it once, instead of once for every
 * state the op loop can be in (the ops branch a lot, on data, as the kernel
 * does).  The call costs a few instructions per op, and only flows that
 * rewrite pay it. */
#define OVSX_OP_FN(name)                                          \
	__attribute__((noinline)) int ovsx_op_##name(             \
		struct xdp_md *ctx, const struct ovsx_actions *a, \
		const struct ovsx_parsed *pp, struct exec_pos *pos)

static __always_inline struct frame frame_of(struct xdp_md *ctx)
{
	struct frame f = {
		.data = (void *)(long)ctx->data,
		.end = (void *)(long)ctx->data_end,
	};

	return f;
}

/* ether_addr_copy_masked(): OVS_MASKED(old, val, mask), byte for byte. */
static __always_inline void mac_rewrite(__u8 *p, const __u8 *val,
					const __u8 *mask)
{
	__u32 w, vw, mw;
	__u16 s, vs, ms;

	__builtin_memcpy(&w, p, 4);
	__builtin_memcpy(&s, p + 4, 2);
	__builtin_memcpy(&vw, val, 4);
	__builtin_memcpy(&vs, val + 4, 2);
	__builtin_memcpy(&mw, mask, 4);
	__builtin_memcpy(&ms, mask + 4, 2);
	w = vw | (w & ~mw);
	s = vs | (s & ~ms);
	__builtin_memcpy(p, &w, 4);
	__builtin_memcpy(p + 4, &s, 2);
}

/* set_eth_addr() */
OVSX_OP_FN(set_eth)
{
	struct frame f = frame_of(ctx);
	__u8 *eth;

	if (!a || !pp || !pos)
		return -1;
	eth = frame_at(&f, pos->mac, 2 * ETH_ALEN);
	if (!eth)
		return -1;
	mac_rewrite(eth, a->eth.dst, a->eth.dst_mask);
	mac_rewrite(eth + ETH_ALEN, a->eth.src, a->eth.src_mask);
	return 0;
}

/* The checksum field of the frame's TCP or UDP header, if the pseudo-header
 * part of it must follow an address change (update_ip_l4_checksum(),
 * update_ipv6_checksum()); *udp tells UDP's "0 is no checksum" apart. */
static __always_inline __u16 *l4_check(const struct frame *f, __u32 l4,
				       __u8 proto, bool v6, bool *udp)
{
	*udp = proto == IPPROTO_UDP;
	if (proto == IPPROTO_TCP)
		return frame_at(f, l4 + offsetof(struct tcphdr, check), 2);
	if (proto == IPPROTO_UDP)
		return frame_at(f, l4 + offsetof(struct udphdr, check), 2);
	if (v6 && proto == IPPROTO_ICMPV6)
		return frame_at(f, l4 + offsetof(struct icmp6hdr, icmp6_cksum),
				2);
	return NULL;
}

/* set_ip_addr(): the L4 checksum, then the header checksum, then the
 * address; only if the address changes. */
static __always_inline void set_addr4(struct iphdr *ip, __be32 *addr,
				      __be32 new, __u16 *l4c, bool udp)
{
	__be32 old = *addr;

	if (new == old)
		return;
	if (l4c && (!udp || *l4c)) {
		csum_replace32(l4c, old, new);
		if (udp && !*l4c)
			*l4c = 0xffff; /* CSUM_MANGLED_0 */
	}
	csum_replace32(&ip->check, old, new);
	*addr = new;
}

/* set_ipv4(): addresses, TOS, TTL, in that order. */
OVSX_OP_FN(set_ipv4)
{
	const struct ovsx_ipv4_rewrite *r;
	struct frame f = frame_of(ctx);
	__u16 *l4c = NULL;
	struct iphdr *ip;
	bool udp = false;

	if (!a || !pp || !pos)
		return -1;
	r = &a->l3.ipv4;
	ip = frame_at(&f, pos->l3, sizeof(*ip));
	if (!ip)
		return -1;
	/* Later fragments have no L4 header to fix. */
	if ((pp->hdrs.flags & OVSX_HDR_L4) &&
	    !(ip->frag_off & bpf_htons(0x1fff)))
		l4c = l4_check(&f, pos->l4, ip->protocol, false, &udp);
	if (r->src_mask)
		set_addr4(ip, &ip->saddr, r->src | (ip->saddr & ~r->src_mask),
			  l4c, udp);
	if (r->dst_mask)
		set_addr4(ip, &ip->daddr, r->dst | (ip->daddr & ~r->dst_mask),
			  l4c, udp);
	if (r->tos_mask)
		ipv4_tos_rewrite(&ip->tos, &ip->check, ~r->tos_mask, r->tos);
	if (r->ttl_mask) {
		__u8 ttl = r->ttl | (ip->ttl & ~r->ttl_mask);

		csum_replace16(&ip->check, bpf_htons(ip->ttl << 8),
			       bpf_htons(ttl << 8));
		ip->ttl = ttl;
	}
	return 0;
}

/* set_ipv6_addr() with the checksum rule of update_ipv6_checksum(). */
static __always_inline void set_addr6(__be32 *addr, const __be32 *val,
				      const __be32 *mask, __u16 *l4c, bool udp)
{
	__be32 new[4];
	__u32 diff = 0;

#pragma unroll
	for (int i = 0; i < 4; i++) {
		new[i] = val[i] | (addr[i] & ~mask[i]);
		diff |= new[i] ^ addr[i];
	}
	if (!diff)
		return;
	if (l4c && (!udp || *l4c)) {
		csum_replace_addr6(l4c, addr, new);
		if (udp && !*l4c)
			*l4c = 0xffff; /* CSUM_MANGLED_0 */
	}
#pragma unroll
	for (int i = 0; i < 4; i++)
		addr[i] = new[i];
}

/* set_ipv6(): addresses, traffic class, flow label, hop limit, in that
 * order; the label write covers 24 bits (with the low tclass nibble). */
OVSX_OP_FN(set_ipv6)
{
	const struct ovsx_ipv6_rewrite *r;
	struct frame f = frame_of(ctx);
	struct ipv6hdr *ip6;
	__u16 *l4c = NULL;
	bool udp = false;

	if (!a || !pp || !pos)
		return -1;
	r = &a->l3.ipv6;
	ip6 = frame_at(&f, pos->l3, sizeof(*ip6));
	if (!ip6)
		return -1;
	/* The kernel goes by the key's protocol: 44 for a later fragment. */
	if (pp->hdrs.flags & OVSX_HDR_L4)
		l4c = l4_check(&f, pos->l4, pp->key.nw_proto, true, &udp);
	if (any_set(r->src_mask))
		set_addr6(ip6->saddr.in6_u.u6_addr32, r->src, r->src_mask, l4c,
			  udp);
	/* With segments left in a routing header, the pseudo-header holds
	 * the final destination, not this one. */
	if (pp->hdrs.flags & OVSX_HDR_RH_LEFT)
		l4c = NULL;
	if (any_set(r->dst_mask))
		set_addr6(ip6->daddr.in6_u.u6_addr32, r->dst, r->dst_mask, l4c,
			  udp);
	if (r->tclass_mask) {
		__be16 *w = (__be16 *)ip6;
		__u8 old = bpf_ntohs(*w) >> 4;
		__u8 tc = r->tclass | (old & ~r->tclass_mask);

		*w = (*w & bpf_htons(0xf00f)) | bpf_htons((__u16)tc << 4);
	}
	if (r->label_mask) {
		__u8 *b = (__u8 *)ip6;
		__u32 ofl = b[1] << 16 | b[2] << 8 | b[3];
		__u32 fl =
			bpf_ntohl(r->label) | (ofl & ~bpf_ntohl(r->label_mask));

		b[1] = fl >> 16;
		b[2] = fl >> 8;
		b[3] = fl;
	}
	if (r->hlimit_mask)
		ip6->hop_limit = r->hlimit | (ip6->hop_limit & ~r->hlimit_mask);
	return 0;
}

/* set_tp_port(): inet_proto_csum_replace2() is csum_replace4() on the
 * zero-extended ports. */
static __always_inline void set_port(__be16 *port, __be16 new, __u16 *check)
{
	if (new == *port)
		return;
	csum_replace32(check, *port, new);
	*port = new;
}

/* set_tcp() and set_udp(): a UDP checksum of 0 means none, and stays. */
OVSX_OP_FN(set_tp)
{
	struct frame f = frame_of(ctx);
	__be16 *ports, src, dst;
	__u16 *check;
	bool tcp;

	if (!a || !pp || !pos)
		return -1;
	tcp = a->l4 == OVSX_L4_TCP;
	ports = frame_at(&f, pos->l4, 4);
	check = frame_at(&f,
			 pos->l4 + (tcp ? offsetof(struct tcphdr, check)
					: offsetof(struct udphdr, check)),
			 2);
	if (!ports || !check)
		return -1;
	src = a->tp.src | (ports[0] & ~a->tp.src_mask);
	dst = a->tp.dst | (ports[1] & ~a->tp.dst_mask);
	if (!tcp && !*check) {
		ports[0] = src;
		ports[1] = dst;
		return 0;
	}
	set_port(&ports[0], src, check);
	set_port(&ports[1], dst, check);
	if (!tcp && !*check)
		*check = 0xffff; /* CSUM_MANGLED_0 */
	return 0;
}

/* The kernel pushes into skb metadata and the driver writes the tag after
 * the MACs: on the wire, the new tag is outermost. */
OVSX_OP_FN(push_vlan)
{
	struct frame f = frame_of(ctx);
	const struct ovsx_vlan_push *v;
	__u32 m[3];
	__u8 *p;

	if (!a || !pp || !pos)
		return -1;
	v = &a->vlan[pos->pushes & 1];
	p = frame_at(&f, pos->mac - 4, 2 * ETH_ALEN + 4);
	if (!p)
		return -1;
	__builtin_memcpy(m, p + 4, sizeof(m));
	__builtin_memcpy(p, m, sizeof(m));
	__builtin_memcpy(p + 12, &v->tpid, 2);
	__builtin_memcpy(p + 14, &v->tci, 2);
	pos->mac -= 4;
	pos->tags++;
	pos->pushes++;
	return 0;
}

/* skb_vlan_pop(): drops the outermost tag; nothing on an untagged frame. */
OVSX_OP_FN(pop_vlan)
{
	struct frame f = frame_of(ctx);
	__u32 m[3];
	__u8 *p;

	if (!a || !pp || !pos)
		return -1;
	if (!pos->tags)
		return 0;
	p = frame_at(&f, pos->mac, 2 * ETH_ALEN + 4);
	if (!p)
		return -1;
	__builtin_memcpy(m, p, sizeof(m));
	__builtin_memcpy(p + 4, m, sizeof(m));
	pos->mac += 4;
	pos->tags--;
	return 0;
}

/* execute_dec_ttl(), its le_1 case having been excluded beforehand. */
OVSX_OP_FN(dec_ttl)
{
	struct frame f = frame_of(ctx);

	if (!a || !pp || !pos)
		return -1;
	if (pp->key.eth_type == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = frame_at(&f, pos->l3, sizeof(*ip));
		__u8 old;

		if (!ip)
			return -1;
		old = ip->ttl--;
		csum_replace16(&ip->check, bpf_htons(old << 8),
			       bpf_htons(ip->ttl << 8));
	} else if (pp->key.eth_type == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = frame_at(&f, pos->l3, sizeof(*ip6));

		if (!ip6)
			return -1;
		ip6->hop_limit--;
	}
	return 0;
}

static __always_inline int run_op(struct xdp_md *ctx, __u8 op,
				  const struct ovsx_actions *a,
				  const struct ovsx_parsed *pp,
				  struct exec_pos *pos)
{
	switch (op) {
	case OVSX_OP_SET_ETH:
		return ovsx_op_set_eth(ctx, a, pp, pos);
	case OVSX_OP_SET_IPV4:
		return ovsx_op_set_ipv4(ctx, a, pp, pos);
	case OVSX_OP_SET_IPV6:
		return ovsx_op_set_ipv6(ctx, a, pp, pos);
	case OVSX_OP_SET_TP:
		return ovsx_op_set_tp(ctx, a, pp, pos);
	case OVSX_OP_PUSH_VLAN:
		return ovsx_op_push_vlan(ctx, a, pp, pos);
	case OVSX_OP_POP_VLAN:
		return ovsx_op_pop_vlan(ctx, a, pp, pos);
	case OVSX_OP_DEC_TTL:
		return ovsx_op_dec_ttl(ctx, a, pp, pos);
	default:
		return -1;
	}
}

/* A global function of its own: clang would otherwise merge these calls
 * with the single-port redirect's into one call instruction, whose map the
 * verifier then cannot know, and every redirect would take the generic
 * helper's indirect call instead of the devmap's own (measured: 12 of the
 * 75 ns of a cache hit by bpf_prog_test_run). */
__attribute__((noinline)) int ovsx_redirect_group(__u32 group, __u64 flags)
{
	flags = BPF_F_BROADCAST | (flags & BPF_F_EXCLUDE_INGRESS);
	switch (group) {
	case 0:
		return bpf_redirect_map(&group_0, 0, flags);
	case 1:
		return bpf_redirect_map(&group_1, 0, flags);
	case 2:
		return bpf_redirect_map(&group_2, 0, flags);
	case 3:
		return bpf_redirect_map(&group_3, 0, flags);
	case 4:
		return bpf_redirect_map(&group_4, 0, flags);
	case 5:
		return bpf_redirect_map(&group_5, 0, flags);
	case 6:
		return bpf_redirect_map(&group_6, 0, flags);
	case 7:
		return bpf_redirect_map(&group_7, 0, flags);
	case 8:
		return bpf_redirect_map(&group_8, 0, flags);
	case 9:
		return bpf_redirect_map(&group_9, 0, flags);
	case 10:
		return bpf_redirect_map(&group_10, 0, flags);
	case 11:
		return bpf_redirect_map(&group_11, 0, flags);
	case 12:
		return bpf_redirect_map(&group_12, 0, flags);
	case 13:
		return bpf_redirect_map(&group_13, 0, flags);
	case 14:
		return bpf_redirect_map(&group_14, 0, flags);
	case 15:
		return bpf_redirect_map(&group_15, 0, flags);
	default:
		return XDP_ABORTED;
	}
}

/* The verdict that sends the frame on.  'untouched': no op changed it, so
 * if the egress port has left tx_ports the redirect may still pass it (the
 * low bits of the flags are the verdict on a miss); a changed frame is
 * aborted instead (check_actions() saw the port, user space removed it
 * since). */
static __always_inline int output(const struct ovsx_actions *a, bool untouched)
{
	switch (a->out_kind) {
	case OVSX_OUT_TX:
		return XDP_TX;
	case OVSX_OUT_REDIRECT:
		return bpf_redirect_map(&tx_ports, a->out_ifindex,
					untouched ? XDP_PASS : 0);
	case OVSX_OUT_GROUP:
		return ovsx_redirect_group(a->out_group, a->out_flags);
	default:
		return XDP_DROP;
	}
}

/* Writes the completed L4 checksum: the sum as the kernel would have had
 * the device (or skb_checksum_help()) finish it, before any op. */
static __always_inline bool complete_l4_sum(struct xdp_md *ctx,
					    const struct ovsx_parsed *pp,
					    __u32 l4, __u16 check)
{
	struct frame f = frame_of(ctx);
	__u32 off = pp->key.nw_proto == IPPROTO_TCP
			    ? offsetof(struct tcphdr, check)
			    : offsetof(struct udphdr, check);
	__u16 *p = frame_at(&f, l4 + off, 2);

	if (!p)
		return false;
	*p = check;
	return true;
}

/* Rewrites the frame and returns the verdict; XDP_PASS only if the frame
 * is still untouched, with the counter of the reason in *reason (no room
 * for the pushes, or the egress port gone), XDP_ABORTED if a rewrite failed
 * half-way. */
static __always_inline int execute_actions(struct xdp_md *ctx,
					   const struct ovsx_actions *a,
					   const struct ovsx_parsed *pp,
					   const struct act_prep *prep,
					   __u32 *reason)
{
	__u32 n_push = prep->n_push;
	struct exec_pos pos;

	if (n_push > OVSX_MAX_VLANS)
		return XDP_ABORTED;
	*reason = OVSX_CTR_ABORTED;
	if (n_push && bpf_xdp_adjust_head(ctx, -(int)(4 * n_push)))
		return XDP_PASS;
	pos.mac = 4 * n_push;
	pos.l3 = pos.mac + pp->hdrs.l3;
	pos.l4 = pos.mac + pp->hdrs.l4;
	pos.pushes = 0;
	pos.tags = pp->hdrs.n_tags;
	if (prep->complete && !complete_l4_sum(ctx, pp, pos.l4, prep->check))
		return XDP_ABORTED;
#pragma unroll
	for (int i = 0; i < OVSX_MAX_OPS; i++) {
		__u8 op = a->ops[i];

		if (op == OVSX_OP_END)
			break;
		if (run_op(ctx, op, a, pp, &pos))
			return XDP_ABORTED;
	}
	if (pos.mac && bpf_xdp_adjust_head(ctx, pos.mac))
		return XDP_ABORTED;
	*reason = OVSX_CTR_PASS_NO_TARGET;
	return output(a, prep->untouched);
}

/* The flow's actions on the frame: the verdict, and with XDP_PASS the
 * counter of the reason in *reason.  A global function, verified once. */
__attribute__((noinline)) int ovsx_act(struct xdp_md *ctx,
				       const struct ovsx_actions *a,
				       const struct ovsx_parsed *pp,
				       const struct ovsx_port *port,
				       __u32 *reason)
{
	struct frame f = {
		.data = (void *)(long)ctx->data,
		.end = (void *)(long)ctx->data_end,
	};
	struct act_prep prep = {0};

	if (!a || !pp || !port || !reason)
		return XDP_ABORTED;
	*reason = check_actions(&f, a, &pp->key, &pp->hdrs, port, &prep);
	if (*reason != OVSX_GO)
		return XDP_PASS;
	if (a->out_kind == OVSX_OUT_DROP)
		return XDP_DROP;
	return execute_actions(ctx, a, pp, &prep, reason);
}

#endif
