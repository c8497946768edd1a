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
 * Neighbours: the offload engine (offload.c) indexes every mirrored flow
 * that can match a first-pass frame (plan_match.first_pass). */
#ifndef OVSX_OVERLAP_H
#define OVSX_OVERLAP_H

#include <stdbool.h>

#include "hmap.h"
#include "planner.h"

struct overlap_group;

/* Embedded in the caller's record; 'match' must stay valid and unchanged
 * while the node is indexed. */
struct overlap_node {
	struct hmap_node by_key;
	struct overlap_group *group; /* NULL: not indexed */
	const struct plan_match *match;
};

struct overlap_index;

struct overlap_index *overlap_create(void);
void overlap_destroy(struct overlap_index *x);
/* Returns 0 or -ENOMEM (then not indexed). */
int overlap_insert(struct overlap_index *x, struct overlap_node *n,
		   const struct plan_match *m);
void overlap_remove(struct overlap_index *x, struct overlap_node *n);

/* Calls fn for every indexed node other than 'self' whose match overlaps
 * m, until fn returns true; returns that node, or NULL.  fn must not
 * change the index. */
struct overlap_node *
overlap_search(struct overlap_index *x, const struct plan_match *m,
	       const struct overlap_node *self,
	       bool (*fn)(struct overlap_node *n, void *aux), void *aux);

#endif
