/* Dynamic string (see include/ds.h).  Allocation failure is sticky and
 * reported through ->oom rather than on every call, so formatting code reads
 * as a straight sequence of appends. */
#include "ds.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ds_free(struct ds *d)
{
	free(d->s);
	d->s = NULL;
	d->len = 0;
	d->cap = 0;
	d->oom = false;
}

void ds_clear(struct ds *d)
{
	d->len = 0;
	if (d->s)
		d->s[0] = '\0';
}

static bool ds_reserve(struct ds *d, size_t n)
{
	size_t need = d->len + n + 1;
	size_t cap;
	char *p;

	if (d->oom)
		return false;
	if (need <= d->cap)
		return true;
	cap = d->cap ? d->cap : 128;
	while (cap < need)
		cap *= 2;
	p = realloc(d->s, cap);
	if (!p) {
		d->oom = true;
		return false;
	}
	d->s = p;
	d->cap = cap;
	return true;
}

void ds_put(struct ds *d, const char *s)
{
	size_t n = strlen(s);

	if (!ds_reserve(d, n))
		return;
	memcpy(d->s + d->len, s, n + 1);
	d->len += n;
}

void ds_putc(struct ds *d, char c)
{
	if (!ds_reserve(d, 1))
		return;
	d->s[d->len++] = c;
	d->s[d->len] = '\0';
}

void ds_printf(struct ds *d, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !ds_reserve(d, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(d->s + d->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	d->len += (size_t)n;
}

void ds_chomp(struct ds *d, size_t n)
{
	if (n > d->len)
		n = d->len;
	d->len -= n;
	if (d->s)
		d->s[d->len] = '\0';
}

const char *ds_cstr(const struct ds *d)
{
	return d->s ? d->s : "";
}
