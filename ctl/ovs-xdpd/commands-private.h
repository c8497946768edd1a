/* The command implementations, one file per command family. */
#ifndef OVSX_COMMANDS_PRIVATE_H
#define OVSX_COMMANDS_PRIVATE_H

#include <stdbool.h>

#include "commands.h"

struct agent;

void reply_error(struct ctl_reply *r, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* cmd-show.c */
void cmd_show(struct agent *a, int argc, char **argv, bool json,
	      struct ctl_reply *r);
void cmd_stats(struct agent *a, int argc, char **argv, bool json,
	       struct ctl_reply *r);
/* cmd-flows.c */
void cmd_dump_flows(struct agent *a, int argc, char **argv, bool json,
		    struct ctl_reply *r);

#endif
