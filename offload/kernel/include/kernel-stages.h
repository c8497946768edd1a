/* The kernel stages around the openvswitch module that XDP skips, read
 * from rtnetlink for every port at once:
 *
 * - receive: tc ingress (filters on an ingress or clsact qdisc: Open
 *   vSwitch's ingress_policing_rate, tc flower from hw-offload=true,
 *   anything an operator added) and VLAN upper devices, both of which
 *   take frames before the openvswitch rx_handler; native XDP runs
 *   before all of them.
 * - transmit: the egress qdisc (QoS: linux-htb, linux-hfsc, tbf, netem,
 *   any qdisc that is not a plain FIFO/fq_codel default) and tc egress
 *   filters, which ndo_xdp_xmit bypasses.
 *
 * A snapshot is one link dump and one qdisc dump (filters are dumped only
 * for devices that have an ingress or clsact qdisc); the agent takes one
 * per port refresh and asks it about each port. */
#ifndef OVSX_KERNEL_STAGES_H
#define OVSX_KERNEL_STAGES_H

#include <stdbool.h>

struct kernel_stages;

struct port_stages {
	bool tc_ingress; /* filters on the ingress hook */
	bool tc_egress;	 /* filters on the clsact egress hook */
	bool shaped;	 /* a non-default egress qdisc */
	char qdisc[16];	 /* its kind, when shaped */
	bool vlan_upper; /* a VLAN device sits on it */
};

/* Takes a snapshot of the caller's namespace.  0 or a negative errno. */
int kernel_stages_snapshot(struct kernel_stages **out);
void kernel_stages_free(struct kernel_stages *s);
/* What runs around the openvswitch module on device 'ifindex'. */
void kernel_stages_of(struct kernel_stages *s, int ifindex,
		      struct port_stages *out);

#endif
