/* A live mirror of one datapath (see live-mirror.h). */
#include "live-mirror.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "mirror-kernel.h"
#include "ovs-monitor.h"
#include "util.h"

LOG_MODULE("live-mirror");

struct live_mirror {
	struct live_mirror_opts o;
	struct ovs_nl *nl;
	struct ovs_monitor *mon;
	struct mirror_kernel_source ks;
	struct mirror *mirror;
	int dp_ifindex; /* -1 while the datapath is gone */
	uint64_t next_check, next_reconcile;
	/* When the last dump ended: notifications of flows it listed may
	 * still be on their way (the kernel sends them after it unlocks). */
	uint64_t dump_end_ms;
	struct histogram apply_time;
};

/* The kernel queues a flow's notification after releasing ovs_lock
 * (ovs_flow_cmd_new(): ovs_notify() after ovs_unlock()), so a dump may
 * list a flow whose NEW is not queued yet when the next drain ends.  A
 * drain counts as having read everything sent during the dump only when
 * it ends this long after the dump: far beyond the few instructions
 * between the unlock and the notification, even for a preempted writer. */
#define NOTIFY_LAG_MS 500

static int reconcile(struct live_mirror *lm)
{
	int err = mirror_reconcile(lm->mirror);

	lm->dump_end_ms = time_monotonic_ms();
	return err;
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int live_mirror_open(struct live_mirror **out, struct ovs_nl *nl,
		     int dp_ifindex, const struct live_mirror_opts *o)
{
	struct live_mirror *lm = calloc(1, sizeof *lm);
	struct mirror_source src;
	int err;

	*out = NULL;
	if (!lm)
		return -ENOMEM;
	lm->o = *o;
	lm->nl = nl;
	lm->dp_ifindex = dp_ifindex;
	lm->ks.nl = nl;
	lm->ks.dp_ifindex = dp_ifindex;
	err = ovs_monitor_open(&lm->mon, o->rcvbuf);
	if (err) {
		free(lm);
		return err;
	}
	mirror_kernel_source_init(&src, &lm->ks);
	lm->mirror = mirror_create(&src, o->on_change, o->aux);
	if (!lm->mirror) {
		live_mirror_close(lm);
		return -ENOMEM;
	}
	*out = lm;
	return 0;
}

void live_mirror_close(struct live_mirror *lm)
{
	if (!lm)
		return;
	mirror_destroy(lm->mirror);
	ovs_monitor_close(lm->mon);
	free(lm);
}

int live_mirror_fd(const struct live_mirror *lm)
{
	return ovs_monitor_fd(lm->mon);
}

uint64_t live_mirror_next_deadline(const struct live_mirror *lm)
{
	if (lm->dp_ifindex < 0)
		return lm->next_check;
	return lm->next_check < lm->next_reconcile ? lm->next_check
						   : lm->next_reconcile;
}

static void datapath_deleted(struct live_mirror *lm)
{
	LOG_WARN("datapath %s was deleted", lm->o.datapath);
	mirror_clear(lm->mirror);
	lm->dp_ifindex = -1;
	if (lm->o.on_datapath)
		lm->o.on_datapath(lm->o.aux, -1);
}

static void on_event(const struct ovs_event *ev, void *aux)
{
	struct live_mirror *lm = aux;
	uint64_t t0 = monotonic_ns();

	if (lm->dp_ifindex < 0 ||
	    (ev->kind != OVS_EVENT_OVERRUN && ev->dp_ifindex != lm->dp_ifindex))
		return;
	if (ev->kind == OVS_EVENT_DATAPATH && ev->cmd == OVS_DP_CMD_DEL) {
		datapath_deleted(lm);
		return;
	}
	if (lm->o.on_event)
		lm->o.on_event(lm->o.aux, ev);
	mirror_handle_event(lm->mirror, ev);
	if (ev->kind == OVS_EVENT_FLOW)
		histogram_observe(&lm->apply_time,
				  (double)(monotonic_ns() - t0) / 1e9);
}

int live_mirror_drain(struct live_mirror *lm)
{
	int ret = ovs_monitor_drain(lm->mon, on_event, lm);

	if (ret < 0)
		return ret;
	/* Read until empty (EAGAIN), late enough after the last dump: see
	 * mirror_notifications_drained() and NOTIFY_LAG_MS. */
	if (time_monotonic_ms() >= lm->dump_end_ms + NOTIFY_LAG_MS)
		mirror_notifications_drained(lm->mirror);
	return 0;
}

/* The datapath went away: is it back (ovs-vswitchd re-creates it)? */
static void find_datapath(struct live_mirror *lm)
{
	struct ovs_dp_info dp;

	if (ovs_nl_dp_get(lm->nl, lm->o.datapath, 0, &dp))
		return;
	LOG_INFO("datapath %s is back (dp_ifindex %d)", lm->o.datapath,
		 dp.dp_ifindex);
	lm->dp_ifindex = dp.dp_ifindex;
	lm->ks.dp_ifindex = dp.dp_ifindex;
	mirror_set_dp_ifindex(lm->mirror, dp.dp_ifindex);
	if (lm->o.on_datapath)
		lm->o.on_datapath(lm->o.aux, dp.dp_ifindex);
}

int live_mirror_work(struct live_mirror *lm, uint64_t now)
{
	int err = live_mirror_drain(lm);

	if (err)
		return err;
	if (lm->dp_ifindex < 0) {
		if (now < lm->next_check)
			return 0;
		lm->next_check = now + lm->o.check_ms;
		find_datapath(lm);
		if (lm->dp_ifindex < 0)
			return 0;
	}
	if (now >= lm->next_check) {
		if (mirror_check_count(lm->mirror))
			LOG_WARN_RL("cannot read the datapath's flow count");
		lm->next_check = now + lm->o.check_ms;
	}
	if (now >= lm->next_reconcile || mirror_needs_reconcile(lm->mirror)) {
		/* Drained just above: the dump is newer than every queued
		 * notification (see mirror.c). */
		if (reconcile(lm))
			LOG_WARN_RL("flow dump failed; will retry");
		lm->next_reconcile = now + lm->o.reconcile_ms;
	}
	return 0;
}

int live_mirror_refresh(struct live_mirror *lm)
{
	int err = live_mirror_drain(lm);

	if (err || lm->dp_ifindex < 0)
		return err ? err : -ENODEV;
	return reconcile(lm);
}

int live_mirror_dp_ifindex(const struct live_mirror *lm)
{
	return lm->dp_ifindex;
}

struct mirror *live_mirror_table(struct live_mirror *lm)
{
	return lm->mirror;
}

const struct mirror *live_mirror_table_const(const struct live_mirror *lm)
{
	return lm->mirror;
}

const struct histogram *live_mirror_apply_time(const struct live_mirror *lm)
{
	return &lm->apply_time;
}
