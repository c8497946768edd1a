/* Intrusive chained hash map (the caller embeds struct hmap_node in its own
 * struct and computes the hash).  Grows to keep chains short; never shrinks
 * below its initial size. */
#ifndef OVSX_HMAP_H
#define OVSX_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_node {
	struct hmap_node *next;
	uint32_t hash;
};

struct hmap {
	struct hmap_node **buckets;
	size_t mask; /* number of buckets - 1 */
	size_t count;
};

#define CONTAINER_OF(ptr, type, member) \
	((type *)(void *)((char *)(ptr)-offsetof(type, member)))

/* Returns 0 or -ENOMEM. */
int hmap_init(struct hmap *h);
/* Frees the bucket array (not the nodes).  Accepts an unused hmap. */
void hmap_destroy(struct hmap *h);
/* Inserts node with 'hash'.  Growing may fail silently (the map stays
 * correct, only slower). */
void hmap_insert(struct hmap *h, struct hmap_node *node, uint32_t hash);
void hmap_remove(struct hmap *h, struct hmap_node *node);
/* First node in the chain of 'hash' (check ->hash and compare keys). */
struct hmap_node *hmap_first_with_hash(const struct hmap *h, uint32_t hash);
struct hmap_node *hmap_next_with_hash(const struct hmap_node *node);
/* Iteration over every node: first, then next. */
struct hmap_node *hmap_first(const struct hmap *h);
struct hmap_node *hmap_next(const struct hmap *h, const struct hmap_node *node);

static inline size_t hmap_count(const struct hmap *h)
{
	return h->count;
}

/* Safe against removal of the current node. */
#define hmap_for_each_safe(node, next, h)                \
	for ((node) = hmap_first(h),                     \
	    (next) = (node) ? hmap_next(h, node) : NULL; \
	     (node);                                     \
	     (node) = (next), (next) = (node) ? hmap_next(h, node) : NULL)

#define hmap_for_each(node, h) \
	for ((node) = hmap_first(h); (node); (node) = hmap_next(h, node))

#endif
