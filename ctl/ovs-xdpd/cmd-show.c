/* `show` and `stats`: the agent's ports, verdict counts, table use and
 * settings; every exported number. */
#include <stdio.h>
#include <string.h>

#include "agent.h"
#include "commands-private.h"
#include "counters.h"
#include "fp-table.h"
#include "engine.h"
#include "ovs-msg.h"

static const char *port_state(const struct agent_port *p, char *buf, size_t n)
{
	if (p->attached && p->info.rx_limit == PORT_LIMIT_NONE)
		snprintf(buf, n, "xdp %s", fastpath_mode_name(p->mode));
	else
		snprintf(buf, n, "kernel only: %s",
			 p->why[0] ? p->why
				   : port_limit_text(p->info.rx_limit));
	return buf;
}

static json_t *port_json(const struct agent_port *p)
{
	char state[160];

	return json_pack(
		"{s:i,s:s,s:s,s:i,s:i,s:b,s:s?,s:s?,s:b,s:s?,s:b,s:b}",
		"port_no", (int)p->info.port_no, "name", p->info.name, "type",
		ovs_vport_type_name(p->info.vport_type), "ifindex",
		p->info.ifindex, "mtu", (int)p->info.mtu, "accelerated",
		p->attached && p->info.rx_limit == PORT_LIMIT_NONE, "mode",
		p->attached ? fastpath_mode_name(p->mode) : NULL, "reason",
		p->attached ? NULL : port_state(p, state, sizeof state),
		"xdp_output", p->info.tx_limit == PORT_LIMIT_NONE,
		"output_reason",
		p->info.tx_limit == PORT_LIMIT_NONE
			? NULL
			: port_limit_text(p->info.tx_limit),
		"verify_checksums", p->info.verify_csum,
		"partial_checksums_to_kernel", p->info.partial_to_kernel);
}

static void show_text(struct agent *a, struct ctl_reply *r)
{
	const struct engine_stats *st = engine_get_stats(agent_engine(a));
	const struct agent_opts *o = agent_opts(a);
	struct fp_usage u;
	char state[160];

	if (agent_dp_ifindex(a) < 0)
		ds_printf(&r->text,
			  "datapath %s: not present (waiting for it)\n",
			  agent_datapath(a));
	else
		ds_printf(&r->text, "datapath %s: %zu flows mirrored\n",
			  agent_datapath(a), mirror_count(agent_mirror(a)));
	ds_put(&r->text, "  ports:\n");
	for (size_t i = 0; i < agent_n_ports(a); i++) {
		const struct agent_port *p = agent_port(a, i);

		ds_printf(&r->text, "    port %u: %s (%s", p->info.port_no,
			  p->info.name,
			  ovs_vport_type_name(p->info.vport_type));
		if (p->info.ifindex)
			ds_printf(&r->text, ", ifindex %d", p->info.ifindex);
		ds_printf(&r->text, "): %s; XDP output: %s%s%s\n",
			  port_state(p, state, sizeof state),
			  p->info.tx_limit == PORT_LIMIT_NONE ? "yes" : "no (",
			  p->info.tx_limit == PORT_LIMIT_NONE
				  ? ""
				  : port_limit_text(p->info.tx_limit),
			  p->info.tx_limit == PORT_LIMIT_NONE ? "" : ")");
	}
	ds_put(&r->text, "  flows by verdict:\n");
	for (int v = 0; v < PLAN__N_VERDICTS; v++)
		if (st->by_verdict[v])
			ds_printf(&r->text, "    %s: %llu\n",
				  plan_verdict_text(v),
				  (unsigned long long)st->by_verdict[v]);
	fp_table_usage(agent_table(a), &u);
	ds_printf(&r->text,
		  "  table: flows %u/%u, masks %u/%u, groups %u/%u, "
		  "quarantined slots %u\n",
		  u.flows, u.max_flows, u.masks, u.max_masks, u.groups,
		  u.max_groups, u.quarantined);
	ds_printf(
		&r->text,
		"  keepalive: %llu ms, heartbeat: %llu ms, reconcile: %llu ms\n",
		(unsigned long long)o->keepalive_ms,
		(unsigned long long)o->heartbeat_ms,
		(unsigned long long)o->reconcile_ms);
}

static json_t *show_json(struct agent *a)
{
	const struct engine_stats *st = engine_get_stats(agent_engine(a));
	const struct agent_opts *o = agent_opts(a);
	json_t *ports = json_array(), *verdicts = json_object();
	struct fp_usage u;

	for (size_t i = 0; i < agent_n_ports(a); i++)
		json_array_append_new(ports, port_json(agent_port(a, i)));
	for (int v = 0; v < PLAN__N_VERDICTS; v++)
		json_object_set_new(
			verdicts, plan_verdict_label(v),
			json_integer((json_int_t)st->by_verdict[v]));
	fp_table_usage(agent_table(a), &u);
	return json_pack(
		"{s:s,s:b,s:I,s:o,s:o,s:{s:i,s:i,s:i,s:i,s:i,s:i,s:i},s:{s:I,s:I,"
		"s:I}}",
		"datapath", agent_datapath(a), "datapath_present",
		agent_dp_ifindex(a) >= 0, "flows",
		(json_int_t)mirror_count(agent_mirror(a)), "ports", ports,
		"verdicts", verdicts, "table", "flows", u.flows, "max_flows",
		u.max_flows, "masks", u.masks, "max_masks", u.max_masks,
		"groups", u.groups, "max_groups", u.max_groups, "quarantined",
		u.quarantined, "settings", "keepalive_ms",
		(json_int_t)o->keepalive_ms, "heartbeat_ms",
		(json_int_t)o->heartbeat_ms, "reconcile_ms",
		(json_int_t)o->reconcile_ms);
}

void cmd_show(struct agent *a, int argc, char **argv, bool json,
	      struct ctl_reply *r)
{
	(void)argv;
	if (argc > 1) {
		reply_error(r, 2, "show takes no arguments");
		return;
	}
	if (json)
		r->json = show_json(a);
	else
		show_text(a, r);
}

/* `stats`: the metrics of counters.c, as "name{label} value" lines or as
 * a JSON object of name -> value or name -> {label: value}. */
struct stats_sink {
	struct metric_sink base;
	struct ds *text;
	json_t *json;
};

static void stats_begin(struct metric_sink *s, const struct metric *m)
{
	(void)s;
	(void)m;
}

static void stats_sample(struct metric_sink *s, const struct metric *m,
			 const char *suffix, const char *label, double v)
{
	struct stats_sink *ss = (struct stats_sink *)s;
	char name[160];

	snprintf(name, sizeof name, "%s%s", m->name, suffix);
	if (ss->text) {
		if (label)
			ds_printf(ss->text, "%s{%s=\"%s\"} %.17g\n", name,
				  m->label, label, v);
		else
			ds_printf(ss->text, "%s %.17g\n", name, v);
		return;
	}
	if (!label) {
		json_object_set_new(ss->json, name, json_real(v));
		return;
	}
	if (!json_object_get(ss->json, name))
		json_object_set_new(ss->json, name, json_object());
	json_object_set_new(json_object_get(ss->json, name), label,
			    json_real(v));
}

void cmd_stats(struct agent *a, int argc, char **argv, bool json,
	       struct ctl_reply *r)
{
	struct stats_sink s = {{stats_begin, stats_sample}, NULL, NULL};

	(void)argv;
	if (argc > 1) {
		reply_error(r, 2, "stats takes no arguments");
		return;
	}
	if (json)
		s.json = r->json = json_object();
	else
		s.text = &r->text;
	counters_collect(a, &s.base);
}
