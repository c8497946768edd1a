/* Dynamic, always NUL-terminated string for building text output. */
#ifndef OVSX_DS_H
#define OVSX_DS_H

#include <stdbool.h>
#include <stddef.h>

struct ds {
	char *s; /* NUL-terminated when non-NULL */
	size_t len;
	size_t cap;
	bool oom; /* an append failed; the text is truncated */
};

#define DS_INIT                   \
	{                         \
		NULL, 0, 0, false \
	}

void ds_free(struct ds *d);
void ds_clear(struct ds *d);
void ds_put(struct ds *d, const char *s);
void ds_putc(struct ds *d, char c);
void ds_printf(struct ds *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Removes the last n characters (fewer if the string is shorter). */
void ds_chomp(struct ds *d, size_t n);
/* The text ("" for an empty string). */
const char *ds_cstr(const struct ds *d);

#endif
