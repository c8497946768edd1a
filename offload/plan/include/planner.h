/* The planner: one verdict per megaflow, from a fixed list, and for the
 * flows that can run in XDP their compiled form (struct ovsx_key match and
 * struct ovsx_actions, per include/ovs-xdp-abi.h).
 *
 * plan_flow() judges one flow alone, against the port table.  Verdicts that
 * depend on the other flows (overlap) or on the maps (table full) are given
 * by the offload engine (engine/engine.c) and the table (fp-table.c); they are in
 * the same list so that the CLI and the metrics see one set of reasons. */
#ifndef OVSX_PLANNER_H
#define OVSX_PLANNER_H

#include <stdbool.h>
#include <stddef.h>

#include "flow.h"
#include "ovs-xdp-abi.h"
#include "ports.h"

/* X(name, label, text): label is the metric label and JSON reason key. */
#define PLAN_VERDICTS(X)                                                   \
	X(OFFLOADED, "offloaded", "offloaded")                             \
	X(NOT_UNDERSTOOD, "not_understood", "not understood")              \
	X(RECIRC, "recirc_id", "recirc_id is not 0")                       \
	X(TUNNEL, "tunnel_match", "matches tunnel metadata")               \
	X(CONNTRACK, "conntrack_match", "matches conntrack state")         \
	X(METADATA, "metadata_match",                                      \
	  "matches skb_mark, skb_priority or dp_hash")                     \
	X(MATCH_FIELD, "match_unsupported",                                \
	  "matches a field the fast path does not parse")                  \
	X(IN_PORT_WILDCARD, "in_port_wildcarded", "in_port is wildcarded") \
	X(IN_PORT, "in_port_not_accelerated", "in_port not accelerated")   \
	X(ACTION, "action_unsupported", "action not supported")            \
	X(OUTPUT_PORT, "output_port_no_xdp",                               \
	  "output port cannot receive XDP frames")                         \
	X(OVERLAP, "overlap", "overlaps a flow that stays in the kernel")  \
	X(TABLE_FULL, "table_full", "table full")

enum plan_verdict {
#define PLAN_VERDICT_ENUM(name, label, text) PLAN_##name,
	PLAN_VERDICTS(PLAN_VERDICT_ENUM)
#undef PLAN_VERDICT_ENUM
	PLAN__N_VERDICTS
};

const char *plan_verdict_label(enum plan_verdict v);
const char *plan_verdict_text(enum plan_verdict v);

/* A flow's match in the fast path's key space.  For a flow that cannot be
 * offloaded it is still computed (widened: fields the fast path does not
 * see are dropped from the mask), so that overlap with it can be judged. */
struct plan_match {
	struct ovsx_key key; /* already ANDed with mask */
	struct ovsx_key mask;
	/* False if no frame the fast path handles can match the flow (it
	 * needs recirculation, a tunnel or a conntrack state): such a flow
	 * cannot overlap an offloaded one. */
	bool first_pass;
};

struct plan {
	enum plan_verdict verdict;
	char detail[192]; /* the specific reason, "" if the text says it all */
	struct plan_match match;
	/* Compiled actions; valid when verdict is PLAN_OFFLOADED. */
	struct ovsx_actions actions;
	/* OVSX_OUT_GROUP: the ifindexes of the group's ports (the group id
	 * in actions is the table's to assign). */
	int group_ifindex[OVSX_MAX_GROUP_PORTS];
	size_t n_group;
};

/* Judges flow f against the ports.  Fills *p; never fails (a flow that
 * cannot be decoded gets PLAN_NOT_UNDERSTOOD and a projection from its
 * top-level attributes only, wide enough for a safe overlap check). */
void plan_flow(const struct port_table *ports, const struct odp_flow *f,
	       struct plan *p);

/* True if some frame can match both (each key already masked). */
bool plan_match_overlap(const struct plan_match *a, const struct plan_match *b);
/* The same for two first-pass matches given as keys and masks. */
bool plan_keys_overlap(const struct ovsx_key *ka, const struct ovsx_key *ma,
		       const struct ovsx_key *kb, const struct ovsx_key *mb);

#endif
