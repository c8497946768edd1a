/* Shared by the planner and engine unit tests: a port table of known shape
 * and flows written in dump-flows syntax. */
#ifndef OVSX_PLAN_FIXTURE_H
#define OVSX_PLAN_FIXTURE_H

#include "flow.h"
#include "ports.h"

/* Ports: 0 br0 (internal), 1..3 veth-like netdevs (ifindex 11..13, MTU
 * 1500, accelerated), 4 a tunnel (rx/tx limited), 5 a netdev whose peer
 * cannot receive redirects (ifindex 15). */
void fixture_ports(struct port_table *t);
/* Parses a flow written as its match and its actions in dump-flows syntax
 * into f, which it initialises; fails the test on a parse error.  A UFID is
 * derived from 'id' when non-zero. */
void fixture_flow(struct odp_flow *f, const char *match, const char *actions,
		  int id);

#endif
