/* One notification of the openvswitch module, decoded: what ovs-monitor.c
 * (the kernel's multicast socket) delivers and mirror.c consumes.  A pure
 * type, so the mirror and its tests need no socket. */
#ifndef OVSX_OVS_EVENT_H
#define OVSX_OVS_EVENT_H

#include <stdint.h>

#include "flow.h"
#include "ovs-msg.h"

enum ovs_event_kind {
	OVS_EVENT_FLOW,
	OVS_EVENT_VPORT,
	OVS_EVENT_DATAPATH,
	OVS_EVENT_OVERRUN, /* notifications were lost */
};

struct ovs_event {
	enum ovs_event_kind kind;
	uint8_t cmd;			    /* OVS_*_CMD_NEW, _DEL or _SET */
	int dp_ifindex;			    /* datapath the event belongs to */
	const struct odp_flow *flow;	    /* OVS_EVENT_FLOW */
	const struct ovs_vport_info *vport; /* OVS_EVENT_VPORT */
	const struct ovs_dp_info *dp;	    /* OVS_EVENT_DATAPATH */
};

typedef void (*ovs_event_cb)(const struct ovs_event *ev, void *aux);

#endif
