/* Routes libbpf's messages through the project's logger (see
 * log-libbpf.h). */
#include <bpf/libbpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log-libbpf.h"
#include "log.h"

static int libbpf_print(enum libbpf_print_level lvl, const char *fmt,
			va_list ap)
{
	enum log_level level = lvl == LIBBPF_WARN   ? LOG_LEVEL_WARN
			       : lvl == LIBBPF_INFO ? LOG_LEVEL_INFO
						    : LOG_LEVEL_DBG;
	char msg[1024];
	size_t n;

	if (level > log_get_level())
		return 0;
	vsnprintf(msg, sizeof msg, fmt, ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	log_msg(level, "libbpf", "%s", msg);
	return 0;
}

void log_bridge_libbpf(void)
{
	libbpf_set_print(libbpf_print);
}
