/* ovs-xdpctl plan [FILE|-]: the planner run offline over a saved
 * `ovs-dpctl dump-flows` (or `ovs-appctl dpctl/dump-flows [-m]`) text, with
 * the same engine as the daemon (overlap, table capacity) over an
 * in-memory fast path.  Needs neither root nor the kernel module.
 *
 * Ports are not in a dump, so the planner assumes: every port is an
 * accelerated netdev that XDP can output to, except port 0 (the
 * datapath's own internal port) and those named with --internal.  Port
 * names (dumps taken with names on) get numbers of their own. */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fp-backend.h"
#include "fp-table.h"
#include "nlattr.h"
#include "odp-text.h"
#include "engine.h"
#include "util.h"
#include "vec.h"
#include "xdpctl.h"

#define MAX_NAMES	 1024
#define FIRST_NAMED_PORT 60000 /* numbers given to port names */

struct plan_input {
	struct odp_flow *flows;
	char **lines;
	size_t n, cap_flows, cap_lines;
	struct odp_port_name names[MAX_NAMES];
	size_t n_names;
	const char *internal[64];
	size_t n_internal;
	uint32_t max_flows, max_masks;
};

static uint64_t offline_now(void)
{
	return 0;
}

static bool is_internal(const struct plan_input *in, const char *name,
			uint32_t port_no)
{
	char num[16];

	snprintf(num, sizeof num, "%u", port_no);
	if (port_no == 0)
		return true;
	for (size_t i = 0; i < in->n_internal; i++)
		if (!strcmp(in->internal[i], name) ||
		    !strcmp(in->internal[i], num))
			return true;
	return false;
}

/* Learns an unknown port name from the parser's complaint; true if it
 * did (the line is then worth parsing again).  Names appear in in_port()
 * and, as bare words, among the actions. */
static bool learn_name(struct plan_input *in, const char *err)
{
	static const char *const markers[] = {"unknown port name at '",
					      "unknown action at '"};
	const char *q = NULL;
	char name[64];
	size_t n;

	for (size_t i = 0; i < ARRAY_SIZE(markers) && !q; i++) {
		q = strstr(err, markers[i]);
		if (q)
			q += strlen(markers[i]);
	}
	if (!q || in->n_names == MAX_NAMES)
		return false;
	/* The parser quotes the text from the name on: the name ends where
	 * the attribute or the action list goes on.  A word with anything
	 * but name characters is a real error. */
	n = strspn(q, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789_-.:");
	if (q[n] && q[n] != ')' && q[n] != ',' && q[n] != '\'')
		return false;
	if (!n || n >= sizeof name)
		return false;
	memcpy(name, q, n);
	name[n] = '\0';
	in->names[in->n_names].port_no =
		FIRST_NAMED_PORT + (uint32_t)in->n_names;
	in->names[in->n_names].name = strdup(name);
	in->n_names++;
	return true;
}

static int add_line(struct plan_input *in, const char *line, int lineno)
{
	struct odp_port_names names = {in->names, 0};
	char err[256] = "";
	struct odp_flow f, *fl;
	char **ls;
	int ret;

	odp_flow_init(&f);
	for (;;) {
		names.n = in->n_names;
		odp_flow_destroy(&f);
		ret = odp_parse_flow_names(line, time_monotonic_ms(), &names,
					   &f, err, sizeof err);
		if (!ret || !learn_name(in, err))
			break;
	}
	if (ret) {
		xdpctl_error("plan: line %d: %s", lineno, err);
		odp_flow_destroy(&f);
		return ret;
	}
	fl = vec_grow(in->flows, &in->cap_flows, in->n, sizeof *fl);
	if (fl)
		in->flows = fl;
	ls = fl ? vec_grow(in->lines, &in->cap_lines, in->n, sizeof *ls) : NULL;
	if (!ls) {
		odp_flow_destroy(&f);
		return -ENOMEM;
	}
	in->lines = ls;
	in->flows[in->n] = f;
	in->lines[in->n] = strdup(line);
	in->n++;
	return 0;
}

static int read_input(struct plan_input *in, FILE *fp)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0, err = 0;

	while (!err && (len = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (!len || line[0] == '#')
			continue;
		err = add_line(in, line, lineno);
	}
	free(line);
	return err;
}

static const char *name_of(const struct plan_input *in, uint32_t port_no)
{
	for (size_t i = 0; i < in->n_names; i++)
		if (in->names[i].port_no == port_no)
			return in->names[i].name;
	return "";
}

static void add_port(const struct plan_input *in, struct port_table *t,
		     uint32_t port_no)
{
	struct port_info p = {.port_no = port_no,
			      .vport_type = OVS_VPORT_TYPE_NETDEV,
			      .ifindex = (int)port_no + 1,
			      .mtu = 1500};

	if (port_table_find(t, port_no))
		return;
	snprintf(p.name, sizeof p.name, "%s", name_of(in, port_no));
	if (is_internal(in, p.name, port_no)) {
		p.vport_type = OVS_VPORT_TYPE_INTERNAL;
		p.rx_limit = p.tx_limit = PORT_LIMIT_INTERNAL;
	}
	port_table_put(t, &p);
}

/* Every port a flow names, as an input or as a top-level output. */
static void fill_ports(const struct plan_input *in, struct port_table *t)
{
	for (size_t i = 0; i < in->n; i++) {
		const struct odp_flow *f = &in->flows[i];
		const struct nlattr *a;
		size_t left;

		a = attr_find(f->key.data, f->key.len, OVS_KEY_ATTR_IN_PORT);
		if (a && attr_len(a) == 4)
			add_port(in, t, attr_get_u32(a));
		attr_for_each(a, f->actions.data, f->actions.len,
			      left) if (attr_type(a) ==
						OVS_ACTION_ATTR_OUTPUT &&
					attr_len(a) == 4)
			add_port(in, t, attr_get_u32(a));
	}
}

struct tally {
	uint64_t flows[PLAN__N_VERDICTS];
	uint64_t packets[PLAN__N_VERDICTS];
	uint64_t total_flows, total_packets;
};

static void print_text(const struct plan_input *in, struct engine *o,
		       struct tally *t)
{
	for (size_t i = 0; i < in->n; i++) {
		enum plan_verdict v;
		const char *detail;

		engine_verdict(o, &in->flows[i], &v, &detail);
		if (v == PLAN_OFFLOADED)
			printf("offloaded: %s\n", in->lines[i]);
		else
			printf("kernel (%s%s%s): %s\n", plan_verdict_text(v),
			       *detail ? ": " : "", detail, in->lines[i]);
		t->flows[v]++;
		t->packets[v] += in->flows[i].stats.packets;
	}
}

static json_t *flows_json(const struct plan_input *in, struct engine *o,
			  struct tally *t)
{
	json_t *arr = json_array();

	for (size_t i = 0; i < in->n; i++) {
		enum plan_verdict v;
		const char *detail;

		engine_verdict(o, &in->flows[i], &v, &detail);
		json_array_append_new(
			arr,
			json_pack("{s:s,s:b,s:s?,s:s?,s:I}", "flow",
				  in->lines[i], "offloaded",
				  v == PLAN_OFFLOADED, "reason",
				  v == PLAN_OFFLOADED ? NULL
						      : plan_verdict_label(v),
				  "detail", *detail ? detail : NULL, "packets",
				  (json_int_t)in->flows[i].stats.packets));
		t->flows[v]++;
		t->packets[v] += in->flows[i].stats.packets;
	}
	return arr;
}

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void summary_text(struct tally *t, size_t n)
{
	uint64_t off = t->flows[PLAN_OFFLOADED];

	for (int v = 0; v < PLAN__N_VERDICTS; v++)
		t->total_packets += t->packets[v];
	printf("\nsummary: %zu flows, %llu offloaded (%.1f%%); %llu of %llu "
	       "packets (%.1f%%) in offloaded flows\n",
	       n, (unsigned long long)off, pct(off, n),
	       (unsigned long long)t->packets[PLAN_OFFLOADED],
	       (unsigned long long)t->total_packets,
	       pct(t->packets[PLAN_OFFLOADED], t->total_packets));
	for (int v = 0; v < PLAN__N_VERDICTS; v++)
		if (t->flows[v])
			printf("  %s: %llu flows, %llu packets\n",
			       plan_verdict_text(v),
			       (unsigned long long)t->flows[v],
			       (unsigned long long)t->packets[v]);
}

static json_t *summary_json(struct tally *t, size_t n)
{
	json_t *by = json_object();

	for (int v = 0; v < PLAN__N_VERDICTS; v++) {
		t->total_packets += t->packets[v];
		if (t->flows[v])
			json_object_set_new(
				by, plan_verdict_label(v),
				json_pack("{s:I,s:I}", "flows",
					  (json_int_t)t->flows[v], "packets",
					  (json_int_t)t->packets[v]));
	}
	return json_pack(
		"{s:I,s:I,s:I,s:I,s:o}", "flows", (json_int_t)n,
		"offloaded_flows", (json_int_t)t->flows[PLAN_OFFLOADED],
		"packets", (json_int_t)t->total_packets, "offloaded_packets",
		(json_int_t)t->packets[PLAN_OFFLOADED], "by_verdict", by);
}

static int parse_plan_args(struct plan_input *in, int argc, char **argv,
			   const char **file)
{
	static const struct option opts[] = {
		{"internal", required_argument, NULL, 'i'},
		{"max-flows", required_argument, NULL, 'f'},
		{"max-masks", required_argument, NULL, 'k'},
		{NULL, 0, NULL, 0},
	};
	unsigned long v;
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "+i:", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (in->n_internal == 64)
				return -EINVAL;
			in->internal[in->n_internal++] = optarg;
			break;
		case 'f':
		case 'k':
			v = strtoul(optarg, &end, 10);
			if (*end || !v ||
			    v > (c == 'f' ? 1u << 24 : OVSX_MAX_MASKS_LIMIT)) {
				xdpctl_error("plan: bad number '%s'", optarg);
				return -EINVAL;
			}
			*(c == 'f' ? &in->max_flows : &in->max_masks) =
				(uint32_t)v;
			break;
		default:
			return -EINVAL;
		}
	}
	if (argc - optind > 1) {
		xdpctl_error("plan: one input at most");
		return -EINVAL;
	}
	*file = optind < argc ? argv[optind] : "-";
	return 0;
}

static void free_input(struct plan_input *in)
{
	for (size_t i = 0; i < in->n; i++) {
		odp_flow_destroy(&in->flows[i]);
		free(in->lines[i]);
	}
	for (size_t i = 0; i < in->n_names; i++)
		free((char *)in->names[i].name);
	free(in->flows);
	free(in->lines);
}

/* Judges every flow as the daemon would, against the assumed ports. */
static int judge_all(struct plan_input *in, const struct xdpctl_opts *o)
{
	struct fp_backend *b = fp_mem_create(in->max_flows, in->max_masks);
	struct fp_table *t = b ? fp_table_create(b, 0) : NULL;
	struct port_table ports;
	struct engine *e;
	struct tally tally = {0};
	int rc = XDPCTL_FAILED;

	if (!t || port_table_init(&ports))
		goto out;
	fill_ports(in, &ports);
	e = engine_create(&ports, t, offline_now);
	if (e) {
		for (size_t i = 0; i < in->n; i++)
			engine_mirror_cb(e, MIRROR_ADD, NULL, &in->flows[i]);
		if (o->json) {
			json_t *flows = flows_json(in, e, &tally);
			json_t *doc = json_pack("{s:o,s:o}", "flows", flows,
						"summary",
						summary_json(&tally, in->n));

			json_dumpf(doc, stdout, JSON_INDENT(2));
			putchar('\n');
			json_decref(doc);
		} else {
			print_text(in, e, &tally);
			summary_text(&tally, in->n);
		}
		engine_destroy(e);
		rc = XDPCTL_OK;
	}
	port_table_destroy(&ports);
out:
	fp_table_destroy(t);
	fp_mem_destroy(b);
	if (rc)
		xdpctl_error("plan: out of memory");
	return rc;
}

int cmd_plan(const struct xdpctl_opts *o, int argc, char **argv)
{
	struct plan_input in = {.max_flows = OVSX_DEFAULT_MAX_FLOWS,
				.max_masks = OVSX_DEFAULT_MAX_MASKS};
	const char *file;
	FILE *fp;
	int err, rc;

	if (parse_plan_args(&in, argc, argv, &file))
		return XDPCTL_USAGE;
	fp = strcmp(file, "-") ? fopen(file, "r") : stdin;
	if (!fp) {
		xdpctl_error("plan: cannot open %s: %s", file, strerror(errno));
		return XDPCTL_FAILED;
	}
	err = read_input(&in, fp);
	if (fp != stdin)
		fclose(fp);
	rc = err ? XDPCTL_FAILED : judge_all(&in, o);
	free_input(&in);
	return rc;
}
