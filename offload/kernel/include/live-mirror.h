/* A live mirror of one datapath: the mirror (engine/mirror.h) fed by the
 * kernel's notifications and periodic dumps, following the datapath when
 * it is deleted and re-created.  The one place that holds the rules both
 * users (the agent and `ovs-xdpctl watch`) depend on:
 *
 * - notifications are drained before every dump, so the dump is newer than
 *   everything queued before it (the ordering argument in mirror.c);
 * - the datapath's n_flows is compared with the table every check period,
 *   to catch silent flushes; a full reconcile runs every reconcile period
 *   and whenever the mirror says it may be wrong (overrun, failed fetch);
 * - a deleted datapath empties the table (the removals are delivered) and
 *   is looked for, by name, every check period until it is back; then its
 *   new dp_ifindex is followed.
 *
 * The caller's event loop polls live_mirror_fd() and calls
 * live_mirror_work() when it is readable or live_mirror_next_deadline()
 * has passed. */
#ifndef OVSX_LIVE_MIRROR_H
#define OVSX_LIVE_MIRROR_H

#include <stdint.h>

#include "histogram.h"
#include "mirror.h"
#include "ovs-event.h"
#include "ovs-nl.h"

struct live_mirror_opts {
	const char *datapath; /* followed by name */
	uint64_t reconcile_ms;
	uint64_t check_ms;
	int rcvbuf; /* notification socket buffer, bytes */
	/* Flow changes, as mirror_cb.  All three callbacks get aux. */
	mirror_cb on_change;
	/* Optional: every notification of the followed datapath, before the
	 * mirror applies it. */
	void (*on_event)(void *aux, const struct ovs_event *ev);
	/* Optional: the datapath was deleted (dp_ifindex -1, called after the
	 * table was emptied) or is back (its new dp_ifindex, called before the
	 * mirror reloads). */
	void (*on_datapath)(void *aux, int dp_ifindex);
	void *aux;
};

struct live_mirror;

/* Follows datapath dp_ifindex (found by the caller, who owns nl; nl must
 * outlive the mirror).  The table starts empty and is loaded by the first
 * live_mirror_work().  Returns 0 or a negative errno (-ENOENT: no
 * openvswitch module). */
int live_mirror_open(struct live_mirror **out, struct ovs_nl *nl,
		     int dp_ifindex, const struct live_mirror_opts *o);
/* Frees the table without delivering removals.  Accepts NULL. */
void live_mirror_close(struct live_mirror *lm);

int live_mirror_fd(const struct live_mirror *lm);
uint64_t live_mirror_next_deadline(const struct live_mirror *lm);
/* Applies queued notifications, then whatever is due at now_ms (datapath
 * search, count check, reconcile).  Returns 0, or a negative errno when
 * the notification socket failed (the mirror cannot go on). */
int live_mirror_work(struct live_mirror *lm, uint64_t now_ms);
/* Applies queued notifications only.  Same return as live_mirror_work. */
int live_mirror_drain(struct live_mirror *lm);
/* Drains, then reconciles now (fresh kernel statistics).  Returns 0 or a
 * negative errno. */
int live_mirror_refresh(struct live_mirror *lm);

/* The followed datapath's dp_ifindex, -1 while it is gone. */
int live_mirror_dp_ifindex(const struct live_mirror *lm);
struct mirror *live_mirror_table(struct live_mirror *lm);
const struct mirror *live_mirror_table_const(const struct live_mirror *lm);
/* Seconds from reading a flow notification to its change applied
 * (subscriber included: for the agent, the fast path updated). */
const struct histogram *live_mirror_apply_time(const struct live_mirror *lm);

#endif
