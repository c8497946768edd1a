/* The live mirror of the kernel datapath's flow table.
 *
 * A table of odp_flows keyed by identity (UFID, or key for UFID-less flows),
 * kept equal to the kernel's by two inputs: notifications
 * (mirror_handle_event, from ovs-monitor.c) and full dumps
 * (mirror_reconcile).  Dumps are needed because the kernel sends nothing for
 * flushes, ovs-vswitchd restarts and datapath deletion, and notifications
 * can be lost (overrun).  Every change of a flow's match or actions is
 * delivered to one subscriber (the planner) as add / modify / remove;
 * statistics are refreshed silently.
 *
 * The mirror reads the kernel through a struct mirror_source, so unit tests
 * drive it with an in-memory fake (the kernel's is in kernel/mirror-kernel.h;
 * kernel/live-mirror.h runs a mirror against a live datapath).  Timing (when to check, when to
 * reconcile) belongs to the caller's event loop. */
#ifndef OVSX_MIRROR_H
#define OVSX_MIRROR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow.h"
#include "ovs-event.h"
#include "ovs-msg.h"

/* Where the mirror reads the datapath from. */
struct mirror_source {
	/* Every flow, with key, mask and actions. */
	int (*dump)(void *src, ovs_flow_cb cb, void *aux);
	/* One flow by identity; -ENOENT if absent. */
	int (*get)(void *src, const struct odp_flow *id, struct odp_flow *out);
	/* The datapath's own flow count (OVS_DP_ATTR_STATS n_flows). */
	int (*count)(void *src, uint64_t *n_flows);
	void *src;
	/* Notifications of other datapaths are ignored; 0 accepts all. */
	int dp_ifindex;
};

enum mirror_change {
	MIRROR_ADD,
	MIRROR_MODIFY,
	MIRROR_REMOVE,
};

/* 'old' is NULL for ADD, 'cur' NULL for REMOVE.  'cur' is the mirror's own
 * record of the flow: the same pointer for the flow's whole life, valid
 * until the flow's REMOVE callback returns (where it is passed as 'old'), so
 * a subscriber may keep it.  'old' for MODIFY is a copy valid only during
 * the call. */
typedef void (*mirror_cb)(void *aux, enum mirror_change change,
			  const struct odp_flow *old,
			  const struct odp_flow *cur);

struct mirror_stats {
	uint64_t events_new, events_set, events_del; /* flow notifications */
	uint64_t overruns;	   /* notifications lost (ENOBUFS) */
	uint64_t fetches;	   /* GETs for notifications without a body */
	uint64_t reconciles;	   /* full dumps compared */
	uint64_t reconcile_fixes;  /* changes a reconcile (not the first load)
				    * found that notifications had missed */
	uint64_t count_mismatches; /* n_flows checks that disagreed */
	uint64_t silent_deletes;   /* NEW for a UFID held: flows were lost
				    * without notification (a flush) */
	uint64_t errors;	   /* failed dumps or fetches */
	uint64_t adds, modifies, removes; /* changes delivered */
};

struct mirror;

/* Returns NULL (errno ENOMEM) on failure.  The table starts empty: call
 * mirror_reconcile() to load it. */
struct mirror *mirror_create(const struct mirror_source *src, mirror_cb cb,
			     void *aux);
/* Frees the table without delivering removals.  Accepts NULL. */
void mirror_destroy(struct mirror *m);

/* Applies one notification.  Flow NEW/SET add or modify, DEL removes (by
 * UFID alone when that is all the kernel sent), a body-less NEW/SET is
 * fetched; an overrun or a datapath event marks the mirror for reconcile
 * (a datapath deletion is the caller's to handle: see mirror_clear). */
void mirror_handle_event(struct mirror *m, const struct ovs_event *ev);
/* Compares the table with a full dump and delivers the differences.  On a
 * failed dump the flows already read are applied (they are the kernel's),
 * nothing is removed, and the mirror stays marked for reconcile. */
int mirror_reconcile(struct mirror *m);
/* Compares the table size with the datapath's n_flows (drain notifications
 * first).  A mismatch with no flow notification since the previous check
 * marks the mirror for reconcile; one while notifications flow is only
 * counted, since the two race.  Returns 0 or a negative errno. */
int mirror_check_count(struct mirror *m);
bool mirror_needs_reconcile(const struct mirror *m);
/* The notification socket was read until empty, late enough after the
 * last dump that every notification sent during the dumps so far has been
 * handled (the silent-delete proof of mirror.c relies on it). */
void mirror_notifications_drained(struct mirror *m);
/* The datapath was re-created under a new dp_ifindex: notifications are
 * taken from that one, and the mirror is marked for reconcile. */
void mirror_set_dp_ifindex(struct mirror *m, int dp_ifindex);
/* Removes every flow, delivering the removals (the datapath is gone). */
void mirror_clear(struct mirror *m);

size_t mirror_count(const struct mirror *m);
/* The mirrored flow with the identity of 'id', or NULL. */
const struct odp_flow *mirror_find(const struct mirror *m,
				   const struct odp_flow *id);
/* Calls fn for every flow, in no particular order. */
void mirror_for_each(const struct mirror *m,
		     void (*fn)(const struct odp_flow *f, void *aux),
		     void *aux);
const struct mirror_stats *mirror_get_stats(const struct mirror *m);

#endif
