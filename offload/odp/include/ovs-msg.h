/* Decoding of the openvswitch generic-netlink messages (ovs_datapath,
 * ovs_vport, ovs_flow): replies, dump parts and multicast notifications.
 *
 * Pure functions over message bytes, so they are unit-tested and fuzzed
 * without a socket; ovs-nl.c (requests and dumps) and ovs-monitor.c
 * (notifications) feed them what the kernel sends. */
#ifndef OVSX_OVS_MSG_H
#define OVSX_OVS_MSG_H

#include <linux/netlink.h>
#include <linux/openvswitch.h>
#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"

/* The fixed part of every OVS genl message. */
struct ovs_msg_hdr {
	uint16_t family; /* nlmsg_type: the generic-netlink family id */
	uint8_t cmd;	 /* OVS_*_CMD_* */
	int dp_ifindex;	 /* from struct ovs_header */
};

struct ovs_dp_info {
	int dp_ifindex;
	char name[IFNAMSIZ];
	bool has_stats;
	struct ovs_dp_stats stats; /* n_hit, n_missed, n_lost, n_flows */
	bool has_megaflow_stats;
	struct ovs_dp_megaflow_stats megaflow_stats;
	uint32_t user_features;
};

struct ovs_vport_info {
	int dp_ifindex;
	uint32_t port_no;
	uint32_t type; /* OVS_VPORT_TYPE_* */
	char name[IFNAMSIZ];
	int ifindex; /* 0 when the kernel did not report it */
	bool has_netnsid;
	int netnsid; /* set when the netdev lives in another netns */
	bool has_stats;
	struct ovs_vport_stats stats;
};

/* Callbacks over the decoded objects, for dumps (ovs-nl.c) and other
 * sources (the mirror's): a non-zero return stops delivery, and the
 * function that called back returns that value. */
typedef int (*ovs_dp_cb)(const struct ovs_dp_info *dp, void *aux);
typedef int (*ovs_vport_cb)(const struct ovs_vport_info *vp, void *aux);
typedef int (*ovs_flow_cb)(const struct odp_flow *f, void *aux);

/* Each parser checks the message is a complete generic-netlink message of at
 * least the OVS header, then the attributes against a length policy.
 * Returns 0 or -EINVAL; *err (if non-NULL) gets a static one-line reason. */
int ovs_msg_parse_hdr(const struct nlmsghdr *nlh, size_t len,
		      struct ovs_msg_hdr *hdr, const char **err);
int ovs_msg_parse_dp(const struct nlmsghdr *nlh, size_t len,
		     struct ovs_dp_info *dp, const char **err);
int ovs_msg_parse_vport(const struct nlmsghdr *nlh, size_t len,
			struct ovs_vport_info *vp, const char **err);
/* Fills an initialised (possibly non-empty: it is reset) odp_flow.  Returns
 * -ENOMEM on allocation failure. */
int ovs_msg_parse_flow(const struct nlmsghdr *nlh, size_t len,
		       struct odp_flow *f, const char **err);

/* Name of an OVS_VPORT_TYPE_* ("netdev", "internal", ...). */
const char *ovs_vport_type_name(uint32_t type);

#endif
