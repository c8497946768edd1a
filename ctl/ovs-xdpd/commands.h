/* The control commands of ovs-xdpd: its handlers of the commands that
 * include/control.h lists, by their ids (ctl/ovs-xdpd/commands.c). */
#ifndef OVSX_COMMANDS_H
#define OVSX_COMMANDS_H

#include <jansson.h>
#include <stdbool.h>

#include "ds.h"

struct agent;

/* What a command answers: status 0 with text or JSON, or an error. */
struct ctl_reply {
	int status;	/* the client's exit status: 0, 1 failed, 2 usage */
	struct ds text; /* text mode */
	json_t *json;	/* json mode (owned) */
	char error[256];
};

/* Runs argv[0] with its arguments.  Unknown command (ovs-xdpctl's own
 * plan and watch included) or bad arguments: status 2 and an error. */
void commands_run(struct agent *a, int argc, char **argv, bool json,
		  struct ctl_reply *r);

#endif
