/* ovsx-lagbench [--flows N] [--dp NAME] IN_PORT OUT_PORT: the offload lag
 * of a running ovs-xdpd: for each of N fresh megaflows (IPv4, one
 * destination address each, IN_PORT -> OUT_PORT), the time from just before
 * the flow is put into the kernel datapath over netlink to the moment the
 * agent's fast-path table holds it (its flows map, read through the BPF
 * syscall).  Prints the percentiles as JSON, with those of the put itself
 * (the kernel's answer, which includes sending the notification) and the
 * worst samples, each with its position in the run, so that a stall can be
 * placed in time.  Each flow is deleted after. */
#include <bpf/bpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ovs-nl.h"
#include "ovs-xdp-abi.h"
#include "odp-text.h"
#include "planner.h"
#include "ports.h"
#include "util.h"

struct agent_maps {
	int flows, masks;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The flows and masks maps of the loaded ovs-xdp fast path. */
static int find_maps(struct agent_maps *m)
{
	uint32_t id = 0;

	m->flows = m->masks = -1;
	while (!bpf_prog_get_next_id(id, &id)) {
		struct bpf_prog_info info = {0};
		uint32_t map_ids[64], len = sizeof info;
		int fd = bpf_prog_get_fd_by_id(id);

		if (fd < 0)
			continue;
		info.nr_map_ids = 64;
		info.map_ids = (uint64_t)(unsigned long)map_ids;
		if (bpf_obj_get_info_by_fd(fd, &info, &len) ||
		    strcmp(info.name, "ovs_xdp_main")) {
			close(fd);
			continue;
		}
		close(fd);
		for (uint32_t i = 0; i < info.nr_map_ids && i < 64; i++) {
			struct bpf_map_info mi = {0};
			uint32_t ml = sizeof mi;
			int mfd = bpf_map_get_fd_by_id(map_ids[i]);

			if (mfd < 0 || bpf_obj_get_info_by_fd(mfd, &mi, &ml))
				continue;
			if (!strcmp(mi.name, "flows"))
				m->flows = mfd;
			else if (!strcmp(mi.name, "masks"))
				m->masks = mfd;
			else
				close(mfd);
		}
		return m->flows >= 0 && m->masks >= 0 ? 0 : -ENOENT;
	}
	return -ENOENT;
}

/* True once the agent's table holds the compiled match. */
static bool installed(const struct agent_maps *m, const struct plan_match *pm)
{
	struct ovsx_flow_key fk;
	struct ovsx_flow_ref ref;
	struct ovsx_mask mask;

	for (uint32_t id = 0; id < OVSX_MAX_MASKS_LIMIT; id++) {
		if (bpf_map_lookup_elem(m->masks, &id, &mask))
			return false;
		if (!mask.active ||
		    memcmp(&mask.mask, &pm->mask, sizeof mask.mask))
			continue;
		memset(&fk, 0, sizeof fk);
		fk.mask_id = id;
		fk.key = pm->key;
		return !bpf_map_lookup_elem(m->flows, &fk, &ref);
	}
	return false;
}

struct sample {
	uint64_t lag_ns; /* put started -> flow in the fast path */
	uint64_t put_ns; /* put started -> the kernel's answer */
	uint64_t at_ns;	 /* put started, from the start of the run */
	unsigned index;
};

static int cmp_lag(const void *a, const void *b)
{
	uint64_t x = ((const struct sample *)a)->lag_ns;
	uint64_t y = ((const struct sample *)b)->lag_ns;

	return (x > y) - (x < y);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int make_flow(struct odp_flow *f, unsigned i, const char *in,
		     const char *out)
{
	char line[512], err[128];

	snprintf(
		line, sizeof line,
		"ufid:%08x-0000-4000-8000-00000000beef, recirc_id(0),in_port(%s),"
		"eth(),eth_type(0x0800),ipv4(dst=10.77.%u.%u,frag=no), "
		"packets:0, bytes:0, used:never, actions:%s",
		i, in, (i >> 8) & 255, i & 255, out);
	odp_flow_init(f);
	return odp_parse_flow(line, 0, f, err, sizeof err);
}

/* How long one flow may take to show in the fast path: a bound for a
 * failure (an agent that is gone), not an expected time; on a busy,
 * emulated host the agent's loop can be held for seconds. */
#define SHOW_LIMIT_NS (30 * 1000000000ull)

/* Fills s; false if the flow is not offloadable or never showed within
 * SHOW_LIMIT_NS. */
static bool one(struct ovs_nl *nl, int dp, const struct agent_maps *m,
		const struct port_table *ports, struct odp_flow *f,
		struct sample *s)
{
	struct plan p;
	uint64_t t0, t;

	plan_flow(ports, f, &p);
	if (p.verdict != PLAN_OFFLOADED)
		return false;
	t0 = now_ns();
	if (ovs_nl_flow_put(nl, dp, f, true))
		return false;
	s->put_ns = now_ns() - t0;
	do {
		t = now_ns();
		if (installed(m, &p.match))
			break;
		usleep(20);
	} while (t - t0 < SHOW_LIMIT_NS);
	ovs_nl_flow_del(nl, dp, f);
	s->lag_ns = t - t0;
	s->at_ns = t0;
	return t - t0 < SHOW_LIMIT_NS;
}

int main(int argc, char **argv)
{
	unsigned n = 200, ok = 0;
	const char *dp_name = "ovs-system";
	struct port_info pi = {.mtu = 1500,
			       .vport_type = OVS_VPORT_TYPE_NETDEV};
	struct port_table ports;
	struct agent_maps m;
	struct ovs_dp_info dp;
	struct ovs_nl *nl;
	struct sample *lag;
	uint64_t *put, start;
	int a = 1;

	for (; a + 1 < argc && argv[a][0] == '-'; a += 2) {
		if (!strcmp(argv[a], "--flows"))
			n = (unsigned)atoi(argv[a + 1]);
		else if (!strcmp(argv[a], "--dp"))
			dp_name = argv[a + 1];
	}
	if (argc - a != 2 || !n) {
		fprintf(stderr, "usage: ovsx-lagbench [--flows N] [--dp NAME] "
				"IN_PORT OUT_PORT\n");
		return 2;
	}
	if (ovs_nl_open(&nl) || ovs_nl_dp_get(nl, dp_name, 0, &dp) ||
	    find_maps(&m)) {
		fprintf(stderr,
			"ovsx-lagbench: no datapath %s or no running "
			"ovs-xdpd fast path\n",
			dp_name);
		return 1;
	}
	/* The planner only needs the two ports to exist. */
	port_table_init(&ports);
	for (int i = 0; i < 2; i++) {
		pi.port_no = (uint32_t)atoi(argv[a + i]);
		pi.ifindex = 1;
		port_table_put(&ports, &pi);
	}
	lag = calloc(n, sizeof *lag);
	put = calloc(n, sizeof *put);
	if (!lag || !put)
		return 1;
	start = now_ns();
	for (unsigned i = 0; i < n; i++) {
		struct odp_flow f;

		if (make_flow(&f, i, argv[a], argv[a + 1]))
			return 1;
		if (one(nl, dp.dp_ifindex, &m, &ports, &f, &lag[ok])) {
			lag[ok].index = i;
			lag[ok].at_ns -= start;
			put[ok] = lag[ok].put_ns;
			ok++;
		}
		odp_flow_destroy(&f);
	}
	if (!ok) {
		fprintf(stderr, "ovsx-lagbench: no flow was offloaded\n");
		return 1;
	}
	qsort(lag, ok, sizeof *lag, cmp_lag);
	qsort(put, ok, sizeof *put, cmp_u64);
	printf("{\"flows\": %u, \"offloaded\": %u, \"seconds\": %.3f, "
	       "\"p50_ms\": %.3f, \"p90_ms\": %.3f, \"p99_ms\": %.3f, "
	       "\"max_ms\": %.3f, \"put_p50_ms\": %.3f, \"put_p99_ms\": %.3f, "
	       "\"put_max_ms\": %.3f, \"worst\": [",
	       n, ok, (now_ns() - start) / 1e9, lag[ok / 2].lag_ns / 1e6,
	       lag[ok * 9 / 10].lag_ns / 1e6, lag[ok * 99 / 100].lag_ns / 1e6,
	       lag[ok - 1].lag_ns / 1e6, put[ok / 2] / 1e6,
	       put[ok * 99 / 100] / 1e6, put[ok - 1] / 1e6);
	for (unsigned i = 0; i < ok && i < 5; i++) {
		const struct sample *w = &lag[ok - 1 - i];

		printf("%s{\"flow\": %u, \"at_s\": %.3f, \"lag_ms\": %.3f, "
		       "\"put_ms\": %.3f}",
		       i ? ", " : "", w->index, w->at_ns / 1e9, w->lag_ns / 1e6,
		       w->put_ns / 1e6);
	}
	printf("]}\n");
	return 0;
}
