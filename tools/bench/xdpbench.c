/* ovsx-xdpbench: the traffic side of the benchmarks.
 *
 *   flows     prints the synthetic workload as dump-flows text
 *   gen       sends it from a device with BPF_PROG_RUN live frames
 *   sink      counts and drops what arrives on a device, and reports it
 *   redirect  runs the bare XDP redirect between two devices
 *
 * The workload (bench-flows.h) is defined once, so the flows loaded into a
 * datapath and the frames sent to it always agree. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "bench-util.h"
#include "xdpbench.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ovsx-xdpbench flows [--flows N] [--masks K] "
		"[--in-port P] [--out-port Q] [--kernel-pct X]\n"
		"       ovsx-xdpbench gen --dev IFACE --seconds S [--size B] "
		"[--flows N --masks K] [--src-mac M] [--dst-mac M] "
		"[--threads T] [--cpus C,C..] [--batch B]\n"
		"       ovsx-xdpbench sink --dev IFACE --seconds S "
		"[--warmup MS] [--timeout S] [--hold]\n"
		"       ovsx-xdpbench redirect --from IFACE --to IFACE\n"
		"exit: 0 ok, 1 system failure, 2 usage, 3 sink saw no "
		"traffic\n");
}

int workload_option(int c, const char *arg, struct bench_workload *w)
{
	switch (c) {
	case 'n':
		return bench_u32("flows", arg, 1, BENCH_MAX_FLOWS, &w->n_flows)
			       ? -1
			       : 1;
	case 'k':
		return bench_u32("masks", arg, 1, BENCH_MAX_MASKS, &w->n_masks)
			       ? -1
			       : 1;
	case 'i':
		return bench_u32("in-port", arg, 0, UINT32_MAX - 1, &w->in_port)
			       ? -1
			       : 1;
	case 'o':
		return bench_u32("out-port", arg, 0, UINT32_MAX - 1,
				 &w->out_port)
			       ? -1
			       : 1;
	case 'p':
		return bench_u32("kernel-pct", arg, 0, 100, &w->kernel_pct) ? -1
									    : 1;
	default:
		return 0;
	}
}

static int cmd_flows(int argc, char **argv)
{
	static const struct option opts[] = {WORKLOAD_OPTIONS,
					     {NULL, 0, NULL, 0}};
	struct bench_workload w;
	char err[128], line[512];
	int c;

	bench_workload_init(&w);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
		if (workload_option(c, optarg, &w) != 1)
			return BENCH_EXIT_USAGE;
	if (optind != argc) {
		bench_err("flows: unexpected argument '%s'", argv[optind]);
		return BENCH_EXIT_USAGE;
	}
	if (bench_workload_check(&w, err, sizeof err)) {
		bench_err("flows: %s", err);
		return BENCH_EXIT_USAGE;
	}
	for (uint32_t j = 0; j < w.n_flows; j++) {
		bench_flow_format(&w, j, line, sizeof line);
		puts(line);
	}
	return fflush(stdout) ? BENCH_EXIT_FAIL : BENCH_EXIT_OK;
}

int main(int argc, char **argv)
{
	static const struct {
		const char *name;
		int (*fn)(int argc, char **argv);
	} cmds[] = {
		{"flows", cmd_flows},
		{"gen", cmd_gen},
		{"sink", cmd_sink},
		{"redirect", cmd_redirect},
	};

	bench_set_prog("ovsx-xdpbench");
	if (argc < 2) {
		usage(stderr);
		return BENCH_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return BENCH_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	bench_err("unknown command '%s' (try --help)", argv[1]);
	return BENCH_EXIT_USAGE;
}
