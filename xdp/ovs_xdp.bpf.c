/* The ovs-xdp fast path, attached to every accelerated Open vSwitch port.
 *
 * Per frame (see include/ovs-xdp-abi.h): port -> heartbeat -> parse ->
 * lookup -> keepalive -> preconditions -> rewrite and output.  Whatever the
 * program is not certain about leaves through XDP_PASS unmodified, to be
 * handled by openvswitch.ko exactly as without this program. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "ovs-xdp-abi.h"
#include "maps.h"
#include "stats.h"
#include "parse.h"
#include "port.h"
#include "lookup.h"
#include "actions.h"

/* Never read by the program: user space finds it in the .rodata map of an
 * attached program (offload/fastpath/bpf/fastpath.c). */
__attribute__((used)) const volatile __u8 ovsx_prog_tag[OVSX_PROG_TAG_LEN] =
	OVSX_PROG_TAG;

#define TCP_CONTROL_FLAGS 0x007 /* FIN, SYN, RST */

/* What the stages share about the frame at hand. */
struct pkt {
	struct ovsx_counters *ctr;    /* this CPU's; NULL: count nothing */
	const struct ovsx_port *port; /* NULL until known, then &port_val */
	struct ovsx_port port_val;
	const struct ovsx_config *cfg;
	__u32 len; /* as received */
	__u64 now; /* CLOCK_MONOTONIC, once read; 0 until then */
};

/* The coarse clock (the last tick's time): a flow's "used", the heartbeat
 * and the keepalive period need no better, and bpf_ktime_get_ns() was
 * measured at 25 of the 64 ns of a cache hit. */
static __always_inline __u64 pkt_now(struct pkt *p)
{
	if (!p->now)
		p->now = bpf_ktime_get_coarse_ns();
	return p->now;
}

static __always_inline int pass(const struct pkt *p, __u32 reason)
{
	count(p->ctr, reason, 1);
	count(p->ctr, OVSX_CTR_PASS_PACKETS, 1);
	if (p->port)
		count_port(p->port, true, p->len);
	return XDP_PASS;
}

/* The agent stopped refreshing its deadline: its tables may be stale. */
static __always_inline bool heartbeat_late(struct pkt *p)
{
	__u64 deadline = p->cfg->heartbeat_deadline_ns;

	return deadline && pkt_now(p) > deadline;
}

/* Once per keepalive period a frame of the flow goes to the kernel, which
 * then sees the flow used and keeps it (and its conntrack state) alive. */
static __always_inline bool keepalive_due(struct pkt *p, __u32 slot)
{
	__u64 period = p->cfg->keepalive_ns;
	struct ovsx_keepalive *ka;

	if (!period)
		return false;
	ka = bpf_map_lookup_elem(&keepalive, &slot);
	if (!ka || pkt_now(p) - ka->last_pass_ns < period)
		return false;
	ka->last_pass_ns = p->now;
	return true;
}

static __always_inline __u32 verdict_counter(int verdict, __u8 out_kind)
{
	switch (verdict) {
	case XDP_DROP:
		return OVSX_CTR_DROP;
	case XDP_TX:
		return OVSX_CTR_TX;
	case XDP_REDIRECT:
		return out_kind == OVSX_OUT_GROUP ? OVSX_CTR_BROADCAST
						  : OVSX_CTR_REDIRECT;
	default:
		return OVSX_CTR_ABORTED;
	}
}

SEC("xdp")
int ovs_xdp_main(struct xdp_md *ctx)
{
	struct pkt p = {.len = ctx->data_end - ctx->data};
	__u32 ifindex = ctx->ingress_ifindex, zero = 0, reason;
	const struct ovsx_actions *a;
	struct ovsx_parsed pp;
	int slot, verdict;

	p.ctr = counters_here();
	count(p.ctr, OVSX_CTR_RX_PACKETS, 1);
	count(p.ctr, OVSX_CTR_RX_BYTES, p.len);
	if (!port_of(ifindex, &p.port_val))
		return pass(&p, OVSX_CTR_PASS_NO_PORT);
	p.port = &p.port_val;
	p.cfg = bpf_map_lookup_elem(&config, &zero);
	if (!p.cfg)
		return pass(&p, OVSX_CTR_ABORTED);
	if (heartbeat_late(&p))
		return pass(&p, OVSX_CTR_PASS_HEARTBEAT);

	if (ovsx_parse(ctx, p.port->port_no, &pp))
		return pass(&p, OVSX_CTR_PASS_UNPARSED);

	slot = flow_lookup(&pp.key, p.cfg, p.ctr);
	if (slot < 0)
		return pass(&p, OVSX_CTR_PASS_MISS);
	if (keepalive_due(&p, slot))
		return pass(&p, OVSX_CTR_PASS_KEEPALIVE);
	/* Every SYN, FIN and RST reaches the kernel flow, so the TCP flags
	 * ovs-vswitchd reads from its statistics (learned flows'
	 * fin_timeout, NetFlow) are what they would be without us.  Few
	 * frames, and the kernel handles them as it would anyway. */
	if (pp.key.tcp_flags & bpf_htons(TCP_CONTROL_FLAGS))
		return pass(&p, OVSX_CTR_PASS_TCP_CONTROL);
	a = bpf_map_lookup_elem(&actions, &slot);
	if (!a)
		return pass(&p, OVSX_CTR_PASS_MISS);

	verdict = ovsx_act(ctx, a, &pp, p.port, &reason);
	if (verdict == XDP_PASS)
		return pass(&p, reason);
	count(p.ctr, verdict_counter(verdict, a->out_kind), 1);
	if (verdict == XDP_ABORTED)
		return verdict;
	count_port(p.port, false, p.len);
	count_flow(slot, p.len, pkt_now(&p), pp.key.tcp_flags);
	return verdict;
}

char LICENSE[] SEC("license") = "GPL";
