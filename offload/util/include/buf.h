/* Growable byte buffer.
 *
 * The flow model keeps keys, masks and action lists as the netlink attribute
 * streams the kernel sends, so every stage (decoder, text printer, text
 * parser, mirror) shares one representation.  A buf owns its bytes. */
#ifndef OVSX_BUF_H
#define OVSX_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf {
	uint8_t *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT           \
	{                  \
		NULL, 0, 0 \
	}

/* Frees the bytes; the buf is left empty and reusable. */
void buf_free(struct buf *b);
/* Empties the buf, keeping its allocation. */
static inline void buf_clear(struct buf *b)
{
	b->len = 0;
}
/* Makes room for n more bytes.  Returns 0 or -ENOMEM. */
int buf_reserve(struct buf *b, size_t n);
/* Appends n zeroed bytes, returns a pointer to them or NULL (-ENOMEM). */
void *buf_put_zeros(struct buf *b, size_t n);
/* Appends n bytes copied from p.  Returns 0 or -ENOMEM. */
int buf_put(struct buf *b, const void *p, size_t n);
/* Replaces the contents of dst with a copy of n bytes at p. */
int buf_set(struct buf *dst, const void *p, size_t n);
/* True if both hold the same bytes. */
bool buf_equal(const struct buf *a, const struct buf *b);

#endif
