/* Growable byte buffer (see include/buf.h). */
#include "buf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
}

int buf_reserve(struct buf *b, size_t n)
{
	size_t need = b->len + n;
	size_t cap;
	uint8_t *p;

	if (need < b->len)
		return -ENOMEM;
	if (need <= b->cap)
		return 0;
	/* A first allocation is exact, so copies of flows (the mirror keeps
	 * many) cost no slack; later appends grow geometrically. */
	cap = b->cap ? b->cap : need;
	while (cap < need)
		cap *= 2;
	p = realloc(b->data, cap);
	if (!p)
		return -ENOMEM;
	b->data = p;
	b->cap = cap;
	return 0;
}

void *buf_put_zeros(struct buf *b, size_t n)
{
	void *p;

	/* Even for n == 0 the result must be a usable pointer. */
	if (buf_reserve(b, n ? n : 1))
		return NULL;
	p = b->data + b->len;
	memset(p, 0, n);
	b->len += n;
	return p;
}

int buf_put(struct buf *b, const void *p, size_t n)
{
	void *dst;

	if (!n)
		return 0;
	dst = buf_put_zeros(b, n);
	if (!dst)
		return -ENOMEM;
	memcpy(dst, p, n);
	return 0;
}

int buf_set(struct buf *dst, const void *p, size_t n)
{
	buf_clear(dst);
	return buf_put(dst, p, n);
}

bool buf_equal(const struct buf *a, const struct buf *b)
{
	return a->len == b->len &&
	       (!a->len || !memcmp(a->data, b->data, a->len));
}
