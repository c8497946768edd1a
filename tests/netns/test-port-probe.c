/* netns tier: probing a veth port and its peer in another namespace, and
 * the classification that follows (which ports are safe for XDP). */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "netns-pair.h"
#include "port-probe.h"
#include "xdp-features.h"
#include "test.h"

#define NS_PORT "ovsx-t-probe"
#define NS_PEER "ovsx-t-probe-peer"

static void setup_or_skip(void)
{
	netns_pair_or_skip(NS_PORT, NS_PEER);
	if (netns_sh("ip -n " NS_PORT
		     " link add port0 type veth peer name peer0 "
		     "netns " NS_PEER))
		test_skip_all("no veth support");
	CHECK_INT(netns_sh("ip -n " NS_PORT " link set port0 mtu 1400 up && "
			   "ip -n " NS_PEER " link set peer0 up"),
		  0);
	netns_enter_or_skip(NS_PORT);
}

TEST(veth_peer_in_other_namespace)
{
	struct port_probe pr;
	struct port_info p = {0};
	int ifindex;

	setup_or_skip();
	ifindex = (int)if_nametoindex("port0");
	CHECK(ifindex > 0);

	/* veth defaults: GRO off, tx VLAN and checksum offload on. */
	CHECK_INT(
		netns_sh(
			"ip netns exec " NS_PEER
			" ethtool -K peer0 gro off txvlan on tx on >/dev/null 2>&1"),
		0);
	CHECK_INT(port_probe(ifindex, &pr), 0);
	CHECK(pr.found);
	CHECK_STR(pr.kind, "veth");
	CHECK_INT(pr.mtu, 1400);
	CHECK(pr.peer_known);
	CHECK(!pr.peer.gro);
	CHECK(pr.peer.tx_vlan);
	CHECK(pr.peer.tx_csum);
	CHECK_INT(pr.peer.xdp_prog_id, 0);
	port_classify(&pr, PORT_ATTACHED_NATIVE, &p);
	CHECK_INT(p.rx_limit, PORT_LIMIT_HIDDEN_VLAN);
	CHECK_INT(p.tx_limit, PORT_LIMIT_NO_XDP_XMIT);
	CHECK(p.verify_csum);
	/* veth's XDP turns every frame into an xdp_buff: partial sums are
	 * completed in XDP. */
	CHECK(!p.partial_to_kernel);

	/* What an operator does to let XDP use the port fully. */
	CHECK_INT(
		netns_sh(
			"ip netns exec " NS_PEER
			" ethtool -K peer0 gro on txvlan off tx-vlan-stag-hw-insert off "
			"tx off >/dev/null 2>&1"),
		0);
	CHECK_INT(port_probe(ifindex, &pr), 0);
	CHECK(pr.peer.gro);
	CHECK(!pr.peer.tx_vlan);
	CHECK(!pr.peer.tx_csum);
	port_classify(&pr, PORT_ATTACHED_NATIVE, &p);
	CHECK_INT(p.rx_limit, PORT_LIMIT_NONE);
	CHECK_INT(p.tx_limit, PORT_LIMIT_NONE);
	CHECK(!p.verify_csum);
	port_classify(&pr, PORT_NOT_ATTACHED, &p);
	CHECK_INT(p.rx_limit, PORT_LIMIT_NOT_ATTACHED);
}

TEST(missing_device)
{
	struct port_probe pr;
	struct port_info p = {0};

	setup_or_skip();
	CHECK_INT(port_probe(99999, &pr), 0);
	CHECK(!pr.found);
	port_classify(&pr, PORT_NOT_ATTACHED, &p);
	CHECK_INT(p.rx_limit, PORT_LIMIT_OTHER_NETNS);
}

/* A tap is a local sender (a VM's virtio-net offloads checksums): its
 * TCP/UDP checksums are verified; partial ones go to the kernel, since the
 * tap may run the program on an skb that stays CHECKSUM_PARTIAL. */
TEST(tap_is_a_local_sender)
{
	struct port_probe pr;
	struct port_info p = {0};
	int ifindex;

	setup_or_skip();
	if (netns_sh("ip tuntap add dev tap0 mode tap vnet_hdr"))
		test_skip_all("no tun/tap support");
	CHECK_INT(netns_sh("ip link set tap0 up"), 0);
	ifindex = (int)if_nametoindex("tap0");
	CHECK(ifindex > 0);
	CHECK_INT(port_probe(ifindex, &pr), 0);
	CHECK_STR(pr.kind, "tun");
	port_classify(&pr, PORT_ATTACHED_NATIVE, &p);
	CHECK(p.verify_csum);
	CHECK(p.partial_to_kernel);
	CHECK_INT(p.rx_limit, PORT_LIMIT_NONE);
	CHECK_INT(p.tx_limit, PORT_LIMIT_NONE);
}

/* The kernel's own word on redirect targets (netdev family, >= 6.3): a
 * veth advertises ndo_xdp_xmit only while its peer runs NAPI, and the
 * classification follows it. */
TEST(veth_xdp_features_follow_the_peer)
{
	struct port_probe pr;
	struct port_info p = {0};
	int ifindex;

	setup_or_skip();
	ifindex = (int)if_nametoindex("port0");
	CHECK_INT(netns_sh("ip netns exec " NS_PEER
			   " ethtool -K peer0 gro off >/dev/null 2>&1"),
		  0);
	CHECK_INT(port_probe(ifindex, &pr), 0);
	if (!pr.xdp_features_known) {
		printf("# xdp-features not readable (kernel before 6.3): "
		       "the advertised bits are not checked here\n");
		return;
	}
	CHECK(pr.xdp_features & XDP_FEATURE_BASIC);
	CHECK(!(pr.xdp_features & XDP_FEATURE_NDO_XMIT));
	CHECK_INT(netns_sh("ip netns exec " NS_PEER
			   " ethtool -K peer0 gro on >/dev/null 2>&1"),
		  0);
	CHECK_INT(port_probe(ifindex, &pr), 0);
	CHECK(pr.xdp_features_known);
	CHECK(pr.xdp_features & XDP_FEATURE_NDO_XMIT);
	port_classify(&pr, PORT_ATTACHED_NATIVE, &p);
	CHECK_INT(p.tx_limit, PORT_LIMIT_NONE);
	/* Had the device said otherwise, it would not be a target. */
	pr.xdp_features &= ~XDP_FEATURE_NDO_XMIT;
	port_classify(&pr, PORT_ATTACHED_NATIVE, &p);
	CHECK_INT(p.tx_limit, PORT_LIMIT_NO_XDP_XMIT);
}

/* A tap takes redirected frames for its reader (tun_xdp_xmit) with or
 * without an XDP program on it. */
TEST(tap_is_a_target_unattached)
{
	struct port_probe pr;
	struct port_info p = {0};
	int ifindex;

	setup_or_skip();
	if (netns_sh("ip tuntap add dev tap1 mode tap vnet_hdr"))
		test_skip_all("no tun/tap support");
	CHECK_INT(netns_sh("ip link set tap1 up"), 0);
	ifindex = (int)if_nametoindex("tap1");
	CHECK_INT(port_probe(ifindex, &pr), 0);
	if (pr.xdp_features_known)
		CHECK(pr.xdp_features & XDP_FEATURE_NDO_XMIT);
	port_classify(&pr, PORT_NOT_ATTACHED, &p);
	CHECK_INT(p.rx_limit, PORT_LIMIT_NOT_ATTACHED);
	CHECK_INT(p.tx_limit, PORT_LIMIT_NONE);
}

/* A NIC (no link kind) is a redirect target only with our program on it
 * natively, and then only if it does not say otherwise: a NIC kept on the
 * kernel path (--kernel-port, attach refused, generic mode) would drop
 * every frame redirected to it (virtio_net, ixgbe: -ENXIO). */
TEST(nic_is_a_target_only_with_our_program_native)
{
	struct port_probe pr = {.found = true, .kind = "", .mtu = 1500};
	struct port_info p = {0};

	port_classify(&pr, PORT_NOT_ATTACHED, &p);
	CHECK_INT(p.rx_limit, PORT_LIMIT_NOT_ATTACHED);
	CHECK_INT(p.tx_limit, PORT_LIMIT_XMIT_NEEDS_NATIVE);
	port_classify(&pr, PORT_ATTACHED_GENERIC, &p);
	CHECK_INT(p.rx_limit, PORT_LIMIT_NONE);
	CHECK_INT(p.tx_limit, PORT_LIMIT_XMIT_NEEDS_NATIVE);
	/* 6.1: nothing advertised, the native attach is the evidence. */
	port_classify(&pr, PORT_ATTACHED_NATIVE, &p);
	CHECK_INT(p.tx_limit, PORT_LIMIT_NONE);
	/* e1000e-like: native XDP, no ndo_xdp_xmit. */
	pr.xdp_features_known = true;
	pr.xdp_features = XDP_FEATURE_BASIC | XDP_FEATURE_REDIRECT;
	port_classify(&pr, PORT_ATTACHED_NATIVE, &p);
	CHECK_INT(p.tx_limit, PORT_LIMIT_NO_XDP_XMIT);
	pr.xdp_features |= XDP_FEATURE_NDO_XMIT;
	port_classify(&pr, PORT_ATTACHED_NATIVE, &p);
	CHECK_INT(p.tx_limit, PORT_LIMIT_NONE);
}

/* The kernel stages XDP would skip: an egress qdisc that shapes keeps
 * the port from being a redirect target; an ingress qdisc without
 * filters changes nothing.  (Filters and VLAN devices need modules the
 * host lacks: the system scenario kernel-stages covers them.) */
TEST(qdiscs_and_tc_hooks)
{
	struct kernel_stages *ks;
	struct port_stages st;
	struct port_info p = {0};
	int ifindex;

	setup_or_skip();
	ifindex = (int)if_nametoindex("port0");
	CHECK_INT(kernel_stages_snapshot(&ks), 0);
	kernel_stages_of(ks, ifindex, &st);
	kernel_stages_free(ks);
	CHECK(!st.shaped && !st.tc_ingress && !st.tc_egress && !st.vlan_upper);

	if (netns_sh("tc qdisc add dev port0 root handle 1: htb default 1"))
		test_skip_all("no htb qdisc");
	CHECK_INT(netns_sh("tc qdisc add dev port0 ingress"), 0);
	CHECK_INT(kernel_stages_snapshot(&ks), 0);
	kernel_stages_of(ks, ifindex, &st);
	kernel_stages_free(ks);
	CHECK(st.shaped);
	CHECK_STR(st.qdisc, "htb");
	CHECK(!st.tc_ingress);

	p.rx_limit = p.tx_limit = PORT_LIMIT_NONE;
	port_classify_stages(&st, &p);
	CHECK_INT(p.rx_limit, PORT_LIMIT_NONE);
	CHECK_INT(p.tx_limit, PORT_LIMIT_QDISC);

	/* Back to a plain FIFO: a target again. */
	CHECK_INT(netns_sh("tc qdisc replace dev port0 root pfifo_fast"), 0);
	CHECK_INT(kernel_stages_snapshot(&ks), 0);
	kernel_stages_of(ks, ifindex, &st);
	kernel_stages_free(ks);
	CHECK(!st.shaped);
}

TEST(stages_narrow_the_classification)
{
	struct port_stages st = {.tc_ingress = true};
	struct port_info p = {.rx_limit = PORT_LIMIT_NONE,
			      .tx_limit = PORT_LIMIT_NONE};

	port_classify_stages(&st, &p);
	CHECK_INT(p.rx_limit, PORT_LIMIT_TC_INGRESS);
	CHECK_INT(p.tx_limit, PORT_LIMIT_NONE);
	st = (struct port_stages){.vlan_upper = true, .tc_egress = true};
	p.rx_limit = p.tx_limit = PORT_LIMIT_NONE;
	port_classify_stages(&st, &p);
	CHECK_INT(p.rx_limit, PORT_LIMIT_VLAN_UPPER);
	CHECK_INT(p.tx_limit, PORT_LIMIT_TC_EGRESS);
	/* A port already limited keeps its first reason. */
	p.rx_limit = PORT_LIMIT_INTERNAL;
	port_classify_stages(&st, &p);
	CHECK_INT(p.rx_limit, PORT_LIMIT_INTERNAL);
}

/* An L3 tun (IFF_TUN) carries no Ethernet header and has no ndo_xdp_xmit:
 * neither input nor output of the fast path. */
TEST(l3_tun_is_not_for_xdp)
{
	struct port_probe pr;
	struct port_info p = {0};
	int ifindex;

	setup_or_skip();
	if (netns_sh("ip tuntap add dev tun3 mode tun"))
		test_skip_all("no tun/tap support");
	CHECK_INT(netns_sh("ip link set tun3 up"), 0);
	ifindex = (int)if_nametoindex("tun3");
	CHECK_INT(port_probe(ifindex, &pr), 0);
	CHECK(pr.not_ethernet);
	port_classify(&pr, PORT_ATTACHED_NATIVE, &p);
	CHECK_INT(p.rx_limit, PORT_LIMIT_NOT_ETHERNET);
	CHECK_INT(p.tx_limit, PORT_LIMIT_NOT_ETHERNET);
}
