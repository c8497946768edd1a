/* What the benchmark tools share: exit statuses, one-line errors, option
 * parsing, devices, signals and XDP attach/detach of their own programs. */
#ifndef OVSX_BENCH_UTIL_H
#define OVSX_BENCH_UTIL_H

#include <stdbool.h>
#include <stdint.h>

/* Exit statuses of every benchmark tool. */
enum bench_exit {
	BENCH_EXIT_OK = 0,
	BENCH_EXIT_FAIL = 1,	   /* the system refused (BPF, attach, ...) */
	BENCH_EXIT_USAGE = 2,	   /* bad arguments or bad input */
	BENCH_EXIT_NO_TRAFFIC = 3, /* sink: nothing arrived in time */
};

/* The program name that prefixes errors. */
void bench_set_prog(const char *name);
/* "PROG: message" on stderr, one line. */
void bench_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Option values; each prints its error and returns -1 when bad. */
int bench_u32(const char *opt, const char *s, uint32_t min, uint32_t max,
	      uint32_t *out);
int bench_seconds(const char *opt, const char *s, double *out);
int bench_mac(const char *opt, const char *s, uint8_t mac[6]);

/* A device of the current network namespace; -1 (error printed) if
 * there is none by that name. */
int bench_ifindex(const char *name);
int bench_dev_mac(const char *name, uint8_t mac[6]);
int bench_dev_mtu(const char *name, uint32_t *mtu);

/* CLOCK_MONOTONIC in seconds. */
double bench_now(void);

/* SIGINT and SIGTERM are blocked in the calling thread (call it before
 * starting threads, so that they inherit it) and only ever taken by
 * bench_wait_signal(). */
void bench_block_signals(void);
/* Waits up to 'seconds' (< 0: forever) for SIGINT or SIGTERM; true if one
 * came. */
bool bench_wait_signal(double seconds);

/* Native XDP: attaches prog_fd where no program is; detaches only
 * prog_fd.  Return 0 or a negative errno (error printed). */
int bench_xdp_attach(int ifindex, const char *dev, int prog_fd);
void bench_xdp_detach(int ifindex, int prog_fd);

#endif
