/* The printer on raw streams the parser never produces (malformed lengths,
 * unknown ids, leftover bytes, no mask, missing mask attributes), against
 * the texts Open vSwitch 3.1 prints for them (odp_flow_format() and
 * format_odp_key_attr() in lib/odp-util.c: "key%d(...)", "(bad key length
 * N, expected M)", the exact-mask form of a flow without mask); and the
 * parser's one-line errors on bad input. */
#include <errno.h>
#include <linux/openvswitch.h>
#include <string.h>

#include "nlattr.h"
#include "odp-text.h"
#include "test.h"

static const uint8_t mac12[12] = {0,	1,    2,    3,	  4,	5,
				  0x10, 0x11, 0x12, 0x13, 0x14, 0x15};
static const uint8_t ones[64] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

static const char *match_text(struct ds *s, const struct odp_flow *f,
			      bool verbose)
{
	ds_clear(s);
	odp_format_match(s, f, verbose);
	return ds_cstr(s);
}

static const char *actions_text(struct ds *s, const struct buf *a)
{
	ds_clear(s);
	odp_format_actions(s, a->data, a->len);
	return ds_cstr(s);
}

TEST(bad_key_lengths)
{
	static const uint8_t et3[3] = {8, 0, 0};
	struct odp_flow f;
	struct ds s = DS_INIT;

	odp_flow_init(&f);
	f.has_mask = true;
	attr_put_u32(&f.key, OVS_KEY_ATTR_RECIRC_ID, 0);
	attr_put(&f.key, OVS_KEY_ATTR_ETHERNET, mac12, 12);
	attr_put(&f.key, OVS_KEY_ATTR_ETHERTYPE, et3, 3);
	attr_put(&f.mask, OVS_KEY_ATTR_RECIRC_ID, ones, 4);
	attr_put(&f.mask, OVS_KEY_ATTR_ETHERNET, ones, 12);
	attr_put(&f.mask, OVS_KEY_ATTR_ETHERTYPE, ones, 2);
	/* The bad EtherType does not count as one: OVS checks the length
	 * first, so the 802.2 trailer follows. */
	CHECK_STR(
		match_text(&s, &f, false),
		"recirc_id(0),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15)(bad key length 3, expected 2)(08 00 00/ff ff),eth_type(0/0xffff)");

	/* Both lengths bad: two '(' opened, one closed, as OVS prints. */
	buf_clear(&f.mask);
	attr_put(&f.mask, OVS_KEY_ATTR_RECIRC_ID, ones, 4);
	attr_put(&f.mask, OVS_KEY_ATTR_ETHERNET, ones, 12);
	attr_put(&f.mask, OVS_KEY_ATTR_ETHERTYPE, ones, 1);
	CHECK_STR(
		match_text(&s, &f, true),
		"recirc_id(0),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15)(bad key length 3, expected 2)(08 00 00/(bad mask length 1, expected 2)(ff),eth_type(0/0xff00)");

	/* MPLS is variable-length: its own check leaves the ')' out. */
	buf_clear(&f.key);
	buf_clear(&f.mask);
	attr_put(&f.key, OVS_KEY_ATTR_MPLS, mac12, 5);
	attr_put(&f.mask, OVS_KEY_ATTR_MPLS, ones, 5);
	CHECK_STR(match_text(&s, &f, false), "mpls((bad key length 5)");
	odp_flow_destroy(&f);
	ds_free(&s);
}

TEST(unknown_and_leftover)
{
	static const uint8_t junk[3] = {1, 2, 3};
	struct odp_flow f;
	struct ds s = DS_INIT;

	odp_flow_init(&f);
	f.has_mask = true;
	CHECK_STR(match_text(&s, &f, false), "<empty>");
	attr_put_u32(&f.key, OVS_KEY_ATTR_RECIRC_ID, 0);
	attr_put_u16(&f.key, 32, 0);
	attr_put_u32(&f.key, 40, 7);
	attr_put(&f.mask, OVS_KEY_ATTR_RECIRC_ID, ones, 4);
	attr_put_u16(&f.mask, 32, 0);
	/* No mask attribute: wildcarded, so only verbose shows it. */
	CHECK_STR(match_text(&s, &f, false), "recirc_id(0),key32(00 00/00 00)");
	CHECK_STR(
		match_text(&s, &f, true),
		"recirc_id(0),key32(00 00/00 00),key40(07 00 00 00/00 00 00 00)");
	buf_put(&f.key, junk, sizeof junk);
	CHECK_STR(
		match_text(&s, &f, false),
		"recirc_id(0),key32(00 00/00 00),***3 leftover bytes*** (010203)");
	buf_clear(&f.key);
	buf_put(&f.key, junk, 2);
	CHECK_STR(match_text(&s, &f, false),
		  "<empty>,***2 leftover bytes*** (0102)");
	odp_flow_destroy(&f);
	ds_free(&s);
}

/* A key without a MASK attribute: everything exact, with OVS's quirks. */
TEST(no_mask_mode)
{
	static const uint8_t tcpf[2] = {0, 0x12};
	struct odp_flow f;
	struct ds s = DS_INIT;

	odp_flow_init(&f);
	attr_put_u32(&f.key, OVS_KEY_ATTR_RECIRC_ID, 0);
	attr_put_u32(&f.key, OVS_KEY_ATTR_IN_PORT, 1);
	attr_put_u32(&f.key, OVS_KEY_ATTR_CT_STATE, 0x21);
	attr_put_u16(&f.key, OVS_KEY_ATTR_CT_ZONE, 5);
	attr_put_u32(&f.key, OVS_KEY_ATTR_CT_MARK, 0);
	attr_put(&f.key, OVS_KEY_ATTR_TCP_FLAGS, tcpf, 2);
	CHECK_STR(
		match_text(&s, &f, false),
		"recirc_id(0),in_port(1),ct_state(new|trk),ct_zone(),ct_mark(),tcp_flags(syn|ack)");
	CHECK_STR(
		match_text(&s, &f, true),
		"recirc_id(0),in_port(1),ct_state(0x21),ct_zone(0x5),ct_mark(0),tcp_flags(syn|ack)");
	odp_flow_destroy(&f);
	ds_free(&s);
}

/* Attributes the mask stream lacks get zero masks; nested ones an empty
 * nest, so a tunnel shows only its implied key flag. */
TEST(missing_mask_attributes)
{
	struct odp_flow f;
	struct ds s = DS_INIT;
	long nest;

	odp_flow_init(&f);
	f.has_mask = true;
	attr_put_u32(&f.key, OVS_KEY_ATTR_RECIRC_ID, 0);
	attr_put_u32(&f.key, OVS_KEY_ATTR_DP_HASH, 9);
	nest = attr_nest_start(&f.key, OVS_KEY_ATTR_TUNNEL);
	attr_put_u64(&f.key, OVS_TUNNEL_KEY_ATTR_ID, 0);
	attr_put_u8(&f.key, OVS_TUNNEL_KEY_ATTR_TTL, 64);
	attr_nest_end(&f.key, nest);
	attr_put(&f.key, OVS_KEY_ATTR_ETHERNET, mac12, 12);
	attr_put(&f.mask, OVS_KEY_ATTR_RECIRC_ID, ones, 4);
	attr_put(&f.mask, OVS_KEY_ATTR_ETHERTYPE, ones, 2);
	CHECK_STR(match_text(&s, &f, false),
		  "recirc_id(0),tunnel(flags(+key)),eth(),eth_type(0/0xffff)");
	CHECK_STR(
		match_text(&s, &f, true),
		"recirc_id(0),dp_hash(0x9/0),tunnel(tun_id=0x0/0,ttl=64/0,flags(+key)),eth(src=00:01:02:03:04:05/00:00:00:00:00:00,dst=10:11:12:13:14:15/00:00:00:00:00:00),eth_type(0/0xffff)");
	odp_flow_destroy(&f);
	ds_free(&s);
}

TEST(bad_and_unknown_actions)
{
	static const uint8_t eight[8] = {1, 0, 0, 0, 2, 0, 0, 0};
	struct buf a = BUF_INIT;
	struct ds s = DS_INIT;
	long nest;

	attr_put(&a, 30, eight, 8);
	CHECK_STR(
		actions_text(&s, &a),
		"bad length 8, expected -1 for: action30(01 00 00 00 02 00 00 00)");
	buf_clear(&a);
	attr_put(&a, 30, NULL, 0);
	attr_put(&a, OVS_ACTION_ATTR_OUTPUT, eight, 2);
	CHECK_STR(
		actions_text(&s, &a),
		"bad length 0, expected -1 for: action30,bad length 2, expected 4 for: action1(01 00)");
	/* OVS 3.1 numbers its userspace actions from 23: the kernel's DROP
	 * prints as tnl_pop(reason), PSAMPLE as a bad-length action25. */
	buf_clear(&a);
	attr_put_u32(&a, 24, 0);
	nest = attr_nest_start(&a, 25);
	attr_put_u32(&a, 1, 12);
	attr_nest_end(&a, nest);
	CHECK_STR(
		actions_text(&s, &a),
		"tnl_pop(0),bad length 8, expected 4 for: action25(08 00 01 00 0c 00 00 00)");
	buf_clear(&a);
	attr_put_u32(&a, OVS_ACTION_ATTR_OUTPUT, 1);
	buf_put(&a, eight, 2);
	CHECK_STR(actions_text(&s, &a), "1,***2 leftover bytes*** (0100)");
	buf_free(&a);
	ds_free(&s);
}

/* Nested payloads OVS refuses print its error texts. */
TEST(refused_nested_actions)
{
	static const uint8_t eight[8] = {1, 0, 0, 0, 2, 0, 0, 0};
	struct buf a = BUF_INIT;
	struct ds s = DS_INIT;
	long nest, inner;

	nest = attr_nest_start(&a, OVS_ACTION_ATTR_CT);
	attr_put(&a, OVS_CT_ATTR_ZONE, eight, 3);
	attr_nest_end(&a, nest);
	nest = attr_nest_start(&a, OVS_ACTION_ATTR_CT);
	inner = attr_nest_start(&a, OVS_CT_ATTR_NAT);
	attr_put_flag(&a, OVS_NAT_ATTR_SRC);
	attr_put_flag(&a, OVS_NAT_ATTR_DST);
	attr_nest_end(&a, inner);
	attr_nest_end(&a, nest);
	nest = attr_nest_start(&a, OVS_ACTION_ATTR_USERSPACE);
	attr_nest_end(&a, nest);
	nest = attr_nest_start(&a, OVS_ACTION_ATTR_SAMPLE);
	attr_nest_end(&a, nest);
	CHECK_STR(
		actions_text(&s, &a),
		"ct(error),ct(nat(error: Only one of \"src\" or \"dst\" may be present.)),userspace(error),sample(error)");

	/* set(nsh) with an MD2 sub-attribute: OVS prints nothing at all. */
	buf_clear(&a);
	attr_put_u32(&a, OVS_ACTION_ATTR_OUTPUT, 1);
	nest = attr_nest_start(&a, OVS_ACTION_ATTR_SET_MASKED);
	inner = attr_nest_start(&a, OVS_KEY_ATTR_NSH);
	attr_put(&a, OVS_NSH_KEY_ATTR_MD2, eight, 8);
	attr_nest_end(&a, inner);
	attr_nest_end(&a, nest);
	attr_put_u32(&a, OVS_ACTION_ATTR_OUTPUT, 2);
	CHECK_STR(actions_text(&s, &a), "1,,2");
	buf_free(&a);
	ds_free(&s);
}

TEST(stats_and_line)
{
	struct odp_format_opts o = {
		.verbose = true, .stats = true, .now_ms = 10000};
	struct odp_flow f;
	struct ds s = DS_INIT;

	odp_flow_init(&f);
	f.has_mask = true;
	f.ufid_len = 16;
	for (int i = 0; i < 16; i++)
		f.ufid[i] = (uint8_t)(i + 1);
	attr_put_u32(&f.key, OVS_KEY_ATTR_IN_PORT, 3);
	attr_put(&f.mask, OVS_KEY_ATTR_IN_PORT, ones, 4);
	f.stats.packets = 8;
	f.stats.bytes = 520;
	f.stats.used_ms = 3387;
	f.stats.tcp_flags = 0x1b;
	odp_format_flow(&s, &f, &o);
	CHECK_STR(
		ds_cstr(&s),
		"ufid:04030201-0807-0605-0c0b-0a09100f0e0d, in_port(3), packets:8, bytes:520, used:6.613s, flags:SFP., dp:ovs, actions:drop");
	ds_clear(&s);
	o.verbose = false;
	o.stats = false;
	odp_format_flow(&s, &f, &o);
	CHECK_STR(ds_cstr(&s), "in_port(3), actions:drop");
	odp_flow_destroy(&f);
	ds_free(&s);
}

struct bad_input {
	const char *text;
	const char *error; /* the whole one-line message */
};

static const struct bad_input bad_lines[] = {
	{"in_port(1),eth(src=zz:00:00:00:00:00)",
	 "column 20: bad MAC address at 'zz:00:00:00:00:00)'"},
	{"recirc_id(0x100000000)",
	 "column 11: number too large (at most 4294967295) at '0x100000000)'"},
	{"foo(1)", "column 1: unknown key attribute at 'foo(1)'"},
	{"in_port(1", "column 10: expected ')' at end of input"},
	{"in_port(1),in_port(2)",
	 "column 12: attribute given twice at 'in_port(2)'"},
	{"ipv4(src=1.2.3.4/24)", "column 18: bad IPv4 address at '24)'"},
	{"ipv4(frag=maybe)",
	 "column 11: expected no, first or later at 'maybe)'"},
	{"mpls()", "column 6: mpls() needs a label stack entry at ')'"},
	{"ct_state(+foo)", "column 11: unknown flag at 'foo)'"},
	{"tcp_flags(0x1000/0x1000)",
	 "column 11: flags outside 0xfff at '0x1000/0x1000)'"},
	{"vlan(vid=4096)",
	 "column 10: number too large (at most 4095) at '4096)'"},
	{"tunnel(tun_id=1,tun_id=2)",
	 "column 17: tunnel field given twice at 'tun_id=2)'"},
	{"in_port(eth0)", "column 9: port names need a port map at 'eth0)'"},
	{"in_port(1), packets:x, actions:drop",
	 "column 21: expected a number at 'x, actions:drop'"},
	{"in_port(1), used:1.2345s, actions:drop",
	 "column 18: bad used: time at '1.2345s, actions:drop'"},
	{"ufid:1234, in_port(1), actions:drop",
	 "column 6: bad UFID at '1234, in_port(1), action...'"},
	{"in_port(1), actions:1,drop",
	 "column 23: drop must be the only action at 'drop'"},
	{"in_port(1), actions:1,foo(2)",
	 "column 23: unknown action at 'foo(2)'"},
	{"in_port(1), actions:ct(nat(src=10.0.0.2-10.0.0.1))",
	 "column 32: range maximum below its minimum at '10.0.0.2-10.0.0.1))'"},
	{"in_port(1), actions:recirc(1",
	 "column 29: expected ')' at end of input"},
	{"in_port(1), actions:1, packets:1",
	 "column 24: only dp-extra-info: may follow actions: at 'packets:1'"},
};

TEST(parse_errors_are_one_line)
{
	struct odp_flow f;
	char err[256];

	odp_flow_init(&f);
	for (size_t i = 0; i < sizeof bad_lines / sizeof bad_lines[0]; i++) {
		int r = odp_parse_flow(bad_lines[i].text, 100000, &f, err,
				       sizeof err);

		CHECK_INT(r, -EINVAL);
		CHECK_STR(err, bad_lines[i].error);
		CHECK(!strchr(err, '\n'));
		/* A failed parse leaves the flow empty. */
		CHECK_INT(f.key.len + f.mask.len + f.actions.len, 0);
	}
	odp_flow_destroy(&f);
}

TEST(nesting_is_bounded)
{
	char text[1024] = "";
	struct buf a = BUF_INIT;
	struct odp_flow f;
	char err[256];

	for (int i = 0; i < 40; i++)
		strcat(text, "encap(");
	odp_flow_init(&f);
	CHECK_INT(odp_parse_match(text, &f, err, sizeof err), -EINVAL);
	CHECK(strstr(err, "nested too deeply") != NULL);
	odp_flow_destroy(&f);
	text[0] = '\0';
	for (int i = 0; i < 40; i++)
		strcat(text, "clone(");
	CHECK_INT(odp_parse_actions(text, &a, err, sizeof err), -EINVAL);
	CHECK(strstr(err, "nested too deeply") != NULL);
	buf_free(&a);
}

TEST(ufid_text)
{
	uint8_t u[16], want[16];

	for (int i = 0; i < 16; i++)
		want[i] = (uint8_t)(i + 1);
	CHECK_INT(odp_parse_ufid("04030201-0807-0605-0c0b-0a09100f0e0d", u), 0);
	CHECK_MEM(u, want, 16);
	CHECK_INT(odp_parse_ufid("04030201-0807-0605-0C0B-0A09100F0E0D, x", u),
		  0);
	CHECK_MEM(u, want, 16);
	CHECK_INT(odp_parse_ufid("04030201-0807-0605-0c0b-0a09100f0e0", u),
		  -EINVAL);
	CHECK_INT(odp_parse_ufid("04030201x0807-0605-0c0b-0a09100f0e0d", u),
		  -EINVAL);
	CHECK_INT(odp_parse_ufid("04030201-0807-0605-0c0b-0a09100f0e0dz", u),
		  -EINVAL);
}
