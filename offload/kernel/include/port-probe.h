/* What the agent needs to know about a port's device before it runs XDP on
 * it or redirects to it: its kind and MTU (rtnetlink), its offloads
 * (ethtool), the XDP programs attached to it, and for a veth the same about
 * its peer, wherever that lives.
 *
 * port_classify() turns a probe into the port table's limits (ports.h):
 * the policy of which ports are safe for XDP lives there, in one place. */
#ifndef OVSX_PORT_PROBE_H
#define OVSX_PORT_PROBE_H

#include <stdbool.h>
#include <stdint.h>

#include "kernel-stages.h"
#include "ports.h"

struct dev_offloads {
	bool gro;	      /* rx-gro */
	bool tx_csum;	      /* any tx checksum offload */
	bool tx_vlan;	      /* tx-vlan-hw-insert or tx-vlan-stag-hw-insert */
	bool rx_vlan;	      /* rx-vlan-hw-parse or rx-vlan-stag-hw-parse */
	uint32_t xdp_prog_id; /* the XDP program attached (any mode), 0 none */
};

struct port_probe {
	bool found;    /* the device exists in our namespace */
	char kind[16]; /* rtnetlink link kind ("veth", "vxlan", "openvswitch",
			  * "tun", ...); "" for a physical device */
	uint32_t mtu;
	bool not_ethernet; /* link type other than ARPHRD_ETHER (an L3 tun) */
	struct dev_offloads dev;
	bool peer_known; /* veth: the peer was found and inspected */
	struct dev_offloads peer;
	/* veth: where the peer is, for watching it (link-monitor.h):
	 * ifindex 0 if unknown; nsid -1 for our own namespace. */
	int peer_ifindex;
	int32_t peer_nsid;
	/* XDP_FEATURE_* of the device (xdp-features.h); known only where
	 * the kernel tells (>= 6.3). */
	bool xdp_features_known;
	uint64_t xdp_features;
};

/* How our program is on the device, which decides what its driver does
 * with redirected frames. */
enum port_attach {
	PORT_NOT_ATTACHED,
	PORT_ATTACHED_GENERIC,
	PORT_ATTACHED_NATIVE,
};

/* Probes the device 'ifindex' of the caller's namespace.  Returns 0 (see
 * ->found) or a negative errno for a failure of the probe itself. */
int port_probe(int ifindex, struct port_probe *out);

/* Fills p->rx_limit, tx_limit, verify_csum and mtu from a probe, for a
 * port whose device carries our program as 'attach' says.  The probe
 * must have been taken in that state: attaching changes a driver's
 * advertised features. */
void port_classify(const struct port_probe *probe, enum port_attach attach,
		   struct port_info *p);

/* Narrows p for the kernel stages around the module on its device
 * (kernel-stages.h): frames a tc ingress filter or a VLAN device would
 * see first stay on the kernel path, and so do outputs a qdisc or a tc
 * egress filter would see. */
void port_classify_stages(const struct port_stages *st, struct port_info *p);

#endif
