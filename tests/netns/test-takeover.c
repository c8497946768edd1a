/* netns tier: which attached programs the agent takes over.  A previous
 * agent's fast path (the same program, another process's load) is
 * replaced in one step and reported as adopted; a foreign program is left
 * alone even when its function is named like ours (ovs_xdp_main), since
 * the fast path is recognised by the tag in its read-only data.
 *
 * Everything lives in namespaces of its own, which this process enters. */
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>

#include "fastpath.h"
#include "netns-pair.h"
#include "test.h"
#include "xdp_impostor.skel.h"

#define NS_XDP	"ovsx-t-tko" /* the device; this process enters it */
#define NS_PEER "ovsx-t-tkp"

static int setup_or_skip(void)
{
	netns_pair_or_skip(NS_XDP, NS_PEER);
	if (netns_sh("ip -n " NS_XDP " link add ovsxtk0 type veth peer name"
		     " ovsxtk1 netns " NS_PEER))
		test_skip_all("no veth support");
	CHECK_INT(netns_sh("ip -n " NS_XDP
			   " link set ovsxtk0 up && ip -n " NS_PEER
			   " link set ovsxtk1 up"),
		  0);
	netns_enter_or_skip(NS_XDP);
	return (int)if_nametoindex("ovsxtk0");
}

static uint32_t attached_id(int ifindex)
{
	uint32_t id = 0;

	CHECK_INT(bpf_xdp_query_id(ifindex, XDP_FLAGS_DRV_MODE, &id), 0);
	return id;
}

TEST(foreign_program_named_like_ours_is_left_alone)
{
	int ifindex = setup_or_skip();
	struct xdp_impostor *imp = xdp_impostor__open_and_load();
	struct fastpath *fp = NULL;
	bool adopted = true;
	uint32_t id;

	CHECK(imp != NULL);
	if (!imp)
		return;
	CHECK_INT(bpf_xdp_attach(ifindex,
				 bpf_program__fd(imp->progs.ovs_xdp_main),
				 XDP_FLAGS_DRV_MODE, NULL),
		  0);
	id = attached_id(ifindex);
	CHECK(id != 0);
	CHECK_INT(fastpath_open(&fp, 1024, 8), 0);
	CHECK_INT(fastpath_attach(fp, ifindex, FASTPATH_NATIVE, &adopted),
		  -EBUSY);
	CHECK(!adopted);
	CHECK(!fastpath_detach_previous(ifindex));
	CHECK_INT(attached_id(ifindex), id);
	fastpath_close(fp);
	bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE, NULL);
	xdp_impostor__destroy(imp);
}

TEST(previous_agents_fast_path_is_taken_over)
{
	int ifindex = setup_or_skip();
	struct fastpath *old = NULL, *fp = NULL;
	bool adopted = true;

	CHECK_INT(fastpath_open(&old, 1024, 8), 0);
	CHECK_INT(fastpath_open(&fp, 1024, 8), 0);
	if (!old || !fp)
		return;
	CHECK_INT(fastpath_attach(old, ifindex, FASTPATH_NATIVE, &adopted), 0);
	CHECK(!adopted);
	CHECK_INT(fastpath_attach(fp, ifindex, FASTPATH_NATIVE, &adopted), 0);
	CHECK(adopted);
	CHECK_INT(attached_id(ifindex), fastpath_prog_id(fp));
	CHECK_INT(fastpath_detach(fp, ifindex, FASTPATH_NATIVE), 0);
	CHECK_INT(attached_id(ifindex), 0);
	fastpath_close(old);
	fastpath_close(fp);
}
