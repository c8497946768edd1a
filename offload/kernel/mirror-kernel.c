/* The kernel as the mirror's source (see mirror-kernel.h): dumps, gets and
 * the flow count of one datapath over generic netlink. */
#include "mirror-kernel.h"

#include <errno.h>

static int kernel_dump(void *src, ovs_flow_cb cb, void *aux)
{
	struct mirror_kernel_source *ks = src;

	return ovs_nl_flow_dump(ks->nl, ks->dp_ifindex, cb, aux);
}

static int kernel_get(void *src, const struct odp_flow *id,
		      struct odp_flow *out)
{
	struct mirror_kernel_source *ks = src;

	return ovs_nl_flow_get(ks->nl, ks->dp_ifindex, id, out);
}

static int kernel_count(void *src, uint64_t *n_flows)
{
	struct mirror_kernel_source *ks = src;
	struct ovs_dp_info dp;
	int err = ovs_nl_dp_get(ks->nl, NULL, ks->dp_ifindex, &dp);

	if (err)
		return err;
	if (!dp.has_stats)
		return -EPROTO;
	*n_flows = dp.stats.n_flows;
	return 0;
}

void mirror_kernel_source_init(struct mirror_source *src,
			       struct mirror_kernel_source *ks)
{
	src->dump = kernel_dump;
	src->get = kernel_get;
	src->count = kernel_count;
	src->src = ks;
	src->dp_ifindex = ks->dp_ifindex;
}
