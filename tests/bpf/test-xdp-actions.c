/* The XDP program's ops and outputs against net/openvswitch/actions.c:
 * every op alone and in sequence, output bytes compared with frames built
 * from scratch with the expected fields (checksums recomputed, not
 * updated), the UDP 0/0xffff corner cases, every output kind, and every
 * precondition that must leave the frame to the kernel untouched. */
#include "xdp-test.h"

/* A frame described by its fields, so that the expected output is built by
 * the same code with other values. */
struct spec {
	const uint8_t *dst, *src;
	int tags;
	uint16_t tpid[3], tci[3];
	bool v6;
	uint32_t saddr, daddr; /* IPv4 */
	const uint8_t *saddr6, *daddr6;
	uint8_t tos, ttl;
	uint32_t label;
	uint16_t frag;	 /* IPv4 frag_off field; IPv6: offset << 3 | M */
	bool v6_frag;	 /* IPv6: add a fragment header */
	uint8_t rh_left; /* IPv6: add a routing header, segments left */
	uint8_t proto;
	uint16_t sport, dport; /* ICMP: type, code */
	size_t payload;
	bool udp_no_csum;
};

static struct spec v4_tcp(void)
{
	struct spec s = {
		.dst = mac_b,
		.src = mac_a,
		.saddr = IP_A,
		.daddr = IP_B,
		.tos = 0x28,
		.ttl = 64,
		.proto = IPPROTO_TCP,
		.sport = 40000,
		.dport = 80,
		.payload = 37,
	};

	return s;
}

static struct spec v6_tcp(void)
{
	struct spec s = v4_tcp();

	s.v6 = true;
	s.saddr6 = ip6_a;
	s.daddr6 = ip6_b;
	s.label = 0x12345;
	return s;
}

static void build(struct pkt *p, const struct spec *s)
{
	pkt_eth(p, s->dst, s->src);
	for (int i = 0; i < s->tags; i++)
		pkt_vlan(p, s->tpid[i], s->tci[i]);
	if (s->v6) {
		pkt_ipv6(p, s->saddr6, s->daddr6);
		put32(p->b + p->l3,
		      0x60000000u | (uint32_t)s->tos << 20 | s->label);
		p->b[p->l3 + 7] = s->ttl;
		if (s->rh_left) {
			int at = (int)p->len;

			pkt_ipv6_ext(p, IPPROTO_ROUTING, 24);
			p->b[at + 3] = s->rh_left;
		}
		if (s->v6_frag)
			pkt_ipv6_frag(p, s->frag >> 3, s->frag & 1);
	} else {
		pkt_ipv4(p, s->saddr, s->daddr);
		p->b[p->l3 + 1] = s->tos;
		p->b[p->l3 + 8] = s->ttl;
		put16(p->b + p->l3 + 6, s->frag);
	}
	/* A later fragment carries data, not a transport header. */
	if ((s->v6 ? s->frag >> 3 : s->frag & 0x1fff) != 0) {
		pkt_proto(p, s->proto);
		pkt_payload(p, 20 + s->payload);
	} else {
		switch (s->proto) {
		case IPPROTO_TCP:
			pkt_tcp(p, s->sport, s->dport, 0x018);
			break;
		case IPPROTO_UDP:
			pkt_udp(p, s->sport, s->dport);
			break;
		case IPPROTO_ICMP:
			pkt_icmp(p, (uint8_t)s->sport, (uint8_t)s->dport);
			break;
		case IPPROTO_ICMPV6:
			pkt_icmp6(p, (uint8_t)s->sport, (uint8_t)s->dport);
			break;
		default:
			pkt_proto(p, s->proto);
		}
		pkt_payload(p, s->payload);
	}
	p->udp_no_csum = s->udp_no_csum;
	pkt_finish(p);
}

/* Installs a catch-all flow with these actions (matching is tested in
 * test-xdp-parse.c); returns its slot. */
static int flow(const struct ovsx_actions *a)
{
	struct ovsx_key zero = mask_none();

	return fixture_add_flow(fx_instance, &zero, &zero, a);
}

static struct ovsx_actions tx_with(const uint8_t *ops, size_t n)
{
	struct ovsx_actions a = act_out(OVSX_OUT_TX);

	memcpy(a.ops, ops, n);
	return a;
}

/* Input from 'in', ops, XDP_TX, output equal to a frame built from 'out'. */
static bool expect_tx_(const char *file, int line, const struct spec *in,
		       const struct ovsx_actions *a, const struct spec *out)
{
	struct pkt p, want;

	build(&p, in);
	build(&want, out);
	fx();
	flow(a);
	return expect_run_(file, line, &p, XDP_TX, &want);
}
#define EXPECT_TX(in, a, out) expect_tx_(__FILE__, __LINE__, (in), (a), (out))

static const uint8_t OP_ETH[] = {OVSX_OP_SET_ETH};
static const uint8_t OP_IP4[] = {OVSX_OP_SET_IPV4};
static const uint8_t OP_IP6[] = {OVSX_OP_SET_IPV6};
static const uint8_t OP_TP[] = {OVSX_OP_SET_TP};
static const uint8_t OP_PUSH[] = {OVSX_OP_PUSH_VLAN};
static const uint8_t OP_POP[] = {OVSX_OP_POP_VLAN};
static const uint8_t OP_TTL[] = {OVSX_OP_DEC_TTL};

/* ---- SET_ETH --------------------------------------------------------- */

TEST(set_eth_masked)
{
	struct ovsx_actions a = tx_with(OP_ETH, 1);
	struct spec in = v4_tcp(), out = in;
	static const uint8_t src_new[6] = {0x02, 0, 0, 0, 0, 0x07};

	/* dst fully replaced; src: only the last byte's low nibble. */
	memcpy(a.eth.dst, mac_c, 6);
	memset(a.eth.dst_mask, 0xff, 6);
	a.eth.src[5] = 0x07;
	a.eth.src_mask[5] = 0x0f;
	out.dst = mac_c;
	out.src = src_new;
	EXPECT_TX(&in, &a, &out);
}

/* ---- SET_IPV4 -------------------------------------------------------- */

static struct ovsx_actions set_ipv4(uint32_t src, uint32_t src_mask,
				    uint32_t dst, uint32_t dst_mask)
{
	struct ovsx_actions a = tx_with(OP_IP4, 1);

	a.l3.ipv4.src = htonl(src);
	a.l3.ipv4.src_mask = htonl(src_mask);
	a.l3.ipv4.dst = htonl(dst);
	a.l3.ipv4.dst_mask = htonl(dst_mask);
	return a;
}

TEST(set_ipv4_addresses_fix_ip_and_l4_checksums)
{
	static const uint8_t protos[] = {IPPROTO_TCP, IPPROTO_UDP, IPPROTO_ICMP,
					 IPPROTO_GRE, IPPROTO_SCTP};
	struct ovsx_actions a =
		set_ipv4(IP_C, 0xffffffff, 0x01020304, 0xffffffff);

	for (size_t i = 0; i < sizeof(protos); i++) {
		struct spec in = v4_tcp(), out;

		in.proto = protos[i];
		if (in.proto == IPPROTO_SCTP)
			in.proto = 99; /* no L4 checksum of ours to compare */
		out = in;
		out.saddr = IP_C;
		out.daddr = 0x01020304;
		EXPECT_TX(&in, &a, &out);
	}
}

TEST(set_ipv4_masked_address_and_unchanged_address)
{
	struct ovsx_actions a = set_ipv4(0x000000c8, 0x000000ff, 0, 0);
	struct spec in = v4_tcp(), out = in;

	/* Only the last octet of the source. */
	out.saddr = (IP_A & 0xffffff00) | 0xc8;
	EXPECT_TX(&in, &a, &out);
	/* Writing the address it already has changes no byte. */
	a = set_ipv4(IP_A, 0xffffffff, IP_B, 0xffff0000);
	EXPECT_TX(&in, &a, &in);
}

TEST(set_ipv4_udp_checksum_rules)
{
	struct ovsx_actions a = set_ipv4(IP_C, 0xffffffff, 0, 0);
	struct spec in = v4_tcp(), out;
	struct pkt p, want;

	in.proto = IPPROTO_UDP;
	out = in;
	out.saddr = IP_C;
	EXPECT_TX(&in, &a, &out);

	/* 0 means no checksum, and stays 0. */
	in.udp_no_csum = out.udp_no_csum = true;
	EXPECT_TX(&in, &a, &out);

	/* A result of 0 goes out as 0xffff (CSUM_MANGLED_0). */
	in.udp_no_csum = out.udp_no_csum = false;
	build(&want, &out);
	pkt_force_l4_csum(&want, (size_t)want.l4 + 8, 0);
	CHECK_INT(pkt_l4_check(&want), 0xffff);
	build(&p, &in);
	memcpy(p.b + p.l4 + 8, want.b + want.l4 + 8, 2);
	pkt_finish(&p);
	fx();
	flow(&a);
	EXPECT_RUN(&p, XDP_TX, &want);

	/* An input checksum of 0xffff (a computed 0) updates correctly. */
	build(&p, &in);
	pkt_force_l4_csum(&p, (size_t)p.l4 + 8, 0);
	CHECK_INT(pkt_l4_check(&p), 0xffff);
	build(&want, &out);
	memcpy(want.b + want.l4 + 8, p.b + p.l4 + 8, 2);
	pkt_finish(&want);
	EXPECT_RUN(&p, XDP_TX, &want);
}

TEST(set_ipv4_tcp_checksum_may_become_zero)
{
	struct ovsx_actions a = set_ipv4(IP_C, 0xffffffff, 0, 0);
	struct spec in = v4_tcp(), out = in;
	struct pkt p, want;

	out.saddr = IP_C;
	build(&want, &out);
	pkt_force_l4_csum(&want, (size_t)want.l4 + 20, 0);
	CHECK_INT(pkt_l4_check(&want), 0);
	build(&p, &in);
	memcpy(p.b + p.l4 + 20, want.b + want.l4 + 20, 2);
	pkt_finish(&p);
	fx();
	flow(&a);
	EXPECT_RUN(&p, XDP_TX, &want);
}

TEST(set_ipv4_fragments)
{
	struct ovsx_actions a = set_ipv4(IP_C, 0xffffffff, 0, 0);
	struct spec in = v4_tcp(), out;

	/* First fragment: the TCP checksum follows (for the datagram). */
	in.frag = 0x2000;
	out = in;
	out.saddr = IP_C;
	EXPECT_TX(&in, &a, &out);
	/* Later fragment: only the IP header changes. */
	in.frag = 0x2000 | 100;
	out = in;
	out.saddr = IP_C;
	EXPECT_TX(&in, &a, &out);
}

TEST(set_ipv4_tos_and_ttl)
{
	struct ovsx_actions a = tx_with(OP_IP4, 1);
	struct spec in = v4_tcp(), out = in;

	/* DSCP 46 over DSCP 10, ECN kept; TTL to 9. */
	in.tos = 0x2b;
	a.l3.ipv4.tos = 0xb8;
	a.l3.ipv4.tos_mask = 0xfc;
	a.l3.ipv4.ttl = 9;
	a.l3.ipv4.ttl_mask = 0xff;
	out.tos = 0xbb;
	out.ttl = 9;
	EXPECT_TX(&in, &a, &out);
	/* A TOS mask writing the same value: bytes unchanged. */
	a.l3.ipv4.tos = 0x28;
	a.l3.ipv4.ttl = 64;
	in.tos = 0x28;
	EXPECT_TX(&in, &a, &in);
}

static uint32_t rnd(uint32_t *x)
{
	*x = *x * 1103515245 + 12345;
	return *x >> 8;
}

/* Random frames and rewrites against from-scratch checksums. */
TEST(set_ipv4_and_ports_random)
{
	uint32_t x = 12345;
	bool ok = true;

#define RND() rnd(&x)
	for (int i = 0; i < 300 && ok; i++) {
		struct ovsx_actions a = tx_with(OP_IP4, 1);
		struct spec in = v4_tcp(), out;
		uint32_t sm = RND(), dm = RND();

		in.proto = RND() & 1 ? IPPROTO_TCP : IPPROTO_UDP;
		sm |= RND() << 24;
		dm |= RND() << 24;
		in.saddr = RND() << 8;
		in.saddr ^= RND();
		in.daddr = RND() << 8;
		in.daddr ^= RND();
		in.sport = (uint16_t)RND();
		in.dport = (uint16_t)RND();
		in.tos = (uint8_t)RND();
		in.ttl = (uint8_t)(RND() | 1);
		in.payload = RND() % 200;
		out = in;
		a.l3.ipv4.src = htonl(RND() & sm);
		a.l3.ipv4.src_mask = htonl(sm);
		a.l3.ipv4.dst = htonl(RND() & dm);
		a.l3.ipv4.dst_mask = htonl(dm);
		a.l3.ipv4.tos_mask = (uint8_t)RND();
		a.l3.ipv4.tos = (uint8_t)RND() & a.l3.ipv4.tos_mask;
		out.saddr = ntohl(a.l3.ipv4.src) | (in.saddr & ~sm);
		out.daddr = ntohl(a.l3.ipv4.dst) | (in.daddr & ~dm);
		out.tos = a.l3.ipv4.tos | (in.tos & ~a.l3.ipv4.tos_mask);
		a.ops[1] = OVSX_OP_SET_TP;
		a.l4 = in.proto == IPPROTO_TCP ? OVSX_L4_TCP : OVSX_L4_UDP;
		a.tp.src = htons((uint16_t)RND());
		a.tp.src_mask = htons(0xffff);
		out.sport = ntohs(a.tp.src);
		a.tp.dst_mask = htons((uint16_t)RND());
		a.tp.dst = htons((uint16_t)RND()) & a.tp.dst_mask;
		out.dport = (uint16_t)(ntohs(a.tp.dst) |
				       (in.dport & ~ntohs(a.tp.dst_mask)));
		ok = EXPECT_TX(&in, &a, &out);
	}
#undef RND
}

TEST(set_ipv6_random)
{
	uint32_t x = 777;
	bool ok = true;

#define RND() rnd(&x)
	for (int i = 0; i < 200 && ok; i++) {
		struct ovsx_actions a = tx_with(OP_IP6, 1);
		struct spec in = v6_tcp(), out;
		uint8_t src[16], dst[16], nsrc[16], ndst[16];
		uint8_t *v = (uint8_t *)a.l3.ipv6.src;
		uint8_t *m = (uint8_t *)a.l3.ipv6.src_mask;

		for (int j = 0; j < 16; j++) {
			src[j] = (uint8_t)RND();
			dst[j] = (uint8_t)RND();
			m[j] = (uint8_t)RND();
			if (m[j] & 1)
				m[j] = 0;
			v[j] = (uint8_t)RND() & m[j];
			nsrc[j] = v[j] | (src[j] & ~m[j]);
			((uint8_t *)a.l3.ipv6.dst_mask)[j] = (uint8_t)RND();
			((uint8_t *)a.l3.ipv6.dst)[j] =
				(uint8_t)RND() &
				((uint8_t *)a.l3.ipv6.dst_mask)[j];
			ndst[j] =
				((uint8_t *)a.l3.ipv6.dst)[j] |
				(dst[j] & ~((uint8_t *)a.l3.ipv6.dst_mask)[j]);
		}
		in.proto = (uint8_t[]){IPPROTO_TCP, IPPROTO_UDP,
				       IPPROTO_ICMPV6}[RND() % 3];
		in.saddr6 = src;
		in.daddr6 = dst;
		in.payload = RND() % 300;
		out = in;
		out.saddr6 = nsrc;
		out.daddr6 = ndst;
		ok = EXPECT_TX(&in, &a, &out);
	}
#undef RND
}

/* ---- SET_TP ---------------------------------------------------------- */

static struct ovsx_actions set_tp(uint8_t l4, uint16_t src, uint16_t src_mask,
				  uint16_t dst, uint16_t dst_mask)
{
	struct ovsx_actions a = tx_with(OP_TP, 1);

	a.l4 = l4;
	a.tp.src = htons(src);
	a.tp.src_mask = htons(src_mask);
	a.tp.dst = htons(dst);
	a.tp.dst_mask = htons(dst_mask);
	return a;
}

TEST(set_tcp_and_udp_ports)
{
	struct ovsx_actions a =
		set_tp(OVSX_L4_TCP, 1234, 0xffff, 0x00aa, 0x00ff);
	struct spec in = v4_tcp(), out = in;

	out.sport = 1234;
	out.dport = (80 & 0xff00) | 0xaa;
	EXPECT_TX(&in, &a, &out);
	in = v6_tcp();
	out = in;
	out.sport = 1234;
	out.dport = (80 & 0xff00) | 0xaa;
	EXPECT_TX(&in, &a, &out);

	a.l4 = OVSX_L4_UDP;
	in = v4_tcp();
	in.proto = IPPROTO_UDP;
	out = in;
	out.sport = 1234;
	out.dport = (80 & 0xff00) | 0xaa;
	EXPECT_TX(&in, &a, &out);
	/* No checksum: the ports change, the 0 stays. */
	in.udp_no_csum = out.udp_no_csum = true;
	EXPECT_TX(&in, &a, &out);
}

TEST(set_udp_port_result_zero_becomes_ffff)
{
	struct ovsx_actions a = set_tp(OVSX_L4_UDP, 999, 0xffff, 0, 0);
	struct spec in = v4_tcp(), out;
	struct pkt p, want;

	in.proto = IPPROTO_UDP;
	out = in;
	out.sport = 999;
	build(&want, &out);
	pkt_force_l4_csum(&want, (size_t)want.l4 + 8, 0);
	CHECK_INT(pkt_l4_check(&want), 0xffff);
	build(&p, &in);
	memcpy(p.b + p.l4 + 8, want.b + want.l4 + 8, 2);
	pkt_finish(&p);
	fx();
	flow(&a);
	EXPECT_RUN(&p, XDP_TX, &want);
}

TEST(set_tp_refused_on_other_protocols)
{
	struct ovsx_actions a = set_tp(OVSX_L4_TCP, 1, 0xffff, 0, 0);
	struct spec s = v4_tcp();
	struct pkt p;

	s.proto = IPPROTO_UDP;
	build(&p, &s);
	fx();
	flow(&a);
	EXPECT_PASS(&p, OVSX_CTR_PASS_UNPARSED);
	/* A later fragment has no ports to set. */
	s = v4_tcp();
	s.frag = 200;
	build(&p, &s);
	EXPECT_PASS(&p, OVSX_CTR_PASS_UNPARSED);
}

/* ---- SET_IPV6 -------------------------------------------------------- */

static struct ovsx_actions set_ipv6_addrs(const uint8_t *src,
					  const uint8_t *dst)
{
	struct ovsx_actions a = tx_with(OP_IP6, 1);

	if (src) {
		memcpy(a.l3.ipv6.src, src, 16);
		memset(a.l3.ipv6.src_mask, 0xff, 16);
	}
	if (dst) {
		memcpy(a.l3.ipv6.dst, dst, 16);
		memset(a.l3.ipv6.dst_mask, 0xff, 16);
	}
	return a;
}

TEST(set_ipv6_addresses_fix_tcp_udp_icmpv6_checksums)
{
	static const uint8_t protos[] = {IPPROTO_TCP, IPPROTO_UDP,
					 IPPROTO_ICMPV6, IPPROTO_GRE};
	struct ovsx_actions a = set_ipv6_addrs(ip6_c, ip6_a);

	for (size_t i = 0; i < sizeof(protos); i++) {
		struct spec in = v6_tcp(), out;

		in.proto = protos[i];
		if (in.proto == IPPROTO_ICMPV6)
			in.sport = 128;
		out = in;
		out.saddr6 = ip6_c;
		out.daddr6 = ip6_a;
		EXPECT_TX(&in, &a, &out);
	}
}

TEST(set_ipv6_masked_address_udp_zero_and_first_fragment)
{
	struct ovsx_actions a = tx_with(OP_IP6, 1);
	struct spec in = v6_tcp(), out;
	uint8_t masked[16];

	/* The low 64 bits of the source only. */
	memcpy(a.l3.ipv6.src, ip6_c, 16);
	memset(a.l3.ipv6.src, 0, 8);
	memset((uint8_t *)a.l3.ipv6.src_mask + 8, 0xff, 8);
	memcpy(masked, ip6_a, 8);
	memcpy(masked + 8, ip6_c + 8, 8);
	out = in;
	out.saddr6 = masked;
	EXPECT_TX(&in, &a, &out);

	in.proto = out.proto = IPPROTO_UDP;
	in.udp_no_csum = out.udp_no_csum = true;
	EXPECT_TX(&in, &a, &out);

	in = v6_tcp();
	in.v6_frag = true;
	in.frag = 1; /* offset 0, more fragments */
	out = in;
	out.saddr6 = masked;
	EXPECT_TX(&in, &a, &out);
}

TEST(set_ipv6_dst_with_segments_left_keeps_l4_checksum)
{
	struct ovsx_actions a = set_ipv6_addrs(NULL, ip6_c);
	struct spec in = v6_tcp(), out;
	struct pkt p, want;

	/* Segments left: the pseudo-header has the final destination. */
	in.rh_left = 2;
	build(&p, &in);
	want = p;
	memcpy(want.b + want.l3 + 24, ip6_c, 16);
	fx();
	flow(&a);
	EXPECT_RUN(&p, XDP_TX, &want);
	/* None left: the checksum follows. */
	in.rh_left = 0;
	out = in;
	out.daddr6 = ip6_c;
	EXPECT_TX(&in, &a, &out);
	/* The source is in the pseudo-header either way. */
	a = set_ipv6_addrs(ip6_c, NULL);
	in.rh_left = 1;
	out = in;
	out.saddr6 = ip6_c;
	EXPECT_TX(&in, &a, &out);
}

TEST(set_ipv6_later_fragment_keeps_payload)
{
	struct ovsx_actions a = set_ipv6_addrs(ip6_c, NULL);
	struct spec in = v6_tcp(), out;

	in.v6_frag = true;
	in.frag = 50 << 3 | 1;
	out = in;
	out.saddr6 = ip6_c;
	EXPECT_TX(&in, &a, &out);
}

TEST(set_ipv6_tclass_label_hlimit)
{
	struct ovsx_actions a = tx_with(OP_IP6, 1);
	struct spec in = v6_tcp(), out = in;

	in.tos = 0x2b;
	a.l3.ipv6.tclass = 0xb8;
	a.l3.ipv6.tclass_mask = 0xfc;
	a.l3.ipv6.label = htonl(0x000ab);
	a.l3.ipv6.label_mask = htonl(0x000ff);
	a.l3.ipv6.hlimit = 1;
	a.l3.ipv6.hlimit_mask = 0xff;
	out.tos = 0xbb;
	out.label = 0x123ab;
	out.ttl = 1;
	EXPECT_TX(&in, &a, &out);
}

TEST(set_ip_refused_on_the_other_family)
{
	struct ovsx_actions a4 = set_ipv4(IP_C, 0xffffffff, 0, 0);
	struct ovsx_actions a6 = set_ipv6_addrs(ip6_c, NULL);
	struct spec s4 = v4_tcp(), s6 = v6_tcp();
	struct pkt p;

	build(&p, &s6);
	fx();
	flow(&a4);
	EXPECT_PASS(&p, OVSX_CTR_PASS_UNPARSED);
	build(&p, &s4);
	fx();
	flow(&a6);
	EXPECT_PASS(&p, OVSX_CTR_PASS_UNPARSED);
}

/* ---- VLAN ------------------------------------------------------------ */

static struct ovsx_actions push(uint16_t tpid, uint16_t tci)
{
	struct ovsx_actions a = tx_with(OP_PUSH, 1);

	a.vlan[0].tpid = htons(tpid);
	a.vlan[0].tci = htons(tci);
	return a;
}

TEST(push_vlan_becomes_the_outermost_tag)
{
	struct ovsx_actions a = push(ETH_P_8021Q, 0x2064);
	struct spec in = v4_tcp(), out = in;

	out.tags = 1;
	out.tpid[0] = ETH_P_8021Q;
	out.tci[0] = 0x2064;
	EXPECT_TX(&in, &a, &out);

	in = out;
	a = push(ETH_P_8021AD, 0x0fff);
	out.tags = 2;
	out.tpid[0] = ETH_P_8021AD;
	out.tci[0] = 0x0fff;
	out.tpid[1] = ETH_P_8021Q;
	out.tci[1] = 0x2064;
	EXPECT_TX(&in, &a, &out);

	/* Two pushes: the second one ends up outside. */
	in = v4_tcp();
	a.ops[0] = a.ops[1] = OVSX_OP_PUSH_VLAN;
	a.vlan[0].tpid = htons(ETH_P_8021Q);
	a.vlan[0].tci = htons(0x2064);
	a.vlan[1].tpid = htons(ETH_P_8021AD);
	a.vlan[1].tci = htons(0x0fff);
	EXPECT_TX(&in, &a, &out);
}

TEST(pop_vlan_removes_the_outermost_tag_or_nothing)
{
	struct ovsx_actions a = tx_with(OP_POP, 1);
	struct spec in = v4_tcp(), out = in;

	in.tags = 2;
	in.tpid[0] = ETH_P_8021AD;
	in.tci[0] = 100;
	in.tpid[1] = ETH_P_8021Q;
	in.tci[1] = 200;
	out.tags = 1;
	out.tpid[0] = ETH_P_8021Q;
	out.tci[0] = 200;
	EXPECT_TX(&in, &a, &out);
	in = out;
	out.tags = 0;
	EXPECT_TX(&in, &a, &out);
	/* skb_vlan_pop() of an untagged frame does nothing. */
	EXPECT_TX(&out, &a, &out);
	/* Two pops of a double tag; a third finds nothing. */
	in.tags = 2;
	in.tpid[0] = ETH_P_8021AD;
	in.tci[0] = 100;
	in.tpid[1] = ETH_P_8021Q;
	in.tci[1] = 200;
	a.ops[1] = a.ops[2] = OVSX_OP_POP_VLAN;
	EXPECT_TX(&in, &a, &out);
}

/* ---- DEC_TTL --------------------------------------------------------- */

TEST(dec_ttl_ipv4_and_ipv6)
{
	struct ovsx_actions a = tx_with(OP_TTL, 1);
	struct spec in = v4_tcp(), out = in;

	out.ttl = 63;
	EXPECT_TX(&in, &a, &out);
	in.ttl = 2;
	out.ttl = 1;
	EXPECT_TX(&in, &a, &out);
	in = v6_tcp();
	out = in;
	out.ttl = 63;
	EXPECT_TX(&in, &a, &out);
	/* One tag: skb->protocol is still IP. */
	in = v4_tcp();
	in.tags = 1;
	in.tpid[0] = ETH_P_8021Q;
	in.tci[0] = 7;
	out = in;
	out.ttl = 63;
	EXPECT_TX(&in, &a, &out);
}

TEST(dec_ttl_at_1_or_below_passes)
{
	struct ovsx_actions a = tx_with(OP_TTL, 1);
	struct spec s = v4_tcp();
	struct pkt p;

	fx();
	flow(&a);
	for (int ttl = 0; ttl <= 1; ttl++) {
		s.ttl = (uint8_t)ttl;
		build(&p, &s);
		EXPECT_PASS(&p, OVSX_CTR_PASS_TTL);
		s.v6 = true;
		s.saddr6 = ip6_a;
		s.daddr6 = ip6_b;
		build(&p, &s);
		EXPECT_PASS(&p, OVSX_CTR_PASS_TTL);
		s = v4_tcp();
	}
	/* The TTL as earlier ops leave it: set to 2, then two decrements. */
	a.ops[0] = OVSX_OP_SET_IPV4;
	a.ops[1] = a.ops[2] = OVSX_OP_DEC_TTL;
	a.l3.ipv4.ttl = 2;
	a.l3.ipv4.ttl_mask = 0xff;
	fx();
	flow(&a);
	build(&p, &s);
	EXPECT_PASS(&p, OVSX_CTR_PASS_TTL);
}

TEST(dec_ttl_non_ip_is_nothing_double_tag_passes)
{
	struct ovsx_actions a = tx_with(OP_TTL, 1);
	struct spec s = v4_tcp();
	struct pkt p;

	/* execute_dec_ttl() ignores what is not IP. */
	pkt_eth(&p, mac_b, mac_a);
	pkt_ethertype(&p, 0x88cc);
	pkt_payload(&p, 46);
	fx();
	flow(&a);
	EXPECT_RUN(&p, XDP_TX, &p);
	/* Two tags: skb->protocol is a TPID there, not modelled. */
	s.tags = 2;
	s.tpid[0] = ETH_P_8021AD;
	s.tpid[1] = ETH_P_8021Q;
	build(&p, &s);
	EXPECT_PASS(&p, OVSX_CTR_PASS_UNPARSED);
}

/* ---- sequences ------------------------------------------------------- */

TEST(sequences_of_ops)
{
	struct ovsx_actions a = act_out(OVSX_OUT_TX);
	struct spec in = v4_tcp(), out;

	/* set_eth, then push: the MACs move with the header. */
	a.ops[0] = OVSX_OP_SET_ETH;
	a.ops[1] = OVSX_OP_PUSH_VLAN;
	memcpy(a.eth.dst, mac_c, 6);
	memset(a.eth.dst_mask, 0xff, 6);
	a.vlan[0].tpid = htons(ETH_P_8021Q);
	a.vlan[0].tci = htons(42);
	out = in;
	out.dst = mac_c;
	out.tags = 1;
	out.tpid[0] = ETH_P_8021Q;
	out.tci[0] = 42;
	EXPECT_TX(&in, &a, &out);

	/* push, then set_eth and set_ipv4 and dec_ttl: the headers moved. */
	a.ops[0] = OVSX_OP_PUSH_VLAN;
	a.ops[1] = OVSX_OP_SET_ETH;
	a.ops[2] = OVSX_OP_SET_IPV4;
	a.ops[3] = OVSX_OP_DEC_TTL;
	a.l3.ipv4.dst = htonl(IP_C);
	a.l3.ipv4.dst_mask = htonl(0xffffffff);
	out.daddr = IP_C;
	out.ttl = 63;
	EXPECT_TX(&in, &a, &out);

	/* pop, then set_ipv4 and set_tp on what was a tagged frame. */
	memset(a.ops, 0, sizeof(a.ops));
	a.ops[0] = OVSX_OP_POP_VLAN;
	a.ops[1] = OVSX_OP_SET_IPV4;
	a.ops[2] = OVSX_OP_SET_TP;
	a.l4 = OVSX_L4_TCP;
	a.tp.dst = htons(8080);
	a.tp.dst_mask = htons(0xffff);
	in.tags = 1;
	in.tpid[0] = ETH_P_8021Q;
	in.tci[0] = 3;
	out = in;
	out.tags = 0;
	out.daddr = IP_C;
	out.dport = 8080;
	EXPECT_TX(&in, &a, &out);

	/* pop and push: a retag. */
	memset(a.ops, 0, sizeof(a.ops));
	a.ops[0] = OVSX_OP_POP_VLAN;
	a.ops[1] = OVSX_OP_PUSH_VLAN;
	out = in;
	out.tci[0] = 42;
	EXPECT_TX(&in, &a, &out);
}

TEST(l3_rewrite_after_push_onto_a_tag_passes)
{
	struct ovsx_actions a = act_out(OVSX_OUT_TX);
	struct spec s = v4_tcp();
	struct pkt p;

	/* skb_vlan_push() on a tagged skb moves the network header into
	 * the inner tag: not modelled. */
	a.ops[0] = OVSX_OP_PUSH_VLAN;
	a.ops[1] = OVSX_OP_SET_IPV4;
	a.vlan[0].tpid = htons(ETH_P_8021Q);
	a.l3.ipv4.ttl_mask = 0xff;
	s.tags = 1;
	s.tpid[0] = ETH_P_8021Q;
	build(&p, &s);
	fx();
	flow(&a);
	EXPECT_PASS(&p, OVSX_CTR_PASS_UNPARSED);
	/* More pushes than the actions have tags for. */
	memset(a.ops, OVSX_OP_PUSH_VLAN, 3);
	fx();
	flow(&a);
	EXPECT_PASS(&p, OVSX_CTR_PASS_UNPARSED);
	/* An op this program does not know. */
	memset(a.ops, 0, sizeof(a.ops));
	a.ops[0] = 99;
	fx();
	flow(&a);
	EXPECT_PASS(&p, OVSX_CTR_PASS_UNPARSED);
}

/* ---- outputs and preconditions --------------------------------------- */

TEST(outputs_drop_tx_redirect_group)
{
	struct ovsx_actions a = act_out(OVSX_OUT_DROP);
	struct spec s = v4_tcp();
	uint32_t lo = FIXTURE_IFINDEX;
	struct pkt p;
	uint64_t n;

	build(&p, &s);
	fx();
	flow(&a);
	n = fixture_counter(fx_instance, OVSX_CTR_DROP);
	EXPECT_RUN(&p, XDP_DROP, NULL);
	CHECK_INT(fixture_counter(fx_instance, OVSX_CTR_DROP), n + 1);

	a = act_out(OVSX_OUT_TX);
	fx();
	flow(&a);
	n = fixture_counter(fx_instance, OVSX_CTR_TX);
	EXPECT_RUN(&p, XDP_TX, &p);
	CHECK_INT(fixture_counter(fx_instance, OVSX_CTR_TX), n + 1);

	/* test_run reports the redirect without sending. */
	a = act_out(OVSX_OUT_REDIRECT);
	a.out_ifindex = lo;
	fx();
	flow(&a);
	CHECK_INT(fixture_add_tx_port(fx_instance, lo), 0);
	n = fixture_counter(fx_instance, OVSX_CTR_REDIRECT);
	EXPECT_RUN(&p, XDP_REDIRECT, &p);
	CHECK_INT(fixture_counter(fx_instance, OVSX_CTR_REDIRECT), n + 1);

	for (uint32_t g = 0; g < OVSX_MAX_GROUPS; g += 5) {
		a = act_out(OVSX_OUT_GROUP);
		a.out_group = g;
		a.out_flags = BPF_F_EXCLUDE_INGRESS;
		fx();
		flow(&a);
		CHECK_INT(fixture_set_group(fx_instance, g, &lo, 1), 0);
		n = fixture_counter(fx_instance, OVSX_CTR_BROADCAST);
		EXPECT_RUN(&p, XDP_REDIRECT, &p);
		CHECK_INT(fixture_counter(fx_instance, OVSX_CTR_BROADCAST),
			  n + 1);
	}
}

TEST(missing_egress_target_passes_unmodified)
{
	struct ovsx_actions a = act_out(OVSX_OUT_REDIRECT);
	struct spec s = v4_tcp();
	struct pkt p;

	/* Ops too: nothing may be written before the target is known. */
	a.ops[0] = OVSX_OP_PUSH_VLAN;
	a.ops[1] = OVSX_OP_DEC_TTL;
	a.vlan[0].tpid = htons(ETH_P_8021Q);
	a.out_ifindex = 4242;
	build(&p, &s);
	fx();
	flow(&a);
	EXPECT_PASS(&p, OVSX_CTR_PASS_NO_TARGET);
	/* Without ops the target is not looked up first: the redirect
	 * itself hands the untouched frame to the kernel. */
	a.ops[0] = OVSX_OP_END;
	fx();
	flow(&a);
	EXPECT_PASS(&p, OVSX_CTR_PASS_NO_TARGET);
	a.out_kind = OVSX_OUT_GROUP;
	a.out_group = OVSX_MAX_GROUPS;
	fx();
	flow(&a);
	EXPECT_PASS(&p, OVSX_CTR_PASS_NO_TARGET);
	a.out_kind = 7;
	fx();
	flow(&a);
	EXPECT_PASS(&p, OVSX_CTR_PASS_NO_TARGET);
}

TEST(frames_longer_than_max_frame_len_pass)
{
	struct ovsx_actions a = tx_with(OP_TTL, 1);
	struct spec s = v4_tcp();
	struct pkt p;

	build(&p, &s);
	a.max_frame_len = (uint32_t)p.len - 1;
	fx();
	flow(&a);
	EXPECT_PASS(&p, OVSX_CTR_PASS_TOO_BIG);
	a.max_frame_len = (uint32_t)p.len;
	fx();
	flow(&a);
	EXPECT_RUN(&p, XDP_TX, NULL);
}

/* ---- checksum verification on ports that may send partial sums ------- */

/* What a CHECKSUM_PARTIAL frame carries: the pseudo-header sum only. */
static void make_partial(struct pkt *p)
{
	put16(p->b + pkt_l4_check_off(p), pkt_l4_partial(p));
}

static void csum_port_with(const struct ovsx_actions *a, uint16_t flags)
{
	fixture_reset(fx_instance);
	fixture_add_port(fx_instance, FIXTURE_IFINDEX, IN_PORT, flags);
	flow(a);
}

static void verify_csum_port_with(const struct ovsx_actions *a)
{
	csum_port_with(a, OVSX_PORT_VERIFY_CSUM);
}

TEST(verify_csum_ports_complete_partial_checksums)
{
	struct ovsx_actions a = act_out(OVSX_OUT_TX);
	struct spec s;
	struct pkt p, partial;

	fx();
	verify_csum_port_with(&a);
	for (int v6 = 0; v6 < 2; v6++) {
		s = v6 ? v6_tcp() : v4_tcp();
		for (int udp = 0; udp < 2; udp++) {
			s.proto = udp ? IPPROTO_UDP : IPPROTO_TCP;
			s.payload = 333;
			build(&p, &s);
			/* A final checksum goes as it is... */
			EXPECT_RUN(&p, XDP_TX, &p);
			/* ...a partial one leaves completed, as the device
			 * would have sent it. */
			partial = p;
			make_partial(&partial);
			CHECK(get16(partial.b + pkt_l4_check_off(&p)) !=
			      get16(p.b + pkt_l4_check_off(&p)));
			EXPECT_RUN(&partial, XDP_TX, &p);
			/* Neither final nor partial: the kernel's. */
			partial.b[pkt_l4_check_off(&p)] ^= 0x40;
			EXPECT_PASS(&partial, OVSX_CTR_PASS_CSUM);
		}
	}
	/* A UDP sum that completes to zero goes out as 0xffff. */
	s = v4_tcp();
	s.proto = IPPROTO_UDP;
	s.payload = 64;
	build(&p, &s);
	pkt_force_l4_csum(&p, (size_t)p.len - 2, 0xffff);
	CHECK_INT(pkt_l4_check(&p), 0xffff);
	partial = p;
	make_partial(&partial);
	EXPECT_RUN(&partial, XDP_TX, &p);
	/* So does a TCP one: skb_checksum_help() writes CSUM_MANGLED_0 for
	 * every protocol, where a TCP stack computing the sum itself would
	 * have written 0x0000. */
	s = v4_tcp();
	s.payload = 64;
	build(&p, &s);
	pkt_force_l4_csum(&p, (size_t)p.len - 2, 0x0000);
	CHECK_INT(pkt_l4_check(&p), 0x0000);
	partial = p;
	make_partial(&partial);
	put16(p.b + pkt_l4_check_off(&p), 0xffff);
	EXPECT_RUN(&partial, XDP_TX, &p);
}

TEST(verify_csum_ports_pass_what_may_hide_a_partial_sum)
{
	struct ovsx_actions a = act_out(OVSX_OUT_TX);
	struct spec s;
	struct pkt p;

	fx();
	verify_csum_port_with(&a);
	/* UDP without a checksum (a tunnel's outer header, whose inner
	 * segment may be partial), SCTP (CRC32c offload), GRE. */
	s = v4_tcp();
	s.proto = IPPROTO_UDP;
	s.udp_no_csum = true;
	build(&p, &s);
	EXPECT_PASS(&p, OVSX_CTR_PASS_CSUM);
	s = v4_tcp();
	s.proto = IPPROTO_SCTP;
	build(&p, &s);
	EXPECT_PASS(&p, OVSX_CTR_PASS_CSUM);
	s = v4_tcp();
	s.proto = 47;
	s.payload = 40;
	build(&p, &s);
	EXPECT_PASS(&p, OVSX_CTR_PASS_CSUM);
	/* ICMP has no offloaded checksum, fragments are complete: as they
	 * are, whatever their sums. */
	s = v4_tcp();
	s.proto = IPPROTO_ICMP;
	build(&p, &s);
	put16(p.b + p.l4 + 2, 0x1234);
	EXPECT_RUN(&p, XDP_TX, &p);
	s = v4_tcp();
	s.frag = 0x2000;
	build(&p, &s);
	make_partial(&p);
	EXPECT_RUN(&p, XDP_TX, &p);
	/* A drop flow drops either way. */
	a = act_out(OVSX_OUT_DROP);
	verify_csum_port_with(&a);
	s = v4_tcp();
	build(&p, &s);
	make_partial(&p);
	EXPECT_RUN(&p, XDP_DROP, NULL);
}

/* A flow that rewrites what the sum covers leaves partial frames to the
 * kernel, which updates a partial sum its own way; Ethernet and TTL
 * rewrites do not touch it. */
TEST(verify_csum_ports_partial_with_rewrites)
{
	struct ovsx_actions a = tx_with(OP_TP, 1);
	struct spec s = v4_tcp(), want;
	struct pkt p, out;

	fx();
	a.l4 = OVSX_L4_TCP;
	a.tp.dst = htons(8080);
	a.tp.dst_mask = 0xffff;
	verify_csum_port_with(&a);
	build(&p, &s);
	make_partial(&p);
	EXPECT_PASS(&p, OVSX_CTR_PASS_CSUM);

	a = tx_with(OP_TTL, 1);
	verify_csum_port_with(&a);
	build(&p, &s);
	want = s;
	want.ttl = s.ttl - 1;
	build(&out, &want);
	make_partial(&p);
	EXPECT_RUN(&p, XDP_TX, &out);
}

/* A tap (or a port in generic mode) may run the program on an skb that
 * keeps CHECKSUM_PARTIAL: a partial sum goes to the kernel uncompleted,
 * a final one is forwarded. */
TEST(partial_to_kernel_ports_pass_partial_checksums)
{
	struct ovsx_actions a = act_out(OVSX_OUT_TX);
	struct spec s;
	struct pkt p, partial;

	fx();
	csum_port_with(&a, OVSX_PORT_VERIFY_CSUM | OVSX_PORT_PARTIAL_TO_KERNEL);
	for (int v6 = 0; v6 < 2; v6++) {
		s = v6 ? v6_tcp() : v4_tcp();
		for (int udp = 0; udp < 2; udp++) {
			s.proto = udp ? IPPROTO_UDP : IPPROTO_TCP;
			s.payload = 333;
			build(&p, &s);
			EXPECT_RUN(&p, XDP_TX, &p);
			partial = p;
			make_partial(&partial);
			EXPECT_PASS(&partial, OVSX_CTR_PASS_CSUM);
		}
	}
}

TEST(verify_csum_all_segment_lengths)
{
	struct ovsx_actions a = act_out(OVSX_OUT_TX);
	int bad = 0;

	fx();
	fixture_add_port(fx_instance, FIXTURE_IFINDEX, IN_PORT,
			 OVSX_PORT_VERIFY_CSUM);
	flow(&a);
	/* Every length up to 1100 bytes of payload (odd, even, each
	 * power-of-two piece), then large ones up to the page limit. */
	for (size_t n = 0; n < 2900 && !bad; n += n < 1100 ? 1 : 97) {
		struct spec s = v4_tcp();
		uint8_t out[OUT_MAX];
		uint32_t out_len = sizeof(out);
		struct pkt p;

		s.proto = n & 1 ? IPPROTO_UDP : IPPROTO_TCP;
		s.payload = n;
		s.v6 = n % 3 == 0;
		s.saddr6 = ip6_a;
		s.daddr6 = ip6_b;
		build(&p, &s);
		if (fixture_run(fx_instance, p.b, p.len, out, &out_len) !=
		    XDP_TX) {
			test_fail(__FILE__, __LINE__, "payload %zu refused", n);
			bad = 1;
		}
		/* Any flipped bit of the segment is caught. */
		p.b[p.len - 1 - n / 2] ^= 0x10;
		out_len = sizeof(out);
		if (fixture_run(fx_instance, p.b, p.len, out, &out_len) !=
		    XDP_PASS) {
			test_fail(__FILE__, __LINE__, "payload %zu accepted",
				  n);
			bad = 1;
		}
	}
	/* Trailing bytes past the IP length (Ethernet padding) are not
	 * part of the segment. */
	{
		struct spec s = v4_tcp();
		struct pkt p;

		s.payload = 0;
		s.proto = IPPROTO_UDP;
		build(&p, &s);
		pkt_bytes(&p, "\x55\x66\x77", 3);
		EXPECT_RUN(&p, XDP_TX, &p);
	}
}

/* ---- statistics -------------------------------------------------------- */

TEST(flow_and_port_statistics)
{
	struct ovsx_actions a = act_out(OVSX_OUT_TX);
	struct ovsx_flow_stats fs;
	struct ovsx_port_stats ps0, ps;
	struct spec s = v4_tcp();
	struct pkt p, q;
	int slot;

	build(&p, &s);
	fx();
	slot = flow(&a);
	fixture_port_stats(fx_instance, IN_PORT, &ps0);
	EXPECT_RUN(&p, XDP_TX, NULL);
	EXPECT_RUN(&p, XDP_TX, NULL);
	/* Another flag set on the second flow packet. */
	q = p;
	q.b[q.l4 + 13] = 0x20; /* URG (SYN, FIN, RST go to the kernel) */
	EXPECT_RUN(&q, XDP_TX, NULL);
	CHECK_INT(fixture_flow_stats(fx_instance, (uint32_t)slot, &fs), 0);
	CHECK_INT(fs.packets, 3);
	CHECK_INT(fs.bytes, 3 * p.len);
	CHECK_INT(ntohs(fs.tcp_flags), 0x038);
	CHECK(fs.used_ns > 0);
	fixture_port_stats(fx_instance, IN_PORT, &ps);
	CHECK_INT(ps.xdp_packets - ps0.xdp_packets, 3);
	CHECK_INT(ps.xdp_bytes - ps0.xdp_bytes, 3 * p.len);
	CHECK_INT(ps.pass_packets - ps0.pass_packets, 0);

	/* A passed frame counts for the port, not for the flow. */
	a.max_frame_len = 1;
	fx();
	slot = flow(&a);
	EXPECT_RUN(&p, XDP_PASS, &p);
	fixture_port_stats(fx_instance, IN_PORT, &ps0);
	CHECK_INT(ps0.pass_packets - ps.pass_packets, 1);
	CHECK_INT(ps0.pass_bytes - ps.pass_bytes, p.len);
	fixture_flow_stats(fx_instance, (uint32_t)slot, &fs);
	CHECK_INT(fs.packets, 0);

	/* Bytes are the frame as received, before a push. */
	a = push(ETH_P_8021Q, 1);
	fx();
	slot = flow(&a);
	EXPECT_RUN(&p, XDP_TX, NULL);
	fixture_flow_stats(fx_instance, (uint32_t)slot, &fs);
	CHECK_INT(fs.bytes, p.len);
}
