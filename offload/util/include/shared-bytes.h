/* Interned byte strings, shared and reference-counted.
 *
 * Megaflow masks repeat: a datapath with 100,000 flows typically has a few
 * dozen distinct masks, so the mirror keeps one copy of each mask's
 * attribute stream instead of one per flow. */
#ifndef OVSX_SHARED_BYTES_H
#define OVSX_SHARED_BYTES_H

#include <stddef.h>
#include <stdint.h>

#include "hmap.h"

struct shared_bytes {
	struct hmap table;
};

/* Returns 0 or -ENOMEM. */
int shared_bytes_init(struct shared_bytes *s);
/* Frees the table; every reference must have been dropped. */
void shared_bytes_destroy(struct shared_bytes *s);
/* A shared copy of p[0..n) with one more reference, or NULL (ENOMEM).
 * n must be > 0. */
const uint8_t *shared_bytes_ref(struct shared_bytes *s, const void *p,
				size_t n);
/* Drops a reference taken by shared_bytes_ref(). */
void shared_bytes_unref(struct shared_bytes *s, const uint8_t *bytes);
/* Distinct strings held. */
size_t shared_bytes_count(const struct shared_bytes *s);

#endif
