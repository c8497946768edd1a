/* Value readers the key, tunnel and ct parsers share (see
 * odp-text-private.h): a key/mask attribute pair, a number with an optional
 * mask, a run of hex bytes, a 128-bit label.  Apart from the parsers that
 * use them, so that none of those depends on another for its helpers. */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "odp-text-private.h"

int otx_put_pair(struct otx_parser *ps, struct buf *key, struct buf *mask,
		 int type, const void *k, const void *m, size_t len)
{
	int err = 0;

	if (k)
		err = attr_put(key, type, k, len);
	if (!err && m)
		err = attr_put(mask, type, m, len);
	return err ? otx_fail_errno(ps, ps->p, err) : 0;
}

int otx_num_mask(struct otx_parser *ps, uint64_t max, uint64_t full,
		 uint64_t *v, uint64_t *m)
{
	if (otx_uint(ps, max, v))
		return -EINVAL;
	*m = full;
	if (otx_lit(ps, "/"))
		return otx_uint(ps, max, m);
	return 0;
}

int otx_spaced_hex(struct otx_parser *ps, struct buf *out)
{
	const char *start = ps->p;

	while (isxdigit((unsigned char)ps->p[0]) &&
	       isxdigit((unsigned char)ps->p[1])) {
		uint8_t b;

		b = (uint8_t)((ps->p[0] <= '9' ? ps->p[0] - '0'
					       : (ps->p[0] | 0x20) - 'a' + 10)
				      << 4 |
			      (ps->p[1] <= '9' ? ps->p[1] - '0'
					       : (ps->p[1] | 0x20) - 'a' + 10));
		if (out->len >= OTX_MAX_STREAM || buf_put(out, &b, 1))
			return otx_fail(ps, start, "too many bytes");
		ps->p += 2;
		if (*ps->p != ' ')
			break;
		ps->p++;
	}
	if (*ps->p != ')' && *ps->p != '/')
		return otx_fail(ps, ps->p,
				"expected hex bytes such as '00 ff'");
	return 0;
}

/* The kernel's 16 label bytes are OVS's ovs_u128: two host-order u64s,
 * low half first; the text is the number, big-endian. */
int otx_u128(struct otx_parser *ps, uint8_t out[16])
{
	uint8_t be[16];
	uint64_t half[2] = {0, 0};

	if (otx_bighex(ps, be, sizeof be))
		return -EINVAL;
	for (int i = 0; i < 8; i++) {
		half[1] = half[1] << 8 | be[i];
		half[0] = half[0] << 8 | be[8 + i];
	}
	memcpy(out, half, sizeof half);
	return 0;
}
