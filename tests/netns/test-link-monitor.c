/* netns tier: the link monitor reports the changes that re-classify a
 * port, at once, from both places they happen: the port's own device and
 * its veth peer in another namespace (found through the probe's peer
 * nsid).  Every wait is a poll with a deadline that only bounds a
 * failure. */
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <stdio.h>
#include <time.h>

#include "link-monitor.h"
#include "netns-pair.h"
#include "port-probe.h"
#include "test.h"

#define NS_PORT	   "ovsx-t-links"
#define NS_PEER	   "ovsx-t-links-peer"
#define DEADLINE_S 60

struct wanted {
	int32_t nsid;
	int ifindex;
	bool seen;
};

static void on_event(const struct link_event *ev, void *aux)
{
	struct wanted *w = aux;

	if (!ev->lost && ev->nsid == w->nsid && ev->ifindex == w->ifindex)
		w->seen = true;
}

/* Reads events until one for (nsid, ifindex) came, or the deadline. */
static bool wait_for_event(struct link_monitor *m, int32_t nsid, int ifindex)
{
	struct wanted w = {nsid, ifindex, false};
	time_t end = time(NULL) + DEADLINE_S;

	while (!w.seen && time(NULL) < end) {
		struct pollfd p = {.fd = link_monitor_fd(m), .events = POLLIN};

		if (poll(&p, 1, 1000) > 0 &&
		    link_monitor_read(m, on_event, &w) < 0)
			return false;
	}
	return w.seen;
}

static void ignore(const struct link_event *ev, void *aux)
{
	(void)ev;
	(void)aux;
}

TEST(changes_of_port_and_peer_are_reported)
{
	struct link_monitor *m;
	struct port_probe pr;
	int ifindex;

	netns_pair_or_skip(NS_PORT, NS_PEER);
	if (netns_sh("ip -n " NS_PORT " link add port0 type veth peer name "
		     "peer0 netns " NS_PEER))
		test_skip_all("no veth support");
	CHECK_INT(netns_sh("ip -n " NS_PORT
			   " link set port0 up && ip -n " NS_PEER
			   " link set peer0 up && ip netns exec " NS_PEER
			   " ethtool -K peer0 gro off >/dev/null 2>&1"),
		  0);
	netns_enter_or_skip(NS_PORT);
	ifindex = (int)if_nametoindex("port0");
	CHECK(ifindex > 0);
	CHECK_INT(port_probe(ifindex, &pr), 0);
	CHECK(pr.peer_known);
	CHECK(pr.peer_nsid >= 0);
	CHECK(pr.peer_ifindex > 0);

	CHECK_INT(link_monitor_open(&m), 0);
	CHECK_INT(link_monitor_count(m), 1);
	CHECK_INT(link_monitor_watch(m, pr.peer_nsid), 0);
	CHECK_INT(link_monitor_watch(m, pr.peer_nsid), 0); /* idempotent */
	CHECK_INT(link_monitor_watch(m, -1), 0);
	CHECK_INT(link_monitor_count(m), 2);
	CHECK(link_monitor_read(m, ignore, NULL) >= 0);

	/* An offload of the peer (GRO makes the veth a redirect target). */
	CHECK_INT(netns_sh("ip netns exec " NS_PEER
			   " ethtool -K peer0 gro on >/dev/null 2>&1"),
		  0);
	CHECK(wait_for_event(m, pr.peer_nsid, pr.peer_ifindex));
	/* The peer's tx VLAN offload (hides tags from XDP). */
	CHECK_INT(netns_sh("ip netns exec " NS_PEER
			   " ethtool -K peer0 txvlan off >/dev/null 2>&1"),
		  0);
	CHECK(wait_for_event(m, pr.peer_nsid, pr.peer_ifindex));
	/* The port's own MTU. */
	CHECK_INT(netns_sh("ip link set port0 mtu 1300"), 0);
	CHECK(wait_for_event(m, -1, ifindex));

	/* A qdisc on the port (QoS: it stops being a redirect target). */
	CHECK_INT(netns_sh("tc qdisc add dev port0 root handle 1: htb"), 0);
	CHECK(wait_for_event(m, -1, ifindex));

	/* Not watched again before the sweep: dropped; ours stays. */
	CHECK_INT(link_monitor_sweep(m), 0); /* both were watched */
	CHECK_INT(link_monitor_sweep(m), 1);
	CHECK_INT(link_monitor_count(m), 1);
	CHECK_INT(link_monitor_watch(m, 12345), -ENOENT);
	link_monitor_close(m);
}
