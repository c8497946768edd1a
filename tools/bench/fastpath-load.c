/* ovsx-fastpath-load --port N=IFACE ... [--keepalive MS] [--no-emc] FILE|-
 *
 * The fast path without the daemon, for the host benchmarks (the host has
 * no openvswitch module): loads the XDP program, attaches it natively to
 * the devices of the --port mappings, and installs every flow of a saved
 * `ovs-dpctl dump-flows` text through the planner, the offload engine and
 * the BPF backend, exactly as ovs-xdpd would for a mirrored flow.  Every
 * mapped port is taken as accelerated and a valid XDP output.
 *
 * Prints one JSON line once the flows are in (the ready line), stays until
 * SIGTERM or SIGINT, then prints the fast path's counters as a second JSON
 * line and detaches.  Exit: 0, 1 (BPF or attach refused), 2 (bad usage or
 * a flow that does not parse). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-util.h"
#include "fastpath.h"
#include "fp-backend-bpf.h"
#include "fp-table.h"
#include "odp-text.h"
#include "engine.h"
#include "util.h"
#include "vec.h"

#define MAX_PORTS    64
#define TICK_SECONDS 1.0
#define USAGE                                                            \
	"usage: ovsx-fastpath-load --port N=IFACE ... [--keepalive MS] " \
	"[--no-emc] FILE|-"

struct load_port {
	uint32_t no;
	const char *dev;
	int ifindex;
	uint32_t mtu;
	bool attached;
};

struct loader {
	struct load_port ports[MAX_PORTS];
	struct odp_port_name names[MAX_PORTS];
	size_t n_ports;
	uint32_t keepalive_ms;
	bool no_emc;
	const char *file;
	struct odp_flow **flows;
	size_t n_flows, cap;
	struct fastpath *fp;
	struct fp_backend *b;
	struct fp_table *t;
	struct port_table pt;
	bool pt_ready;
	struct engine *o;
};

static int add_port_arg(struct loader *l, char *arg)
{
	char *eq = strchr(arg, '=');
	struct load_port *p = &l->ports[l->n_ports];

	if (!eq || eq == arg || !eq[1] || l->n_ports == MAX_PORTS) {
		bench_err("--port: '%s' is not N=IFACE (at most %d)", arg,
			  MAX_PORTS);
		return -1;
	}
	*eq = '\0';
	if (bench_u32("port", arg, 0, UINT32_MAX - 1, &p->no))
		return -1;
	p->dev = eq + 1;
	p->ifindex = bench_ifindex(p->dev);
	if (p->ifindex < 0 || bench_dev_mtu(p->dev, &p->mtu))
		return -1;
	l->names[l->n_ports] = (struct odp_port_name){p->no, p->dev};
	l->n_ports++;
	return 0;
}

static int parse_args(struct loader *l, int argc, char **argv)
{
	static const struct option opts[] = {
		{"port", required_argument, NULL, 'p'},
		{"keepalive", required_argument, NULL, 'k'},
		{"no-emc", no_argument, NULL, 'E'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c, r = 0;

	while (!r && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'p')
			r = add_port_arg(l, optarg);
		else if (c == 'k')
			r = bench_u32("keepalive", optarg, 0, 3600000,
				      &l->keepalive_ms);
		else if (c == 'E')
			l->no_emc = true;
		else if (c == 'h')
			r = 1;
		else
			r = -1;
	}
	if (r > 0)
		printf("%s\n", USAGE);
	else if (!r && (argc - optind != 1 || !l->n_ports)) {
		bench_err("%s", USAGE);
		r = -1;
	}
	l->file = r ? NULL : argv[optind];
	return r;
}

static int keep_flow(struct loader *l, struct odp_flow *f)
{
	struct odp_flow **v =
		vec_grow(l->flows, &l->cap, l->n_flows, sizeof *v);

	if (!v)
		return -ENOMEM;
	l->flows = v;
	l->flows[l->n_flows++] = f;
	return 0;
}

/* One dump-flows line; ports by number or by the --port names. */
static int add_line(struct loader *l, const char *line, int lineno)
{
	struct odp_port_names names = {l->names, l->n_ports};
	struct odp_flow *f = malloc(sizeof *f);
	char err[256] = "";

	if (!f)
		return -ENOMEM;
	odp_flow_init(f);
	if (odp_parse_flow_names(line, time_monotonic_ms(), &names, f, err,
				 sizeof err)) {
		bench_err("%s:%d: %s", l->file, lineno, err);
		odp_flow_destroy(f);
		free(f);
		return -EINVAL;
	}
	if (keep_flow(l, f)) {
		odp_flow_destroy(f);
		free(f);
		return -ENOMEM;
	}
	return 0;
}

static int read_flows(struct loader *l)
{
	FILE *in = strcmp(l->file, "-") ? fopen(l->file, "r") : stdin;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0, err = 0;

	if (!in) {
		bench_err("cannot open %s: %s", l->file, strerror(errno));
		return -EINVAL;
	}
	while (!err && (len = getline(&line, &cap, in)) >= 0) {
		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len && line[0] != '#')
			err = add_line(l, line, lineno);
	}
	free(line);
	if (in != stdin)
		fclose(in);
	return err;
}

static int open_fastpath(struct loader *l)
{
	uint32_t max_flows = l->n_flows > OVSX_DEFAULT_MAX_FLOWS
				     ? (uint32_t)l->n_flows
				     : OVSX_DEFAULT_MAX_FLOWS;
	int err = fastpath_open(&l->fp, max_flows, OVSX_DEFAULT_MAX_MASKS);

	if (err) {
		bench_err("cannot load the fast path: %s", strerror(-err));
		return err;
	}
	l->b = fp_bpf_create(fastpath_table_maps(l->fp), max_flows,
			     OVSX_DEFAULT_MAX_MASKS);
	l->t = l->b ? fp_table_create(l->b, 0) : NULL;
	if (!l->t || port_table_init(&l->pt)) {
		bench_err("out of memory");
		return -ENOMEM;
	}
	l->pt_ready = true;
	fastpath_set_keepalive(l->fp, (uint64_t)l->keepalive_ms * 1000000);
	fastpath_set_flags(l->fp, l->no_emc ? OVSX_CFG_NO_EMC : 0);
	return 0;
}

/* What the daemon would find for a usable veth: accelerated, an output. */
static int setup_port(struct loader *l, size_t i)
{
	struct load_port *p = &l->ports[i];
	struct port_info pi = {.port_no = p->no,
			       .vport_type = OVS_VPORT_TYPE_NETDEV,
			       .ifindex = p->ifindex,
			       .mtu = p->mtu};
	struct ovsx_port fpp = {.port_no = p->no, .stats_id = (uint32_t)i};
	bool adopted;
	int err;

	snprintf(pi.name, sizeof pi.name, "%s", p->dev);
	err = fastpath_attach(l->fp, p->ifindex, FASTPATH_NATIVE, &adopted);
	if (err) {
		bench_err("cannot attach to %s (native): %s", p->dev,
			  err == -EBUSY ? "another XDP program is attached"
					: strerror(-err));
		return err;
	}
	p->attached = true;
	err = port_table_put(&l->pt, &pi);
	if (!err)
		err = fastpath_set_port(l->fp, p->ifindex, &fpp);
	if (!err)
		err = fastpath_set_target(l->fp, p->ifindex, true);
	if (err)
		bench_err("cannot set up port %s: %s", p->dev, strerror(-err));
	return err;
}

static void print_ready(struct loader *l, double seconds)
{
	const struct engine_stats *s = engine_get_stats(l->o);
	uint64_t off = s->by_verdict[PLAN_OFFLOADED];
	const char *sep = "";

	printf("{\"flows\": %zu, \"offloaded\": %llu, \"not_offloaded\": %llu, "
	       "\"install_errors\": %llu, \"load_seconds\": %.3f, "
	       "\"emc\": %s, \"keepalive_ms\": %u, \"by_verdict\": {",
	       l->n_flows, (unsigned long long)off,
	       (unsigned long long)(l->n_flows - off),
	       (unsigned long long)s->install_errors, seconds,
	       l->no_emc ? "false" : "true", l->keepalive_ms);
	for (int v = 0; v < PLAN__N_VERDICTS; v++) {
		if (!s->by_verdict[v])
			continue;
		printf("%s\"%s\": %llu", sep, plan_verdict_label(v),
		       (unsigned long long)s->by_verdict[v]);
		sep = ", ";
	}
	printf("}, \"ports\": [");
	for (size_t i = 0; i < l->n_ports; i++)
		printf("%s{\"port\": %u, \"dev\": \"%s\", \"ifindex\": %d}",
		       i ? ", " : "", l->ports[i].no, l->ports[i].dev,
		       l->ports[i].ifindex);
	printf("]}\n");
	fflush(stdout);
}

static void print_counters(struct loader *l)
{
	static const char *const names[] = {
#define COUNTER_NAME(name, help) #name,
		OVSX_XDP_COUNTERS(COUNTER_NAME)
#undef COUNTER_NAME
	};
	uint64_t v[OVSX_CTR__MAX];

	if (fastpath_read_counters(l->fp, v))
		return;
	printf("{\"counters\": {");
	for (int i = 0; i < OVSX_CTR__MAX; i++) {
		printf("%s\"", i ? ", " : "");
		for (const char *c = names[i]; *c; c++)
			putchar(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
		printf("\": %llu", (unsigned long long)v[i]);
	}
	printf("}}\n");
	fflush(stdout);
}

static int run(struct loader *l)
{
	double start = bench_now();

	if (open_fastpath(l))
		return BENCH_EXIT_FAIL;
	for (size_t i = 0; i < l->n_ports; i++)
		if (setup_port(l, i))
			return BENCH_EXIT_FAIL;
	l->o = engine_create(&l->pt, l->t, time_monotonic_ms);
	if (!l->o) {
		bench_err("out of memory");
		return BENCH_EXIT_FAIL;
	}
	for (size_t i = 0; i < l->n_flows; i++)
		engine_mirror_cb(l->o, MIRROR_ADD, NULL, l->flows[i]);
	print_ready(l, bench_now() - start);
	/* Ticks free quarantined slots, as the daemon's do. */
	while (!bench_wait_signal(TICK_SECONDS))
		engine_tick(l->o);
	print_counters(l);
	return BENCH_EXIT_OK;
}

static void cleanup(struct loader *l)
{
	engine_destroy(l->o);
	for (size_t i = 0; i < l->n_ports; i++)
		if (l->ports[i].attached)
			fastpath_detach(l->fp, l->ports[i].ifindex,
					FASTPATH_NATIVE);
	fp_table_destroy(l->t);
	if (l->b)
		fp_bpf_destroy(l->b);
	if (l->pt_ready)
		port_table_destroy(&l->pt);
	fastpath_close(l->fp);
	for (size_t i = 0; i < l->n_flows; i++) {
		odp_flow_destroy(l->flows[i]);
		free(l->flows[i]);
	}
	free(l->flows);
}

int main(int argc, char **argv)
{
	struct loader l;
	int rc;

	memset(&l, 0, sizeof l);
	bench_set_prog("ovsx-fastpath-load");
	rc = parse_args(&l, argc, argv);
	if (rc)
		return rc > 0 ? BENCH_EXIT_OK : BENCH_EXIT_USAGE;
	bench_block_signals();
	rc = read_flows(&l);
	if (rc)
		rc = rc == -EINVAL ? BENCH_EXIT_USAGE : BENCH_EXIT_FAIL;
	else
		rc = run(&l);
	cleanup(&l);
	return rc;
}
