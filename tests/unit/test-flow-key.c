/* Fixture tests for flow_match_decode(): attribute streams built with the
 * nlattr builders, decoded structs checked field by field, for every key
 * attribute with and without a MASK, and every way a stream can be refused
 * (each with its reason text). */
#include "flow-key.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>

#include "nlattr.h"
#include "test.h"

#define BIT(t)	FLOW_ATTR_BIT(OVS_KEY_ATTR_##t)
#define TBIT(t) (1u << OVS_TUNNEL_KEY_ATTR_##t)

struct fx {
	struct odp_flow f;
	struct flow_match m;
	struct buf *k, *mk; /* &f.key, &f.mask */
};

static void fx_init(struct fx *x, bool has_mask)
{
	odp_flow_init(&x->f);
	x->f.has_key = true;
	x->f.has_mask = has_mask;
	x->k = &x->f.key;
	x->mk = &x->f.mask;
}

static int fx_decode(struct fx *x)
{
	int err = flow_match_decode(&x->f, &x->m);

	odp_flow_destroy(&x->f);
	return err;
}

#define CHECK_OK(x)                                       \
	do {                                              \
		CHECK_INT(fx_decode(x), 0);               \
		CHECK_STR((x)->m.reason, "");             \
		CHECK_INT((x)->m.status, FLOW_DECODE_OK); \
	} while (0)

#define CHECK_NU(x, why)                                              \
	do {                                                          \
		CHECK_INT(fx_decode(x), -EINVAL);                     \
		CHECK_STR((x)->m.reason, why);                        \
		CHECK_INT((x)->m.status, FLOW_DECODE_NOT_UNDERSTOOD); \
	} while (0)

#define ONES(p) flow_bytes_all_ones(&(p), sizeof(p))

static void put(struct buf *b, int type, const void *p, size_t n)
{
	CHECK_INT(attr_put(b, type, p, n), 0);
}

static void put16(struct buf *b, int type, uint16_t v)
{
	CHECK_INT(attr_put_u16(b, type, v), 0);
}

static void put32(struct buf *b, int type, uint32_t v)
{
	CHECK_INT(attr_put_u32(b, type, v), 0);
}

static void put8(struct buf *b, int type, uint8_t v)
{
	CHECK_INT(attr_put_u8(b, type, v), 0);
}

static void put64(struct buf *b, int type, uint64_t v)
{
	CHECK_INT(attr_put_u64(b, type, v), 0);
}

static void flag(struct buf *b, int type)
{
	CHECK_INT(attr_put_flag(b, type), 0);
}

static long nest(struct buf *b, int type)
{
	long off = attr_nest_start(b, type);

	CHECK(off >= 0);
	return off;
}

static void end(struct buf *b, long off)
{
	CHECK_INT(attr_nest_end(b, off), 0);
}

static const struct ovs_key_ethernet eth = {
	{0x02, 0x00, 0x00, 0x00, 0x00, 0x01},
	{0x02, 0x00, 0x00, 0x00, 0x00, 0x02},
};

static struct ovs_key_ipv4 ipv4(uint8_t proto)
{
	struct ovs_key_ipv4 ip = {
		htonl(0x0a000001), htonl(0x0a000002), proto, 0x10, 64, 0};
	return ip;
}

/* ETHERTYPE + IPV4 + TCP + TCP_FLAGS, the innermost part of a TCP key. */
static void put_ipv4_tcp(struct buf *b)
{
	struct ovs_key_ipv4 ip = ipv4(6);
	struct ovs_key_tcp tcp = {htons(40000), htons(80)};

	put16(b, OVS_KEY_ATTR_ETHERTYPE, htons(0x0800));
	put(b, OVS_KEY_ATTR_IPV4, &ip, sizeof ip);
	put(b, OVS_KEY_ATTR_TCP, &tcp, sizeof tcp);
	put16(b, OVS_KEY_ATTR_TCP_FLAGS, htons(0x002));
}

/* The key built in 'b' (which this takes over) must be refused. */
static void key_nu(struct buf *b, const char *why)
{
	struct fx x;

	fx_init(&x, false);
	*x.k = *b;
	*b = (struct buf)BUF_INIT;
	CHECK_NU(&x, why);
}

/* A key (or a mask) of one attribute must be refused with 'why'. */
static void one_nu(bool in_mask, int type, const void *p, size_t n,
		   const char *why)
{
	struct fx x;

	fx_init(&x, in_mask);
	put(in_mask ? x.mk : x.k, type, p, n);
	CHECK_NU(&x, why);
}

/* A key of one nested attribute 'outer' holding one attribute. */
static void nested_nu(int outer, int type, const void *p, size_t n,
		      const char *why)
{
	struct buf b = BUF_INIT;
	long t = nest(&b, outer);

	put(&b, type, p, n);
	end(&b, t);
	key_nu(&b, why);
}

TEST(bytes_helpers)
{
	uint8_t b[3] = {0xff, 0xff, 0xff};

	CHECK(flow_bytes_all_ones(b, 3));
	CHECK(!flow_bytes_all_zero(b, 3));
	b[1] = 0;
	CHECK(!flow_bytes_all_ones(b, 3));
	CHECK(flow_bytes_all_zero(b + 1, 1));
	CHECK(flow_bytes_all_ones(b, 0) && flow_bytes_all_zero(b, 0));
}

TEST(empty_key)
{
	struct fx x;

	fx_init(&x, false);
	CHECK_OK(&x);
	CHECK(x.m.key_attrs == 0 && x.m.mask_attrs == 0 && x.m.n_vlans == 0);
}

TEST(metadata_exact_without_mask)
{
	struct fx x;

	fx_init(&x, false);
	put32(x.k, OVS_KEY_ATTR_RECIRC_ID, 7);
	put32(x.k, OVS_KEY_ATTR_DP_HASH, 0x1234);
	put32(x.k, OVS_KEY_ATTR_PRIORITY, 3);
	put32(x.k, OVS_KEY_ATTR_IN_PORT, 2);
	put32(x.k, OVS_KEY_ATTR_SKB_MARK, 0xabc);
	CHECK_OK(&x);
	CHECK_INT(x.m.key.recirc_id, 7);
	CHECK_INT(x.m.key.dp_hash, 0x1234);
	CHECK_INT(x.m.key.priority, 3);
	CHECK_INT(x.m.key.in_port, 2);
	CHECK_INT(x.m.key.skb_mark, 0xabc);
	CHECK_INT(x.m.key_attrs, BIT(RECIRC_ID) | BIT(DP_HASH) | BIT(PRIORITY) |
					 BIT(IN_PORT) | BIT(SKB_MARK));
	CHECK_INT(x.m.mask_attrs, x.m.key_attrs);
	CHECK(ONES(x.m.mask.recirc_id) && ONES(x.m.mask.dp_hash));
	CHECK(ONES(x.m.mask.priority) && ONES(x.m.mask.in_port));
	CHECK(ONES(x.m.mask.skb_mark));
	/* Absent from the key: wildcarded, except the TCIs (kernel rule). */
	CHECK(FLOW_FIELD_WILD(&x.m, eth) && FLOW_FIELD_WILD(&x.m, tunnel));
	CHECK(FLOW_FIELD_WILD(&x.m, ct_state) &&
	      FLOW_FIELD_WILD(&x.m, eth_type));
	CHECK(FLOW_FIELD_EXACT(&x.m, vlans[0].tci));
	CHECK(FLOW_FIELD_EXACT(&x.m, vlans[1].tci));
	CHECK(FLOW_FIELD_WILD(&x.m, vlans[0].tpid));
}

TEST(ct_fields)
{
	struct ovs_key_ct_labels lab = {
		{{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}}};
	struct ovs_key_ct_tuple_ipv4 t4;
	struct ovs_key_ct_tuple_ipv6 t6;
	struct fx x;

	/* memset: the tail padding is compared too. */
	memset(&t4, 0, sizeof t4);
	t4.ipv4_dst = htonl(2);
	t4.ipv4_proto = 6;
	memset(&t6, 0, sizeof t6);
	t6.dst_port = htons(6);
	t6.ipv6_proto = 17;
	fx_init(&x, false);
	put32(x.k, OVS_KEY_ATTR_CT_STATE, OVS_CS_F_TRACKED | OVS_CS_F_NEW);
	put16(x.k, OVS_KEY_ATTR_CT_ZONE, 5);
	put32(x.k, OVS_KEY_ATTR_CT_MARK, 0x42);
	put(x.k, OVS_KEY_ATTR_CT_LABELS, &lab, sizeof lab);
	put(x.k, OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4, &t4, sizeof t4);
	put(x.k, OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6, &t6, sizeof t6);
	CHECK_OK(&x);
	CHECK_INT(x.m.key.ct_state, OVS_CS_F_TRACKED | OVS_CS_F_NEW);
	CHECK_INT(x.m.key.ct_zone, 5);
	CHECK_INT(x.m.key.ct_mark, 0x42);
	CHECK_MEM(&x.m.key.ct_labels, &lab, sizeof lab);
	CHECK_MEM(&x.m.key.ct_tuple4, &t4, sizeof t4);
	CHECK_MEM(&x.m.key.ct_tuple6, &t6, sizeof t6);
	CHECK(ONES(x.m.mask.ct_state) && ONES(x.m.mask.ct_zone));
	CHECK(ONES(x.m.mask.ct_mark) && ONES(x.m.mask.ct_labels));
	CHECK(ONES(x.m.mask.ct_tuple4) && ONES(x.m.mask.ct_tuple6));
	CHECK_INT(x.m.key_attrs,
		  BIT(CT_STATE) | BIT(CT_ZONE) | BIT(CT_MARK) | BIT(CT_LABELS) |
			  BIT(CT_ORIG_TUPLE_IPV4) | BIT(CT_ORIG_TUPLE_IPV6));
}

TEST(eth_ipv4_tcp)
{
	struct ovs_key_ipv4 ip = ipv4(6);
	struct fx x;

	fx_init(&x, false);
	put(x.k, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	put_ipv4_tcp(x.k);
	CHECK_OK(&x);
	CHECK_MEM(&x.m.key.eth, &eth, sizeof eth);
	CHECK_INT(x.m.key.eth_type, htons(0x0800));
	CHECK_MEM(&x.m.key.ipv4, &ip, sizeof ip);
	CHECK_INT(x.m.key.tcp.tcp_src, htons(40000));
	CHECK_INT(x.m.key.tcp.tcp_dst, htons(80));
	CHECK_INT(x.m.key.tcp_flags, htons(2));
	CHECK(ONES(x.m.mask.eth) && ONES(x.m.mask.eth_type));
	CHECK(ONES(x.m.mask.ipv4) && ONES(x.m.mask.tcp));
	CHECK(ONES(x.m.mask.tcp_flags));
	CHECK(FLOW_FIELD_WILD(&x.m, udp));
	CHECK_INT(x.m.n_vlans, 0);
}

TEST(ipv6_exthdrs_udp)
{
	struct ovs_key_ipv6 ip6 = {{htonl(0x20010db8), 0, 0, htonl(1)},
				   {htonl(0x20010db8), 0, 0, htonl(2)},
				   htonl(0x12345),
				   17,
				   0,
				   255,
				   0};
	struct ovs_key_ipv6_exthdrs eh = {(1 << 4) | (1 << 6)};
	struct ovs_key_udp udp = {htons(53), htons(5353)};
	struct fx x;

	fx_init(&x, false);
	put(x.k, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	put16(x.k, OVS_KEY_ATTR_ETHERTYPE, htons(0x86dd));
	put(x.k, OVS_KEY_ATTR_IPV6, &ip6, sizeof ip6);
	put(x.k, OVS_KEY_ATTR_IPV6_EXTHDRS, &eh, sizeof eh);
	put(x.k, OVS_KEY_ATTR_UDP, &udp, sizeof udp);
	CHECK_OK(&x);
	CHECK_MEM(&x.m.key.ipv6, &ip6, sizeof ip6);
	CHECK_INT(x.m.key.ipv6_exthdrs, (1 << 4) | (1 << 6));
	CHECK_INT(x.m.mask.ipv6_exthdrs, 0xffff);
	CHECK_MEM(&x.m.key.udp, &udp, sizeof udp);
	CHECK(ONES(x.m.mask.ipv6) && ONES(x.m.mask.udp));
	CHECK(x.m.key_attrs & BIT(IPV6_EXTHDRS));
	CHECK(x.m.mask_attrs & BIT(IPV6_EXTHDRS));
}

TEST(sctp_icmp_icmpv6_nd_arp)
{
	struct ovs_key_sctp sctp = {htons(1), htons(2)};
	struct ovs_key_icmp icmp = {8, 0};
	struct ovs_key_icmpv6 icmp6 = {135, 0};
	struct ovs_key_nd nd = {
		{htonl(0xfe800000), 0, 0, htonl(9)}, {1, 2, 3, 4, 5, 6}, {0}};
	struct ovs_key_arp arp;
	struct fx x;

	memset(&arp, 0, sizeof arp); /* with its tail padding */
	arp.arp_tip = htonl(0x0a000002);
	arp.arp_op = htons(1);
	arp.arp_sha[5] = 1;
	/* Not one valid packet, but each attribute decodes on its own. */
	fx_init(&x, false);
	put(x.k, OVS_KEY_ATTR_SCTP, &sctp, sizeof sctp);
	put(x.k, OVS_KEY_ATTR_ICMP, &icmp, sizeof icmp);
	put(x.k, OVS_KEY_ATTR_ICMPV6, &icmp6, sizeof icmp6);
	put(x.k, OVS_KEY_ATTR_ND, &nd, sizeof nd);
	put(x.k, OVS_KEY_ATTR_ARP, &arp, sizeof arp);
	CHECK_OK(&x);
	CHECK_MEM(&x.m.key.sctp, &sctp, sizeof sctp);
	CHECK_INT(x.m.key.icmp.icmp_type, 8);
	CHECK_INT(x.m.key.icmpv6.icmpv6_type, 135);
	CHECK_MEM(&x.m.key.nd, &nd, sizeof nd);
	CHECK_MEM(&x.m.key.arp, &arp, sizeof arp);
	CHECK(ONES(x.m.mask.sctp) && ONES(x.m.mask.icmp));
	CHECK(ONES(x.m.mask.icmpv6) && ONES(x.m.mask.nd));
	CHECK(ONES(x.m.mask.arp));
	CHECK_INT(x.m.key_attrs,
		  BIT(SCTP) | BIT(ICMP) | BIT(ICMPV6) | BIT(ND) | BIT(ARP));
}

TEST(mpls_labels)
{
	uint32_t lse[3] = {htonl(0x00001140), htonl(0x00002140),
			   htonl(0x00003141)};
	struct fx x;

	fx_init(&x, false);
	put(x.k, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	put16(x.k, OVS_KEY_ATTR_ETHERTYPE, htons(0x8847));
	put(x.k, OVS_KEY_ATTR_MPLS, lse, sizeof lse);
	CHECK_OK(&x);
	CHECK_INT(x.m.n_mpls, 3);
	CHECK_INT(x.m.key.mpls[0].mpls_lse, lse[0]);
	CHECK_INT(x.m.key.mpls[2].mpls_lse, lse[2]);
	CHECK(ONES(x.m.mask.mpls));
	CHECK(x.m.key_attrs & BIT(MPLS));
}

TEST(mpls_bad_lengths)
{
	uint32_t lse[4] = {0};

	one_nu(false, OVS_KEY_ATTR_MPLS, lse, sizeof lse,
	       "key attribute mpls: length 16, expected 4, 8 or 12");
	one_nu(false, OVS_KEY_ATTR_MPLS, lse, 6,
	       "key attribute mpls: length 6, expected 4, 8 or 12");
	one_nu(false, OVS_KEY_ATTR_MPLS, NULL, 0,
	       "key attribute mpls: length 0, expected 4, 8 or 12");
	one_nu(true, OVS_KEY_ATTR_MPLS, lse, 2,
	       "mask: key attribute mpls: length 2, expected 4, 8 or 12");
}

/* ETHERTYPE(tpid), VLAN(tci), ENCAP{...}: opens a tag level. */
static long open_vlan(struct buf *b, uint16_t tpid, uint16_t tci)
{
	put16(b, OVS_KEY_ATTR_ETHERTYPE, htons(tpid));
	put16(b, OVS_KEY_ATTR_VLAN, htons(tci));
	return nest(b, OVS_KEY_ATTR_ENCAP);
}

TEST(vlan_single)
{
	struct fx x;
	long e;

	fx_init(&x, false);
	put(x.k, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	e = open_vlan(x.k, 0x8100, 0x1000 | 100);
	put_ipv4_tcp(x.k);
	end(x.k, e);
	CHECK_OK(&x);
	CHECK_INT(x.m.n_vlans, 1);
	CHECK_INT(x.m.key.vlans[0].tpid, htons(0x8100));
	CHECK_INT(x.m.key.vlans[0].tci, htons(0x1000 | 100));
	CHECK_INT(x.m.key.eth_type, htons(0x0800));
	CHECK_INT(x.m.key.ipv4.ipv4_ttl, 64);
	CHECK(ONES(x.m.mask.vlans[0]) && ONES(x.m.mask.eth_type));
	CHECK(ONES(x.m.mask.ipv4) && ONES(x.m.mask.tcp));
	CHECK_INT(x.m.mask.vlans[1].tci, 0xffff); /* no inner tag: exact 0 */
	CHECK_INT(x.m.key_attrs, BIT(ETHERNET) | BIT(ETHERTYPE) | BIT(VLAN) |
					 BIT(ENCAP) | BIT(IPV4) | BIT(TCP) |
					 BIT(TCP_FLAGS));
	CHECK_INT(x.m.mask_attrs, x.m.key_attrs);
}

TEST(vlan_qinq)
{
	struct fx x;
	long e1, e2;

	fx_init(&x, false);
	put(x.k, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	e1 = open_vlan(x.k, 0x88a8, 0x1000 | 10);
	e2 = open_vlan(x.k, 0x8100, 0x1000 | 20);
	put_ipv4_tcp(x.k);
	end(x.k, e2);
	end(x.k, e1);
	CHECK_OK(&x);
	CHECK_INT(x.m.n_vlans, 2);
	CHECK_INT(x.m.key.vlans[0].tpid, htons(0x88a8));
	CHECK_INT(x.m.key.vlans[0].tci, htons(0x100a));
	CHECK_INT(x.m.key.vlans[1].tpid, htons(0x8100));
	CHECK_INT(x.m.key.vlans[1].tci, htons(0x1014));
	CHECK_INT(x.m.key.eth_type, htons(0x0800));
	CHECK_INT(x.m.key.tcp.tcp_dst, htons(80));
	CHECK(ONES(x.m.mask.vlans) && ONES(x.m.mask.tcp));
}

TEST(vlan_truncated)
{
	struct fx x;
	long e;

	fx_init(&x, false);
	put(x.k, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	e = open_vlan(x.k, 0x8100, 0);
	end(x.k, e);
	CHECK_OK(&x);
	CHECK_INT(x.m.n_vlans, 1);
	CHECK_INT(x.m.key.vlans[0].tpid, htons(0x8100));
	CHECK_INT(x.m.key.vlans[0].tci, 0);
	CHECK_INT(x.m.key.eth_type, 0);
	CHECK(ONES(x.m.mask.vlans[0]));
}

TEST(vlan_third_tpid_is_the_ethertype)
{
	struct fx x;
	long e1, e2;

	/* The kernel keys a triple-tagged frame up to its third TPID. */
	fx_init(&x, false);
	put(x.k, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	e1 = open_vlan(x.k, 0x88a8, 0x1001);
	e2 = open_vlan(x.k, 0x8100, 0x1002);
	put16(x.k, OVS_KEY_ATTR_ETHERTYPE, htons(0x8100));
	end(x.k, e2);
	end(x.k, e1);
	CHECK_OK(&x);
	CHECK_INT(x.m.n_vlans, 2);
	CHECK_INT(x.m.key.eth_type, htons(0x8100));
}

TEST(vlan_errors)
{
	struct buf b = BUF_INIT;
	long e1, e2, e3;

	e1 = open_vlan(&b, 0x88a8, 0x1001);
	e2 = open_vlan(&b, 0x8100, 0x1002);
	e3 = open_vlan(&b, 0x8100, 0x1003);
	put_ipv4_tcp(&b);
	end(&b, e3);
	end(&b, e2);
	end(&b, e1);
	key_nu(&b, "more than 2 vlan tags");

	end(&b, open_vlan(&b, 0x8100, 0x0064));
	key_nu(&b, "vlan tci 0x0064 without the present bit");

	e1 = open_vlan(&b, 0x8100, 0);
	put16(&b, OVS_KEY_ATTR_ETHERTYPE, htons(0x0800));
	end(&b, e1);
	key_nu(&b, "truncated vlan tag with a non-empty encap");

	put16(&b, OVS_KEY_ATTR_ETHERTYPE, htons(0x8100));
	put16(&b, OVS_KEY_ATTR_VLAN, htons(0x1001));
	key_nu(&b, "vlan ethertype 0x8100 without vlan and encap");

	put16(&b, OVS_KEY_ATTR_ETHERTYPE, htons(0x0800));
	put16(&b, OVS_KEY_ATTR_VLAN, htons(0x1001));
	key_nu(&b, "vlan or encap without a vlan ethertype");

	put16(&b, OVS_KEY_ATTR_VLAN, htons(0x1002));
	end(&b, open_vlan(&b, 0x8100, 0x1001));
	key_nu(&b, "duplicate key attribute vlan");

	/* Each level is checked on its own: a VLAN alone inside ENCAP. */
	e1 = open_vlan(&b, 0x8100, 0x1001);
	put16(&b, OVS_KEY_ATTR_VLAN, htons(0x1002));
	end(&b, e1);
	key_nu(&b, "vlan or encap without a vlan ethertype");

	put16(&b, OVS_KEY_ATTR_ETHERTYPE, htons(0x0004));
	key_nu(&b, "eth_type 0x0004 is below 0x0600");
}

/* A tunnel nest with every IPv4 sub-attribute. */
static void put_tunnel_ipv4(struct buf *b)
{
	uint8_t geneve[8] = {0x01, 0x02, 0x80, 0x01, 0xde, 0xad, 0xbe, 0xef};
	long t = nest(b, OVS_KEY_ATTR_TUNNEL), v;

	put64(b, OVS_TUNNEL_KEY_ATTR_ID, htobe64(0x1122334455667788));
	put32(b, OVS_TUNNEL_KEY_ATTR_IPV4_SRC, htonl(0xc0a80001));
	put32(b, OVS_TUNNEL_KEY_ATTR_IPV4_DST, htonl(0xc0a80002));
	put8(b, OVS_TUNNEL_KEY_ATTR_TOS, 0x20);
	put8(b, OVS_TUNNEL_KEY_ATTR_TTL, 63);
	flag(b, OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT);
	flag(b, OVS_TUNNEL_KEY_ATTR_CSUM);
	flag(b, OVS_TUNNEL_KEY_ATTR_OAM);
	put(b, OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS, geneve, sizeof geneve);
	put16(b, OVS_TUNNEL_KEY_ATTR_TP_SRC, htons(12345));
	put16(b, OVS_TUNNEL_KEY_ATTR_TP_DST, htons(6081));
	v = nest(b, OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS);
	put32(b, OVS_VXLAN_EXT_GBP, 0x00800055);
	end(b, v);
	put32(b, OVS_TUNNEL_KEY_ATTR_PAD, 0);
	flag(b, OVS_TUNNEL_KEY_ATTR_IPV4_INFO_BRIDGE);
	end(b, t);
}

TEST(tunnel_ipv4_all_attributes)
{
	uint8_t geneve[8] = {0x01, 0x02, 0x80, 0x01, 0xde, 0xad, 0xbe, 0xef};
	__be64 id = htobe64(0x1122334455667788);
	const struct flow_tunnel *t, *tm;
	struct fx x;

	fx_init(&x, false);
	put_tunnel_ipv4(x.k);
	put32(x.k, OVS_KEY_ATTR_IN_PORT, 4);
	CHECK_OK(&x);
	t = &x.m.key.tunnel;
	CHECK_MEM(&t->tun_id, &id, sizeof id);
	CHECK_INT(t->ipv4_src, htonl(0xc0a80001));
	CHECK_INT(t->ipv4_dst, htonl(0xc0a80002));
	CHECK_INT(t->tos, 0x20);
	CHECK_INT(t->ttl, 63);
	CHECK_INT(t->flags, TBIT(DONT_FRAGMENT) | TBIT(CSUM) | TBIT(OAM) |
				    TBIT(IPV4_INFO_BRIDGE));
	CHECK_INT(t->geneve_len, 8);
	CHECK_MEM(t->geneve, geneve, 8);
	CHECK_INT(t->tp_src, htons(12345));
	CHECK_INT(t->tp_dst, htons(6081));
	CHECK_INT(t->vxlan_gbp, 0x00800055);
	CHECK_INT(t->erspan_len, 0);
	CHECK_INT(t->present,
		  TBIT(ID) | TBIT(IPV4_SRC) | TBIT(IPV4_DST) | TBIT(TOS) |
			  TBIT(TTL) | TBIT(DONT_FRAGMENT) | TBIT(CSUM) |
			  TBIT(OAM) | TBIT(GENEVE_OPTS) | TBIT(TP_SRC) |
			  TBIT(TP_DST) | TBIT(VXLAN_OPTS) |
			  TBIT(IPV4_INFO_BRIDGE));
	CHECK_INT(x.m.key_attrs, BIT(TUNNEL) | BIT(IN_PORT));

	/* No MASK: the whole tunnel key is exact, omitted fields too. */
	tm = &x.m.mask.tunnel;
	CHECK(ONES(tm->tun_id) && ONES(tm->ipv4_src) && ONES(tm->ipv4_dst));
	CHECK(ONES(tm->ipv6_src) && ONES(tm->ipv6_dst));
	CHECK(ONES(tm->tos) && ONES(tm->ttl) && ONES(tm->tp_src));
	CHECK(ONES(tm->tp_dst) && ONES(tm->vxlan_gbp));
	CHECK_INT(tm->flags, TBIT(DONT_FRAGMENT) | TBIT(CSUM) | TBIT(OAM) |
				     TBIT(IPV4_INFO_BRIDGE));
	CHECK_INT(tm->geneve_len, 8);
	CHECK(flow_bytes_all_ones(tm->geneve, 8));
	CHECK(flow_bytes_all_zero(tm->geneve + 8, sizeof tm->geneve - 8));
	CHECK_INT(tm->erspan_len, 0);
}

TEST(tunnel_ipv6_erspan_exact_when_omitted)
{
	uint8_t src[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
	uint8_t dst[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 2};
	uint8_t erspan[12] = {0, 0, 0, 1, 0xaa, 0xbb};
	struct fx x;
	long t;

	fx_init(&x, false);
	t = nest(x.k, OVS_KEY_ATTR_TUNNEL);
	put(x.k, OVS_TUNNEL_KEY_ATTR_IPV6_SRC, src, 16);
	put(x.k, OVS_TUNNEL_KEY_ATTR_IPV6_DST, dst, 16);
	put8(x.k, OVS_TUNNEL_KEY_ATTR_TTL, 64);
	put(x.k, OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS, erspan, sizeof erspan);
	end(x.k, t);
	CHECK_OK(&x);
	CHECK_MEM(x.m.key.tunnel.ipv6_src, src, 16);
	CHECK_MEM(x.m.key.tunnel.ipv6_dst, dst, 16);
	CHECK_INT(x.m.key.tunnel.erspan_len, 12);
	CHECK_MEM(x.m.key.tunnel.erspan, erspan, 12);
	CHECK_INT(x.m.key.tunnel.ipv4_dst, 0);
	CHECK_INT(x.m.key.tunnel.flags, 0);
	/* tun_id was omitted (0) but is still exact. */
	CHECK(ONES(x.m.mask.tunnel.tun_id));
	CHECK(ONES(x.m.mask.tunnel.ipv4_dst));
	CHECK_INT(x.m.mask.tunnel.erspan_len, 12);
	CHECK(flow_bytes_all_ones(x.m.mask.tunnel.erspan, 12));
	CHECK_INT(x.m.mask.tunnel.vxlan_gbp, 0); /* no options in the key */
}

TEST(tunnel_errors)
{
	const int tun = OVS_KEY_ATTR_TUNNEL;
	uint8_t big[256] = {0};
	struct buf b = BUF_INIT;
	long t, v;

	nested_nu(tun, 17, big, 4, "unknown tunnel attribute 17");
	nested_nu(tun, OVS_TUNNEL_KEY_ATTR_TTL, big, 2,
		  "tunnel attribute ttl: length 2, expected 1");
	nested_nu(tun, OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT, big, 1,
		  "tunnel attribute df: length 1, expected 0");
	nested_nu(tun, OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS, big, 6,
		  "tunnel attribute geneve: length 6, not a multiple of 4");
	nested_nu(tun, OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS, big, 256,
		  "tunnel attribute geneve: length 256, at most 252");
	nested_nu(tun, OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS, big, 33,
		  "tunnel attribute erspan: length 33, at most 32");

	t = nest(&b, tun);
	put32(&b, OVS_TUNNEL_KEY_ATTR_IPV4_DST, 1);
	put32(&b, OVS_TUNNEL_KEY_ATTR_IPV4_DST, 2);
	end(&b, t);
	key_nu(&b, "duplicate tunnel attribute dst");

	t = nest(&b, tun);
	put32(&b, OVS_TUNNEL_KEY_ATTR_IPV4_DST, 1);
	put(&b, OVS_TUNNEL_KEY_ATTR_IPV6_SRC, big, 16);
	end(&b, t);
	key_nu(&b, "tunnel mixes ipv4 and ipv6 addresses");

	t = nest(&b, tun);
	v = nest(&b, OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS);
	put32(&b, 2, 1);
	end(&b, v);
	end(&b, t);
	key_nu(&b, "unknown vxlan attribute 2");

	t = nest(&b, tun);
	v = nest(&b, OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS);
	put16(&b, OVS_VXLAN_EXT_GBP, 1);
	end(&b, v);
	end(&b, t);
	key_nu(&b, "vxlan attribute gbp: length 2, expected 4");

	/* A nest whose last attribute claims more than the nest holds. */
	t = nest(&b, tun);
	put32(&b, OVS_TUNNEL_KEY_ATTR_IPV4_DST, 1);
	end(&b, t);
	b.data[NLA_HDRLEN] = NLA_HDRLEN + 8;
	key_nu(&b, "tunnel attribute stream truncated");
}

TEST(nsh_base_md1)
{
	struct ovs_nsh_key_base base = {0x01, 63, 1, 3, htonl(0x00012301)};
	struct ovs_nsh_key_md1 md1 = {{htonl(1), htonl(2), htonl(3), htonl(4)}};
	struct fx x;
	long n;

	fx_init(&x, false);
	put16(x.k, OVS_KEY_ATTR_ETHERTYPE, htons(0x894f));
	n = nest(x.k, OVS_KEY_ATTR_NSH);
	put(x.k, OVS_NSH_KEY_ATTR_BASE, &base, sizeof base);
	put(x.k, OVS_NSH_KEY_ATTR_MD1, &md1, sizeof md1);
	end(x.k, n);
	CHECK_OK(&x);
	CHECK_MEM(&x.m.key.nsh_base, &base, sizeof base);
	CHECK_MEM(&x.m.key.nsh_md1, &md1, sizeof md1);
	CHECK(ONES(x.m.mask.nsh_base) && ONES(x.m.mask.nsh_md1));
	CHECK_INT(x.m.key_attrs, BIT(ETHERTYPE) | BIT(NSH));
}

TEST(nsh_errors)
{
	const int nsh = OVS_KEY_ATTR_NSH;
	uint8_t b[16] = {0};

	nested_nu(nsh, OVS_NSH_KEY_ATTR_MD2, b, 8, "nsh md2 is not supported");
	nested_nu(nsh, 7, b, 8, "unknown nsh attribute 7");
	nested_nu(nsh, OVS_NSH_KEY_ATTR_BASE, b, 12,
		  "nsh attribute base: length 12, expected 8");
}

TEST(key_errors)
{
	uint8_t b[16] = {0};
	struct buf k = BUF_INIT;
	long e;

	one_nu(false, 99, b, 4, "unknown key attribute 99");
	one_nu(false, OVS_KEY_ATTR_UNSPEC, b, 4, "unknown key attribute 0");
	one_nu(false, 29, b, 4, "key attribute 29 is userspace-only");
	one_nu(false, 30, b, 8, "key attribute 30 is userspace-only");
	one_nu(false, 31, b, 4, "key attribute 31 is userspace-only");
	one_nu(false, OVS_KEY_ATTR_IPV4, b, 11,
	       "key attribute ipv4: length 11, expected 12");
	one_nu(false, OVS_KEY_ATTR_CT_STATE, b, 1,
	       "key attribute ct_state: length 1, expected 4");
	put32(&k, OVS_KEY_ATTR_IN_PORT, 1);
	put32(&k, OVS_KEY_ATTR_IN_PORT, 2);
	key_nu(&k, "duplicate key attribute in_port");

	/* The kernel merges the layers: IPV4 outside and inside ENCAP. */
	put(&k, OVS_KEY_ATTR_IPV4, b, 12);
	e = open_vlan(&k, 0x8100, 0x1001);
	put_ipv4_tcp(&k);
	end(&k, e);
	key_nu(&k, "duplicate key attribute ipv4");

	/* Trailing bytes that are not a whole attribute. */
	put32(&k, OVS_KEY_ATTR_IN_PORT, 1);
	CHECK_INT(buf_put(&k, b, 3), 0);
	key_nu(&k, "key attribute stream truncated");

	/* An attribute longer than the stream. */
	put32(&k, OVS_KEY_ATTR_IN_PORT, 1);
	k.data[0] = 12;
	key_nu(&k, "key attribute stream truncated");
}

TEST(mask_missing_attribute_is_wildcard)
{
	struct ovs_key_ipv4 ipm = {htonl(0xffffff00), 0, 0xff, 0, 0, 0xff};
	struct fx x;

	fx_init(&x, true);
	put32(x.k, OVS_KEY_ATTR_IN_PORT, 1);
	put(x.k, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	put_ipv4_tcp(x.k);
	put32(x.mk, OVS_KEY_ATTR_IN_PORT, UINT32_MAX);
	put16(x.mk, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
	put(x.mk, OVS_KEY_ATTR_IPV4, &ipm, sizeof ipm);
	put16(x.mk, OVS_KEY_ATTR_TCP_FLAGS, 0); /* all-zero: absent */
	CHECK_OK(&x);
	CHECK(FLOW_FIELD_WILD(&x.m, eth));
	CHECK(FLOW_FIELD_WILD(&x.m, tcp));
	CHECK(FLOW_FIELD_WILD(&x.m, tcp_flags));
	CHECK(FLOW_FIELD_EXACT(&x.m, in_port));
	CHECK(FLOW_FIELD_EXACT(&x.m, eth_type));
	CHECK_MEM(&x.m.mask.ipv4, &ipm, sizeof ipm);
	CHECK(FLOW_FIELD_EXACT(&x.m, ipv4.ipv4_proto));
	CHECK(!FLOW_FIELD_EXACT(&x.m, ipv4.ipv4_src));
	CHECK(FLOW_FIELD_WILD(&x.m, ipv4.ipv4_dst));
	CHECK_INT(x.m.mask_attrs, BIT(IN_PORT) | BIT(ETHERTYPE) | BIT(IPV4));
	CHECK(x.m.key_attrs & BIT(TCP));
	/* The kernel still matches the (absent) TCI exactly. */
	CHECK(FLOW_FIELD_EXACT(&x.m, vlans[0].tci));
}

TEST(mask_partial_fields)
{
	struct ovs_key_tcp tm = {0, htons(0xff00)};
	struct fx x;

	fx_init(&x, true);
	put32(x.k, OVS_KEY_ATTR_CT_STATE, OVS_CS_F_TRACKED);
	put32(x.k, OVS_KEY_ATTR_CT_MARK, 0x10);
	put_ipv4_tcp(x.k);
	put32(x.mk, OVS_KEY_ATTR_CT_STATE, OVS_CS_F_TRACKED | OVS_CS_F_NEW);
	put32(x.mk, OVS_KEY_ATTR_CT_MARK, 0xf0);
	put(x.mk, OVS_KEY_ATTR_TCP, &tm, sizeof tm);
	put16(x.mk, OVS_KEY_ATTR_TCP_FLAGS, htons(0x0fff));
	CHECK_OK(&x);
	CHECK_INT(x.m.mask.ct_state, OVS_CS_F_TRACKED | OVS_CS_F_NEW);
	CHECK_INT(x.m.mask.ct_mark, 0xf0);
	CHECK_INT(x.m.mask.tcp.tcp_src, 0);
	CHECK_INT(x.m.mask.tcp.tcp_dst, htons(0xff00));
	CHECK_INT(x.m.mask.tcp_flags, htons(0x0fff));
	CHECK_INT(x.m.mask_attrs,
		  BIT(CT_STATE) | BIT(CT_MARK) | BIT(TCP) | BIT(TCP_FLAGS));
}

TEST(mask_attributes_absent_from_key)
{
	struct fx x;

	/* An 802.2 frame: no ETHERTYPE in the key, 0xffff in the mask; the
	 * kernel also reports in_port and vlan masks for such flows. */
	fx_init(&x, true);
	put(x.k, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	put32(x.mk, OVS_KEY_ATTR_IN_PORT, UINT32_MAX);
	put(x.mk, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	put16(x.mk, OVS_KEY_ATTR_VLAN, 0xffff);
	put16(x.mk, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
	CHECK_OK(&x);
	CHECK_INT(x.m.key_attrs, BIT(ETHERNET));
	CHECK_INT(x.m.mask_attrs,
		  BIT(IN_PORT) | BIT(ETHERNET) | BIT(VLAN) | BIT(ETHERTYPE));
	CHECK_INT(x.m.key.eth_type, 0);
	CHECK_INT(x.m.mask.eth_type, 0xffff);
	CHECK_INT(x.m.mask.in_port, UINT32_MAX);
	CHECK_INT(x.m.mask.vlans[0].tci, 0xffff);
	CHECK_INT(x.m.n_vlans, 0);
}

TEST(mask_forced_exact_fields)
{
	struct fx x;

	/* in_port and EtherType masks are exact whatever non-zero value is
	 * given; a zero VLAN mask is absent and leaves the TCI exact. */
	fx_init(&x, true);
	put32(x.k, OVS_KEY_ATTR_IN_PORT, 3);
	put16(x.k, OVS_KEY_ATTR_ETHERTYPE, htons(0x0806));
	put32(x.mk, OVS_KEY_ATTR_IN_PORT, 0xffff);
	put16(x.mk, OVS_KEY_ATTR_ETHERTYPE, htons(0x00ff));
	put16(x.mk, OVS_KEY_ATTR_VLAN, 0);
	CHECK_OK(&x);
	CHECK_INT(x.m.mask.in_port, UINT32_MAX);
	CHECK_INT(x.m.mask.eth_type, 0xffff);
	CHECK_INT(x.m.mask.vlans[0].tci, 0xffff);
	CHECK_INT(x.m.mask_attrs, BIT(IN_PORT) | BIT(ETHERTYPE));

	/* A VLAN mask without the present bit wildcards the tag. */
	fx_init(&x, true);
	put16(x.k, OVS_KEY_ATTR_ETHERTYPE, htons(0x0800));
	put16(x.mk, OVS_KEY_ATTR_VLAN, htons(0x0fff));
	CHECK_OK(&x);
	CHECK_INT(x.m.mask.vlans[0].tci, htons(0x0fff));
}

TEST(mask_qinq_inner_partial)
{
	struct ovs_key_ipv4 ipm = {0, htonl(0xffffffff), 0xff, 0, 0, 0};
	struct fx x;
	long e1, e2;

	fx_init(&x, true);
	e1 = open_vlan(x.k, 0x88a8, 0x1000 | 10);
	e2 = open_vlan(x.k, 0x8100, 0x1000 | 20);
	put_ipv4_tcp(x.k);
	end(x.k, e2);
	end(x.k, e1);
	e1 = open_vlan(x.mk, 0xffff, 0x1fff);
	e2 = open_vlan(x.mk, 0xffff, 0x1000); /* inner: only "tagged" */
	put16(x.mk, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
	put(x.mk, OVS_KEY_ATTR_IPV4, &ipm, sizeof ipm);
	end(x.mk, e2);
	end(x.mk, e1);
	CHECK_OK(&x);
	CHECK_INT(x.m.mask.vlans[0].tpid, 0xffff);
	CHECK_INT(x.m.mask.vlans[0].tci, htons(0x1fff));
	CHECK_INT(x.m.mask.vlans[1].tpid, 0xffff);
	CHECK_INT(x.m.mask.vlans[1].tci, htons(0x1000));
	CHECK_INT(x.m.mask.eth_type, 0xffff);
	CHECK_MEM(&x.m.mask.ipv4, &ipm, sizeof ipm);
	CHECK(FLOW_FIELD_WILD(&x.m, tcp));
	CHECK_INT(x.m.mask_attrs,
		  BIT(ETHERTYPE) | BIT(VLAN) | BIT(ENCAP) | BIT(IPV4));
}

TEST(mask_vlan_truncated_and_missing_encap)
{
	struct fx x;
	long e;

	/* The kernel's mask of a truncated tag: an empty ENCAP. */
	fx_init(&x, true);
	e = open_vlan(x.k, 0x8100, 0);
	end(x.k, e);
	e = open_vlan(x.mk, 0xffff, 0xffff);
	end(x.mk, e);
	CHECK_OK(&x);
	CHECK_INT(x.m.n_vlans, 1);
	CHECK(ONES(x.m.mask.vlans[0]));

	/* A tagged key whose mask stops at the tag: inner wildcarded. */
	fx_init(&x, true);
	e = open_vlan(x.k, 0x8100, 0x1005);
	put_ipv4_tcp(x.k);
	end(x.k, e);
	put16(x.mk, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
	put16(x.mk, OVS_KEY_ATTR_VLAN, htons(0x1fff));
	CHECK_OK(&x);
	CHECK_INT(x.m.mask.vlans[0].tpid, 0xffff);
	CHECK_INT(x.m.mask.vlans[0].tci, htons(0x1fff));
	CHECK_INT(x.m.mask.eth_type, 0);
	CHECK(FLOW_FIELD_WILD(&x.m, ipv4));
}

TEST(mask_tunnel_partial_and_empty)
{
	struct fx x;
	long t;

	fx_init(&x, true);
	put_tunnel_ipv4(x.k);
	t = nest(x.mk, OVS_KEY_ATTR_TUNNEL);
	put64(x.mk, OVS_TUNNEL_KEY_ATTR_ID, UINT64_MAX);
	put32(x.mk, OVS_TUNNEL_KEY_ATTR_IPV4_DST, UINT32_MAX);
	put8(x.mk, OVS_TUNNEL_KEY_ATTR_TTL, 0);
	flag(x.mk, OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT);
	end(x.mk, t);
	CHECK_OK(&x);
	CHECK(ONES(x.m.mask.tunnel.tun_id) && ONES(x.m.mask.tunnel.ipv4_dst));
	CHECK_INT(x.m.mask.tunnel.ipv4_src, 0);
	CHECK_INT(x.m.mask.tunnel.ttl, 0);
	CHECK_INT(x.m.mask.tunnel.flags, TBIT(DONT_FRAGMENT));
	CHECK_INT(x.m.mask.tunnel.present,
		  TBIT(ID) | TBIT(IPV4_DST) | TBIT(DONT_FRAGMENT));
	CHECK_INT(x.m.mask.tunnel.geneve_len, 0);
	CHECK_INT(x.m.mask_attrs, BIT(TUNNEL));

	/* What the kernel dumps for a non-tunnel flow: TUNNEL{ttl 0}. */
	fx_init(&x, true);
	put32(x.k, OVS_KEY_ATTR_IN_PORT, 1);
	t = nest(x.mk, OVS_KEY_ATTR_TUNNEL);
	put8(x.mk, OVS_TUNNEL_KEY_ATTR_TTL, 0);
	end(x.mk, t);
	CHECK_OK(&x);
	CHECK(FLOW_FIELD_WILD(&x.m, tunnel));
	CHECK_INT(x.m.mask_attrs, 0);
}

TEST(mask_nsh_and_mpls_partial)
{
	struct ovs_nsh_key_base base = {0, 0, 0, 0, htonl(0x1234)};
	struct ovs_nsh_key_base bm = {0, 0, 0, 0, htonl(0xffffff00)};
	uint32_t lse[2] = {htonl(0x1140), htonl(0x2141)};
	uint32_t lsem[1] = {htonl(0xfffff000)};
	struct fx x;
	long n;

	fx_init(&x, true);
	n = nest(x.k, OVS_KEY_ATTR_NSH);
	put(x.k, OVS_NSH_KEY_ATTR_BASE, &base, sizeof base);
	end(x.k, n);
	put(x.k, OVS_KEY_ATTR_MPLS, lse, sizeof lse);
	n = nest(x.mk, OVS_KEY_ATTR_NSH);
	put(x.mk, OVS_NSH_KEY_ATTR_BASE, &bm, sizeof bm);
	put(x.mk, OVS_NSH_KEY_ATTR_MD1, (uint8_t[16]){0}, 16);
	end(x.mk, n);
	put(x.mk, OVS_KEY_ATTR_MPLS, lsem, sizeof lsem);
	CHECK_OK(&x);
	CHECK_MEM(&x.m.mask.nsh_base, &bm, sizeof bm);
	CHECK(FLOW_FIELD_WILD(&x.m, nsh_md1));
	CHECK_INT(x.m.n_mpls, 2);
	CHECK_INT(x.m.mask.mpls[0].mpls_lse, htonl(0xfffff000));
	CHECK_INT(x.m.mask.mpls[1].mpls_lse, 0);
	CHECK_INT(x.m.mask_attrs, BIT(NSH) | BIT(MPLS));
}

TEST(mask_errors)
{
	uint8_t b[16] = {0};
	struct fx x;
	long e;

	one_nu(true, 99, b, 4, "mask: unknown key attribute 99");
	one_nu(true, OVS_KEY_ATTR_IPV4, b, 11,
	       "mask: key attribute ipv4: length 11, expected 12");
	fx_init(&x, true);
	put32(x.mk, OVS_KEY_ATTR_SKB_MARK, 0);
	put32(x.mk, OVS_KEY_ATTR_SKB_MARK, 0);
	CHECK_NU(&x, "mask: duplicate key attribute skb_mark");
	fx_init(&x, true);
	put32(x.mk, OVS_KEY_ATTR_SKB_MARK, 0);
	CHECK_INT(buf_put(x.mk, b, 2), 0);
	CHECK_NU(&x, "mask: key attribute stream truncated");

	/* ENCAP in the mask of an untagged key. */
	fx_init(&x, true);
	put16(x.k, OVS_KEY_ATTR_ETHERTYPE, htons(0x0800));
	e = open_vlan(x.mk, 0xffff, 0xffff);
	put16(x.mk, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
	end(x.mk, e);
	CHECK_NU(&x, "mask: encap for a vlan level the key does not have");

	/* A tag's mask must match the TPID and the present bit exactly. */
	fx_init(&x, true);
	e = open_vlan(x.k, 0x8100, 0x1001);
	put16(x.k, OVS_KEY_ATTR_ETHERTYPE, htons(0x0800));
	end(x.k, e);
	e = open_vlan(x.mk, 0xffff, 0x0fff);
	put16(x.mk, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
	end(x.mk, e);
	CHECK_NU(
		&x,
		"mask: vlan mask must match the tpid and the present bit exactly");
}

/* The metadata the kernel puts first in every dumped key and mask, in its
 * order; a mask also gets the TUNNEL nest it always emits (ttl 0 when the
 * flow has no tunnel). */
static void put_kernel_meta(struct buf *b, bool mask, uint32_t in_port)
{
	struct ovs_key_ct_labels zero_labels = {{{0}}};
	long t;

	put32(b, OVS_KEY_ATTR_RECIRC_ID, mask ? UINT32_MAX : 0);
	put32(b, OVS_KEY_ATTR_DP_HASH, 0);
	put32(b, OVS_KEY_ATTR_PRIORITY, 0);
	if (mask) {
		t = nest(b, OVS_KEY_ATTR_TUNNEL);
		put8(b, OVS_TUNNEL_KEY_ATTR_TTL, 0);
		end(b, t);
	}
	put32(b, OVS_KEY_ATTR_IN_PORT, in_port);
	put32(b, OVS_KEY_ATTR_SKB_MARK, 0);
	put32(b, OVS_KEY_ATTR_CT_STATE, 0);
	put16(b, OVS_KEY_ATTR_CT_ZONE, 0);
	put32(b, OVS_KEY_ATTR_CT_MARK, 0);
	put(b, OVS_KEY_ATTR_CT_LABELS, &zero_labels, sizeof zero_labels);
}

/* The key and mask of a dumped TCP flow, in the kernel's attribute order
 * (__ovs_nla_put_key), including the wildcarded metadata it always emits. */
TEST(kernel_shaped_tcp_flow)
{
	struct ovs_key_ethernet eth_m = {{0, 0, 0, 0, 0, 0},
					 {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}};
	struct ovs_key_ipv4 ip_m = {0, htonl(0xffffffff), 0xff, 0, 0, 0xff};
	struct ovs_key_tcp tcp_m = {0, htons(0xffff)};
	struct ovs_key_ipv4 ip_k = ipv4(6);
	struct fx x;

	ip_k.ipv4_src = 0; /* masked key: unmatched bits are zero */
	ip_k.ipv4_tos = ip_k.ipv4_ttl = 0;
	fx_init(&x, true);
	put_kernel_meta(x.k, false, 2);
	put(x.k, OVS_KEY_ATTR_ETHERNET,
	    &(struct ovs_key_ethernet){{0}, {0x02, 0, 0, 0, 0, 0x02}},
	    sizeof eth);
	put16(x.k, OVS_KEY_ATTR_ETHERTYPE, htons(0x0800));
	put(x.k, OVS_KEY_ATTR_IPV4, &ip_k, sizeof ip_k);
	put(x.k, OVS_KEY_ATTR_TCP, &(struct ovs_key_tcp){0, htons(80)}, 4);
	put16(x.k, OVS_KEY_ATTR_TCP_FLAGS, 0);

	put_kernel_meta(x.mk, true, UINT32_MAX);
	put(x.mk, OVS_KEY_ATTR_ETHERNET, &eth_m, sizeof eth_m);
	put16(x.mk, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
	put(x.mk, OVS_KEY_ATTR_IPV4, &ip_m, sizeof ip_m);
	put(x.mk, OVS_KEY_ATTR_TCP, &tcp_m, sizeof tcp_m);
	put16(x.mk, OVS_KEY_ATTR_TCP_FLAGS, 0);
	CHECK_OK(&x);

	CHECK_INT(x.m.key_attrs, BIT(RECIRC_ID) | BIT(DP_HASH) | BIT(PRIORITY) |
					 BIT(IN_PORT) | BIT(SKB_MARK) |
					 BIT(CT_STATE) | BIT(CT_ZONE) |
					 BIT(CT_MARK) | BIT(CT_LABELS) |
					 BIT(ETHERNET) | BIT(ETHERTYPE) |
					 BIT(IPV4) | BIT(TCP) | BIT(TCP_FLAGS));
	CHECK_INT(x.m.mask_attrs, BIT(RECIRC_ID) | BIT(IN_PORT) |
					  BIT(ETHERNET) | BIT(ETHERTYPE) |
					  BIT(IPV4) | BIT(TCP));
	CHECK_INT(x.m.key.in_port, 2);
	CHECK_INT(x.m.key.ipv4.ipv4_dst, htonl(0x0a000002));
	CHECK_INT(x.m.key.tcp.tcp_dst, htons(80));
	CHECK(FLOW_FIELD_EXACT(&x.m, recirc_id));
	CHECK(FLOW_FIELD_EXACT(&x.m, in_port));
	CHECK(FLOW_FIELD_WILD(&x.m, dp_hash) && FLOW_FIELD_WILD(&x.m, tunnel));
	CHECK(FLOW_FIELD_WILD(&x.m, ct_state) &&
	      FLOW_FIELD_WILD(&x.m, ct_labels));
	CHECK(FLOW_FIELD_EXACT(&x.m, eth.eth_dst));
	CHECK(FLOW_FIELD_WILD(&x.m, eth.eth_src));
	CHECK(FLOW_FIELD_EXACT(&x.m, ipv4.ipv4_dst));
	CHECK(FLOW_FIELD_EXACT(&x.m, ipv4.ipv4_frag));
	CHECK(FLOW_FIELD_WILD(&x.m, ipv4.ipv4_ttl));
	CHECK(FLOW_FIELD_EXACT(&x.m, tcp.tcp_dst));
	CHECK(FLOW_FIELD_WILD(&x.m, tcp_flags));
	CHECK(FLOW_FIELD_EXACT(&x.m, vlans[0].tci));
	CHECK_INT(x.m.n_vlans, 0);
}
