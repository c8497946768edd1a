/* The offload engine: the mirror's subscriber, which keeps the fast path
 * equal to the set of flows that can run in XDP.
 *
 * For each mirrored flow it asks the planner for a verdict, then settles
 * what only the whole table can settle: a flow that could run in XDP is
 * refused if it overlaps a flow that stays in the kernel (or an offloaded
 * flow with other actions), since the fast path would then capture frames
 * the kernel gives to another flow; a flow that does not fit the maps gets
 * "table full".  Flows are re-judged when what blocked them goes away and
 * when the ports change.
 *
 * Neighbours: mirror.c feeds it (engine_mirror_cb); planner.c judges;
 * fp-table.c installs; the daemon and CLI read verdicts and statistics. */
#ifndef OVSX_ENGINE_H
#define OVSX_ENGINE_H

#include <stdint.h>

#include "flow.h"
#include "fp-table.h"
#include "mirror.h"
#include "planner.h"
#include "ports.h"

struct engine;

struct engine_stats {
	uint64_t by_verdict[PLAN__N_VERDICTS]; /* flows now holding each */
	uint64_t installs, removals, replans;
	uint64_t install_errors;
};

/* The engine reads ports and writes table; both outlive it.  now_ms is its
 * clock (CLOCK_MONOTONIC ms; injectable for tests). */
struct engine *engine_create(const struct port_table *ports,
			     struct fp_table *table, uint64_t (*now_ms)(void));
void engine_destroy(struct engine *o);

/* The mirror callback (aux: the engine). */
void engine_mirror_cb(void *aux, enum mirror_change change,
		      const struct odp_flow *old, const struct odp_flow *cur);

/* Judges every flow again (the ports changed). */
void engine_replan_all(struct engine *o);
/* Periodic work: frees quarantined table resources and retries flows that
 * found the table full, as far as there is room. */
void engine_tick(struct engine *o);

/* A flow's verdict and its detail text (""), or -ENOENT if unknown.  f is
 * the mirror's record (as passed to the callback). */
int engine_verdict(const struct engine *o, const struct odp_flow *f,
		   enum plan_verdict *v, const char **detail);
/* Frames and bytes the fast path handled for f (0 if never offloaded). */
int engine_flow_stats(const struct engine *o, const struct odp_flow *f,
		      struct ovsx_flow_stats *s);
const struct engine_stats *engine_get_stats(const struct engine *o);

#endif
