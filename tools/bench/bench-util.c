/* Helpers of the benchmark tools (see bench-util.h). */
#include "bench-util.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char *prog_name = "ovsx-bench";

void bench_set_prog(const char *name)
{
	prog_name = name;
}

void bench_err(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int bench_u32(const char *opt, const char *s, uint32_t min, uint32_t max,
	      uint32_t *out)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s || *end || *s == '-' || v < min || v > max) {
		bench_err("--%s: '%s' is not a number in %u..%u", opt, s, min,
			  max);
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

int bench_seconds(const char *opt, const char *s, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > 0 && v <= 86400)) {
		bench_err("--%s: '%s' is not a duration in (0, 86400] seconds",
			  opt, s);
		return -1;
	}
	*out = v;
	return 0;
}

int bench_mac(const char *opt, const char *s, uint8_t mac[6])
{
	unsigned int b[6];
	char tail;

	if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &tail) != 6) {
		bench_err("--%s: '%s' is not a MAC address", opt, s);
		return -1;
	}
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)b[i];
	return 0;
}

int bench_ifindex(const char *name)
{
	unsigned int i = if_nametoindex(name);

	if (!i) {
		bench_err("no device '%s' in this network namespace", name);
		return -1;
	}
	return (int)i;
}

/* SIOCGIF* on a throwaway socket. */
static int dev_ioctl(const char *name, unsigned long req, struct ifreq *ifr)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int err = 0;

	memset(ifr, 0, sizeof *ifr);
	snprintf(ifr->ifr_name, sizeof ifr->ifr_name, "%s", name);
	if (fd < 0 || ioctl(fd, req, ifr))
		err = -errno;
	if (fd >= 0)
		close(fd);
	if (err)
		bench_err("%s: %s", name, strerror(-err));
	return err;
}

int bench_dev_mac(const char *name, uint8_t mac[6])
{
	struct ifreq ifr;
	int err = dev_ioctl(name, SIOCGIFHWADDR, &ifr);

	if (!err)
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	return err;
}

int bench_dev_mtu(const char *name, uint32_t *mtu)
{
	struct ifreq ifr;
	int err = dev_ioctl(name, SIOCGIFMTU, &ifr);

	if (!err)
		*mtu = (uint32_t)ifr.ifr_mtu;
	return err;
}

double bench_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
}

void bench_block_signals(void)
{
	sigset_t set;

	stop_signals(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

bool bench_wait_signal(double seconds)
{
	struct timespec ts;
	sigset_t set;

	stop_signals(&set);
	if (seconds < 0)
		return sigwaitinfo(&set, NULL) > 0;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	for (;;) {
		double start = bench_now();

		if (sigtimedwait(&set, NULL, &ts) > 0)
			return true;
		if (errno != EINTR)
			return false;
		/* Another signal: wait out the rest. */
		seconds -= bench_now() - start;
		if (seconds <= 0)
			return false;
		ts.tv_sec = (time_t)seconds;
		ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	}
}

int bench_xdp_attach(int ifindex, const char *dev, int prog_fd)
{
	int err = bpf_xdp_attach(
		ifindex, prog_fd,
		XDP_FLAGS_DRV_MODE | XDP_FLAGS_UPDATE_IF_NOEXIST, NULL);

	if (err)
		bench_err("cannot attach XDP (native) to %s: %s", dev,
			  err == -EBUSY || err == -EEXIST
				  ? "another program is attached"
				  : strerror(-err));
	return err;
}

void bench_xdp_detach(int ifindex, int prog_fd)
{
	LIBBPF_OPTS(bpf_xdp_attach_opts, opts, .old_prog_fd = prog_fd);

	/* REPLACE with our fd expected: someone else's program stays. */
	bpf_xdp_detach(ifindex, XDP_FLAGS_DRV_MODE | XDP_FLAGS_REPLACE, &opts);
}
