/* Interned byte strings (see include/shared-bytes.h). */
#include "shared-bytes.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

struct shared {
	struct hmap_node node;
	size_t refs;
	size_t len;
	uint8_t bytes[];
};

int shared_bytes_init(struct shared_bytes *s)
{
	return hmap_init(&s->table);
}

void shared_bytes_destroy(struct shared_bytes *s)
{
	struct hmap_node *node, *next;

	hmap_for_each_safe(node, next, &s->table)
		free(CONTAINER_OF(node, struct shared, node));
	hmap_destroy(&s->table);
}

const uint8_t *shared_bytes_ref(struct shared_bytes *s, const void *p, size_t n)
{
	uint32_t hash = hash_bytes(p, n, 0);
	struct hmap_node *node;
	struct shared *sh;

	for (node = hmap_first_with_hash(&s->table, hash); node;
	     node = hmap_next_with_hash(node)) {
		sh = CONTAINER_OF(node, struct shared, node);
		if (sh->len == n && !memcmp(sh->bytes, p, n)) {
			sh->refs++;
			return sh->bytes;
		}
	}
	sh = malloc(sizeof *sh + n);
	if (!sh)
		return NULL;
	sh->refs = 1;
	sh->len = n;
	memcpy(sh->bytes, p, n);
	hmap_insert(&s->table, &sh->node, hash);
	return sh->bytes;
}

void shared_bytes_unref(struct shared_bytes *s, const uint8_t *bytes)
{
	struct shared *sh = CONTAINER_OF(bytes, struct shared, bytes);

	if (--sh->refs)
		return;
	hmap_remove(&s->table, &sh->node);
	free(sh);
}

size_t shared_bytes_count(const struct shared_bytes *s)
{
	return hmap_count(&s->table);
}
