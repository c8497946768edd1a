/* The XDP program's pipeline on this machine's kernel, through
 * bpf_prog_test_run_opts(): loading, ports, heartbeat, keepalive, the
 * exact-match cache and the tuple-space search, and the counters that
 * show which of them answered. */
#include <sched.h>
#include <stdio.h>
#include <time.h>

#include "xdp-test.h"

static void udp_frame(struct pkt *p, uint32_t src)
{
	pkt_eth(p, mac_b, mac_a);
	pkt_ipv4(p, src, IP_B);
	pkt_udp(p, 1000, 2000);
	pkt_payload(p, 18);
	pkt_finish(p);
}

static struct ovsx_key udp_key(uint32_t src)
{
	struct ovsx_key k = key_eth(mac_b, mac_a, ETH_P_IP);

	k.nw_src[0] = htonl(src);
	k.nw_dst[0] = htonl(IP_B);
	k.nw_proto = IPPROTO_UDP;
	k.nw_ttl = 64;
	k.tp_src = htons(1000);
	k.tp_dst = htons(2000);
	return k;
}

static uint64_t ctr(enum ovsx_counter c)
{
	return fixture_counter(fx_instance, c);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

TEST(loads_and_reports_verifier_work)
{
	uint32_t n;

	fx();
	n = fixture_verified_insns(fx_instance);
	printf("     verifier: %u instructions processed\n", n);
	CHECK(n < 1000000);
}

TEST(unknown_ingress_device_passes_and_counts)
{
	struct pkt p;
	uint64_t rx, bytes;

	fx();
	fixture_reset(fx_instance); /* no port at all */
	udp_frame(&p, IP_A);
	rx = ctr(OVSX_CTR_RX_PACKETS);
	bytes = ctr(OVSX_CTR_RX_BYTES);
	EXPECT_PASS(&p, OVSX_CTR_PASS_NO_PORT);
	CHECK_INT(ctr(OVSX_CTR_RX_PACKETS) - rx, 1);
	CHECK_INT(ctr(OVSX_CTR_RX_BYTES) - bytes, p.len);
}

/* bpf_prog_test_run refuses XDP frames shorter than an Ethernet header
 * (EINVAL), so the shortest frame the program can be shown is 14 bytes. */
TEST(bare_ethernet_header_is_keyed_and_misses)
{
	struct pkt p;
	struct ovsx_key want = key_eth(mac_b, mac_a, 0x88b5);

	fx();
	pkt_eth(&p, mac_b, mac_a);
	pkt_ethertype(&p, 0x88b5);
	EXPECT_PASS(&p, OVSX_CTR_PASS_MISS);
	EXPECT_KEY(&p, &want);
}

TEST(miss_passes_unmodified_hit_is_handled)
{
	struct ovsx_key k = udp_key(IP_A), m = mask_all();
	struct ovsx_actions drop = act_out(OVSX_OUT_DROP);
	struct pkt p;

	fx();
	udp_frame(&p, IP_C);
	fixture_add_flow(fx_instance, &k, &m, &drop);
	EXPECT_PASS(&p, OVSX_CTR_PASS_MISS);
	udp_frame(&p, IP_A);
	EXPECT_RUN(&p, XDP_DROP, NULL);
}

TEST(in_port_is_the_datapath_port_of_the_device)
{
	struct ovsx_key want = udp_key(IP_A);
	struct pkt p;

	fx();
	fixture_add_port(fx_instance, FIXTURE_IFINDEX, 61234, 0);
	want.in_port = 61234;
	udp_frame(&p, IP_A);
	EXPECT_KEY(&p, &want);
}

TEST(late_heartbeat_passes_everything)
{
	struct ovsx_key k = udp_key(IP_A), m = mask_all();
	struct ovsx_actions drop = act_out(OVSX_OUT_DROP);
	volatile struct ovsx_config *cfg;
	struct pkt p;

	fx();
	cfg = fixture_config(fx_instance);
	udp_frame(&p, IP_A);
	fixture_add_flow(fx_instance, &k, &m, &drop);
	cfg->heartbeat_deadline_ns = now_ns() + 3600000000000ull;
	EXPECT_RUN(&p, XDP_DROP, NULL);
	cfg->heartbeat_deadline_ns = 1;
	EXPECT_PASS(&p, OVSX_CTR_PASS_HEARTBEAT);
	cfg->heartbeat_deadline_ns = 0; /* no heartbeat */
	EXPECT_RUN(&p, XDP_DROP, NULL);
}

TEST(keepalive_passes_one_frame_per_period)
{
	struct ovsx_key k = udp_key(IP_A), m = mask_all();
	struct ovsx_actions tx = act_out(OVSX_OUT_TX);
	volatile struct ovsx_config *cfg;
	struct ovsx_flow_stats fs;
	struct pkt p;
	int slot;

	fx();
	cfg = fixture_config(fx_instance);
	udp_frame(&p, IP_A);
	slot = fixture_add_flow(fx_instance, &k, &m, &tx);
	cfg->keepalive_ns = 3600000000000ull;
	/* Last passed a period and a second ago (the program's clock is the
	 * coarse one, a tick behind; the arithmetic is modulo 2^64). */
	fixture_keepalive(fx_instance, (uint32_t)slot,
			  now_ns() - 3601000000000ull);
	EXPECT_PASS(&p, OVSX_CTR_PASS_KEEPALIVE);
	/* Then not again within the period. */
	EXPECT_RUN(&p, XDP_TX, &p);
	EXPECT_RUN(&p, XDP_TX, &p);
	fixture_keepalive(fx_instance, (uint32_t)slot,
			  now_ns() - 3601000000000ull);
	EXPECT_PASS(&p, OVSX_CTR_PASS_KEEPALIVE);
	fixture_flow_stats(fx_instance, (uint32_t)slot, &fs);
	CHECK_INT(fs.packets, 2); /* the kernel counts the other two */
	cfg->keepalive_ns = 0;
	fixture_keepalive(fx_instance, (uint32_t)slot, 0);
	EXPECT_RUN(&p, XDP_TX, &p);
}

TEST(exact_match_cache_answers_repeats)
{
	struct ovsx_key k = udp_key(IP_A), m = mask_all();
	struct ovsx_actions tx = act_out(OVSX_OUT_TX);
	uint64_t hits, probes;
	struct pkt p;

	fx();
	udp_frame(&p, IP_A);
	fixture_add_flow(fx_instance, &k, &m, &tx);
	hits = ctr(OVSX_CTR_EMC_HITS);
	probes = ctr(OVSX_CTR_MASK_PROBES);
	EXPECT_RUN(&p, XDP_TX, &p);
	CHECK_INT(ctr(OVSX_CTR_EMC_HITS) - hits, 0);
	CHECK_INT(ctr(OVSX_CTR_MASK_PROBES) - probes, 1);
	EXPECT_RUN(&p, XDP_TX, &p);
	EXPECT_RUN(&p, XDP_TX, &p);
	CHECK_INT(ctr(OVSX_CTR_EMC_HITS) - hits, 2);
	CHECK_INT(ctr(OVSX_CTR_MASK_PROBES) - probes, 1);
	/* Any table change bumps the generation: the entry is stale. */
	__atomic_add_fetch(&fixture_config(fx_instance)->generation, 1,
			   __ATOMIC_RELEASE);
	EXPECT_RUN(&p, XDP_TX, &p);
	CHECK_INT(ctr(OVSX_CTR_EMC_HITS) - hits, 2);
	CHECK_INT(ctr(OVSX_CTR_MASK_PROBES) - probes, 2);
	EXPECT_RUN(&p, XDP_TX, &p);
	CHECK_INT(ctr(OVSX_CTR_EMC_HITS) - hits, 3);
}

/* 1000 flows sent round-robin: with one way per set a fifth of them
 * shared a set with another and evicted each other on every frame (75%
 * hits); two ways keep nearly all of them. */
TEST(exact_match_cache_keeps_a_thousand_flows)
{
	struct ovsx_key m = mask_all();
	struct ovsx_actions tx = act_out(OVSX_OUT_TX);
	const uint32_t n = 1000;
	uint64_t hits;
	cpu_set_t one, saved;
	struct pkt p;

	fx();
	/* The cache is per CPU: run every frame on the same one. */
	CHECK_INT(sched_getaffinity(0, sizeof(saved), &saved), 0);
	CPU_ZERO(&one);
	CPU_SET(sched_getcpu(), &one);
	CHECK_INT(sched_setaffinity(0, sizeof(one), &one), 0);
	for (uint32_t i = 0; i < n; i++) {
		struct ovsx_key k = udp_key(IP_A + i);

		CHECK(fixture_add_flow(fx_instance, &k, &m, &tx) >= 0);
	}
	for (uint32_t i = 0; i < n; i++) { /* fills the cache */
		udp_frame(&p, IP_A + i);
		EXPECT_RUN(&p, XDP_TX, &p);
	}
	hits = ctr(OVSX_CTR_EMC_HITS);
	for (uint32_t i = 0; i < n; i++) {
		udp_frame(&p, IP_A + i);
		EXPECT_RUN(&p, XDP_TX, &p);
	}
	hits = ctr(OVSX_CTR_EMC_HITS) - hits;
	printf("     %llu of %u frames answered by the cache\n",
	       (unsigned long long)hits, n);
	CHECK(hits >= n * 97 / 100);
	CHECK_INT(sched_setaffinity(0, sizeof(saved), &saved), 0);
}

TEST(replaced_flow_is_not_served_from_the_cache)
{
	struct ovsx_key k = udp_key(IP_A), m = mask_all();
	struct ovsx_actions tx = act_out(OVSX_OUT_TX);
	struct ovsx_actions drop = act_out(OVSX_OUT_DROP);
	struct pkt p;

	fx();
	udp_frame(&p, IP_A);
	fixture_add_flow(fx_instance, &k, &m, &tx);
	EXPECT_RUN(&p, XDP_TX, &p);
	EXPECT_RUN(&p, XDP_TX, &p); /* now cached */
	/* Same megaflow, new slot: flows[] points there, generation+1. */
	fixture_add_flow(fx_instance, &k, &m, &drop);
	EXPECT_RUN(&p, XDP_DROP, NULL);
	EXPECT_RUN(&p, XDP_DROP, NULL);
}

TEST(sixty_four_masks_probed_in_order)
{
	struct ovsx_actions tx = act_out(OVSX_OUT_TX);
	struct ovsx_key k = udp_key(IP_A);
	uint64_t probes, hits;
	struct pkt p;

	fx();
	/* 64 distinct masks: source prefixes /1../32, then /32 with
	 * destination prefixes /1../32; all but the last flow are for
	 * another port. */
	for (int i = 0; i < 64; i++) {
		struct ovsx_key m = mask_none(), key = k;
		int slot;

		m.in_port = 0xffffffff;
		m.nw_src[0] = htonl(i < 32 ? ~0u << (31 - i) : ~0u);
		if (i >= 32)
			m.nw_dst[0] = htonl(~0u << (63 - i));
		key.in_port = i == 63 ? IN_PORT : 99;
		slot = fixture_add_flow(fx_instance, &key, &m, &tx);
		CHECK_INT(slot, i);
	}
	CHECK_INT(fixture_config(fx_instance)->n_masks, 64);
	udp_frame(&p, IP_A);
	probes = ctr(OVSX_CTR_MASK_PROBES);
	hits = ctr(OVSX_CTR_EMC_HITS);
	EXPECT_RUN(&p, XDP_TX, &p);
	CHECK_INT(ctr(OVSX_CTR_MASK_PROBES) - probes, 64);
	EXPECT_RUN(&p, XDP_TX, &p);
	CHECK_INT(ctr(OVSX_CTR_MASK_PROBES) - probes, 64);
	CHECK_INT(ctr(OVSX_CTR_EMC_HITS) - hits, 1);

	/* A frame of no flow probes all 64 and passes. */
	udp_frame(&p, IP_C);
	EXPECT_PASS(&p, OVSX_CTR_PASS_MISS);
	CHECK_INT(ctr(OVSX_CTR_MASK_PROBES) - probes, 128);
}

TEST(inactive_masks_and_n_masks_bounds)
{
	struct ovsx_actions tx = act_out(OVSX_OUT_TX);
	struct ovsx_key k = udp_key(IP_A), m = mask_all(), m2 = mask_all();
	volatile struct ovsx_config *cfg;
	uint64_t probes;
	struct pkt p;

	fx();
	cfg = fixture_config(fx_instance);
	udp_frame(&p, IP_A);
	m2.nw_tos = 0; /* a second, distinct mask */
	fixture_add_flow(fx_instance, &k, &m, &tx);  /* mask 0 */
	fixture_add_flow(fx_instance, &k, &m2, &tx); /* mask 1 */
	/* n_masks short of the only matching mask: a miss. */
	cfg->n_masks = 0;
	__atomic_add_fetch(&cfg->generation, 1, __ATOMIC_RELEASE);
	EXPECT_PASS(&p, OVSX_CTR_PASS_MISS);
	/* n_masks beyond the map and beyond the loop bound: the search
	 * stops at the end of masks[]. */
	cfg->n_masks = 100000;
	probes = ctr(OVSX_CTR_MASK_PROBES);
	EXPECT_RUN(&p, XDP_TX, &p);
	CHECK_INT(ctr(OVSX_CTR_MASK_PROBES) - probes, 1);
	udp_frame(&p, IP_C);
	EXPECT_PASS(&p, OVSX_CTR_PASS_MISS);
	CHECK_INT(ctr(OVSX_CTR_MASK_PROBES) - probes, 3);

	/* Inactive masks (freed by the reset) are not probed. */
	fixture_reset(fx_instance);
	fixture_add_port(fx_instance, FIXTURE_IFINDEX, IN_PORT, 0);
	cfg->n_masks = 2;
	probes = ctr(OVSX_CTR_MASK_PROBES);
	EXPECT_PASS(&p, OVSX_CTR_PASS_MISS);
	CHECK_INT(ctr(OVSX_CTR_MASK_PROBES) - probes, 0);
}

/* TCP SYN, FIN and RST go to the kernel even when their flow is offloaded
 * (its statistics carry the flags ovs-vswitchd decides on); the rest of
 * the connection stays in the fast path. */
TEST(tcp_control_frames_go_to_the_kernel)
{
	static const uint16_t control[] = {0x002, 0x012, 0x011, 0x004, 0x014};
	enum {
		N_CONTROL = sizeof control / sizeof control[0]
	};
	struct ovsx_key k = key_eth(mac_b, mac_a, ETH_P_IP), m = mask_all();
	struct ovsx_actions tx = act_out(OVSX_OUT_TX);
	struct pkt p;

	k.nw_src[0] = htonl(IP_A);
	k.nw_dst[0] = htonl(IP_B);
	k.nw_proto = IPPROTO_TCP;
	k.nw_ttl = 64;
	k.tp_src = htons(40000);
	k.tp_dst = htons(80);
	m.tcp_flags = 0; /* as in megaflows: the flags are not matched */
	fx();
	fixture_add_flow(fx_instance, &k, &m, &tx);
	for (int i = 0; i < N_CONTROL + 1; i++) {
		uint16_t flags = i < N_CONTROL ? control[i] : 0x018;

		pkt_eth(&p, mac_b, mac_a);
		pkt_ipv4(&p, IP_A, IP_B);
		pkt_tcp(&p, 40000, 80, flags);
		pkt_payload(&p, 20);
		pkt_finish(&p);
		if (i < N_CONTROL)
			EXPECT_PASS(&p, OVSX_CTR_PASS_TCP_CONTROL);
		else /* PSH|ACK */
			EXPECT_RUN(&p, XDP_TX, &p);
	}
}
