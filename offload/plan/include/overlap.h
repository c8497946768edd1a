/* An index of megaflow matches (in the fast path's key space) that answers
 * "which indexed matches overlap this one?" without comparing against every
 * flow.
 *
 * Matches are grouped by exact in_port (one more group for a wildcarded
 * in_port), then by mask.  Two matches with the same mask overlap only if
 * their keys are equal, so within a group a hash lookup decides.  Against a
 * group of another mask M, a match with mask m overlaps exactly the flows
 * whose key agrees with its own on C = m & M: each group keeps, lazily and
 * then incrementally, an index of its keys projected on each such C.  A
 * search thus costs a few hash lookups per mask in use, not one comparison
 * per flow.
 *
 * Neighbours: the offload engine (engine/engine.c) indexes every mirrored flow
 * that can match a first-pass frame (plan_match.first_pass). */
#ifndef OVSX_OVERLAP_H
#define OVSX_OVERLAP_H

#include <stdbool.h>

#include "hmap.h"
#include "planner.h"

struct overlap_group;

/* Embedded in the caller's record. */
struct overlap_node {
	struct hmap_node by_key;
	struct overlap_group *group; /* NULL: not indexed */
	const struct ovsx_key *key;  /* the caller's, while indexed */
};

struct overlap_index;

struct overlap_index *overlap_create(void);
void overlap_destroy(struct overlap_index *x);
/* Indexes n under a first-pass match: 'key' (ANDed with 'mask') must stay
 * valid and unchanged while n is indexed; the mask is copied into the
 * index, once per distinct mask.  Returns 0 or -ENOMEM (then not
 * indexed). */
int overlap_insert(struct overlap_index *x, struct overlap_node *n,
		   const struct ovsx_key *key, const struct ovsx_key *mask);
void overlap_remove(struct overlap_index *x, struct overlap_node *n);
/* The mask n is indexed under, or NULL if it is not indexed. */
const struct ovsx_key *overlap_mask(const struct overlap_node *n);

/* Calls fn for every indexed node other than 'self' whose match overlaps
 * m, until fn returns true; returns that node, or NULL.  fn must not
 * change the index. */
struct overlap_node *
overlap_search(struct overlap_index *x, const struct plan_match *m,
	       const struct overlap_node *self,
	       bool (*fn)(struct overlap_node *n, void *aux), void *aux);

#endif
