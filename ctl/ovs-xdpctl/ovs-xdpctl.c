/* ovs-xdpctl: the command-line tool of ovs-xdp.
 *
 * A thin client: most commands are run by ovs-xdpd (ctl/ovs-xdpd/commands.c) over
 * its control socket.  `show` and `dump-flows` can also read the kernel
 * module directly (--kernel), `watch` runs a mirror of its own and `plan`
 * judges a saved dump offline, with neither root nor the module. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "control.h"
#include "log.h"
#include "util.h"
#include "version.h"
#include "xdpctl.h"

enum where {
	DAEMON,	      /* ovs-xdpd answers */
	DAEMON_OR_KM, /* ovs-xdpd, or the kernel module with --kernel */
	LOCAL,	      /* this process */
};

struct command {
	const char *name;
	const char *args;
	const char *help;
	enum where where;
	int (*run)(const struct xdpctl_opts *o, int argc, char **argv);
};

static int cmd_version(const struct xdpctl_opts *o, int argc, char **argv);

static const struct command commands[] = {
	{"show", "",
	 "datapath, ports (attach mode, capability), flows by "
	 "verdict, table use, settings",
	 DAEMON_OR_KM, cmd_show},
	{"dump-flows", "[-m] [type=offloaded|non-offloaded]",
	 "one line per megaflow, ovs-dpctl syntax, with merged counters and "
	 "why a flow is not offloaded",
	 DAEMON_OR_KM, cmd_dump_flows},
	{"stats", "", "every counter ovs-xdpd exports", DAEMON, NULL},
	{"plan",
	 "[--internal PORT]... [--max-flows N] [--max-masks N] [FILE|-]",
	 "judge a saved `ovs-dpctl dump-flows` offline: verdicts and a summary"
	 " (ports are assumed accelerated netdevs, but 0 and --internal ones)",
	 LOCAL, cmd_plan},
	{"watch", "[--snapshot FILE] [--reconcile-interval SEC] [--quiet]",
	 "mirror the kernel's flow table live and print every change", LOCAL,
	 cmd_watch},
	{"version", "",
	 "the version of ovs-xdpctl (and of ovs-xdpd with "
	 "--json)",
	 LOCAL, cmd_version},
};

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
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "  %s %s\n      %s\n", commands[i].name,
			commands[i].args, commands[i].help);
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
		"\nExit status: 0 success, 1 the command failed, 2 usage error.\n",
		CONTROL_DEFAULT_DIR);
}

static int dispatch(const struct xdpctl_opts *o, const struct command *c,
		    int argc, char **argv)
{
	if (c->where == DAEMON || (c->where == DAEMON_OR_KM && !o->kernel)) {
		/* Global -m travels to the daemon as the command's own. */
		if (o->verbose && !strcmp(c->name, "dump-flows")) {
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
		return xdpctl_call(o, argc, argv);
	}
	return c->run(o, argc, argv);
}

int main(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{"datapath", required_argument, NULL, 'd'},
		{"kernel", no_argument, NULL, 'k'},
		{"json", no_argument, NULL, 'j'},
		{"more", no_argument, NULL, 'm'},
		{"ctl-dir", required_argument, NULL, 'c'},
		{"verbose", required_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct xdpctl_opts o = {.datapath = "ovs-system",
				.ctl_dir = CONTROL_DEFAULT_DIR};
	enum log_level level = LOG_LEVEL_WARN;
	int c;

	/* '+': options end at the command, which has its own options. */
	opterr = 0; /* one line of our own instead of getopt's and usage */
	while ((c = getopt_long(argc, argv, "+d:kjmv:hV", long_opts, NULL)) !=
	       -1) {
		switch (c) {
		case 'd':
			o.datapath = optarg;
			break;
		case 'k':
			o.kernel = true;
			break;
		case 'j':
			o.json = true;
			break;
		case 'm':
			o.verbose = true;
			break;
		case 'c':
			o.ctl_dir = optarg;
			break;
		case 'v':
			if (log_parse_level(optarg, &level)) {
				xdpctl_error("unknown log level '%s'", optarg);
				return XDPCTL_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return XDPCTL_OK;
		case 'V':
			return cmd_version(&o, 1, argv);
		default:
			xdpctl_error("unknown option '%s' (try --help)",
				     argv[optind - 1]);
			return XDPCTL_USAGE;
		}
	}
	log_set_level(level);
	if (optind >= argc) {
		xdpctl_error("no command given (try --help)");
		return XDPCTL_USAGE;
	}
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		if (!strcmp(argv[optind], commands[i].name)) {
			int cmd_argc = argc - optind;
			char **cmd_argv = argv + optind;

			optind = 0; /* glibc: restart getopt for the command */
			opterr = 1;
			return dispatch(&o, &commands[i], cmd_argc, cmd_argv);
		}
	}
	xdpctl_error("unknown command '%s' (try --help)", argv[optind]);
	return XDPCTL_USAGE;
}
