/* The loaded XDP program: opening it (with the table sizes chosen before
 * load), attaching it to devices and detaching it (only ever our own),
 * and the maps user space keeps outside the flow table: ports, the
 * redirect targets, runtime settings, counters.
 *
 * Neighbours: fp-backend-bpf.c writes the flow table through the maps
 * this exposes; the agent (agent.c) drives attach and ports. */
#ifndef OVSX_FASTPATH_H
#define OVSX_FASTPATH_H

#include <stdbool.h>
#include <stdint.h>

#include "fp-backend-bpf.h"
#include "ovs-xdp-abi.h"

struct fastpath;

enum fastpath_mode {
	FASTPATH_NATIVE,  /* in the driver (XDP_FLAGS_DRV_MODE) */
	FASTPATH_GENERIC, /* on the skb path (XDP_FLAGS_SKB_MODE) */
};

const char *fastpath_mode_name(enum fastpath_mode m);

/* Loads the program with room for max_flows flows and max_masks masks.
 * Returns 0 or a negative errno (-EPERM without privileges). */
int fastpath_open(struct fastpath **out, uint32_t max_flows,
		  uint32_t max_masks);
/* Detaches nothing (see fastpath_detach); frees the loaded program. */
void fastpath_close(struct fastpath *fp);

/* Attaches to ifindex in 'mode'.  A fast path left by a previous agent is
 * replaced atomically (*adopted set); anyone else's program is never
 * replaced: -EBUSY.  Native mode fails with -EOPNOTSUPP where the driver
 * has no XDP. */
int fastpath_attach(struct fastpath *fp, int ifindex, enum fastpath_mode mode,
		    bool *adopted);
/* Detaches a previous agent's fast path from ifindex (a port this agent
 * does not accelerate); true if there was one. */
bool fastpath_detach_previous(int ifindex);
/* Detaches our program from ifindex; leaves anyone else's in place. */
int fastpath_detach(struct fastpath *fp, int ifindex, enum fastpath_mode mode);
uint32_t fastpath_prog_id(const struct fastpath *fp);
/* The program's fd (for bpf_prog_test_run_opts in tests and benchmarks). */
int fastpath_prog_fd(const struct fastpath *fp);

/* The accelerated ingress ports and the redirect targets.  set_port marks
 * the entry active itself; -EINVAL for an ifindex <= 0 or a stats_id not
 * below OVSX_MAX_PORTS. */
int fastpath_set_port(struct fastpath *fp, int ifindex,
		      const struct ovsx_port *p);
int fastpath_del_port(struct fastpath *fp, int ifindex);
int fastpath_set_target(struct fastpath *fp, int ifindex, bool present);

/* Runtime settings (through the mmapped config). */
void fastpath_set_keepalive(struct fastpath *fp, uint64_t interval_ns);
void fastpath_set_heartbeat(struct fastpath *fp, uint64_t deadline_ns);
/* enum ovsx_config_flags (benchmarks: OVSX_CFG_NO_EMC). */
void fastpath_set_flags(struct fastpath *fp, uint32_t flags);

/* The maps of the flow table, for fp_bpf_create(). */
const struct fp_bpf_maps *fastpath_table_maps(const struct fastpath *fp);
uint32_t fastpath_max_flows(const struct fastpath *fp);
uint32_t fastpath_max_masks(const struct fastpath *fp);

/* Counters summed over CPUs: out has OVSX_CTR__MAX entries. */
int fastpath_read_counters(struct fastpath *fp, uint64_t *out);
int fastpath_read_port_stats(struct fastpath *fp, uint32_t stats_id,
			     struct ovsx_port_stats *sum);

#endif
