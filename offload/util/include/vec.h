/* Growable arrays: the one place that doubles an array's capacity.  The
 * array itself stays a plain pointer, count and capacity of the caller's
 * type, so elements are used as usual. */
#ifndef OVSX_VEC_H
#define OVSX_VEC_H

#include <stddef.h>

/* Makes room for element n of an array with *cap elements of elem bytes
 * (doubling, from 16).  Returns the array, perhaps moved, with *cap
 * updated, or NULL when out of memory (the array and *cap unchanged). */
void *vec_grow(void *array, size_t *cap, size_t n, size_t elem);

#endif
