/* Internals shared by agent.c (lifecycle, event handling) and
 * agent-ports.c (ports: probe, classify, attach). */
#ifndef OVSX_AGENT_PRIVATE_H
#define OVSX_AGENT_PRIVATE_H

#include "agent.h"
#include "fp-backend-bpf.h"
#include "fp-table.h"
#include "link-monitor.h"
#include "live-mirror.h"
#include "ovs-nl.h"

struct agent {
	struct agent_opts opts;
	struct ovs_nl *nl;
	int dp_ifindex; /* -1 while the datapath is gone */
	struct live_mirror *lm;
	struct port_table ports;
	struct agent_port *aports; /* by position; see agent-ports.c */
	size_t n_aports, cap_aports;
	struct fastpath *fp;
	struct fp_backend *backend;
	struct fp_table *table;
	struct engine *engine;
	struct link_monitor *links; /* NULL if it could not be opened */
	bool ports_dirty; /* a vport or link event asks for a refresh */
	int ovsdb_err;	  /* the last database read's result, said once */
	uint64_t next_probe, next_heartbeat, next_tick;
};

/* Brings the ports in line with the datapath's vports: probes, attaches
 * new ones, detaches vanished ones, updates the fast path's port maps, and
 * re-plans every flow if any port's capabilities changed.  While the
 * datapath is gone (dp_ifindex -1) there is no port. */
int agent_refresh_ports(struct agent *a);
/* Renews the fast path's heartbeat if it is due: also from within long
 * work (probing many ports), which is the agent alive and working. */
void agent_heartbeat_if_due(struct agent *a);
/* Detaches our program from every port (at stop). */
void agent_detach_all(struct agent *a);

#endif
