/* ovsx-costbench [--flows N] [--masks K,K,...] [--quick]
 *
 * The per-packet cost of the fast path's XDP program, by
 * bpf_prog_test_run_opts() repeat (no device: the namespace's lo is the
 * ingress port and the redirect target, as in tests/bpf): for each number
 * of masks K, N flows of the benchmark workload (bench-flows.h) are
 * installed through the planner, the engine and the BPF backend, and one
 * 64-byte UDP frame per mask is timed, with and without the exact-match
 * cache (OVSX_CFG_NO_EMC).  The worst case is the frame whose mask the
 * search probes last (found by the MASK_PROBES counter, not assumed); the
 * average case is the mean over all masks, which is what traffic spread
 * evenly over the flows sees.  With the cache the frame repeats, so every
 * lookup after the first is a hit.  The bare redirect program is timed the
 * same way, for reference.
 *
 * kernel.bpf_stats_enabled adds two clock reads per run of every program:
 * it is set to 0 for the measurement and restored after.
 * Exit: 0, 1 (BPF refused, a flow not offloaded), 2 (usage). */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <getopt.h>
#include <linux/bpf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-flows.h"
#include "bench-util.h"
#include "fastpath.h"
#include "fp-backend-bpf.h"
#include "fp-table.h"
#include "odp-text.h"
#include "engine.h"
#include "util.h"
#include "xdpbench.skel.h"

#define LO	     1 /* lo's ifindex in every namespace */
#define FRAME_LEN    64
#define STATS_SYSCTL "/proc/sys/kernel/bpf_stats_enabled"
#define WORST_RUNS   5

struct cost_opts {
	uint32_t n_flows;
	uint32_t masks[BENCH_MAX_MASKS];
	size_t n_masks;
	double target; /* seconds per timed run */
};

struct rig {
	struct fastpath *fp;
	struct fp_backend *b;
	struct fp_table *t;
	struct port_table pt;
	struct engine *o;
	struct odp_flow *flows;
	uint32_t n;
};

/* One mask's figures. */
struct mask_cost {
	uint64_t probes;
	double emc_ns, no_emc_ns;
};

static int read_sysctl(void)
{
	FILE *f = fopen(STATS_SYSCTL, "r");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static void write_sysctl(int v)
{
	FILE *f = fopen(STATS_SYSCTL, "w");

	if (f) {
		fprintf(f, "%d\n", v);
		fclose(f);
	}
}

/* Average ns per run of prog over repeat runs of frame; 0 on error. */
static double time_runs(int prog_fd, const uint8_t *frame, uint32_t repeat,
			int *retval)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = frame,
		    .data_size_in = FRAME_LEN, .repeat = repeat);

	if (bpf_prog_test_run_opts(prog_fd, &o))
		return 0;
	if (retval)
		*retval = (int)o.retval;
	return o.duration;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* ns per packet: calibrated so that one run lasts about o->target, the
 * median of 'runs' runs. */
static double cost_ns(const struct cost_opts *o, int prog_fd,
		      const uint8_t *frame, int runs)
{
	double est = time_runs(prog_fd, frame, 1000, NULL), v[WORST_RUNS];
	double repeat = est > 0 ? o->target * 1e9 / est : 1000;
	uint32_t r = repeat < 1000 ? 1000 : repeat > 1e7 ? 10000000 : repeat;

	if (runs > WORST_RUNS)
		runs = WORST_RUNS;
	for (int i = 0; i < runs; i++)
		v[i] = time_runs(prog_fd, frame, r, NULL);
	qsort(v, (size_t)runs, sizeof v[0], cmp_double);
	return v[runs / 2];
}

static void rig_down(struct rig *r)
{
	engine_destroy(r->o);
	for (uint32_t i = 0; r->flows && i < r->n; i++)
		odp_flow_destroy(&r->flows[i]);
	free(r->flows);
	fp_table_destroy(r->t);
	fp_bpf_destroy(r->b);
	port_table_destroy(&r->pt);
	fastpath_close(r->fp);
	memset(r, 0, sizeof *r);
}

static void rig_port(struct rig *r, uint32_t no)
{
	struct port_info p = {.port_no = no,
			      .ifindex = LO,
			      .mtu = 1500,
			      .vport_type = OVS_VPORT_TYPE_NETDEV};

	snprintf(p.name, sizeof p.name, "lo");
	port_table_put(&r->pt, &p);
}

/* The fast path with every flow of w installed; 0 or an exit status. */
static int rig_up(struct rig *r, const struct bench_workload *w)
{
	struct ovsx_port in = {.port_no = w->in_port};
	uint32_t max = w->n_flows > 1024 ? w->n_flows : 1024;
	char line[512], err[256];
	int e;

	memset(r, 0, sizeof *r);
	port_table_init(&r->pt);
	e = fastpath_open(&r->fp, max, BENCH_MAX_MASKS);
	if (e) {
		bench_err("cannot load the fast path: %s", strerror(-e));
		return BENCH_EXIT_FAIL;
	}
	r->b = fp_bpf_create(fastpath_table_maps(r->fp), max, BENCH_MAX_MASKS);
	r->t = r->b ? fp_table_create(r->b, 0) : NULL;
	r->flows = calloc(w->n_flows, sizeof *r->flows);
	if (!r->t || !r->flows)
		return BENCH_EXIT_FAIL;
	rig_port(r, w->in_port);
	rig_port(r, w->out_port);
	if (fastpath_set_port(r->fp, LO, &in) ||
	    fastpath_set_target(r->fp, LO, true))
		return BENCH_EXIT_FAIL;
	r->o = engine_create(&r->pt, r->t, time_monotonic_ms);
	for (r->n = 0; r->o && r->n < w->n_flows; r->n++) {
		odp_flow_init(&r->flows[r->n]);
		bench_flow_format(w, r->n, line, sizeof line);
		if (odp_parse_flow(line, 0, &r->flows[r->n], err, sizeof err)) {
			bench_err("workload flow %u: %s", r->n, err);
			return BENCH_EXIT_FAIL;
		}
		engine_mirror_cb(r->o, MIRROR_ADD, NULL, &r->flows[r->n]);
	}
	if (!r->o ||
	    engine_get_stats(r->o)->by_verdict[PLAN_OFFLOADED] != w->n_flows) {
		bench_err("not every workload flow was offloaded");
		return BENCH_EXIT_FAIL;
	}
	return 0;
}

static uint64_t probes_of(struct rig *r, const uint8_t *frame, int *retval)
{
	uint64_t a[OVSX_CTR__MAX], b[OVSX_CTR__MAX];

	fastpath_read_counters(r->fp, a);
	time_runs(fastpath_prog_fd(r->fp), frame, 1, retval);
	fastpath_read_counters(r->fp, b);
	return b[OVSX_CTR_MASK_PROBES] - a[OVSX_CTR_MASK_PROBES];
}

static void frame_of(const struct bench_workload *w, uint32_t j,
		     uint8_t frame[FRAME_LEN])
{
	static const uint8_t src[6] = {2, 0, 0, 0, 0, 1};
	static const uint8_t dst[6] = {2, 0, 0, 0, 0, 2};

	memset(frame, 0, FRAME_LEN);
	bench_frame_header(w, j, src, dst, FRAME_LEN, frame);
}

/* Each mask's probe count and costs; flow m is the first of mask m. */
static int measure_masks(const struct cost_opts *o, struct rig *r,
			 const struct bench_workload *w, struct mask_cost *c)
{
	int fd = fastpath_prog_fd(r->fp), verdict = -1;
	uint8_t frame[FRAME_LEN];

	for (uint32_t m = 0; m < w->n_masks; m++) {
		frame_of(w, m, frame);
		fastpath_set_flags(r->fp, OVSX_CFG_NO_EMC);
		c[m].probes = probes_of(r, frame, &verdict);
		if (verdict != XDP_REDIRECT) {
			bench_err("mask %u: verdict %d, not a redirect", m,
				  verdict);
			return BENCH_EXIT_FAIL;
		}
		c[m].no_emc_ns = cost_ns(o, fd, frame, 1);
		fastpath_set_flags(r->fp, 0);
		c[m].emc_ns = cost_ns(o, fd, frame, 1);
	}
	return 0;
}

static int one_k(const struct cost_opts *o, uint32_t k, bool first)
{
	struct bench_workload w;
	struct mask_cost c[BENCH_MAX_MASKS], avg = {0}, worst;
	struct rig r;
	uint32_t wm = 0;
	uint8_t frame[FRAME_LEN];
	int rc;

	bench_workload_init(&w);
	w.n_flows = o->n_flows;
	w.n_masks = k;
	rc = rig_up(&r, &w);
	if (!rc)
		rc = measure_masks(o, &r, &w, c);
	if (rc) {
		rig_down(&r);
		return rc;
	}
	for (uint32_t m = 0; m < k; m++) {
		wm = c[m].probes > c[wm].probes ? m : wm;
		avg.probes += c[m].probes;
		avg.emc_ns += c[m].emc_ns / k;
		avg.no_emc_ns += c[m].no_emc_ns / k;
	}
	/* The worst case again, as a median of several runs. */
	frame_of(&w, wm, frame);
	worst.probes = c[wm].probes;
	fastpath_set_flags(r.fp, OVSX_CFG_NO_EMC);
	worst.no_emc_ns = cost_ns(o, fastpath_prog_fd(r.fp), frame, WORST_RUNS);
	fastpath_set_flags(r.fp, 0);
	worst.emc_ns = cost_ns(o, fastpath_prog_fd(r.fp), frame, WORST_RUNS);
	rig_down(&r);
	printf("%s\n    {\"masks\": %u, \"worst\": {\"probes\": %llu, "
	       "\"emc_ns\": %.1f, \"no_emc_ns\": %.1f}, \"average\": "
	       "{\"probes\": %.2f, \"emc_ns\": %.1f, \"no_emc_ns\": %.1f}}",
	       first ? "" : ",", k, (unsigned long long)worst.probes,
	       worst.emc_ns, worst.no_emc_ns, (double)avg.probes / k,
	       avg.emc_ns, avg.no_emc_ns);
	return 0;
}

/* The bare redirect program's ns per packet (0: failed). */
static double redirect_ns(const struct cost_opts *o)
{
	struct xdpbench *s = xdpbench__open_and_load();
	uint32_t zero = 0, lo = LO;
	struct bench_workload w;
	uint8_t frame[FRAME_LEN];
	double ns = 0;

	bench_workload_init(&w);
	frame_of(&w, 0, frame);
	if (s && !bpf_map_update_elem(bpf_map__fd(s->maps.redirect_port), &zero,
				      &lo, BPF_ANY))
		ns = cost_ns(o, bpf_program__fd(s->progs.bench_redirect), frame,
			     WORST_RUNS);
	xdpbench__destroy(s);
	return ns;
}

static int parse_masks(struct cost_opts *o, char *list)
{
	o->n_masks = 0;
	for (char *tok = strtok(list, ","); tok; tok = strtok(NULL, ",")) {
		if (o->n_masks == BENCH_MAX_MASKS ||
		    bench_u32("masks", tok, 1, BENCH_MAX_MASKS,
			      &o->masks[o->n_masks]))
			return -1;
		o->n_masks++;
	}
	return o->n_masks ? 0 : -1;
}

static int parse_args(struct cost_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{"flows", required_argument, NULL, 'n'},
		{"masks", required_argument, NULL, 'k'},
		{"quick", no_argument, NULL, 'q'},
		{NULL, 0, NULL, 0},
	};
	int c, r = 0;

	while (!r && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'n')
			r = bench_u32("flows", optarg, 1, BENCH_MAX_FLOWS,
				      &o->n_flows);
		else if (c == 'k')
			r = parse_masks(o, optarg);
		else if (c == 'q')
			o->target = 0.002;
		else
			r = -1;
	}
	for (size_t i = 0; !r && i < o->n_masks; i++)
		if (o->masks[i] > o->n_flows) {
			bench_err("--masks %u: more masks than flows",
				  o->masks[i]);
			r = -1;
		}
	if (!r && optind != argc) {
		bench_err("usage: ovsx-costbench [--flows N] "
			  "[--masks K,K,...] [--quick]");
		r = -1;
	}
	return r;
}

int main(int argc, char **argv)
{
	struct cost_opts o = {.n_flows = 1000,
			      .masks = {1, 2, 4, 8, 16, 32, 48, 64},
			      .n_masks = 8,
			      .target = 0.02};
	int before, during, rc = 0;
	double redirect;

	bench_set_prog("ovsx-costbench");
	if (parse_args(&o, argc, argv))
		return BENCH_EXIT_USAGE;
	before = read_sysctl();
	if (before > 0)
		write_sysctl(0);
	during = read_sysctl();
	redirect = redirect_ns(&o);
	if (!redirect) {
		bench_err("cannot run the redirect program: %s",
			  strerror(errno));
		rc = BENCH_EXIT_FAIL;
	}
	printf("{\"flows\": %u, \"frame_bytes\": %d, \"bpf_stats_enabled\": "
	       "%d, \"redirect_ns\": %.1f, \"by_masks\": [",
	       o.n_flows, FRAME_LEN, during, redirect);
	for (size_t i = 0; !rc && i < o.n_masks; i++)
		rc = one_k(&o, o.masks[i], i == 0);
	printf("\n]}\n");
	if (before > 0)
		write_sysctl(before);
	if (during != 0)
		bench_err("warning: kernel.bpf_stats_enabled is %d: the "
			  "figures include its cost",
			  during);
	return rc;
}
