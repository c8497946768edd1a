/* Requests to the openvswitch kernel module over generic netlink (libnl):
 * datapaths, vports and flows, listed, fetched, and (for test tools) written.
 *
 * One struct ovs_nl is one request socket; notifications arrive on a
 * separate socket (ovs-monitor.h).  Message bytes are decoded by ovs-msg.c.
 * Every function returns 0 or a negative errno; kernel errors come back as
 * the errno the kernel sent. */
#ifndef OVSX_OVS_NL_H
#define OVSX_OVS_NL_H

#include <stdbool.h>

#include "flow.h"
#include "ovs-msg.h"

struct ovs_nl;

/* Family ids of the three families this project uses. */
struct ovs_families {
	int datapath;
	int vport;
	int flow;
};

/* Opens a socket and resolves the families.  -ENOENT when the openvswitch
 * module is not loaded (the families do not exist). */
int ovs_nl_open(struct ovs_nl **out);
void ovs_nl_close(struct ovs_nl *nl);
const struct ovs_families *ovs_nl_families(const struct ovs_nl *nl);

int ovs_nl_dp_dump(struct ovs_nl *nl, ovs_dp_cb cb, void *aux);
/* By name (dp_ifindex 0) or by dp_ifindex (name NULL).  -ENODEV if absent. */
int ovs_nl_dp_get(struct ovs_nl *nl, const char *name, int dp_ifindex,
		  struct ovs_dp_info *out);
int ovs_nl_vport_dump(struct ovs_nl *nl, int dp_ifindex, ovs_vport_cb cb,
		      void *aux);
/* Every vport of the datapath, ordered by port number, in an array the
 * caller frees (NULL when there is none). */
int ovs_nl_vport_list(struct ovs_nl *nl, int dp_ifindex,
		      struct ovs_vport_info **out, size_t *n);
/* Every flow of the datapath, with key, mask and actions.  Flows whose
 * actions the kernel left out of the dump are fetched one by one and
 * delivered after the rest. */
int ovs_nl_flow_dump(struct ovs_nl *nl, int dp_ifindex, ovs_flow_cb cb,
		     void *aux);
/* The flow with the identity of 'id' (UFID, or key).  -ENOENT if absent. */
int ovs_nl_flow_get(struct ovs_nl *nl, int dp_ifindex,
		    const struct odp_flow *id, struct odp_flow *out);
/* Installs f (key, mask, actions, UFID if any); 'create' fails with -EEXIST
 * for an existing flow instead of replacing its actions. */
int ovs_nl_flow_put(struct ovs_nl *nl, int dp_ifindex, const struct odp_flow *f,
		    bool create);
/* Changes the actions of an existing flow (OVS_FLOW_CMD_SET, as
 * ovs-vswitchd's revalidators do); -ENOENT if absent. */
int ovs_nl_flow_set(struct ovs_nl *nl, int dp_ifindex,
		    const struct odp_flow *f);
/* Deletes the flow with the identity of 'id'. */
int ovs_nl_flow_del(struct ovs_nl *nl, int dp_ifindex,
		    const struct odp_flow *id);

/* Deletes every flow of the datapath (silently: the kernel notifies no
 * flush; for tests). */
int ovs_nl_flow_flush(struct ovs_nl *nl, int dp_ifindex);

/* Translates a libnl -NLE_* code into a negative errno. */
int ovs_nl_errno(int nlerr);

#endif
