/* The XDP program loaded for tests, and its maps written exactly as the
 * ABI (include/ovs-xdp-abi.h) says user space writes them: a megaflow's
 * mask gets a mask id (shared by equal masks), its actions a fresh slot,
 * then flows[] points to the slot and config.generation is bumped.
 *
 * Frames run through bpf_prog_test_run_opts() on the loopback device
 * (ifindex 1), which is therefore the ingress port.  The process is pinned
 * to one CPU so that the per-CPU cache and counters read back as one. */
#ifndef OVSX_XDP_FIXTURE_H
#define OVSX_XDP_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#include "ovs-xdp-abi.h"

#define FIXTURE_IFINDEX	  1 /* lo: test_run's ingress device */
#define FIXTURE_MAX_PORTS 16

struct xdp_fixture;

/* Loads the program; ends the test binary as skipped when this machine
 * cannot (not root, BPF refused), fails it when the verifier refuses. */
struct xdp_fixture *fixture_open(void);
void fixture_close(struct xdp_fixture *f);

/* Back to an empty flow table, no ports, no egress devices, zero config
 * (the generation excepted, which only grows). */
void fixture_reset(struct xdp_fixture *f);

/* ports[ifindex] (ports_far[] from OVSX_PORT_INDEX_LIMIT on) =
 * {port_no, flags | OVSX_PORT_ACTIVE, stats_id = port_no}; -ENOSPC after
 * FIXTURE_MAX_PORTS of them. */
int fixture_add_port(struct xdp_fixture *f, uint32_t ifindex, uint32_t port_no,
		     uint32_t flags);
/* The megaflow key/mask -> actions; returns its slot or -errno. */
int fixture_add_flow(struct xdp_fixture *f, const struct ovsx_key *key,
		     const struct ovsx_key *mask,
		     const struct ovsx_actions *actions);
/* Egress devices: tx_ports[ifindex], group_<id> = {ifindex...}. */
int fixture_add_tx_port(struct xdp_fixture *f, uint32_t ifindex);
int fixture_set_group(struct xdp_fixture *f, uint32_t id,
		      const uint32_t *ifindex, size_t n);
/* The mmapped config, for the heartbeat, keepalive and generation. */
volatile struct ovsx_config *fixture_config(struct xdp_fixture *f);

/* Runs one frame; returns the XDP verdict (or -errno) and leaves the frame
 * as the program left it in out/out_len (in: the room in out). */
int fixture_run(struct xdp_fixture *f, const void *frame, size_t len, void *out,
		uint32_t *out_len);

/* Read-back, summed over CPUs. */
uint64_t fixture_counter(struct xdp_fixture *f, enum ovsx_counter c);
int fixture_flow_stats(struct xdp_fixture *f, uint32_t slot,
		       struct ovsx_flow_stats *sum);
int fixture_port_stats(struct xdp_fixture *f, uint32_t stats_id,
		       struct ovsx_port_stats *sum);
int fixture_keepalive(struct xdp_fixture *f, uint32_t slot,
		      uint64_t last_pass_ns);
/* The key the program parses from 'frame' (through a catch-all flow and
 * the exact-match cache); -ENOENT if the program passes it unparsed.
 * Resets the fixture. */
int fixture_parse(struct xdp_fixture *f, const void *frame, size_t len,
		  struct ovsx_key *key);
/* bpf_prog_info.verified_insns of the entry program (0 if unknown). */
uint32_t fixture_verified_insns(struct xdp_fixture *f);

#endif
