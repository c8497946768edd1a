/* netns tier: the accelerated-port table as the agent writes it
 * (fastpath_set_port / fastpath_del_port), on real veths with native XDP:
 * one device with a small ifindex (the mmapped ports[] array) and one
 * created at an ifindex beyond OVSX_PORT_INDEX_LIMIT (the ports_far hash).
 * Frames from either are attributed to their port while it is set, and are
 * "not an accelerated port" once it is deleted.  No flows are installed, so
 * everything is XDP_PASSed and the kernel still answers the pings.
 *
 * Everything lives in namespaces of its own, which this process enters. */
#include <errno.h>
#include <net/if.h>
#include <string.h>

#include "fastpath.h"
#include "netns-pair.h"
#include "test.h"

#define NS_XDP	  "ovsx-t-fpp" /* the two devices; this process enters it */
#define NS_PEER	  "ovsx-t-fpq" /* their peers, which send the pings */
#define FAR_INDEX 20000

_Static_assert(FAR_INDEX >= OVSX_PORT_INDEX_LIMIT, "FAR_INDEX in ports_far");

static void setup_or_skip(void)
{
	netns_pair_or_skip(NS_XDP, NS_PEER);
	if (netns_sh("ip -n " NS_XDP " link add ovsxtn0 type veth peer name"
		     " ovsxtn1 netns " NS_PEER))
		test_skip_all("no veth support");
	/* A device at a chosen ifindex, as on a host that made many. */
	CHECK_INT(netns_sh("ip -n " NS_XDP " link add ovsxtf0 index 20000 type"
			   " veth peer name ovsxtf1 netns " NS_PEER),
		  0);
	CHECK_INT(netns_sh("ip -n " NS_XDP " addr add 10.198.1.1/24 dev ovsxtn0"
			   " && ip -n " NS_XDP
			   " addr add 10.198.2.1/24 dev ovsxtf0"
			   " && ip -n " NS_XDP " link set ovsxtn0 up"
			   " && ip -n " NS_XDP " link set ovsxtf0 up"
			   " && ip -n " NS_PEER
			   " addr add 10.198.1.2/24 dev ovsxtn1"
			   " && ip -n " NS_PEER
			   " addr add 10.198.2.2/24 dev ovsxtf1"
			   " && ip -n " NS_PEER " link set ovsxtn1 up"
			   " && ip -n " NS_PEER " link set ovsxtf1 up"),
		  0);
	netns_enter_or_skip(NS_XDP);
}

static void ping_both(void)
{
	CHECK_INT(netns_sh("ip netns exec " NS_PEER " ping -c 2 -i 0.2 -W 1 -q"
			   " 10.198.1.1 >/dev/null"),
		  0);
	CHECK_INT(netns_sh("ip netns exec " NS_PEER " ping -c 2 -i 0.2 -W 1 -q"
			   " 10.198.2.1 >/dev/null"),
		  0);
}

static uint64_t counter(struct fastpath *fp, enum ovsx_counter c)
{
	uint64_t v[OVSX_CTR__MAX];

	CHECK_INT(fastpath_read_counters(fp, v), 0);
	return v[c];
}

static uint64_t passed_by(struct fastpath *fp, uint32_t stats_id)
{
	struct ovsx_port_stats s;

	CHECK_INT(fastpath_read_port_stats(fp, stats_id, &s), 0);
	return s.pass_packets;
}

TEST(ports_near_and_far_are_set_and_deleted)
{
	struct ovsx_port near = {.port_no = 1, .stats_id = 0};
	struct ovsx_port far = {.port_no = 2, .stats_id = 1};
	struct fastpath *fp;
	int near_ifx, far_ifx, err;
	uint64_t no_port, near_pass, far_pass;
	bool adopted;

	setup_or_skip();
	near_ifx = (int)if_nametoindex("ovsxtn0");
	far_ifx = (int)if_nametoindex("ovsxtf0");
	CHECK(near_ifx > 0 && near_ifx < OVSX_PORT_INDEX_LIMIT);
	CHECK_INT(far_ifx, FAR_INDEX);
	err = fastpath_open(&fp, 1024, 8);
	if (err)
		test_skip_all("cannot load BPF: %s", strerror(-err));
	err = fastpath_attach(fp, near_ifx, FASTPATH_NATIVE, &adopted);
	if (err == -EOPNOTSUPP)
		test_skip_all("veth has no native XDP here");
	CHECK_INT(err, 0);
	CHECK_INT(fastpath_attach(fp, far_ifx, FASTPATH_NATIVE, &adopted), 0);

	/* Bad entries are refused, not written. */
	CHECK_INT(fastpath_set_port(fp, 0, &near), -EINVAL);
	far.stats_id = OVSX_MAX_PORTS;
	CHECK_INT(fastpath_set_port(fp, far_ifx, &far), -EINVAL);
	far.stats_id = 1;

	CHECK_INT(fastpath_set_port(fp, near_ifx, &near), 0);
	CHECK_INT(fastpath_set_port(fp, far_ifx, &far), 0);
	ping_both();
	/* Every frame was some port's: nothing is "not a port", and each
	 * port passed its own (no flows, so all of them are misses). */
	CHECK_INT(counter(fp, OVSX_CTR_PASS_NO_PORT), 0);
	CHECK(counter(fp, OVSX_CTR_PASS_MISS) >= 4);
	near_pass = passed_by(fp, 0);
	far_pass = passed_by(fp, 1);
	CHECK(near_pass >= 2);
	CHECK(far_pass >= 2);

	CHECK_INT(fastpath_del_port(fp, near_ifx), 0);
	CHECK_INT(fastpath_del_port(fp, far_ifx), 0);
	no_port = counter(fp, OVSX_CTR_PASS_NO_PORT);
	ping_both();
	CHECK(counter(fp, OVSX_CTR_PASS_NO_PORT) >= no_port + 4);
	CHECK_INT(passed_by(fp, 0), near_pass);
	CHECK_INT(passed_by(fp, 1), far_pass);

	CHECK_INT(fastpath_detach(fp, near_ifx, FASTPATH_NATIVE), 0);
	CHECK_INT(fastpath_detach(fp, far_ifx, FASTPATH_NATIVE), 0);
	fastpath_close(fp);
}
