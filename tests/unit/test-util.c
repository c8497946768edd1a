/* Byte buffers, attribute streams, dynamic strings, the hash map and
 * growable arrays. */
#include <errno.h>
#include <stdlib.h>

#include "ds.h"
#include "hmap.h"
#include "nlattr.h"
#include "test.h"
#include "vec.h"

TEST(attr_build_walk_and_find)
{
	struct buf b = BUF_INIT;
	const struct nlattr *a;
	size_t left;
	int n = 0;
	long nest;

	CHECK_INT(attr_put_u32(&b, 3, 0xdeadbeef), 0);
	CHECK_INT(attr_put_u8(&b, 4, 7), 0); /* padded to 8 bytes */
	nest = attr_nest_start(&b, 5);
	attr_put_u16(&b, 1, 0x1234);
	CHECK_INT(attr_nest_end(&b, nest), 0);
	CHECK_INT(b.len, 8 + 8 + 4 + 8);
	attr_for_each(a, b.data, b.len, left) n++;
	CHECK_INT(n, 3);
	CHECK_INT(left, 0);
	CHECK(attr_stream_valid(b.data, b.len));
	a = attr_find(b.data, b.len, 5);
	CHECK(a != NULL);
	CHECK_INT(attr_get_u16(attr_find(attr_data(a), attr_len(a), 1)),
		  0x1234);
	CHECK(attr_find(b.data, b.len, 9) == NULL);

	/* A length running past the end is not a valid stream. */
	CHECK(!attr_stream_valid(b.data, b.len - 1));
	((struct nlattr *)b.data)->nla_len = 2; /* shorter than a header */
	CHECK(!attr_stream_valid(b.data, b.len));
	buf_free(&b);
}

TEST(attr_parse_policy)
{
	static const struct attr_policy pol[4] = {
		[1] = ATTR_EXACT(4),
		[2] = ATTR_LEN(1, 16),
		[3] = ATTR_FLAG,
	};
	const struct nlattr *tb[4];
	struct buf b = BUF_INIT;
	int bad = 0;

	attr_put_u32(&b, 1, 5);
	attr_put(&b, 2, "abc", 3);
	attr_put_flag(&b, 3);
	attr_put_u64(&b, 9, 1); /* unknown: ignored */
	CHECK_INT(attr_parse(tb, 3, b.data, b.len, pol, &bad), 0);
	CHECK(tb[1] && tb[2] && tb[3] && !tb[0]);

	buf_clear(&b);
	attr_put_u16(&b, 1, 5); /* 2 bytes, policy says 4 */
	CHECK_INT(attr_parse(tb, 3, b.data, b.len, pol, &bad), -EINVAL);
	CHECK_INT(bad, 1);
	buf_clear(&b);
	attr_put_u32(&b, 3, 5); /* a flag with a payload */
	CHECK_INT(attr_parse(tb, 3, b.data, b.len, pol, &bad), -EINVAL);
	CHECK_INT(bad, 3);
	buf_free(&b);
}

TEST(ds_printf_and_chomp)
{
	struct ds s = DS_INIT;

	CHECK_STR(ds_cstr(&s), "");
	ds_put(&s, "in_port(");
	ds_printf(&s, "%d", 2);
	ds_putc(&s, ')');
	ds_put(&s, ",");
	ds_chomp(&s, 1);
	CHECK_STR(ds_cstr(&s), "in_port(2)");
	for (int i = 0; i < 1000; i++)
		ds_put(&s, "xxxxxxxxxx");
	CHECK_INT(s.len, 10 + 10000);
	CHECK(!s.oom);
	ds_free(&s);
}

struct item {
	struct hmap_node node;
	int key;
};

TEST(hmap_insert_find_remove)
{
	struct hmap h;
	struct hmap_node *node, *next;
	struct item *items = calloc(1000, sizeof *items);
	int count = 0;

	CHECK_INT(hmap_init(&h), 0);
	for (int i = 0; i < 1000; i++) {
		items[i].key = i;
		/* Colliding hashes on purpose: chains must still work. */
		hmap_insert(&h, &items[i].node, (uint32_t)(i % 97));
	}
	CHECK_INT(hmap_count(&h), 1000);
	for (node = hmap_first_with_hash(&h, 5); node;
	     node = hmap_next_with_hash(node))
		count++;
	CHECK_INT(count, 11); /* 5, 102, ..., 975 */
	hmap_for_each_safe(node, next, &h)
		if (CONTAINER_OF(node, struct item, node)->key % 2)
			hmap_remove(&h, node);
	CHECK_INT(hmap_count(&h), 500);
	count = 0;
	hmap_for_each(node, &h)
		count++;
	CHECK_INT(count, 500);
	hmap_destroy(&h);
	free(items);
}

TEST(vec_grow_doubles_and_keeps_elements)
{
	uint32_t *v = NULL, *p;
	size_t n = 0, cap = 0;

	for (uint32_t i = 0; i < 1000; i++) {
		p = vec_grow(v, &cap, n, sizeof *v);
		CHECK(p != NULL);
		if (!p)
			break;
		v = p;
		v[n++] = i;
	}
	CHECK_INT(cap, 1024); /* 16, 32, ... */
	for (uint32_t i = 0; i < n; i++)
		CHECK_INT(v[i], i);
	/* Room left: the same array back, capacity unchanged. */
	CHECK(vec_grow(v, &cap, 999, sizeof *v) == v);
	CHECK_INT(cap, 1024);
	/* A size that cannot be had: NULL, capacity untouched. */
	cap = SIZE_MAX / 2;
	CHECK(vec_grow(v, &cap, SIZE_MAX / 2, 4) == NULL);
	CHECK_INT(cap == SIZE_MAX / 2, 1);
	free(v);
}
