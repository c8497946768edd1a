/* Growable arrays (see include/vec.h). */
#include "vec.h"

#include <stdint.h>
#include <stdlib.h>

void *vec_grow(void *array, size_t *cap, size_t n, size_t elem)
{
	size_t want;
	void *v;

	if (n < *cap)
		return array;
	want = *cap ? *cap * 2 : 16;
	if (want <= n)
		want = n + 1;
	if (want > SIZE_MAX / elem)
		return NULL;
	v = realloc(array, want * elem);
	if (v)
		*cap = want;
	return v;
}
