/* Someone else's XDP program that happens to carry the fast path's
 * function name: ovs-xdpd must leave it alone all the same (it recognises
 * its own programs by OVSX_PROG_TAG, not by name). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("xdp")
int ovs_xdp_main(struct xdp_md *ctx)
{
	(void)ctx;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
