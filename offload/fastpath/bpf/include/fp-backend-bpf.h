/* The fast-path backend that writes the maps of a loaded XDP program. */
#ifndef OVSX_FP_BACKEND_BPF_H
#define OVSX_FP_BACKEND_BPF_H

#include "fp-backend.h"
#include "ovs-xdp-abi.h"

/* The maps it writes, by fd, and the mmapped config. */
struct fp_bpf_maps {
	int masks, flows, actions, flow_stats, keepalive;
	int groups[OVSX_MAX_GROUPS];
	volatile struct ovsx_config *config;
};

/* Returns NULL with errno on failure. */
struct fp_backend *fp_bpf_create(const struct fp_bpf_maps *maps,
				 uint32_t max_flows, uint32_t max_masks);
void fp_bpf_destroy(struct fp_backend *b);

#endif
