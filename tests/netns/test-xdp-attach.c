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
#include <fcntl.h>
#include <sched.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdlib.h>
#include <unistd.h>

#include "ovs-xdp-abi.h"
#include "ovs_xdp.skel.h"
#include "test.h"

#define NS_XDP	"ovsx-t-xdp"  /* holds XDP_DEV; this process enters it */
#define NS_PEER "ovsx-t-peer" /* holds PEER, sends the pings */
#define XDP_DEV "ovsxta0"
#define PEER	"ovsxta1"

static int sh(const char *cmd)
{
	int rc = system(cmd);

	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void teardown(void)
{
	sh("ip netns del " NS_XDP " 2>/dev/null; "
	   "ip netns del " NS_PEER " 2>/dev/null");
}

static void enter_netns(const char *name)
{
	char path[128];
	int fd;

	snprintf(path, sizeof path, "/var/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || setns(fd, CLONE_NEWNET))
		test_skip_all("cannot enter namespace %s: %s", name,
			      strerror(errno));
	close(fd);
}

static void setup_or_skip(void)
{
	if (geteuid() != 0)
		test_skip_all("needs root for namespaces and XDP");
	teardown();
	atexit(teardown);
	if (sh("ip netns add " NS_XDP " && ip netns add " NS_PEER))
		test_skip_all("cannot create network namespaces");
	if (sh("ip -n " NS_XDP " link add " XDP_DEV " type veth peer name " PEER
	       " netns " NS_PEER))
		test_skip_all("no veth support");
	CHECK_INT(sh("ip -n " NS_XDP " addr add 10.199.0.1/24 dev " XDP_DEV
		     " && ip -n " NS_XDP " link set " XDP_DEV " up"
		     " && ip -n " NS_PEER " addr add 10.199.0.2/24 dev " PEER
		     " && ip -n " NS_PEER " link set " PEER " up"),
		  0);
	enter_netns(NS_XDP);
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

	CHECK_INT(sh("ip netns exec " NS_PEER " ping -c 3 -i 0.2 -W 1 -q "
		     "10.199.0.1 >/dev/null"),
		  0);
	/* Three requests at least (plus ARP) went through the program. */
	CHECK(counter(skel, OVSX_CTR_RX_PACKETS) >= 4);
	CHECK_INT(counter(skel, OVSX_CTR_RX_PACKETS),
		  counter(skel, OVSX_CTR_PASS_PACKETS));

	CHECK_INT(bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL), 0);
	ovs_xdp__destroy(skel);
}
