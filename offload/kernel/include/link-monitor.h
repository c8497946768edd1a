/* Following link changes as the kernel announces them, so that ports are
 * re-classified when a device changes rather than at the next periodic
 * probe: rtnetlink's RTM_NEWLINK and RTM_DELLINK, which the kernel sends
 * for an MTU change, an offload turned on or off (ethtool -K ends in
 * netdev_features_change()), a device up or down, moved or removed.
 *
 * A port's properties depend on devices in two places: the port's own
 * (our namespace, always watched) and a veth's peer, usually in another
 * namespace, watched on request through a socket opened inside it.
 * In our own namespace tc changes (qdiscs and filters added or removed)
 * are reported as well, as events of the device they are on. */
#ifndef OVSX_LINK_MONITOR_H
#define OVSX_LINK_MONITOR_H

#include <stdbool.h>
#include <stdint.h>

struct link_monitor;

struct link_event {
	int32_t nsid; /* the namespace as ours names it; -1 for ours */
	int ifindex;  /* in that namespace; 0 with 'lost' */
	int link;     /* the device it sits on (IFLA_LINK: a VLAN device's
		       * lower one, a veth's peer), 0 if none */
	bool lost;    /* the socket overran: events were dropped, so any
		       * device of that namespace may have changed */
};

typedef void link_event_cb(const struct link_event *ev, void *aux);

/* Opens the monitor, watching our own namespace.  0 or a negative errno. */
int link_monitor_open(struct link_monitor **out);
void link_monitor_close(struct link_monitor *m);
/* Readable (for poll/epoll) when events wait; the same fd for life. */
int link_monitor_fd(const struct link_monitor *m);
/* Watches the namespace our namespace calls 'nsid' too (idempotent; -1 is
 * ours).  0, -ENOENT when no visible file leads to that namespace, or
 * another negative errno. */
int link_monitor_watch(struct link_monitor *m, int32_t nsid);
/* Stops watching every other namespace not passed to link_monitor_watch()
 * since the previous sweep (the caller watches what its ports need, then
 * sweeps).  Returns how many it stopped watching. */
int link_monitor_sweep(struct link_monitor *m);
/* How many namespaces are watched, ours included. */
int link_monitor_count(const struct link_monitor *m);
/* Reads every event waiting, without blocking, calling cb for each link
 * message and once per overrun.  Returns the number of callbacks made or
 * a negative errno. */
int link_monitor_read(struct link_monitor *m, link_event_cb *cb, void *aux);

#endif
