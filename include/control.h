/* The control socket between ovs-xdpd and ovs-xdpctl.
 *
 * One request per connection: the client sends a JSON object
 *   {"command": "dump-flows", "args": ["-m"], "json": false}
 * and shuts down its writing side; the daemon answers with one JSON object
 *   {"status": 0, "output": "text"}      (text mode)
 *   {"status": 0, "result": <JSON>}      (json mode)
 *   {"status": N, "error": "one line"}   (failure; N is the exit status)
 * and closes.  Commands are registered in a table in the daemon
 * (ctl/ovs-xdpd/commands.c); the client only carries words and prints answers. */
#ifndef OVSX_CONTROL_H
#define OVSX_CONTROL_H

#include <stddef.h>

#define CONTROL_DEFAULT_DIR "/run/ovs-xdp"
#define CONTROL_MAX_REQUEST (64 * 1024)

/* The socket path for a datapath: DIR/ovs-xdpd.DATAPATH.ctl. */
void control_socket_path(char *buf, size_t n, const char *dir,
			 const char *datapath);

#endif
