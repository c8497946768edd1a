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
#include "log.h"
#include "mirror.h"
#include "odp-text.h"
#include "ovs-monitor.h"
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
	uint64_t check_ms;
	struct ovs_nl *nl;
	struct ovs_monitor *mon;
	struct mirror_kernel_source ks;
	struct mirror *mirror;
	bool dp_gone;
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

	mirror_for_each(w->mirror, append_flow, &text);
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

static void on_event(const struct ovs_event *ev, void *aux)
{
	struct watch *w = aux;

	if (ev->kind == OVS_EVENT_DATAPATH && ev->cmd == OVS_DP_CMD_DEL &&
	    ev->dp_ifindex == w->ks.dp_ifindex) {
		LOG_WARN("datapath %s deleted", w->o->datapath);
		mirror_clear(w->mirror);
		w->dp_gone = true;
		return;
	}
	mirror_handle_event(w->mirror, ev);
}

static int drain(struct watch *w)
{
	int ret = ovs_monitor_drain(w->mon, on_event, w);

	return ret < 0 ? ret : 0;
}

/* Looks for the datapath again after a deletion; rebinds when it is back. */
static void rebind(struct watch *w)
{
	struct ovs_dp_info dp;

	if (ovs_nl_dp_get(w->nl, w->o->datapath, 0, &dp))
		return;
	LOG_INFO("datapath %s is back (dp_ifindex %d)", w->o->datapath,
		 dp.dp_ifindex);
	w->ks.dp_ifindex = dp.dp_ifindex;
	mirror_destroy(w->mirror);
	w->mirror = NULL;
	w->dp_gone = false;
}

static int make_mirror(struct watch *w)
{
	struct mirror_source src;

	mirror_kernel_source_init(&src, &w->ks);
	w->mirror = mirror_create(&src, print_change, w);
	return w->mirror ? 0 : -ENOMEM;
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
		if (w->snapshot && w->mirror)
			write_snapshot(w);
	}
	return false;
}

/* One turn of the loop's timers and pending work. */
static void tick(struct watch *w, uint64_t now, uint64_t *next_check,
		 uint64_t *next_reconcile)
{
	if (w->dp_gone) {
		if (now >= *next_check) {
			rebind(w);
			*next_check = now + w->check_ms;
		}
		if (w->dp_gone || make_mirror(w))
			return;
	}
	if (now >= *next_check) {
		if (drain(w))
			LOG_WARN_RL("notification socket error");
		if (mirror_check_count(w->mirror))
			LOG_WARN_RL("cannot read the datapath's flow count");
		*next_check = now + w->check_ms;
	}
	if (now >= *next_reconcile || mirror_needs_reconcile(w->mirror)) {
		/* Drain first, so that the dump is newer than every queued
		 * notification (see mirror.c). */
		if (drain(w))
			LOG_WARN_RL("notification socket error");
		if (mirror_reconcile(w->mirror))
			LOG_WARN_RL("flow dump failed; will retry");
		*next_reconcile = now + w->reconcile_ms;
	}
}

static int watch_loop(struct watch *w, int sfd)
{
	uint64_t next_check = 0, next_reconcile = 0;

	for (;;) {
		struct pollfd pfd[2] = {
			{.fd = ovs_monitor_fd(w->mon), .events = POLLIN},
			{.fd = sfd, .events = POLLIN},
		};
		uint64_t now = time_monotonic_ms();
		uint64_t next;

		tick(w, now, &next_check, &next_reconcile);
		next = next_check < next_reconcile ? next_check
						   : next_reconcile;
		now = time_monotonic_ms();
		if (poll(pfd, 2, next > now ? (int)(next - now) : 0) < 0 &&
		    errno != EINTR)
			return -errno;
		if ((pfd[0].revents & POLLIN) && drain(w))
			LOG_WARN_RL("notification socket error");
		if ((pfd[1].revents & POLLIN) && read_signals(w, sfd))
			return 0;
		fflush(stdout);
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

int cmd_watch(const struct xdpctl_opts *o, int argc, char **argv)
{
	struct watch w = {.o = o, .reconcile_ms = 10000, .check_ms = 1000};
	struct ovs_dp_info dp;
	int sfd, err, ret = XDPCTL_FAILED;

	if (parse_watch_args(&w, argc, argv))
		return XDPCTL_USAGE;
	if (xdpctl_open_dp(o, &w.nl, &dp))
		return XDPCTL_FAILED;
	w.ks.nl = w.nl;
	w.ks.dp_ifindex = dp.dp_ifindex;
	err = ovs_monitor_open(&w.mon, MONITOR_RCVBUF);
	if (err) {
		xdpctl_error("cannot listen to notifications: %s",
			     strerror(-err));
		goto close_nl;
	}
	sfd = open_signals();
	if (sfd < 0 || make_mirror(&w)) {
		xdpctl_error("cannot set up: %s", strerror(errno));
		goto close_mon;
	}
	err = watch_loop(&w, sfd);
	if (err)
		xdpctl_error("watch: %s", strerror(-err));
	else
		ret = XDPCTL_OK;
	if (w.mirror)
		print_stats(w.mirror);
	mirror_destroy(w.mirror);
	close(sfd);
close_mon:
	ovs_monitor_close(w.mon);
close_nl:
	ovs_nl_close(w.nl);
	ds_free(&w.line);
	return ret;
}
