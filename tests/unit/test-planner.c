/* The planner, text in, verdict and compiled form out: every verdict the
 * planner itself gives, and the projection and compilation of the match
 * and action kinds the fast path supports. */
#include <arpa/inet.h>
#include <string.h>

#include "plan-fixture.h"
#include "nlattr.h"
#include "planner.h"
#include "test.h"

#define ETH "eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02)"
#define IP4 \
	ETH ",eth_type(0x0800),ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,frag=no)"
#define UDP4 "recirc_id(0),in_port(1)," IP4 ",udp(src=1000,dst=53)"

static struct port_table ports;

static void plan_text(const char *match, const char *actions, struct plan *p)
{
	struct odp_flow f;

	if (!ports.by_no.buckets)
		fixture_ports(&ports);
	fixture_flow(&f, match, actions, 1);
	plan_flow(&ports, &f, p);
	odp_flow_destroy(&f);
}

static enum plan_verdict verdict(const char *match, const char *actions,
				 const char *want_detail)
{
	struct plan p;

	plan_text(match, actions, &p);
	if (want_detail)
		CHECK_STR(p.detail, want_detail);
	return p.verdict;
}

TEST(offloads_a_plain_forwarding_flow)
{
	struct plan p;

	plan_text(UDP4, "2", &p);
	CHECK_INT(p.verdict, PLAN_OFFLOADED);
	CHECK_INT(p.actions.out_kind, OVSX_OUT_REDIRECT);
	CHECK_INT(p.actions.out_ifindex, 12);
	CHECK_INT(p.actions.ops[0], OVSX_OP_END);
	CHECK_INT(p.actions.l4, OVSX_L4_UDP);
	CHECK_INT(p.actions.max_frame_len, 1514);
	CHECK_INT(p.match.key.in_port, 1);
	CHECK_INT(p.match.mask.in_port, UINT32_MAX);
	CHECK_INT(p.match.key.eth_type, htons(0x0800));
	CHECK_INT(p.match.key.nw_src[0], htonl(0x0a000001));
	CHECK_INT(p.match.key.nw_proto, 17);
	CHECK_INT(p.match.key.tp_dst, htons(53));
	CHECK_INT(p.match.mask.tp_dst, 0xffff);
	/* Untagged only: the TCI is exact (kernel default) and zero. */
	CHECK_INT(p.match.mask.vlan_tci[0], 0xffff);
	CHECK_INT(p.match.key.vlan_tci[0], 0);
	CHECK(p.match.first_pass);
}

TEST(verdicts_of_the_match)
{
	CHECK_INT(verdict("recirc_id(0x1),in_port(1)," IP4, "2", NULL),
		  PLAN_RECIRC);
	CHECK_INT(verdict("recirc_id(0),in_port(1),ct_state(+trk)," IP4, "2",
			  NULL),
		  PLAN_CONNTRACK);
	/* Untracked is what every first-pass frame is. */
	CHECK_INT(verdict("recirc_id(0),in_port(1),ct_state(-trk)," IP4, "2",
			  NULL),
		  PLAN_OFFLOADED);
	CHECK_INT(verdict("recirc_id(0),skb_mark(0x5),in_port(1)," IP4, "2",
			  NULL),
		  PLAN_METADATA);
	CHECK_INT(verdict("recirc_id(0),tunnel(tun_id=0x5,dst=10.1.1.1,ttl=64,"
			  "flags(-df-csum+key)),in_port(4)," IP4,
			  "2", NULL),
		  PLAN_TUNNEL);
	CHECK_INT(verdict("recirc_id(0)," IP4, "2", NULL),
		  PLAN_IN_PORT_WILDCARD);
	CHECK_INT(
		verdict("recirc_id(0),in_port(0)," IP4, "2",
			"port 0 (br0) is an Open vSwitch internal port (no XDP "
			"hook, no XDP xmit)"),
		PLAN_IN_PORT);
	CHECK_INT(verdict("recirc_id(0),in_port(9)," IP4, "2",
			  "port 9 is unknown"),
		  PLAN_IN_PORT);
	CHECK_INT(verdict("recirc_id(0),in_port(1)," ETH
			  ",eth_type(0x8847),mpls(label=100,tc=0,ttl=64,bos=1)",
			  "2", "mpls"),
		  PLAN_MATCH_FIELD);
	CHECK_INT(verdict("recirc_id(0),in_port(1)," ETH ",eth_type(0/0xffff)",
			  "2", "802.2 frames"),
		  PLAN_MATCH_FIELD);
}

TEST(verdicts_of_the_actions)
{
	CHECK_INT(verdict(UDP4, "ct(commit),recirc(0x1)", "ct"), PLAN_ACTION);
	CHECK_INT(verdict(UDP4, "userspace(pid=3)", "userspace"), PLAN_ACTION);
	CHECK_INT(verdict(UDP4, "sample(sample=50.0%,actions(2))", "sample"),
		  PLAN_ACTION);
	CHECK_INT(verdict(UDP4, "2,set(eth(src=02:00:00:00:00:09)),3",
			  "set after an output"),
		  PLAN_ACTION);
	CHECK_INT(verdict(UDP4, "2,2", "two outputs to port p2"), PLAN_ACTION);
	CHECK_INT(verdict(UDP4, "set(sctp(src=1))", NULL), PLAN_ACTION);
	CHECK_INT(verdict(UDP4, "0",
			  "port 0 (br0) is an Open vSwitch internal port (no "
			  "XDP hook, no XDP xmit)"),
		  PLAN_OUTPUT_PORT);
	CHECK_INT(verdict(UDP4, "2,5",
			  "port 5 (p5) is unable to receive XDP_REDIRECTed "
			  "frames"),
		  PLAN_OUTPUT_PORT);
	CHECK_INT(verdict(UDP4, "7", "port 7 is unknown"), PLAN_OUTPUT_PORT);
}

TEST(outputs_drop_tx_redirect_group)
{
	struct plan p;

	plan_text(UDP4, "drop", &p);
	CHECK_INT(p.verdict, PLAN_OFFLOADED);
	CHECK_INT(p.actions.out_kind, OVSX_OUT_DROP);
	plan_text(UDP4, "1", &p);
	CHECK_INT(p.actions.out_kind, OVSX_OUT_TX);
	plan_text(UDP4, "3,2", &p);
	CHECK_INT(p.verdict, PLAN_OFFLOADED);
	CHECK_INT(p.actions.out_kind, OVSX_OUT_GROUP);
	CHECK_INT(p.n_group, 2);
	CHECK_INT(p.group_ifindex[0], 13);
	CHECK_INT(p.group_ifindex[1], 12);
	/* The ingress port among several outputs is fine: a copy goes back. */
	plan_text(UDP4, "1,2", &p);
	CHECK_INT(p.verdict, PLAN_OFFLOADED);
	CHECK_INT(p.actions.out_kind, OVSX_OUT_GROUP);
}

TEST(rewrites_compile_in_order)
{
	struct plan p;

	plan_text(UDP4,
		  "set(eth(src=02:00:00:00:0a:01,dst=02:00:00:00:0a:02)),"
		  "set(ipv4(dst=10.0.0.3)),set(udp(dst=5353)),2",
		  &p);
	CHECK_INT(p.verdict, PLAN_OFFLOADED);
	CHECK_INT(p.actions.ops[0], OVSX_OP_SET_ETH);
	CHECK_INT(p.actions.ops[1], OVSX_OP_SET_IPV4);
	CHECK_INT(p.actions.ops[2], OVSX_OP_SET_TP);
	CHECK_INT(p.actions.ops[3], OVSX_OP_END);
	CHECK_INT(p.actions.eth.src[5], 0x01);
	CHECK_INT(p.actions.eth.src_mask[0], 0xff);
	CHECK_INT(p.actions.l3.ipv4.dst, htonl(0x0a000003));
	CHECK_INT(p.actions.l3.ipv4.dst_mask, 0xffffffff);
	CHECK_INT(p.actions.l3.ipv4.src_mask, 0);
	CHECK_INT(p.actions.tp.dst, htons(5353));
	CHECK_INT(p.actions.tp.src_mask, 0);

	/* Two rewrites of one header cannot keep their order in the ABI. */
	CHECK_INT(verdict(UDP4,
			  "set(eth(src=02:00:00:00:00:09)),pop_vlan,"
			  "set(eth(dst=02:00:00:00:00:09)),2",
			  NULL),
		  PLAN_ACTION);
}

TEST(vlan_push_pop_and_frame_limits)
{
	struct plan p;

	plan_text(UDP4, "push_vlan(vid=10,pcp=3),2", &p);
	CHECK_INT(p.verdict, PLAN_OFFLOADED);
	CHECK_INT(p.actions.ops[0], OVSX_OP_PUSH_VLAN);
	CHECK_INT(p.actions.vlan[0].tpid, htons(0x8100));
	CHECK_INT(p.actions.vlan[0].tci, htons(0x600a)); /* no present bit */
	/* Tagged on egress: one tag allowed on top of the MTU, but the push
	 * adds 4 bytes, so the incoming frame may be 1514. */
	CHECK_INT(p.actions.max_frame_len, 1514);

	plan_text("recirc_id(0),in_port(1)," ETH
		  ",eth_type(0x8100),vlan(vid=10,pcp=0),encap(eth_type(0x0800),"
		  "ipv4(frag=no))",
		  "pop_vlan,2", &p);
	CHECK_INT(p.verdict, PLAN_OFFLOADED);
	CHECK_INT(p.actions.ops[0], OVSX_OP_POP_VLAN);
	CHECK_INT(p.match.key.vlan_tci[0], htons(0x100a));
	CHECK_INT(p.match.key.vlan_tpid[0], htons(0x8100));
	CHECK_INT(p.actions.max_frame_len, 1518);
	CHECK_INT(verdict(UDP4, "pop_vlan,2", NULL), PLAN_ACTION);
}

TEST(icmp_arp_nd_projection)
{
	struct plan p;

	plan_text("recirc_id(0),in_port(1)," ETH
		  ",eth_type(0x0800),ipv4(proto=1,frag=no),icmp(type=8,code=0)",
		  "2", &p);
	CHECK_INT(p.verdict, PLAN_OFFLOADED);
	CHECK_INT(p.match.key.tp_src, htons(8));
	CHECK_INT(p.match.mask.tp_src, htons(0xff));
	CHECK_INT(p.match.mask.tp_dst, htons(0xff));

	plan_text("recirc_id(0),in_port(1)," ETH
		  ",eth_type(0x0806),arp(sip=10.0.0.1,tip=10.0.0.2,op=1/0xff)",
		  "2", &p);
	CHECK_INT(p.verdict, PLAN_OFFLOADED);
	CHECK_INT(p.match.key.nw_proto, 1);
	CHECK_INT(p.match.mask.nw_proto, 0xff);
	CHECK_INT(p.match.key.nw_dst[0], htonl(0x0a000002));

	plan_text(
		"recirc_id(0),in_port(1)," ETH
		",eth_type(0x86dd),ipv6(proto=58,frag=no),icmpv6(type=135,code=0),"
		"nd(target=fd00::2,sll=02:00:00:00:00:01)",
		"2", &p);
	CHECK_INT(p.verdict, PLAN_OFFLOADED);
	CHECK_INT(p.match.key.tp_src, htons(135));
	CHECK_INT(p.match.key.nd_target[3], htonl(2));
	CHECK_INT(p.match.key.arp_sha[5], 1);
	CHECK_INT(p.match.mask.arp_tha[0], 0);
}

TEST(dec_ttl_and_ct_clear)
{
	CHECK_INT(verdict(UDP4, "dec_ttl(le_1(userspace(pid=1))),2", NULL),
		  PLAN_OFFLOADED);
	CHECK_INT(verdict("recirc_id(0),in_port(1)," ETH ",eth_type(0x0806)",
			  "dec_ttl(le_1(drop)),2", NULL),
		  PLAN_ACTION);
	CHECK_INT(verdict(UDP4, "ct_clear,2", NULL), PLAN_OFFLOADED);
}

TEST(overlap_in_key_space)
{
	struct plan a, b, c;

	plan_text(UDP4, "2", &a);
	plan_text("recirc_id(0),in_port(1)," ETH
		  ",eth_type(0x0800),ipv4(frag=no)",
		  "3", &b);
	plan_text("recirc_id(0),in_port(2)," ETH
		  ",eth_type(0x0800),ipv4(frag=no)",
		  "3", &c);
	CHECK(plan_match_overlap(&a.match, &b.match));
	CHECK(plan_match_overlap(&b.match, &a.match));
	CHECK(!plan_match_overlap(&a.match, &c.match));
	/* A recirculated flow never meets a first-pass one. */
	plan_text("recirc_id(0x3),in_port(1)," IP4, "2", &c);
	CHECK(!plan_match_overlap(&a.match, &c.match));
	port_table_destroy(&ports);
	memset(&ports, 0, sizeof ports);
}

TEST(not_understood_flows_block_only_their_port)
{
	struct odp_flow f;
	struct plan p, other;

	/* A key with an attribute the kernel module may one day send. */
	fixture_flow(&f, UDP4, "2", 1);
	attr_put_u32(&f.key, 40, 7);
	if (!ports.by_no.buckets)
		fixture_ports(&ports);
	plan_flow(&ports, &f, &p);
	CHECK_INT(p.verdict, PLAN_NOT_UNDERSTOOD);
	CHECK_STR(p.detail, "unknown key attribute 40");
	/* Its projection keeps what the top level says: port 1, IPv4. */
	CHECK_INT(p.match.mask.in_port, UINT32_MAX);
	CHECK_INT(p.match.key.in_port, 1);
	CHECK_INT(p.match.key.eth_type, htons(0x0800));
	plan_text("recirc_id(0),in_port(2)," IP4, "1", &other);
	CHECK(!plan_match_overlap(&p.match, &other.match));
	plan_text("recirc_id(0),in_port(1)," ETH
		  ",eth_type(0x86dd),ipv6(frag=no)",
		  "2", &other);
	CHECK(!plan_match_overlap(&p.match, &other.match));
	plan_text("recirc_id(0),in_port(1)," ETH
		  ",eth_type(0x0800),ipv4(frag=no)",
		  "2", &other);
	CHECK(plan_match_overlap(&p.match, &other.match));
	odp_flow_destroy(&f);
}

/* Open vSwitch prints packet_type(ns=0/0,id=0/0) in `-m` dumps: a
 * userspace-only attribute with a zero mask matches everything, so it does
 * not decide the verdict; with a mask that is not zero it does. */
TEST(wildcarded_userspace_attribute_does_not_decide)
{
	CHECK_INT(verdict("recirc_id(0),in_port(1),packet_type(ns=0/0,id=0/0),"
			  "eth(src=02:00:00:00:00:01/00:00:00:00:00:00,"
			  "dst=02:00:00:00:00:02),eth_type(0x0800),"
			  "ipv4(src=10.0.0.1/0.0.0.0,dst=10.0.0.2,proto=17/0,"
			  "frag=no)",
			  "2", NULL),
		  PLAN_OFFLOADED);
	CHECK(verdict("recirc_id(0),in_port(1),packet_type(ns=0,id=0),"
		      "eth(src=02:00:00:00:00:01/00:00:00:00:00:00,"
		      "dst=02:00:00:00:00:02),eth_type(0x0800),"
		      "ipv4(src=10.0.0.1/0.0.0.0,dst=10.0.0.2,proto=17/0,"
		      "frag=no)",
		      "2", NULL) != PLAN_OFFLOADED);
}

/* The projection of a flow that stays in the kernel (for the overlap
 * checks) keeps the Ethernet addresses in their own fields. */
TEST(partial_projection_keeps_ethernet_fields)
{
	struct plan p;

	plan_text("recirc_id(0),in_port(1),"
		  "eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02/"
		  "ff:ff:ff:00:00:00),eth_type(0x0800),"
		  "ipv4(src=10.0.0.1,dst=10.0.0.2,proto=17,frag=no)",
		  "ct(zone=1),recirc(0x5)", &p);
	CHECK(p.verdict != PLAN_OFFLOADED);
	CHECK_INT(p.match.key.eth_src[5], 0x01);
	CHECK_INT(p.match.mask.eth_src[0], 0xff);
	CHECK_INT(p.match.key.eth_dst[5], 0x00); /* masked off */
	CHECK_INT(p.match.key.eth_dst[2], 0x00);
	CHECK_INT(p.match.mask.eth_dst[2], 0xff);
	CHECK_INT(p.match.mask.eth_dst[3], 0x00);
}
