/* The control commands of ovs-xdpd (see commands.h): the handlers of the
 * commands listed in include/control.h, by their ids, each answering in
 * text (the habits of ovs-dpctl/ovs-appctl) or in JSON (for scripts).  The
 * handlers themselves are in cmd-show.c (show, stats) and cmd-flows.c. */
#include "commands.h"

#include <stdarg.h>
#include <stdio.h>

#include "agent.h"
#include "commands-private.h"
#include "control.h"
#include "version.h"

void reply_error(struct ctl_reply *r, int status, const char *fmt, ...)
{
	va_list ap;

	r->status = status;
	va_start(ap, fmt);
	vsnprintf(r->error, sizeof r->error, fmt, ap);
	va_end(ap);
}

static void cmd_version(struct agent *a, int argc, char **argv, bool json,
			struct ctl_reply *r)
{
	(void)a;
	(void)argv;
	if (argc > 1) {
		reply_error(r, 2, "version takes no arguments");
		return;
	}
	if (json)
		r->json = json_pack("{s:s,s:s}", "version", OVSX_VERSION, "git",
				    OVSX_GIT_REV);
	else
		ds_printf(&r->text, "ovs-xdpd (ovs-xdp) %s (%s)\n",
			  OVSX_VERSION, OVSX_GIT_REV);
}

typedef void command_fn(struct agent *a, int argc, char **argv, bool json,
			struct ctl_reply *r);

/* ovs-xdpd's handler of each command it answers, by command id.  Every
 * command the list says the daemon answers (DAEMON, DAEMON_OR_KM) must be
 * here: the check below stops the build otherwise.  version is also
 * answered, for scripts that talk to the socket; ovs-xdpctl prints its own. */
#define DAEMON_HANDLERS(H)            \
	H(SHOW, cmd_show)             \
	H(DUMP_FLOWS, cmd_dump_flows) \
	H(STATS, cmd_stats)           \
	H(VERSION, cmd_version)

#define HANDLER(id, fn) [CONTROL_CMD_##id] = fn,
static command_fn *const handlers[CONTROL_N_COMMANDS] = {
	DAEMON_HANDLERS(HANDLER)};
#undef HANDLER

/* The build-time check: "undeclared identifier DAEMON_HANDLES_X" means the
 * command X has no entry in DAEMON_HANDLERS. */
#define HANDLES(id, fn) DAEMON_HANDLES_##id,
enum {
	DAEMON_HANDLERS(HANDLES)
};
#undef HANDLES
#define MUST_HANDLE(id, name, args, help, where)           \
	CONTROL_ANSWERED_BY_DAEMON_##where(                \
		_Static_assert(sizeof DAEMON_HANDLES_##id, \
			       "ovs-xdpd answers " name);)
CONTROL_COMMANDS(MUST_HANDLE)
#undef MUST_HANDLE

void commands_run(struct agent *a, int argc, char **argv, bool json,
		  struct ctl_reply *r)
{
	const struct control_command_info *c = control_command_find(argv[0]);
	command_fn *run = c ? handlers[c->id] : NULL;

	/* plan and watch are ovs-xdpctl's own: unknown here, as before. */
	if (!run) {
		reply_error(r, 2, "unknown command '%s'", argv[0]);
		return;
	}
	run(a, argc, argv, json, r);
	if (!r->status && (r->text.oom || (json && !r->json)))
		reply_error(r, 1, "out of memory");
}
