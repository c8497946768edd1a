/* The XDP parser against net/openvswitch/flow.c's key_extract(): the key
 * of each kind of frame, field by field (read back through the program's
 * exact-match cache), and every frame the kernel would key in a way the
 * fast path does not model, which must pass unmodified. */
#include "xdp-test.h"

/* ---- Ethernet and VLAN ---------------------------------------------- */

TEST(l2_only_ethertype_keys_macs_and_type)
{
	struct pkt p;
	struct ovsx_key want = key_eth(mac_b, mac_a, 0x88cc);

	fx();
	pkt_eth(&p, mac_b, mac_a);
	pkt_ethertype(&p, 0x88cc);
	pkt_payload(&p, 46);
	EXPECT_KEY(&p, &want);
}

TEST(ethertype_0x600_is_a_type_but_802_2_lengths_pass)
{
	struct pkt p;
	struct ovsx_key want = key_eth(mac_b, mac_a, 0x0600);

	fx();
	pkt_eth(&p, mac_b, mac_a);
	pkt_ethertype(&p, 0x0600);
	pkt_payload(&p, 46);
	EXPECT_KEY(&p, &want);
	for (uint16_t len = 0x0000; len < 0x0600; len += 0x05ff) {
		pkt_eth(&p, mac_b, mac_a);
		pkt_ethertype(&p, len);
		pkt_bytes(&p, "\xaa\xaa\x03\x00\x00\x00\x08\x00", 8);
		pkt_payload(&p, 38);
		EXPECT_UNPARSED(&p);
	}
}

TEST(mpls_and_nsh_pass)
{
	static const uint16_t types[] = {0x8847, 0x8848, 0x894f};
	struct pkt p;

	fx();
	for (size_t i = 0; i < 3; i++) {
		pkt_eth(&p, mac_b, mac_a);
		pkt_ethertype(&p, types[i]);
		pkt_payload(&p, 46);
		EXPECT_UNPARSED(&p);
	}
}

TEST(one_vlan_tag_keyed_with_present_bit)
{
	struct pkt p;
	struct ovsx_key want = key_eth(mac_b, mac_a, 0x88cc);

	fx();
	want.vlan_tpid[0] = htons(ETH_P_8021Q);
	want.vlan_tci[0] = htons(0xa064 | OVSX_VLAN_PRESENT);
	/* With and without DEI on the wire: the kernel ORs in the present
	 * bit, which is the DEI bit, so both key alike. */
	for (int dei = 0; dei < 2; dei++) {
		pkt_eth(&p, mac_b, mac_a);
		pkt_vlan(&p, ETH_P_8021Q, (uint16_t)(0xa064 | dei << 12));
		pkt_ethertype(&p, 0x88cc);
		pkt_payload(&p, 42);
		EXPECT_KEY(&p, &want);
	}
}

TEST(two_vlan_tags_any_tpid_mix)
{
	static const uint16_t tpids[][2] = {{ETH_P_8021AD, ETH_P_8021Q},
					    {ETH_P_8021Q, ETH_P_8021Q},
					    {ETH_P_8021AD, ETH_P_8021AD},
					    {ETH_P_8021Q, ETH_P_8021AD}};
	struct pkt p;

	fx();
	for (size_t i = 0; i < 4; i++) {
		struct ovsx_key want = key_eth(mac_b, mac_a, ETH_P_IP);

		want.vlan_tpid[0] = htons(tpids[i][0]);
		want.vlan_tci[0] = htons(0x0123 | OVSX_VLAN_PRESENT);
		want.vlan_tpid[1] = htons(tpids[i][1]);
		want.vlan_tci[1] = htons(0xe456 | OVSX_VLAN_PRESENT);
		want.nw_src[0] = htonl(IP_A);
		want.nw_dst[0] = htonl(IP_B);
		want.nw_ttl = 64;
		want.nw_proto = IPPROTO_UDP;
		want.tp_src = htons(53);
		want.tp_dst = htons(5353);
		pkt_eth(&p, mac_b, mac_a);
		pkt_vlan(&p, tpids[i][0], 0x0123);
		pkt_vlan(&p, tpids[i][1], 0xe456);
		pkt_ipv4(&p, IP_A, IP_B);
		pkt_udp(&p, 53, 5353);
		pkt_payload(&p, 4);
		pkt_finish(&p);
		EXPECT_KEY(&p, &want);
	}
}

TEST(third_tag_and_truncated_tags_pass)
{
	struct pkt p;

	fx();
	pkt_eth(&p, mac_b, mac_a);
	pkt_vlan(&p, ETH_P_8021AD, 1);
	pkt_vlan(&p, ETH_P_8021Q, 2);
	pkt_vlan(&p, ETH_P_8021Q, 3);
	pkt_ethertype(&p, ETH_P_IP);
	pkt_payload(&p, 40);
	EXPECT_UNPARSED(&p);

	/* A tag without the type after it (frame of 16 bytes, then 20 with
	 * the second tag cut the same way). */
	pkt_eth(&p, mac_b, mac_a);
	pkt_vlan(&p, ETH_P_8021Q, 5);
	EXPECT_UNPARSED(&p);
	pkt_eth(&p, mac_b, mac_a);
	pkt_vlan(&p, ETH_P_8021Q, 5);
	pkt_vlan(&p, ETH_P_8021Q, 6);
	EXPECT_UNPARSED(&p);
	/* 8 more bytes but still no type: a 17-byte frame. */
	pkt_eth(&p, mac_b, mac_a);
	pkt_vlan(&p, ETH_P_8021Q, 5);
	pkt_bytes(&p, "\x08", 1);
	EXPECT_UNPARSED(&p);
}

/* ---- IPv4 ----------------------------------------------------------- */

static void ipv4_frame(struct pkt *p, uint8_t proto)
{
	pkt_eth(p, mac_b, mac_a);
	pkt_ipv4(p, IP_A, IP_B);
	p->b[p->l3 + 1] = 0xb9; /* DSCP 46, ECN 1: the whole byte is keyed */
	p->b[p->l3 + 8] = 17;
	switch (proto) {
	case IPPROTO_TCP:
		pkt_tcp(p, 1000, 80, 0x0f12);
		break;
	case IPPROTO_UDP:
		pkt_udp(p, 53, 5353);
		break;
	case IPPROTO_SCTP:
		pkt_sctp(p, 2905, 2906);
		break;
	case IPPROTO_ICMP:
		pkt_icmp(p, 8, 3);
		break;
	default:
		pkt_proto(p, proto);
	}
	pkt_payload(p, 24);
	pkt_finish(p);
}

static struct ovsx_key ipv4_key(uint8_t proto)
{
	struct ovsx_key k = key_eth(mac_b, mac_a, ETH_P_IP);

	k.nw_src[0] = htonl(IP_A);
	k.nw_dst[0] = htonl(IP_B);
	k.nw_tos = 0xb9;
	k.nw_ttl = 17;
	k.nw_proto = proto;
	return k;
}

TEST(ipv4_tcp_ports_and_12_flag_bits)
{
	struct pkt p;
	struct ovsx_key want = ipv4_key(IPPROTO_TCP);

	fx();
	ipv4_frame(&p, IPPROTO_TCP);
	want.tp_src = htons(1000);
	want.tp_dst = htons(80);
	want.tcp_flags = htons(0x0f12);
	EXPECT_KEY(&p, &want);
}

TEST(ipv4_udp_sctp_icmp_and_other_protocols)
{
	struct pkt p;
	struct ovsx_key want;

	fx();
	ipv4_frame(&p, IPPROTO_UDP);
	want = ipv4_key(IPPROTO_UDP);
	want.tp_src = htons(53);
	want.tp_dst = htons(5353);
	EXPECT_KEY(&p, &want);

	ipv4_frame(&p, IPPROTO_SCTP);
	want = ipv4_key(IPPROTO_SCTP);
	want.tp_src = htons(2905);
	want.tp_dst = htons(2906);
	EXPECT_KEY(&p, &want);

	/* ICMP type and code in the port fields, network order. */
	ipv4_frame(&p, IPPROTO_ICMP);
	want = ipv4_key(IPPROTO_ICMP);
	want.tp_src = htons(8);
	want.tp_dst = htons(3);
	EXPECT_KEY(&p, &want);

	/* GRE, and ICMPv6's number inside IPv4: no transport fields. */
	ipv4_frame(&p, IPPROTO_GRE);
	want = ipv4_key(IPPROTO_GRE);
	EXPECT_KEY(&p, &want);
	ipv4_frame(&p, IPPROTO_ICMPV6);
	want = ipv4_key(IPPROTO_ICMPV6);
	EXPECT_KEY(&p, &want);
}

TEST(ipv4_options_are_skipped)
{
	static const uint8_t opts[8] = {0x01, 0x01, 0x07, 0x07,
					0x04, 0,    0,	  0}; /* NOP, NOP, RR */
	struct pkt p;
	struct ovsx_key want = ipv4_key(IPPROTO_UDP);

	fx();
	pkt_eth(&p, mac_b, mac_a);
	pkt_ipv4(&p, IP_A, IP_B);
	p.b[p.l3 + 1] = 0xb9;
	p.b[p.l3 + 8] = 17;
	pkt_ipv4_opts(&p, opts, sizeof(opts));
	pkt_udp(&p, 53, 5353);
	pkt_payload(&p, 8);
	pkt_finish(&p);
	want.tp_src = htons(53);
	want.tp_dst = htons(5353);
	EXPECT_KEY(&p, &want);
}

static void set_frag(struct pkt *p, uint16_t frag_off)
{
	put16(p->b + p->l3 + 6, frag_off);
	pkt_finish(p);
}

TEST(ipv4_fragments)
{
	struct pkt p;
	struct ovsx_key want = ipv4_key(IPPROTO_TCP);

	fx();
	/* First fragment (MF): the transport fields are there. */
	ipv4_frame(&p, IPPROTO_TCP);
	set_frag(&p, 0x2000);
	want.nw_frag = OVS_FRAG_TYPE_FIRST;
	want.tp_src = htons(1000);
	want.tp_dst = htons(80);
	want.tcp_flags = htons(0x0f12);
	EXPECT_KEY(&p, &want);
	/* DF alone is not a fragment. */
	set_frag(&p, 0x4000);
	want.nw_frag = OVS_FRAG_TYPE_NONE;
	EXPECT_KEY(&p, &want);

	/* Later fragments, with or without MF: no transport fields, even
	 * though bytes that look like a TCP header follow. */
	want = ipv4_key(IPPROTO_TCP);
	want.nw_frag = OVS_FRAG_TYPE_LATER;
	set_frag(&p, 0x2000 | 185);
	EXPECT_KEY(&p, &want);
	set_frag(&p, 1);
	EXPECT_KEY(&p, &want);
}

TEST(ipv4_malformed_headers_pass)
{
	struct pkt p;

	fx();
	/* ihl < 5 */
	ipv4_frame(&p, IPPROTO_UDP);
	p.b[p.l3] = 0x44;
	EXPECT_UNPARSED(&p);
	/* Total length shorter than the header. */
	ipv4_frame(&p, IPPROTO_UDP);
	put16(p.b + p.l3 + 2, 19);
	EXPECT_UNPARSED(&p);
	/* Version 6 under type 0x0800. */
	ipv4_frame(&p, IPPROTO_UDP);
	p.b[p.l3] = 0x65;
	EXPECT_UNPARSED(&p);
	/* Header cut short by the frame end. */
	ipv4_frame(&p, IPPROTO_UDP);
	p.len = (size_t)p.l3 + 19;
	EXPECT_UNPARSED(&p);
	/* ihl says 60 bytes, the frame has 44. */
	ipv4_frame(&p, IPPROTO_UDP);
	p.b[p.l3] = 0x4f;
	p.len = (size_t)p.l3 + 44;
	EXPECT_UNPARSED(&p);
}

TEST(ipv4_truncated_transport_headers_pass)
{
	static const struct {
		uint8_t proto;
		size_t keep; /* bytes of the L4 header left */
	} cases[] = {
		{IPPROTO_TCP, 19}, {IPPROTO_UDP, 7}, {IPPROTO_SCTP, 11},
		{IPPROTO_ICMP, 7}, {IPPROTO_TCP, 0},
	};
	struct pkt p;

	fx();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ipv4_frame(&p, cases[i].proto);
		p.len = (size_t)p.l4 + cases[i].keep;
		EXPECT_UNPARSED(&p);
	}
	/* TCP data offsets below 5 words or past the frame end. */
	ipv4_frame(&p, IPPROTO_TCP);
	p.b[p.l4 + 12] = 4 << 4;
	EXPECT_UNPARSED(&p);
	ipv4_frame(&p, IPPROTO_TCP);
	p.b[p.l4 + 12] = 15 << 4; /* 60 bytes; 44 there */
	EXPECT_UNPARSED(&p);
	/* But a 60-byte TCP header that fits is fine. */
	ipv4_frame(&p, IPPROTO_TCP);
	p.b[p.l4 + 12] = (uint8_t)(11 << 4 | (p.b[p.l4 + 12] & 0xf));
	{
		struct ovsx_key want = ipv4_key(IPPROTO_TCP);

		want.tp_src = htons(1000);
		want.tp_dst = htons(80);
		want.tcp_flags = htons(0x0f12);
		EXPECT_KEY(&p, &want);
	}
}

/* ---- ARP ------------------------------------------------------------ */

static void arp_frame(struct pkt *p, uint16_t type, uint16_t op)
{
	uint8_t arp[28] = {0, 1, 8, 0, 6, 4};

	put16(arp + 6, op);
	memcpy(arp + 8, mac_a, 6);
	put32(arp + 14, IP_A);
	memcpy(arp + 18, mac_c, 6);
	put32(arp + 24, IP_C);
	pkt_eth(p, mac_b, mac_a);
	pkt_ethertype(p, type);
	p->l3 = (int)p->len;
	pkt_bytes(p, arp, sizeof(arp));
	pkt_payload(p, 18);
}

static struct ovsx_key arp_key(uint16_t type, uint8_t op)
{
	struct ovsx_key k = key_eth(mac_b, mac_a, type);

	k.nw_proto = op;
	k.nw_src[0] = htonl(IP_A);
	k.nw_dst[0] = htonl(IP_C);
	memcpy(k.arp_sha, mac_a, 6);
	memcpy(k.arp_tha, mac_c, 6);
	return k;
}

TEST(arp_and_rarp_fields)
{
	struct pkt p;
	struct ovsx_key want;

	fx();
	arp_frame(&p, ETH_P_ARP, 1);
	want = arp_key(ETH_P_ARP, 1);
	EXPECT_KEY(&p, &want);
	arp_frame(&p, ETH_P_ARP, 2);
	want = arp_key(ETH_P_ARP, 2);
	EXPECT_KEY(&p, &want);
	arp_frame(&p, ETH_P_RARP, 3);
	want = arp_key(ETH_P_RARP, 3);
	EXPECT_KEY(&p, &want);
	/* Opcodes above 255 key as 0; 255 itself is kept. */
	arp_frame(&p, ETH_P_ARP, 0x0101);
	want = arp_key(ETH_P_ARP, 0);
	EXPECT_KEY(&p, &want);
	arp_frame(&p, ETH_P_ARP, 0x00ff);
	want = arp_key(ETH_P_ARP, 0xff);
	EXPECT_KEY(&p, &want);
}

TEST(arp_other_than_ethernet_ipv4_or_short_keys_zero_fields)
{
	static const struct {
		int off;
		uint8_t val;
	} spoil[] = {{1, 6}, {2, 0x86}, {4, 8}, {5, 16}};
	struct pkt p;
	struct ovsx_key want = key_eth(mac_b, mac_a, ETH_P_ARP);

	fx();
	for (size_t i = 0; i < 4; i++) {
		arp_frame(&p, ETH_P_ARP, 1);
		p.b[p.l3 + spoil[i].off] = spoil[i].val;
		EXPECT_KEY(&p, &want);
	}
	/* 27 bytes of ARP: arphdr_ok() fails, fields zero, frame keyed. */
	arp_frame(&p, ETH_P_ARP, 1);
	p.len = (size_t)p.l3 + 27;
	EXPECT_KEY(&p, &want);
}

/* ---- IPv6 ----------------------------------------------------------- */

static void ipv6_head(struct pkt *p)
{
	pkt_eth(p, mac_b, mac_a);
	pkt_ipv6(p, ip6_a, ip6_b);
	/* Traffic class 0xb9, flow label 0xabcde. */
	put32(p->b + p->l3, 0x6b9abcde);
	p->b[p->l3 + 7] = 33;
}

static struct ovsx_key ipv6_key(uint8_t proto)
{
	struct ovsx_key k = key_eth(mac_b, mac_a, ETH_P_IPV6);

	memcpy(k.nw_src, ip6_a, 16);
	memcpy(k.nw_dst, ip6_b, 16);
	k.nw_tos = 0xb9;
	k.nw_ttl = 33;
	k.ipv6_label = htonl(0xabcde);
	k.nw_proto = proto;
	return k;
}

TEST(ipv6_tcp_udp_sctp_icmpv6)
{
	struct pkt p;
	struct ovsx_key want;

	fx();
	ipv6_head(&p);
	pkt_tcp(&p, 443, 50000, 0x0018);
	pkt_payload(&p, 16);
	pkt_finish(&p);
	want = ipv6_key(IPPROTO_TCP);
	want.tp_src = htons(443);
	want.tp_dst = htons(50000);
	want.tcp_flags = htons(0x0018);
	EXPECT_KEY(&p, &want);

	ipv6_head(&p);
	pkt_udp(&p, 546, 547);
	pkt_payload(&p, 16);
	pkt_finish(&p);
	want = ipv6_key(IPPROTO_UDP);
	want.tp_src = htons(546);
	want.tp_dst = htons(547);
	EXPECT_KEY(&p, &want);

	ipv6_head(&p);
	pkt_sctp(&p, 7, 9);
	pkt_finish(&p);
	want = ipv6_key(IPPROTO_SCTP);
	want.tp_src = htons(7);
	want.tp_dst = htons(9);
	EXPECT_KEY(&p, &want);

	ipv6_head(&p);
	pkt_icmp6(&p, 128, 0);
	pkt_payload(&p, 8);
	pkt_finish(&p);
	want = ipv6_key(IPPROTO_ICMPV6);
	want.tp_src = htons(128);
	EXPECT_KEY(&p, &want);

	/* ICMP's number inside IPv6: no transport fields. */
	ipv6_head(&p);
	pkt_proto(&p, IPPROTO_ICMP);
	pkt_payload(&p, 8);
	pkt_finish(&p);
	want = ipv6_key(IPPROTO_ICMP);
	EXPECT_KEY(&p, &want);
}

TEST(ipv6_extension_headers_are_walked)
{
	struct pkt p;
	struct ovsx_key want = ipv6_key(IPPROTO_UDP);

	fx();
	want.tp_src = htons(1);
	want.tp_dst = htons(2);
	ipv6_head(&p);
	pkt_ipv6_ext(&p, IPPROTO_HOPOPTS, 8);
	pkt_ipv6_ext(&p, IPPROTO_DSTOPTS, 16);
	pkt_ipv6_ext(&p, IPPROTO_ROUTING, 24); /* segments left 0 */
	pkt_ipv6_ext(&p, IPPROTO_AH, 16);
	pkt_ipv6_ext(&p, IPPROTO_DSTOPTS, 8);
	pkt_udp(&p, 1, 2);
	pkt_payload(&p, 8);
	pkt_finish(&p);
	EXPECT_KEY(&p, &want);

	/* Six is the limit: a seventh header passes. */
	ipv6_head(&p);
	for (int i = 0; i < 6; i++)
		pkt_ipv6_ext(&p, IPPROTO_DSTOPTS, 8);
	pkt_udp(&p, 1, 2);
	pkt_finish(&p);
	EXPECT_KEY(&p, &want);
	ipv6_head(&p);
	for (int i = 0; i < 7; i++)
		pkt_ipv6_ext(&p, IPPROTO_DSTOPTS, 8);
	pkt_udp(&p, 1, 2);
	pkt_finish(&p);
	EXPECT_UNPARSED(&p);

	/* A header cut by the frame end. */
	ipv6_head(&p);
	pkt_ipv6_ext(&p, IPPROTO_HOPOPTS, 16);
	pkt_udp(&p, 1, 2);
	pkt_finish(&p);
	p.len = (size_t)p.l3 + 40 + 12;
	EXPECT_UNPARSED(&p);
}

TEST(ipv6_no_next_header_esp_and_unknown_upper_layers)
{
	struct pkt p;
	struct ovsx_key want;

	fx();
	/* No next header, directly and after a header. */
	ipv6_head(&p);
	pkt_payload(&p, 8);
	pkt_finish(&p);
	want = ipv6_key(IPPROTO_NONE);
	EXPECT_KEY(&p, &want);
	ipv6_head(&p);
	pkt_ipv6_ext(&p, IPPROTO_HOPOPTS, 8);
	pkt_finish(&p);
	EXPECT_KEY(&p, &want);

	/* GRE: keyed without transport fields, as IPv4 does. */
	ipv6_head(&p);
	pkt_proto(&p, IPPROTO_GRE);
	pkt_payload(&p, 8);
	pkt_finish(&p);
	want = ipv6_key(IPPROTO_GRE);
	EXPECT_KEY(&p, &want);

	ipv6_head(&p);
	pkt_proto(&p, IPPROTO_ESP);
	pkt_payload(&p, 16);
	pkt_finish(&p);
	EXPECT_UNPARSED(&p);
}

TEST(ipv6_fragments)
{
	struct pkt p;
	struct ovsx_key want;

	fx();
	/* First fragment: the upper layer and its ports are keyed. */
	ipv6_head(&p);
	pkt_ipv6_ext(&p, IPPROTO_HOPOPTS, 8);
	pkt_ipv6_frag(&p, 0, true);
	pkt_tcp(&p, 1, 2, 0x002);
	pkt_finish(&p);
	want = ipv6_key(IPPROTO_TCP);
	want.nw_frag = OVS_FRAG_TYPE_FIRST;
	want.tp_src = htons(1);
	want.tp_dst = htons(2);
	want.tcp_flags = htons(0x002);
	EXPECT_KEY(&p, &want);
	/* An atomic fragment (offset 0, no MF) is a first fragment too. */
	put16(p.b + p.l3 + 48 + 2, 0);
	EXPECT_KEY(&p, &want);

	/* Later fragment: protocol 44, as OVS 3.1 dumps it, no ports. */
	ipv6_head(&p);
	pkt_ipv6_frag(&p, 100, true);
	pkt_tcp(&p, 1, 2, 0x002);
	pkt_finish(&p);
	want = ipv6_key(IPPROTO_FRAGMENT);
	want.nw_frag = OVS_FRAG_TYPE_LATER;
	EXPECT_KEY(&p, &want);
	put16(p.b + p.l3 + 40 + 2, 100 << 3); /* last one */
	EXPECT_KEY(&p, &want);

	/* A later fragment followed by an extension header: ipv6_find_hdr()
	 * fails in a way that keys a first fragment; passed. */
	ipv6_head(&p);
	pkt_ipv6_frag(&p, 100, true);
	pkt_ipv6_ext(&p, IPPROTO_DSTOPTS, 8);
	pkt_udp(&p, 1, 2);
	pkt_finish(&p);
	EXPECT_UNPARSED(&p);
}

TEST(ipv6_malformed_headers_pass)
{
	struct pkt p;

	fx();
	ipv6_head(&p);
	pkt_udp(&p, 1, 2);
	pkt_finish(&p);
	p.len = (size_t)p.l3 + 39;
	EXPECT_UNPARSED(&p);
	ipv6_head(&p);
	pkt_udp(&p, 1, 2);
	pkt_finish(&p);
	p.b[p.l3] = 0x4b;
	EXPECT_UNPARSED(&p);
	ipv6_head(&p);
	pkt_udp(&p, 1, 2);
	pkt_finish(&p);
	p.len = (size_t)p.l4 + 7;
	EXPECT_UNPARSED(&p);
	ipv6_head(&p);
	pkt_icmp6(&p, 128, 0);
	pkt_finish(&p);
	p.len = (size_t)p.l4 + 7;
	EXPECT_UNPARSED(&p);
}

/* ---- Neighbour discovery ---------------------------------------------- */

/* An NS/NA with 'n' options of type opt[i] and length len[i] (8-byte
 * units), each carrying mac_c or, for the second of a type, mac_b. */
static void nd_frame(struct pkt *p, uint8_t type, uint8_t code,
		     const uint8_t *opt, const uint8_t *len, int n)
{
	ipv6_head(p);
	p->b[p->l3 + 7] = 255;
	pkt_icmp6(p, type, code);
	pkt_bytes(p, ip6_c, 16); /* target */
	for (int i = 0; i < n; i++) {
		uint8_t o[64] = {opt[i], len[i]};

		memcpy(o + 2, i % 2 ? mac_b : mac_c, 6);
		pkt_bytes(p, o, len[i] ? len[i] * 8u : 8u);
	}
	pkt_finish(p);
}

static struct ovsx_key nd_key(uint8_t type, const uint8_t *sll,
			      const uint8_t *tll)
{
	struct ovsx_key k = ipv6_key(IPPROTO_ICMPV6);

	k.nw_ttl = 255;
	k.tp_src = htons(type);
	memcpy(k.nd_target, ip6_c, 16);
	if (sll)
		memcpy(k.arp_sha, sll, 6);
	if (tll)
		memcpy(k.arp_tha, tll, 6);
	return k;
}

TEST(nd_target_and_link_layer_options)
{
	static const uint8_t sll[] = {1}, tll[] = {2}, both[] = {1, 2},
			     one[] = {1, 1};
	struct pkt p;
	struct ovsx_key want;

	fx();
	nd_frame(&p, 135, 0, sll, one, 1);
	want = nd_key(135, mac_c, NULL);
	EXPECT_KEY(&p, &want);
	nd_frame(&p, 136, 0, tll, one, 1);
	want = nd_key(136, NULL, mac_c);
	EXPECT_KEY(&p, &want);
	nd_frame(&p, 135, 0, both, one, 2);
	want = nd_key(135, mac_c, mac_b);
	EXPECT_KEY(&p, &want);
	/* No options: the target alone. */
	nd_frame(&p, 136, 0, NULL, NULL, 0);
	want = nd_key(136, NULL, NULL);
	EXPECT_KEY(&p, &want);
}

TEST(nd_options_the_kernel_skips_or_stops_at)
{
	static const uint8_t unk_sll[] = {14, 1}, l11[] = {1, 1}, sll[] = {1},
			     l2[] = {2}, l0[] = {0}, sll_any[] = {1, 3},
			     l10[] = {1, 0}, sll_tll[] = {1, 2};
	struct pkt p;
	struct ovsx_key want;

	fx();
	/* An unknown option is skipped. */
	nd_frame(&p, 135, 0, unk_sll, l11, 2);
	want = nd_key(135, mac_b, NULL);
	EXPECT_KEY(&p, &want);
	/* A 16-byte SLL is not an Ethernet address: skipped. */
	nd_frame(&p, 135, 0, sll, l2, 1);
	want = nd_key(135, NULL, NULL);
	EXPECT_KEY(&p, &want);
	/* Length 0 ends the walk, keeping what was found. */
	nd_frame(&p, 135, 0, sll, l0, 1);
	EXPECT_KEY(&p, &want);
	nd_frame(&p, 135, 0, sll_any, l10, 2);
	want = nd_key(135, mac_c, NULL);
	EXPECT_KEY(&p, &want);
	/* So does an option longer than what is left. */
	nd_frame(&p, 136, 0, sll_tll, l11, 2);
	p.b[p.l4 + 24 + 8 + 1] = 4;
	want = nd_key(136, mac_c, NULL);
	EXPECT_KEY(&p, &want);
	/* Bytes after the options that are fewer than 8 are ignored. */
	nd_frame(&p, 136, 0, sll_tll, l11, 2);
	pkt_bytes(&p, "\x01\x01\x00\x00\x00\x00\x00", 7);
	want = nd_key(136, mac_c, mac_b);
	EXPECT_KEY(&p, &want);
}

TEST(nd_repeated_option_invalidates_all_nd_fields)
{
	static const uint8_t two_sll[] = {1, 1}, sll_tll_tll[] = {1, 2, 2},
			     l11[] = {1, 1}, l111[] = {1, 1, 1};
	struct pkt p;
	struct ovsx_key want = nd_key(135, NULL, NULL);

	fx();
	memset(want.nd_target, 0, 16);
	nd_frame(&p, 135, 0, two_sll, l11, 2);
	EXPECT_KEY(&p, &want);
	nd_frame(&p, 135, 0, sll_tll_tll, l111, 3);
	EXPECT_KEY(&p, &want);
	/* A first SLL of all zeros does not count as "already there". */
	nd_frame(&p, 135, 0, two_sll, l11, 2);
	memset(p.b + p.l4 + 24 + 2, 0, 6);
	want = nd_key(135, mac_b, NULL);
	EXPECT_KEY(&p, &want);
}

TEST(nd_fields_only_for_ns_na_with_code_0)
{
	static const uint8_t sll[] = {1}, l1[] = {1};
	struct pkt p;
	struct ovsx_key want = ipv6_key(IPPROTO_ICMPV6);

	fx();
	want.nw_ttl = 255;
	want.tp_src = htons(135);
	want.tp_dst = htons(1);
	nd_frame(&p, 135, 1, sll, l1, 1);
	EXPECT_KEY(&p, &want);
	want.tp_src = htons(134); /* router advertisement */
	want.tp_dst = 0;
	nd_frame(&p, 134, 0, sll, l1, 1);
	EXPECT_KEY(&p, &want);
	/* Shorter than a target address: type and code only. */
	want.tp_src = htons(135);
	ipv6_head(&p);
	p.b[p.l3 + 7] = 255;
	pkt_icmp6(&p, 135, 0);
	pkt_payload(&p, 15);
	pkt_finish(&p);
	EXPECT_KEY(&p, &want);
}

TEST(nd_more_options_than_walked_pass)
{
	uint8_t unk[9], l1[9];
	struct pkt p;
	struct ovsx_key want = nd_key(135, NULL, NULL);

	fx();
	memset(unk, 14, sizeof(unk));
	memset(l1, 1, sizeof(l1));
	nd_frame(&p, 135, 0, unk, l1, 8);
	EXPECT_KEY(&p, &want);
	nd_frame(&p, 135, 0, unk, l1, 9);
	EXPECT_UNPARSED(&p);
}

/* ---- Matching: each key field, exact, one bit off, wildcarded ---------- */

struct probe {
	const char *name;
	size_t off, size; /* the key field */
	size_t idx;	  /* byte of the field the flipped bit lands in */
	uint8_t key_bit;
	int frame_off; /* the frame byte flipped */
	uint8_t frame_bit;
};

#define PROBE(field, idx, key_bit, frame_off, frame_bit)                     \
	{                                                                    \
#field, offsetof(struct ovsx_key, field),                    \
			sizeof(((struct ovsx_key *)0)->field), idx, key_bit, \
			frame_off, frame_bit                                 \
	}

static struct ovsx_actions drop_act(void)
{
	return act_out(OVSX_OUT_DROP);
}

/* With 'mask' installed for 'key': does the frame hit? */
static bool hits(const struct ovsx_key *key, const struct ovsx_key *mask,
		 const struct pkt *p)
{
	struct ovsx_actions drop = drop_act();
	uint8_t out[OUT_MAX];
	uint32_t out_len = sizeof(out);
	uint64_t control;
	int verdict;

	fx();
	fixture_add_flow(fx_instance, key, mask, &drop);
	control = fixture_counter(fx_instance, OVSX_CTR_PASS_TCP_CONTROL);
	verdict = fixture_run(fx_instance, p->b, p->len, out, &out_len);
	if (verdict == XDP_PASS &&
	    (out_len != p->len || memcmp(out, p->b, p->len)))
		test_fail(__FILE__, __LINE__, "a miss modified the frame");
	/* A TCP SYN, FIN or RST that hit goes to the kernel all the same. */
	return verdict == XDP_DROP ||
	       fixture_counter(fx_instance, OVSX_CTR_PASS_TCP_CONTROL) >
		       control;
}

static void check_probe(const struct pkt *p, const struct ovsx_key *want,
			const struct probe *pr)
{
	struct ovsx_key flipped = *want, field = mask_none(), all = mask_all();
	struct pkt q = *p;

	/* The probe itself: that frame bit is that key bit. */
	q.b[pr->frame_off] ^= pr->frame_bit;
	((uint8_t *)&flipped)[pr->off + pr->idx] ^= pr->key_bit;
	fx();
	EXPECT_KEY(&q, &flipped);

	memset((uint8_t *)&field + pr->off, 0xff, pr->size);
	if (!hits(want, &all, p) || hits(want, &all, &q))
		test_fail(__FILE__, __LINE__, "%s: full mask", pr->name);
	if (!hits(want, &field, p) || hits(want, &field, &q))
		test_fail(__FILE__, __LINE__, "%s: field mask", pr->name);
	/* Wildcarding that one bit lets both through. */
	((uint8_t *)&field)[pr->off + pr->idx] &= (uint8_t)~pr->key_bit;
	((uint8_t *)&all)[pr->off + pr->idx] &= (uint8_t)~pr->key_bit;
	if (!hits(want, &field, &q) || !hits(want, &all, &q) ||
	    !hits(want, &all, p))
		test_fail(__FILE__, __LINE__, "%s: bit wildcarded", pr->name);
}

static void check_probes(const struct pkt *p, const struct ovsx_key *want,
			 const struct probe *pr, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check_probe(p, want, &pr[i]);
}

TEST(match_l2_vlan_ipv4_tcp_fields)
{
	struct pkt p;
	struct ovsx_key want = ipv4_key(IPPROTO_TCP);
	int l3, l4;

	fx();
	pkt_eth(&p, mac_b, mac_a);
	pkt_vlan(&p, ETH_P_8021AD, 0x0123);
	pkt_vlan(&p, ETH_P_8021Q, 0xe456);
	pkt_ipv4(&p, IP_A, IP_B);
	p.b[p.l3 + 1] = 0xb9;
	p.b[p.l3 + 8] = 17;
	pkt_tcp(&p, 1000, 80, 0x0f12);
	pkt_payload(&p, 8);
	pkt_finish(&p);
	l3 = p.l3;
	l4 = p.l4;
	want.vlan_tpid[0] = htons(ETH_P_8021AD);
	want.vlan_tci[0] = htons(0x1123);
	want.vlan_tpid[1] = htons(ETH_P_8021Q);
	want.vlan_tci[1] = htons(0xf456);
	want.tp_src = htons(1000);
	want.tp_dst = htons(80);
	want.tcp_flags = htons(0x0f12);
	{
		const struct probe pr[] = {
			PROBE(eth_dst, 5, 0x01, 5, 0x01),
			PROBE(eth_dst, 0, 0x80, 0, 0x80),
			PROBE(eth_src, 3, 0x10, 9, 0x10),
			PROBE(vlan_tci, 0, 0x20, 14, 0x20), /* outer PCP */
			PROBE(vlan_tci, 1, 0x01, 15, 0x01), /* outer VID */
			PROBE(vlan_tci, 3, 0x80, 19, 0x80), /* inner VID */
			PROBE(nw_src, 3, 0x01, l3 + 15, 0x01),
			PROBE(nw_src, 0, 0x80, l3 + 12, 0x80),
			PROBE(nw_dst, 2, 0x04, l3 + 18, 0x04),
			PROBE(nw_tos, 0, 0x01, l3 + 1, 0x01), /* ECN bit */
			PROBE(nw_tos, 0, 0x80, l3 + 1, 0x80),
			PROBE(nw_ttl, 0, 0x02, l3 + 8, 0x02),
			PROBE(tp_src, 1, 0x08, l4 + 1, 0x08),
			PROBE(tp_dst, 0, 0x40, l4 + 2, 0x40),
			PROBE(tcp_flags, 1, 0x01, l4 + 13, 0x01), /* FIN */
			PROBE(tcp_flags, 0, 0x01, l4 + 12, 0x01), /* NS */
			PROBE(tcp_flags, 0, 0x08, l4 + 12, 0x08), /* reserved */
		};

		check_probes(&p, &want, pr, sizeof(pr) / sizeof(pr[0]));
	}
}

TEST(match_arp_fields)
{
	struct pkt p;
	struct ovsx_key want = arp_key(ETH_P_ARP, 1);
	int l3;

	fx();
	arp_frame(&p, ETH_P_ARP, 1);
	l3 = p.l3;
	{
		const struct probe pr[] = {
			PROBE(nw_proto, 0, 0x02, l3 + 7, 0x02), /* op 1 -> 3 */
			PROBE(arp_sha, 5, 0x01, l3 + 13, 0x01),
			PROBE(nw_src, 0, 0x40, l3 + 14, 0x40),
			PROBE(arp_tha, 0, 0x02, l3 + 18, 0x02),
			PROBE(nw_dst, 3, 0x80, l3 + 27, 0x80),
		};

		check_probes(&p, &want, pr, sizeof(pr) / sizeof(pr[0]));
	}
}

TEST(match_ipv6_icmp_fields)
{
	struct pkt p;
	struct ovsx_key want = ipv6_key(IPPROTO_UDP);
	int l3, l4;

	fx();
	ipv6_head(&p);
	pkt_udp(&p, 546, 547);
	pkt_payload(&p, 8);
	pkt_finish(&p);
	l3 = p.l3;
	l4 = p.l4;
	want.tp_src = htons(546);
	want.tp_dst = htons(547);
	{
		const struct probe pr[] = {
			/* tclass straddles the first two bytes */
			PROBE(nw_tos, 0, 0x01, l3 + 1, 0x10),
			PROBE(nw_tos, 0, 0x80, l3 + 0, 0x08),
			PROBE(ipv6_label, 1, 0x08, l3 + 1, 0x08),
			PROBE(ipv6_label, 3, 0x01, l3 + 3, 0x01),
			PROBE(nw_ttl, 0, 0x20, l3 + 7, 0x20),
			PROBE(nw_src, 15, 0x01, l3 + 8 + 15, 0x01),
			PROBE(nw_src, 4, 0x80, l3 + 8 + 4, 0x80),
			PROBE(nw_dst, 0, 0x01, l3 + 24, 0x01),
			PROBE(nw_dst, 9, 0x10, l3 + 24 + 9, 0x10),
			PROBE(tp_src, 1, 0x01, l4 + 1, 0x01),
			PROBE(tp_dst, 0, 0x80, l4 + 2, 0x80),
		};

		check_probes(&p, &want, pr, sizeof(pr) / sizeof(pr[0]));
	}

	/* ICMP type and code, in the port fields. */
	ipv4_frame(&p, IPPROTO_ICMP);
	want = ipv4_key(IPPROTO_ICMP);
	want.tp_src = htons(8);
	want.tp_dst = htons(3);
	l4 = p.l4;
	{
		const struct probe pr[] = {
			PROBE(tp_src, 1, 0x01, l4, 0x01),
			PROBE(tp_dst, 1, 0x04, l4 + 1, 0x04),
		};

		check_probes(&p, &want, pr, 2);
	}
}

TEST(match_nd_fields)
{
	static const uint8_t both[] = {1, 2}, l11[] = {1, 1};
	struct pkt p;
	struct ovsx_key want = nd_key(136, mac_c, mac_b);
	int l4;

	fx();
	nd_frame(&p, 136, 0, both, l11, 2);
	l4 = p.l4;
	{
		const struct probe pr[] = {
			PROBE(nd_target, 0, 0x01, l4 + 8, 0x01),
			PROBE(nd_target, 15, 0x80, l4 + 23, 0x80),
			PROBE(arp_sha, 2, 0x04, l4 + 24 + 4, 0x04),
			PROBE(arp_tha, 5, 0x01, l4 + 32 + 7, 0x01),
		};

		check_probes(&p, &want, pr, sizeof(pr) / sizeof(pr[0]));
	}
}

TEST(match_in_port_tpid_frag_and_prefixes)
{
	struct pkt p, q;
	struct ovsx_key want = ipv4_key(IPPROTO_UDP), m = mask_all();

	fx();
	ipv4_frame(&p, IPPROTO_UDP);
	want.tp_src = htons(53);
	want.tp_dst = htons(5353);
	CHECK(hits(&want, &m, &p));
	/* The datapath port comes from ports[ifindex]. */
	want.in_port = IN_PORT + 1;
	CHECK(!hits(&want, &m, &p));
	m.in_port = 0;
	CHECK(hits(&want, &m, &p));
	want.in_port = IN_PORT;

	/* nw_src/24: the last octet is free, the third is not. */
	m = mask_none();
	m.nw_src[0] = htonl(0xffffff00);
	q = p;
	q.b[q.l3 + 15] ^= 0xff;
	CHECK(hits(&want, &m, &q));
	q.b[q.l3 + 14] ^= 0x01;
	CHECK(!hits(&want, &m, &q));

	/* The fragment type: exact or wildcarded. */
	m = mask_all();
	q = p;
	set_frag(&q, 0x2000);
	CHECK(!hits(&want, &m, &q));
	m.nw_frag = 0;
	CHECK(hits(&want, &m, &q));

	/* The TPID is part of the key: 802.1ad vs 802.1Q. */
	{
		struct ovsx_key tagged = key_eth(mac_b, mac_a, 0x88cc);
		struct pkt t;

		tagged.vlan_tpid[0] = htons(ETH_P_8021Q);
		tagged.vlan_tci[0] = htons(0x1005);
		pkt_eth(&t, mac_b, mac_a);
		pkt_vlan(&t, ETH_P_8021AD, 5);
		pkt_ethertype(&t, 0x88cc);
		pkt_payload(&t, 42);
		m = mask_all();
		CHECK(!hits(&tagged, &m, &t));
		m.vlan_tpid[0] = 0;
		CHECK(hits(&tagged, &m, &t));
		/* ... and an untagged frame never matches a tagged key. */
		m = mask_all();
		pkt_eth(&t, mac_b, mac_a);
		pkt_ethertype(&t, 0x88cc);
		pkt_payload(&t, 46);
		CHECK(!hits(&tagged, &m, &t));
	}
}
