/* ovsx-xdpbench sink and redirect: the far end that counts what arrives,
 * and the bare redirect that sets the limit of the path.
 *
 * The sink's window starts at the first frame plus a warm-up, so that it
 * measures the steady state of traffic started after it, whatever the
 * start-up delays of the generator. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench-util.h"
#include "xdpbench.h"
#include "xdpbench.skel.h"

#define POLL_SECONDS 0.001

struct sink_totals {
	uint64_t packets, bytes;
};

/* /proc/stat's all-CPU line, in clock ticks. */
struct cpu_ticks {
	unsigned long long busy, idle, steal;
};

/* What the machine's CPUs did: the frames' whole trip (generator, device
 * under test, sink) shares them, so CPU time per frame is the cost that
 * counts, whatever the rate. */
static void cpu_read(struct cpu_ticks *t)
{
	unsigned long long v[8] = {0};
	FILE *f = fopen("/proc/stat", "r");

	memset(t, 0, sizeof *t);
	if (!f)
		return;
	if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
		   &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) == 8) {
		t->busy = v[0] + v[1] + v[2] + v[5] + v[6];
		t->idle = v[3] + v[4];
		t->steal = v[7];
	}
	fclose(f);
}

static int sink_read(struct xdpbench *s, struct sink_totals *t)
{
	int ncpu = libbpf_num_possible_cpus();
	struct sink_totals *v = calloc((size_t)ncpu, sizeof *v);
	uint32_t zero = 0;
	int err = 0;

	memset(t, 0, sizeof *t);
	if (!v)
		return -ENOMEM;
	if (bpf_map_lookup_elem(bpf_map__fd(s->maps.sink_counts), &zero, v))
		err = -errno;
	for (int i = 0; !err && i < ncpu; i++) {
		t->packets += v[i].packets;
		t->bytes += v[i].bytes;
	}
	free(v);
	return err;
}

struct sink_opts {
	const char *dev;
	double seconds, warmup, timeout;
	bool hold;
};

static int parse_sink(int argc, char **argv, struct sink_opts *o)
{
	static const struct option opts[] = {
		{"dev", required_argument, NULL, 'd'},
		{"seconds", required_argument, NULL, 's'},
		{"warmup", required_argument, NULL, 'w'},
		{"timeout", required_argument, NULL, 't'},
		{"hold", no_argument, NULL, 'H'},
		{NULL, 0, NULL, 0},
	};
	uint32_t ms;
	int c, r = 0;

	while (!r && (c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o->dev = optarg;
			break;
		case 's':
			r = bench_seconds("seconds", optarg, &o->seconds);
			break;
		case 'w':
			r = bench_u32("warmup", optarg, 0, 60000, &ms);
			o->warmup = ms / 1000.0;
			break;
		case 't':
			r = bench_seconds("timeout", optarg, &o->timeout);
			break;
		case 'H':
			o->hold = true;
			break;
		default:
			r = -1;
		}
	}
	if (!r && (optind != argc || !o->dev || !o->seconds)) {
		bench_err("sink: needs --dev IFACE --seconds S, and nothing "
			  "else");
		r = -1;
	}
	return r;
}

/* Polls until the first frame; false on timeout or signal. */
static bool wait_first(struct xdpbench *s, double timeout, bool *signalled)
{
	double deadline = bench_now() + timeout;
	struct sink_totals t;

	while (bench_now() < deadline) {
		if (!sink_read(s, &t) && t.packets)
			return true;
		if (bench_wait_signal(POLL_SECONDS)) {
			*signalled = true;
			return false;
		}
	}
	return false;
}

static void print_result(const struct sink_opts *o, const struct sink_totals *n,
			 double seconds, const struct cpu_ticks *c)
{
	double ticks = (double)(c->busy + c->idle + c->steal);
	double busy_s = (double)c->busy / (double)sysconf(_SC_CLK_TCK);

	printf("{\"dev\": \"%s\", \"packets\": %llu, \"bytes\": %llu, "
	       "\"seconds\": %.3f, \"pps\": %.0f, \"bps\": %.0f, "
	       "\"cpu_busy\": %.3f, \"cpu_steal\": %.3f, "
	       "\"cpu_ns_per_packet\": %.1f}\n",
	       o->dev, (unsigned long long)n->packets,
	       (unsigned long long)n->bytes, seconds,
	       seconds > 0 ? (double)n->packets / seconds : 0.0,
	       seconds > 0 ? 8.0 * (double)n->bytes / seconds : 0.0,
	       ticks > 0 ? (double)c->busy / ticks : 0.0,
	       ticks > 0 ? (double)c->steal / ticks : 0.0,
	       n->packets ? busy_s * 1e9 / (double)n->packets : 0.0);
}

static int measure(struct xdpbench *s, const struct sink_opts *o)
{
	struct sink_totals a = {0}, b = {0};
	struct cpu_ticks c0 = {0}, c1 = {0};
	bool signalled = false, traffic;
	double t0 = 0, t1 = 0;

	traffic = wait_first(s, o->timeout, &signalled);
	if (traffic && !bench_wait_signal(o->warmup)) {
		cpu_read(&c0);
		t0 = bench_now();
		sink_read(s, &a);
		bench_wait_signal(o->seconds);
		sink_read(s, &b);
		t1 = bench_now();
		cpu_read(&c1);
	}
	b.packets -= a.packets;
	b.bytes -= a.bytes;
	c1.busy -= c0.busy;
	c1.idle -= c0.idle;
	c1.steal -= c0.steal;
	print_result(o, &b, t1 - t0, &c1);
	fflush(stdout);
	/* Still attached, so that what comes after the window is not
	 * dropped for want of a receiver and counted as such upstream. */
	if (o->hold && !signalled)
		bench_wait_signal(-1);
	if (!traffic && !signalled)
		bench_err("sink: no frame on %s within %.1f s", o->dev,
			  o->timeout);
	return traffic ? BENCH_EXIT_OK : BENCH_EXIT_NO_TRAFFIC;
}

int cmd_sink(int argc, char **argv)
{
	struct sink_opts o = {.warmup = 0.2, .timeout = 10};
	struct xdpbench *s;
	int ifindex, fd, rc;

	if (parse_sink(argc, argv, &o))
		return BENCH_EXIT_USAGE;
	ifindex = bench_ifindex(o.dev);
	if (ifindex < 0)
		return BENCH_EXIT_USAGE;
	bench_block_signals();
	s = xdpbench_load(1);
	if (!s) {
		bench_err("sink: cannot load the BPF programs: %s",
			  strerror(errno));
		return BENCH_EXIT_FAIL;
	}
	fd = bpf_program__fd(s->progs.bench_sink);
	if (bench_xdp_attach(ifindex, o.dev, fd)) {
		xdpbench__destroy(s);
		return BENCH_EXIT_FAIL;
	}
	rc = measure(s, &o);
	bench_xdp_detach(ifindex, fd);
	xdpbench__destroy(s);
	return rc;
}

int cmd_redirect(int argc, char **argv)
{
	static const struct option opts[] = {
		{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},
		{NULL, 0, NULL, 0},
	};
	const char *from = NULL, *to = NULL;
	struct xdpbench *s;
	int c, in, out, fd;
	uint32_t zero = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 'f' && c != 't')
			return BENCH_EXIT_USAGE;
		*(c == 'f' ? &from : &to) = optarg;
	}
	if (optind != argc || !from || !to) {
		bench_err("redirect: needs --from IFACE --to IFACE");
		return BENCH_EXIT_USAGE;
	}
	in = bench_ifindex(from);
	out = in < 0 ? -1 : bench_ifindex(to);
	if (out < 0)
		return BENCH_EXIT_USAGE;
	bench_block_signals();
	s = xdpbench_load(1);
	if (!s || bpf_map_update_elem(bpf_map__fd(s->maps.redirect_port), &zero,
				      &out, BPF_ANY)) {
		bench_err("redirect: cannot load the BPF programs: %s",
			  strerror(errno));
		xdpbench__destroy(s);
		return BENCH_EXIT_FAIL;
	}
	fd = bpf_program__fd(s->progs.bench_redirect);
	if (bench_xdp_attach(in, from, fd)) {
		xdpbench__destroy(s);
		return BENCH_EXIT_FAIL;
	}
	/* The ready line: scripts start traffic once they read it. */
	printf("{\"redirect\": {\"from\": \"%s\", \"to\": \"%s\"}}\n", from,
	       to);
	fflush(stdout);
	bench_wait_signal(-1);
	bench_xdp_detach(in, fd);
	xdpbench__destroy(s);
	return BENCH_EXIT_OK;
}
