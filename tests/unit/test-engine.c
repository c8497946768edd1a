/* The offload engine over the in-memory fast path: overlap with kernel
 * flows, overlap between offloadable flows, table full and recovery,
 * modification in place, and re-planning when ports change. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "fp-backend.h"
#include "fp-table.h"
#include "engine.h"
#include "plan-fixture.h"
#include "test.h"

#define ETH "eth(src=02:00:00:00:00:01,dst=02:00:00:00:00:02)"
#define IP4 "recirc_id(0),in_port(1)," ETH ",eth_type(0x0800),ipv4(frag=no)"
#define UDP53                          \
	"recirc_id(0),in_port(1)," ETH \
	",eth_type(0x0800),ipv4(proto=17,frag=no),udp(dst=53)"

static uint64_t fake_now;

static uint64_t now(void)
{
	return fake_now;
}

struct rig {
	struct port_table ports;
	struct fp_backend *b;
	struct fp_table *t;
	struct engine *o;
};

static void rig_up(struct rig *r, uint32_t max_flows, uint32_t max_masks)
{
	fake_now = 1000;
	fixture_ports(&r->ports);
	r->b = fp_mem_create(max_flows, max_masks);
	r->t = fp_table_create(r->b, 100);
	r->o = engine_create(&r->ports, r->t, now);
	CHECK(r->b && r->t && r->o);
}

static void rig_down(struct rig *r)
{
	engine_destroy(r->o);
	fp_table_destroy(r->t);
	fp_mem_destroy(r->b);
	port_table_destroy(&r->ports);
}

static enum plan_verdict verdict_of(struct rig *r, const struct odp_flow *f)
{
	enum plan_verdict v = PLAN__N_VERDICTS;
	const char *detail;

	CHECK_INT(engine_verdict(r->o, f, &v, &detail), 0);
	return v;
}

/* The key of a UDP/IPv4 frame from port 1 to 'dport'. */
static struct ovsx_key udp_frame(uint16_t dport)
{
	struct ovsx_key k;

	memset(&k, 0, sizeof k);
	k.in_port = 1;
	memcpy(k.eth_src, "\x02\0\0\0\0\x01", 6);
	memcpy(k.eth_dst, "\x02\0\0\0\0\x02", 6);
	k.eth_type = htons(0x0800);
	k.nw_proto = 17;
	k.nw_ttl = 64;
	k.tp_dst = htons(dport);
	return k;
}

static int out_ifindex_for(struct rig *r, uint16_t dport)
{
	struct ovsx_key k = udp_frame(dport);
	uint32_t slot;

	if (fp_mem_lookup(r->b, &k, &slot))
		return -1;
	return (int)fp_mem_slot(r->b, slot)->out_ifindex;
}

TEST(installs_and_looks_up)
{
	struct rig r;
	struct odp_flow f;

	rig_up(&r, 16, 4);
	fixture_flow(&f, IP4, "2", 1);
	engine_mirror_cb(r.o, MIRROR_ADD, NULL, &f);
	CHECK_INT(verdict_of(&r, &f), PLAN_OFFLOADED);
	CHECK_INT(out_ifindex_for(&r, 53), 12);
	CHECK_INT((int)engine_get_stats(r.o)->by_verdict[PLAN_OFFLOADED], 1);
	engine_mirror_cb(r.o, MIRROR_REMOVE, &f, NULL);
	CHECK_INT(out_ifindex_for(&r, 53), -1);
	CHECK_INT((int)engine_get_stats(r.o)->by_verdict[PLAN_OFFLOADED], 0);
	odp_flow_destroy(&f);
	rig_down(&r);
}

TEST(overlap_with_a_kernel_flow_and_recovery)
{
	struct rig r;
	struct odp_flow wide, narrow;

	rig_up(&r, 16, 4);
	/* The narrow flow stays in the kernel (userspace action); the wide
	 * one would capture its frames in XDP. */
	fixture_flow(&wide, IP4, "2", 1);
	fixture_flow(&narrow, UDP53, "userspace(pid=1)", 2);
	engine_mirror_cb(r.o, MIRROR_ADD, NULL, &wide);
	CHECK_INT(verdict_of(&r, &wide), PLAN_OFFLOADED);
	engine_mirror_cb(r.o, MIRROR_ADD, NULL, &narrow);
	CHECK_INT(verdict_of(&r, &narrow), PLAN_ACTION);
	CHECK_INT(verdict_of(&r, &wide), PLAN_OVERLAP);
	CHECK_INT(out_ifindex_for(&r, 80), -1);
	/* The kernel flow leaves: the wide one is offloaded again. */
	engine_mirror_cb(r.o, MIRROR_REMOVE, &narrow, NULL);
	CHECK_INT(verdict_of(&r, &wide), PLAN_OFFLOADED);
	CHECK_INT(out_ifindex_for(&r, 80), 12);
	odp_flow_destroy(&wide);
	odp_flow_destroy(&narrow);
	rig_down(&r);
}

TEST(overlapping_offloadable_flows)
{
	struct rig r;
	struct odp_flow a, b, c;

	rig_up(&r, 16, 4);
	fixture_flow(&a, IP4, "2", 1);
	fixture_flow(&b, UDP53, "2", 2); /* same actions: harmless */
	engine_mirror_cb(r.o, MIRROR_ADD, NULL, &a);
	engine_mirror_cb(r.o, MIRROR_ADD, NULL, &b);
	CHECK_INT(verdict_of(&r, &a), PLAN_OFFLOADED);
	CHECK_INT(verdict_of(&r, &b), PLAN_OFFLOADED);
	/* Different actions: the kernel's choice is its own, both stay. */
	fixture_flow(&c, UDP53, "3", 3);
	engine_mirror_cb(r.o, MIRROR_REMOVE, &b, NULL);
	engine_mirror_cb(r.o, MIRROR_ADD, NULL, &c);
	CHECK_INT(verdict_of(&r, &a), PLAN_OVERLAP);
	CHECK_INT(verdict_of(&r, &c), PLAN_OVERLAP);
	CHECK_INT(out_ifindex_for(&r, 53), -1);
	odp_flow_destroy(&a);
	odp_flow_destroy(&b);
	odp_flow_destroy(&c);
	rig_down(&r);
}

TEST(table_full_then_room)
{
	struct rig r;
	struct odp_flow f[3];
	char match[256];
	const char *detail;
	enum plan_verdict v;

	rig_up(&r, 2, 4);
	for (int i = 0; i < 3; i++) {
		snprintf(match, sizeof match,
			 "recirc_id(0),in_port(1)," ETH
			 ",eth_type(0x0800),ipv4(proto=17,frag=no),udp(dst=%d)",
			 100 + i);
		fixture_flow(&f[i], match, "2", i + 1);
		engine_mirror_cb(r.o, MIRROR_ADD, NULL, &f[i]);
	}
	CHECK_INT(engine_verdict(r.o, &f[2], &v, &detail), 0);
	CHECK_INT(v, PLAN_TABLE_FULL);
	CHECK_STR(detail, "2 flows in use");
	engine_mirror_cb(r.o, MIRROR_REMOVE, &f[0], NULL);
	/* The freed slot waits out its quarantine first. */
	engine_tick(r.o);
	CHECK_INT(verdict_of(&r, &f[2]), PLAN_TABLE_FULL);
	fake_now += 200;
	engine_tick(r.o);
	CHECK_INT(verdict_of(&r, &f[2]), PLAN_OFFLOADED);
	CHECK_INT(out_ifindex_for(&r, 102), 12);
	for (int i = 0; i < 3; i++)
		odp_flow_destroy(&f[i]);
	rig_down(&r);
}

TEST(masks_full)
{
	struct rig r;
	struct odp_flow a, b;
	const char *detail;
	enum plan_verdict v;

	rig_up(&r, 16, 1);
	fixture_flow(&a, IP4, "2", 1);
	/* Another mask: the protocol is matched too. */
	fixture_flow(&b,
		     "recirc_id(0),in_port(2)," ETH ",eth_type(0x86dd),"
		     "ipv6(proto=17,frag=no)",
		     "1", 2);
	engine_mirror_cb(r.o, MIRROR_ADD, NULL, &a);
	engine_mirror_cb(r.o, MIRROR_ADD, NULL, &b);
	CHECK_INT(engine_verdict(r.o, &b, &v, &detail), 0);
	CHECK_INT(v, PLAN_TABLE_FULL);
	CHECK_STR(detail, "1 masks in use");
	odp_flow_destroy(&a);
	odp_flow_destroy(&b);
	rig_down(&r);
}

/* ovs-vswitchd deletes and re-adds flows all the time: a flow with the
 * mask of one just removed takes that mask back at once, quarantine or
 * not (the same bits under the same id), while a different mask still
 * waits the quarantine out. */
TEST(removed_mask_taken_back_by_the_same_mask)
{
	struct rig r;
	struct odp_flow a, b, c;

	rig_up(&r, 16, 1);
	fixture_flow(&a, UDP53, "2", 1);
	fixture_flow(&b,
		     "recirc_id(0),in_port(1)," ETH
		     ",eth_type(0x0800),ipv4(proto=17,frag=no),udp(dst=54)",
		     "2", 2);
	fixture_flow(&c, IP4, "2", 3);
	for (int round = 0; round < 3; round++) {
		engine_mirror_cb(r.o, MIRROR_ADD, NULL, &a);
		CHECK_INT(verdict_of(&r, &a), PLAN_OFFLOADED);
		engine_mirror_cb(r.o, MIRROR_REMOVE, &a, NULL);
		engine_tick(r.o); /* no time passes */
	}
	engine_mirror_cb(r.o, MIRROR_ADD, NULL, &b);
	CHECK_INT(verdict_of(&r, &b), PLAN_OFFLOADED);
	CHECK_INT(out_ifindex_for(&r, 54), 12);
	engine_mirror_cb(r.o, MIRROR_REMOVE, &b, NULL);
	engine_mirror_cb(r.o, MIRROR_ADD, NULL, &c);
	CHECK_INT(verdict_of(&r, &c), PLAN_TABLE_FULL);
	fake_now += 200;
	engine_tick(r.o);
	CHECK_INT(verdict_of(&r, &c), PLAN_OFFLOADED);
	odp_flow_destroy(&a);
	odp_flow_destroy(&b);
	odp_flow_destroy(&c);
	rig_down(&r);
}

TEST(modify_replaces_actions_and_keeps_stats)
{
	struct rig r;
	struct odp_flow f, g;
	struct ovsx_flow_stats s;
	struct ovsx_key k = udp_frame(53);
	uint32_t slot;
	uint64_t gen;

	rig_up(&r, 16, 4);
	fixture_flow(&f, IP4, "2", 1);
	engine_mirror_cb(r.o, MIRROR_ADD, NULL, &f);
	CHECK_INT(fp_mem_lookup(r.b, &k, &slot), 0);
	fp_mem_count(r.b, slot, 5, 500);
	gen = fp_mem_generation(r.b);

	/* The mirror keeps its record and changes its contents. */
	fixture_flow(&g, IP4, "3", 1);
	odp_flow_destroy(&f);
	CHECK_INT(odp_flow_copy(&f, &g), 0);
	engine_mirror_cb(r.o, MIRROR_MODIFY, &g, &f);
	CHECK_INT(out_ifindex_for(&r, 53), 13);
	CHECK(fp_mem_generation(r.b) > gen);
	CHECK_INT(fp_mem_n_flows(r.b), 1);
	CHECK_INT(engine_flow_stats(r.o, &f, &s), 0);
	CHECK_INT(s.packets, 5);
	CHECK_INT(s.bytes, 500);
	odp_flow_destroy(&f);
	odp_flow_destroy(&g);
	rig_down(&r);
}

TEST(ports_change_replans)
{
	struct rig r;
	struct odp_flow f;
	struct port_info p;

	rig_up(&r, 16, 4);
	fixture_flow(&f, IP4, "2", 1);
	engine_mirror_cb(r.o, MIRROR_ADD, NULL, &f);
	CHECK_INT(verdict_of(&r, &f), PLAN_OFFLOADED);
	p = *port_table_find(&r.ports, 2);
	p.tx_limit = PORT_LIMIT_NO_XDP_XMIT;
	CHECK_INT(port_table_put(&r.ports, &p), 0);
	engine_replan_all(r.o);
	CHECK_INT(verdict_of(&r, &f), PLAN_OUTPUT_PORT);
	CHECK_INT(out_ifindex_for(&r, 53), -1);
	p.tx_limit = PORT_LIMIT_NONE;
	CHECK_INT(port_table_put(&r.ports, &p), 0);
	engine_replan_all(r.o);
	CHECK_INT(verdict_of(&r, &f), PLAN_OFFLOADED);
	odp_flow_destroy(&f);
	rig_down(&r);
}

TEST(groups_are_shared_and_counted)
{
	struct rig r;
	struct odp_flow a, b;
	struct fp_usage u;

	rig_up(&r, 16, 4);
	fixture_flow(&a, IP4, "2,3", 1);
	fixture_flow(&b,
		     "recirc_id(0),in_port(1)," ETH ",eth_type(0x86dd),"
		     "ipv6(frag=no)",
		     "3,2", 2);
	engine_mirror_cb(r.o, MIRROR_ADD, NULL, &a);
	engine_mirror_cb(r.o, MIRROR_ADD, NULL, &b);
	CHECK_INT(verdict_of(&r, &a), PLAN_OFFLOADED);
	CHECK_INT(verdict_of(&r, &b), PLAN_OFFLOADED);
	fp_table_usage(r.t, &u);
	CHECK_INT(u.groups, 1);
	CHECK_INT(u.flows, 2);
	CHECK_INT(u.masks, 1); /* the same fields are matched: one mask */
	CHECK_INT(fp_mem_group_size(r.b, 0), 2);
	odp_flow_destroy(&a);
	odp_flow_destroy(&b);
	rig_down(&r);
}
