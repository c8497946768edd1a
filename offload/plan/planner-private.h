/* Internals shared by the planner's files: planner.c (the verdict order),
 * plan-match.c (match projection), plan-actions.c (action compilation). */
#ifndef OVSX_PLANNER_PRIVATE_H
#define OVSX_PLANNER_PRIVATE_H

#include <stddef.h>

#include "flow-actions.h"
#include "flow-key.h"
#include "planner.h"

/* Fills pm from m (never fails). */
void plan_project_match(const struct flow_match *m, struct plan_match *pm);
/* For a flow whose match cannot be decoded: what its simple top-level
 * attributes (recirc_id, in_port, eth, outer EtherType) say, everything
 * else wildcarded, so that overlap with it is judged conservatively but
 * not against every flow of every port. */
void plan_project_partial(const struct odp_flow *f, struct plan_match *pm);
/* The verdict the match alone decides (detail may be filled), or
 * PLAN_OFFLOADED. */
enum plan_verdict plan_match_verdict(const struct flow_match *m, char *detail,
				     size_t n);
/* Compiles acts into p->actions (and p->group_ifindex) for a flow with
 * match m arriving on port 'in'.  Returns PLAN_OFFLOADED or the verdict
 * that refuses it, with p->detail filled. */
enum plan_verdict plan_compile_actions(const struct port_table *ports,
				       const struct port_info *in,
				       const struct flow_match *m,
				       const struct odp_actions *acts,
				       struct plan *p);

#endif
