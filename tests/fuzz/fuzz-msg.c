/* libFuzzer target: openvswitch generic-netlink messages as the kernel (or
 * anyone able to send on the socket) might deliver them. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ovs-msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ovs_vport_info vp;
	struct ovs_dp_info dp;
	struct ovs_msg_hdr hdr;
	struct odp_flow f;
	void *copy;

	/* A private, suitably aligned copy: the sanitizer then sees every
	 * read past the end. */
	copy = malloc(size ? size : 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	odp_flow_init(&f);
	ovs_msg_parse_hdr(copy, size, &hdr, NULL);
	ovs_msg_parse_dp(copy, size, &dp, NULL);
	ovs_msg_parse_vport(copy, size, &vp, NULL);
	ovs_msg_parse_flow(copy, size, &f, NULL);
	odp_flow_destroy(&f);
	free(copy);
	return 0;
}
