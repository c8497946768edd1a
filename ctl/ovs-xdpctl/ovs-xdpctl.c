/* ovs-xdpctl: the command-line tool of ovs-xdp.
 *
 * A thin client: most commands are run by ovs-xdpd (ctl/ovs-xdpd/commands.c) over
 * its control socket.  `show` and `dump-flows` can also read the kernel
 * module directly (--kernel), `watch` runs a mirror of its own and `plan`
 * judges a saved dump offline, with neither root nor the module.  The
 * commands, their help and where each runs are include/control.h's list;
 * this file prints it as the usage text and dispatches by it, after
 * xdpctl-args.c has taken the global options out of the line. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "version.h"
#include "xdpctl.h"

typedef int xdpctl_runner(const struct xdpctl_opts *o, int argc, char **argv);

static xdpctl_runner cmd_version;

/* The runner of each command ovs-xdpctl runs itself, by command id: the
 * LOCAL ones and the --kernel side of the DAEMON_OR_KM ones.  The check
 * below stops the build if one the list says is ours is missing. */
#define XDPCTL_RUNNERS(R)             \
	R(SHOW, cmd_show)             \
	R(DUMP_FLOWS, cmd_dump_flows) \
	R(PLAN, cmd_plan)             \
	R(WATCH, cmd_watch)           \
	R(VERSION, cmd_version)

#define RUNNER(id, fn) [CONTROL_CMD_##id] = fn,
static xdpctl_runner *const runners[CONTROL_N_COMMANDS] = {
	XDPCTL_RUNNERS(RUNNER)};
#undef RUNNER

/* The build-time check: "undeclared identifier XDPCTL_RUNS_X" means the
 * command X has no entry in XDPCTL_RUNNERS. */
#define RUNS(id, fn) XDPCTL_RUNS_##id,
enum {
	XDPCTL_RUNNERS(RUNS)
};
#undef RUNS
#define MUST_RUN(id, name, args, help, where)           \
	CONTROL_ANSWERED_BY_CLI_##where(                \
		_Static_assert(sizeof XDPCTL_RUNS_##id, \
			       "ovs-xdpctl runs " name);)
CONTROL_COMMANDS(MUST_RUN)
#undef MUST_RUN

static int cmd_version(const struct xdpctl_opts *o, int argc, char **argv)
{
	(void)argv;
	if (argc > 1) {
		xdpctl_error("version takes no arguments");
		return XDPCTL_USAGE;
	}
	if (o->json)
		printf("{\"version\": \"%s\", \"git\": \"%s\"}\n", OVSX_VERSION,
		       OVSX_GIT_REV);
	else
		printf("ovs-xdpctl (ovs-xdp) %s (%s)\n", OVSX_VERSION,
		       OVSX_GIT_REV);
	return XDPCTL_OK;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ovs-xdpctl [OPTIONS] COMMAND [ARGS]\n\nCommands:\n");
	for (size_t i = 0; i < CONTROL_N_COMMANDS; i++)
		fprintf(out, "  %s %s\n      %s\n", control_commands[i].name,
			control_commands[i].args, control_commands[i].help);
	fprintf(out,
		"\nOptions:\n"
		"  -d, --datapath NAME  datapath (default ovs-system)\n"
		"  -k, --kernel         show/dump-flows: read the openvswitch\n"
		"                       module directly, not ovs-xdpd\n"
		"  -j, --json           answer in JSON\n"
		"  -m, --more           verbose (dump-flows)\n"
		"      --ctl-dir DIR    ovs-xdpd's socket directory (default %s)\n"
		"  -v, --verbose LEVEL  log level: off, err, warn, info, dbg\n"
		"  -h, --help           this text\n"
		"  -V, --version        the version\n"
		"\nOptions may come before or after the command, among its own\n"
		"ARGS: a word that spells one of the options above is one, even\n"
		"where a command's option wants a value (write that --opt=VALUE).\n"
		"\"--\" ends them: the words after it go to the command as they are.\n"
		"\nExit status: 0 success, 1 the command failed, 2 usage error.\n",
		CONTROL_DEFAULT_DIR);
}

/* Global -m travels to the daemon as dump-flows' own. */
static int call_with_more(const struct xdpctl_opts *o, int argc, char **argv)
{
	char **v = calloc((size_t)argc + 2, sizeof *v);
	int rc;

	if (!v)
		return XDPCTL_FAILED;
	memcpy(v, argv, (size_t)argc * sizeof *v);
	v[argc] = (char *)"-m";
	rc = xdpctl_call(o, argc + 1, v);
	free(v);
	return rc;
}

static int dispatch(const struct xdpctl_opts *o,
		    const struct control_command_info *c, int argc, char **argv)
{
	if (c->where == CONTROL_LOCAL ||
	    (c->where == CONTROL_DAEMON_OR_KM && o->kernel))
		return runners[c->id](o, argc, argv);
	if (o->verbose && c->id == CONTROL_CMD_DUMP_FLOWS)
		return call_with_more(o, argc, argv);
	return xdpctl_call(o, argc, argv);
}

int main(int argc, char **argv)
{
	struct xdpctl_opts o = {.datapath = "ovs-system",
				.ctl_dir = CONTROL_DEFAULT_DIR};
	const struct control_command_info *c;
	int n;

	switch (xdpctl_take_globals(argc, argv, &o, &n)) {
	case XDPCTL_RUN_COMMAND:
		break;
	case XDPCTL_SHOW_HELP:
		usage(stdout);
		return XDPCTL_OK;
	case XDPCTL_SHOW_VERSION:
		return cmd_version(&o, 1, argv);
	default:
		return XDPCTL_USAGE;
	}
	if (!n) {
		xdpctl_error("no command given (try --help)");
		return XDPCTL_USAGE;
	}
	c = control_command_find(argv[1]);
	if (!c) {
		xdpctl_error("unknown command '%s' (try --help)", argv[1]);
		return XDPCTL_USAGE;
	}
	optind = 0; /* glibc: a fresh getopt for the command's own options */
	return dispatch(&o, c, n, argv + 1);
}
