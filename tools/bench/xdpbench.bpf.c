/* The benchmark's own XDP programs, around the device under test:
 *   bench_gen       run by BPF_PROG_RUN with live frames: writes the header
 *                   of the next flow into the frame and sends it (XDP_TX);
 *   bench_sink      counts and drops what reaches the far side;
 *   bench_redirect  the bare redirect (devmap, no parsing, no lookup): the
 *                   limit a forwarding XDP program can reach on this path.
 * bench-flows.c builds the headers; BENCH_HDR_LEN is its header length. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define HDR_LEN 42 /* bench-flows.h: BENCH_HDR_LEN */

struct bench_hdr {
	__u8 b[48]; /* HDR_LEN used */
};

/* Resized to the number of flows before load. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bench_hdr);
} gen_hdrs SEC(".maps");

/* The next flow, per CPU: each generator thread walks all the flows. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} gen_next SEC(".maps");

const volatile __u32 gen_n_flows = 1;

SEC("xdp")
int bench_gen(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	const struct bench_hdr *h;
	__u32 zero = 0, *next, j;

	if (data + HDR_LEN > end)
		return XDP_ABORTED;
	next = bpf_map_lookup_elem(&gen_next, &zero);
	if (!next)
		return XDP_ABORTED;
	j = *next;
	*next = j + 1 >= gen_n_flows ? 0 : j + 1;
	h = bpf_map_lookup_elem(&gen_hdrs, &j);
	if (!h)
		return XDP_ABORTED;
	/* Live-frame pages are recycled with whatever the last trip left in
	 * them (a rewrite on the way, the previous flow): write the whole
	 * header every time. */
	__builtin_memcpy(data, h->b, HDR_LEN);
	return XDP_TX;
}

struct sink_count {
	__u64 packets, bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sink_count);
} sink_counts SEC(".maps");

SEC("xdp")
int bench_sink(struct xdp_md *ctx)
{
	struct sink_count *c;
	__u32 zero = 0;

	c = bpf_map_lookup_elem(&sink_counts, &zero);
	if (c) {
		c->packets++;
		c->bytes += ctx->data_end - ctx->data;
	}
	return XDP_DROP;
}

/* Entry 0: the egress device. */
struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} redirect_port SEC(".maps");

SEC("xdp")
int bench_redirect(struct xdp_md *ctx)
{
	(void)ctx;
	return bpf_redirect_map(&redirect_port, 0, 0);
}

char LICENSE[] SEC("license") = "GPL";
