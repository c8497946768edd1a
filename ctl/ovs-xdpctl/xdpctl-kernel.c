/* ovs-xdpctl commands that read the openvswitch kernel module directly:
 * show and dump-flows. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ds.h"
#include "odp-text.h"
#include "ovs-nl.h"
#include "util.h"
#include "xdpctl.h"

int xdpctl_open_dp(const struct xdpctl_opts *o, struct ovs_nl **nl,
		   struct ovs_dp_info *dp)
{
	int err = ovs_nl_open(nl);

	if (err == -ENOENT) {
		xdpctl_error("the openvswitch kernel module is not loaded "
			     "(no %s generic netlink family)",
			     OVS_DATAPATH_FAMILY);
		return err;
	}
	if (err) {
		xdpctl_error("cannot talk to the openvswitch module: %s",
			     strerror(-err));
		return err;
	}
	err = ovs_nl_dp_get(*nl, o->datapath, 0, dp);
	if (err) {
		if (err == -ENODEV || err == -ENOENT)
			xdpctl_error("datapath %s not found "
				     "(is ovs-vswitchd running?)",
				     o->datapath);
		else
			xdpctl_error("cannot read datapath %s: %s", o->datapath,
				     strerror(-err));
		ovs_nl_close(*nl);
		*nl = NULL;
	}
	return err;
}

static void print_dp(const struct ovs_dp_info *dp)
{
	printf("%s (dp_ifindex %d):\n", dp->name, dp->dp_ifindex);
	if (dp->has_stats) {
		printf("  lookups: hit:%llu missed:%llu lost:%llu\n",
		       (unsigned long long)dp->stats.n_hit,
		       (unsigned long long)dp->stats.n_missed,
		       (unsigned long long)dp->stats.n_lost);
		printf("  flows: %llu\n",
		       (unsigned long long)dp->stats.n_flows);
	}
	if (dp->has_megaflow_stats)
		printf("  masks: hit:%llu total:%u\n",
		       (unsigned long long)dp->megaflow_stats.n_mask_hit,
		       dp->megaflow_stats.n_masks);
}

int cmd_show(const struct xdpctl_opts *o, int argc, char **argv)
{
	struct ovs_vport_info *ports;
	struct ovs_dp_info dp;
	size_t n;
	struct ovs_nl *nl;
	int err;

	(void)argv;
	if (argc > 1) {
		xdpctl_error("show takes no arguments");
		return XDPCTL_USAGE;
	}
	if (xdpctl_open_dp(o, &nl, &dp))
		return XDPCTL_FAILED;
	err = ovs_nl_vport_list(nl, dp.dp_ifindex, &ports, &n);
	ovs_nl_close(nl);
	if (err) {
		xdpctl_error("cannot list the ports of %s: %s", o->datapath,
			     strerror(-err));
		return XDPCTL_FAILED;
	}
	print_dp(&dp);
	for (size_t i = 0; i < n; i++) {
		const struct ovs_vport_info *p = &ports[i];

		printf("  port %u: %s (%s", p->port_no, p->name,
		       ovs_vport_type_name(p->type));
		if (p->ifindex)
			printf(", ifindex %d", p->ifindex);
		if (p->has_netnsid)
			printf(", netnsid %d", p->netnsid);
		printf(")\n");
	}
	free(ports);
	return XDPCTL_OK;
}

struct print_ctx {
	struct odp_format_opts fmt;
	struct ds line;
};

static int print_flow(const struct odp_flow *f, void *aux)
{
	struct print_ctx *c = aux;

	ds_clear(&c->line);
	odp_format_flow(&c->line, f, &c->fmt);
	if (c->line.oom)
		return -ENOMEM;
	puts(ds_cstr(&c->line));
	return 0;
}

int cmd_dump_flows(const struct xdpctl_opts *o, int argc, char **argv)
{
	struct print_ctx c = {.fmt = {.verbose = o->verbose, .stats = true}};
	struct ovs_dp_info dp;
	struct ovs_nl *nl;
	int opt, err;

	while ((opt = getopt(argc, argv, "+m")) != -1) {
		if (opt != 'm')
			return XDPCTL_USAGE;
		c.fmt.verbose = true;
	}
	if (optind < argc) {
		xdpctl_error("dump-flows: unexpected argument '%s'",
			     argv[optind]);
		return XDPCTL_USAGE;
	}
	if (xdpctl_open_dp(o, &nl, &dp))
		return XDPCTL_FAILED;
	c.fmt.now_ms = time_monotonic_ms();
	err = ovs_nl_flow_dump(nl, dp.dp_ifindex, print_flow, &c);
	ovs_nl_close(nl);
	ds_free(&c.line);
	if (err) {
		xdpctl_error("cannot dump the flows of %s: %s", o->datapath,
			     strerror(-err));
		return XDPCTL_FAILED;
	}
	return XDPCTL_OK;
}
