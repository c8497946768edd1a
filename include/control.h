/* The control socket between ovs-xdpd and ovs-xdpctl.
 *
 * One request per connection: the client sends a JSON object
 *   {"command": "dump-flows", "args": ["-m"], "json": false}
 * and shuts down its writing side; the daemon answers with one JSON object
 *   {"status": 0, "output": "text"}      (text mode)
 *   {"status": 0, "result": <JSON>}      (json mode)
 *   {"status": N, "error": "one line"}   (failure; N is the exit status)
 * and closes.
 *
 * The commands are listed once, below: ovs-xdpctl's usage text and dispatch
 * come from that list, and ovs-xdpd's handlers (ctl/ovs-xdpd/commands.c)
 * are indexed by its ids.  The client only carries words and prints
 * answers. */
#ifndef OVSX_CONTROL_H
#define OVSX_CONTROL_H

#include <stddef.h>

#define CONTROL_DEFAULT_DIR "/run/ovs-xdp"
#define CONTROL_MAX_REQUEST (64 * 1024)

/* The socket path for a datapath: DIR/ovs-xdpd.DATAPATH.ctl. */
void control_socket_path(char *buf, size_t n, const char *dir,
			 const char *datapath);

/* Every ovs-xdpctl command, in the order of its usage text:
 * X(ID, name, argument synopsis, help, where it runs).  The last column is
 * a bare token (DAEMON, DAEMON_OR_KM or LOCAL, see enum control_where) so
 * that each side can check at build time that it answers what it must
 * (CONTROL_ANSWERED_BY_* below).  tests/cli/test-ovs-xdpctl.sh reads the
 * names from the lines that start with X(: keep one entry's ID and name on
 * its first line. */
#define CONTROL_COMMANDS(X)                                                    \
	X(SHOW, "show", "",                                                    \
	  "datapath, ports (attach mode, capability), flows by verdict, "      \
	  "table use, settings",                                               \
	  DAEMON_OR_KM)                                                        \
	X(DUMP_FLOWS, "dump-flows",                                            \
	  "[-m] [type=offloaded|non-offloaded] [--cached]",                    \
	  "one line per megaflow, ovs-dpctl syntax, with merged counters and " \
	  "why a flow is not offloaded; --cached: the daemon's table as it "   \
	  "is, without reading the kernel's first",                            \
	  DAEMON_OR_KM)                                                        \
	X(STATS, "stats", "", "every counter ovs-xdpd exports", DAEMON)        \
	X(PLAN, "plan",                                                        \
	  "[--internal PORT]... [--max-flows N] [--max-masks N] [FILE|-]",     \
	  "judge a saved `ovs-dpctl dump-flows` offline: verdicts and a "      \
	  "summary (ports are assumed accelerated netdevs, but 0 and "         \
	  "--internal ones)",                                                  \
	  LOCAL)                                                               \
	X(WATCH, "watch",                                                      \
	  "[--snapshot FILE] [--reconcile-interval SEC] [--quiet]",            \
	  "mirror the kernel's flow table live and print every change", LOCAL) \
	X(VERSION, "version", "",                                              \
	  "the version of ovs-xdpctl (and of ovs-xdpd with --json)", LOCAL)

enum control_command_id {
#define CONTROL_COMMAND_ID(id, name, args, help, where) CONTROL_CMD_##id,
	CONTROL_COMMANDS(CONTROL_COMMAND_ID)
#undef CONTROL_COMMAND_ID
	CONTROL_N_COMMANDS
};

/* Where a command runs. */
enum control_where {
	CONTROL_DAEMON,	      /* ovs-xdpd answers */
	CONTROL_DAEMON_OR_KM, /* ovs-xdpd, or the kernel module with --kernel */
	CONTROL_LOCAL,	      /* ovs-xdpctl itself */
};

struct control_command_info {
	enum control_command_id id;
	const char *name;
	const char *args; /* synopsis of the command's own arguments */
	const char *help;
	enum control_where where;
};

/* The list above, indexed by id (ctl/control/control-commands.c). */
extern const struct control_command_info control_commands[CONTROL_N_COMMANDS];

/* The command called NAME; NULL with errno ENOENT if there is none. */
const struct control_command_info *control_command_find(const char *name);

/* For each side's build-time check: CONTROL_ANSWERED_BY_<SIDE>_<where>(x)
 * is x if that side must answer the commands with that where, nothing
 * otherwise.  A side expands the list into an _Static_assert per command it
 * must answer, naming a constant it declares per handler; a missing handler
 * is then an undeclared identifier and the build stops. */
#define CONTROL_ANSWERED_BY_DAEMON_DAEMON(x)	   x
#define CONTROL_ANSWERED_BY_DAEMON_DAEMON_OR_KM(x) x
#define CONTROL_ANSWERED_BY_DAEMON_LOCAL(x)
#define CONTROL_ANSWERED_BY_CLI_DAEMON(x)
#define CONTROL_ANSWERED_BY_CLI_DAEMON_OR_KM(x) x
#define CONTROL_ANSWERED_BY_CLI_LOCAL(x)	x

#endif
