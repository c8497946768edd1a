/* ovs-xdpd: the ovs-xdp agent.  Parses its options, becomes a daemon if
 * asked, starts the agent (agent.c) and serves the control socket and the
 * metrics endpoint from one epoll loop until SIGTERM or SIGINT, then
 * detaches its XDP program from every port, leaving the switch as it
 * would be without it. */
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "agent.h"
#include "ovsdb-view.h"
#include "control.h"
#include "ctl-server.h"
#include "daemon.h"
#include "log-libbpf.h"
#include "log.h"
#include "metrics.h"
#include "util.h"
#include "version.h"

LOG_MODULE("ovs-xdpd");

#define MAX_KERNEL_PORTS 64

struct options {
	struct agent_opts agent;
	const char *kernel_ports[MAX_KERNEL_PORTS];
	const char *ctl_dir;
	const char *metrics; /* ADDR:PORT or "none" */
	const char *pidfile;
	const char *log_file;
	bool detach;
	bool syslog;
	enum log_level level;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: ovs-xdpd [OPTIONS]\n"
		"Offloads Open vSwitch kernel-datapath megaflows to XDP.\n"
		"\n"
		"  -d, --datapath NAME        datapath (default ovs-system)\n"
		"      --generic              use generic XDP where native is missing\n"
		"      --kernel-port NAME     keep frames from port NAME on the kernel\n"
		"                             path (repeatable)\n"
		"      --max-flows N          fast-path flow capacity (default %u)\n"
		"      --max-masks N          fast-path mask capacity (default %u)\n"
		"      --keepalive MS         one frame per flow to the kernel every MS\n"
		"                             (default 1000; 0 off)\n"
		"      --heartbeat MS         stop using flows MS after the agent dies\n"
		"                             (default 2000; 0 off)\n"
		"      --reconcile-interval S full flow dump period (default 10)\n"
		"      --ovsdb PATH|none      Open vSwitch's database socket, read\n"
		"                             for bonds and hw-offload (default\n"
		"                             " OVSDB_DEFAULT_SOCKET ")\n"
		"      --probe-interval S     re-read every port's devices this\n"
		"                             often (default 5; link changes are\n"
		"                             followed at once besides)\n"
		"      --ctl-dir DIR          control socket directory (default %s)\n"
		"      --metrics ADDR:PORT    Prometheus endpoint (default\n"
		"                             127.0.0.1:9477; 'none' to disable)\n"
		"      --detach               run in the background\n"
		"      --pidfile[=FILE]       write the pid (default %s/ovs-xdpd.pid)\n"
		"      --log-file[=FILE]      log to FILE (default\n"
		"                             /var/log/ovs-xdp/ovs-xdpd.log)\n"
		"      --syslog               log to syslog too\n"
		"  -v, --verbose LEVEL        off, err, warn, info (default), dbg\n"
		"  -h, --help                 this text\n"
		"  -V, --version              the version\n",
		OVSX_DEFAULT_MAX_FLOWS, OVSX_DEFAULT_MAX_MASKS,
		CONTROL_DEFAULT_DIR, CONTROL_DEFAULT_DIR);
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;

	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || !*s || *end || s[0] == '-' ? -EINVAL : 0;
}

static int parse_u32(const char *s, uint32_t *out, uint32_t min, uint32_t max)
{
	uint64_t v;

	if (parse_u64(s, &v) || v < min || v > max)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

enum {
	OPT_GENERIC = 256,
	OPT_KERNEL_PORT,
	OPT_MAX_FLOWS,
	OPT_MAX_MASKS,
	OPT_KEEPALIVE,
	OPT_HEARTBEAT,
	OPT_RECONCILE,
	OPT_PROBE,
	OPT_OVSDB,
	OPT_CTL_DIR,
	OPT_METRICS,
	OPT_DETACH,
	OPT_PIDFILE,
	OPT_LOG_FILE,
	OPT_SYSLOG,
};

static const struct option long_opts[] = {
	{"datapath", required_argument, NULL, 'd'},
	{"generic", no_argument, NULL, OPT_GENERIC},
	{"kernel-port", required_argument, NULL, OPT_KERNEL_PORT},
	{"max-flows", required_argument, NULL, OPT_MAX_FLOWS},
	{"max-masks", required_argument, NULL, OPT_MAX_MASKS},
	{"keepalive", required_argument, NULL, OPT_KEEPALIVE},
	{"heartbeat", required_argument, NULL, OPT_HEARTBEAT},
	{"reconcile-interval", required_argument, NULL, OPT_RECONCILE},
	{"probe-interval", required_argument, NULL, OPT_PROBE},
	{"ovsdb", required_argument, NULL, OPT_OVSDB},
	{"ctl-dir", required_argument, NULL, OPT_CTL_DIR},
	{"metrics", required_argument, NULL, OPT_METRICS},
	{"detach", no_argument, NULL, OPT_DETACH},
	{"pidfile", optional_argument, NULL, OPT_PIDFILE},
	{"log-file", optional_argument, NULL, OPT_LOG_FILE},
	{"syslog", no_argument, NULL, OPT_SYSLOG},
	{"verbose", required_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

static const char *option_name(int c)
{
	for (const struct option *o = long_opts; o->name; o++)
		if (o->val == c)
			return o->name;
	return "?";
}

/* Returns 0, or prints a one-line error and returns the exit status. */
static int parse_one(struct options *o, int c, const char *arg)
{
	uint64_t v;
	size_t n = o->agent.n_kernel_ports;
	int bad = 0;

	switch (c) {
	case 'd':
		o->agent.datapath = arg;
		break;
	case OPT_GENERIC:
		o->agent.allow_generic = true;
		break;
	case OPT_KERNEL_PORT:
		if (n == MAX_KERNEL_PORTS)
			bad = 1;
		else
			o->kernel_ports[o->agent.n_kernel_ports++] = arg;
		break;
	case OPT_MAX_FLOWS:
		bad = parse_u32(arg, &o->agent.max_flows, 16, 1u << 24);
		break;
	case OPT_MAX_MASKS:
		bad = parse_u32(arg, &o->agent.max_masks, 1,
				OVSX_MAX_MASKS_LIMIT);
		break;
	case OPT_KEEPALIVE:
		bad = parse_u64(arg, &o->agent.keepalive_ms);
		break;
	case OPT_HEARTBEAT:
		bad = parse_u64(arg, &o->agent.heartbeat_ms);
		break;
	case OPT_RECONCILE:
		bad = parse_u64(arg, &v) || !v;
		o->agent.reconcile_ms = v * 1000;
		break;
	case OPT_OVSDB:
		o->agent.ovsdb = strcmp(arg, "none") ? arg : NULL;
		bad = !*arg;
		break;
	case OPT_PROBE:
		bad = parse_u64(arg, &v) || !v || v > 86400;
		o->agent.probe_ms = v * 1000;
		break;
	case OPT_CTL_DIR:
		o->ctl_dir = arg;
		break;
	case OPT_METRICS: {
		struct sockaddr_in6 ss;
		unsigned int len;

		o->metrics = arg;
		if (strcmp(arg, "none") && metrics_parse_addr(arg, &ss, &len)) {
			fprintf(stderr,
				"ovs-xdpd: bad --metrics '%s' (want "
				"ADDR:PORT, [ADDR6]:PORT or none)\n",
				arg);
			return 2;
		}
		break;
	}
	case OPT_DETACH:
		o->detach = true;
		break;
	case OPT_PIDFILE:
		o->pidfile = arg ? arg : CONTROL_DEFAULT_DIR "/ovs-xdpd.pid";
		break;
	case OPT_LOG_FILE:
		o->log_file = arg ? arg : "/var/log/ovs-xdp/ovs-xdpd.log";
		break;
	case OPT_SYSLOG:
		o->syslog = true;
		break;
	case 'v':
		bad = log_parse_level(arg, &o->level);
		break;
	default:
		return 2;
	}
	if (bad) {
		fprintf(stderr, "ovs-xdpd: bad value '%s' for --%s\n",
			arg ? arg : "", option_name(c));
		return 2;
	}
	return 0;
}

/* Returns -1 to go on, or an exit status. */
static int parse_options(struct options *o, int argc, char **argv)
{
	int c, rc;

	memset(o, 0, sizeof *o);
	agent_default_opts(&o->agent);
	o->agent.kernel_ports = o->kernel_ports;
	o->ctl_dir = CONTROL_DEFAULT_DIR;
	o->metrics = "127.0.0.1:9477";
	o->level = LOG_LEVEL_INFO;
	while ((c = getopt_long(argc, argv, "d:v:hV", long_opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		if (c == 'V') {
			printf("ovs-xdpd (ovs-xdp) %s (%s)\n", OVSX_VERSION,
			       OVSX_GIT_REV);
			return 0;
		}
		rc = parse_one(o, c, optarg);
		if (rc) {
			if (c == '?')
				fprintf(stderr, "ovs-xdpd: try --help\n");
			return rc;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "ovs-xdpd: unexpected argument '%s'\n",
			argv[optind]);
		return 2;
	}
	return -1;
}

static int setup_logging(const struct options *o)
{
	int err;

	log_set_level(o->level);
	log_bridge_libbpf();
	if (o->syslog)
		log_set_syslog("ovs-xdpd");
	if (o->log_file) {
		char dir[4096], *slash;

		snprintf(dir, sizeof dir, "%s", o->log_file);
		slash = strrchr(dir, '/');
		if (slash && slash != dir) {
			*slash = '\0';
			mkdir_p(dir);
		}
		err = log_set_file(o->log_file);
		if (err) {
			fprintf(stderr, "ovs-xdpd: cannot open %s: %s\n",
				o->log_file, strerror(-err));
			return err;
		}
	}
	return 0;
}

struct loop {
	int epfd;
	int sigfd;
	struct agent *agent;
	struct ctl_server *ctl;
	struct metrics_server *metrics;
};

static int open_signals(int epfd)
{
	struct epoll_event ev = {.events = EPOLLIN};
	sigset_t set;
	int fd;

	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	ev.data.fd = fd;
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev)) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

/* True when asked to stop. */
static bool on_signals(const struct options *o, int sigfd)
{
	struct signalfd_siginfo si;

	while (read(sigfd, &si, sizeof si) == sizeof si) {
		if (si.ssi_signo != SIGHUP) {
			LOG_INFO("signal %u: stopping", si.ssi_signo);
			return true;
		}
		if (o->log_file && log_set_file(o->log_file))
			LOG_ERR("cannot reopen %s", o->log_file);
	}
	return false;
}

static int wait_ms(struct loop *l)
{
	uint64_t next = agent_next_deadline(l->agent);
	uint64_t now = time_monotonic_ms();
	int ms = next > now ? (int)(next - now) : 0;

	if (l->metrics) {
		int m = metrics_timeout_ms(l->metrics);

		if (m >= 0 && m < ms)
			ms = m;
	}
	return ms;
}

static int run(const struct options *o, struct loop *l)
{
	struct epoll_event evs[16];

	for (;;) {
		int n = epoll_wait(l->epfd, evs, 16, wait_ms(l));

		if (n < 0 && errno != EINTR)
			return -errno;
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;

			if (fd == l->sigfd) {
				if (on_signals(o, fd))
					return 0;
			} else if (l->metrics && fd == metrics_fd(l->metrics)) {
				uint64_t t0 = time_monotonic_ms();

				metrics_run(l->metrics);
				agent_note_slow(l->agent, "a /metrics request",
						t0);
			} else if (l->ctl && ctl_server_owns(l->ctl, fd)) {
				uint64_t t0 = time_monotonic_ms();

				ctl_server_handle(l->ctl, fd, evs[i].events);
				agent_note_slow(l->agent, "a control request",
						t0);
			}
		}
		if (l->metrics)
			metrics_run(l->metrics);
		/* An agent_work() error is fatal (see agent.h): stop, and let
		 * the service manager start a new agent, which takes over. */
		int err = agent_work(l->agent);

		if (err) {
			LOG_ERR("cannot read notifications from the kernel: %s",
				strerror(-err));
			return err;
		}
	}
}

static int start(const struct options *o, struct loop *l)
{
	struct epoll_event ev = {.events = EPOLLIN};
	char err[256] = "", path[256];
	int ret;

	ret = agent_start(&l->agent, &o->agent, err, sizeof err);
	if (ret) {
		LOG_ERR("%s", err);
		return ret;
	}
	ev.data.fd = agent_fd(l->agent);
	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, ev.data.fd, &ev))
		return -errno;
	/* Any wakeup runs agent_work(), which reads what is there. */
	ev.data.fd = agent_link_fd(l->agent);
	if (ev.data.fd >= 0 &&
	    epoll_ctl(l->epfd, EPOLL_CTL_ADD, ev.data.fd, &ev))
		return -errno;
	control_socket_path(path, sizeof path, o->ctl_dir, o->agent.datapath);
	mkdir_p(o->ctl_dir);
	ret = ctl_server_open(&l->ctl, path, l->agent, l->epfd);
	if (ret) {
		LOG_ERR("cannot listen on %s: %s%s", path, strerror(-ret),
			ret == -EADDRINUSE ? " (another ovs-xdpd is running)"
					   : "");
		return ret;
	}
	if (strcmp(o->metrics, "none")) {
		ret = metrics_open(&l->metrics, o->metrics, l->agent, l->epfd);
		if (ret) {
			LOG_ERR("cannot serve metrics on %s: %s", o->metrics,
				ret == -EINVAL ? "bad address"
					       : strerror(-ret));
			return ret;
		}
	}
	LOG_INFO("ovs-xdpd %s started on datapath %s; control socket %s",
		 OVSX_VERSION, o->agent.datapath, path);
	return 0;
}

static void stop(struct loop *l)
{
	metrics_close(l->metrics);
	ctl_server_close(l->ctl);
	agent_stop(l->agent);
	if (l->sigfd >= 0)
		close(l->sigfd);
	if (l->epfd >= 0)
		close(l->epfd);
}

int main(int argc, char **argv)
{
	struct options o;
	struct loop l = {.sigfd = -1};
	int rc = parse_options(&o, argc, argv), ret;

	if (rc >= 0)
		return rc;
	if (geteuid() != 0) {
		fprintf(stderr, "ovs-xdpd: must run as root (BPF, XDP and the "
				"openvswitch module need it)\n");
		return 1;
	}
	if (setup_logging(&o))
		return 1;
	if (o.detach && daemon_detach()) {
		fprintf(stderr, "ovs-xdpd: cannot detach\n");
		return 1;
	}
	if (o.pidfile) {
		mkdir_p(CONTROL_DEFAULT_DIR);
		ret = daemon_pidfile(o.pidfile);
		if (ret) {
			LOG_ERR("pidfile %s: %s", o.pidfile,
				ret == -EEXIST ? "ovs-xdpd is already running"
					       : strerror(-ret));
			daemon_ready(1);
			return 1;
		}
	}
	l.epfd = epoll_create1(EPOLL_CLOEXEC);
	ret = l.epfd < 0 ? -errno : open_signals(l.epfd);
	if (ret < 0) {
		LOG_ERR("cannot set up the event loop: %s", strerror(-ret));
	} else {
		l.sigfd = ret;
		ret = start(&o, &l);
	}
	if (ret) {
		daemon_ready(1);
		stop(&l);
		daemon_remove_pidfile(o.pidfile);
		return 1;
	}
	daemon_ready(0);
	ret = run(&o, &l);
	stop(&l);
	daemon_remove_pidfile(o.pidfile);
	LOG_INFO("stopped");
	return ret ? 1 : 0;
}
