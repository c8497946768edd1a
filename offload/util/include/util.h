/* Small helpers used across the project. */
#ifndef OVSX_UTIL_H
#define OVSX_UTIL_H

#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* CLOCK_MONOTONIC in milliseconds: the clock of the kernel's flow "used"
 * times. */
uint64_t time_monotonic_ms(void);

/* Creates a directory and its parents (mode 0755).  Returns 0 or -errno. */
int mkdir_p(const char *path);

#endif
