/* ovs-xdpd's side of the control socket (see ctl-server.h).
 *
 * Connections are non-blocking and live in the daemon's epoll set: a
 * request is read until the client shuts its side (or the size limit),
 * answered into a buffer, and written out as the socket takes it, so a
 * slow client never stalls the agent. */
#include "ctl-server.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "commands.h"
#include "control.h"
#include "ds.h"
#include "log.h"

LOG_MODULE("control");

#define MAX_CONNS 64
#define MAX_ARGS  32

struct conn {
	int fd; /* -1: free */
	struct ds in;
	char *out;
	size_t out_len, out_off;
};

struct ctl_server {
	int listen_fd;
	int epoll_fd;
	char path[108];
	struct agent *agent;
	struct conn conns[MAX_CONNS];
};

static int listen_unix(const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd, err;

	if (strlen(path) >= sizeof sun.sun_path)
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* A socket file nobody answers on is left over from a crash. */
	if (!connect(fd, (struct sockaddr *)&sun, sizeof sun)) {
		close(fd);
		return -EADDRINUSE;
	}
	unlink(path);
	/* 0600: the umask applies before chmod can race with a client. */
	mode_t old = umask(0177);
	err = bind(fd, (struct sockaddr *)&sun, sizeof sun) ? -errno : 0;
	umask(old);
	if (!err && listen(fd, 16))
		err = -errno;
	if (err) {
		close(fd);
		return err;
	}
	return fd;
}

int ctl_server_open(struct ctl_server **out, const char *path, struct agent *a,
		    int epoll_fd)
{
	struct ctl_server *s = calloc(1, sizeof *s);
	struct epoll_event ev = {.events = EPOLLIN};
	char dir[108];
	char *slash;

	*out = NULL;
	if (!s)
		return -ENOMEM;
	snprintf(dir, sizeof dir, "%s", path);
	slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		mkdir(dir, 0755);
	}
	s->listen_fd = listen_unix(path);
	if (s->listen_fd < 0) {
		int err = s->listen_fd;

		free(s);
		return err;
	}
	snprintf(s->path, sizeof s->path, "%s", path);
	s->epoll_fd = epoll_fd;
	s->agent = a;
	for (int i = 0; i < MAX_CONNS; i++)
		s->conns[i].fd = -1;
	ev.data.fd = s->listen_fd;
	if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, s->listen_fd, &ev)) {
		int err = -errno;

		ctl_server_close(s);
		return err;
	}
	*out = s;
	return 0;
}

static void conn_close(struct ctl_server *s, struct conn *c)
{
	epoll_ctl(s->epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	c->fd = -1;
	ds_free(&c->in);
	free(c->out);
	c->out = NULL;
	c->out_len = c->out_off = 0;
}

void ctl_server_close(struct ctl_server *s)
{
	if (!s)
		return;
	for (int i = 0; i < MAX_CONNS; i++)
		if (s->conns[i].fd >= 0)
			conn_close(s, &s->conns[i]);
	if (s->listen_fd >= 0) {
		close(s->listen_fd);
		unlink(s->path);
	}
	free(s);
}

int ctl_server_owns(const struct ctl_server *s, int fd)
{
	if (fd == s->listen_fd)
		return 1;
	for (int i = 0; i < MAX_CONNS; i++)
		if (s->conns[i].fd == fd)
			return 1;
	return 0;
}

static void accept_all(struct ctl_server *s)
{
	for (;;) {
		int fd = accept4(s->listen_fd, NULL, NULL,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct epoll_event ev = {.events = EPOLLIN};
		struct conn *c = NULL;

		if (fd < 0)
			return;
		for (int i = 0; i < MAX_CONNS && !c; i++)
			if (s->conns[i].fd < 0)
				c = &s->conns[i];
		ev.data.fd = fd;
		if (!c || epoll_ctl(s->epoll_fd, EPOLL_CTL_ADD, fd, &ev)) {
			LOG_WARN_RL("control: refusing a connection (busy)");
			close(fd);
			continue;
		}
		memset(c, 0, sizeof *c);
		c->fd = fd;
	}
}

/* Turns a request object into argv; returns argc or -1. */
static int request_args(json_t *req, char **argv, bool *json)
{
	json_t *cmd = json_object_get(req, "command");
	json_t *args = json_object_get(req, "args");
	size_t i;
	json_t *v;
	int argc = 0;

	*json = json_is_true(json_object_get(req, "json"));
	if (!json_is_string(cmd) || (args && !json_is_array(args)))
		return -1;
	argv[argc++] = (char *)json_string_value(cmd);
	json_array_foreach(args, i, v)
	{
		if (!json_is_string(v) || argc == MAX_ARGS - 1)
			return -1;
		argv[argc++] = (char *)json_string_value(v);
	}
	argv[argc] = NULL;
	return argc;
}

static json_t *answer(struct ctl_server *s, const char *text, size_t len)
{
	struct ctl_reply r = {0};
	char *argv[MAX_ARGS];
	json_error_t jerr;
	json_t *req = json_loadb(text, len, 0, &jerr), *resp;
	bool json = false;
	int argc = req ? request_args(req, argv, &json) : -1;

	if (argc < 0) {
		resp = json_pack("{s:i,s:s}", "status", 2, "error",
				 "malformed control request");
		json_decref(req);
		return resp;
	}
	commands_run(s->agent, argc, argv, json, &r);
	if (r.status)
		resp = json_pack("{s:i,s:s}", "status", r.status, "error",
				 r.error);
	else if (json)
		resp = json_pack("{s:i,s:o}", "status", 0, "result",
				 r.json ? r.json : json_null());
	else
		resp = json_pack("{s:i,s:s}", "status", 0, "output",
				 ds_cstr(&r.text));
	if (r.status || !json)
		json_decref(r.json);
	ds_free(&r.text);
	json_decref(req);
	return resp;
}

static void respond(struct ctl_server *s, struct conn *c)
{
	struct epoll_event ev = {.events = EPOLLOUT, .data.fd = c->fd};
	json_t *resp = answer(s, ds_cstr(&c->in), c->in.len);

	c->out = resp ? json_dumps(resp, JSON_COMPACT) : NULL;
	json_decref(resp);
	if (!c->out) {
		conn_close(s, c);
		return;
	}
	c->out_len = strlen(c->out);
	epoll_ctl(s->epoll_fd, EPOLL_CTL_MOD, c->fd, &ev);
}

static void read_request(struct ctl_server *s, struct conn *c)
{
	char buf[4097];

	for (;;) {
		ssize_t n = read(c->fd, buf, sizeof buf - 1);

		if (n > 0) {
			if (c->in.len + (size_t)n > CONTROL_MAX_REQUEST) {
				conn_close(s, c);
				return;
			}
			buf[n] = '\0';
			ds_put(&c->in, buf);
			continue;
		}
		if (n == 0) /* the client is done writing */
			respond(s, c);
		else if (errno != EAGAIN && errno != EINTR)
			conn_close(s, c);
		return;
	}
}

static void write_response(struct ctl_server *s, struct conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = write(c->fd, c->out + c->out_off,
				  c->out_len - c->out_off);

		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				conn_close(s, c);
			return;
		}
		c->out_off += (size_t)n;
	}
	conn_close(s, c);
}

void ctl_server_handle(struct ctl_server *s, int fd, uint32_t events)
{
	if (fd == s->listen_fd) {
		accept_all(s);
		return;
	}
	for (int i = 0; i < MAX_CONNS; i++) {
		struct conn *c = &s->conns[i];

		if (c->fd != fd)
			continue;
		if (c->out)
			write_response(s, c);
		else if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
			read_request(s, c);
		return;
	}
}
