/* The Prometheus endpoint of ovs-xdpd: GET /metrics in the text exposition
 * format, served by libmicrohttpd inside the daemon's epoll loop (MHD's
 * own epoll fd is one of the loop's fds), rendering counters.c. */
#ifndef OVSX_METRICS_H
#define OVSX_METRICS_H

#include <stdint.h>

struct agent;
struct metrics_server;

/* Parses "ADDR:PORT" (IPv4, or [IPv6]:PORT).  Returns 0 or -EINVAL. */
int metrics_parse_addr(const char *text, void *sockaddr_storage,
		       unsigned int *len);
/* Starts serving on the address; adds its fd to epoll_fd. */
int metrics_open(struct metrics_server **out, const char *addr, struct agent *a,
		 int epoll_fd);
void metrics_close(struct metrics_server *m);
int metrics_fd(const struct metrics_server *m);
/* Runs pending HTTP work (its fd was readable or a timeout passed). */
void metrics_run(struct metrics_server *m);
/* Milliseconds until the HTTP library wants to run again, or -1. */
int metrics_timeout_ms(struct metrics_server *m);

#endif
