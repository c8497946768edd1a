/* The Prometheus endpoint (see metrics.h). */
#include "metrics.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>

#include "counters.h"
#include "ds.h"

struct metrics_server {
	struct MHD_Daemon *mhd;
	struct agent *agent;
	int fd;
};

struct prom_sink {
	struct metric_sink base;
	struct ds *out;
};

static const char *type_name(enum metric_type t)
{
	return t == METRIC_COUNTER ? "counter"
	       : t == METRIC_GAUGE ? "gauge"
				   : "histogram";
}

static void prom_begin(struct metric_sink *s, const struct metric *m)
{
	struct prom_sink *p = (struct prom_sink *)s;

	ds_printf(p->out, "# HELP %s %s\n# TYPE %s %s\n", m->name, m->help,
		  m->name, type_name(m->type));
}

/* Label values are escaped as the exposition format asks. */
static void put_escaped(struct ds *out, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			ds_putc(out, '\\');
		if (*v == '\n') {
			ds_put(out, "\\n");
			continue;
		}
		ds_putc(out, *v);
	}
}

static void prom_sample(struct metric_sink *s, const struct metric *m,
			const char *suffix, const char *label, double v)
{
	struct prom_sink *p = (struct prom_sink *)s;

	ds_printf(p->out, "%s%s", m->name, suffix);
	if (label) {
		ds_printf(p->out, "{%s=\"", m->label);
		put_escaped(p->out, label);
		ds_put(p->out, "\"}");
	}
	ds_printf(p->out, " %.17g\n", v);
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned int code,
			     const char *type, const char *body, size_t len)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		len, (void *)body, MHD_RESPMEM_MUST_COPY);
	enum MHD_Result ret;

	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c,
			      const char *url, const char *method,
			      const char *version, const char *upload,
			      size_t *upload_size, void **state)
{
	struct metrics_server *m = cls;
	struct ds body = DS_INIT;
	struct prom_sink sink = {{prom_begin, prom_sample}, &body};
	enum MHD_Result ret;
	static const char not_found[] = "ovs-xdpd serves /metrics\n";

	(void)version;
	(void)upload;
	(void)upload_size;
	(void)state;
	if (strcmp(method, "GET") && strcmp(method, "HEAD"))
		return reply(c, 405, "text/plain", "GET only\n", 9);
	if (strcmp(url, "/metrics"))
		return reply(c, 404, "text/plain", not_found,
			     sizeof not_found - 1);
	counters_collect(m->agent, &sink.base);
	if (body.oom) {
		ds_free(&body);
		return reply(c, 500, "text/plain", "out of memory\n", 14);
	}
	ret = reply(c, 200, "text/plain; version=0.0.4; charset=utf-8",
		    ds_cstr(&body), body.len);
	ds_free(&body);
	return ret;
}

int metrics_parse_addr(const char *text, void *ss, unsigned int *len)
{
	char host[64];
	const char *colon = strrchr(text, ':');
	char *end;
	unsigned long port;
	size_t n;

	if (!colon || colon == text)
		return -EINVAL;
	port = strtoul(colon + 1, &end, 10);
	if (*end || !colon[1] || port == 0 || port > 65535)
		return -EINVAL;
	n = (size_t)(colon - text);
	if (text[0] == '[') {
		if (n < 3 || text[n - 1] != ']' || n - 2 >= sizeof host)
			return -EINVAL;
		memcpy(host, text + 1, n - 2);
		host[n - 2] = '\0';
	} else {
		if (n >= sizeof host)
			return -EINVAL;
		memcpy(host, text, n);
		host[n] = '\0';
	}
	memset(ss, 0, sizeof(struct sockaddr_in6));
	if (text[0] != '[') {
		struct sockaddr_in *sin = ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*len = sizeof *sin;
		return inet_pton(AF_INET, host, &sin->sin_addr) == 1 ? 0
								     : -EINVAL;
	} else {
		struct sockaddr_in6 *sin6 = ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*len = sizeof *sin6;
		return inet_pton(AF_INET6, host, &sin6->sin6_addr) == 1
			       ? 0
			       : -EINVAL;
	}
}

int metrics_open(struct metrics_server **out, const char *addr, struct agent *a,
		 int epoll_fd)
{
	struct sockaddr_in6 ss;
	unsigned int len;
	struct metrics_server *m;
	struct epoll_event ev = {.events = EPOLLIN};
	const union MHD_DaemonInfo *info;
	unsigned int flags = MHD_USE_EPOLL | MHD_USE_ERROR_LOG;

	*out = NULL;
	if (metrics_parse_addr(addr, &ss, &len))
		return -EINVAL;
	m = calloc(1, sizeof *m);
	if (!m)
		return -ENOMEM;
	m->agent = a;
	if (((struct sockaddr *)&ss)->sa_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	/* No thread of its own: it runs in the daemon's loop, like the
	 * control socket, so handlers read the agent without locks. */
	m->mhd = MHD_start_daemon(
		flags, 0, NULL, NULL, handle, m, MHD_OPTION_SOCK_ADDR, &ss,
		MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_END);
	info = m->mhd ? MHD_get_daemon_info(m->mhd, MHD_DAEMON_INFO_EPOLL_FD)
		      : NULL;
	if (!info) {
		int err = errno ? -errno : -EADDRINUSE;

		metrics_close(m);
		return err;
	}
	m->fd = info->epoll_fd;
	ev.data.fd = m->fd;
	if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, m->fd, &ev)) {
		int err = -errno;

		metrics_close(m);
		return err;
	}
	*out = m;
	return 0;
}

void metrics_close(struct metrics_server *m)
{
	if (!m)
		return;
	if (m->mhd)
		MHD_stop_daemon(m->mhd);
	free(m);
}

int metrics_fd(const struct metrics_server *m)
{
	return m->fd;
}

void metrics_run(struct metrics_server *m)
{
	MHD_run(m->mhd);
}

int metrics_timeout_ms(struct metrics_server *m)
{
	MHD_UNSIGNED_LONG_LONG t;

	if (MHD_get_timeout(m->mhd, &t) != MHD_YES)
		return -1;
	return t > 60000 ? 60000 : (int)t;
}
