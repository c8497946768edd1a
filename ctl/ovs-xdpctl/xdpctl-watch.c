/* ovs-xdpctl watch: runs the datapath mirror in the foreground and prints
 * every change it delivers.  An operator's view of what the agent sees, and
 * the system tests' probe: on SIGUSR1 it writes its whole table, in
 * dump-flows -m syntax, to the --snapshot file (atomically, by rename). */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "ds.h"
#include "live-mirror.h"
#include "log.h"
#include "odp-text.h"
#include "ovs-nl.h"
#include "util.h"
#include "xdpctl.h"

LOG_MODULE("watch");

#define MONITOR_RCVBUF (8 * 1024 * 1024)

struct watch {
	const struct xdpctl_opts *o;
	const char *snapshot;
	bool quiet;
	uint64_t reconcile_ms;
	struct ovs_nl *nl;
	struct live_mirror *lm;
	struct ds line;
};

static void print_change(void *aux, enum mirror_change change,
			 const struct odp_flow *old, const struct odp_flow *cur)
{
	static const char *const names[] = {"add", "modify", "remove"};
	struct watch *w = aux;
	struct odp_format_opts fmt = {.verbose = true};

	if (w->quiet)
		return;
	ds_clear(&w->line);
	odp_format_flow(&w->line, cur ? cur : old, &fmt);
	printf("%s %s\n", names[change], ds_cstr(&w->line));
}

static void append_flow(const struct odp_flow *f, void *aux)
{
	struct ds *s = aux;
	struct odp_format_opts fmt = {
		.verbose = true, .stats = true, .now_ms = time_monotonic_ms()};

	odp_format_flow(s, f, &fmt);
	ds_putc(s, '\n');
}

static int write_snapshot(struct watch *w)
{
	struct ds text = DS_INIT;
	char tmp[4096];
	FILE *f;
	int err = 0;

	mirror_for_each(live_mirror_table(w->lm), append_flow, &text);
	snprintf(tmp, sizeof tmp, "%s.tmp", w->snapshot);
	f = fopen(tmp, "w");
	if (!f || text.oom || fputs(ds_cstr(&text), f) < 0)
		err = -errno ? -errno : -EIO;
	if (f && fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, w->snapshot))
		err = -errno;
	ds_free(&text);
	if (err)
		LOG_ERR("cannot write snapshot %s: %s", w->snapshot,
			strerror(-err));
	return err;
}

static void print_stats(const struct mirror *m)
{
	const struct mirror_stats *s = mirror_get_stats(m);

	fprintf(stderr,
		"mirror: flows %zu, notifications new %llu set %llu del %llu, "
		"overruns %llu, fetches %llu, reconciles %llu (fixes %llu), "
		"count mismatches %llu, errors %llu\n",
		mirror_count(m), (unsigned long long)s->events_new,
		(unsigned long long)s->events_set,
		(unsigned long long)s->events_del,
		(unsigned long long)s->overruns, (unsigned long long)s->fetches,
		(unsigned long long)s->reconciles,
		(unsigned long long)s->reconcile_fixes,
		(unsigned long long)s->count_mismatches,
		(unsigned long long)s->errors);
}

static int open_signals(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (sigprocmask(SIG_BLOCK, &set, NULL))
		return -errno;
	return signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* Returns true when asked to stop. */
static bool read_signals(struct watch *w, int sfd)
{
	struct signalfd_siginfo si;

	while (read(sfd, &si, sizeof si) == sizeof si) {
		if (si.ssi_signo != SIGUSR1)
			return true;
		if (w->snapshot)
			write_snapshot(w);
	}
	return false;
}

static int watch_loop(struct watch *w, int sfd)
{
	for (;;) {
		struct pollfd pfd[2] = {
			{.fd = live_mirror_fd(w->lm), .events = POLLIN},
			{.fd = sfd, .events = POLLIN},
		};
		uint64_t next, now;
		int err = live_mirror_work(w->lm, time_monotonic_ms());

		if (err)
			return err;
		fflush(stdout);
		next = live_mirror_next_deadline(w->lm);
		now = time_monotonic_ms();
		if (poll(pfd, 2, next > now ? (int)(next - now) : 0) < 0 &&
		    errno != EINTR)
			return -errno;
		if ((pfd[1].revents & POLLIN) && read_signals(w, sfd))
			return 0;
	}
}

static int parse_watch_args(struct watch *w, int argc, char **argv)
{
	static const struct option opts[] = {
		{"snapshot", required_argument, NULL, 's'},
		{"reconcile-interval", required_argument, NULL, 'r'},
		{"quiet", no_argument, NULL, 'q'},
		{NULL, 0, NULL, 0},
	};
	char *end;
	int c;

	while ((c = getopt_long(argc, argv, "+s:r:q", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			w->snapshot = optarg;
			break;
		case 'r':
			w->reconcile_ms = strtoull(optarg, &end, 10) * 1000;
			if (*end || !w->reconcile_ms) {
				xdpctl_error("watch: bad interval '%s'",
					     optarg);
				return -EINVAL;
			}
			break;
		case 'q':
			w->quiet = true;
			break;
		default:
			return -EINVAL;
		}
	}
	if (optind < argc) {
		xdpctl_error("watch: unexpected argument '%s'", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

static int open_mirror(struct watch *w, int dp_ifindex)
{
	struct live_mirror_opts lo = {
		.datapath = w->o->datapath,
		.reconcile_ms = w->reconcile_ms,
		.check_ms = 1000,
		.rcvbuf = MONITOR_RCVBUF,
		.on_change = print_change,
		.aux = w,
	};

	return live_mirror_open(&w->lm, w->nl, dp_ifindex, &lo);
}

int cmd_watch(const struct xdpctl_opts *o, int argc, char **argv)
{
	struct watch w = {.o = o, .reconcile_ms = 10000};
	struct ovs_dp_info dp;
	int sfd, err, ret = XDPCTL_FAILED;

	if (parse_watch_args(&w, argc, argv))
		return XDPCTL_USAGE;
	if (xdpctl_open_dp(o, &w.nl, &dp))
		return XDPCTL_FAILED;
	err = open_mirror(&w, dp.dp_ifindex);
	if (err) {
		xdpctl_error("cannot listen to notifications: %s",
			     strerror(-err));
		goto close_nl;
	}
	sfd = open_signals();
	if (sfd < 0) {
		xdpctl_error("cannot set up: %s", strerror(errno));
		goto close_mirror;
	}
	err = watch_loop(&w, sfd);
	if (err)
		xdpctl_error("watch: %s", strerror(-err));
	else
		ret = XDPCTL_OK;
	print_stats(live_mirror_table(w.lm));
	close(sfd);
close_mirror:
	live_mirror_close(w.lm);
close_nl:
	ovs_nl_close(w.nl);
	ds_free(&w.line);
	return ret;
}
