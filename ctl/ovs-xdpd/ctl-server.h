/* ovs-xdpd's side of the control socket (protocol: include/control.h):
 * a listening unix socket (mode 0600) and its connections, driven by the
 * daemon's epoll loop, each request dispatched to the command table of
 * ctl/ovs-xdpd/commands.c. */
#ifndef OVSX_CTL_SERVER_H
#define OVSX_CTL_SERVER_H

#include <stdint.h>

struct agent;
struct ctl_server;

/* Listens on 'path' (replacing a stale socket, refusing a live one:
 * -EADDRINUSE).  Returns 0 or a negative errno. */
int ctl_server_open(struct ctl_server **out, const char *path, struct agent *a,
		    int epoll_fd);
void ctl_server_close(struct ctl_server *s);
/* Handles readiness of one of its fds (the epoll data is the fd). */
void ctl_server_handle(struct ctl_server *s, int fd, uint32_t events);
/* True if fd is one of the server's. */
int ctl_server_owns(const struct ctl_server *s, int fd);

#endif
