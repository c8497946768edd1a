/* ovsx-xdpbench's subcommands (xdpbench.c dispatches). */
#ifndef OVSX_XDPBENCH_H
#define OVSX_XDPBENCH_H

#include "bench-flows.h"

struct xdpbench;

/* Each takes argv[0] = the subcommand name and returns an exit status
 * (enum bench_exit). */
int cmd_gen(int argc, char **argv);
int cmd_sink(int argc, char **argv);
int cmd_redirect(int argc, char **argv);

/* The workload options shared by `flows` and `gen`: 'c' is getopt's
 * answer.  Returns 1 if it took the option, 0 if not one of them, -1 on a
 * bad value (error printed). */
int workload_option(int c, const char *arg, struct bench_workload *w);
/* getopt_long entries of the workload options. */
#define WORKLOAD_OPTIONS                                    \
	{"flows", required_argument, NULL, 'n'},            \
		{"masks", required_argument, NULL, 'k'},    \
		{"in-port", required_argument, NULL, 'i'},  \
		{"out-port", required_argument, NULL, 'o'}, \
	{                                                   \
		"kernel-pct", required_argument, NULL, 'p'  \
	}

/* Loads xdpbench.bpf.c with room for n_flows generator headers. */
struct xdpbench *xdpbench_load(uint32_t n_flows);

#endif
