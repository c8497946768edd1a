/* libFuzzer target for the decoders of untrusted attribute streams:
 * flow_match_decode() (key + mask) and odp_actions_decode().
 *
 * Input layout: u16 key length, u16 mask length (little-endian), one flag
 * byte (bit 0: the flow has a MASK), then the key, the mask and the actions
 * (the rest).  Lengths are clamped to what remains.  Each stream is copied
 * into an allocation of exactly its size, so the sanitizer catches any read
 * past its end, and every decoded SET value/mask is read back to prove the
 * borrowed pointers are in bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flow-actions.h"
#include "flow-key.h"

#define HDR_LEN 5

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Points b at an exact-size copy of n bytes (NULL when empty). */
static bool copy_stream(struct buf *b, const uint8_t *p, size_t n)
{
	b->data = NULL;
	b->len = b->cap = n;
	if (!n)
		return true;
	b->data = malloc(n);
	if (!b->data)
		return false;
	memcpy(b->data, p, n);
	return true;
}

static size_t take(size_t want, size_t *left)
{
	size_t n = want < *left ? want : *left;

	*left -= n;
	return n;
}

/* Touches every byte the decoded list points into. */
static unsigned walk_actions(const struct odp_actions *acts)
{
	unsigned sum = 0;

	if (!acts)
		return 0;
	for (size_t i = 0; i < acts->n; i++) {
		const struct odp_action *a = &acts->a[i];
		const uint8_t *v = a->u.set.value, *m = a->u.set.mask;

		switch (a->type) {
		case OVS_ACTION_ATTR_SET:
		case OVS_ACTION_ATTR_SET_MASKED:
			for (size_t j = 0; j < a->u.set.len; j++)
				sum += v[j] + (m ? m[j] : 0);
			break;
		case OVS_ACTION_ATTR_SAMPLE:
			sum += walk_actions(a->u.sample.actions);
			break;
		case OVS_ACTION_ATTR_CHECK_PKT_LEN:
			sum += walk_actions(a->u.check_pkt_len.greater);
			sum += walk_actions(a->u.check_pkt_len.less_equal);
			break;
		case OVS_ACTION_ATTR_CLONE:
		case OVS_ACTION_ATTR_DEC_TTL:
			sum += walk_actions(a->u.nested);
			break;
		}
	}
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct odp_actions *acts;
	struct flow_match m;
	struct odp_flow f;
	size_t left, klen, mlen;
	volatile unsigned sink;

	if (size < HDR_LEN)
		return 0;
	odp_flow_init(&f);
	left = size - HDR_LEN;
	klen = take(data[0] | (size_t)data[1] << 8, &left);
	mlen = take(data[2] | (size_t)data[3] << 8, &left);
	f.has_key = true;
	f.has_mask = data[4] & 1;
	data += HDR_LEN;
	if (copy_stream(&f.key, data, klen) &&
	    copy_stream(&f.mask, data + klen, mlen) &&
	    copy_stream(&f.actions, data + klen + mlen, left)) {
		flow_match_decode(&f, &m);
		/* The reason is always a terminated string. */
		sink = (unsigned)strlen(m.reason);
		acts = odp_actions_decode(f.actions.data, f.actions.len);
		sink = walk_actions(acts);
		odp_actions_free(acts);
		(void)sink;
	}
	odp_flow_destroy(&f);
	return 0;
}
