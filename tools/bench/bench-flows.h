/* The one definition of the benchmarks' synthetic workload: N megaflows
 * spread over K distinct masks, as `ovs-dpctl dump-flows` prints them, and
 * for each flow the frame header that hits it, so that the flow list and
 * the generator's traffic can never disagree.
 *
 * Flow j (0 <= j < N) has mask m = j % K and index i = j / K in its mask:
 *
 *   recirc_id(0),in_port(IN),eth(),eth_type(0x0800),
 *   ipv4(src=10.1.0.128/(32 - m % 8),dst=10.2.0.128/(32 - m / 8),
 *        proto=17,frag=no),udp(src=1024 + m,dst=1 + i)
 *   actions:OUT   (or set(skb_mark(0x1)),OUT if kernel-only)
 *
 * The K masks differ in their two prefix lengths (8 x 8 = 64 pairs).
 * Flows never overlap: every mask keeps the whole UDP source port, which
 * is the mask's index, and flows of one mask differ in the UDP destination
 * port, which every mask keeps too.  The addresses have their low 7 bits
 * clear, so they are already masked for every prefix from /25 to /32.
 * Kernel-only flows (set(skb_mark) is refused by the planner but run by
 * openvswitch.ko) are spread evenly: flow j is one if
 * floor((j + 1) * P / 100) > floor(j * P / 100).
 *
 * The frame of flow j: IPv4/UDP from 10.1.0.128:(1024 + m) to
 * 10.2.0.128:(1 + i), TTL 64, UDP checksum 0 (none). */
#ifndef OVSX_BENCH_FLOWS_H
#define OVSX_BENCH_FLOWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BENCH_MAX_MASKS	    64
#define BENCH_MAX_PER_MASK  65535 /* UDP destination ports 1..65535 */
#define BENCH_MAX_FLOWS	    (1u << 20)
#define BENCH_HDR_LEN	    42 /* Ethernet + IPv4 + UDP */
#define BENCH_MIN_FRAME_LEN 64
#define BENCH_MAX_FRAME_LEN 1514 /* a 1500-byte MTU, no FCS */

struct bench_workload {
	uint32_t n_flows;
	uint32_t n_masks;
	uint32_t in_port, out_port;
	uint32_t kernel_pct; /* 0..100: flows the planner must refuse */
};

/* One flow of the workload, decoded. */
struct bench_flow {
	uint32_t mask, index;
	bool kernel;
	uint32_t src, dst;		 /* IPv4, host order */
	uint32_t src_prefix, dst_prefix; /* 25..32 */
	uint16_t sport, dport;
};

/* The workload's defaults: one flow, one mask, port 1 to port 2. */
void bench_workload_init(struct bench_workload *w);
/* 0, or -EINVAL with a one-line reason in err. */
int bench_workload_check(const struct bench_workload *w, char *err,
			 size_t errlen);

void bench_flow_get(const struct bench_workload *w, uint32_t j,
		    struct bench_flow *f);
/* The dump-flows line of flow j, without a newline.  Returns the length
 * snprintf would have written. */
int bench_flow_format(const struct bench_workload *w, uint32_t j, char *buf,
		      size_t n);
/* The Ethernet/IPv4/UDP header of a frame of frame_len bytes (no FCS) that
 * hits flow j, IPv4 and UDP checksums included (for a zero payload). */
void bench_frame_header(const struct bench_workload *w, uint32_t j,
			const uint8_t src_mac[6], const uint8_t dst_mac[6],
			uint32_t frame_len, uint8_t hdr[BENCH_HDR_LEN]);

#endif
