/* The megaflow as the kernel datapath reports it (see include/flow.h). */
#include "flow.h"

#include <errno.h>
#include <string.h>

#include "hash.h"

void odp_flow_init(struct odp_flow *f)
{
	memset(f, 0, sizeof *f);
}

void odp_flow_destroy(struct odp_flow *f)
{
	if (!f)
		return;
	buf_free(&f->key);
	buf_free(&f->mask);
	buf_free(&f->actions);
	odp_flow_init(f);
}

int odp_flow_copy(struct odp_flow *dst, const struct odp_flow *src)
{
	odp_flow_init(dst);
	memcpy(dst->ufid, src->ufid, sizeof dst->ufid);
	dst->ufid_len = src->ufid_len;
	dst->has_key = src->has_key;
	dst->has_mask = src->has_mask;
	dst->has_actions = src->has_actions;
	dst->stats = src->stats;
	if (buf_put(&dst->key, src->key.data, src->key.len) ||
	    buf_put(&dst->mask, src->mask.data, src->mask.len) ||
	    buf_put(&dst->actions, src->actions.data, src->actions.len)) {
		odp_flow_destroy(dst);
		return -ENOMEM;
	}
	return 0;
}

uint32_t odp_flow_id_hash(const struct odp_flow *f)
{
	if (f->ufid_len)
		return hash_bytes(f->ufid, f->ufid_len, 1);
	return hash_bytes(f->key.data, f->key.len, 2);
}

bool odp_flow_id_equal(const struct odp_flow *a, const struct odp_flow *b)
{
	if (a->ufid_len != b->ufid_len)
		return false;
	if (a->ufid_len)
		return !memcmp(a->ufid, b->ufid, a->ufid_len);
	return buf_equal(&a->key, &b->key);
}

bool odp_flow_same_rule(const struct odp_flow *a, const struct odp_flow *b)
{
	return a->has_mask == b->has_mask && a->has_actions == b->has_actions &&
	       buf_equal(&a->key, &b->key) && buf_equal(&a->mask, &b->mask) &&
	       buf_equal(&a->actions, &b->actions);
}
