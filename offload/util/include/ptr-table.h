/* A multimap from 32-bit hashes to pointers, by open addressing (linear
 * probing): 12 bytes a slot and no allocation per entry.  For indexes with
 * many small entries, where an hmap would cost a node and an allocation
 * each (the overlap index's projections: several entries per flow).
 *
 * The caller computes the hashes and compares what the pointers point to,
 * as with hmap. */
#ifndef OVSX_PTR_TABLE_H
#define OVSX_PTR_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ptr_table {
	uint32_t *hashes;
	void **ptrs;   /* NULL: never used; else an entry or a deleted mark */
	uint32_t mask; /* slots - 1 */
	uint32_t used; /* slots not NULL (entries and deleted marks) */
	uint32_t count;
};

/* Returns 0 or -ENOMEM. */
int ptr_table_init(struct ptr_table *t);
/* Frees the slots (not what the entries point to).  Accepts an unused
 * table. */
void ptr_table_destroy(struct ptr_table *t);
/* Adds (hash, p); p must not be NULL.  Returns 0 or -ENOMEM (then the
 * table is unchanged). */
int ptr_table_insert(struct ptr_table *t, uint32_t hash, void *p);
/* Removes the entry (hash, p); false if there is none. */
bool ptr_table_remove(struct ptr_table *t, uint32_t hash, const void *p);

static inline size_t ptr_table_count(const struct ptr_table *t)
{
	return t->count;
}

/* The entries with 'hash': p = ptr_table_first(t, hash, &c); p;
 * p = ptr_table_next(t, &c).  The table must not change meanwhile. */
struct ptr_table_cursor {
	uint32_t hash;
	uint32_t slot;
};
void *ptr_table_first(const struct ptr_table *t, uint32_t hash,
		      struct ptr_table_cursor *c);
void *ptr_table_next(const struct ptr_table *t, struct ptr_table_cursor *c);

#endif
