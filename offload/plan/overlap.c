/* An index of megaflow matches for overlap searches (see
 * include/overlap.h). */
#include "overlap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "hash.h"
#include "list.h"
#include "ptr-table.h"

#define PORT_ANY UINT32_MAX

/* A group's keys projected on 'common' (a subset of its mask). */
struct projection {
	struct list node;
	struct ovsx_key common;
	struct ptr_table index; /* overlap_nodes by hash of key & common */
};

struct overlap_group {
	struct hmap_node node; /* in port_set.groups, by hash of mask */
	struct ovsx_key mask;
	struct hmap by_key; /* overlap_node.by_key, by hash of key */
	struct list projections;
	struct port_set *set;
};

struct port_set {
	struct hmap_node node; /* in overlap_index.ports */
	uint32_t in_port;      /* or PORT_ANY */
	struct hmap groups;
};

struct overlap_index {
	struct hmap ports;
};

static uint32_t key_hash(const struct ovsx_key *k)
{
	return hash_bytes(k, sizeof *k, 0);
}

static void key_and(struct ovsx_key *out, const struct ovsx_key *a,
		    const struct ovsx_key *b)
{
	const uint32_t *x = (const uint32_t *)a, *y = (const uint32_t *)b;
	uint32_t *o = (uint32_t *)out;

	for (size_t i = 0; i < sizeof *out / 4; i++)
		o[i] = x[i] & y[i];
}

static bool key_eq(const struct ovsx_key *a, const struct ovsx_key *b)
{
	return !memcmp(a, b, sizeof *a);
}

struct overlap_index *overlap_create(void)
{
	struct overlap_index *x = calloc(1, sizeof *x);

	if (x && hmap_init(&x->ports)) {
		free(x);
		x = NULL;
	}
	return x;
}

static void projection_free(struct projection *p)
{
	ptr_table_destroy(&p->index);
	free(p);
}

static void group_free(struct overlap_group *g)
{
	struct list *pos, *nxt;

	list_for_each_safe(pos, nxt, &g->projections)
		projection_free(CONTAINER_OF(pos, struct projection, node));
	hmap_destroy(&g->by_key);
	free(g);
}

void overlap_destroy(struct overlap_index *x)
{
	struct hmap_node *pn, *pnext, *gn, *gnext;

	if (!x)
		return;
	hmap_for_each_safe(pn, pnext, &x->ports) {
		struct port_set *s = CONTAINER_OF(pn, struct port_set, node);

		hmap_for_each_safe(gn, gnext, &s->groups)
			group_free(
				CONTAINER_OF(gn, struct overlap_group, node));
		hmap_destroy(&s->groups);
		free(s);
	}
	hmap_destroy(&x->ports);
	free(x);
}

static uint32_t port_of(const struct ovsx_key *key, const struct ovsx_key *mask)
{
	return mask->in_port == UINT32_MAX ? key->in_port : PORT_ANY;
}

static struct port_set *port_set(struct overlap_index *x, uint32_t port,
				 bool create)
{
	uint32_t h = hash_bytes(&port, sizeof port, 1);
	struct hmap_node *node;
	struct port_set *s;

	for (node = hmap_first_with_hash(&x->ports, h); node;
	     node = hmap_next_with_hash(node)) {
		s = CONTAINER_OF(node, struct port_set, node);
		if (s->in_port == port)
			return s;
	}
	if (!create)
		return NULL;
	s = calloc(1, sizeof *s);
	if (!s || hmap_init(&s->groups)) {
		free(s);
		return NULL;
	}
	s->in_port = port;
	hmap_insert(&x->ports, &s->node, h);
	return s;
}

static struct overlap_group *group_of(struct port_set *s,
				      const struct ovsx_key *mask, bool create)
{
	uint32_t h = key_hash(mask);
	struct hmap_node *node;
	struct overlap_group *g;

	for (node = hmap_first_with_hash(&s->groups, h); node;
	     node = hmap_next_with_hash(node)) {
		g = CONTAINER_OF(node, struct overlap_group, node);
		if (key_eq(&g->mask, mask))
			return g;
	}
	if (!create)
		return NULL;
	g = calloc(1, sizeof *g);
	if (!g || hmap_init(&g->by_key)) {
		free(g);
		return NULL;
	}
	g->mask = *mask;
	g->set = s;
	list_init(&g->projections);
	hmap_insert(&s->groups, &g->node, h);
	return g;
}

static uint32_t proj_hash(const struct projection *p,
			  const struct ovsx_key *key)
{
	struct ovsx_key k;

	key_and(&k, key, &p->common);
	return key_hash(&k);
}

static int proj_add(struct projection *p, struct overlap_node *n)
{
	return ptr_table_insert(&p->index, proj_hash(p, n->key), n);
}

static void proj_del(struct projection *p, struct overlap_node *n)
{
	ptr_table_remove(&p->index, proj_hash(p, n->key), n);
}

/* The group's projection on 'common', built on first use. */
static struct projection *projection(struct overlap_group *g,
				     const struct ovsx_key *common)
{
	struct list *pos, *nxt;
	struct hmap_node *node;
	struct projection *p;

	list_for_each_safe(pos, nxt, &g->projections)
	{
		p = CONTAINER_OF(pos, struct projection, node);
		if (key_eq(&p->common, common))
			return p;
	}
	p = calloc(1, sizeof *p);
	if (!p || ptr_table_init(&p->index)) {
		free(p);
		return NULL;
	}
	p->common = *common;
	hmap_for_each(node, &g->by_key) {
		if (proj_add(p,
			     CONTAINER_OF(node, struct overlap_node, by_key))) {
			projection_free(p);
			return NULL;
		}
	}
	list_insert(&g->projections, &p->node);
	return p;
}

int overlap_insert(struct overlap_index *x, struct overlap_node *n,
		   const struct ovsx_key *key, const struct ovsx_key *mask)
{
	struct port_set *s = port_set(x, port_of(key, mask), true);
	struct overlap_group *g = s ? group_of(s, mask, true) : NULL;
	struct list *pos, *nxt;

	n->group = NULL;
	n->key = key;
	if (!g)
		return -ENOMEM;
	list_for_each_safe(pos, nxt, &g->projections)
	{
		struct projection *p =
			CONTAINER_OF(pos, struct projection, node);

		if (proj_add(p, n)) {
			/* Drop the projection rather than leave it short. */
			list_remove(&p->node);
			projection_free(p);
		}
	}
	hmap_insert(&g->by_key, &n->by_key, key_hash(key));
	n->group = g;
	return 0;
}

const struct ovsx_key *overlap_mask(const struct overlap_node *n)
{
	return n->group ? &n->group->mask : NULL;
}

void overlap_remove(struct overlap_index *x, struct overlap_node *n)
{
	struct overlap_group *g = n->group;
	struct list *pos, *nxt;

	if (!g)
		return;
	list_for_each_safe(pos, nxt, &g->projections)
		proj_del(CONTAINER_OF(pos, struct projection, node), n);
	hmap_remove(&g->by_key, &n->by_key);
	n->group = NULL;
	if (!hmap_count(&g->by_key)) {
		struct port_set *s = g->set;

		hmap_remove(&s->groups, &g->node);
		group_free(g);
		if (!hmap_count(&s->groups)) {
			hmap_remove(&x->ports, &s->node);
			hmap_destroy(&s->groups);
			free(s);
		}
	}
}

struct search {
	const struct plan_match *m;
	const struct overlap_node *self;
	bool (*fn)(struct overlap_node *n, void *aux);
	void *aux;
};

/* Does node n of group g overlap the searched match?  (Indexed nodes are
 * first-pass, and their mask is the group's.) */
static bool overlaps(const struct search *s, const struct overlap_node *n,
		     const struct overlap_group *g)
{
	return plan_keys_overlap(&s->m->key, &s->m->mask, n->key, &g->mask);
}

/* Calls s->fn on n if it is not s->self and overlaps the searched match;
 * true if fn said to stop. */
static bool visit(struct search *s, struct overlap_node *n,
		  const struct overlap_group *g)
{
	return n != s->self && overlaps(s, n, g) && s->fn(n, s->aux);
}

/* The nodes of group g that overlap s->m. */
static struct overlap_node *search_group(struct overlap_group *g,
					 struct search *s)
{
	struct ovsx_key common, k;
	struct ptr_table_cursor c;
	struct hmap_node *node;
	struct overlap_node *n;
	struct projection *p;

	key_and(&common, &s->m->mask, &g->mask);
	key_and(&k, &s->m->key, &common);
	if (key_eq(&common, &g->mask)) {
		/* The group's own keys decide. */
		for (node = hmap_first_with_hash(&g->by_key, key_hash(&k));
		     node; node = hmap_next_with_hash(node)) {
			n = CONTAINER_OF(node, struct overlap_node, by_key);
			if (visit(s, n, g))
				return n;
		}
		return NULL;
	}
	p = projection(g, &common);
	if (p) {
		for (n = ptr_table_first(&p->index, key_hash(&k), &c); n;
		     n = ptr_table_next(&p->index, &c))
			if (visit(s, n, g))
				return n;
		return NULL;
	}
	/* No memory for the projection: compare one by one. */
	hmap_for_each(node, &g->by_key) {
		n = CONTAINER_OF(node, struct overlap_node, by_key);
		if (visit(s, n, g))
			return n;
	}
	return NULL;
}

static struct overlap_node *search_set(struct port_set *ps, struct search *s)
{
	struct hmap_node *node;

	if (!ps)
		return NULL;
	hmap_for_each(node, &ps->groups) {
		struct overlap_node *n = search_group(
			CONTAINER_OF(node, struct overlap_group, node), s);

		if (n)
			return n;
	}
	return NULL;
}

struct overlap_node *
overlap_search(struct overlap_index *x, const struct plan_match *m,
	       const struct overlap_node *self,
	       bool (*fn)(struct overlap_node *n, void *aux), void *aux)
{
	struct search s = {m, self, fn, aux};
	uint32_t port = port_of(&m->key, &m->mask);
	struct hmap_node *node;
	struct overlap_node *n;

	if (!m->first_pass)
		return NULL;
	/* An exact in_port meets its own set and the wildcard one; a
	 * wildcarded in_port meets every set. */
	if (port != PORT_ANY) {
		n = search_set(port_set(x, port, false), &s);
		return n ? n : search_set(port_set(x, PORT_ANY, false), &s);
	}
	hmap_for_each(node, &x->ports) {
		n = search_set(CONTAINER_OF(node, struct port_set, node), &s);
		if (n)
			return n;
	}
	return NULL;
}
