/* Names and payload lengths of the OVS_KEY_ATTR_*, OVS_TUNNEL_KEY_ATTR_* and
 * OVS_ACTION_ATTR_* attributes, as the kernel module validates them.
 *
 * One table per attribute space, shared by the decoder (flow-key.c,
 * flow-actions.c), the text printer and parser (odp-text-*.c) and the
 * planner's reasons, so a name or a length is written down once. */
#ifndef OVSX_ODP_ATTRS_H
#define OVSX_ODP_ATTRS_H

#include <linux/openvswitch.h>
#include <stdbool.h>
#include <stddef.h>

/* Action ids newer than the 6.1 UAPI header this project builds against.
 * The numbers are fixed kernel ABI. */
#define ODP_ACTION_ATTR_DROP	  24 /* u32 drop reason; kernel >= 6.7 */
#define ODP_ACTION_ATTR_PSAMPLE	  25 /* nested; kernel >= 6.11 */
#define ODP_ACTION_ATTR_MAX_KNOWN ODP_ACTION_ATTR_PSAMPLE
#define ODP_PSAMPLE_ATTR_GROUP	  1
#define ODP_PSAMPLE_ATTR_COOKIE	  2

enum odp_attr_len {
	ODP_LEN_VARIABLE =
		-1, /* any length; checked by the attribute's decoder */
	ODP_LEN_NESTED = -2, /* a nested attribute stream */
};

struct odp_attr_info {
	const char *name; /* the name Open vSwitch prints, e.g. "ipv4" */
	int len;	  /* exact payload length, or an enum odp_attr_len */
};

/* Each returns NULL for an id the kernel module does not define. */
const struct odp_attr_info *odp_key_attr_info(int type);
const struct odp_attr_info *odp_tunnel_attr_info(int type);
const struct odp_attr_info *odp_action_attr_info(int type);

/* True if a payload of 'len' bytes is what 'info' requires. */
bool odp_attr_len_ok(const struct odp_attr_info *info, size_t len);

#endif
