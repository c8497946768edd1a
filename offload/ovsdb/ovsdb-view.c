/* Reading the Open vSwitch database (see include/ovsdb-view.h). */
#include "ovsdb-view.h"

#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "vec.h"

/* Interface names and uuids, Port interfaces and bond_mode, and the
 * global other_config. */
static const char request[] =
	"{\"id\":1,\"method\":\"transact\",\"params\":[\"Open_vSwitch\","
	"{\"op\":\"select\",\"table\":\"Interface\",\"where\":[],"
	"\"columns\":[\"_uuid\",\"name\"]},"
	"{\"op\":\"select\",\"table\":\"Port\",\"where\":[],"
	"\"columns\":[\"interfaces\",\"bond_mode\"]},"
	"{\"op\":\"select\",\"table\":\"Open_vSwitch\",\"where\":[],"
	"\"columns\":[\"other_config\"]}]}";

void ovsdb_view_free(struct ovsdb_view *v)
{
	free(v->ifaces);
	memset(v, 0, sizeof *v);
}

const struct ovsdb_iface *ovsdb_view_find(const struct ovsdb_view *v,
					  const char *name)
{
	for (size_t i = 0; i < v->n_ifaces; i++)
		if (!strcmp(v->ifaces[i].name, name))
			return &v->ifaces[i];
	return NULL;
}

bool ovsdb_bond_counts_bytes(const char *bond_mode)
{
	return !strcmp(bond_mode, "balance-slb") ||
	       !strcmp(bond_mode, "balance-tcp");
}

/* The uuid string of ["uuid", "..."], or NULL. */
static const char *uuid_of(json_t *j)
{
	if (!json_is_array(j) || json_array_size(j) != 2 ||
	    !json_is_string(json_array_get(j, 0)) ||
	    strcmp(json_string_value(json_array_get(j, 0)), "uuid"))
		return NULL;
	return json_string_value(json_array_get(j, 1));
}

/* An OVSDB set of atoms: ["set", [a, ...]] or the single atom itself. */
static size_t set_size(json_t *j)
{
	if (json_is_array(j) && json_array_size(j) == 2 &&
	    json_is_string(json_array_get(j, 0)) &&
	    !strcmp(json_string_value(json_array_get(j, 0)), "set"))
		return json_array_size(json_array_get(j, 1));
	return 1;
}

static json_t *set_get(json_t *j, size_t i)
{
	if (json_is_array(j) && json_array_size(j) == 2 &&
	    json_is_string(json_array_get(j, 0)) &&
	    !strcmp(json_string_value(json_array_get(j, 0)), "set"))
		return json_array_get(json_array_get(j, 1), i);
	return i ? NULL : j;
}

static json_t *rows(json_t *result, size_t i)
{
	json_t *r = json_object_get(json_array_get(result, i), "rows");

	return json_is_array(r) ? r : NULL;
}

static int parse_ifaces(json_t *r, struct ovsdb_view *v, size_t *cap)
{
	size_t i;
	json_t *row;

	json_array_foreach(r, i, row)
	{
		const char *name =
			json_string_value(json_object_get(row, "name"));
		struct ovsdb_iface *ifc;

		if (!name || !uuid_of(json_object_get(row, "_uuid")))
			return -EPROTO;
		ifc = vec_grow(v->ifaces, cap, v->n_ifaces, sizeof *ifc);
		if (!ifc)
			return -ENOMEM;
		v->ifaces = ifc;
		ifc = &v->ifaces[v->n_ifaces++];
		memset(ifc, 0, sizeof *ifc);
		snprintf(ifc->name, sizeof ifc->name, "%s", name);
	}
	return 0;
}

/* Interfaces are matched to Ports by uuid, which the Interface rows
 * carry in the same order as v->ifaces. */
static int parse_bonds(json_t *ifrows, json_t *r, struct ovsdb_view *v)
{
	size_t i;
	json_t *row;

	json_array_foreach(r, i, row)
	{
		json_t *ifs = json_object_get(row, "interfaces");
		json_t *mode = json_object_get(row, "bond_mode");
		const char *m = json_is_string(mode) ? json_string_value(mode)
						     : "active-backup";

		if (!ifs)
			return -EPROTO;
		if (set_size(ifs) < 2)
			continue;
		for (size_t k = 0; k < set_size(ifs); k++) {
			const char *u = uuid_of(set_get(ifs, k));

			if (!u)
				return -EPROTO;
			for (size_t n = 0; n < v->n_ifaces; n++) {
				const char *un = uuid_of(json_object_get(
					json_array_get(ifrows, n), "_uuid"));

				if (un && !strcmp(un, u))
					snprintf(v->ifaces[n].bond_mode,
						 sizeof v->ifaces[n].bond_mode,
						 "%s", m);
			}
		}
	}
	return 0;
}

/* other_config: ["map", [[key, value], ...]]. */
static bool map_says_true(json_t *map, const char *key)
{
	json_t *pairs = json_array_get(map, 1);
	size_t i;
	json_t *kv;

	if (!json_is_array(pairs))
		return false;
	json_array_foreach(pairs, i, kv)
	{
		const char *k = json_string_value(json_array_get(kv, 0));
		const char *val = json_string_value(json_array_get(kv, 1));

		/* As ovs-vswitchd reads it (smap_get_bool()). */
		if (k && val && !strcmp(k, key))
			return !strcasecmp(val, "true");
	}
	return false;
}

int ovsdb_view_parse(const char *text, size_t len, struct ovsdb_view *out)
{
	json_t *doc = json_loadb(text, len, 0, NULL);
	json_t *result = json_object_get(doc, "result");
	json_t *ifrows = rows(result, 0), *ports = rows(result, 1);
	json_t *global = rows(result, 2);
	size_t cap = 0;
	int err;

	memset(out, 0, sizeof *out);
	if (!ifrows || !ports || !global || json_array_size(result) < 3) {
		json_decref(doc);
		return -EPROTO;
	}
	err = parse_ifaces(ifrows, out, &cap);
	if (!err)
		err = parse_bonds(ifrows, ports, out);
	if (!err && json_array_size(global))
		out->hw_offload =
			map_says_true(json_object_get(json_array_get(global, 0),
						      "other_config"),
				      "hw-offload");
	json_decref(doc);
	if (err)
		ovsdb_view_free(out);
	return err;
}

static long long ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Reads until the buffer holds one complete JSON value (the server sends
 * exactly one reply to our one request), or the deadline. */
static int read_reply(int fd, long long deadline, char **out, size_t *len)
{
	size_t cap = 0, n = 0;
	char *buf = NULL;

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		long long left = deadline - ms_now();
		json_error_t e;
		json_t *j;
		ssize_t r;

		if (left <= 0) {
			free(buf);
			return -ETIMEDOUT;
		}
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		if (n + 4096 > cap) {
			char *nb = realloc(buf, cap = cap ? cap * 2 : 16384);

			if (!nb || cap > (64u << 20)) {
				free(nb ? nb : buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		r = recv(fd, buf + n, cap - n, 0);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r <= 0) {
			free(buf);
			return r ? -errno : -EPROTO;
		}
		n += (size_t)r;
		j = json_loadb(buf, n, JSON_DISABLE_EOF_CHECK, &e);
		if (j) {
			json_decref(j);
			*out = buf;
			*len = n;
			return 0;
		}
	}
}

/* A non-blocking connect's end: 0, or the error it ended with. */
static int wait_writable(int fd, long long deadline)
{
	struct pollfd p = {.fd = fd, .events = POLLOUT};
	socklen_t len = sizeof(int);
	int soerr = 0;

	for (;;) {
		long long left = deadline - ms_now();
		int n;

		if (left <= 0)
			return -ETIMEDOUT;
		n = poll(&p, 1, (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n > 0)
			break;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len))
		return -errno;
	return -soerr;
}

int ovsdb_view_read(const char *path, int timeout_ms, struct ovsdb_view *out)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	long long deadline = ms_now() + timeout_ms;
	char *reply = NULL;
	size_t len = 0;
	int fd, err;

	memset(out, 0, sizeof *out);
	if (strlen(path) >= sizeof sa.sun_path)
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	/* Non-blocking: a server that does not accept (its backlog full)
	 * must not stall the agent's loop beyond the timeout. */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	err = connect(fd, (struct sockaddr *)&sa, sizeof sa) ? -errno : 0;
	if (err == -EAGAIN || err == -EINPROGRESS)
		err = wait_writable(fd, deadline);
	errno = 0;
	if (!err && send(fd, request, sizeof request - 1, MSG_NOSIGNAL) !=
			    (ssize_t)(sizeof request - 1))
		err = errno ? -errno : -EIO;
	if (err) {
		close(fd);
		return err;
	}
	err = read_reply(fd, deadline, &reply, &len);
	close(fd);
	if (!err)
		err = ovsdb_view_parse(reply, len, out);
	free(reply);
	return err;
}
