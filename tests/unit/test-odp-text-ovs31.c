/* The text printer and parser against real Open vSwitch 3.1 output
 * (tests/data/ovs31/, see its README): the raw netlink flow dump printed
 * by us must be byte-equal to what ovs-dpctl/ovs-appctl printed for the
 * same flows (with used: normalised, as it is relative to "now"), and
 * every line Open vSwitch printed must survive parse + print unchanged. */
#include <errno.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ds.h"
#include "odp-text.h"
#include "ovs-msg.h"
#include "test.h"

#define MAX_FLOWS 256
#define MAX_PORTS 32
#define NOW_MS	  1000000000ULL

struct fixture {
	struct odp_flow flows[MAX_FLOWS];
	size_t n_flows;
	struct odp_port_name ports[MAX_PORTS];
	char names[MAX_PORTS][IFNAMSIZ];
	struct odp_port_names map;
};

static char *read_file(const char *dir, const char *name, size_t *len)
{
	char path[512];
	FILE *f;
	char *data;
	long n;

	snprintf(path, sizeof path, "%s/ovs31/%s/%s", OVSX_TEST_DATA, dir,
		 name);
	f = fopen(path, "rb");
	if (!f) {
		test_fail(__FILE__, __LINE__, "cannot open %s", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	data = calloc(1, (size_t)n + 1);
	if (data && fread(data, 1, (size_t)n, f) != (size_t)n) {
		free(data);
		data = NULL;
	}
	fclose(f);
	*len = data ? (size_t)n : 0;
	return data;
}

/* Calls fn on every netlink message of a dump file. */
static void for_each_msg(const char *data, size_t len,
			 void (*fn)(const struct nlmsghdr *, size_t, void *),
			 void *aux)
{
	size_t off = 0;

	while (off + NLMSG_HDRLEN <= len) {
		const struct nlmsghdr *nlh = (const void *)(data + off);

		if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > len - off)
			break;
		if (nlh->nlmsg_type != NLMSG_DONE)
			fn(nlh, nlh->nlmsg_len, aux);
		off += NLMSG_ALIGN(nlh->nlmsg_len);
	}
}

static void add_flow(const struct nlmsghdr *nlh, size_t len, void *aux)
{
	struct fixture *fx = aux;
	struct odp_flow *f = &fx->flows[fx->n_flows];

	if (fx->n_flows == MAX_FLOWS)
		return;
	odp_flow_init(f);
	if (ovs_msg_parse_flow(nlh, len, f, NULL))
		odp_flow_destroy(f);
	else
		fx->n_flows++;
}

static void add_port(const struct nlmsghdr *nlh, size_t len, void *aux)
{
	struct fixture *fx = aux;
	struct ovs_vport_info vp;
	size_t i = fx->map.n;

	if (i == MAX_PORTS || ovs_msg_parse_vport(nlh, len, &vp, NULL))
		return;
	memcpy(fx->names[i], vp.name, IFNAMSIZ);
	fx->ports[i].port_no = vp.port_no;
	fx->ports[i].name = fx->names[i];
	fx->map.n++;
}

static bool load(const char *dir, struct fixture *fx)
{
	size_t len;
	char *data;

	memset(fx, 0, sizeof *fx);
	fx->map.ports = fx->ports;
	data = read_file(dir, "flows.nlmsg", &len);
	if (!data)
		return false;
	for_each_msg(data, len, add_flow, fx);
	free(data);
	data = read_file(dir, "vports.nlmsg", &len);
	if (!data)
		return false;
	for_each_msg(data, len, add_port, fx);
	free(data);
	return fx->n_flows > 0 && fx->map.n > 0;
}

static void unload(struct fixture *fx)
{
	for (size_t i = 0; i < fx->n_flows; i++)
		odp_flow_destroy(&fx->flows[i]);
}

/* "used:1.234s" -> "used:X", in place. */
static void normalise(char *line)
{
	char *p = strstr(line, "used:");

	size_t n;

	if (!p || !strncmp(p + 5, "never", 5))
		return;
	p += 5;
	n = strspn(p, "-0123456789.s");
	memmove(p + 1, p + n, strlen(p + n) + 1);
	*p = 'X';
}

struct text_file {
	const char *name;
	bool verbose; /* -m, which also turns port names on */
};

static const struct text_file text_files[] = {
	{"dpctl.txt", false},
	{"dpctl-m.txt", true},
	{"appctl.txt", false},
	{"appctl-m.txt", true},
};

static void print_flow(struct ds *s, const struct odp_flow *f,
		       const struct fixture *fx, bool verbose)
{
	struct odp_format_opts o = {.verbose = verbose,
				    .stats = true,
				    .now_ms = NOW_MS,
				    .names = verbose ? &fx->map : NULL};

	ds_clear(s);
	odp_format_flow(s, f, &o);
}

/* The raw flow that prints as 'line': by UFID when the line has one,
 * otherwise by its text.  NULL if none; *ours is what the flow with that
 * UFID printed, for the failure message. */
static const struct odp_flow *find_flow(const char *line,
					const struct fixture *fx, bool verbose,
					struct ds *ours)
{
	uint8_t ufid[16];
	bool by_ufid =
		!strncmp(line, "ufid:", 5) && !odp_parse_ufid(line + 5, ufid);

	for (size_t i = 0; i < fx->n_flows; i++) {
		const struct odp_flow *f = &fx->flows[i];

		if (by_ufid && (f->ufid_len != 16 || memcmp(f->ufid, ufid, 16)))
			continue;
		print_flow(ours, f, fx, verbose);
		normalise(ours->s);
		if (by_ufid || !strcmp(ours->s, line))
			return !strcmp(ours->s, line) ? f : NULL;
	}
	ds_clear(ours);
	return NULL;
}

static void check_printer(const char *dir)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	struct ds ours = DS_INIT;
	size_t len;

	if (!fx || !load(dir, fx)) {
		test_fail(__FILE__, __LINE__, "%s: no fixture", dir);
		free(fx);
		return;
	}
	for (size_t t = 0; t < sizeof text_files / sizeof text_files[0]; t++) {
		char *text = read_file(dir, text_files[t].name, &len);
		size_t lines = 0, missing = 0;

		for (char *line = text ? strtok(text, "\n") : NULL; line;
		     line = strtok(NULL, "\n")) {
			lines++;
			normalise(line);
			if (find_flow(line, fx, text_files[t].verbose, &ours))
				continue;
			missing++;
			printf("  %s/%s: no raw flow prints as:\n    %s\n"
			       "  ours:\n    %s\n",
			       dir, text_files[t].name, line, ds_cstr(&ours));
		}
		printf("  %s/%s: %zu lines, %zu unmatched, %zu raw flows\n",
		       dir, text_files[t].name, lines, missing, fx->n_flows);
		/* A text dump may hold flows that expired before the raw
		 * dump was taken, never more than the difference. */
		if (lines > fx->n_flows ? missing > lines - fx->n_flows
					: missing > 0)
			test_fail(__FILE__, __LINE__,
				  "%s/%s: %zu of %zu lines unmatched", dir,
				  text_files[t].name, missing, lines);
		free(text);
	}
	ds_free(&ours);
	unload(fx);
	free(fx);
}

TEST(ovs31_raw_dump_prints_as_ovs)
{
	check_printer("varied");
	check_printer("no-ufid");
}

/* Every line OVS printed parses, and prints back byte for byte. */
static void check_round_trip(const char *dir)
{
	struct fixture *fx = calloc(1, sizeof *fx);
	struct ds s = DS_INIT;
	char err[256];
	size_t len;

	if (!fx || !load(dir, fx)) {
		test_fail(__FILE__, __LINE__, "%s: no fixture", dir);
		free(fx);
		return;
	}
	for (size_t t = 0; t < sizeof text_files / sizeof text_files[0]; t++) {
		bool verbose = text_files[t].verbose;
		char *text = read_file(dir, text_files[t].name, &len);

		for (char *line = text ? strtok(text, "\n") : NULL; line;
		     line = strtok(NULL, "\n")) {
			struct odp_flow f;

			odp_flow_init(&f);
			if (odp_parse_flow_names(line, NOW_MS,
						 verbose ? &fx->map : NULL, &f,
						 err, sizeof err)) {
				test_fail(__FILE__, __LINE__, "%s: %s\n  %s",
					  text_files[t].name, err, line);
			} else {
				print_flow(&s, &f, fx, verbose);
				CHECK_STR(s.s, line);
			}
			odp_flow_destroy(&f);
		}
		free(text);
	}
	ds_free(&s);
	unload(fx);
	free(fx);
}

TEST(ovs31_lines_round_trip)
{
	check_round_trip("varied");
	check_round_trip("no-ufid");
}
