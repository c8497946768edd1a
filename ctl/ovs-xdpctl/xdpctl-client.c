/* ovs-xdpctl's side of the control socket (protocol: include/control.h):
 * sends the command's words to ovs-xdpd and prints the answer. */
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "control.h"
#include "ds.h"
#include "xdpctl.h"

static int connect_daemon(const struct xdpctl_opts *o, char *path, size_t n)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd;

	control_socket_path(path, n, o->ctl_dir, o->datapath);
	if (strlen(path) >= sizeof sun.sun_path)
		return -ENAMETOOLONG;
	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static int read_all(int fd, struct ds *out)
{
	char buf[65537];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf - 1);

		if (n == 0)
			return out->oom ? -ENOMEM : 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf[n] = '\0';
		ds_put(out, buf);
	}
}

static json_t *request(const struct xdpctl_opts *o, int argc, char **argv)
{
	json_t *args = json_array();

	for (int i = 1; i < argc; i++)
		json_array_append_new(args, json_string(argv[i]));
	return json_pack("{s:s,s:o,s:b}", "command", argv[0], "args", args,
			 "json", o->json);
}

/* Prints the answer; returns the exit status. */
static int print_answer(const struct xdpctl_opts *o, const char *text)
{
	json_error_t jerr;
	json_t *resp = json_loads(text, 0, &jerr);
	json_t *status = json_object_get(resp, "status");
	int rc;

	if (!json_is_integer(status)) {
		xdpctl_error("malformed answer from ovs-xdpd");
		json_decref(resp);
		return XDPCTL_FAILED;
	}
	rc = (int)json_integer_value(status);
	if (rc) {
		const char *e =
			json_string_value(json_object_get(resp, "error"));

		xdpctl_error("%s", e ? e : "command failed");
	} else if (o->json) {
		json_dumpf(json_object_get(resp, "result"), stdout,
			   JSON_INDENT(2) | JSON_ENCODE_ANY);
		putchar('\n');
	} else {
		const char *out =
			json_string_value(json_object_get(resp, "output"));

		fputs(out ? out : "", stdout);
	}
	json_decref(resp);
	return rc;
}

int xdpctl_call(const struct xdpctl_opts *o, int argc, char **argv)
{
	struct ds answer = DS_INIT;
	char path[256], *text = NULL;
	json_t *req;
	int fd, err, rc;

	fd = connect_daemon(o, path, sizeof path);
	if (fd < 0) {
		if (fd == -ENOENT || fd == -ECONNREFUSED)
			xdpctl_error("ovs-xdpd is not running (no control "
				     "socket at %s)",
				     path);
		else
			xdpctl_error("cannot reach ovs-xdpd at %s: %s", path,
				     strerror(-fd));
		return XDPCTL_FAILED;
	}
	req = request(o, argc, argv);
	text = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	err = text ? send_all(fd, text, strlen(text)) : -ENOMEM;
	free(text);
	if (!err && shutdown(fd, SHUT_WR))
		err = -errno;
	if (!err)
		err = read_all(fd, &answer);
	close(fd);
	if (err) {
		xdpctl_error("talking to ovs-xdpd: %s", strerror(-err));
		ds_free(&answer);
		return XDPCTL_FAILED;
	}
	rc = print_answer(o, ds_cstr(&answer));
	ds_free(&answer);
	return rc;
}
