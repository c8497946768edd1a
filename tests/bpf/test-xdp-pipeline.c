/* The whole offload pipeline on the real program: megaflows written as
 * Open vSwitch prints them go through the text parser, the planner, the
 * offload engine, the fast-path table and the BPF backend into the maps of
 * a loaded fast path; frames then run through it with
 * bpf_prog_test_run_opts() and must come out as the kernel module would
 * send them.  (test-xdp-*.c test the program alone, maps written by hand.) */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/bpf.h>
#include <unistd.h>

#include "fastpath.h"
#include "fp-backend-bpf.h"
#include "fp-table.h"
#include "odp-text.h"
#include "engine.h"
#include "pkt-build.h"
#include "test.h"
#include "util.h"

#define LO 1 /* test_run's ingress device, also the redirect target */

static const uint8_t mac1[6] = {2, 0, 0, 0, 0, 1};
static const uint8_t mac2[6] = {2, 0, 0, 0, 0, 2};

struct rig {
	struct fastpath *fp;
	struct fp_backend *b;
	struct fp_table *t;
	struct port_table ports;
	struct engine *o;
	struct odp_flow flows[8];
	int n;
};

static void add_port(struct rig *r, uint32_t no, int ifindex)
{
	struct port_info p = {.port_no = no,
			      .ifindex = ifindex,
			      .mtu = 1500,
			      .vport_type = OVS_VPORT_TYPE_NETDEV};

	snprintf(p.name, sizeof p.name, "p%u", no);
	CHECK_INT(port_table_put(&r->ports, &p), 0);
}

static void rig_up(struct rig *r)
{
	struct ovsx_port in = {.port_no = 1, .stats_id = 1};
	int err;

	memset(r, 0, sizeof *r);
	if (geteuid() != 0)
		test_skip_all("needs root to load BPF programs");
	err = fastpath_open(&r->fp, 1024, 16);
	if (err == -EPERM)
		test_skip_all("kernel refuses BPF programs");
	CHECK_INT(err, 0);
	r->b = fp_bpf_create(fastpath_table_maps(r->fp), 1024, 16);
	r->t = fp_table_create(r->b, 0);
	CHECK_INT(port_table_init(&r->ports), 0);
	/* Port 1 receives (lo); port 2 is the redirect target (lo too: the
	 * verdict is what test_run shows of a redirect). */
	add_port(r, 1, LO);
	add_port(r, 2, LO);
	CHECK_INT(fastpath_set_port(r->fp, LO, &in), 0);
	CHECK_INT(fastpath_set_target(r->fp, LO, true), 0);
	r->o = engine_create(&r->ports, r->t, time_monotonic_ms);
	CHECK(r->o != NULL);
}

static void rig_down(struct rig *r)
{
	engine_destroy(r->o);
	for (int i = 0; i < r->n; i++)
		odp_flow_destroy(&r->flows[i]);
	fp_table_destroy(r->t);
	fp_bpf_destroy(r->b);
	port_table_destroy(&r->ports);
	fastpath_close(r->fp);
}

/* A megaflow as dump-flows prints it, offloaded through the engine. */
static void add_flow(struct rig *r, const char *line)
{
	struct odp_flow *f = &r->flows[r->n++];
	char err[256] = "";
	enum plan_verdict v;
	const char *detail;

	odp_flow_init(f);
	if (odp_parse_flow(line, time_monotonic_ms(), f, err, sizeof err))
		test_fail(__FILE__, __LINE__, "parse: %s", err);
	f->ufid_len = 16;
	memset(f->ufid, r->n, 16);
	engine_mirror_cb(r->o, MIRROR_ADD, NULL, f);
	CHECK_INT(engine_verdict(r->o, f, &v, &detail), 0);
	if (v != PLAN_OFFLOADED)
		printf("not offloaded: %s: %s\n", plan_verdict_text(v), detail);
	CHECK_INT(v, PLAN_OFFLOADED);
}

static int run(struct rig *r, const struct pkt *in, uint8_t *out,
	       uint32_t *out_len)
{
	LIBBPF_OPTS(bpf_test_run_opts, o, .data_in = in->b,
		    .data_size_in = (uint32_t)in->len, .data_out = out,
		    .data_size_out = *out_len, .repeat = 1);
	int err = bpf_prog_test_run_opts(fastpath_prog_fd(r->fp), &o);

	CHECK_INT(err, 0);
	*out_len = o.data_size_out;
	return (int)o.retval;
}

static void udp_frame(struct pkt *p, uint32_t dst_ip, uint16_t dport)
{
	memset(p, 0, sizeof *p);
	pkt_eth(p, mac2, mac1);
	pkt_ipv4(p, 0x0a000001, dst_ip);
	pkt_udp(p, 1000, dport);
	pkt_payload(p, 18);
	pkt_finish(p);
}

#define MATCH_UDP                                                    \
	"recirc_id(0),in_port(1),eth(src=02:00:00:00:00:01,"         \
	"dst=02:00:00:00:00:02),eth_type(0x0800),ipv4(src=10.0.0.1," \
	"dst=10.0.0.2,proto=17,frag=no),udp(dst=53)"
#define STATS ", packets:0, bytes:0, used:never"

TEST(rewrite_and_redirect_like_the_kernel)
{
	struct rig r;
	struct pkt in, want;
	uint8_t out[256];
	uint32_t out_len = sizeof out;

	rig_up(&r);
	add_flow(&r, MATCH_UDP STATS
		 ", actions:set(ipv4(dst=10.0.0.3)),set(udp(dst=5353)),2");
	udp_frame(&in, 0x0a000002, 53);
	/* The kernel's result: new address and port, checksums right. */
	udp_frame(&want, 0x0a000003, 5353);
	CHECK_INT(run(&r, &in, out, &out_len), XDP_REDIRECT);
	CHECK_INT(out_len, want.len);
	CHECK_MEM(out, want.b, want.len);

	/* Another destination port: no flow, passed up unmodified. */
	udp_frame(&in, 0x0a000002, 54);
	out_len = sizeof out;
	CHECK_INT(run(&r, &in, out, &out_len), XDP_PASS);
	CHECK_MEM(out, in.b, in.len);
	rig_down(&r);
}

TEST(drop_and_hairpin)
{
	struct rig r;
	struct pkt in;
	uint8_t out[256];
	uint32_t out_len = sizeof out;

	rig_up(&r);
	add_flow(&r, MATCH_UDP STATS ", actions:drop");
	udp_frame(&in, 0x0a000002, 53);
	CHECK_INT(run(&r, &in, out, &out_len), XDP_DROP);
	rig_down(&r);

	rig_up(&r);
	add_flow(&r, MATCH_UDP STATS ", actions:set(eth(src=02:00:00:00:00:02,"
				     "dst=02:00:00:00:00:01)),1");
	out_len = sizeof out;
	CHECK_INT(run(&r, &in, out, &out_len), XDP_TX);
	CHECK_MEM(out, mac1, 6);
	CHECK_MEM(out + 6, mac2, 6);
	CHECK_MEM(out + 12, in.b + 12, in.len - 12);
	rig_down(&r);
}

TEST(modify_and_remove_take_effect)
{
	struct rig r;
	struct pkt in;
	struct odp_flow g;
	uint8_t out[256];
	uint32_t out_len = sizeof out;
	char err[128];

	rig_up(&r);
	add_flow(&r, MATCH_UDP STATS ", actions:2");
	udp_frame(&in, 0x0a000002, 53);
	CHECK_INT(run(&r, &in, out, &out_len), XDP_REDIRECT);
	/* ovs-vswitchd changes the actions (the mirror's record in place). */
	odp_flow_init(&g);
	CHECK_INT(odp_parse_flow(MATCH_UDP STATS ", actions:drop", 0, &g, err,
				 sizeof err),
		  0);
	buf_set(&r.flows[0].actions, g.actions.data, g.actions.len);
	engine_mirror_cb(r.o, MIRROR_MODIFY, &g, &r.flows[0]);
	out_len = sizeof out;
	CHECK_INT(run(&r, &in, out, &out_len), XDP_DROP);
	/* Deleted: the kernel gets the frame. */
	engine_mirror_cb(r.o, MIRROR_REMOVE, &r.flows[0], NULL);
	out_len = sizeof out;
	CHECK_INT(run(&r, &in, out, &out_len), XDP_PASS);
	odp_flow_destroy(&g);
	rig_down(&r);
}

TEST(counters_reach_the_flow)
{
	struct rig r;
	struct pkt in;
	struct ovsx_flow_stats s;
	uint8_t out[256];
	uint32_t out_len;

	rig_up(&r);
	add_flow(&r, MATCH_UDP STATS ", actions:2");
	udp_frame(&in, 0x0a000002, 53);
	for (int i = 0; i < 3; i++) {
		out_len = sizeof out;
		CHECK_INT(run(&r, &in, out, &out_len), XDP_REDIRECT);
	}
	CHECK_INT(engine_flow_stats(r.o, &r.flows[0], &s), 0);
	CHECK_INT(s.packets, 3);
	CHECK_INT(s.bytes, 3 * in.len);
	CHECK(s.used_ns > 0);
	rig_down(&r);
}
