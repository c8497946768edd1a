/* The overlap index against brute force: random matches over a few
 * ports and masks (exact and wildcarded in_port, nested and crossing
 * masks, matches that never see a first-pass frame); every search must
 * find exactly the overlapping ones, through inserts and removals. */
#include <stdlib.h>
#include <string.h>

#include "overlap.h"
#include "test.h"

#define N 400

struct rec {
	struct overlap_node node;
	struct plan_match m;
	bool in;
};

static struct rec recs[N];

static void random_match(struct plan_match *m, unsigned seed)
{
	static const uint32_t prefixes[] = {0, 0xff000000, 0xffff0000,
					    0xffffff00, 0xffffffff};
	uint32_t dst_mask = prefixes[rand_r(&seed) % 5];

	memset(m, 0, sizeof *m);
	m->first_pass = rand_r(&seed) % 8 != 0;
	if (rand_r(&seed) % 6) {
		m->mask.in_port = UINT32_MAX;
		m->key.in_port = (uint32_t)(rand_r(&seed) % 3);
	}
	m->mask.eth_type = 0xffff;
	m->key.eth_type = rand_r(&seed) % 4 ? 0x0008 : 0xdd86;
	m->mask.nw_dst[0] = dst_mask;
	m->key.nw_dst[0] = (uint32_t)rand_r(&seed) % 4 * 0x01010101u & dst_mask;
	if (rand_r(&seed) % 2) {
		m->mask.tp_dst = 0xffff;
		m->key.tp_dst = (uint16_t)(rand_r(&seed) % 3);
	}
}

struct found {
	bool hit[N];
};

static bool mark(struct overlap_node *n, void *aux)
{
	struct found *f = aux;

	f->hit[(struct rec *)(void *)n - recs] = true;
	return false;
}

static void check_all(struct overlap_index *x)
{
	for (int i = 0; i < N; i++) {
		struct found f;

		memset(&f, 0, sizeof f);
		overlap_search(x, &recs[i].m, &recs[i].node, mark, &f);
		for (int j = 0; j < N; j++) {
			bool want = j != i && recs[j].in &&
				    plan_match_overlap(&recs[i].m, &recs[j].m);

			if (f.hit[j] != want) {
				test_fail(__FILE__, __LINE__,
					  "search %d vs %d: got %d want %d", i,
					  j, f.hit[j], want);
				return;
			}
		}
	}
}

TEST(index_agrees_with_brute_force)
{
	struct overlap_index *x = overlap_create();

	CHECK(x != NULL);
	for (int i = 0; i < N; i++) {
		random_match(&recs[i].m, (unsigned)i * 2654435761u);
		if (recs[i].m.first_pass) {
			CHECK_INT(overlap_insert(x, &recs[i].node,
						 &recs[i].m.key,
						 &recs[i].m.mask),
				  0);
			recs[i].in = true;
		}
	}
	check_all(x);
	/* Remove every third, search again (projections built by the first
	 * searches must follow). */
	for (int i = 0; i < N; i += 3) {
		overlap_remove(x, &recs[i].node);
		recs[i].in = false;
	}
	check_all(x);
	for (int i = 0; i < N; i += 3) {
		if (recs[i].m.first_pass) {
			CHECK_INT(overlap_insert(x, &recs[i].node,
						 &recs[i].m.key,
						 &recs[i].m.mask),
				  0);
			recs[i].in = true;
		}
	}
	check_all(x);
	for (int i = 0; i < N; i++)
		overlap_remove(x, &recs[i].node);
	overlap_destroy(x);
}

TEST(index_keeps_one_mask_per_group)
{
	struct overlap_index *x = overlap_create();
	struct rec a, b;

	CHECK(x != NULL);
	memset(&a, 0, sizeof a);
	random_match(&a.m, 7);
	a.m.first_pass = true;
	b = a;
	b.m.key.nw_dst[0] ^= a.m.mask.nw_dst[0];
	CHECK(overlap_mask(&a.node) == NULL);
	CHECK_INT(overlap_insert(x, &a.node, &a.m.key, &a.m.mask), 0);
	CHECK_INT(overlap_insert(x, &b.node, &b.m.key, &b.m.mask), 0);
	/* The index's own copy, the same for both. */
	CHECK(overlap_mask(&a.node) != &a.m.mask);
	CHECK(overlap_mask(&a.node) == overlap_mask(&b.node));
	CHECK(!memcmp(overlap_mask(&a.node), &a.m.mask, sizeof a.m.mask));
	overlap_remove(x, &a.node);
	CHECK(overlap_mask(&a.node) == NULL);
	CHECK(!memcmp(overlap_mask(&b.node), &b.m.mask, sizeof b.m.mask));
	overlap_remove(x, &b.node);
	overlap_destroy(x);
}
