/* The datapath's ports (see include/ports.h). */
#include "ports.h"

#include <errno.h>
#include <stdlib.h>

#include "util.h"

const char *port_limit_text(enum port_limit l)
{
	static const char *const texts[] = {
#define PORT_LIMIT_TEXT(name, text) text,
		PORT_LIMITS(PORT_LIMIT_TEXT)
#undef PORT_LIMIT_TEXT
	};

	return (size_t)l < ARRAY_SIZE(texts) ? texts[l] : "?";
}

static uint32_t hash_u32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	return x ^ (x >> 16);
}

int port_table_init(struct port_table *t)
{
	if (hmap_init(&t->by_no))
		return -ENOMEM;
	if (hmap_init(&t->by_ifindex)) {
		hmap_destroy(&t->by_no);
		return -ENOMEM;
	}
	return 0;
}

void port_table_destroy(struct port_table *t)
{
	struct hmap_node *node, *next;

	hmap_for_each_safe(node, next, &t->by_no)
		free(CONTAINER_OF(node, struct port_info, by_no));
	hmap_destroy(&t->by_no);
	hmap_destroy(&t->by_ifindex);
}

static struct port_info *find(const struct port_table *t, uint32_t port_no)
{
	struct hmap_node *node;

	for (node = hmap_first_with_hash(&t->by_no, hash_u32(port_no)); node;
	     node = hmap_next_with_hash(node)) {
		struct port_info *p =
			CONTAINER_OF(node, struct port_info, by_no);

		if (p->port_no == port_no)
			return p;
	}
	return NULL;
}

int port_table_put(struct port_table *t, const struct port_info *p)
{
	struct port_info *copy = malloc(sizeof *copy);

	if (!copy)
		return -ENOMEM;
	port_table_remove(t, p->port_no);
	*copy = *p;
	hmap_insert(&t->by_no, &copy->by_no, hash_u32(p->port_no));
	if (p->ifindex > 0)
		hmap_insert(&t->by_ifindex, &copy->by_ifindex,
			    hash_u32((uint32_t)p->ifindex));
	return 0;
}

void port_table_remove(struct port_table *t, uint32_t port_no)
{
	struct port_info *p = find(t, port_no);

	if (!p)
		return;
	hmap_remove(&t->by_no, &p->by_no);
	if (p->ifindex > 0)
		hmap_remove(&t->by_ifindex, &p->by_ifindex);
	free(p);
}

const struct port_info *port_table_find(const struct port_table *t,
					uint32_t port_no)
{
	return find(t, port_no);
}

const struct port_info *port_table_find_ifindex(const struct port_table *t,
						int ifindex)
{
	struct hmap_node *node;

	for (node = hmap_first_with_hash(&t->by_ifindex,
					 hash_u32((uint32_t)ifindex));
	     node; node = hmap_next_with_hash(node)) {
		struct port_info *p =
			CONTAINER_OF(node, struct port_info, by_ifindex);

		if (p->ifindex == ifindex)
			return p;
	}
	return NULL;
}

size_t port_table_count(const struct port_table *t)
{
	return hmap_count(&t->by_no);
}
