/* The seam between the fast-path table (fp-table.c) and the maps it fills:
 * the BPF maps of a loaded program (fp-backend-bpf.c) or an in-memory
 * model with the same lookup semantics (fp-backend-mem.c), used by unit
 * tests and by the offline planner.  Operations follow the update protocol
 * of include/ovs-xdp-abi.h; each returns 0 or a negative errno. */
#ifndef OVSX_FP_BACKEND_H
#define OVSX_FP_BACKEND_H

#include <stddef.h>
#include <stdint.h>

#include "ovs-xdp-abi.h"

struct fp_backend;

struct fp_backend_ops {
	/* masks[id] = *m (m->active says whether the lookup uses it). */
	int (*set_mask)(struct fp_backend *b, uint32_t id,
			const struct ovsx_mask *m);
	/* config.n_masks: the lookup scans masks[0..n). */
	int (*set_n_masks)(struct fp_backend *b, uint32_t n);
	/* actions[slot] = *a, and the slot's statistics and keepalive
	 * state start from zero. */
	int (*write_slot)(struct fp_backend *b, uint32_t slot,
			  const struct ovsx_actions *a);
	/* flows[*k] = slot, inserting or replacing atomically. */
	int (*put_flow)(struct fp_backend *b, const struct ovsx_flow_key *k,
			uint32_t slot);
	int (*del_flow)(struct fp_backend *b, const struct ovsx_flow_key *k);
	/* group_<id> holds exactly these devices. */
	int (*set_group)(struct fp_backend *b, uint32_t id, const int *ifindex,
			 size_t n);
	/* config.generation++: invalidates every exact-match cache entry. */
	int (*bump_generation)(struct fp_backend *b);
	/* The slot's statistics, summed over CPUs. */
	int (*read_stats)(struct fp_backend *b, uint32_t slot,
			  struct ovsx_flow_stats *sum);
};

struct fp_backend {
	const struct fp_backend_ops *ops;
	uint32_t max_flows; /* slots and flows[] entries */
	uint32_t max_masks;
};

/* The in-memory backend. */
struct fp_backend *fp_mem_create(uint32_t max_flows, uint32_t max_masks);
void fp_mem_destroy(struct fp_backend *b);
/* What the fast path would find for a frame with this key: the slot, or
 * -ENOENT.  The same tuple-space search as the XDP program. */
int fp_mem_lookup(struct fp_backend *b, const struct ovsx_key *key,
		  uint32_t *slot);
/* Inspection for tests. */
const struct ovsx_actions *fp_mem_slot(struct fp_backend *b, uint32_t slot);
size_t fp_mem_n_flows(struct fp_backend *b);
size_t fp_mem_group_size(struct fp_backend *b, uint32_t id);
uint64_t fp_mem_generation(struct fp_backend *b);
/* Adds to a slot's statistics, as traffic would. */
void fp_mem_count(struct fp_backend *b, uint32_t slot, uint64_t packets,
		  uint64_t bytes);

#endif
