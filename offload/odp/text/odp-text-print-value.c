/* Value printers the key, tunnel, set and action printers share (see
 * odp-text-private.h): bad-length attributes, ct labels, VLAN TCIs and MPLS
 * label stack entries.  Apart from the printers that use them, so that
 * none of those depends on another for its helpers. */
#include <string.h>

#include "odp-text-private.h"

bool otx_check_len(struct ds *s, int type, int expected,
		   const struct otx_val *k, const struct otx_val *m,
		   bool prefix)
{
	bool bad_key, bad_mask;

	if (expected < 0)
		return true;
	bad_key = k->len != (size_t)expected;
	bad_mask = m && m->len != (size_t)expected;
	if (!bad_key && !bad_mask)
		return true;
	/* Reproduced literally, unbalanced parentheses included. */
	if (prefix)
		ds_printf(s, "key%d", type);
	if (bad_key)
		ds_printf(s, "(bad key length %zu, expected %d)(", k->len,
			  expected);
	otx_put_spaced_hex(s, k->p, k->len);
	if (m) {
		ds_putc(s, '/');
		if (bad_mask)
			ds_printf(s, "(bad mask length %zu, expected %d)(",
				  m->len, expected);
		otx_put_spaced_hex(s, m->p, m->len);
	}
	ds_putc(s, ')');
	return false;
}

static void put_u128(struct ds *s, const uint8_t *p)
{
	uint64_t half[2];
	uint8_t be[16];

	/* OVS reads the 16 bytes as its ovs_u128 (two host-order u64s, low
	 * half first) and prints the number big-endian. */
	memcpy(half, p, sizeof half);
	for (int i = 0; i < 8; i++) {
		be[i] = (uint8_t)(half[1] >> (56 - 8 * i));
		be[8 + i] = (uint8_t)(half[0] >> (56 - 8 * i));
	}
	otx_put_bighex(s, be, sizeof be);
}

/* ct_label(...) and the ct action's label=. */
void otx_put_ct_label(struct ds *s, const uint8_t *k, const uint8_t *m,
		      bool verbose)
{
	if (!verbose && !(m && !otx_all_bytes(m, 16, 0)))
		return;
	put_u128(s, k);
	if (m && !otx_all_bytes(m, 16, 0xff)) {
		ds_putc(s, '/');
		put_u128(s, m);
	}
}

void otx_put_vlan(struct ds *s, uint16_t tci, uint16_t mask, bool verbose)
{
	unsigned vid = tci & 0xfff, vid_m = mask & 0xfff;
	unsigned pcp = tci >> 13, pcp_m = mask >> 13;

	if (verbose || vid || vid_m) {
		ds_printf(s, "vid=%u", vid);
		if (vid_m != 0xfff)
			ds_printf(s, "/0x%x", vid_m);
		ds_putc(s, ',');
	}
	if (verbose || pcp || pcp_m) {
		ds_printf(s, "pcp=%u", pcp);
		if (pcp_m != 7)
			ds_printf(s, "/0x%x", pcp_m);
		ds_putc(s, ',');
	}
	if (!(tci & 0x1000))
		ds_put(s, "cfi=0,");
	otx_chomp(s, ',');
}

void otx_put_mpls_lse(struct ds *s, uint32_t lse)
{
	ds_printf(s, "label=%u,tc=%u,ttl=%u,bos=%u", lse >> 12, (lse >> 9) & 7,
		  lse & 0xff, (lse >> 8) & 1);
}
