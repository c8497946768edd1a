/* Reaching a device's network namespace from its netns id (see
 * include/netns.h). */
#include "netns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/net_namespace.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "buf.h"
#include "nlattr.h"

/* The id our namespace gives the namespace of 'fd' (RTM_GETNSID), or a
 * negative errno. */
static int nsid_of_fd(int nl, int fd)
{
	struct buf req = BUF_INIT;
	struct nlmsghdr *nlh;
	struct rtgenmsg *g;
	uint8_t reply[512];
	ssize_t n;
	int nsid = -ENOENT;

	nlh = buf_put_zeros(&req, NLMSG_HDRLEN);
	g = buf_put_zeros(&req, NLMSG_ALIGN(sizeof *g));
	if (!nlh || !g || attr_put_u32(&req, NETNSA_FD, (uint32_t)fd)) {
		buf_free(&req);
		return -ENOMEM;
	}
	nlh = (struct nlmsghdr *)req.data;
	nlh->nlmsg_len = (uint32_t)req.len;
	nlh->nlmsg_type = RTM_GETNSID;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	((struct rtgenmsg *)(req.data + NLMSG_HDRLEN))->rtgen_family =
		AF_UNSPEC;
	if (send(nl, req.data, req.len, 0) < 0) {
		buf_free(&req);
		return -errno;
	}
	buf_free(&req);
	n = recv(nl, reply, sizeof reply, 0);
	nlh = (struct nlmsghdr *)reply;
	if (n >= (ssize_t)NLMSG_HDRLEN && nlh->nlmsg_type == RTM_NEWNSID &&
	    nlh->nlmsg_len <= (size_t)n) {
		size_t off =
			NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct rtgenmsg));
		const struct nlattr *a;

		a = off <= nlh->nlmsg_len
			    ? attr_find(reply + off, nlh->nlmsg_len - off,
					NETNSA_NSID)
			    : NULL;
		if (a && attr_len(a) == 4)
			nsid = (int)attr_get_u32(a);
	}
	return nsid;
}

/* Tries the namespace file at 'path'; returns its fd if its id is
 * 'nsid'. */
static int try_path(int nl, const char *path, int nsid)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (nsid_of_fd(nl, fd) == nsid)
		return fd;
	close(fd);
	return -ENOENT;
}

static int scan_dir(int nl, const char *dir, const char *suffix, int nsid)
{
	char path[512];
	struct dirent *de;
	DIR *d = opendir(dir);
	int fd = -ENOENT;

	if (!d)
		return -ENOENT;
	while (fd < 0 && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s%s", dir, de->d_name, suffix);
		fd = try_path(nl, path, nsid);
	}
	closedir(d);
	return fd < 0 ? -ENOENT : fd;
}

int netns_open_by_id(int nsid)
{
	int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	int fd;

	if (nl < 0)
		return -errno;
	fd = scan_dir(nl, "/run/netns", "", nsid);
	if (fd < 0)
		fd = scan_dir(nl, "/proc", "/ns/net", nsid);
	close(nl);
	return fd;
}

int netns_run_in(int ns_fd, int (*fn)(void *aux), void *aux)
{
	int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	int ret;

	if (self < 0)
		return -errno;
	if (setns(ns_fd, CLONE_NEWNET)) {
		ret = -errno;
		close(self);
		return ret;
	}
	ret = fn(aux);
	if (setns(self, CLONE_NEWNET))
		ret = -errno;
	close(self);
	return ret;
}
