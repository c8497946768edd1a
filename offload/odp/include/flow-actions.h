/* The decoded action list of a megaflow.
 *
 * odp_actions_decode() turns an OVS_ACTION_ATTR_* stream into an array of
 * struct odp_action, recursing into clone, sample, check_pkt_len and dec_ttl.
 * Payload pointers are borrowed from the stream, which must outlive the
 * decoded list.  Unknown or malformed actions are never guessed at: the list
 * is marked not understood with the reason.  The planner reads it; the text
 * printer works on the raw stream. */
#ifndef OVSX_FLOW_ACTIONS_H
#define OVSX_FLOW_ACTIONS_H

#include <linux/openvswitch.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "odp-attrs.h"

struct odp_actions;

/* OVS_ACTION_ATTR_SET / SET_MASKED: one key attribute to rewrite. */
struct odp_set_action {
	int key_type;	   /* OVS_KEY_ATTR_* */
	bool masked;	   /* SET_MASKED */
	const void *value; /* the key attribute's payload (ovs_key_* struct) */
	const void *mask;  /* same size as value; NULL for a plain SET */
	size_t len;	   /* size of value (and of mask) */
};

/* OVS_ACTION_ATTR_CT, reduced to what planning needs. */
struct odp_ct_action {
	bool commit, force_commit, nat;
	uint16_t zone;
	bool has_zone, has_mark, has_labels, has_helper, has_timeout;
};

struct odp_action {
	int type; /* OVS_ACTION_ATTR_* or ODP_ACTION_ATTR_* */
	union {
		uint32_t port;	      /* OUTPUT */
		uint32_t recirc_id;   /* RECIRC */
		uint32_t meter_id;    /* METER */
		uint32_t trunc_len;   /* TRUNC */
		uint32_t drop_reason; /* DROP */
		struct ovs_action_push_vlan push_vlan;
		struct ovs_action_hash hash;
		struct ovs_action_push_mpls push_mpls;
		struct ovs_action_add_mpls add_mpls;
		__be16 pop_mpls_ethertype;
		struct ovs_action_push_eth push_eth;
		struct odp_set_action set; /* SET, SET_MASKED */
		struct odp_ct_action ct;
		struct {
			uint32_t probability; /* UINT32_MAX = always */
			struct odp_actions *actions;
		} sample;
		struct {
			uint16_t pkt_len;
			struct odp_actions *greater, *less_equal;
		} check_pkt_len;
		struct odp_actions *nested; /* CLONE, DEC_TTL (le_1 branch) */
		struct {
			uint32_t pid;
		} userspace;
	} u;
};

struct odp_actions {
	size_t n;
	struct odp_action *a;
	bool understood;
	char reason[96]; /* why not understood */
};

/* Decodes an action stream.  Returns a list (check ->understood) or NULL
 * with errno = ENOMEM.  An empty stream is a valid, empty list (drop). */
struct odp_actions *odp_actions_decode(const void *data, size_t len);
/* Frees a list and its nested lists.  Accepts NULL. */
void odp_actions_free(struct odp_actions *acts);

#endif
