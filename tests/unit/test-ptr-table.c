/* The open-addressing hash -> pointer multimap against brute force:
 * colliding hashes, duplicate entries, removals that leave deleted marks
 * in the middle of probe sequences, growth and rebuilds. */
#include <stdlib.h>

#include "ptr-table.h"
#include "test.h"

#define N 2000

static int items[N];
static bool present[N];

/* Few distinct hashes, so that probe sequences are long and shared. */
static uint32_t hash_of(int i)
{
	return (uint32_t)(i % 37) * 2654435761u;
}

static size_t count_with_hash(const struct ptr_table *t, uint32_t h, bool *seen)
{
	struct ptr_table_cursor c;
	size_t n = 0;

	for (int *p = ptr_table_first(t, h, &c); p; p = ptr_table_next(t, &c)) {
		CHECK_INT(hash_of((int)(p - items)), h);
		seen[p - items] = true;
		n++;
	}
	return n;
}

static void check_agrees(const struct ptr_table *t)
{
	static bool seen[N];
	size_t want = 0, got = 0;

	memset(seen, 0, sizeof seen);
	for (uint32_t k = 0; k < 37; k++)
		got += count_with_hash(t, (uint32_t)k * 2654435761u, seen);
	for (int i = 0; i < N; i++) {
		want += present[i];
		if (seen[i] != present[i]) {
			test_fail(__FILE__, __LINE__,
				  "item %d: seen %d, want %d", i, seen[i],
				  present[i]);
			return;
		}
	}
	CHECK_INT(got, want);
	CHECK_INT(ptr_table_count(t), want);
}

TEST(table_agrees_with_brute_force)
{
	struct ptr_table t;
	unsigned seed = 1;

	CHECK_INT(ptr_table_init(&t), 0);
	for (int i = 0; i < N; i++) {
		CHECK_INT(ptr_table_insert(&t, hash_of(i), &items[i]), 0);
		present[i] = true;
	}
	check_agrees(&t);
	for (int round = 0; round < 20; round++) {
		for (int j = 0; j < N / 4; j++) {
			int i = rand_r(&seed) % N;

			if (present[i]) {
				CHECK(ptr_table_remove(&t, hash_of(i),
						       &items[i]));
				present[i] = false;
			} else {
				CHECK(!ptr_table_remove(&t, hash_of(i),
							&items[i]));
				CHECK_INT(ptr_table_insert(&t, hash_of(i),
							   &items[i]),
					  0);
				present[i] = true;
			}
		}
		check_agrees(&t);
	}
	for (int i = 0; i < N; i++)
		if (present[i])
			CHECK(ptr_table_remove(&t, hash_of(i), &items[i]));
	CHECK_INT(ptr_table_count(&t), 0);
	ptr_table_destroy(&t);
}

TEST(same_entry_twice_is_two_entries)
{
	struct ptr_table t;
	struct ptr_table_cursor c;
	int x;

	CHECK_INT(ptr_table_init(&t), 0);
	CHECK_INT(ptr_table_insert(&t, 5, &x), 0);
	CHECK_INT(ptr_table_insert(&t, 5, &x), 0);
	CHECK(ptr_table_first(&t, 5, &c) == &x);
	CHECK(ptr_table_next(&t, &c) == &x);
	CHECK(ptr_table_next(&t, &c) == NULL);
	CHECK(ptr_table_first(&t, 6, &c) == NULL);
	CHECK(ptr_table_remove(&t, 5, &x));
	CHECK(ptr_table_remove(&t, 5, &x));
	CHECK(!ptr_table_remove(&t, 5, &x));
	ptr_table_destroy(&t);
}
