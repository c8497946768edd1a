/* Hash of arbitrary bytes, for the in-memory tables (hmap users: the
 * mirror, the overlap index, the engine, the in-memory backend). */
#ifndef OVSX_HASH_H
#define OVSX_HASH_H

#include <stddef.h>
#include <stdint.h>

/* Not stable across versions: never store it. */
uint32_t hash_bytes(const void *p, size_t n, uint32_t basis);

#endif
