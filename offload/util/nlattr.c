/* Netlink attribute streams without a socket library (see include/nlattr.h). */
#include "nlattr.h"

#include <errno.h>

bool attr_stream_valid(const void *data, size_t len)
{
	const struct nlattr *a;
	size_t left;

	attr_for_each(a, data, len, left);
	return left == 0;
}

const struct nlattr *attr_find(const void *data, size_t len, int type)
{
	const struct nlattr *a;
	size_t left;

	attr_for_each(a, data, len, left) if (attr_type(a) == type) return a;
	return NULL;
}

int attr_parse(const struct nlattr **tb, int max_type, const void *data,
	       size_t len, const struct attr_policy *policy, int *bad_type)
{
	const struct nlattr *a;
	size_t left;

	memset(tb, 0, sizeof(*tb) * (size_t)(max_type + 1));
	attr_for_each(a, data, len, left)
	{
		int type = attr_type(a);
		size_t n = attr_len(a);

		if (type > max_type)
			continue;
		if (policy && policy[type].checked &&
		    (n < policy[type].min_len || n > policy[type].max_len)) {
			if (bad_type)
				*bad_type = type;
			return -EINVAL;
		}
		tb[type] = a;
	}
	if (left) {
		if (bad_type)
			*bad_type = -1;
		return -EINVAL;
	}
	return 0;
}

int attr_put(struct buf *b, int type, const void *data, size_t len)
{
	size_t total = NLA_HDRLEN + len;
	struct nlattr *a;

	if (total > UINT16_MAX)
		return -EMSGSIZE;
	a = buf_put_zeros(b, NLA_ALIGN(total));
	if (!a)
		return -ENOMEM;
	a->nla_len = (uint16_t)total;
	a->nla_type = (uint16_t)type;
	if (len)
		memcpy((uint8_t *)a + NLA_HDRLEN, data, len);
	return 0;
}

int attr_put_u8(struct buf *b, int type, uint8_t v)
{
	return attr_put(b, type, &v, sizeof v);
}

int attr_put_u16(struct buf *b, int type, uint16_t v)
{
	return attr_put(b, type, &v, sizeof v);
}

int attr_put_u32(struct buf *b, int type, uint32_t v)
{
	return attr_put(b, type, &v, sizeof v);
}

int attr_put_u64(struct buf *b, int type, uint64_t v)
{
	return attr_put(b, type, &v, sizeof v);
}

int attr_put_flag(struct buf *b, int type)
{
	return attr_put(b, type, NULL, 0);
}

long attr_nest_start(struct buf *b, int type)
{
	size_t offset = b->len;
	int err = attr_put(b, type, NULL, 0);

	return err ? err : (long)offset;
}

int attr_nest_end(struct buf *b, long offset)
{
	struct nlattr *a = (struct nlattr *)(b->data + offset);
	size_t len = b->len - (size_t)offset;

	if (len > UINT16_MAX)
		return -EMSGSIZE;
	a->nla_len = (uint16_t)len;
	return 0;
}
