/* A fault injector for tests of the daemon's error paths, loaded with
 * LD_PRELOAD into ovs-xdpd.  Each fault is off unless its variable is set:
 *
 *   OVSX_FAULT_EPOLL_CTL=N   the Nth epoll_ctl() call fails with ENOMEM
 *   OVSX_FAULT_NOTIFY_FILE=P while file P exists, receiving on a
 *                            non-blocking netlink socket that listens to
 *                            multicast groups (the notification socket,
 *                            once open: ovs-monitor.c resolves the groups
 *                            on it in blocking mode first) fails with
 *                            EBADF, as a socket gone bad would
 *
 * Everything else is passed to the C library untouched. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static atomic_int epoll_calls;

int epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
	static int (*real)(int, int, int, struct epoll_event *);
	const char *n = getenv("OVSX_FAULT_EPOLL_CTL");

	if (!real)
		real = (int (*)(int, int, int, struct epoll_event *))dlsym(
			RTLD_NEXT, "epoll_ctl");
	if (n && atoi(n) == atomic_fetch_add(&epoll_calls, 1) + 1) {
		errno = ENOMEM;
		return -1;
	}
	return real(epfd, op, fd, ev);
}

/* A non-blocking netlink socket joined to at least one multicast group. */
static int is_notification_socket(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	struct sockaddr_nl sa;
	socklen_t len = sizeof sa;
	uint32_t groups[8] = {0};
	socklen_t glen = sizeof groups;

	if (fl < 0 || !(fl & O_NONBLOCK) ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) ||
	    sa.nl_family != AF_NETLINK)
		return 0;
	if (getsockopt(fd, SOL_NETLINK, NETLINK_LIST_MEMBERSHIPS, groups,
		       &glen))
		return 0;
	for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
		if (groups[i])
			return 1;
	return 0;
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	static ssize_t (*real)(int, struct msghdr *, int);
	const char *p = getenv("OVSX_FAULT_NOTIFY_FILE");

	if (!real)
		real = (ssize_t(*)(int, struct msghdr *, int))dlsym(RTLD_NEXT,
								    "recvmsg");
	if (p && !access(p, F_OK) && is_notification_socket(fd)) {
		errno = EBADF;
		return -1;
	}
	return real(fd, msg, flags);
}
