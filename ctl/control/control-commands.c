/* The command list of include/control.h as a table, for ovs-xdpctl's usage
 * text and dispatch and for ovs-xdpd's lookup of a request's command (its
 * neighbour control-path.c places the socket both of them use). */
#include "control.h"

#include <errno.h>
#include <string.h>

const struct control_command_info control_commands[CONTROL_N_COMMANDS] = {
#define CONTROL_COMMAND_INFO(id_, name_, args_, help_, where_) \
	[CONTROL_CMD_##id_] = {.id = CONTROL_CMD_##id_,        \
			       .name = name_,                  \
			       .args = args_,                  \
			       .help = help_,                  \
			       .where = CONTROL_##where_},
	CONTROL_COMMANDS(CONTROL_COMMAND_INFO)
#undef CONTROL_COMMAND_INFO
};

const struct control_command_info *control_command_find(const char *name)
{
	for (size_t i = 0; i < CONTROL_N_COMMANDS; i++)
		if (!strcmp(name, control_commands[i].name))
			return &control_commands[i];
	errno = ENOENT;
	return NULL;
}
