/* netns tier: probing a veth port and its peer in another namespace, and
 * the classification that follows (which ports are safe for XDP). */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "netns-pair.h"
#include "port-probe.h"
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
	port_classify(&pr, true, &p);
	CHECK_INT(p.rx_limit, PORT_LIMIT_HIDDEN_VLAN);
	CHECK_INT(p.tx_limit, PORT_LIMIT_NO_XDP_XMIT);
	CHECK(p.verify_csum);

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
	port_classify(&pr, true, &p);
	CHECK_INT(p.rx_limit, PORT_LIMIT_NONE);
	CHECK_INT(p.tx_limit, PORT_LIMIT_NONE);
	CHECK(!p.verify_csum);
	port_classify(&pr, false, &p);
	CHECK_INT(p.rx_limit, PORT_LIMIT_NOT_ATTACHED);
}

TEST(missing_device)
{
	struct port_probe pr;
	struct port_info p = {0};

	setup_or_skip();
	CHECK_INT(port_probe(99999, &pr), 0);
	CHECK(!pr.found);
	port_classify(&pr, false, &p);
	CHECK_INT(p.rx_limit, PORT_LIMIT_OTHER_NETNS);
}

/* A tap is a local sender (a VM's virtio-net offloads checksums): its
 * TCP/UDP checksums are verified, and partial ones completed. */
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
	port_classify(&pr, true, &p);
	CHECK(p.verify_csum);
	CHECK_INT(p.rx_limit, PORT_LIMIT_NONE);
	CHECK_INT(p.tx_limit, PORT_LIMIT_NONE);
}
