/* ovsx-xdpbench gen: a packet generator that fills the machine's CPUs.
 *
 * BPF_PROG_RUN with BPF_F_TEST_XDP_LIVE_FRAMES (Linux >= 5.18) runs
 * bench_gen over frames the kernel allocates from a page pool, and really
 * transmits those it returns XDP_TX for, out of the device given as the
 * context's ingress: no socket, no skb.  The program writes the header of
 * the next flow of the workload into every frame.
 *
 * Each BPF_PROG_RUN call also sleeps some 15-25 ms in the kernel (setting
 * up and tearing down the run, measured on 6.18) without using the CPU:
 * calls are made long (0.05-0.2 s of frames) and two threads share each
 * CPU by default, so that one sends while the other sleeps. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <getopt.h>
#include <linux/bpf.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench-util.h"
#include "xdpbench.h"
#include "xdpbench.skel.h"

#define MAX_THREADS	256
#define MIN_CALL	0.05 /* seconds per BPF_PROG_RUN call */
#define MAX_CALL	0.2
#define MIN_REPEAT	4096
#define FIRST_REPEAT	(1u << 16)
#define MAX_REPEAT	(1u << 24)
#define THREADS_PER_CPU 2
#define MAX_LIVE_BATCH	256 /* TEST_XDP_MAX_BATCH */
#define DEFAULT_DST_MAC "02:00:00:00:00:02"

struct gen_opts {
	const char *dev;
	double seconds;
	uint32_t size, threads, batch;
	int cpus[MAX_THREADS];
	uint32_t n_cpus;
	struct bench_workload w;
	uint8_t src_mac[6], dst_mac[6];
	bool have_src_mac;
};

struct gen_thread {
	pthread_t tid;
	int cpu, prog_fd, ifindex;
	const uint8_t *frame;
	uint32_t len, batch;
	double deadline;
	atomic_bool *stop;
	uint64_t sent;
	double end;
	int err;
};

struct xdpbench *xdpbench_load(uint32_t n_flows)
{
	struct xdpbench *s = xdpbench__open();

	if (!s)
		return NULL;
	s->rodata->gen_n_flows = n_flows;
	if (bpf_map__set_max_entries(s->maps.gen_hdrs, n_flows) ||
	    xdpbench__load(s)) {
		xdpbench__destroy(s);
		return NULL;
	}
	return s;
}

/* The next call's repeat count: doubled or halved towards a call of
 * MIN_CALL..MAX_CALL seconds (the fixed cost of a call makes a rate
 * estimate from a short call useless), and not far past the deadline. */
static uint32_t next_repeat(uint32_t repeat, double took, double left)
{
	double fit = took > 0 ? repeat * left / took : repeat;

	if (took < MIN_CALL && repeat < MAX_REPEAT)
		repeat *= 2;
	else if (took > MAX_CALL && repeat > MIN_REPEAT)
		repeat /= 2;
	if (fit < repeat)
		repeat = fit < MIN_REPEAT ? MIN_REPEAT : (uint32_t)fit;
	return repeat;
}

static void *gen_worker(void *arg)
{
	struct gen_thread *t = arg;
	struct xdp_md ctx = {.data_end = t->len,
			     .ingress_ifindex = (uint32_t)t->ifindex};
	uint32_t repeat = FIRST_REPEAT;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(t->cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof set, &set);
	while (!atomic_load(t->stop) && bench_now() < t->deadline) {
		LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = t->frame,
			    .data_size_in = t->len, .ctx_in = &ctx,
			    .ctx_size_in = sizeof ctx,
			    .flags = BPF_F_TEST_XDP_LIVE_FRAMES,
			    .repeat = repeat, .batch_size = t->batch);
		double start = bench_now();
		int err = bpf_prog_test_run_opts(t->prog_fd, &o);

		if (err) {
			t->err = err;
			break;
		}
		t->sent += repeat;
		repeat = next_repeat(repeat, bench_now() - start,
				     t->deadline - bench_now());
	}
	t->end = bench_now();
	return NULL;
}

static int fill_headers(struct xdpbench *s, const struct gen_opts *o)
{
	int fd = bpf_map__fd(s->maps.gen_hdrs);
	uint8_t v[48] = {0};

	for (uint32_t j = 0; j < o->w.n_flows; j++) {
		bench_frame_header(&o->w, j, o->src_mac, o->dst_mac, o->size,
				   v);
		if (bpf_map_update_elem(fd, &j, v, BPF_ANY))
			return -errno;
	}
	return 0;
}

/* --cpus 0,2,...: the CPUs the threads are spread over, in turn. */
static int parse_cpus(struct gen_opts *o, char *list)
{
	uint32_t cpu;

	o->n_cpus = 0;
	for (char *t = strtok(list, ","); t; t = strtok(NULL, ",")) {
		if (o->n_cpus == MAX_THREADS ||
		    bench_u32("cpus", t, 0, CPU_SETSIZE - 1, &cpu))
			return -1;
		o->cpus[o->n_cpus++] = (int)cpu;
	}
	return o->n_cpus ? 0 : -1;
}

/* Every online CPU, and two threads for each unless --threads. */
static void default_cpus(struct gen_opts *o)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	if (!o->n_cpus)
		for (long i = 0; i < n && i < MAX_THREADS; i++)
			o->cpus[o->n_cpus++] = (int)i;
	if (!o->threads)
		o->threads = o->n_cpus * THREADS_PER_CPU > MAX_THREADS
				     ? MAX_THREADS
				     : o->n_cpus * THREADS_PER_CPU;
}

static int parse_gen(int argc, char **argv, struct gen_opts *o)
{
	static const struct option opts[] = {
		WORKLOAD_OPTIONS,
		{"dev", required_argument, NULL, 'd'},
		{"seconds", required_argument, NULL, 's'},
		{"size", required_argument, NULL, 'S'},
		{"src-mac", required_argument, NULL, 'm'},
		{"dst-mac", required_argument, NULL, 'M'},
		{"threads", required_argument, NULL, 't'},
		{"cpus", required_argument, NULL, 'c'},
		{"batch", required_argument, NULL, 'b'},
		{NULL, 0, NULL, 0},
	};
	char err[128];
	int c, r;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		r = workload_option(c, optarg, &o->w);
		if (r < 0)
			return -1;
		if (r)
			continue;
		switch (c) {
		case 'd':
			o->dev = optarg;
			break;
		case 's':
			r = bench_seconds("seconds", optarg, &o->seconds);
			break;
		case 'S':
			r = bench_u32("size", optarg, BENCH_MIN_FRAME_LEN,
				      BENCH_MAX_FRAME_LEN, &o->size);
			break;
		case 'm':
			r = bench_mac("src-mac", optarg, o->src_mac);
			o->have_src_mac = true;
			break;
		case 'M':
			r = bench_mac("dst-mac", optarg, o->dst_mac);
			break;
		case 't':
			r = bench_u32("threads", optarg, 1, MAX_THREADS,
				      &o->threads);
			break;
		case 'c':
			r = parse_cpus(o, optarg);
			break;
		case 'b':
			r = bench_u32("batch", optarg, 1, MAX_LIVE_BATCH,
				      &o->batch);
			break;
		default:
			return -1;
		}
		if (r)
			return -1;
	}
	if (optind != argc || !o->dev || !o->seconds) {
		bench_err("gen: needs --dev IFACE --seconds S, and nothing "
			  "else");
		return -1;
	}
	if (bench_workload_check(&o->w, err, sizeof err)) {
		bench_err("gen: %s", err);
		return -1;
	}
	default_cpus(o);
	return 0;
}

static void print_result(const struct gen_opts *o, uint64_t sent,
			 double seconds)
{
	printf("{\"sent\": %llu, \"seconds\": %.3f, \"pps\": %.0f, "
	       "\"threads\": %u, \"cpus\": [",
	       (unsigned long long)sent, seconds, (double)sent / seconds,
	       o->threads);
	for (uint32_t i = 0; i < o->n_cpus; i++)
		printf("%s%d", i ? ", " : "", o->cpus[i]);
	printf("], \"size\": %u, \"flows\": %u, \"masks\": %u}\n", o->size,
	       o->w.n_flows, o->w.n_masks);
}

static int run_threads(struct gen_opts *o, int prog_fd, int ifindex,
		       const uint8_t *frame)
{
	struct gen_thread *t = calloc(o->threads, sizeof *t);
	atomic_bool stop = false;
	double start = bench_now(), end = start;
	uint64_t sent = 0;
	int err = 0;

	if (!t)
		return -ENOMEM;
	for (uint32_t i = 0; i < o->threads; i++) {
		t[i] = (struct gen_thread){
			.cpu = o->cpus[i % o->n_cpus],
			.prog_fd = prog_fd,
			.ifindex = ifindex,
			.frame = frame,
			.len = o->size,
			.batch = o->batch,
			.deadline = start + o->seconds,
			.stop = &stop,
		};
		if (pthread_create(&t[i].tid, NULL, gen_worker, &t[i])) {
			o->threads = i;
			err = -EAGAIN;
			break;
		}
	}
	if (!err)
		bench_wait_signal(o->seconds);
	atomic_store(&stop, true);
	for (uint32_t i = 0; i < o->threads; i++) {
		pthread_join(t[i].tid, NULL);
		sent += t[i].sent;
		end = t[i].end > end ? t[i].end : end;
		err = err ? err : t[i].err;
	}
	if (err)
		bench_err("gen: BPF_PROG_RUN with live frames failed: %s%s",
			  strerror(-err),
			  err == -EINVAL ? " (kernel older than 5.18?)" : "");
	else
		print_result(o, sent, end - start);
	free(t);
	return err;
}

int cmd_gen(int argc, char **argv)
{
	struct gen_opts o = {.size = BENCH_MIN_FRAME_LEN, .batch = 64};
	uint8_t frame[BENCH_MAX_FRAME_LEN] = {0};
	struct xdpbench *s;
	int ifindex, err;

	bench_workload_init(&o.w);
	bench_mac("dst-mac", DEFAULT_DST_MAC, o.dst_mac);
	if (parse_gen(argc, argv, &o))
		return BENCH_EXIT_USAGE;
	ifindex = bench_ifindex(o.dev);
	if (ifindex < 0)
		return BENCH_EXIT_USAGE;
	if (!o.have_src_mac && bench_dev_mac(o.dev, o.src_mac))
		return BENCH_EXIT_FAIL;
	s = xdpbench_load(o.w.n_flows);
	if (!s) {
		bench_err("gen: cannot load the BPF programs: %s",
			  strerror(errno));
		return BENCH_EXIT_FAIL;
	}
	err = fill_headers(s, &o);
	/* The template: flow 0's header; the program rewrites it anyway. */
	bench_frame_header(&o.w, 0, o.src_mac, o.dst_mac, o.size, frame);
	bench_block_signals();
	if (!err)
		err = run_threads(&o, bpf_program__fd(s->progs.bench_gen),
				  ifindex, frame);
	else
		bench_err("gen: cannot fill the header map: %s",
			  strerror(-err));
	xdpbench__destroy(s);
	return err ? BENCH_EXIT_FAIL : BENCH_EXIT_OK;
}
