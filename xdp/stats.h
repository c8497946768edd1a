/* Counting: the per-CPU counters of the ABI, per-port XDP/pass totals and
 * per-flow statistics.  All maps here are per CPU, so plain adds suffice. */
#ifndef OVSX_XDP_STATS_H
#define OVSX_XDP_STATS_H

#include <stdbool.h>

#include "maps.h"

/* This CPU's counter block: looked up once per frame, then passed along. */
static __always_inline struct ovsx_counters *counters_here(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&counters, &zero);
}

static __always_inline void count(struct ovsx_counters *c,
				  enum ovsx_counter idx, __u64 n)
{
	if (c && idx < OVSX_CTR__MAX)
		c->n[idx] += n;
}

/* A port's share: frames it handed to the kernel, or handled here. */
static __always_inline void count_port(const struct ovsx_port *port,
				       bool passed, __u32 len)
{
	__u32 key = port->stats_id;
	struct ovsx_port_stats *s = bpf_map_lookup_elem(&port_stats, &key);

	if (!s)
		return;
	if (passed) {
		s->pass_packets++;
		s->pass_bytes += len;
	} else {
		s->xdp_packets++;
		s->xdp_bytes += len;
	}
}

/* As ovs_flow_stats_update(): the bytes are the frame as it arrived (the
 * kernel adds 4 to skb->len for the outer tag it moved into metadata, which
 * is the frame's length again), and the TCP flags are those of the key. */
static __always_inline void count_flow(__u32 slot, __u32 len, __u64 now,
				       __be16 tcp_flags)
{
	struct ovsx_flow_stats *s = bpf_map_lookup_elem(&flow_stats, &slot);

	if (!s)
		return;
	s->packets++;
	s->bytes += len;
	s->used_ns = now;
	s->tcp_flags |= tcp_flags;
}

#endif
