/* The benchmarks' synthetic workload (see bench-flows.h). */
#include "bench-flows.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#define SRC_BASE   0x0a010080u /* 10.1.0.128 */
#define DST_BASE   0x0a020080u /* 10.2.0.128 */
#define SPORT_BASE 1024
#define FRAME_TTL  64

void bench_workload_init(struct bench_workload *w)
{
	memset(w, 0, sizeof *w);
	w->n_flows = 1;
	w->n_masks = 1;
	w->in_port = 1;
	w->out_port = 2;
}

int bench_workload_check(const struct bench_workload *w, char *err,
			 size_t errlen)
{
	uint32_t per_mask;

	if (!w->n_masks || w->n_masks > BENCH_MAX_MASKS) {
		snprintf(err, errlen, "masks must be 1..%d", BENCH_MAX_MASKS);
		return -EINVAL;
	}
	if (w->n_flows < w->n_masks || w->n_flows > BENCH_MAX_FLOWS) {
		snprintf(err, errlen,
			 "flows must be %u..%u (at least one "
			 "per mask)",
			 w->n_masks, BENCH_MAX_FLOWS);
		return -EINVAL;
	}
	per_mask = (w->n_flows + w->n_masks - 1) / w->n_masks;
	if (per_mask > BENCH_MAX_PER_MASK) {
		snprintf(err, errlen, "at most %u flows per mask",
			 BENCH_MAX_PER_MASK);
		return -EINVAL;
	}
	if (w->kernel_pct > 100) {
		snprintf(err, errlen, "kernel-pct must be 0..100");
		return -EINVAL;
	}
	return 0;
}

static uint32_t prefix_mask(uint32_t len)
{
	return len >= 32 ? 0xffffffffu : ~(0xffffffffu >> len);
}

void bench_flow_get(const struct bench_workload *w, uint32_t j,
		    struct bench_flow *f)
{
	uint64_t p = w->kernel_pct;

	f->mask = j % w->n_masks;
	f->index = j / w->n_masks;
	f->kernel = (j + 1) * p / 100 > j * p / 100;
	f->src_prefix = 32 - f->mask % 8;
	f->dst_prefix = 32 - f->mask / 8;
	f->src = SRC_BASE & prefix_mask(f->src_prefix);
	f->dst = DST_BASE & prefix_mask(f->dst_prefix);
	f->sport = (uint16_t)(SPORT_BASE + f->mask);
	f->dport = (uint16_t)(1 + f->index);
}

/* "a.b.c.d" or, as Open vSwitch prints a prefix, "a.b.c.d/m.m.m.m". */
static void format_ip(char *buf, size_t n, uint32_t ip, uint32_t prefix)
{
	uint32_t m = prefix_mask(prefix);
	int len = snprintf(buf, n, "%u.%u.%u.%u", ip >> 24, ip >> 16 & 0xff,
			   ip >> 8 & 0xff, ip & 0xff);

	if (prefix < 32 && len > 0 && (size_t)len < n)
		snprintf(buf + len, n - (size_t)len, "/%u.%u.%u.%u", m >> 24,
			 m >> 16 & 0xff, m >> 8 & 0xff, m & 0xff);
}

int bench_flow_format(const struct bench_workload *w, uint32_t j, char *buf,
		      size_t n)
{
	struct bench_flow f;
	char src[40], dst[40];

	bench_flow_get(w, j, &f);
	format_ip(src, sizeof src, f.src, f.src_prefix);
	format_ip(dst, sizeof dst, f.dst, f.dst_prefix);
	return snprintf(buf, n,
			"recirc_id(0),in_port(%u),eth(),eth_type(0x0800),"
			"ipv4(src=%s,dst=%s,proto=17,frag=no),"
			"udp(src=%u,dst=%u), packets:0, bytes:0, used:never, "
			"actions:%s%u",
			w->in_port, src, dst, f.sport, f.dport,
			f.kernel ? "set(skb_mark(0x1))," : "", w->out_port);
}

static void put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static uint16_t ip_checksum(const uint8_t *h, size_t len)
{
	uint32_t sum = 0;

	for (size_t i = 0; i < len; i += 2)
		sum += (uint32_t)h[i] << 8 | h[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The UDP checksum of a datagram whose payload is all zeros (the
 * generator's frames are zero past the header): the pseudo-header and the
 * UDP header alone.  A real checksum, not none: a port whose peer may send
 * partial sums hands zero-checksum UDP to the kernel (it may be a tunnel
 * whose inner sum is partial). */
static uint16_t udp_checksum(const uint8_t *ip, const uint8_t *udp,
			     uint32_t udp_len)
{
	uint8_t words[20];
	uint16_t c;

	memcpy(words, ip + 12, 8); /* source and destination addresses */
	put16(words + 8, 17);
	put16(words + 10, (uint16_t)udp_len);
	memcpy(words + 12, udp, 8); /* its checksum field still zero */
	c = ip_checksum(words, sizeof words);
	return c ? c : 0xffff;
}

void bench_frame_header(const struct bench_workload *w, uint32_t j,
			const uint8_t src_mac[6], const uint8_t dst_mac[6],
			uint32_t frame_len, uint8_t hdr[BENCH_HDR_LEN])
{
	uint8_t *ip = hdr + 14, *udp = hdr + 34;
	struct bench_flow f;

	bench_flow_get(w, j, &f);
	memset(hdr, 0, BENCH_HDR_LEN);
	memcpy(hdr, dst_mac, 6);
	memcpy(hdr + 6, src_mac, 6);
	put16(hdr + 12, 0x0800);
	ip[0] = 0x45;
	put16(ip + 2, frame_len - 14);
	ip[8] = FRAME_TTL;
	ip[9] = 17;
	/* The frame carries the unmasked base addresses: they hit the flow
	 * whatever its prefix, since their wildcarded bits are clear. */
	put32(ip + 12, f.src);
	put32(ip + 16, f.dst);
	put16(ip + 10, ip_checksum(ip, 20));
	put16(udp, f.sport);
	put16(udp + 2, f.dport);
	put16(udp + 4, frame_len - 34);
	put16(udp + 6, udp_checksum(ip, udp, frame_len - 34));
}
