/* netns tier: the XDP program attached in native mode to a real veth, with
 * traffic from a network namespace: frames are counted and, all being
 * XDP_PASS, the kernel still answers every ping.
 *
 * Both ends live in namespaces of their own and this process moves into one
 * of them, so nothing in the machine's own namespace is touched (on these
 * machines the host's uplink itself sits in a TEST-NET range). */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>

#include "ovs-xdp-abi.h"
#include "netns-pair.h"
#include "ovs_xdp.skel.h"
#include "test.h"

#define NS_XDP	"ovsx-t-xdp"  /* holds XDP_DEV; this process enters it */
#define NS_PEER "ovsx-t-peer" /* holds PEER, sends the pings */
#define XDP_DEV "ovsxta0"
#define PEER	"ovsxta1"

static void setup_or_skip(void)
{
	netns_pair_or_skip(NS_XDP, NS_PEER);
	if (netns_sh("ip -n " NS_XDP " link add " XDP_DEV
		     " type veth peer name " PEER " netns " NS_PEER))
		test_skip_all("no veth support");
	CHECK_INT(netns_sh("ip -n " NS_XDP
			   " addr add 10.199.0.1/24 dev " XDP_DEV
			   " && ip -n " NS_XDP " link set " XDP_DEV " up"
			   " && ip -n " NS_PEER
			   " addr add 10.199.0.2/24 dev " PEER
			   " && ip -n " NS_PEER " link set " PEER " up"),
		  0);
	netns_enter_or_skip(NS_XDP);
}

static uint64_t counter(struct ovs_xdp *skel, enum ovsx_counter idx)
{
	int ncpu = libbpf_num_possible_cpus();
	struct ovsx_counters *vals = calloc((size_t)ncpu, sizeof *vals);
	uint32_t key = 0;
	uint64_t sum = 0;

	if (vals &&
	    !bpf_map_lookup_elem(bpf_map__fd(skel->maps.counters), &key, vals))
		for (int i = 0; i < ncpu; i++)
			sum += vals[i].n[idx];
	free(vals);
	return sum;
}

TEST(native_attach_counts_and_passes)
{
	struct ovs_xdp *skel;
	int ifindex, err;

	setup_or_skip();
	ifindex = (int)if_nametoindex(XDP_DEV);
	CHECK(ifindex > 0);
	skel = ovs_xdp__open_and_load();
	if (!skel)
		test_skip_all("cannot load BPF: %s", strerror(errno));
	err = bpf_xdp_attach(ifindex, bpf_program__fd(skel->progs.ovs_xdp_main),
			     XDP_FLAGS_DRV_MODE, NULL);
	if (err == -EOPNOTSUPP)
		test_skip_all("veth has no native XDP here");
	CHECK_INT(err, 0);

	CHECK_INT(netns_sh("ip netns exec " NS_PEER " ping -c 3 -i 0.2 -W 1 -q "
			   "10.199.0.1 >/dev/null"),
		  0);
	/* Three requests at least (plus ARP) went through the program. */
	CHECK(counter(skel, OVSX_CTR_RX_PACKETS) >= 4);
	CHECK_INT(counter(skel, OVSX_CTR_RX_PACKETS),
		  counter(skel, OVSX_CTR_PASS_PACKETS));

	CHECK_INT(bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL), 0);
	ovs_xdp__destroy(skel);
}
