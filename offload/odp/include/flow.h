/* The megaflow as the kernel datapath reports it.
 *
 * struct odp_flow keeps the key, mask and actions as the netlink attribute
 * streams of OVS_FLOW_ATTR_KEY/MASK/ACTIONS, exactly as received (or as
 * built by the text parser), so that comparing two views of a flow is a byte
 * comparison and printing follows the kernel's attribute order.  The decoded
 * forms (flow-key.h, flow-actions.h) are derived from these bytes.
 *
 * Neighbours: ovs-nl.c fills odp_flows from dumps and notifications,
 * odp-text-*.c print and parse them, mirror.c keeps a table of them. */
#ifndef OVSX_FLOW_H
#define OVSX_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"

#define UFID_MAX_LEN 16

struct flow_stats {
	uint64_t packets;
	uint64_t bytes;
	uint64_t used_ms;   /* CLOCK_MONOTONIC ms of the last packet; 0 never */
	uint16_t tcp_flags; /* OR of the TCP flags seen */
};

struct odp_flow {
	uint8_t ufid[UFID_MAX_LEN];
	uint8_t ufid_len; /* 0: the flow is identified by its key */
	bool has_key;
	bool has_mask;	  /* false: every field present in the key is exact */
	bool has_actions; /* false: omitted by the kernel (terse or too big) */
	struct buf key;	  /* OVS_KEY_ATTR_* stream */
	struct buf mask;  /* OVS_KEY_ATTR_* stream */
	struct buf actions; /* OVS_ACTION_ATTR_* stream; empty means drop */
	struct flow_stats stats;
};

/* Initialises an empty flow. */
void odp_flow_init(struct odp_flow *f);
/* Frees what the flow owns; the flow is left empty.  Accepts NULL. */
void odp_flow_destroy(struct odp_flow *f);
/* Makes dst a deep copy of src.  Returns 0 or -ENOMEM (dst then empty). */
int odp_flow_copy(struct odp_flow *dst, const struct odp_flow *src);

/* Identity: the UFID if the flow has one, otherwise its key bytes (the
 * kernel identifies UFID-less flows by their unmasked key). */
uint32_t odp_flow_id_hash(const struct odp_flow *f);
bool odp_flow_id_equal(const struct odp_flow *a, const struct odp_flow *b);

/* True if match (key, mask) and actions are the same; statistics are not
 * compared. */
bool odp_flow_same_rule(const struct odp_flow *a, const struct odp_flow *b);

#endif
