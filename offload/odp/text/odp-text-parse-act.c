/* Action list parser (see odp-text-private.h).
 *
 * Accepts the syntax Open vSwitch's odp_actions_from_string() accepts plus
 * everything its 3.1 printer emits for kernel flows (recirc(0x..) in hex,
 * hash(...), push_mpls(...), slow_path(a,b), tnl_pop(N) for the kernel's
 * DROP...), so that print(parse(text)) == text.  "drop" is an empty list
 * wherever a list may stand (the kernel's way of saying drop), and only
 * there. */
#include <ctype.h>
#include <errno.h>
#include <linux/openvswitch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "odp-text-private.h"
#include "util.h"

#define ACT_TNL_POP	24 /* how OVS 3.1 names the kernel's DROP */
#define ACT_LB_OUTPUT	26
#define COOKIE_LEN	48
#define OFPP_NONE	0xffff
#define HASH_ALG_SYM_L4 1

static int fail_errno(struct otx_parser *ps, int err)
{
	return err == -EINVAL ? err : otx_fail_errno(ps, ps->p, err);
}

/* A word that stands alone: followed by a delimiter, ')' or the end. */
static bool word(struct otx_parser *ps, const char *w)
{
	size_t n = strlen(w);

	if (strncmp(ps->p, w, n) ||
	    !(otx_is_delim(ps->p[n]) || ps->p[n] == ')' || !ps->p[n]))
		return false;
	ps->p += n;
	return true;
}

static int put_u32(struct otx_parser *ps, struct buf *out, int type, uint64_t v)
{
	return fail_errno(ps, attr_put_u32(out, type, (uint32_t)v));
}

/* "name(N)" with N an unsigned 32-bit number. */
static int parse_u32_action(struct otx_parser *ps, struct buf *out, int type)
{
	uint64_t v;

	if (otx_uint(ps, UINT32_MAX, &v) || otx_expect(ps, ")"))
		return -EINVAL;
	return put_u32(ps, out, type, v);
}

/* A nested list "LIST)" inside a nest of 'type'. */
static int nested_list(struct otx_parser *ps, struct buf *out, int type)
{
	long off = attr_nest_start(out, type);
	int err;

	if (off < 0)
		return fail_errno(ps, (int)off);
	err = otx_parse_action_list(ps, out, true);
	if (!err)
		err = otx_expect(ps, ")");
	if (!err)
		err = fail_errno(ps, attr_nest_end(out, off));
	return err;
}

static int parse_recirc_port(struct otx_parser *ps, struct buf *out, int type)
{
	uint32_t port;

	if (otx_port(ps, ")", &port) || otx_expect(ps, ")"))
		return -EINVAL;
	return put_u32(ps, out, type, port);
}

static int parse_hash(struct otx_parser *ps, struct buf *out)
{
	struct ovs_action_hash h;
	uint64_t v;

	if (otx_lit(ps, "l4("))
		h.hash_alg = OVS_HASH_ALG_L4;
	else if (otx_lit(ps, "sym_l4("))
		h.hash_alg = HASH_ALG_SYM_L4;
	else if (otx_lit(ps, "Unknown hash algorithm("))
		h.hash_alg = UINT32_MAX; /* the number is the algorithm */
	else
		return otx_fail(ps, ps->p, "expected l4( or sym_l4(");
	if (otx_uint(ps, UINT32_MAX, &v) || otx_expect(ps, "))"))
		return -EINVAL;
	if (h.hash_alg == UINT32_MAX)
		h.hash_alg = (uint32_t)v, h.hash_basis = 0;
	else
		h.hash_basis = (uint32_t)v;
	return fail_errno(ps,
			  attr_put(out, OVS_ACTION_ATTR_HASH, &h, sizeof h));
}

static void be_put(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[n - 1 - i] = (uint8_t)(v >> (8 * i));
}

/* push_mpls/add_mpls: label=,tc=,ttl=,bos=,eth_type=, in this order. */
static int parse_mpls_push(struct otx_parser *ps, struct buf *out, int type)
{
	static const struct {
		const char *name;
		uint64_t max;
	} f[] = {{"label=", 0xfffff},
		 {",tc=", 7},
		 {",ttl=", 0xff},
		 {",bos=", 1},
		 {",eth_type=", 0xffff}};
	uint64_t v[5];
	uint8_t p[8] = {0};

	for (int i = 0; i < 5; i++)
		if (otx_expect(ps, f[i].name) || otx_uint(ps, f[i].max, &v[i]))
			return -EINVAL;
	if (otx_expect(ps, ")"))
		return -EINVAL;
	be_put(p, v[0] << 12 | v[1] << 9 | v[3] << 8 | v[2], 4);
	be_put(p + 4, v[4], 2);
	return fail_errno(ps, attr_put(out, type, p, 8));
}

static int parse_push_vlan(struct otx_parser *ps, struct buf *out)
{
	uint64_t tpid = 0x8100, vid = 0, pcp = 0, cfi = 1, *dst, max;
	uint8_t p[4];

	while (*ps->p != ')') {
		const char *at = ps->p;

		if (otx_lit(ps, "tpid="))
			dst = &tpid, max = 0xffff;
		else if (otx_lit(ps, "vid="))
			dst = &vid, max = 0xfff;
		else if (otx_lit(ps, "pcp="))
			dst = &pcp, max = 7;
		else if (otx_lit(ps, "cfi="))
			dst = &cfi, max = 1;
		else
			return otx_fail(ps, at, "unknown field of push_vlan()");
		if (otx_uint(ps, max, dst))
			return -EINVAL;
		if (!otx_lit(ps, ",") && *ps->p != ')')
			return otx_fail(ps, ps->p, "expected ',' or ')'");
	}
	ps->p++;
	be_put(p, tpid, 2);
	be_put(p + 2, vid | pcp << 13 | cfi << 12, 2);
	return fail_errno(ps, attr_put(out, OVS_ACTION_ATTR_PUSH_VLAN, p, 4));
}

static int parse_push_eth(struct otx_parser *ps, struct buf *out)
{
	uint8_t p[12];

	if (otx_expect(ps, "src=") || otx_field_value(ps, FK_MAC, p) ||
	    otx_expect(ps, ",dst=") || otx_field_value(ps, FK_MAC, p + 6) ||
	    otx_expect(ps, ")"))
		return -EINVAL;
	return fail_errno(ps, attr_put(out, OVS_ACTION_ATTR_PUSH_ETH, p, 12));
}

/* "sample=P%,actions(LIST))" */
static int parse_sample(struct otx_parser *ps, struct buf *out)
{
	const char *at;
	char text[32], *end = NULL;
	double pct = -1;
	size_t n;
	long off;
	int err;

	if (otx_expect(ps, "sample="))
		return -EINVAL;
	at = ps->p;
	n = strspn(at, "0123456789.");
	if (n && n < sizeof text && at[n] == '%') {
		memcpy(text, at, n);
		text[n] = '\0';
		pct = strtod(text, &end);
	}
	if (!n || n >= sizeof text || at[n] != '%' || end != text + n ||
	    !(pct >= 0 && pct <= 100))
		return otx_fail(ps, at, "expected a percentage from 0 to 100");
	ps->p = at + n + 1;
	if (otx_expect(ps, ",actions("))
		return -EINVAL;
	off = attr_nest_start(out, OVS_ACTION_ATTR_SAMPLE);
	if (off < 0)
		return fail_errno(ps, (int)off);
	err = put_u32(ps, out, OVS_SAMPLE_ATTR_PROBABILITY,
		      (uint64_t)floor(UINT32_MAX * pct / 100.0 + 0.5));
	if (!err)
		err = nested_list(ps, out, OVS_SAMPLE_ATTR_ACTIONS);
	if (!err)
		err = otx_expect(ps, ")");
	if (!err)
		err = fail_errno(ps, attr_nest_end(out, off));
	return err;
}

static int parse_check_pkt_len(struct otx_parser *ps, struct buf *out)
{
	long off = attr_nest_start(out, OVS_ACTION_ATTR_CHECK_PKT_LEN);
	uint64_t size;
	int err;

	if (off < 0)
		return fail_errno(ps, (int)off);
	err = otx_expect(ps, "size=");
	if (!err)
		err = otx_uint(ps, UINT16_MAX, &size);
	if (!err)
		err = fail_errno(
			ps, attr_put_u16(out, OVS_CHECK_PKT_LEN_ATTR_PKT_LEN,
					 (uint16_t)size));
	if (!err)
		err = otx_expect(ps, ",gt(");
	if (!err)
		err = nested_list(ps, out,
				  OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER);
	if (!err)
		err = otx_expect(ps, ",le(");
	if (!err)
		err = nested_list(ps, out,
				  OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL);
	if (!err)
		err = otx_expect(ps, ")");
	if (!err)
		err = fail_errno(ps, attr_nest_end(out, off));
	return err;
}

static int parse_dec_ttl(struct otx_parser *ps, struct buf *out)
{
	long off = attr_nest_start(out, OVS_ACTION_ATTR_DEC_TTL);
	int err;

	if (off < 0)
		return fail_errno(ps, (int)off);
	err = otx_expect(ps, "le_1(");
	if (!err)
		err = nested_list(ps, out, OVS_DEC_TTL_ATTR_ACTION);
	if (!err)
		err = otx_expect(ps, ")");
	if (!err)
		err = fail_errno(ps, attr_nest_end(out, off));
	return err;
}

static int parse_clone(struct otx_parser *ps, struct buf *out)
{
	return nested_list(ps, out, OVS_ACTION_ATTR_CLONE);
}

static int parse_pop_mpls(struct otx_parser *ps, struct buf *out)
{
	uint64_t v;
	uint8_t p[2];

	if (otx_expect(ps, "eth_type=") || otx_uint(ps, 0xffff, &v) ||
	    otx_expect(ps, ")"))
		return -EINVAL;
	be_put(p, v, 2);
	return fail_errno(ps, attr_put(out, OVS_ACTION_ATTR_POP_MPLS, p, 2));
}

static int parse_recirc(struct otx_parser *ps, struct buf *out)
{
	return parse_u32_action(ps, out, OVS_ACTION_ATTR_RECIRC);
}

static int parse_trunc(struct otx_parser *ps, struct buf *out)
{
	return parse_u32_action(ps, out, OVS_ACTION_ATTR_TRUNC);
}

static int parse_meter(struct otx_parser *ps, struct buf *out)
{
	return parse_u32_action(ps, out, OVS_ACTION_ATTR_METER);
}

static int parse_lb_output(struct otx_parser *ps, struct buf *out)
{
	return parse_u32_action(ps, out, ACT_LB_OUTPUT);
}

static int parse_tnl_pop(struct otx_parser *ps, struct buf *out)
{
	return parse_recirc_port(ps, out, ACT_TNL_POP);
}

static int parse_push_mpls(struct otx_parser *ps, struct buf *out)
{
	return parse_mpls_push(ps, out, OVS_ACTION_ATTR_PUSH_MPLS);
}

static int parse_add_mpls(struct otx_parser *ps, struct buf *out)
{
	return parse_mpls_push(ps, out, OVS_ACTION_ATTR_ADD_MPLS);
}

/* Actions written "name(...)"; the parser gets the text after '('. */
static const struct {
	const char *name;
	int (*parse)(struct otx_parser *, struct buf *);
} call_actions[] = {
	{"userspace(", otx_parse_userspace},
	{"set(", otx_parse_set},
	{"push_vlan(", parse_push_vlan},
	{"sample(", parse_sample},
	{"recirc(", parse_recirc},
	{"hash(", parse_hash},
	{"push_mpls(", parse_push_mpls},
	{"pop_mpls(", parse_pop_mpls},
	{"ct(", otx_parse_ct},
	{"trunc(", parse_trunc},
	{"push_eth(", parse_push_eth},
	{"push_nsh(", otx_parse_push_nsh},
	{"meter(", parse_meter},
	{"clone(", parse_clone},
	{"check_pkt_len(", parse_check_pkt_len},
	{"add_mpls(", parse_add_mpls},
	{"dec_ttl(", parse_dec_ttl},
	{"tnl_pop(", parse_tnl_pop},
	{"lb_output(", parse_lb_output},
};

/* Actions without arguments. */
static const struct {
	const char *name;
	int type;
} word_actions[] = {
	{"pop_vlan", OVS_ACTION_ATTR_POP_VLAN},
	{"ct_clear", OVS_ACTION_ATTR_CT_CLEAR},
	{"pop_eth", OVS_ACTION_ATTR_POP_ETH},
	{"pop_nsh()", OVS_ACTION_ATTR_POP_NSH},
	{"ct", OVS_ACTION_ATTR_CT},
};

static int parse_action(struct otx_parser *ps, struct buf *out)
{
	const char *at = ps->p;
	uint32_t port;

	for (size_t i = 0; i < ARRAY_SIZE(call_actions); i++)
		if (otx_lit(ps, call_actions[i].name))
			return call_actions[i].parse(ps, out);
	for (size_t i = 0; i < ARRAY_SIZE(word_actions); i++)
		if (word(ps, word_actions[i].name))
			return fail_errno(
				ps,
				attr_put(out, word_actions[i].type, NULL, 0));
	if (!strncasecmp(at, "drop", 4) &&
	    (otx_is_delim(at[4]) || at[4] == ')' || !at[4]))
		return otx_fail(ps, at, "drop must be the only action");
	if (otx_port(ps, ", \t\r\n)", &port)) {
		ps->error = 0;
		return otx_fail(ps, at, "unknown action");
	}
	return put_u32(ps, out, OVS_ACTION_ATTR_OUTPUT, port);
}

/* True if the list is the single word "drop" (any case). */
static bool only_drop(struct otx_parser *ps, bool nested)
{
	const char *q = ps->p;

	if (strncasecmp(q, "drop", 4))
		return false;
	q += 4;
	while (otx_is_delim(*q))
		q++;
	if (*q && !(nested && *q == ')'))
		return false;
	ps->p = q;
	return true;
}

/* A dump token after the actions ("dp-extra-info:") ends the list. */
static bool at_token(const char *p)
{
	size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz-");

	return n && p[n] == ':';
}

int otx_parse_action_list(struct otx_parser *ps, struct buf *out, bool nested)
{
	size_t start = out->len;

	if (++ps->depth > OTX_MAX_DEPTH) {
		ps->depth--;
		return otx_fail(ps, ps->p, "nested too deeply");
	}
	otx_skip_delims(ps);
	if (only_drop(ps, nested)) {
		ps->depth--;
		return 0;
	}
	for (;;) {
		otx_skip_delims(ps);
		if (!*ps->p || (nested && *ps->p == ')') ||
		    (!nested && at_token(ps->p)))
			break;
		if (parse_action(ps, out))
			break;
		if (*ps->p && !otx_is_delim(*ps->p) &&
		    !(nested && *ps->p == ')')) {
			otx_fail(ps, ps->p, "expected ',' after an action");
			break;
		}
		if (out->len - start > OTX_MAX_STREAM) {
			otx_fail_errno(ps, ps->p, -EMSGSIZE);
			break;
		}
	}
	ps->depth--;
	if (ps->error)
		out->len = start;
	return ps->error;
}
