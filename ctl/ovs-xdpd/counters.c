/* The metric definitions (see counters.h). */
#include "counters.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "fastpath.h"
#include "fp-table.h"
#include "histogram.h"
#include "mirror.h"
#include "engine.h"
#include "ovs-xdp-abi.h"
#include "planner.h"
#include "util.h"
#include "version.h"

static void emit(struct metric_sink *s, const struct metric *m,
		 const char *label_value, double v)
{
	s->sample(s, m, "", label_value, v);
}

static void build_info(struct metric_sink *s)
{
	static const struct metric m = {"ovs_xdp_build_info", METRIC_GAUGE,
					"The agent's version, as a label.",
					"version"};
	char v[96];

	snprintf(v, sizeof v, "%s (%s)", OVSX_VERSION, OVSX_GIT_REV);
	s->begin(s, &m);
	emit(s, &m, v, 1);
}

static void flows_by_verdict(struct agent *a, struct metric_sink *s)
{
	static const struct metric m = {
		"ovs_xdp_flows", METRIC_GAUGE,
		"Mirrored megaflows by planner verdict (offloaded or why not).",
		"verdict"};
	const struct engine_stats *st = engine_get_stats(agent_engine(a));

	s->begin(s, &m);
	for (int v = 0; v < PLAN__N_VERDICTS; v++)
		emit(s, &m, plan_verdict_label(v), (double)st->by_verdict[v]);
}

static void fastpath_frames(struct agent *a, struct metric_sink *s)
{
	static const struct metric m = {
		"ovs_xdp_fastpath_events_total", METRIC_COUNTER,
		"Events of the XDP fast path (frames by outcome, cache hits, "
		"mask probes), summed over CPUs.",
		"event"};
	static const char *const names[] = {
#define OVSX_COUNTER_NAME(name, help) #name,
		OVSX_XDP_COUNTERS(OVSX_COUNTER_NAME)
#undef OVSX_COUNTER_NAME
	};
	uint64_t v[OVSX_CTR__MAX];
	char label[64];

	if (fastpath_read_counters(agent_fastpath(a), v))
		return;
	s->begin(s, &m);
	for (int i = 0; i < OVSX_CTR__MAX; i++) {
		size_t j;

		for (j = 0; names[i][j] && j < sizeof label - 1; j++)
			label[j] = (char)tolower((unsigned char)names[i][j]);
		label[j] = '\0';
		emit(s, &m, label, (double)v[i]);
	}
}

static void keepalive(struct agent *a, struct metric_sink *s)
{
	static const struct metric m = {
		"ovs_xdp_keepalive_packets_total", METRIC_COUNTER,
		"Frames of offloaded flows sent to the kernel to keep its flow "
		"from expiring.",
		NULL};
	uint64_t v[OVSX_CTR__MAX];

	if (fastpath_read_counters(agent_fastpath(a), v))
		return;
	s->begin(s, &m);
	emit(s, &m, NULL, (double)v[OVSX_CTR_PASS_KEEPALIVE]);
}

/* Per-port frames and bytes, through XDP and passed to the kernel. */
static void port_traffic(struct agent *a, struct metric_sink *s)
{
	static const struct metric ms[] = {
		{"ovs_xdp_port_xdp_packets_total", METRIC_COUNTER,
		 "Frames received on the port and handled in XDP.", "port"},
		{"ovs_xdp_port_xdp_bytes_total", METRIC_COUNTER,
		 "Bytes received on the port and handled in XDP.", "port"},
		{"ovs_xdp_port_kernel_packets_total", METRIC_COUNTER,
		 "Frames received on the port and passed to the kernel.",
		 "port"},
		{"ovs_xdp_port_kernel_bytes_total", METRIC_COUNTER,
		 "Bytes received on the port and passed to the kernel.",
		 "port"},
	};

	for (size_t k = 0; k < ARRAY_SIZE(ms); k++) {
		s->begin(s, &ms[k]);
		for (size_t i = 0; i < agent_n_ports(a); i++) {
			const struct agent_port *p = agent_port(a, i);
			struct ovsx_port_stats st;
			const __u64 *f[] = {&st.xdp_packets, &st.xdp_bytes,
					    &st.pass_packets, &st.pass_bytes};

			if (!p->attached ||
			    fastpath_read_port_stats(agent_fastpath(a),
						     p->stats_id, &st))
				continue;
			emit(s, &ms[k], p->info.name, (double)*f[k]);
		}
	}
}

static void ports_by_mode(struct agent *a, struct metric_sink *s)
{
	static const struct metric m = {
		"ovs_xdp_ports", METRIC_GAUGE,
		"Datapath ports by how the XDP program is attached.", "mode"};
	double native = 0, generic = 0, none = 0;

	for (size_t i = 0; i < agent_n_ports(a); i++) {
		const struct agent_port *p = agent_port(a, i);

		if (!p->attached)
			none++;
		else if (p->mode == FASTPATH_NATIVE)
			native++;
		else
			generic++;
	}
	s->begin(s, &m);
	emit(s, &m, "native", native);
	emit(s, &m, "generic", generic);
	emit(s, &m, "none", none);
}

static void table_usage(struct agent *a, struct metric_sink *s)
{
	static const struct metric ms[] = {
		{"ovs_xdp_table_entries", METRIC_GAUGE,
		 "Fast-path table entries in use.", "table"},
		{"ovs_xdp_table_capacity", METRIC_GAUGE,
		 "Fast-path table capacity.", "table"},
	};
	struct fp_usage u;

	fp_table_usage(agent_table(a), &u);
	s->begin(s, &ms[0]);
	emit(s, &ms[0], "flows", u.flows);
	emit(s, &ms[0], "masks", u.masks);
	emit(s, &ms[0], "groups", u.groups);
	s->begin(s, &ms[1]);
	emit(s, &ms[1], "flows", u.max_flows);
	emit(s, &ms[1], "masks", u.max_masks);
	emit(s, &ms[1], "groups", u.max_groups);
}

/* A counter without labels. */
static void scalar(struct metric_sink *s, const struct metric *m, uint64_t v)
{
	s->begin(s, m);
	emit(s, m, NULL, (double)v);
}

static void mirror_numbers(struct agent *a, struct metric_sink *s)
{
	static const struct metric ms[] = {
		{"ovs_xdp_mirror_flows", METRIC_GAUGE,
		 "Megaflows in the mirror of the kernel datapath.", NULL},
		{"ovs_xdp_notifications_total", METRIC_COUNTER,
		 "Flow notifications received from the kernel, by command.",
		 "command"},
		{"ovs_xdp_notification_overruns_total", METRIC_COUNTER,
		 "Times the kernel dropped notifications (socket full).", NULL},
		{"ovs_xdp_reconciles_total", METRIC_COUNTER,
		 "Full flow dumps compared with the mirror.", NULL},
		{"ovs_xdp_reconcile_fixes_total", METRIC_COUNTER,
		 "Changes found by dumps that notifications had missed "
		 "(flushes, overruns).",
		 NULL},
		{"ovs_xdp_mirror_fetches_total", METRIC_COUNTER,
		 "Flows fetched from the kernel because their notification "
		 "carried no key, mask or actions.",
		 NULL},
		{"ovs_xdp_flow_count_mismatches_total", METRIC_COUNTER,
		 "Checks where the datapath's flow count differed from the "
		 "mirror's.",
		 NULL},
		{"ovs_xdp_mirror_errors_total", METRIC_COUNTER,
		 "Flow dumps or fetches that failed.", NULL},
		{"ovs_xdp_silent_deletes_total", METRIC_COUNTER,
		 "Flows made again under a UFID the mirror held: the kernel "
		 "had lost flows without notification (a flush); each starts "
		 "a resynchronisation.",
		 NULL},
		{"ovs_xdp_mirror_changes_total", METRIC_COUNTER,
		 "Flow changes the mirror delivered to the offload engine.",
		 "change"},
	};
	const struct mirror_stats *st = mirror_get_stats(agent_mirror(a));

	scalar(s, &ms[0], mirror_count(agent_mirror(a)));
	s->begin(s, &ms[1]);
	emit(s, &ms[1], "new", (double)st->events_new);
	emit(s, &ms[1], "set", (double)st->events_set);
	emit(s, &ms[1], "del", (double)st->events_del);
	scalar(s, &ms[2], st->overruns);
	scalar(s, &ms[3], st->reconciles);
	scalar(s, &ms[4], st->reconcile_fixes);
	scalar(s, &ms[5], st->fetches);
	scalar(s, &ms[6], st->count_mismatches);
	scalar(s, &ms[7], st->errors);
	scalar(s, &ms[8], st->silent_deletes);
	s->begin(s, &ms[9]);
	emit(s, &ms[9], "add", (double)st->adds);
	emit(s, &ms[9], "modify", (double)st->modifies);
	emit(s, &ms[9], "remove", (double)st->removes);
}

static void engine_numbers(struct agent *a, struct metric_sink *s)
{
	static const struct metric m = {
		"ovs_xdp_engine_operations_total", METRIC_COUNTER,
		"The offload engine's work: flows installed into and removed "
		"from the fast path, and flows judged again (ports changed, a "
		"blocking flow went away, room in the table).",
		"operation"};
	const struct engine_stats *st = engine_get_stats(agent_engine(a));

	s->begin(s, &m);
	emit(s, &m, "install", (double)st->installs);
	emit(s, &m, "remove", (double)st->removals);
	emit(s, &m, "replan", (double)st->replans);
}

static void bpf_errors(struct agent *a, struct metric_sink *s)
{
	static const struct metric m = {
		"ovs_xdp_bpf_errors_total", METRIC_COUNTER,
		"Failed BPF map updates and frames the XDP program aborted.",
		"kind"};
	const struct engine_stats *st = engine_get_stats(agent_engine(a));
	uint64_t v[OVSX_CTR__MAX];

	s->begin(s, &m);
	emit(s, &m, "map_update", (double)st->install_errors);
	if (!fastpath_read_counters(agent_fastpath(a), v))
		emit(s, &m, "aborted", (double)v[OVSX_CTR_ABORTED]);
}

static void sync_lag(struct agent *a, struct metric_sink *s)
{
	static const struct metric m = {
		"ovs_xdp_sync_lag_seconds", METRIC_HISTOGRAM,
		"Time from a flow notification's arrival to the fast path "
		"being updated.",
		"le"};
	const struct histogram *h = agent_sync_lag(a);
	uint64_t cum = 0;
	char le[32];

	s->begin(s, &m);
	for (size_t i = 0; i <= HISTOGRAM_BUCKETS; i++) {
		cum += h->counts[i];
		if (i < HISTOGRAM_BUCKETS)
			snprintf(le, sizeof le, "%g", histogram_bounds[i]);
		else
			snprintf(le, sizeof le, "+Inf");
		s->sample(s, &m, "_bucket", le, (double)cum);
	}
	s->sample(s, &m, "_sum", NULL, h->sum);
	s->sample(s, &m, "_count", NULL, (double)h->n);
}

void counters_collect(struct agent *a, struct metric_sink *sink)
{
	build_info(sink);
	if (!a)
		return;
	flows_by_verdict(a, sink);
	mirror_numbers(a, sink);
	engine_numbers(a, sink);
	fastpath_frames(a, sink);
	keepalive(a, sink);
	port_traffic(a, sink);
	ports_by_mode(a, sink);
	table_usage(a, sink);
	bpf_errors(a, sink);
	sync_lag(a, sink);
}
