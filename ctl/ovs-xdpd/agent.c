/* The agent: lifecycle and event handling (see agent.h). */
#include "agent.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent-private.h"
#include "ovsdb-view.h"
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
	o->ovsdb = OVSDB_DEFAULT_SOCKET;
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

/* Every notification of our datapath, before the mirror applies it. */
static void on_event(void *aux, const struct ovs_event *ev)
{
	struct agent *a = aux;

	if (ev->kind == OVS_EVENT_VPORT)
		a->ports_dirty = true;
}

/* Flow changes go to the engine. */
static void on_change(void *aux, enum mirror_change change,
		      const struct odp_flow *old, const struct odp_flow *cur)
{
	struct agent *a = aux;

	engine_mirror_cb(a->engine, change, old, cur);
}

/* The datapath was deleted (-1) or is back: its ports are refreshed before
 * the mirror reloads its flows, so they are planned against them. */
static void on_datapath(void *aux, int dp_ifindex)
{
	struct agent *a = aux;

	a->dp_ifindex = dp_ifindex;
	a->ports_dirty = false;
	if (agent_refresh_ports(a))
		LOG_WARN_RL("cannot refresh the ports");
}

/* A link or tc event concerns a port if it names the port's device, a
 * device on it (a VLAN device made on it) or its veth peer; an overrun
 * may concern any. */
static void on_link(const struct link_event *ev, void *aux)
{
	struct agent *a = aux;

	for (size_t i = 0; i < a->n_aports && !a->ports_dirty; i++) {
		const struct agent_port *ap = &a->aports[i];

		a->ports_dirty =
			ev->lost ||
			(ev->nsid < 0 && (ev->ifindex == ap->info.ifindex ||
					  ev->link == ap->info.ifindex)) ||
			(ev->nsid == ap->peer_nsid &&
			 ev->ifindex == ap->peer_ifindex);
	}
}

static void open_links(struct agent *a)
{
	int ret = link_monitor_open(&a->links);

	if (ret)
		LOG_WARN("cannot follow link changes (%s): port properties are "
			 "re-read every %llu ms only",
			 strerror(-ret), (unsigned long long)a->opts.probe_ms);
}

static int open_datapath(struct agent *a, char *err, size_t n)
{
	struct ovs_dp_info dp;
	int ret = ovs_nl_open(&a->nl);

	if (ret == -ENOENT) {
		snprintf(err, n, "the openvswitch kernel module is not loaded");
		return ret;
	}
	if (ret) {
		snprintf(err, n, "cannot talk to the openvswitch module: %s",
			 strerror(-ret));
		return ret;
	}
	/* Not there yet (ovs-vswitchd creates it with its first bridge) or
	 * deleted: the live mirror looks for it until it comes. */
	ret = ovs_nl_dp_get(a->nl, a->opts.datapath, 0, &dp);
	if (ret == -ENODEV || ret == -ENOENT) {
		LOG_INFO("waiting for datapath %s (ovs-vswitchd creates it "
			 "with its first bridge)",
			 a->opts.datapath);
		a->dp_ifindex = -1;
		return 0;
	}
	if (ret) {
		snprintf(err, n, "cannot look up datapath %s: %s",
			 a->opts.datapath, strerror(-ret));
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
	if (!a->backend) {
		ret = errno ? -errno : -ENOMEM;
		snprintf(err, n,
			 "cannot set up the fast path's map backend: %s",
			 strerror(-ret));
		return ret;
	}
	a->table = fp_table_create(a->backend, 200);
	if (!a->table) {
		snprintf(err, n,
			 "no memory for the flow table's shadow (%u flows, %u "
			 "masks)",
			 a->opts.max_flows, a->opts.max_masks);
		return -ENOMEM;
	}
	a->engine = engine_create(&a->ports, a->table, time_monotonic_ms);
	if (!a->engine) {
		snprintf(err, n, "no memory for the offload engine");
		return -ENOMEM;
	}
	return 0;
}

static int open_mirror(struct agent *a)
{
	struct live_mirror_opts lo = {
		.datapath = a->opts.datapath,
		.reconcile_ms = a->opts.reconcile_ms,
		.check_ms = CHECK_MS,
		.rcvbuf = MONITOR_RCVBUF,
		.on_change = on_change,
		.on_event = on_event,
		.on_datapath = on_datapath,
		.aux = a,
	};

	return live_mirror_open(&a->lm, a->nl, a->dp_ifindex, &lo);
}

int agent_start(struct agent **out, const struct agent_opts *o, char *err,
		size_t errlen)
{
	struct agent *a = calloc(1, sizeof *a);
	int ret;

	*out = NULL;
	if (!a || port_table_init(&a->ports)) {
		free(a);
		snprintf(err, errlen, "no memory for the agent's port table");
		return -ENOMEM;
	}
	a->opts = *o;
	/* Before the first port refresh, which watches the peers. */
	open_links(a);
	ret = open_datapath(a, err, errlen);
	if (!ret)
		ret = load_fastpath(a, err, errlen);
	if (!ret && a->dp_ifindex >= 0) {
		ret = agent_refresh_ports(a);
		if (ret)
			snprintf(err, errlen, "cannot list the ports: %s",
				 strerror(-ret));
	}
	if (ret) {
		agent_stop(a);
		return ret;
	}
	ret = open_mirror(a);
	if (ret) {
		snprintf(err, errlen, "cannot follow the datapath: %s",
			 strerror(-ret));
		agent_stop(a);
		return ret;
	}
	/* The first agent_work() (the loop's first turn) loads the flows. */
	*out = a;
	return 0;
}

void agent_stop(struct agent *a)
{
	if (!a)
		return;
	if (a->fp)
		agent_detach_all(a);
	/* The mirror's records are what the engine points at: engine first. */
	engine_destroy(a->engine);
	live_mirror_close(a->lm);
	fp_table_destroy(a->table);
	fp_bpf_destroy(a->backend);
	fastpath_close(a->fp);
	ovs_nl_close(a->nl);
	link_monitor_close(a->links);
	port_table_destroy(&a->ports);
	free(a->aports);
	free(a);
}

int agent_fd(const struct agent *a)
{
	return live_mirror_fd(a->lm);
}

int agent_link_fd(const struct agent *a)
{
	return a->links ? link_monitor_fd(a->links) : -1;
}

uint64_t agent_next_deadline(const struct agent *a)
{
	uint64_t next = live_mirror_next_deadline(a->lm);

	if (a->next_probe < next)
		next = a->next_probe;
	if (a->opts.heartbeat_ms && a->next_heartbeat < next)
		next = a->next_heartbeat;
	if (a->next_tick < next)
		next = a->next_tick;
	return next;
}

void agent_heartbeat_if_due(struct agent *a)
{
	uint64_t now = time_monotonic_ms();

	if (now >= a->next_heartbeat && a->opts.heartbeat_ms) {
		beat(a);
		a->next_heartbeat = now + a->opts.heartbeat_ms / 4;
	}
}

static void timers(struct agent *a, uint64_t now)
{
	agent_heartbeat_if_due(a);
	if (now >= a->next_tick) {
		engine_tick(a->engine);
		a->next_tick = now + TICK_MS;
	}
	if (now >= a->next_probe) {
		a->ports_dirty = true;
		a->next_probe = now + a->opts.probe_ms;
	}
}

/* The heartbeat is renewed every heartbeat_ms / 4 from this loop: a step
 * that holds it longer than the remaining slack lets the fast path hand
 * every frame to the kernel (exact, but slow).  Which step did is worth a
 * line in the log. */
void agent_note_slow(const struct agent *a, const char *what, uint64_t t0)
{
	uint64_t ms = time_monotonic_ms() - t0;

	if (a->opts.heartbeat_ms && ms >= a->opts.heartbeat_ms / 2)
		LOG_WARN_RL(
			"%s held the agent for %llu ms (the fast path "
			"passes everything %llu ms after a missed heartbeat)",
			what, (unsigned long long)ms,
			(unsigned long long)a->opts.heartbeat_ms);
}

int agent_work(struct agent *a)
{
	uint64_t now = time_monotonic_ms();
	int err = live_mirror_drain(a->lm);

	/* Notifications first (vport events mark the ports), then the ports,
	 * then the flows, which are planned against them. */
	if (err)
		return err;
	/* A device changed: its port is re-classified now, not at the next
	 * probe (the kernel applies a changed offload to the next frame). */
	agent_note_slow(a, "applying flow notifications", now);
	if (a->links && link_monitor_read(a->links, on_link, a) < 0)
		LOG_WARN_RL("cannot read link changes");
	if (a->dp_ifindex >= 0) {
		timers(a, now);
		if (a->ports_dirty) {
			a->ports_dirty = false;
			if (agent_refresh_ports(a))
				LOG_WARN_RL("cannot refresh the ports");
		}
	}
	uint64_t t0 = time_monotonic_ms();

	err = live_mirror_work(a->lm, now);
	agent_note_slow(a, "the flow count check or dump", t0);
	return err;
}

int agent_refresh_flows(struct agent *a)
{
	return live_mirror_refresh(a->lm);
}

const struct agent_opts *agent_opts(const struct agent *a)
{
	return &a->opts;
}

const char *agent_datapath(const struct agent *a)
{
	return a->opts.datapath;
}

int agent_dp_ifindex(const struct agent *a)
{
	return a->dp_ifindex;
}

struct mirror *agent_mirror(struct agent *a)
{
	return live_mirror_table(a->lm);
}

struct engine *agent_engine(struct agent *a)
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
	return live_mirror_apply_time(a->lm);
}
