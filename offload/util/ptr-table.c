/* Open-addressing multimap of hashes to pointers (see include/ptr-table.h).
 *
 * A removed entry leaves a deleted mark, so that probes for entries placed
 * after it still run on; the table is rebuilt without the marks when used
 * slots (entries and marks) would pass three quarters. */
#include "ptr-table.h"

#include <errno.h>
#include <stdlib.h>

#define INITIAL_SLOTS 8

static char deleted_mark;
#define DELETED ((void *)&deleted_mark)

static int alloc_slots(struct ptr_table *t, uint32_t n)
{
	t->hashes = calloc(n, sizeof *t->hashes);
	t->ptrs = calloc(n, sizeof *t->ptrs);
	if (!t->hashes || !t->ptrs) {
		free(t->hashes);
		free(t->ptrs);
		t->hashes = NULL;
		t->ptrs = NULL;
		return -ENOMEM;
	}
	t->mask = n - 1;
	t->used = 0;
	t->count = 0;
	return 0;
}

int ptr_table_init(struct ptr_table *t)
{
	return alloc_slots(t, INITIAL_SLOTS);
}

void ptr_table_destroy(struct ptr_table *t)
{
	free(t->hashes);
	free(t->ptrs);
	t->hashes = NULL;
	t->ptrs = NULL;
	t->mask = t->used = t->count = 0;
}

/* The entry goes in the first slot of its probe sequence that is free or
 * only marked deleted. */
static void place(struct ptr_table *t, uint32_t hash, void *p)
{
	uint32_t i = hash & t->mask;

	while (t->ptrs[i] && t->ptrs[i] != DELETED)
		i = (i + 1) & t->mask;
	if (!t->ptrs[i])
		t->used++;
	t->hashes[i] = hash;
	t->ptrs[i] = p;
	t->count++;
}

/* Rebuilds with room for twice the entries, without deleted marks. */
static int rebuild(struct ptr_table *t)
{
	struct ptr_table old = *t;
	uint32_t n = INITIAL_SLOTS;

	while (n < 2 * (old.count + 1))
		n *= 2;
	if (alloc_slots(t, n)) {
		*t = old;
		return -ENOMEM;
	}
	for (uint32_t i = 0; i <= old.mask; i++)
		if (old.ptrs[i] && old.ptrs[i] != DELETED)
			place(t, old.hashes[i], old.ptrs[i]);
	free(old.hashes);
	free(old.ptrs);
	return 0;
}

int ptr_table_insert(struct ptr_table *t, uint32_t hash, void *p)
{
	if (4 * ((uint64_t)t->used + 1) > 3 * ((uint64_t)t->mask + 1) &&
	    rebuild(t))
		return -ENOMEM;
	place(t, hash, p);
	return 0;
}

bool ptr_table_remove(struct ptr_table *t, uint32_t hash, const void *p)
{
	for (uint32_t i = hash & t->mask; t->ptrs[i]; i = (i + 1) & t->mask) {
		if (t->ptrs[i] == p && t->hashes[i] == hash) {
			t->ptrs[i] = DELETED;
			t->count--;
			return true;
		}
	}
	return false;
}

/* From slot c->slot on: the next entry with c->hash, or NULL at the end of
 * the probe sequence. */
static void *scan(const struct ptr_table *t, struct ptr_table_cursor *c)
{
	for (; t->ptrs[c->slot]; c->slot = (c->slot + 1) & t->mask) {
		void *p = t->ptrs[c->slot];

		if (p != DELETED && t->hashes[c->slot] == c->hash)
			return p;
	}
	return NULL;
}

void *ptr_table_first(const struct ptr_table *t, uint32_t hash,
		      struct ptr_table_cursor *c)
{
	c->hash = hash;
	c->slot = hash & t->mask;
	return scan(t, c);
}

void *ptr_table_next(const struct ptr_table *t, struct ptr_table_cursor *c)
{
	c->slot = (c->slot + 1) & t->mask;
	return scan(t, c);
}
