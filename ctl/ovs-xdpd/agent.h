/* The agent: everything ovs-xdpd runs, wired together.
 *
 *   openvswitch.ko --notifications/dumps--> mirror --> offload engine
 *        |                                               |
 *   vports --probe/classify/attach--> port table    fp-table --> BPF maps
 *
 * It owns the netlink sockets, the mirror of the datapath, the port table
 * with each port's attach state, the loaded XDP program and the flow
 * table.  The caller's event loop polls agent_fd() and calls agent_work()
 * when it is readable or agent_next_deadline() has passed. */
#ifndef OVSX_AGENT_H
#define OVSX_AGENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fastpath.h"
#include "histogram.h"
#include "mirror.h"
#include "engine.h"
#include "ports.h"

struct agent_opts {
	const char *datapath; /* default "ovs-system" */
	bool allow_generic;   /* generic XDP where native is missing */
	uint32_t max_flows;   /* fast-path flow capacity */
	uint32_t max_masks;
	uint64_t keepalive_ms; /* one frame per flow to the kernel; 0 off */
	uint64_t heartbeat_ms; /* fail-safe window; 0 off */
	uint64_t reconcile_ms; /* full dump period */
	uint64_t probe_ms;     /* port re-probe period */
	/* Open vSwitch's database socket (bonds, hw-offload); NULL: none. */
	const char *ovsdb;
	/* Ports kept on the kernel path by policy (names). */
	const char *const *kernel_ports;
	size_t n_kernel_ports;
};

void agent_default_opts(struct agent_opts *o);

/* Why a port is or is not running the fast path, as `show` prints it. */
struct agent_port {
	struct port_info info;
	bool attached;
	enum fastpath_mode mode;
	char why[128]; /* why not attached ("" if attached) */
	uint32_t stats_id;
	/* A veth's peer, whose link events re-classify the port: ifindex 0
	 * if none; nsid -1 for our namespace. */
	int peer_ifindex;
	int32_t peer_nsid;
};

struct agent;

/* Starts the agent: finds the datapath (or waits for it: the agent follows
 * it by name through deletion and re-creation), loads the program, probes
 * and attaches ports, opens the mirror (its flows are loaded by the first
 * agent_work()).  On failure returns a negative errno with a one-line
 * message in err, and *out is NULL. */
int agent_start(struct agent **out, const struct agent_opts *o, char *err,
		size_t errlen);
/* Detaches our program from every port and frees everything. */
void agent_stop(struct agent *a);

int agent_fd(const struct agent *a);
/* The link monitor's fd (link-monitor.h), to poll beside agent_fd(); -1
 * when link changes cannot be followed (then ports are re-read every
 * probe_ms only). */
int agent_link_fd(const struct agent *a);
uint64_t agent_next_deadline(const struct agent *a);
/* Handles queued notifications and due timers.  Returns 0, or a negative
 * errno when the agent cannot go on (its notification socket failed):
 * the caller stops it then (ovs-xdpd exits with status 1). */
int agent_work(struct agent *a);
/* Logs (rate-limited) that WHAT, started at monotonic ms T0, held the
 * event loop long enough to risk the fast path's heartbeat. */
void agent_note_slow(const struct agent *a, const char *what, uint64_t t0);

/* Reconciles the mirror with a dump now (fresh kernel statistics). */
int agent_refresh_flows(struct agent *a);

/* Views for the control socket and the metrics endpoint. */
const struct agent_opts *agent_opts(const struct agent *a);
const char *agent_datapath(const struct agent *a);
/* The datapath's dp_ifindex, -1 while it is not there. */
int agent_dp_ifindex(const struct agent *a);
struct mirror *agent_mirror(struct agent *a);
struct engine *agent_engine(struct agent *a);
struct fastpath *agent_fastpath(struct agent *a);
struct fp_table *agent_table(struct agent *a);
size_t agent_n_ports(const struct agent *a);
const struct agent_port *agent_port(const struct agent *a, size_t i);
const struct port_table *agent_port_table(const struct agent *a);
/* Seconds from reading a flow notification to the fast path updated. */
const struct histogram *agent_sync_lag(const struct agent *a);

#endif
