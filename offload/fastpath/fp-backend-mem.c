/* The in-memory fast-path backend (see include/fp-backend.h): the maps as
 * plain arrays and a hash of flows, with the XDP program's lookup, so the
 * table and the planner are tested, and plans made offline, without a
 * kernel. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "fp-backend.h"
#include "hash.h"
#include "hmap.h"

struct mem_flow {
	struct hmap_node node;
	struct ovsx_flow_key key;
	uint32_t slot;
};

struct mem_backend {
	struct fp_backend base;
	struct ovsx_mask *masks;
	uint32_t n_masks;
	struct ovsx_actions *slots;
	struct ovsx_flow_stats *stats;
	struct hmap flows;
	size_t group_size[OVSX_MAX_GROUPS];
	uint64_t generation;
};

static struct mem_backend *mem(struct fp_backend *b)
{
	return CONTAINER_OF(b, struct mem_backend, base);
}

static uint32_t key_hash(const struct ovsx_flow_key *k)
{
	return hash_bytes(k, sizeof *k, 0);
}

static struct mem_flow *find_flow(struct mem_backend *m,
				  const struct ovsx_flow_key *k)
{
	struct hmap_node *node;

	for (node = hmap_first_with_hash(&m->flows, key_hash(k)); node;
	     node = hmap_next_with_hash(node)) {
		struct mem_flow *f = CONTAINER_OF(node, struct mem_flow, node);

		if (!memcmp(&f->key, k, sizeof *k))
			return f;
	}
	return NULL;
}

static int mem_set_mask(struct fp_backend *b, uint32_t id,
			const struct ovsx_mask *m)
{
	if (id >= b->max_masks)
		return -E2BIG;
	mem(b)->masks[id] = *m;
	return 0;
}

static int mem_set_n_masks(struct fp_backend *b, uint32_t n)
{
	if (n > b->max_masks)
		return -E2BIG;
	mem(b)->n_masks = n;
	return 0;
}

static int mem_write_slot(struct fp_backend *b, uint32_t slot,
			  const struct ovsx_actions *a)
{
	if (slot >= b->max_flows)
		return -E2BIG;
	mem(b)->slots[slot] = *a;
	memset(&mem(b)->stats[slot], 0, sizeof mem(b)->stats[slot]);
	return 0;
}

static int mem_put_flow(struct fp_backend *b, const struct ovsx_flow_key *k,
			uint32_t slot)
{
	struct mem_backend *m = mem(b);
	struct mem_flow *f = find_flow(m, k);

	if (!f) {
		if (hmap_count(&m->flows) >= b->max_flows)
			return -E2BIG;
		f = calloc(1, sizeof *f);
		if (!f)
			return -ENOMEM;
		f->key = *k;
		hmap_insert(&m->flows, &f->node, key_hash(k));
	}
	f->slot = slot;
	return 0;
}

static int mem_del_flow(struct fp_backend *b, const struct ovsx_flow_key *k)
{
	struct mem_backend *m = mem(b);
	struct mem_flow *f = find_flow(m, k);

	if (!f)
		return -ENOENT;
	hmap_remove(&m->flows, &f->node);
	free(f);
	return 0;
}

static int mem_set_group(struct fp_backend *b, uint32_t id, const int *ifindex,
			 size_t n)
{
	(void)ifindex;
	if (id >= OVSX_MAX_GROUPS || n > OVSX_MAX_GROUP_PORTS)
		return -E2BIG;
	mem(b)->group_size[id] = n;
	return 0;
}

static int mem_bump_generation(struct fp_backend *b)
{
	mem(b)->generation++;
	return 0;
}

static int mem_read_stats(struct fp_backend *b, uint32_t slot,
			  struct ovsx_flow_stats *sum)
{
	if (slot >= b->max_flows)
		return -E2BIG;
	*sum = mem(b)->stats[slot];
	return 0;
}

static const struct fp_backend_ops mem_ops = {
	.set_mask = mem_set_mask,
	.set_n_masks = mem_set_n_masks,
	.write_slot = mem_write_slot,
	.put_flow = mem_put_flow,
	.del_flow = mem_del_flow,
	.set_group = mem_set_group,
	.bump_generation = mem_bump_generation,
	.read_stats = mem_read_stats,
};

struct fp_backend *fp_mem_create(uint32_t max_flows, uint32_t max_masks)
{
	struct mem_backend *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	m->masks = calloc(max_masks, sizeof *m->masks);
	m->slots = calloc(max_flows, sizeof *m->slots);
	m->stats = calloc(max_flows, sizeof *m->stats);
	if (!m->masks || !m->slots || !m->stats || hmap_init(&m->flows)) {
		free(m->masks);
		free(m->slots);
		free(m->stats);
		free(m);
		return NULL;
	}
	m->base.ops = &mem_ops;
	m->base.max_flows = max_flows;
	m->base.max_masks = max_masks;
	return &m->base;
}

void fp_mem_destroy(struct fp_backend *b)
{
	struct mem_backend *m;
	struct hmap_node *node, *next;

	if (!b)
		return;
	m = mem(b);
	hmap_for_each_safe(node, next, &m->flows)
		free(CONTAINER_OF(node, struct mem_flow, node));
	hmap_destroy(&m->flows);
	free(m->masks);
	free(m->slots);
	free(m->stats);
	free(m);
}

int fp_mem_lookup(struct fp_backend *b, const struct ovsx_key *key,
		  uint32_t *slot)
{
	struct mem_backend *m = mem(b);

	for (uint32_t id = 0; id < m->n_masks; id++) {
		const uint8_t *mb = (const uint8_t *)&m->masks[id].mask;
		const uint8_t *kb = (const uint8_t *)key;
		struct ovsx_flow_key fk = {.mask_id = id};
		uint8_t *fb = (uint8_t *)&fk.key;
		struct mem_flow *f;

		if (!m->masks[id].active)
			continue;
		for (size_t i = 0; i < sizeof *key; i++)
			fb[i] = kb[i] & mb[i];
		f = find_flow(m, &fk);
		if (f) {
			*slot = f->slot;
			return 0;
		}
	}
	return -ENOENT;
}

const struct ovsx_actions *fp_mem_slot(struct fp_backend *b, uint32_t slot)
{
	return slot < b->max_flows ? &mem(b)->slots[slot] : NULL;
}

size_t fp_mem_n_flows(struct fp_backend *b)
{
	return hmap_count(&mem(b)->flows);
}

size_t fp_mem_group_size(struct fp_backend *b, uint32_t id)
{
	return id < OVSX_MAX_GROUPS ? mem(b)->group_size[id] : 0;
}

uint64_t fp_mem_generation(struct fp_backend *b)
{
	return mem(b)->generation;
}

void fp_mem_count(struct fp_backend *b, uint32_t slot, uint64_t packets,
		  uint64_t bytes)
{
	if (slot < b->max_flows) {
		mem(b)->stats[slot].packets += packets;
		mem(b)->stats[slot].bytes += bytes;
	}
}
