/* The agent: lifecycle and event handling (see include/agent.h). */
#include "agent.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent-private.h"
#include "log.h"
#include "util.h"

LOG_MODULE("agent");

#define MONITOR_RCVBUF (16 * 1024 * 1024)
#define CHECK_MS       1000 /* n_flows check period */
#define TICK_MS	       100  /* table quarantine and table-full retries */

void agent_default_opts(struct agent_opts *o)
{
	memset(o, 0, sizeof *o);
	o->datapath = "ovs-system";
	o->max_flows = OVSX_DEFAULT_MAX_FLOWS;
	o->max_masks = OVSX_DEFAULT_MAX_MASKS;
	o->keepalive_ms = 1000;
	o->heartbeat_ms = 2000;
	o->reconcile_ms = 10000;
	o->probe_ms = 5000;
}

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void beat(struct agent *a)
{
	if (a->opts.heartbeat_ms)
		fastpath_set_heartbeat(a->fp,
				       monotonic_ns() +
					       a->opts.heartbeat_ms * 1000000u);
}

static void on_event(const struct ovs_event *ev, void *aux)
{
	struct agent *a = aux;
	uint64_t t0 = monotonic_ns();

	if (ev->kind == OVS_EVENT_VPORT && ev->dp_ifindex == a->dp_ifindex)
		a->ports_dirty = true;
	if (ev->kind == OVS_EVENT_DATAPATH && ev->cmd == OVS_DP_CMD_DEL &&
	    ev->dp_ifindex == a->dp_ifindex) {
		LOG_WARN("datapath %s was deleted", a->opts.datapath);
		mirror_clear(a->mirror);
		a->dp_ifindex = -1;
		return;
	}
	mirror_handle_event(a->mirror, ev);
	if (ev->kind == OVS_EVENT_FLOW)
		histogram_observe(&a->sync_lag,
				  (double)(monotonic_ns() - t0) / 1e9);
}

static int drain(struct agent *a)
{
	int ret = ovs_monitor_drain(a->mon, on_event, a);

	return ret < 0 ? ret : 0;
}

static int open_datapath(struct agent *a, char *err, size_t n)
{
	struct ovs_dp_info dp;
	int ret = ovs_nl_open(&a->nl);

	if (ret == -ENOENT) {
		snprintf(err, n, "the openvswitch kernel module is not loaded");
		return ret;
	}
	if (!ret)
		ret = ovs_monitor_open(&a->mon, MONITOR_RCVBUF);
	if (ret) {
		snprintf(err, n, "cannot talk to the openvswitch module: %s",
			 strerror(-ret));
		return ret;
	}
	ret = ovs_nl_dp_get(a->nl, a->opts.datapath, 0, &dp);
	if (ret) {
		snprintf(err, n,
			 "datapath %s not found (is ovs-vswitchd running?)",
			 a->opts.datapath);
		return ret;
	}
	a->dp_ifindex = dp.dp_ifindex;
	return 0;
}

static int load_fastpath(struct agent *a, char *err, size_t n)
{
	int ret = fastpath_open(&a->fp, a->opts.max_flows, a->opts.max_masks);

	if (ret) {
		snprintf(err, n, "cannot load the XDP program: %s%s",
			 strerror(-ret), ret == -EPERM ? " (run as root)" : "");
		return ret;
	}
	fastpath_set_keepalive(a->fp, a->opts.keepalive_ms * 1000000u);
	beat(a);
	a->backend = fp_bpf_create(fastpath_table_maps(a->fp),
				   a->opts.max_flows, a->opts.max_masks);
	if (a->backend)
		a->table = fp_table_create(a->backend, 200);
	if (a->table)
		a->engine =
			offload_create(&a->ports, a->table, time_monotonic_ms);
	if (!a->engine) {
		snprintf(err, n, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

int agent_start(struct agent **out, const struct agent_opts *o, char *err,
		size_t errlen)
{
	struct agent *a = calloc(1, sizeof *a);
	struct mirror_source src;
	int ret;

	*out = NULL;
	if (!a || port_table_init(&a->ports)) {
		free(a);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	a->opts = *o;
	ret = open_datapath(a, err, errlen);
	if (!ret)
		ret = load_fastpath(a, err, errlen);
	if (!ret) {
		ret = agent_refresh_ports(a);
		if (ret)
			snprintf(err, errlen, "cannot list the ports: %s",
				 strerror(-ret));
	}
	if (ret) {
		agent_stop(a);
		return ret;
	}
	a->ks.nl = a->nl;
	a->ks.dp_ifindex = a->dp_ifindex;
	mirror_kernel_source_init(&src, &a->ks);
	a->mirror = mirror_create(&src, offload_mirror_cb, a->engine);
	if (!a->mirror) {
		snprintf(err, errlen, "out of memory");
		agent_stop(a);
		return -ENOMEM;
	}
	*out = a;
	return agent_work(a);
}

void agent_stop(struct agent *a)
{
	if (!a)
		return;
	if (a->fp)
		agent_detach_all(a);
	/* The mirror's records are what the engine points at: engine first. */
	offload_destroy(a->engine);
	mirror_destroy(a->mirror);
	fp_table_destroy(a->table);
	fp_bpf_destroy(a->backend);
	fastpath_close(a->fp);
	ovs_monitor_close(a->mon);
	ovs_nl_close(a->nl);
	port_table_destroy(&a->ports);
	free(a->aports);
	free(a);
}

int agent_fd(const struct agent *a)
{
	return ovs_monitor_fd(a->mon);
}

uint64_t agent_next_deadline(const struct agent *a)
{
	uint64_t next = a->next_check;

	if (a->next_reconcile < next)
		next = a->next_reconcile;
	if (a->next_probe < next)
		next = a->next_probe;
	if (a->opts.heartbeat_ms && a->next_heartbeat < next)
		next = a->next_heartbeat;
	if (a->next_tick < next)
		next = a->next_tick;
	return next;
}

/* The datapath went away: wait for it to come back (ovs-vswitchd
 * re-creates it), then start over on its new ifindex. */
static void find_datapath(struct agent *a)
{
	struct ovs_dp_info dp;

	if (ovs_nl_dp_get(a->nl, a->opts.datapath, 0, &dp))
		return;
	LOG_INFO("datapath %s is back", a->opts.datapath);
	a->dp_ifindex = dp.dp_ifindex;
	a->ks.dp_ifindex = dp.dp_ifindex;
	a->ports_dirty = true;
	a->next_reconcile = 0;
}

static void timers(struct agent *a, uint64_t now)
{
	if (now >= a->next_heartbeat && a->opts.heartbeat_ms) {
		beat(a);
		a->next_heartbeat = now + a->opts.heartbeat_ms / 4;
	}
	if (now >= a->next_tick) {
		offload_tick(a->engine);
		a->next_tick = now + TICK_MS;
	}
	if (now >= a->next_probe) {
		a->ports_dirty = true;
		a->next_probe = now + a->opts.probe_ms;
	}
	if (now >= a->next_check) {
		if (drain(a) == 0 && mirror_check_count(a->mirror))
			LOG_WARN_RL("cannot read the datapath's flow count");
		a->next_check = now + CHECK_MS;
	}
}

int agent_work(struct agent *a)
{
	uint64_t now = time_monotonic_ms();
	int err = drain(a);

	if (err)
		return err;
	if (a->dp_ifindex < 0) {
		find_datapath(a);
		if (a->dp_ifindex < 0) {
			a->next_check = now + CHECK_MS;
			return 0;
		}
	}
	timers(a, now);
	if (a->ports_dirty) {
		a->ports_dirty = false;
		if (agent_refresh_ports(a))
			LOG_WARN_RL("cannot refresh the ports");
	}
	if (now >= a->next_reconcile || mirror_needs_reconcile(a->mirror)) {
		/* Drained just above: the dump is newer than every queued
		 * notification (see mirror.c). */
		if (mirror_reconcile(a->mirror))
			LOG_WARN_RL("flow dump failed; will retry");
		a->next_reconcile = now + a->opts.reconcile_ms;
	}
	return 0;
}

int agent_refresh_flows(struct agent *a)
{
	int err = drain(a);

	return err ? err : mirror_reconcile(a->mirror);
}

const struct agent_opts *agent_opts(const struct agent *a)
{
	return &a->opts;
}

const char *agent_datapath(const struct agent *a)
{
	return a->opts.datapath;
}

struct mirror *agent_mirror(struct agent *a)
{
	return a->mirror;
}

struct offload *agent_offload(struct agent *a)
{
	return a->engine;
}

struct fastpath *agent_fastpath(struct agent *a)
{
	return a->fp;
}

struct fp_table *agent_table(struct agent *a)
{
	return a->table;
}

size_t agent_n_ports(const struct agent *a)
{
	return a->n_aports;
}

const struct agent_port *agent_port(const struct agent *a, size_t i)
{
	return i < a->n_aports ? &a->aports[i] : NULL;
}

const struct port_table *agent_port_table(const struct agent *a)
{
	return &a->ports;
}

const struct histogram *agent_sync_lag(const struct agent *a)
{
	return &a->sync_lag;
}
