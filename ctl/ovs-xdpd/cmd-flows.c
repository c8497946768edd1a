/* `dump-flows`: every mirrored megaflow in ovs-dpctl syntax, with packets,
 * bytes and used merged from the kernel and the fast path, whether it is
 * offloaded, and if not, why. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "agent.h"
#include "commands-private.h"
#include "odp-text.h"
#include "engine.h"
#include "util.h"

enum flow_filter {
	SHOW_ALL,
	SHOW_OFFLOADED,
	SHOW_NON_OFFLOADED,
};

struct dump {
	struct agent *a;
	bool verbose;
	bool cached; /* as the daemon holds it: no dump first */
	enum flow_filter filter;
	uint64_t now_ms;
	struct ctl_reply *r;
	json_t *flows;
	struct ds line;
};

/* The flow with kernel and fast-path statistics merged. */
static void merge(const struct odp_flow *f, const struct ovsx_flow_stats *x,
		  struct odp_flow *out)
{
	uint64_t xdp_used_ms = x->used_ns / 1000000u;

	*out = *f; /* shares the streams: read only */
	out->stats.packets += x->packets;
	out->stats.bytes += x->bytes;
	out->stats.tcp_flags |= ntohs(x->tcp_flags);
	if (xdp_used_ms > out->stats.used_ms)
		out->stats.used_ms = xdp_used_ms;
}

static void reason_text(char *buf, size_t n, enum plan_verdict v,
			const char *detail)
{
	snprintf(buf, n, "%s%s%s", plan_verdict_text(v), *detail ? ": " : "",
		 detail);
}

static json_t *flow_json(struct dump *d, const struct odp_flow *f,
			 const struct odp_flow *merged,
			 const struct ovsx_flow_stats *x, enum plan_verdict v,
			 const char *detail)
{
	char reason[384];
	struct ds ufid = DS_INIT, match = DS_INIT, acts = DS_INIT;
	json_t *o;

	odp_format_ufid(&ufid, f->ufid, f->ufid_len);
	odp_format_match(&match, f, d->verbose);
	odp_format_actions(&acts, f->actions.data, f->actions.len);
	reason_text(reason, sizeof reason, v, detail);
	o = json_pack(
		"{s:s?,s:s,s:s,s:b,s:s?,s:s?,s:I,s:I,s:I,s:I,s:o}", "ufid",
		f->ufid_len ? ds_cstr(&ufid) : NULL, "match", ds_cstr(&match),
		"actions", ds_cstr(&acts), "offloaded", v == PLAN_OFFLOADED,
		"reason", v == PLAN_OFFLOADED ? NULL : plan_verdict_label(v),
		"reason_text", v == PLAN_OFFLOADED ? NULL : reason, "packets",
		(json_int_t)merged->stats.packets, "bytes",
		(json_int_t)merged->stats.bytes, "xdp_packets",
		(json_int_t)x->packets, "xdp_bytes", (json_int_t)x->bytes,
		"used",
		merged->stats.used_ms
			? json_real((double)(int64_t)(d->now_ms -
						      merged->stats.used_ms) /
				    1000.0)
			: json_null());
	ds_free(&ufid);
	ds_free(&match);
	ds_free(&acts);
	return o;
}

static void one_flow(const struct odp_flow *f, void *aux)
{
	struct dump *d = aux;
	struct ovsx_flow_stats x;
	struct odp_flow merged;
	enum plan_verdict v = PLAN_NOT_UNDERSTOOD;
	const char *detail = "";
	char reason[384], extra[448];
	struct odp_format_opts fmt = {.verbose = d->verbose,
				      .stats = true,
				      .now_ms = d->now_ms,
				      .offload_view = true};

	engine_verdict(agent_engine(d->a), f, &v, &detail);
	if ((d->filter == SHOW_OFFLOADED && v != PLAN_OFFLOADED) ||
	    (d->filter == SHOW_NON_OFFLOADED && v == PLAN_OFFLOADED))
		return;
	if (engine_flow_stats(agent_engine(d->a), f, &x))
		memset(&x, 0, sizeof x);
	merge(f, &x, &merged);
	if (d->flows) {
		json_array_append_new(d->flows,
				      flow_json(d, f, &merged, &x, v, detail));
		return;
	}
	reason_text(reason, sizeof reason, v, detail);
	fmt.offloaded = v == PLAN_OFFLOADED;
	fmt.dp_layer = v == PLAN_OFFLOADED ? "xdp" : "ovs";
	/* OVS's slot for per-datapath details, after the actions: the
	 * parser takes everything after it, commas included. */
	snprintf(extra, sizeof extra, "reason=%s (%s)", plan_verdict_label(v),
		 reason);
	fmt.extra = v == PLAN_OFFLOADED ? NULL : extra;
	ds_clear(&d->line);
	odp_format_flow(&d->line, &merged, &fmt);
	ds_put(&d->r->text, ds_cstr(&d->line));
	ds_putc(&d->r->text, '\n');
}

static int parse_args(struct dump *d, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-m") || !strcmp(argv[i], "--more"))
			d->verbose = true;
		else if (!strcmp(argv[i], "type=offloaded"))
			d->filter = SHOW_OFFLOADED;
		else if (!strcmp(argv[i], "type=non-offloaded"))
			d->filter = SHOW_NON_OFFLOADED;
		else if (!strcmp(argv[i], "type=all"))
			d->filter = SHOW_ALL;
		else if (!strcmp(argv[i], "--cached"))
			d->cached = true;
		else {
			reply_error(d->r, 2,
				    "dump-flows: unknown argument '%s'",
				    argv[i]);
			return -1;
		}
	}
	return 0;
}

void cmd_dump_flows(struct agent *a, int argc, char **argv, bool json,
		    struct ctl_reply *r)
{
	struct dump d = {.a = a, .r = r};

	if (parse_args(&d, argc, argv))
		return;
	/* A dump first, so the kernel's counts are as fresh as the fast
	 * path's (it also reconciles the table: --cached shows the table
	 * the fast path is acting on, as notifications left it). */
	if (!d.cached)
		agent_refresh_flows(a);
	d.now_ms = time_monotonic_ms();
	if (json)
		d.flows = r->json = json_array();
	mirror_for_each(agent_mirror(a), one_flow, &d);
	ds_free(&d.line);
}
