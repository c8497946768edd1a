/* rtnetlink link events of several namespaces (see include/link-monitor.h).
 *
 * One NETLINK_ROUTE socket per namespace, subscribed to RTMGRP_LINK; a
 * socket created inside a namespace stays bound to it after the thread
 * returns.  The sockets sit in a private epoll set whose fd is the
 * monitor's, so the caller polls one fd however many namespaces. */
#include "link-monitor.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netns.h"
#include "nlattr.h"
#include "vec.h"

/* Enough for a burst of link changes (a namespace torn down sends one
 * message per device, each under 2 KB); beyond it, an overrun is
 * reported and the caller re-reads everything. */
#define LINK_SOCK_RCVBUF (1 << 20)

struct watched {
	int32_t nsid;
	ino_t ns_ino; /* which namespace: nsids are reused after one dies */
	int fd;
	bool marked; /* watched since the last sweep */
};

struct link_monitor {
	int epfd;
	struct watched *w;
	size_t n, cap;
};

static int open_link_socket(unsigned int groups)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK, .nl_groups = groups};
	int size = LINK_SOCK_RCVBUF;
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			NETLINK_ROUTE);

	if (fd < 0)
		return -errno;
	/* Beyond net.core.rmem_max only with CAP_NET_ADMIN (FORCE); the
	 * plain one is the fallback. */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static int open_socket_job(void *aux)
{
	int *fd = aux;

	*fd = open_link_socket(RTMGRP_LINK);
	return *fd < 0 ? *fd : 0;
}

static struct watched *find(struct link_monitor *m, int32_t nsid)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->w[i].nsid == nsid)
			return &m->w[i];
	return NULL;
}

static int add(struct link_monitor *m, int32_t nsid, ino_t ino, int fd)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.fd = fd};
	struct watched *w = vec_grow(m->w, &m->cap, m->n, sizeof *m->w);

	if (!w) {
		close(fd);
		return -ENOMEM;
	}
	m->w = w;
	if (epoll_ctl(m->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		int err = -errno;

		close(fd);
		return err;
	}
	m->w[m->n++] = (struct watched){nsid, ino, fd, true};
	return 0;
}

int link_monitor_open(struct link_monitor **out)
{
	struct link_monitor *m = calloc(1, sizeof *m);
	int fd, err;

	*out = NULL;
	if (!m)
		return -ENOMEM;
	m->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (m->epfd < 0) {
		err = -errno;
		free(m);
		return err;
	}
	/* Ours: tc too (policing, QoS, filters decide a port's limits). */
	fd = open_link_socket(RTMGRP_LINK | RTMGRP_TC);
	err = fd < 0 ? fd : add(m, -1, 0, fd);
	if (err) {
		link_monitor_close(m);
		return err;
	}
	*out = m;
	return 0;
}

void link_monitor_close(struct link_monitor *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++)
		close(m->w[i].fd);
	close(m->epfd);
	free(m->w);
	free(m);
}

int link_monitor_fd(const struct link_monitor *m)
{
	return m->epfd;
}

static void unwatch(struct link_monitor *m, struct watched *w)
{
	epoll_ctl(m->epfd, EPOLL_CTL_DEL, w->fd, NULL);
	close(w->fd);
	*w = m->w[--m->n];
}

int link_monitor_watch(struct link_monitor *m, int32_t nsid)
{
	struct watched *w;
	struct stat st;
	int ns_fd, fd = -1, err;

	if (nsid < 0) {
		m->w[0].marked = true; /* ours, opened first */
		return 0;
	}
	ns_fd = netns_open_by_id(nsid);
	if (ns_fd < 0)
		return ns_fd;
	if (fstat(ns_fd, &st)) {
		err = -errno;
		close(ns_fd);
		return err;
	}
	w = find(m, nsid);
	if (w && w->ns_ino == st.st_ino) {
		close(ns_fd);
		w->marked = true;
		return 0;
	}
	if (w) /* the id now names another namespace */
		unwatch(m, w);
	err = netns_run_in(ns_fd, open_socket_job, &fd);
	close(ns_fd);
	if (err) {
		if (fd >= 0)
			close(fd);
		return err;
	}
	return add(m, nsid, st.st_ino, fd);
}

int link_monitor_sweep(struct link_monitor *m)
{
	int dropped = 0;

	for (size_t i = 0; i < m->n;) {
		struct watched *w = &m->w[i];

		if (w->nsid < 0 || w->marked) {
			w->marked = false;
			i++;
			continue;
		}
		unwatch(m, w);
		dropped++;
	}
	return dropped;
}

int link_monitor_count(const struct link_monitor *m)
{
	return (int)m->n;
}

/* The device a link or tc message is about; false for other messages. */
static bool decode(const struct nlmsghdr *h, struct link_event *ev)
{
	switch (h->nlmsg_type) {
	case RTM_NEWLINK:
	case RTM_DELLINK: {
		const struct ifinfomsg *ifi = NLMSG_DATA(h);
		size_t off = NLMSG_ALIGN(NLMSG_LENGTH(sizeof *ifi));
		const struct nlattr *link;

		if (h->nlmsg_len < off)
			return false;
		ev->ifindex = ifi->ifi_index;
		link = attr_find((const char *)h + off, h->nlmsg_len - off,
				 IFLA_LINK);
		if (link && attr_len(link) == sizeof(uint32_t))
			ev->link = (int)attr_get_u32(link);
		return true;
	}
	case RTM_NEWQDISC:
	case RTM_DELQDISC:
	case RTM_NEWTFILTER:
	case RTM_DELTFILTER: {
		const struct tcmsg *tc = NLMSG_DATA(h);

		if (h->nlmsg_len < NLMSG_LENGTH(sizeof *tc))
			return false;
		/* A filter of a shared block names no device (tcf_fill_node():
		 * TCM_IFINDEX_MAGIC_BLOCK): any port may be bound to it. */
		if ((uint32_t)tc->tcm_ifindex == 0xffffffffu)
			ev->lost = true;
		else
			ev->ifindex = tc->tcm_ifindex;
		return true;
	}
	default:
		return false;
	}
}

/* Every message waiting on one socket. */
static int drain(const struct watched *w, link_event_cb *cb, void *aux)
{
	/* Room for several link messages per read. */
	_Alignas(struct nlmsghdr) uint8_t buf[32768];
	int calls = 0;

	for (;;) {
		ssize_t n = recv(w->fd, buf, sizeof buf, MSG_DONTWAIT);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return calls;
		if (n < 0 && errno == ENOBUFS) {
			struct link_event ev = {.nsid = w->nsid, .lost = true};

			cb(&ev, aux);
			calls++;
			continue;
		}
		if (n < 0)
			return -errno;
		for (size_t off = 0; off + NLMSG_HDRLEN <= (size_t)n;) {
			const struct nlmsghdr *h = (void *)(buf + off);
			struct link_event ev = {.nsid = w->nsid};

			if (h->nlmsg_len < NLMSG_HDRLEN ||
			    h->nlmsg_len > (size_t)n - off)
				break; /* truncated: the kernel never does */
			off += NLMSG_ALIGN(h->nlmsg_len);

			if (!decode(h, &ev))
				continue;
			cb(&ev, aux);
			calls++;
		}
	}
}

int link_monitor_read(struct link_monitor *m, link_event_cb *cb, void *aux)
{
	struct epoll_event evs[16];
	int calls = 0, n;

	do {
		n = epoll_wait(m->epfd, evs, 16, 0);
		if (n < 0)
			return errno == EINTR ? calls : -errno;
		for (int i = 0; i < n; i++)
			for (size_t j = 0; j < m->n; j++) {
				int r;

				if (m->w[j].fd != evs[i].data.fd)
					continue;
				r = drain(&m->w[j], cb, aux);
				if (r < 0)
					return r;
				calls += r;
				break;
			}
	} while (n == 16);
	return calls;
}
