/* ovs-xdpctl internals: the runners of the commands it runs itself (the
 * list of all commands is include/control.h's) and what they share. */
#ifndef OVSX_XDPCTL_H
#define OVSX_XDPCTL_H

#include <stdbool.h>

/* Exit statuses of ovs-xdpctl. */
enum {
	XDPCTL_OK = 0,
	XDPCTL_FAILED = 1, /* the command ran and failed */
	XDPCTL_USAGE = 2,  /* bad command line */
};

struct xdpctl_opts {
	const char *datapath; /* datapath name, default "ovs-system" */
	const char *ctl_dir;  /* where ovs-xdpd's control socket is */
	bool verbose;	      /* -m */
	bool json;	      /* --json */
	bool kernel;	      /* --kernel: read openvswitch.ko, not ovs-xdpd */
};

/* Prints "ovs-xdpctl: <message>" on stderr (xdpctl-error.c). */
void xdpctl_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* What the global options ask for (xdpctl-args.c). */
enum xdpctl_globals {
	XDPCTL_RUN_COMMAND, /* run argv[1], the command */
	XDPCTL_SHOW_HELP,   /* -h: print the usage text and stop */
	XDPCTL_SHOW_VERSION,
};

/* Takes the global options out of argv[1..argc - 1] wherever they are (up
 * to a "--"), sets *o and the log level, and leaves the command's name and
 * its own words, in order, in argv[1..*n].  Returns what the options ask
 * for, or -EINVAL after a one-line error. */
int xdpctl_take_globals(int argc, char **argv, struct xdpctl_opts *o, int *n);

struct ovs_nl;
struct ovs_dp_info;
/* Opens the netlink socket and finds o->datapath; on failure prints a
 * one-line error and returns a negative errno. */
int xdpctl_open_dp(const struct xdpctl_opts *o, struct ovs_nl **nl,
		   struct ovs_dp_info *dp);

/* Commands that talk to the kernel module directly (xdpctl-kernel.c). */
int cmd_show(const struct xdpctl_opts *o, int argc, char **argv);
int cmd_dump_flows(const struct xdpctl_opts *o, int argc, char **argv);
/* The live mirror, printing its changes (xdpctl-watch.c). */
int cmd_watch(const struct xdpctl_opts *o, int argc, char **argv);
/* The offline planner over a dump-flows text (xdpctl-plan.c). */
int cmd_plan(const struct xdpctl_opts *o, int argc, char **argv);
/* Sends argv to ovs-xdpd and prints its answer (xdpctl-client.c); returns
 * the exit status. */
int xdpctl_call(const struct xdpctl_opts *o, int argc, char **argv);

#endif
