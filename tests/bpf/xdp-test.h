/* Helpers shared by the BPF tier's test files: one fixture per binary,
 * reset before each test with the ingress port in place, and the checks
 * that recur (a frame's parsed key, a verdict with its output bytes, a
 * frame passed unmodified for a given reason). */
#ifndef OVSX_XDP_TEST_H
#define OVSX_XDP_TEST_H

#include <arpa/inet.h>
#include <errno.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/openvswitch.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "pkt-build.h"
#include "test.h"
#include "xdp-fixture.h"

#define IN_PORT 5 /* datapath port number of the ingress device */
#define OUT_MAX 4096

static const uint8_t mac_a[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0a};
static const uint8_t mac_b[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x0b};
static const uint8_t mac_c[6] = {0x0e, 0x11, 0x22, 0x33, 0x44, 0x55};
#define IP_A 0x0a000001 /* 10.0.0.1 */
#define IP_B 0x0a000002
#define IP_C 0xc0a80107 /* 192.168.1.7 */
static const uint8_t ip6_a[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
				  0,	0,    0,    0,	  0, 0, 0, 1};
static const uint8_t ip6_b[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0,
				  0,	0,    0,    0,	  0, 0, 0, 2};
static const uint8_t ip6_c[16] = {0xfe, 0x80, 0, 0, 0, 0,    0,	   0,
				  0x10, 0x20, 0, 0, 0, 0x30, 0x40, 0x50};

static struct xdp_fixture *fx_instance;

/* The fixture, reset, with the ingress device as port IN_PORT. */
static inline struct xdp_fixture *fx(void)
{
	if (!fx_instance)
		fx_instance = fixture_open();
	fixture_reset(fx_instance);
	fixture_add_port(fx_instance, FIXTURE_IFINDEX, IN_PORT, 0);
	return fx_instance;
}

static inline struct ovsx_key key_eth(const uint8_t *dst, const uint8_t *src,
				      uint16_t type)
{
	struct ovsx_key k;

	memset(&k, 0, sizeof(k));
	k.in_port = IN_PORT;
	memcpy(k.eth_dst, dst, 6);
	memcpy(k.eth_src, src, 6);
	k.eth_type = htons(type);
	return k;
}

static inline struct ovsx_key mask_all(void)
{
	struct ovsx_key m;

	memset(&m, 0xff, sizeof(m));
	return m;
}

static inline struct ovsx_key mask_none(void)
{
	struct ovsx_key m;

	memset(&m, 0, sizeof(m));
	return m;
}

static inline struct ovsx_actions act_out(uint8_t kind)
{
	struct ovsx_actions a;

	memset(&a, 0, sizeof(a));
	a.out_kind = kind;
	a.max_frame_len = UINT32_MAX;
	return a;
}

static inline void expect_key_(const char *file, int line, const struct pkt *p,
			       const struct ovsx_key *want)
{
	struct ovsx_key got;
	int err = fixture_parse(fx_instance, p->b, p->len, &got);

	if (err) {
		test_fail(file, line, "frame not keyed: %s", strerror(-err));
		return;
	}
	if (key_diff(&got, want))
		test_fail(file, line, "parsed key differs");
}
#define EXPECT_KEY(p, want) expect_key_(__FILE__, __LINE__, (p), (want))

/* Runs the frame; checks the verdict, and the output bytes when 'want'
 * is given.  Returns whether all was as expected. */
static inline bool expect_run_(const char *file, int line, const struct pkt *p,
			       int verdict, const struct pkt *want)
{
	uint8_t out[OUT_MAX];
	uint32_t out_len = sizeof(out);
	int got = fixture_run(fx_instance, p->b, p->len, out, &out_len);

	if (got != verdict) {
		test_fail(file, line, "verdict %d, want %d", got, verdict);
		return false;
	}
	if (!want)
		return true;
	if (out_len != want->len) {
		test_fail(file, line, "output %u bytes, want %zu", out_len,
			  want->len);
		return false;
	}
	for (size_t i = 0; i < want->len; i++) {
		if (out[i] == want->b[i])
			continue;
		test_fail(file, line,
			  "output byte %zu is %02x, want %02x (of %zu)", i,
			  out[i], want->b[i], want->len);
		return false;
	}
	return true;
}
#define EXPECT_RUN(p, verdict, want) \
	expect_run_(__FILE__, __LINE__, (p), (verdict), (want))

/* XDP_PASS with the frame untouched, counted under 'reason'. */
static inline void expect_pass_(const char *file, int line, const struct pkt *p,
				enum ovsx_counter reason)
{
	uint64_t n = fixture_counter(fx_instance, reason);
	uint64_t all = fixture_counter(fx_instance, OVSX_CTR_PASS_PACKETS);

	expect_run_(file, line, p, XDP_PASS, p);
	if (fixture_counter(fx_instance, reason) != n + 1)
		test_fail(file, line, "pass not counted under counter %d",
			  (int)reason);
	if (fixture_counter(fx_instance, OVSX_CTR_PASS_PACKETS) != all + 1)
		test_fail(file, line, "PASS_PACKETS not counted");
}
#define EXPECT_PASS(p, reason) expect_pass_(__FILE__, __LINE__, (p), (reason))

/* With a catch-all flow: the parser gives up on the frame. */
static inline void expect_unparsed_(const char *file, int line,
				    const struct pkt *p)
{
	struct ovsx_key zero;
	struct ovsx_actions drop = act_out(OVSX_OUT_DROP);

	memset(&zero, 0, sizeof(zero));
	fixture_add_flow(fx_instance, &zero, &zero, &drop);
	expect_pass_(file, line, p, OVSX_CTR_PASS_UNPARSED);
}
#define EXPECT_UNPARSED(p) expect_unparsed_(__FILE__, __LINE__, (p))

#endif
