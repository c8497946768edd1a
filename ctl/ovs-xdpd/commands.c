/* The control commands of ovs-xdpd (see commands.h): one table, each
 * command answering in text (the habits of ovs-dpctl/ovs-appctl) or in
 * JSON (for scripts). */
#include "commands.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "agent.h"
#include "commands-private.h"
#include "util.h"
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

static const struct {
	const char *name;
	void (*run)(struct agent *a, int argc, char **argv, bool json,
		    struct ctl_reply *r);
} commands[] = {
	{"show", cmd_show},
	{"dump-flows", cmd_dump_flows},
	{"stats", cmd_stats},
	{"version", cmd_version},
};

void commands_run(struct agent *a, int argc, char **argv, bool json,
		  struct ctl_reply *r)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		if (!strcmp(argv[0], commands[i].name)) {
			commands[i].run(a, argc, argv, json, r);
			if (!r->status && (r->text.oom || (json && !r->json)))
				reply_error(r, 1, "out of memory");
			return;
		}
	}
	reply_error(r, 2, "unknown command '%s'", argv[0]);
}
