/* The user-space shadow of the fast path's maps: which masks, slots and
 * broadcast groups are in use, allocated from free lists, and every flow
 * change applied to a backend (fp-backend.h) in the order of the ABI's
 * update protocol, so that a packet sees a flow's old or new entry, never
 * half of one.
 *
 * Freed slots, masks and groups wait out a quarantine before reuse: a frame
 * being processed while its entry is removed may still read them.
 *
 * Neighbours: the offload engine (engine/engine.c) calls this with the plans of
 * planner.c; the CLI reads usage and per-flow statistics through it. */
#ifndef OVSX_FP_TABLE_H
#define OVSX_FP_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fp-backend.h"
#include "planner.h"

/* A flow's place in the fast path, embedded in the caller's flow record. */
struct fp_entry {
	bool installed;
	uint32_t mask_id;
	uint32_t slot;
	int group; /* -1: none */
	/* Statistics of slots the flow had before its last modification. */
	uint64_t carry_packets, carry_bytes;
};

struct fp_usage {
	uint32_t flows, max_flows;
	uint32_t masks, max_masks;
	uint32_t groups, max_groups;
	uint32_t quarantined; /* slots waiting to be reusable */
};

struct fp_table;

/* Returns NULL (errno) on failure.  quarantine_ms: how long freed
 * resources wait before reuse. */
struct fp_table *fp_table_create(struct fp_backend *b, uint64_t quarantine_ms);
void fp_table_destroy(struct fp_table *t);

/* Puts p's match and actions in the fast path for entry e (a new entry
 * must be zeroed with group -1; an installed one is replaced in place, and
 * p's match must be the one it was installed with: the entry does not keep
 * a copy of the key, which its owner already holds).
 * Returns 0; -ENOSPC when a table is full (detail says which; e is
 * unchanged); another negative errno if the backend failed (e unchanged, or
 * for a replacement the old entry still installed). */
int fp_table_install(struct fp_table *t, struct fp_entry *e,
		     const struct plan *p, uint64_t now_ms, char *detail,
		     size_t n);
/* Takes e, installed with the masked key 'key', out of the fast path
 * (no-op if not installed). */
void fp_table_remove(struct fp_table *t, struct fp_entry *e,
		     const struct ovsx_key *key, uint64_t now_ms);
/* Makes quarantined resources reusable once their time has come. */
void fp_table_expire(struct fp_table *t, uint64_t now_ms);
/* Packets and bytes the fast path handled for e, over all its slots. */
int fp_table_flow_stats(struct fp_table *t, const struct fp_entry *e,
			struct ovsx_flow_stats *out);
void fp_table_usage(const struct fp_table *t, struct fp_usage *u);

#endif
