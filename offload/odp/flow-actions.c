/* Decoding of an OVS_ACTION_ATTR_* stream into struct odp_actions (see
 * include/flow-actions.h).
 *
 * Each action is checked against the length table of odp-attrs.c, and each
 * nested attribute set (ct, nat, userspace, sample, check_pkt_len, dec_ttl,
 * psample) against a small policy table here, the way the kernel parses
 * them.  Nested action lists are decoded recursively, to a bounded depth.
 * Payload pointers (SET values and masks) are borrowed from the stream and
 * only 4-byte aligned.
 *
 * Neighbours: flow.h holds the raw stream; the planner reads the list. */
#include "flow-actions.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow-key.h"
#include "nlattr.h"

/* Nested action lists below the top one.  The kernel's own bounds are
 * smaller for sample/clone; the limit only guards our recursion. */
#define ACTIONS_MAX_DEPTH 8

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct nested_policy {
	const char *what; /* the action, for reasons */
	const struct odp_attr_info *attrs;
	size_t n;
};

static const struct odp_attr_info ct_attrs[] = {
	[OVS_CT_ATTR_COMMIT] = {"commit", 0},
	[OVS_CT_ATTR_ZONE] = {"zone", 2},
	[OVS_CT_ATTR_MARK] = {"mark", 8},
	[OVS_CT_ATTR_LABELS] = {"labels", 2 * OVS_CT_LABELS_LEN},
	[OVS_CT_ATTR_HELPER] = {"helper", ODP_LEN_VARIABLE},
	[OVS_CT_ATTR_NAT] = {"nat", ODP_LEN_NESTED},
	[OVS_CT_ATTR_FORCE_COMMIT] = {"force_commit", 0},
	[OVS_CT_ATTR_EVENTMASK] = {"eventmask", 4},
	[OVS_CT_ATTR_TIMEOUT] = {"timeout", ODP_LEN_VARIABLE},
};

static const struct odp_attr_info nat_attrs[] = {
	[OVS_NAT_ATTR_SRC] = {"src", 0},
	[OVS_NAT_ATTR_DST] = {"dst", 0},
	[OVS_NAT_ATTR_IP_MIN] = {"ip_min", ODP_LEN_VARIABLE},
	[OVS_NAT_ATTR_IP_MAX] = {"ip_max", ODP_LEN_VARIABLE},
	[OVS_NAT_ATTR_PROTO_MIN] = {"proto_min", 2},
	[OVS_NAT_ATTR_PROTO_MAX] = {"proto_max", 2},
	[OVS_NAT_ATTR_PERSISTENT] = {"persistent", 0},
	[OVS_NAT_ATTR_PROTO_HASH] = {"hash", 0},
	[OVS_NAT_ATTR_PROTO_RANDOM] = {"random", 0},
};

static const struct odp_attr_info userspace_attrs[] = {
	[OVS_USERSPACE_ATTR_PID] = {"pid", 4},
	[OVS_USERSPACE_ATTR_USERDATA] = {"userdata", ODP_LEN_VARIABLE},
	[OVS_USERSPACE_ATTR_EGRESS_TUN_PORT] = {"tunnel_out_port", 4},
	[OVS_USERSPACE_ATTR_ACTIONS] = {"actions", 0},
};

static const struct odp_attr_info sample_attrs[] = {
	[OVS_SAMPLE_ATTR_PROBABILITY] = {"probability", 4},
	[OVS_SAMPLE_ATTR_ACTIONS] = {"actions", ODP_LEN_NESTED},
};

static const struct odp_attr_info check_pkt_len_attrs[] = {
	[OVS_CHECK_PKT_LEN_ATTR_PKT_LEN] = {"size", 2},
	[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER] = {"gt", ODP_LEN_NESTED},
	[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL] = {"le", ODP_LEN_NESTED},
};

static const struct odp_attr_info dec_ttl_attrs[] = {
	[OVS_DEC_TTL_ATTR_ACTION] = {"le_1", ODP_LEN_NESTED},
};

static const struct odp_attr_info psample_attrs[] = {
	[ODP_PSAMPLE_ATTR_GROUP] = {"group", 4},
	[ODP_PSAMPLE_ATTR_COOKIE] = {"cookie", ODP_LEN_VARIABLE},
};

#define POLICY(what, table)                    \
	{                                      \
		what, table, ARRAY_SIZE(table) \
	}

static const struct nested_policy ct_policy = POLICY("ct", ct_attrs);
static const struct nested_policy nat_policy = POLICY("ct: nat", nat_attrs);
static const struct nested_policy userspace_policy =
	POLICY("userspace", userspace_attrs);
static const struct nested_policy sample_policy =
	POLICY("sample", sample_attrs);
static const struct nested_policy check_pkt_len_policy =
	POLICY("check_pkt_len", check_pkt_len_attrs);
static const struct nested_policy dec_ttl_policy =
	POLICY("dec_ttl", dec_ttl_attrs);
static const struct nested_policy psample_policy =
	POLICY("psample", psample_attrs);

/* Entries in the tb[] arrays: the largest table above. */
#define NESTED_MAX 10
_Static_assert(ARRAY_SIZE(ct_attrs) <= NESTED_MAX, "ct table");
_Static_assert(ARRAY_SIZE(nat_attrs) <= NESTED_MAX, "nat table");
_Static_assert(ARRAY_SIZE(userspace_attrs) <= NESTED_MAX, "userspace");
_Static_assert(ARRAY_SIZE(check_pkt_len_attrs) <= NESTED_MAX, "cpl table");

static struct odp_actions *decode_list(const void *data, size_t len, int depth);

__attribute__((format(printf, 2, 3))) static int
not_understood(struct odp_actions *acts, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(acts->reason, sizeof acts->reason, fmt, ap);
	va_end(ap);
	acts->understood = false;
	return -EINVAL;
}

/* Fills tb[type] from a nested set checked against 'p': unknown ids, wrong
 * lengths and duplicates are not understood.  The kernel rejects them too,
 * except under dec_ttl, whose unknown attributes it ignores and never
 * dumps; we refuse them there as well rather than guess. */
static int parse_nested(struct odp_actions *acts, const struct nlattr *nest,
			const struct nested_policy *p,
			const struct nlattr *tb[NESTED_MAX])
{
	const struct nlattr *a;
	size_t left;

	memset(tb, 0, NESTED_MAX * sizeof *tb);
	if (!attr_stream_valid(attr_data(nest), attr_len(nest)))
		return not_understood(acts, "%s: attribute stream truncated",
				      p->what);
	attr_for_each_nested(a, nest, left)
	{
		int type = attr_type(a);
		const struct odp_attr_info *info =
			(size_t)type < p->n ? &p->attrs[type] : NULL;

		if (!info || !info->name)
			return not_understood(acts, "%s: unknown attribute %d",
					      p->what, type);
		if (!odp_attr_len_ok(info, attr_len(a)))
			return not_understood(
				acts,
				"%s: attribute %s: length %zu, expected %d",
				p->what, info->name, attr_len(a), info->len);
		if (tb[type])
			return not_understood(acts,
					      "%s: duplicate attribute %s",
					      p->what, info->name);
		tb[type] = a;
	}
	return 0;
}

/* Decodes a nested action list into *out.  A list that is not understood
 * makes its parent not understood, with the nested reason. */
static int decode_sub(struct odp_actions *acts, const struct nlattr *a,
		      int depth, struct odp_actions **out)
{
	*out = decode_list(attr_data(a), attr_len(a), depth + 1);
	if (!*out)
		return -ENOMEM;
	if (!(*out)->understood)
		return not_understood(acts, "%s", (*out)->reason);
	return 0;
}

static int decode_push_vlan(struct odp_actions *acts, struct odp_action *act,
			    const struct nlattr *a)
{
	struct ovs_action_push_vlan *pv = &act->u.push_vlan;

	memcpy(pv, attr_data(a), sizeof *pv);
	if (pv->vlan_tpid != htons(0x8100) && pv->vlan_tpid != htons(0x88a8))
		return not_understood(
			acts, "push_vlan: tpid 0x%04x is not a vlan tpid",
			ntohs(pv->vlan_tpid));
	if (!(pv->vlan_tci & htons(FLOW_VLAN_PRESENT)))
		return not_understood(
			acts, "push_vlan: tci 0x%04x without the present bit",
			ntohs(pv->vlan_tci));
	return 0;
}

/* The size of one value of a settable key attribute, or 0 with the reason
 * set.  MPLS is settable one label stack entry at a time. */
static size_t set_value_size(struct odp_actions *acts, const char *what,
			     const struct nlattr *key, bool masked)
{
	int type = attr_type(key);
	const struct odp_attr_info *info = odp_key_attr_info(type);

	if (!info) {
		not_understood(acts, "%s: unknown key attribute %d", what,
			       type);
		return 0;
	}
	if (type == OVS_KEY_ATTR_MPLS)
		return sizeof(struct ovs_key_mpls);
	if (info->len >= 0)
		return (size_t)info->len;
	/* Nested key attributes: a plain SET of TUNNEL (or NSH) carries the
	 * nest itself; the kernel masks neither and never sets ENCAP. */
	if (masked || type == OVS_KEY_ATTR_ENCAP)
		not_understood(acts, "%s: key attribute %s cannot be set", what,
			       info->name);
	else if (!attr_stream_valid(attr_data(key), attr_len(key)))
		not_understood(acts, "%s: %s attribute stream truncated", what,
			       info->name);
	else
		return attr_len(key);
	return 0;
}

static int decode_set(struct odp_actions *acts, struct odp_action *act,
		      const struct nlattr *nest, bool masked)
{
	struct odp_set_action *set = &act->u.set;
	const char *what = masked ? "set_masked" : "set";
	const struct nlattr *a, *key = NULL;
	const uint8_t *v, *mk;
	size_t left, n = 0, size;

	if (!attr_stream_valid(attr_data(nest), attr_len(nest)))
		return not_understood(acts, "%s: attribute stream truncated",
				      what);
	attr_for_each_nested(a, nest, left)
	{
		key = a;
		n++;
	}
	if (n != 1)
		return not_understood(
			acts, "%s: %zu key attributes, expected 1", what, n);
	size = set_value_size(acts, what, key, masked);
	if (!size && !acts->understood)
		return -EINVAL;
	if (attr_len(key) != (masked ? 2 * size : size))
		return not_understood(
			acts, "%s: key attribute %s: length %zu, expected %zu",
			what, odp_key_attr_info(attr_type(key))->name,
			attr_len(key), masked ? 2 * size : size);
	set->key_type = attr_type(key);
	set->masked = masked;
	set->value = attr_data(key);
	set->mask = masked ? (const uint8_t *)attr_data(key) + size : NULL;
	set->len = size;
	v = set->value;
	mk = set->mask;
	for (size_t i = 0; masked && i < size; i++)
		if (v[i] & ~mk[i])
			return not_understood(
				acts, "%s: %s value has bits outside the mask",
				what, odp_key_attr_info(set->key_type)->name);
	return 0;
}

static int decode_nat(struct odp_actions *acts, const struct nlattr *nest)
{
	const struct nlattr *tb[NESTED_MAX];
	int ip[] = {OVS_NAT_ATTR_IP_MIN, OVS_NAT_ATTR_IP_MAX};

	if (parse_nested(acts, nest, &nat_policy, tb))
		return -EINVAL;
	if (tb[OVS_NAT_ATTR_SRC] && tb[OVS_NAT_ATTR_DST])
		return not_understood(acts, "ct: nat: both src and dst");
	for (size_t i = 0; i < ARRAY_SIZE(ip); i++) {
		const struct nlattr *a = tb[ip[i]];

		if (a && attr_len(a) != 4 && attr_len(a) != 16)
			return not_understood(
				acts,
				"ct: nat: attribute %s: length %zu, expected 4 or 16",
				nat_attrs[ip[i]].name, attr_len(a));
	}
	return 0;
}

static int decode_ct(struct odp_actions *acts, struct odp_ct_action *ct,
		     const struct nlattr *nest)
{
	const struct nlattr *tb[NESTED_MAX];

	if (parse_nested(acts, nest, &ct_policy, tb))
		return -EINVAL;
	if (tb[OVS_CT_ATTR_NAT] && decode_nat(acts, tb[OVS_CT_ATTR_NAT]))
		return -EINVAL;
	ct->commit = tb[OVS_CT_ATTR_COMMIT] != NULL;
	ct->force_commit = tb[OVS_CT_ATTR_FORCE_COMMIT] != NULL;
	ct->nat = tb[OVS_CT_ATTR_NAT] != NULL;
	ct->has_zone = tb[OVS_CT_ATTR_ZONE] != NULL;
	if (ct->has_zone)
		ct->zone = attr_get_u16(tb[OVS_CT_ATTR_ZONE]);
	ct->has_mark = tb[OVS_CT_ATTR_MARK] != NULL;
	ct->has_labels = tb[OVS_CT_ATTR_LABELS] != NULL;
	ct->has_helper = tb[OVS_CT_ATTR_HELPER] != NULL;
	ct->has_timeout = tb[OVS_CT_ATTR_TIMEOUT] != NULL;
	return 0;
}

static int decode_userspace(struct odp_actions *acts, struct odp_action *act,
			    const struct nlattr *nest)
{
	const struct nlattr *tb[NESTED_MAX];

	if (parse_nested(acts, nest, &userspace_policy, tb))
		return -EINVAL;
	if (!tb[OVS_USERSPACE_ATTR_PID] ||
	    !attr_get_u32(tb[OVS_USERSPACE_ATTR_PID]))
		return not_understood(acts, "userspace: missing pid");
	act->u.userspace.pid = attr_get_u32(tb[OVS_USERSPACE_ATTR_PID]);
	return 0;
}

static int decode_sample(struct odp_actions *acts, struct odp_action *act,
			 const struct nlattr *nest, int depth)
{
	const struct nlattr *tb[NESTED_MAX];

	if (parse_nested(acts, nest, &sample_policy, tb))
		return -EINVAL;
	if (!tb[OVS_SAMPLE_ATTR_PROBABILITY] || !tb[OVS_SAMPLE_ATTR_ACTIONS])
		return not_understood(acts,
				      "sample: missing probability or actions");
	act->u.sample.probability =
		attr_get_u32(tb[OVS_SAMPLE_ATTR_PROBABILITY]);
	return decode_sub(acts, tb[OVS_SAMPLE_ATTR_ACTIONS], depth,
			  &act->u.sample.actions);
}

static int decode_check_pkt_len(struct odp_actions *acts,
				struct odp_action *act,
				const struct nlattr *nest, int depth)
{
	const struct nlattr *tb[NESTED_MAX];
	int err;

	if (parse_nested(acts, nest, &check_pkt_len_policy, tb))
		return -EINVAL;
	if (!tb[OVS_CHECK_PKT_LEN_ATTR_PKT_LEN] ||
	    !tb[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER] ||
	    !tb[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL])
		return not_understood(
			acts, "check_pkt_len: missing size or a branch");
	act->u.check_pkt_len.pkt_len =
		attr_get_u16(tb[OVS_CHECK_PKT_LEN_ATTR_PKT_LEN]);
	err = decode_sub(acts, tb[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER],
			 depth, &act->u.check_pkt_len.greater);
	if (err)
		return err;
	return decode_sub(acts,
			  tb[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL],
			  depth, &act->u.check_pkt_len.less_equal);
}

static int decode_dec_ttl(struct odp_actions *acts, struct odp_action *act,
			  const struct nlattr *nest, int depth)
{
	const struct nlattr *tb[NESTED_MAX];

	if (parse_nested(acts, nest, &dec_ttl_policy, tb))
		return -EINVAL;
	if (!tb[OVS_DEC_TTL_ATTR_ACTION])
		return not_understood(acts, "dec_ttl: missing le_1 actions");
	return decode_sub(acts, tb[OVS_DEC_TTL_ATTR_ACTION], depth,
			  &act->u.nested);
}

static int decode_psample(struct odp_actions *acts, const struct nlattr *nest)
{
	const struct nlattr *tb[NESTED_MAX];

	if (parse_nested(acts, nest, &psample_policy, tb))
		return -EINVAL;
	if (!tb[ODP_PSAMPLE_ATTR_GROUP])
		return not_understood(acts, "psample: missing group");
	if (tb[ODP_PSAMPLE_ATTR_COOKIE] &&
	    attr_len(tb[ODP_PSAMPLE_ATTR_COOKIE]) > 16)
		return not_understood(
			acts, "psample: cookie of %zu bytes, at most 16",
			attr_len(tb[ODP_PSAMPLE_ATTR_COOKIE]));
	return 0;
}

/* Actions with nested payloads. */
static int decode_nested_action(struct odp_actions *acts,
				struct odp_action *act, const struct nlattr *a,
				int depth)
{
	switch (act->type) {
	case OVS_ACTION_ATTR_SET:
		return decode_set(acts, act, a, false);
	case OVS_ACTION_ATTR_SET_MASKED:
		return decode_set(acts, act, a, true);
	case OVS_ACTION_ATTR_CT:
		return decode_ct(acts, &act->u.ct, a);
	case OVS_ACTION_ATTR_USERSPACE:
		return decode_userspace(acts, act, a);
	case OVS_ACTION_ATTR_SAMPLE:
		return decode_sample(acts, act, a, depth);
	case OVS_ACTION_ATTR_CLONE:
		/* The kernel adds and strips its OVS_CLONE_ATTR_EXEC marker:
		 * the payload is a plain action list. */
		return decode_sub(acts, a, depth, &act->u.nested);
	case OVS_ACTION_ATTR_CHECK_PKT_LEN:
		return decode_check_pkt_len(acts, act, a, depth);
	case OVS_ACTION_ATTR_DEC_TTL:
		return decode_dec_ttl(acts, act, a, depth);
	case ODP_ACTION_ATTR_PSAMPLE:
		return decode_psample(acts, a);
	}
	/* PUSH_NSH: understood as a type, its header is not decoded. */
	return 0;
}

/* Decodes one action into *act (zeroed by the caller). */
static int decode_action(struct odp_actions *acts, struct odp_action *act,
			 const struct nlattr *a, int depth)
{
	int type = attr_type(a);
	const struct odp_attr_info *info = odp_action_attr_info(type);
	const void *p = attr_data(a);

	if (!info)
		return not_understood(acts, "unknown action %d", type);
	if (!odp_attr_len_ok(info, attr_len(a)))
		return not_understood(acts,
				      "action %s: length %zu, expected %d",
				      info->name, attr_len(a), info->len);
	act->type = type;
	switch (type) {
	case OVS_ACTION_ATTR_OUTPUT:
	case OVS_ACTION_ATTR_RECIRC:
	case OVS_ACTION_ATTR_METER:
	case OVS_ACTION_ATTR_TRUNC:
	case ODP_ACTION_ATTR_DROP:
		/* port, recirc_id, meter_id, trunc_len and drop_reason share
		 * the union's first four bytes. */
		act->u.port = attr_get_u32(a);
		return 0;
	case OVS_ACTION_ATTR_PUSH_VLAN:
		return decode_push_vlan(acts, act, a);
	case OVS_ACTION_ATTR_HASH:
		memcpy(&act->u.hash, p, sizeof act->u.hash);
		return 0;
	case OVS_ACTION_ATTR_PUSH_MPLS:
		memcpy(&act->u.push_mpls, p, sizeof act->u.push_mpls);
		return 0;
	case OVS_ACTION_ATTR_ADD_MPLS:
		memcpy(&act->u.add_mpls, p, sizeof act->u.add_mpls);
		return 0;
	case OVS_ACTION_ATTR_POP_MPLS:
		act->u.pop_mpls_ethertype = attr_get_u16(a);
		return 0;
	case OVS_ACTION_ATTR_PUSH_ETH:
		memcpy(&act->u.push_eth, p, sizeof act->u.push_eth);
		return 0;
	}
	if (info->len == 0)
		return 0; /* POP_VLAN, POP_ETH, CT_CLEAR, POP_NSH */
	return decode_nested_action(acts, act, a, depth);
}

/* Frees what one action owns and zeroes it. */
static void action_clear(struct odp_action *act)
{
	switch (act->type) {
	case OVS_ACTION_ATTR_SAMPLE:
		odp_actions_free(act->u.sample.actions);
		break;
	case OVS_ACTION_ATTR_CHECK_PKT_LEN:
		odp_actions_free(act->u.check_pkt_len.greater);
		odp_actions_free(act->u.check_pkt_len.less_equal);
		break;
	case OVS_ACTION_ATTR_CLONE:
	case OVS_ACTION_ATTR_DEC_TTL:
		odp_actions_free(act->u.nested);
		break;
	}
	memset(act, 0, sizeof *act);
}

/* Returns the decoded list, or NULL on ENOMEM.  Decoding stops at the first
 * action not understood, which is left out of the list. */
static struct odp_actions *decode_list(const void *data, size_t len, int depth)
{
	struct odp_actions *acts = calloc(1, sizeof *acts);
	const struct nlattr *a;
	size_t left, n = 0;
	int err;

	if (!acts)
		goto nomem;
	acts->understood = true;
	if (depth > ACTIONS_MAX_DEPTH) {
		not_understood(acts, "actions nested too deeply");
		return acts;
	}
	if (!attr_stream_valid(data, len)) {
		not_understood(acts, "action stream truncated");
		return acts;
	}
	attr_for_each(a, data, len, left) n++;
	if (n && !(acts->a = calloc(n, sizeof *acts->a)))
		goto nomem;
	attr_for_each(a, data, len, left)
	{
		struct odp_action *act = &acts->a[acts->n];

		err = decode_action(acts, act, a, depth);
		if (err) {
			action_clear(act);
			if (err == -ENOMEM)
				goto nomem;
			break;
		}
		acts->n++;
	}
	return acts;

nomem:
	odp_actions_free(acts);
	errno = ENOMEM;
	return NULL;
}

struct odp_actions *odp_actions_decode(const void *data, size_t len)
{
	return decode_list(data, len, 0);
}

void odp_actions_free(struct odp_actions *acts)
{
	if (!acts)
		return;
	for (size_t i = 0; i < acts->n; i++)
		action_clear(&acts->a[i]);
	free(acts->a);
	free(acts);
}
