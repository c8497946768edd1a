/* Intrusive chained hash map (see include/hmap.h). */
#include "hmap.h"

#include <errno.h>
#include <stdlib.h>

#define HMAP_INITIAL_BUCKETS 64

int hmap_init(struct hmap *h)
{
	h->buckets = calloc(HMAP_INITIAL_BUCKETS, sizeof *h->buckets);
	h->mask = HMAP_INITIAL_BUCKETS - 1;
	h->count = 0;
	return h->buckets ? 0 : -ENOMEM;
}

void hmap_destroy(struct hmap *h)
{
	free(h->buckets);
	h->buckets = NULL;
	h->mask = 0;
	h->count = 0;
}

static void hmap_grow(struct hmap *h)
{
	size_t n = (h->mask + 1) * 2;
	struct hmap_node **b = calloc(n, sizeof *b);

	if (!b)
		return;
	for (size_t i = 0; i <= h->mask; i++) {
		struct hmap_node *node = h->buckets[i], *next;

		for (; node; node = next) {
			next = node->next;
			node->next = b[node->hash & (n - 1)];
			b[node->hash & (n - 1)] = node;
		}
	}
	free(h->buckets);
	h->buckets = b;
	h->mask = n - 1;
}

void hmap_insert(struct hmap *h, struct hmap_node *node, uint32_t hash)
{
	struct hmap_node **bucket;

	node->hash = hash;
	bucket = &h->buckets[hash & h->mask];
	node->next = *bucket;
	*bucket = node;
	if (++h->count > (h->mask + 1) * 2)
		hmap_grow(h);
}

void hmap_remove(struct hmap *h, struct hmap_node *node)
{
	struct hmap_node **p = &h->buckets[node->hash & h->mask];

	while (*p && *p != node)
		p = &(*p)->next;
	if (*p) {
		*p = node->next;
		h->count--;
	}
}

struct hmap_node *hmap_first_with_hash(const struct hmap *h, uint32_t hash)
{
	struct hmap_node *node = h->buckets[hash & h->mask];

	while (node && node->hash != hash)
		node = node->next;
	return node;
}

struct hmap_node *hmap_next_with_hash(const struct hmap_node *node)
{
	uint32_t hash = node->hash;

	for (node = node->next; node && node->hash != hash; node = node->next)
		;
	return (struct hmap_node *)node;
}

static struct hmap_node *first_from(const struct hmap *h, size_t i)
{
	for (; i <= h->mask; i++)
		if (h->buckets[i])
			return h->buckets[i];
	return NULL;
}

struct hmap_node *hmap_first(const struct hmap *h)
{
	return h->buckets ? first_from(h, 0) : NULL;
}

struct hmap_node *hmap_next(const struct hmap *h, const struct hmap_node *node)
{
	if (node->next)
		return node->next;
	return first_from(h, (node->hash & h->mask) + 1);
}
