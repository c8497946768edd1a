/* How every part of ovs-xdpctl reports a failure: one line on stderr.  A
 * file of its own so that the command files (xdpctl-*.c) depend on it and
 * not on the main file, ovs-xdpctl.c, which depends on them all. */
#include <stdarg.h>
#include <stdio.h>

#include "xdpctl.h"

void xdpctl_error(const char *fmt, ...)
{
	va_list ap;

	fputs("ovs-xdpctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
