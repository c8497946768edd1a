/* Notifications from the openvswitch kernel module: a socket joined to the
 * ovs_flow, ovs_vport and ovs_datapath multicast groups.
 *
 * The owner polls ovs_monitor_fd() and calls ovs_monitor_drain(), which
 * decodes every queued message (ovs-msg.c) and hands it to a callback.  When
 * the kernel dropped notifications because the socket was full (ENOBUFS), an
 * OVS_EVENT_OVERRUN event says so: the receiver must resynchronise by dump
 * (mirror.c does). */
#ifndef OVSX_OVS_MONITOR_H
#define OVSX_OVS_MONITOR_H

#include <stdint.h>

#include "ovs-event.h"

struct ovs_monitor;

/* Opens the socket, non-blocking, with a receive buffer of rcvbuf bytes
 * (forced past rmem_max when privileged).  -ENOENT without the module. */
int ovs_monitor_open(struct ovs_monitor **out, int rcvbuf);
void ovs_monitor_close(struct ovs_monitor *mon);
int ovs_monitor_fd(const struct ovs_monitor *mon);
/* Delivers every queued notification.  Returns the number of events
 * delivered, or a negative errno for a socket failure. */
int ovs_monitor_drain(struct ovs_monitor *mon, ovs_event_cb cb, void *aux);

#endif
