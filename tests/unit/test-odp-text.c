/* Text format of dump-flows: key fragments, whole lines and action
 * fragments as Open vSwitch 3.1 prints them (`ovs-dpctl dump-flows`, and
 * lib/odp-util.c where a case is rare), vectors derived from netlink bytes
 * built here, and every key attribute, each parsed, spot-checked in its
 * netlink bytes where it matters, and printed back to the same text. */
#include <arpa/inet.h>
#include <linux/openvswitch.h>
#include <stdlib.h>
#include <string.h>

#include "nlattr.h"
#include "odp-text.h"
#include "test.h"

#define NOW_MS 5000000ULL

static void rt_match(const char *text, bool verbose, const char *file, int line)
{
	struct odp_flow f;
	struct ds s = DS_INIT;
	char err[256];

	odp_flow_init(&f);
	if (odp_parse_match(text, &f, err, sizeof err)) {
		test_fail(file, line, "parse failed: %s\n  %s", err, text);
	} else {
		odp_format_match(&s, &f, verbose);
		if (strcmp(ds_cstr(&s), text))
			test_fail(file, line, "\n  got:  %s\n  want: %s",
				  ds_cstr(&s), text);
	}
	ds_free(&s);
	odp_flow_destroy(&f);
}

static void rt_actions(const char *text, const char *file, int line)
{
	struct buf acts = BUF_INIT;
	struct ds s = DS_INIT;
	char err[256];

	if (odp_parse_actions(text, &acts, err, sizeof err)) {
		test_fail(file, line, "parse failed: %s\n  %s", err, text);
	} else {
		odp_format_actions(&s, acts.data, acts.len);
		if (strcmp(ds_cstr(&s), text))
			test_fail(file, line, "\n  got:  %s\n  want: %s",
				  ds_cstr(&s), text);
	}
	ds_free(&s);
	buf_free(&acts);
}

static void rt_line(const char *text, bool verbose,
		    const struct odp_port_names *names, const char *file,
		    int line)
{
	struct odp_format_opts o = {.verbose = verbose,
				    .stats = true,
				    .now_ms = NOW_MS,
				    .names = names};
	struct odp_flow f;
	struct ds s = DS_INIT;
	char err[256];

	odp_flow_init(&f);
	if (odp_parse_flow_names(text, NOW_MS, names, &f, err, sizeof err)) {
		test_fail(file, line, "parse failed: %s\n  %s", err, text);
	} else {
		odp_format_flow(&s, &f, &o);
		if (strcmp(ds_cstr(&s), text))
			test_fail(file, line, "\n  got:  %s\n  want: %s",
				  ds_cstr(&s), text);
	}
	ds_free(&s);
	odp_flow_destroy(&f);
}

#define RT_MATCH(t)	 rt_match((t), false, __FILE__, __LINE__)
#define RT_MATCH_V(t)	 rt_match((t), true, __FILE__, __LINE__)
#define RT_ACTIONS(t)	 rt_actions((t), __FILE__, __LINE__)
#define RT_LINE(t, v, n) rt_line((t), (v), (n), __FILE__, __LINE__)

/* Non-verbose key fragments. */
TEST(spec_key_fragments)
{
	static const char *const k[] =
		{
			"in_port(1/0xff),eth(src=00:01:02:03:04:05/ff:ff:ff:ff:ff:f0,dst=10:11:12:13:14:15/ff:ff:ff:ff:ff:f0)",
			"in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x1234/0xfff0)",
			"in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41/255.255.255.0,dst=172.16.0.20/255.255.255.0,proto=5/0xf0,tos=0x80/0xf0,ttl=128/0xf0,frag=no)",
			"in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=6,tos=0,ttl=128,frag=no),tcp(src=80/0xff00,dst=8080/0xff)",
			"in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=17,tos=0,ttl=128,frag=no),udp(src=81/0xff,dst=6632/0xff00)",
			"in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=1,tos=0,ttl=128,frag=no),icmp(type=1/0xf0,code=2)",
			"in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1/::255,dst=::2/::255,label=0/0xf0,proto=10/0xf0,tclass=0x70/0xf0,hlimit=128/0xf0,frag=no)",
			"in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=58,tclass=0,hlimit=128,frag=no),icmpv6(type=135,code=0),nd(target=::3/::250,sll=00:05:06:07:08:09/ff:ff:ff:ff:ff:00)",
			"in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=58,tclass=0,hlimit=128,frag=no),icmpv6(type=136,code=0),nd(target=::3/::250,sll=00:05:06:07:08:09/ff:ff:ff:ff:ff:00,tll=00:0a:0b:0c:0d:0e/ff:ff:ff:ff:ff:00)",
			"in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0806),arp(sip=1.2.3.4/255.255.255.250,tip=5.6.7.8/255.255.255.250,op=1/0xf0,sha=00:0f:10:11:12:13/ff:ff:ff:ff:ff:00,tha=00:14:15:16:17:18/ff:ff:ff:ff:ff:00)",
			"skb_mark(0x1234/0xfff0),in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x86dd),ipv6(src=::1,dst=::2,label=0,proto=58,tclass=0,hlimit=128,frag=no),icmpv6(type=136,code=0),nd(target=::3,sll=00:05:06:07:08:09,tll=00:0a:0b:0c:0d:0e)",
			"tunnel(tun_id=0x7f10354/0xff,src=10.10.10.10/255.255.255.0,dst=20.20.20.20/255.255.255.0,ttl=64,vxlan(gbp(id=10/0xff,flags=0xb)),flags(oam|csum|key)),in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x1234/0xfff0)",
			"tunnel(tun_id=0x7f10354/0xff,src=10.10.10.10/255.255.255.0,dst=20.20.20.20/255.255.255.0,ttl=64,flags(-df+csum+key)),in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x1234/0xfff0)",
			"tunnel(tun_id=0x7f10354/0xff,src=10.10.10.10/255.255.255.0,dst=20.20.20.20/255.255.255.0,ttl=64,geneve({class=0,type=0,len=4,0xa/0xff}{class=0xffff,type=0x1,len=4,0xffffffff}),flags(csum|key)),in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x1234/0xfff0)",
			"in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x8100),vlan(vid=99,pcp=7),encap(eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=6,tos=0,ttl=128,frag=no),tcp(src=80/0xff00,dst=8080/0xff))",
			"skb_priority(0x1234/0xff),in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x1234/0xfff0)",
			"skb_priority(0x1234),tunnel(tun_id=0xfedcba9876543210,src=10.10.10.10,dst=20.20.20.20,tos=0x8,ttl=64,flags(key)),in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x8100),vlan(vid=99,pcp=7),encap(eth_type(0x1234/0xfff0))",
			"in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),ct_state(+trk),ct_zone(0x5/0xff),ct_mark(0x10305070/0xf0f0f0f0),ct_label(0x1234567890abcdef1234567890abcdef/0x102030405060708090a0b0c0d0e0f0),ct_tuple4(src=10.10.10.10,dst=20.20.20.20,proto=17,tp_src=1,tp_dst=2),eth_type(0x1234/0xfff0)",
			"in_port(1),eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0x0800),ipv4(src=35.8.2.41,dst=172.16.0.20,proto=6,tos=0,ttl=128,frag=later)",
		};

	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++)
		RT_MATCH(k[i]);
}

/* Whole dump lines (the ones without elided or normalised parts). */
TEST(spec_full_lines)
{
	static const struct odp_port_name p[] = {{4, "brens3f0"}};
	static const struct odp_port_names names = {p, 1};
	static const char *const lines[] = {
		"recirc_id(0),in_port(1),eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02),eth_type(0x1234), packets:0, bytes:0, used:never, actions:2",
		"recirc_id(0),in_port(1),packet_type(ns=0,id=0),eth(src=00:06:07:08:09:0a,dst=00:01:02:03:04:05),eth_type(0x8100),vlan(vid=1000,pcp=5/0x0),encap(eth_type(0x0800),ipv4(frag=no)), packets:0, bytes:0, used:never, actions:2",
		"recirc_id(0),in_port(3),eth(src=66:11:3e:c9:cf:2f,dst=33:33:ff:c9:cf:2f),eth_type(0x86dd),ipv6(frag=no), packets:0, bytes:0, used:never, actions:1,2",
		"recirc_id(0),in_port(3),eth(src=66:11:3e:c9:cf:2f,dst=33:33:00:00:00:02),eth_type(0x86dd),ipv6(frag=no), packets:2, bytes:140, used:1399.137s, actions:1,2",
		"in_port(2),eth(src=00:15:4d:0e:08:a7,dst=66:11:3e:c9:cf:2f),eth_type(0x0806), packets:2, bytes:92, used:187.890s, actions:3",
		"in_port(10),eth(src=12:23:34:45:56:67,dst=67:56:45:34:23:12),eth_type(0x0800),ipv4(src=10.10.10.10,dst=10.10.10.20,proto=6,frag=no),tcp(src=1000,dst=2000), packets:0, bytes:0, used:never, actions:6,7",
		"in_port(1),eth(),eth_type(0x0806), packets:0, bytes:0, used:never, actions:2",
		"recirc_id(0),tunnel(tun_id=0x2,src=192.168.4.12,dst=192.168.4.13,flags(-df-csum+key)),in_port(3),eth(src=00:00:00:00:00:01,dst=00:00:00:00:00:02),eth_type(0x0800),ipv4(frag=no), packets:8, bytes:520, used:6.613s, flags:SP., actions:11",
		"recirc_id(0),in_port(6),ct_state(-new-est-rel-rpl-inv-trk),ct_label(0/0x1),eth(src=0a:00:00:00:00:04,dst=00:00:00:55:8d:0a),eth_type(0x0806),arp(sip=10.244.1.3,tip=10.244.1.1,op=1/0xff,sha=0a:00:00:00:00:04,tha=00:00:00:00:00:00), packets:0, bytes:0, used:never, actions:userspace(pid=2327846706,slow_path(action))",
		"recirc_id(0xc71),in_port(6),eth(dst=00:00:00:55:8d:0a),eth_type(0x0800),ipv4(proto=1,frag=no),icmp(type=8/0xf8), packets:33, bytes:3234, used:0.533s, actions:ct(zone=15),recirc(0xc6a)",
	};

	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		RT_LINE(lines[i], false, NULL);
	RT_LINE("ufid:0bd14815-d0f3-44b4-8c31-7624e3d19ff1, recirc_id(0x13d),dp_hash(0/0),skb_priority(0/0),in_port(brens3f0),skb_mark(0/0),ct_state(0x21/0x25),ct_zone(0/0),ct_mark(0/0),ct_label(0/0),eth(src=00:00:00:00:00:00/00:00:00:00:00:00,dst=00:00:00:00:00:00/00:00:00:00:00:00),eth_type(0x0800),ipv4(src=0.0.0.0/0.0.0.0,dst=10.86.210.196,proto=6,tos=0/0,ttl=0/0,frag=no),tcp(src=0/0,dst=80),tcp_flags(0/0), packets:0, bytes:0, used:never, dp:ovs, actions:hash(l4(0)),recirc(0x13e)",
		true, &names);
}

/* Action fragments, plus the real-world ones. */
TEST(spec_action_fragments)
{
	static const char *const a[] = {
		"1,2,3",
		"userspace(pid=6633,sFlow(vid=9,pcp=7,output=10),actions)",
		"userspace(pid=6633,sFlow(vid=9,pcp=7,output=10),actions,tunnel_out_port=10)",
		"userspace(pid=9765,slow_path(0))",
		"userspace(pid=9765,slow_path(cfm),tunnel_out_port=10)",
		"userspace(pid=1234567,userdata(0102030405060708090a0b0c0d0e0f),actions)",
		"userspace(pid=1234567,userdata(0102030405060708090a0b0c0d0e0f),tunnel_out_port=10)",
		"userspace(pid=6633,flow_sample(probability=123,collector_set_id=1234,obs_domain_id=2345,obs_point_id=3456,output_port=10))",
		"userspace(pid=6633,flow_sample(probability=123,collector_set_id=1234,obs_domain_id=2345,obs_point_id=3456,output_port=10,ingress))",
		"userspace(pid=6633,flow_sample(probability=123,collector_set_id=1234,obs_domain_id=2345,obs_point_id=3456,output_port=10,egress),tunnel_out_port=10)",
		"userspace(pid=6633,ipfix(output_port=10),tunnel_out_port=10)",
		"userspace(pid=6633,controller(reason=1,dont_send=0,continuation=1,recirc_id=4444,rule_cookie=0x5555,controller_id=0,max_len=65535))",
		"set(in_port(2))",
		"set(eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15))",
		"set(eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15/ff:ff:ff:00:00:00))",
		"set(eth_type(0x1234))",
		"set(ipv4(src=35.8.2.41,dst=172.16.0.20,proto=5,tos=0x80,ttl=128,frag=no))",
		"set(ipv4(src=35.8.2.41,dst=172.16.0.20,proto=5,ttl=128,frag=no))",
		"set(ipv4(src=35.8.2.41/255.255.255.0,tos=0x80,ttl=128,frag=no))",
		"set(ipv4(tos=0/0x3))",
		"set(ipv4(tos=0x80/0xfc))",
		"set(ipv4(frag=no))",
		"set(tcp(src=80/0xff00,dst=8080))",
		"set(udp(dst=6633))",
		"set(sctp(src=82/0xff00,dst=6633))",
		"set(icmp(type=1,code=2))",
		"set(ipv6(src=::1,dst=::2))",
		"set(ipv6(label=0/0xfff,proto=10,tclass=0x70/0x70))",
		"set(icmpv6(type=1,code=2))",
		"set(vlan(vid=5))",
		"set(vlan(vid=3,pcp=5,cfi=0))",
		"set(vlan(vid=5/0x3))",
		"push_vlan(vid=12,pcp=0)",
		"push_vlan(vid=13,pcp=5,cfi=0)",
		"push_vlan(tpid=0x9100,vid=13,pcp=5)",
		"push_vlan(tpid=0x9100,vid=13,pcp=5,cfi=0)",
		"pop_vlan",
		"sample(sample=9.7%,actions(1,2,3,push_vlan(vid=1,pcp=2)))",
		"set(tunnel(tun_id=0xabcdef1234567890,src=1.1.1.1,dst=2.2.2.2,ttl=64,flags(df|csum|key)))",
		"set(tunnel(tun_id=0xabcdef1234567890,src=1.1.1.1,dst=2.2.2.2,ttl=64,flags(key)))",
		"set(tunnel(tun_id=0x1,dst=1.1.1.1,ttl=64,erspan(ver=1,idx=0x7),flags(df|key)))",
		"set(tunnel(tun_id=0x1,dst=1.1.1.1,ttl=64,erspan(ver=2,dir=1,hwid=0x1),flags(df|key)))",
		"ct",
		"ct(commit)",
		"ct(commit,zone=5)",
		"ct(commit,mark=0xa0a0a0a0/0xfefefefe)",
		"ct(commit,label=0x1234567890abcdef1234567890abcdef/0xf1f2f3f4f5f6f7f8f9f0fafbfcfdfeff)",
		"ct(commit,helper=ftp)",
		"ct(commit,timeout=ovs_tp_1_tcp4)",
		"ct(nat)",
		"ct(commit,nat(src))",
		"ct(commit,nat(dst))",
		"ct(commit,nat(src=10.0.0.240,random))",
		"ct(commit,nat(src=10.0.0.240:32768-65535,random))",
		"ct(commit,nat(dst=10.0.0.128-10.0.0.254,hash))",
		"ct(commit,nat(src=10.0.0.240-10.0.0.254:32768-65535,persistent))",
		"ct(commit,nat(src=fe80::20c:29ff:fe88:a18b,random))",
		"ct(commit,nat(src=fe80::20c:29ff:fe88:1-fe80::20c:29ff:fe88:a18b,random))",
		"ct(commit,nat(src=[fe80::20c:29ff:fe88:1]-[fe80::20c:29ff:fe88:a18b]:255-4096,random))",
		"ct(commit,helper=ftp,nat(src=10.1.1.240-10.1.1.255))",
		"ct(force_commit,zone=5)",
		"ct_clear",
		"trunc(100)",
		"clone(1)",
		"clone(clone(push_vlan(vid=12,pcp=0),2),1)",
		"check_pkt_len(size=200,gt(4),le(5))",
		"check_pkt_len(size=200,gt(drop),le(5))",
		"check_pkt_len(size=200,gt(ct(nat)),le(drop))",
		"check_pkt_len(size=200,gt(set(eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15))),le(set(eth(src=00:01:02:03:04:06,dst=10:11:12:13:14:16))))",
		"add_mpls(label=200,tc=7,ttl=64,bos=1,eth_type=0x8847)",
		/* Real-world kernel dumps. */
		"ct(commit,zone=7,label=0/0x1),ct(zone=12,nat),recirc(0x2b)",
		"ct(commit,zone=8,label=0x2/0x2,nat(dst=30.1.1.11:9999))",
		"ct(commit,zone=65520,mark=0x20/0xffffffff)",
		"ct_clear,ct_clear,set(eth(src=00:00:00:d9:f9:c3,dst=00:00:00:9a:bb:5c)),set(ipv4(src=10.244.1.2/255.255.255.254,dst=8.0.0.0/254.0.0.0,ttl=63)),ct(zone=10,nat),recirc(0xc6b)",
		"set(tunnel(tun_id=0x2,src=192.168.4.13,dst=192.168.4.12,ttl=64,tp_dst=4792,flags(df|key))),3,36,push_vlan(vid=2,pcp=0),12,pop_vlan,33,21,7",
		"userspace(pid=2327846706,slow_path(action))",
		"hash(l4(0)),recirc(0x13e)",
		"drop",
	};

	for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
		RT_ACTIONS(a[i]);
}

/* Actions Open vSwitch prints but does not parse: ours must. */
TEST(printed_only_actions)
{
	RT_ACTIONS("hash(sym_l4(7))");
	RT_ACTIONS("hash(Unknown hash algorithm(9))");
	RT_ACTIONS("push_mpls(label=100,tc=0,ttl=64,bos=1,eth_type=0x8847)");
	RT_ACTIONS("pop_mpls(eth_type=0x800)");
	RT_ACTIONS(
		"push_eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),pop_eth");
	RT_ACTIONS("meter(0),3");
	RT_ACTIONS("pop_nsh()");
	RT_ACTIONS(
		"push_nsh(flags=0,ttl=63,mdtype=1,np=3,spi=0x10,si=255,c1=0x1,c2=0x2,c3=0x3,c4=0x4)");
	RT_ACTIONS(
		"push_nsh(flags=1,ttl=10,mdtype=2,np=1,spi=0x0,si=3,md2=0x1020304)");
	RT_ACTIONS(
		"set(nsh(flags=1,ttl=5,mdtype=1,np=3,spi=0x7,si=0x01/0x0f,c1=0x1))");
	RT_ACTIONS("sample(sample=50.0%,actions(drop))");
	RT_ACTIONS("clone(drop)");
	RT_ACTIONS("dec_ttl(le_1(drop)),dec_ttl(le_1(userspace(pid=1)))");
	RT_ACTIONS("tnl_pop(7),lb_output(3)");
	RT_ACTIONS("userspace(pid=9765,slow_path(cfm,bfd,0x80))");
	RT_ACTIONS("userspace(pid=1,userdata())");
	RT_ACTIONS(
		"ct(commit,force_commit,zone=1,mark=0x1/0x3,label=0x5,helper=tftp,timeout=t1nat(src=1.2.3.4:80,persistent,hash,random))");
	RT_ACTIONS("ct(nat(dst=[::1]:80))");
	RT_ACTIONS("set(mpls(label=10,tc=1,ttl=9,bos=1))");
	RT_ACTIONS("set(mpls(label=10/0xfffff,tc=0/0,ttl=9/0xff,bos=0/0))");
	RT_ACTIONS("set(skb_mark(0x5))");
	RT_ACTIONS("set(ct_state(+trk))");
	RT_ACTIONS("set(key40(01 02 03))");
	RT_ACTIONS(
		"set(tunnel(tun_id=0x1,dst=1.1.1.1,ttl=64,geneve({class=0x102,type=0x80,len=4,0xa}),flags(key)))");
	RT_ACTIONS(
		"set(tunnel(ipv6_src=fe80::1,ipv6_dst=fe80::2,tos=0x4,ttl=5,tp_src=1,tp_dst=2,vxlan(gbp(id=5,flags=0x1)),flags(0)))");
	RT_ACTIONS(
		"set(tunnel(dst=1.1.1.1,ttl=1,gtpu(flags=0x30,msgtype=255),flags(0)))");
}

/* Derived vectors, from built netlink to text. */
TEST(spec_derived_vectors)
{
	uint8_t ufid[16];
	struct ds s = DS_INIT;

	for (int i = 0; i < 16; i++)
		ufid[i] = (uint8_t)(i + 1);
	odp_format_ufid(&s, ufid, 16);
	CHECK_STR(ds_cstr(&s), "04030201-0807-0605-0c0b-0a09100f0e0d");
	ds_free(&s);

	RT_MATCH("ct_state(+new-rel+trk)");
	RT_MATCH_V("ct_state(0x21/0x25)");
	RT_MATCH("tcp_flags(syn|ack)");
	RT_MATCH("tcp_flags(+syn-ack)");
	RT_MATCH(
		"eth(src=00:01:02:03:04:05,dst=10:11:12:13:14:15),eth_type(0/0xffff)");
	RT_LINE("in_port(1), packets:1, bytes:2, used:0.001s, flags:SFP., actions:drop",
		false, NULL);
	RT_MATCH("ipv6(frag=no),key32(00 00/00 00)");
}

/* Our own choices where Open vSwitch's parser has nothing to say. */
TEST(parser_choices)
{
	static const struct odp_port_name p[] = {{1, "br0"}, {2, "eth1"}};
	static const struct odp_port_names names = {p, 2};
	struct buf acts = BUF_INIT;
	struct odp_flow f;
	char err[128];

	/* "drop", any case, and nothing at all are the kernel's drop: an
	 * empty action list. */
	CHECK_INT(odp_parse_actions("DROP", &acts, err, sizeof err), 0);
	CHECK_INT(acts.len, 0);
	CHECK_INT(odp_parse_actions("", &acts, err, sizeof err), 0);
	CHECK_INT(acts.len, 0);
	buf_free(&acts);

	/* A key whose every attribute is wildcarded prints as nothing (or
	 * as just the 802.2 trailer): it reads back the same. */
	RT_MATCH("");
	RT_MATCH(",eth_type(0/0xffff)");
	RT_MATCH("<empty>");
	RT_LINE(", packets:0, bytes:0, used:never, actions:drop", false, NULL);

	/* flags(key) implies a tun_id: a wildcarded one stands in. */
	RT_MATCH("tunnel(flags(+key))");
	RT_MATCH_V("tunnel(tun_id=0x0/0,flags(+key))");

	/* Port names, where -m prints them. */
	RT_LINE("in_port(eth1), packets:0, bytes:0, used:never, actions:br0,3,tnl_pop(eth1),userspace(pid=1,ipfix(output_port=br0))",
		false, &names);

	/* used: further back than our clock: the oldest time there is. */
	odp_flow_init(&f);
	CHECK_INT(odp_parse_flow("in_port(1), used:100.5s, actions:1", 50000,
				 &f, err, sizeof err),
		  0);
	CHECK_INT(f.stats.used_ms, 1);
	CHECK_INT(odp_parse_flow("in_port(1), used:0.5s, actions:1", 50000, &f,
				 err, sizeof err),
		  0);
	CHECK_INT(f.stats.used_ms, 49500);
	odp_flow_destroy(&f);
}

/* The -m parts of other layers, for ovs-xdpctl's own dumps; the parser
 * accepts and ignores them. */
TEST(layers_and_extra_info)
{
	struct odp_format_opts o = {.verbose = true,
				    .offloaded = true,
				    .dp_layer = "xdp",
				    .extra = "why"};
	struct odp_flow f;
	struct ds s = DS_INIT;
	char err[128];

	odp_flow_init(&f);
	CHECK_INT(
		odp_parse_flow(
			"in_port(1), offloaded:yes, dp:xdp, actions:2, dp-extra-info:why not",
			0, &f, err, sizeof err),
		0);
	odp_format_flow(&s, &f, &o);
	CHECK_STR(
		ds_cstr(&s),
		"in_port(1), offloaded:yes, dp:xdp, actions:2, dp-extra-info:why");
	ds_clear(&s);
	o.dp_layer = NULL;
	o.extra = NULL;
	odp_format_flow(&s, &f, &o);
	CHECK_STR(ds_cstr(&s),
		  "in_port(1), offloaded:partial, dp:ovs, actions:2");
	ds_free(&s);
	odp_flow_destroy(&f);
}
