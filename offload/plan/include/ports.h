/* The datapath's ports as the planner needs to know them: number, device,
 * kind, MTU, and what the fast path can do with them.
 *
 * The daemon fills the table from vport dumps and notifications plus
 * rtnetlink/ethtool probes (port-probe.c); the offline planner fills it
 * from assumptions.  The planner only reads it. */
#ifndef OVSX_PORTS_H
#define OVSX_PORTS_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hmap.h"

/* Why a port is not accelerated (ingress) or cannot be an XDP output; the
 * text completes "port N (NAME) is ...".  X(name, text) */
#define PORT_LIMITS(X)                                                       \
	X(NONE, "usable")                                                    \
	X(INTERNAL,                                                          \
	  "an Open vSwitch internal port (no XDP hook, no XDP xmit)")        \
	X(TUNNEL, "a tunnel device (decapsulation happens after XDP)")       \
	X(OTHER_NETNS, "in another network namespace")                       \
	X(NOT_ATTACHED, "not running the XDP program")                       \
	X(HIDDEN_VLAN, "a device whose VLAN offload may hide tags from XDP") \
	X(NO_XDP_XMIT, "unable to receive XDP_REDIRECTed frames")            \
	X(NOT_ETHERNET, "not an Ethernet device (an L3 tun, say)")           \
	X(XMIT_NEEDS_NATIVE,                                                 \
	  "a NIC that takes redirected frames only with our program on it "  \
	  "natively")                                                        \
	X(PEER_UNKNOWN, "a veth whose peer could not be inspected")          \
	X(POLICY, "kept on the kernel path by policy")                       \
	X(TC_INGRESS,                                                        \
	  "filtered by tc ingress (policing, tc flower, hw-offload), which " \
	  "runs after XDP and before Open vSwitch")                          \
	X(VLAN_UPPER,                                                        \
	  "the lower device of a VLAN device, which takes its VLAN's "       \
	  "frames before Open vSwitch")                                      \
	X(QDISC, "shaped by a qdisc (QoS), which XDP_REDIRECT bypasses")     \
	X(TC_EGRESS, "filtered by tc egress, which XDP_REDIRECT bypasses")   \
	X(HW_OFFLOAD,                                                        \
	  "on a switch that offloads flows to tc (other_config:hw-offload="  \
	  "true), which XDP would run before")                               \
	X(BOND_COUNTS,                                                       \
	  "a member of a balance-slb or balance-tcp bond, which rebalances " \
	  "on the kernel flows' byte counts")                                \
	X(UNKNOWN, "unknown to the agent")

enum port_limit {
#define PORT_LIMIT_ENUM(name, text) PORT_LIMIT_##name,
	PORT_LIMITS(PORT_LIMIT_ENUM)
#undef PORT_LIMIT_ENUM
};

const char *port_limit_text(enum port_limit l);

struct port_info {
	struct hmap_node by_no;
	struct hmap_node by_ifindex;
	uint32_t port_no;
	char name[IFNAMSIZ];
	uint32_t vport_type; /* OVS_VPORT_TYPE_* */
	int ifindex;	     /* 0 if unknown */
	uint32_t mtu;	     /* 0 if unknown */
	/* Ingress: frames arriving on it may be handled in XDP. */
	enum port_limit rx_limit;
	/* Egress: XDP may redirect frames to it. */
	enum port_limit tx_limit;
	bool verify_csum; /* its peer may send CHECKSUM_PARTIAL frames */
	/* ...and they may reach XDP as skbs still marked CHECKSUM_PARTIAL (a
	 * tap, or generic mode): partial sums go to the kernel, not completed
	 * (OVSX_PORT_PARTIAL_TO_KERNEL says why). */
	bool partial_to_kernel;
	/* Send frames back out of it with a redirect, not XDP_TX: a veth's
	 * XDP_TX does not wake a peer that runs no XDP program (6.1's
	 * veth_xdp_flush), so frames would wait for the next one. */
	bool hairpin_redirect;
};

struct port_table {
	struct hmap by_no;
	struct hmap by_ifindex;
};

int port_table_init(struct port_table *t);
/* Frees every port.  Accepts an initialised, empty table. */
void port_table_destroy(struct port_table *t);
/* Adds or replaces the port with p->port_no (copied).  Returns 0 or
 * -ENOMEM. */
int port_table_put(struct port_table *t, const struct port_info *p);
void port_table_remove(struct port_table *t, uint32_t port_no);
const struct port_info *port_table_find(const struct port_table *t,
					uint32_t port_no);
const struct port_info *port_table_find_ifindex(const struct port_table *t,
						int ifindex);
size_t port_table_count(const struct port_table *t);

#endif
