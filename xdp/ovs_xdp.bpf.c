/* The ovs-xdp fast path, attached to every accelerated Open vSwitch port.
 *
 * First cut: counts every frame and hands it to the kernel datapath
 * untouched (XDP_PASS).  Flow lookup and actions come with the planner and
 * compiler; whatever this program is not certain about must always leave
 * through XDP_PASS unmodified, as here. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "ovs-xdp-abi.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, OVSX_CTR__MAX);
	__type(key, __u32);
	__type(value, struct ovsx_counter_val);
} counters SEC(".maps");

static __always_inline void count(__u32 idx, __u64 n)
{
	struct ovsx_counter_val *v = bpf_map_lookup_elem(&counters, &idx);

	if (v)
		v->value += n;
}

SEC("xdp")
int ovs_xdp_main(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	count(OVSX_CTR_RX_PACKETS, 1);
	count(OVSX_CTR_RX_BYTES, data_end - data);
	count(OVSX_CTR_PASS_PACKETS, 1);
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
