/* Netlink attribute streams without a socket library.
 *
 * Flow keys, masks and action lists are sequences of struct nlattr.  The
 * decoder, the text printer and the text parser walk and build them here, so
 * they work on bytes from the kernel, from a text file or from a fuzzer alike,
 * with every length checked.  (libnl is used only for sockets: see ovs-nl.c.) */
#ifndef OVSX_NLATTR_H
#define OVSX_NLATTR_H

#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"

static inline int attr_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}

static inline const void *attr_data(const struct nlattr *a)
{
	return (const uint8_t *)a + NLA_HDRLEN;
}

static inline size_t attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

/* True if an attribute header and its whole payload fit in the remaining
 * 'left' bytes. */
static inline bool attr_ok(const struct nlattr *a, size_t left)
{
	return left >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
	       a->nla_len <= left;
}

static inline const struct nlattr *attr_next(const struct nlattr *a,
					     size_t *left)
{
	size_t step = NLA_ALIGN(a->nla_len);

	if (step > *left)
		step = *left;
	*left -= step;
	return (const struct nlattr *)((const uint8_t *)a + step);
}

/* Walks the attributes in [data, data + len).  After the loop 'left' is 0
 * unless the stream ended in a truncated attribute (see attr_stream_valid). */
#define attr_for_each(a, data, len, left)                         \
	for ((left) = (len), (a) = (const struct nlattr *)(data); \
	     attr_ok(a, left); (a) = attr_next(a, &(left)))

#define attr_for_each_nested(a, nest, left) \
	attr_for_each(a, attr_data(nest), attr_len(nest), left)

/* True if [data, data + len) is a well-formed attribute sequence. */
bool attr_stream_valid(const void *data, size_t len);

/* Returns the first attribute of 'type' in the stream, or NULL. */
const struct nlattr *attr_find(const void *data, size_t len, int type);

static inline uint32_t attr_get_u32(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, attr_data(a), sizeof v);
	return v;
}

static inline uint16_t attr_get_u16(const struct nlattr *a)
{
	uint16_t v;

	memcpy(&v, attr_data(a), sizeof v);
	return v;
}

static inline uint64_t attr_get_u64(const struct nlattr *a)
{
	uint64_t v;

	memcpy(&v, attr_data(a), sizeof v);
	return v;
}

/* Policy for attr_parse(): accepted payload length range per type.  Types
 * the policy does not mention are not checked; unknown types are ignored. */
struct attr_policy {
	uint16_t min_len;
	uint16_t max_len;
	bool checked;
};

#define ATTR_LEN(min, max)         \
	{                          \
		(min), (max), true \
	}
#define ATTR_EXACT(n) ATTR_LEN(n, n)
#define ATTR_MIN(n)   ATTR_LEN(n, UINT16_MAX)
#define ATTR_FLAG     ATTR_EXACT(0)

/* Fills tb[0..max_type] with the last attribute of each type in the stream
 * (NULL if absent), checking lengths against policy (which has max_type + 1
 * entries, or is NULL for no checks).  Returns 0, or -EINVAL if the stream is
 * truncated or an attribute's length is outside its policy; *bad_type then
 * holds that type (or -1 for truncation) when bad_type is non-NULL. */
int attr_parse(const struct nlattr **tb, int max_type, const void *data,
	       size_t len, const struct attr_policy *policy, int *bad_type);

/* Builders.  Each returns 0 or -ENOMEM. */
int attr_put(struct buf *b, int type, const void *data, size_t len);
int attr_put_u8(struct buf *b, int type, uint8_t v);
int attr_put_u16(struct buf *b, int type, uint16_t v);
int attr_put_u32(struct buf *b, int type, uint32_t v);
int attr_put_u64(struct buf *b, int type, uint64_t v);
int attr_put_flag(struct buf *b, int type);
/* Opens a nested attribute; returns its offset in b for attr_nest_end(), or
 * a negative errno. */
long attr_nest_start(struct buf *b, int type);
/* Closes it: returns 0, or -EMSGSIZE if the nest outgrew 64 KiB. */
int attr_nest_end(struct buf *b, long offset);

#endif
