/* ovs-xdpctl: the command-line tool of ovs-xdp.
 *
 * Parses the global options and dispatches to a table of commands.  This
 * first cut talks to the openvswitch kernel module directly. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"
#include "version.h"
#include "xdpctl.h"

struct command {
	const char *name;
	const char *args;
	const char *help;
	int (*run)(const struct xdpctl_opts *o, int argc, char **argv);
};

static int cmd_version(const struct xdpctl_opts *o, int argc, char **argv);

static const struct command commands[] = {
	{"show", "", "the datapath, its counters and its ports", cmd_show},
	{"dump-flows", "[-m]",
	 "the datapath's flows, as ovs-dpctl dump-flows prints them",
	 cmd_dump_flows},
	{"watch", "[--snapshot FILE] [--reconcile-interval SEC] [--quiet]",
	 "mirror the flow table live and print every change", cmd_watch},
	{"version", "", "print the version", cmd_version},
};

void xdpctl_error(const char *fmt, ...)
{
	va_list ap;

	fputs("ovs-xdpctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int cmd_version(const struct xdpctl_opts *o, int argc, char **argv)
{
	(void)o;
	(void)argv;
	if (argc > 1) {
		xdpctl_error("version takes no arguments");
		return XDPCTL_USAGE;
	}
	printf("ovs-xdpctl (ovs-xdp) %s (%s)\n", OVSX_VERSION, OVSX_GIT_REV);
	return XDPCTL_OK;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ovs-xdpctl [OPTIONS] COMMAND [ARGS]\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		fprintf(out, "  %s %s\n      %s\n", commands[i].name,
			commands[i].args, commands[i].help);
	fprintf(out,
		"\n"
		"Options:\n"
		"  -d, --datapath NAME  datapath to use (default ovs-system)\n"
		"  -m, --more           verbose output (dump-flows)\n"
		"  -v, --verbose LEVEL  log level: off, err, warn, info, dbg\n"
		"  -h, --help           this text\n"
		"  -V, --version        the version\n"
		"\n"
		"Exit status: 0 success, 1 the command failed, 2 usage error.\n");
}

int main(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{"datapath", required_argument, NULL, 'd'},
		{"more", no_argument, NULL, 'm'},
		{"verbose", required_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0},
	};
	struct xdpctl_opts o = {.datapath = "ovs-system"};
	enum log_level level = LOG_LEVEL_WARN;
	int c;

	/* '+': options end at the command, which has its own options. */
	while ((c = getopt_long(argc, argv, "+d:mv:hV", long_opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o.datapath = optarg;
			break;
		case 'm':
			o.verbose = true;
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
			usage(stderr);
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
			return commands[i].run(&o, cmd_argc, cmd_argv);
		}
	}
	xdpctl_error("unknown command '%s' (try --help)", argv[optind]);
	return XDPCTL_USAGE;
}
