/* Every key attribute and every action through the text format: parsed,
 * its netlink payload checked byte for byte (key and mask), printed back
 * non-verbose and verbose. */
#include <ctype.h>
#include <linux/openvswitch.h>
#include <stdlib.h>
#include <string.h>

#include "nlattr.h"
#include "odp-text.h"
#include "test.h"

struct key_case {
	const char *text;    /* the non-verbose form (parsed) */
	const char *verbose; /* the verbose print of the same; NULL: same */
	int type;	     /* attribute to spot-check at top level */
	const char *key;     /* its payload in hex, spaces ignored */
	const char *mask;
};

static const struct key_case key_cases[] = {
	{"skb_priority(0x1234/0xff)", NULL, OVS_KEY_ATTR_PRIORITY, "34120000",
	 "ff000000"},
	{"in_port(7)", NULL, OVS_KEY_ATTR_IN_PORT, "07000000", "ffffffff"},
	{"in_port(1/0xff)", NULL, OVS_KEY_ATTR_IN_PORT, "01000000", "ff000000"},
	{"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15/ff:ff:ff:00:00:00)",
	 NULL, OVS_KEY_ATTR_ETHERNET, "000102030405 101112131415",
	 "ffffffffffff ffffff000000"},
	{"eth()",
	 "eth(src=00:00:00:00:00:00/00:00:00:00:00:00,dst=00:00:00:00:00:00/00:00:00:00:00:00)",
	 OVS_KEY_ATTR_ETHERNET, "000000000000 000000000000",
	 "000000000000 000000000000"},
	{"eth_type(0x8100),vlan(vid=5,pcp=3),encap(eth_type(0x0800))", NULL,
	 OVS_KEY_ATTR_VLAN, "7005", "ffff"},
	{"vlan(vid=10/0xff0)", "vlan(vid=10/0xff0,pcp=0/0x0)",
	 OVS_KEY_ATTR_VLAN, "100a", "1ff0"},
	{"vlan(vid=0,pcp=0,cfi=0)", NULL, OVS_KEY_ATTR_VLAN, "0000", "ffff"},
	{"eth_type(0x1234/0xfff0)", NULL, OVS_KEY_ATTR_ETHERTYPE, "1234",
	 "fff0"},
	{"ipv4(src=10.0.0.1,dst=10.0.0.0/255.0.0.0,proto=6,tos=0x4/0xfc,ttl=64,frag=first)",
	 NULL, OVS_KEY_ATTR_IPV4, "0a000001 0a000000 06044001",
	 "ffffffff ff000000 fffcffff"},
	{"ipv4(dst=10.0.0.2,proto=17,frag=no)",
	 "ipv4(src=0.0.0.0/0.0.0.0,dst=10.0.0.2,proto=17,tos=0/0,ttl=0/0,frag=no)",
	 OVS_KEY_ATTR_IPV4, "00000000 0a000002 11000000",
	 "00000000 ffffffff ff0000ff"},
	{"ipv6(src=2001:db8::1,dst=2001:db8::/ffff:ffff::,label=0x12345,proto=17,tclass=0x10/0xf0,hlimit=64,frag=later)",
	 NULL, OVS_KEY_ATTR_IPV6,
	 "20010db8000000000000000000000001 20010db8000000000000000000000000 00012345 11104002",
	 "ffffffffffffffffffffffffffffffff ffffffff000000000000000000000000 000fffff fff0ffff"},
	{"tcp(src=80,dst=8080/0xff00)", NULL, OVS_KEY_ATTR_TCP, "0050 1f90",
	 "ffff ff00"},
	{"udp(dst=0/0xffe0)", "udp(src=0/0,dst=0/0xffe0)", OVS_KEY_ATTR_UDP,
	 "0000 0000", "0000 ffe0"},
	{"sctp(src=1,dst=2)", NULL, OVS_KEY_ATTR_SCTP, "0001 0002",
	 "ffff ffff"},
	{"icmp(type=8/0xf8)", "icmp(type=8/0xf8,code=0/0)", OVS_KEY_ATTR_ICMP,
	 "0800", "f800"},
	{"icmpv6(type=135,code=0)", NULL, OVS_KEY_ATTR_ICMPV6, "8700", "ffff"},
	{"arp(sip=10.0.0.1,tip=10.0.0.2,op=1/0xff)",
	 "arp(sip=10.0.0.1,tip=10.0.0.2,op=1/0xff,sha=00:00:00:00:00:00/00:00:00:00:00:00,tha=00:00:00:00:00:00/00:00:00:00:00:00)",
	 OVS_KEY_ATTR_ARP,
	 "0a000001 0a000002 0001 000000000000 000000000000 0000",
	 "ffffffff ffffffff 00ff 000000000000 000000000000 0000"},
	{"nd(target=fe80::1,sll=00:01:02:03:04:05,tll=00:00:00:00:00:00/ff:ff:ff:ff:ff:00)",
	 NULL, OVS_KEY_ATTR_ND,
	 "fe800000000000000000000000000001 000102030405 000000000000",
	 "ffffffffffffffffffffffffffffffff ffffffffffff ffffffffff00"},
	{"skb_mark(0x5/0xff)", NULL, OVS_KEY_ATTR_SKB_MARK, "05000000",
	 "ff000000"},
	{"tunnel(tun_id=0x7f10354/0xff,src=10.10.10.10,dst=20.20.20.20,ttl=64,tp_dst=4789,flags(-df-csum+key))",
	 NULL, OVS_KEY_ATTR_TUNNEL,
	 "0c000000 0000000007f10354 08000100 0a0a0a0a 08000200 14141414 05000400 40000000 06000a00 12b50000",
	 "0c000000 00000000000000ff 08000100 ffffffff 08000200 ffffffff 05000400 ff000000 06000a00 ffff0000 04000500 04000600"},
	{"tunnel(tun_id=0x5,ipv6_src=fe80::1,ipv6_dst=fe80::2,tos=0x4/0xfc,ttl=64,tp_src=1/0xff00,geneve({class=0x102,type=0x80,len=8,0x1122334455667788}),flags(df|csum|key))",
	 NULL, -1, NULL, NULL},
	{"tunnel(tun_id=0x1,dst=1.1.1.1,ttl=64,erspan(ver=1,idx=0x7/0xffffffff),flags(+key))",
	 NULL, -1, NULL, NULL},
	{"tunnel(tun_id=0x1,dst=1.1.1.1,ttl=64,erspan(ver=2,dir=1/0x1,hwid=0x7/0xf),flags(+key))",
	 NULL, -1, NULL, NULL},
	{"tunnel(tun_id=0x2,dst=1.1.1.1,ttl=64,vxlan(gbp(id=10,flags=0x1)),flags(+key))",
	 NULL, -1, NULL, NULL},
	{"tunnel(tun_id=0x1,src=1.1.1.1,ttl=5,key20(01 02/ff 00),flags(+key))",
	 NULL, -1, NULL, NULL},
	{"tcp_flags(syn|ack)", NULL, OVS_KEY_ATTR_TCP_FLAGS, "0012", "ffff"},
	{"tcp_flags(+syn-ack)", NULL, OVS_KEY_ATTR_TCP_FLAGS, "0002", "0012"},
	{"dp_hash(0x5/0xf)", NULL, OVS_KEY_ATTR_DP_HASH, "05000000",
	 "0f000000"},
	{"recirc_id(0x13d)", NULL, OVS_KEY_ATTR_RECIRC_ID, "3d010000",
	 "ffffffff"},
	{"mpls(label=100,tc=3,ttl=64,bos=1)", NULL, OVS_KEY_ATTR_MPLS,
	 "00064740", "ffffffff"},
	{"mpls(label=100/0xfffff,tc=3/7,ttl=64/0xff,bos=1/0,label=200/0xfffff,tc=0/0,ttl=0/0x0,bos=1/1)",
	 NULL, OVS_KEY_ATTR_MPLS, "00064740 000c8100", "fffffeff fffff100"},
	{"ct_state(-new+est-rel-rpl-inv+trk)", "ct_state(0x22/0x3f)",
	 OVS_KEY_ATTR_CT_STATE, "22000000", "3f000000"},
	{"ct_state(est|trk)", "ct_state(0x22)", OVS_KEY_ATTR_CT_STATE,
	 "22000000", "ffffffff"},
	{"ct_zone(0x5/0xff)", NULL, OVS_KEY_ATTR_CT_ZONE, "0500", "ff00"},
	{"ct_mark(0x10305070/0xf0f0f0f0)", NULL, OVS_KEY_ATTR_CT_MARK,
	 "70503010", "f0f0f0f0"},
	{"ct_label(0x1234567890abcdef1234567890abcdef/0x102030405060708090a0b0c0d0e0f0)",
	 NULL, OVS_KEY_ATTR_CT_LABELS, "efcdab9078563412efcdab9078563412",
	 "f0e0d0c0b0a09080 7060504030201000"},
	{"ct_tuple4(src=10.10.10.10,dst=20.20.20.20,proto=17,tp_src=1,tp_dst=2)",
	 NULL, OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4,
	 "0a0a0a0a 14141414 0001 0002 11000000",
	 "ffffffff ffffffff ffff ffff ff000000"},
	{"ct_tuple6(src=::1,dst=::2,proto=6,src_port=1,dst_port=2)", NULL,
	 OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6, NULL, NULL},
	{"nsh(flags=0,ttl=63,mdtype=1,np=3,spi=0x100,si=255,c1=0x1,c2=0x2,c3=0x3,c4=0x4)",
	 NULL, OVS_KEY_ATTR_NSH,
	 "0c000100 003f0103 000100ff 14000200 00000001 00000002 00000003 00000004",
	 "0c000100 ffffffff ffffffff 14000200 ffffffff ffffffff ffffffff ffffffff"},
	{"nsh(np=3,spi=0x10/0x0000ffff,si=0x03/0x0f)", NULL, -1, NULL, NULL},
	{"key32(00 00/00 00)", NULL, 32, "0000", "0000"},
	{"key300(01/02 03)", NULL, 300, "01", "0203"},
	{"packet_type(ns=1,id=0x894f)", NULL, 29, "0001894f", "ffffffff"},
	{"nd_ext(nd_reserved=0x0,nd_options_type=2)", NULL, 30,
	 "00000000 02000000", "ffffffff ff000000"},
	{"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0/0xffff)",
	 "eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0/0xffff)",
	 -1, NULL, NULL},
};

/* Hex text (spaces ignored) to bytes; returns the count. */
static size_t unhex(const char *hex, uint8_t *out, size_t max)
{
	size_t n = 0;

	for (; *hex && n < max; hex++) {
		char byte[3] = {0};

		if (isspace((unsigned char)*hex))
			continue;
		byte[0] = hex[0], byte[1] = hex[1];
		out[n++] = (uint8_t)strtoul(byte, NULL, 16);
		hex++;
	}
	return n;
}

static void check_payload(const struct buf *stream, int type, const char *hex,
			  const char *what, const char *text)
{
	const struct nlattr *a = attr_find(stream->data, stream->len, type);
	uint8_t want[128];
	size_t n = unhex(hex, want, sizeof want);

	if (!a) {
		test_fail(__FILE__, __LINE__, "%s: no %s attribute %d", text,
			  what, type);
		return;
	}
	if (attr_len(a) != n || memcmp(attr_data(a), want, n))
		test_fail(__FILE__, __LINE__,
			  "%s: %s payload differs (%zu bytes, want %zu)", text,
			  what, attr_len(a), n);
}

TEST(every_key_attribute)
{
	struct ds s = DS_INIT;
	char err[256];

	for (size_t i = 0; i < sizeof key_cases / sizeof key_cases[0]; i++) {
		const struct key_case *c = &key_cases[i];
		struct odp_flow f;

		odp_flow_init(&f);
		if (odp_parse_match(c->text, &f, err, sizeof err)) {
			test_fail(__FILE__, __LINE__, "%s: %s", c->text, err);
			odp_flow_destroy(&f);
			continue;
		}
		if (c->key) {
			check_payload(&f.key, c->type, c->key, "key", c->text);
			check_payload(&f.mask, c->type, c->mask, "mask",
				      c->text);
		}
		ds_clear(&s);
		odp_format_match(&s, &f, false);
		CHECK_STR(ds_cstr(&s), c->text);
		ds_clear(&s);
		odp_format_match(&s, &f, true);
		CHECK_STR(ds_cstr(&s), c->verbose ? c->verbose : c->text);
		/* The verbose form is itself a fixed point. */
		if (c->verbose &&
		    !odp_parse_match(c->verbose, &f, err, sizeof err)) {
			ds_clear(&s);
			odp_format_match(&s, &f, true);
			CHECK_STR(ds_cstr(&s), c->verbose);
		}
		odp_flow_destroy(&f);
	}
	ds_free(&s);
}

/* The 802.2 form: no EtherType in the key (the kernel refuses 0), 0xffff
 * in the mask. */
TEST(eth_type_8022)
{
	struct odp_flow f;
	char err[128];

	odp_flow_init(&f);
	CHECK_INT(odp_parse_match("eth(),eth_type(0/0xffff)", &f, err,
				  sizeof err),
		  0);
	CHECK(!attr_find(f.key.data, f.key.len, OVS_KEY_ATTR_ETHERTYPE));
	check_payload(&f.mask, OVS_KEY_ATTR_ETHERTYPE, "ffff", "mask", "802.2");
	/* An explicit 0x0000 stays a key attribute, as the kernel dumped
	 * it inside a QinQ encap (tests/data/ovs31). */
	CHECK_INT(odp_parse_match("eth_type(0x0000)", &f, err, sizeof err), 0);
	check_payload(&f.key, OVS_KEY_ATTR_ETHERTYPE, "0000", "key", "0x0000");
	odp_flow_destroy(&f);
}

struct action_case {
	const char *text;
	int type;	 /* first action's type */
	const char *hex; /* its payload, or NULL */
};

static const struct action_case action_cases[] = {
	{"2", OVS_ACTION_ATTR_OUTPUT, "02000000"},
	{"userspace(pid=7,slow_path(action))", OVS_ACTION_ATTR_USERSPACE,
	 "08000100 07000000 34000200 0200 0000 ffff0000"
	 "00000000000000000000000000000000 0000 0000 20000000"
	 "00000000 00000000 00000000 00000000"},
	{"set(ipv4(ttl=63))", OVS_ACTION_ATTR_SET_MASKED,
	 "1c000700 00000000 00000000 00003f00 00000000 00000000 0000ff00"},
	{"set(eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15))",
	 OVS_ACTION_ATTR_SET, "10000400 000102030405 101112131415"},
	{"push_vlan(vid=10,pcp=0)", OVS_ACTION_ATTR_PUSH_VLAN, "8100 100a"},
	{"pop_vlan", OVS_ACTION_ATTR_POP_VLAN, ""},
	{"sample(sample=50.0%,actions(1))", OVS_ACTION_ATTR_SAMPLE,
	 "08000100 00000080 0c000200 08000100 01000000"},
	{"recirc(0x1)", OVS_ACTION_ATTR_RECIRC, "01000000"},
	{"hash(l4(5))", OVS_ACTION_ATTR_HASH, "00000000 05000000"},
	{"push_mpls(label=1,tc=0,ttl=64,bos=1,eth_type=0x8847)",
	 OVS_ACTION_ATTR_PUSH_MPLS, "00001140 8847 0000"},
	{"pop_mpls(eth_type=0x800)", OVS_ACTION_ATTR_POP_MPLS, "0800"},
	{"ct(commit,zone=5)", OVS_ACTION_ATTR_CT, "04000100 06000200 05000000"},
	{"trunc(100)", OVS_ACTION_ATTR_TRUNC, "64000000"},
	{"push_eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15)",
	 OVS_ACTION_ATTR_PUSH_ETH, "000102030405 101112131415"},
	{"pop_eth", OVS_ACTION_ATTR_POP_ETH, ""},
	{"ct_clear", OVS_ACTION_ATTR_CT_CLEAR, ""},
	{"push_nsh(flags=0,ttl=63,mdtype=2,np=3,spi=0x1,si=255,md2=0x10203)",
	 OVS_ACTION_ATTR_PUSH_NSH,
	 "0c000100 003f0203 000001ff 08000300 00010203"},
	{"pop_nsh()", OVS_ACTION_ATTR_POP_NSH, ""},
	{"meter(3)", OVS_ACTION_ATTR_METER, "03000000"},
	{"clone(1)", OVS_ACTION_ATTR_CLONE, "08000100 01000000"},
	{"check_pkt_len(size=200,gt(1),le(drop))",
	 OVS_ACTION_ATTR_CHECK_PKT_LEN,
	 "06000100 c8000000 0c000200 08000100 01000000 04000300"},
	{"add_mpls(label=1,tc=0,ttl=64,bos=1,eth_type=0x8847)",
	 OVS_ACTION_ATTR_ADD_MPLS, "00001140 8847 0000"},
	{"dec_ttl(le_1(drop))", OVS_ACTION_ATTR_DEC_TTL, "04000100"},
	/* OVS 3.1's names for the kernel's DROP (24) and its own (25). */
	{"tnl_pop(9)", 24, "09000000"},
	{"lb_output(2)", 26, "02000000"},
	{"drop", -1, NULL},
};

TEST(every_action)
{
	struct buf acts = BUF_INIT;
	struct ds s = DS_INIT;
	uint8_t want[256];
	char err[256];

	for (size_t i = 0; i < sizeof action_cases / sizeof action_cases[0];
	     i++) {
		const struct action_case *c = &action_cases[i];
		const struct nlattr *a = (const void *)acts.data;
		size_t n;

		if (odp_parse_actions(c->text, &acts, err, sizeof err)) {
			test_fail(__FILE__, __LINE__, "%s: %s", c->text, err);
			continue;
		}
		a = (const void *)acts.data;
		if (c->type < 0) {
			CHECK_INT(acts.len, 0);
		} else {
			n = unhex(c->hex, want, sizeof want);
			CHECK(acts.len >= NLA_HDRLEN);
			if (acts.len >= NLA_HDRLEN &&
			    (attr_type(a) != c->type || attr_len(a) != n ||
			     memcmp(attr_data(a), want, n)))
				test_fail(
					__FILE__, __LINE__,
					"%s: type %d, %zu bytes; want %d, %zu",
					c->text, attr_type(a), attr_len(a),
					c->type, n);
		}
		ds_clear(&s);
		odp_format_actions(&s, acts.data, acts.len);
		CHECK_STR(ds_cstr(&s), c->text);
	}
	ds_free(&s);
	buf_free(&acts);
}
