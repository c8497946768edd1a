/* The action printer (OVS's format_odp_actions(); see odp-text-private.h).
 *
 * Action ids are the kernel's.  Ids 1-22 print as Open vSwitch 3.1 prints
 * them.  Beyond that OVS 3.1 numbers its userspace-only actions from 23, so
 * it prints the kernel's DROP (24) as tnl_pop(N) and PSAMPLE (25) as a
 * "bad length ... for: action25(...)" (or "drop" when 4 bytes long); we do
 * the same, so that diffs against it stay quiet.  For DEC_TTL (23) its
 * output is undefined (a tnl_push read past the attribute), so we print
 * what later Open vSwitch versions print: dec_ttl(le_1(...)). */
#include <arpa/inet.h>
#include <linux/openvswitch.h>
#include <string.h>

#include "odp-attrs.h"
#include "odp-text-private.h"
#include "util.h"

#define ACT_LEN_INVALID -1 /* OVS prints "expected -1" for these */
#define ACT_LEN_VAR	-2
#define ACT_TNL_POP	24 /* OVS 3.1's numbering of kernel DROP */
#define ACT_OVS_DROP	25 /* OVS 3.1's numbering of kernel PSAMPLE */
#define ACT_LB_OUTPUT	26
#define HASH_ALG_SYM_L4 1

/* Open vSwitch's userspace action cookie (48 bytes). */
#define COOKIE_LEN 48
enum {
	COOKIE_SFLOW = 1,
	COOKIE_SLOW_PATH,
	COOKIE_FLOW_SAMPLE,
	COOKIE_IPFIX,
	COOKIE_CONTROLLER,
};

static int action_len(int type)
{
	const struct odp_attr_info *info;

	switch (type) {
	case OVS_ACTION_ATTR_DEC_TTL:
		return ACT_LEN_VAR;
	case ACT_TNL_POP:
	case ACT_OVS_DROP:
	case ACT_LB_OUTPUT:
		return 4;
	}
	info = type < OVS_ACTION_ATTR_DEC_TTL ? odp_action_attr_info(type)
					      : NULL;
	if (!info)
		return ACT_LEN_INVALID;
	return info->len >= 0 ? info->len : ACT_LEN_VAR;
}

static uint32_t get_u32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

static uint16_t get_u16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof v);
	return v;
}

static void put_generic(struct ds *s, const struct nlattr *a)
{
	const uint8_t *p = attr_data(a);

	ds_printf(s, "action%d", attr_type(a));
	for (size_t i = 0; i < attr_len(a); i++)
		ds_printf(s, "%c%02x", i ? ' ' : '(', p[i]);
	if (attr_len(a))
		ds_putc(s, ')');
}

static void put_list(struct ds *s, const struct nlattr *a,
		     const struct otx_print *pp)
{
	struct otx_print inner = *pp;

	inner.depth++;
	if (inner.depth > OTX_PRINT_MAX_DEPTH)
		ds_put(s, "...");
	else
		otx_format_action_list(s, attr_data(a), attr_len(a), &inner);
}

static void put_cookie(struct ds *s, const uint8_t *c,
		       const struct otx_print *pp)
{
	uint16_t tci;

	switch (get_u16(c)) {
	case COOKIE_SFLOW:
		tci = otx_get_be16(c + 24);
		ds_printf(s, ",sFlow(vid=%u,pcp=%u,output=%u)", tci & 0xfff,
			  tci >> 13, get_u32(c + 28));
		break;
	case COOKIE_SLOW_PATH:
		ds_put(s, ",slow_path(");
		otx_put_flags(s, &otx_slow_path_names, get_u32(c + 28), ',');
		ds_putc(s, ')');
		break;
	case COOKIE_FLOW_SAMPLE:
		ds_printf(s,
			  ",flow_sample(probability=%u,collector_set_id=%u,"
			  "obs_domain_id=%u,obs_point_id=%u,output_port=",
			  get_u16(c + 24), get_u32(c + 28), get_u32(c + 32),
			  get_u32(c + 36));
		otx_put_port(s, pp->names, get_u32(c + 40));
		if (get_u32(c + 44) == 1)
			ds_put(s, ",ingress");
		else if (get_u32(c + 44) == 2)
			ds_put(s, ",egress");
		ds_putc(s, ')');
		break;
	case COOKIE_IPFIX:
		ds_put(s, ",ipfix(output_port=");
		otx_put_port(s, pp->names, get_u32(c + 24));
		ds_putc(s, ')');
		break;
	default: /* COOKIE_CONTROLLER */
		ds_printf(s,
			  ",controller(reason=%u,dont_send=%d,continuation=%d,"
			  "recirc_id=%u,rule_cookie=%#llx,controller_id=%u,"
			  "max_len=%u)",
			  get_u16(c + 26), !!c[24], !!c[25], get_u32(c + 28),
			  (unsigned long long)otx_get_be32(c + 32) << 32 |
				  otx_get_be32(c + 36),
			  get_u16(c + 40), get_u16(c + 42));
		break;
	}
}

static void put_userdata(struct ds *s, const struct nlattr *ud,
			 const struct otx_print *pp)
{
	const uint8_t *p = attr_data(ud);
	uint16_t type = attr_len(ud) == COOKIE_LEN ? get_u16(p) : 0;

	if (type >= COOKIE_SFLOW && type <= COOKIE_CONTROLLER) {
		put_cookie(s, p, pp);
		return;
	}
	ds_put(s, ",userdata(");
	for (size_t i = 0; i < attr_len(ud); i++)
		ds_printf(s, "%02x", p[i]);
	ds_putc(s, ')');
}

static void put_userspace(struct ds *s, const struct nlattr *a,
			  const struct otx_print *pp)
{
	static const struct attr_policy policy[OVS_USERSPACE_ATTR_MAX + 1] = {
		[OVS_USERSPACE_ATTR_PID] = ATTR_EXACT(4),
		[OVS_USERSPACE_ATTR_EGRESS_TUN_PORT] = ATTR_EXACT(4),
	};
	const struct nlattr *tb[OVS_USERSPACE_ATTR_MAX + 1];

	if (attr_parse(tb, OVS_USERSPACE_ATTR_MAX, attr_data(a), attr_len(a),
		       policy, NULL) ||
	    !tb[OVS_USERSPACE_ATTR_PID]) {
		ds_put(s, "userspace(error)");
		return;
	}
	ds_printf(s, "userspace(pid=%u",
		  attr_get_u32(tb[OVS_USERSPACE_ATTR_PID]));
	if (tb[OVS_USERSPACE_ATTR_USERDATA])
		put_userdata(s, tb[OVS_USERSPACE_ATTR_USERDATA], pp);
	if (tb[OVS_USERSPACE_ATTR_ACTIONS])
		ds_put(s, ",actions");
	if (tb[OVS_USERSPACE_ATTR_EGRESS_TUN_PORT]) {
		ds_put(s, ",tunnel_out_port=");
		otx_put_port(
			s, pp->names,
			attr_get_u32(tb[OVS_USERSPACE_ATTR_EGRESS_TUN_PORT]));
	}
	ds_putc(s, ')');
}

static void put_sample(struct ds *s, const struct nlattr *a,
		       const struct otx_print *pp)
{
	static const struct attr_policy policy[OVS_SAMPLE_ATTR_MAX + 1] = {
		[OVS_SAMPLE_ATTR_PROBABILITY] = ATTR_EXACT(4),
	};
	const struct nlattr *tb[OVS_SAMPLE_ATTR_MAX + 1];

	ds_put(s, "sample");
	if (attr_parse(tb, OVS_SAMPLE_ATTR_MAX, attr_data(a), attr_len(a),
		       policy, NULL) ||
	    !tb[OVS_SAMPLE_ATTR_PROBABILITY] || !tb[OVS_SAMPLE_ATTR_ACTIONS]) {
		ds_put(s, "(error)");
		return;
	}
	ds_printf(s, "(sample=%.1f%%,actions(",
		  100.0 * attr_get_u32(tb[OVS_SAMPLE_ATTR_PROBABILITY]) /
			  UINT32_MAX);
	put_list(s, tb[OVS_SAMPLE_ATTR_ACTIONS], pp);
	ds_put(s, "))");
}

static void put_check_pkt_len(struct ds *s, const struct nlattr *a,
			      const struct otx_print *pp)
{
	static const struct attr_policy policy[OVS_CHECK_PKT_LEN_ATTR_MAX + 1] =
		{
			[OVS_CHECK_PKT_LEN_ATTR_PKT_LEN] = ATTR_EXACT(2),
		};
	const struct nlattr *tb[OVS_CHECK_PKT_LEN_ATTR_MAX + 1];

	ds_put(s, "check_pkt_len");
	if (attr_parse(tb, OVS_CHECK_PKT_LEN_ATTR_MAX, attr_data(a),
		       attr_len(a), policy, NULL) ||
	    !tb[OVS_CHECK_PKT_LEN_ATTR_PKT_LEN] ||
	    !tb[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER] ||
	    !tb[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL]) {
		ds_put(s, "(error)");
		return;
	}
	ds_printf(s, "(size=%u,gt(",
		  attr_get_u16(tb[OVS_CHECK_PKT_LEN_ATTR_PKT_LEN]));
	put_list(s, tb[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER], pp);
	ds_put(s, "),le(");
	put_list(s, tb[OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL], pp);
	ds_put(s, "))");
}

static void put_dec_ttl(struct ds *s, const struct nlattr *a,
			const struct otx_print *pp)
{
	const struct nlattr *act;

	act = attr_find(attr_data(a), attr_len(a), OVS_DEC_TTL_ATTR_ACTION);
	ds_put(s, "dec_ttl(le_1(");
	if (act)
		put_list(s, act, pp);
	ds_put(s, "))");
}

static void put_hash(struct ds *s, const uint8_t *p)
{
	uint32_t alg = get_u32(p), basis = get_u32(p + 4);

	if (alg == OVS_HASH_ALG_L4)
		ds_printf(s, "hash(l4(%u))", basis);
	else if (alg == HASH_ALG_SYM_L4)
		ds_printf(s, "hash(sym_l4(%u))", basis);
	else
		ds_printf(s, "hash(Unknown hash algorithm(%u))", alg);
}

static void put_mpls_push(struct ds *s, const char *name, const uint8_t *p)
{
	ds_printf(s, "%s(", name);
	otx_put_mpls_lse(s, otx_get_be32(p));
	ds_printf(s, ",eth_type=0x%x)", otx_get_be16(p + 4));
}

static void put_push_vlan(struct ds *s, const uint8_t *p)
{
	uint16_t tpid = otx_get_be16(p);

	ds_put(s, "push_vlan(");
	if (tpid != 0x8100)
		ds_printf(s, "tpid=0x%04x,", tpid);
	otx_put_vlan(s, otx_get_be16(p + 2), 0xffff, false);
	ds_putc(s, ')');
}

static void put_push_eth(struct ds *s, const uint8_t *p)
{
	ds_put(s, "push_eth(src=");
	otx_put_mac(s, p);
	ds_put(s, ",dst=");
	otx_put_mac(s, p + 6);
	ds_putc(s, ')');
}

/* Actions with a fixed-size payload (already length-checked). */
static bool put_fixed(struct ds *s, const struct nlattr *a,
		      const struct otx_print *pp)
{
	const uint8_t *p = attr_data(a);

	switch (attr_type(a)) {
	case OVS_ACTION_ATTR_OUTPUT:
		otx_put_port(s, pp->names, get_u32(p));
		break;
	case OVS_ACTION_ATTR_PUSH_VLAN:
		put_push_vlan(s, p);
		break;
	case OVS_ACTION_ATTR_RECIRC:
		ds_printf(s, "recirc(%#x)", get_u32(p));
		break;
	case OVS_ACTION_ATTR_HASH:
		put_hash(s, p);
		break;
	case OVS_ACTION_ATTR_PUSH_MPLS:
		put_mpls_push(s, "push_mpls", p);
		break;
	case OVS_ACTION_ATTR_ADD_MPLS:
		put_mpls_push(s, "add_mpls", p);
		break;
	case OVS_ACTION_ATTR_POP_MPLS:
		ds_printf(s, "pop_mpls(eth_type=0x%x)", otx_get_be16(p));
		break;
	case OVS_ACTION_ATTR_TRUNC:
		ds_printf(s, "trunc(%u)", get_u32(p));
		break;
	case OVS_ACTION_ATTR_PUSH_ETH:
		put_push_eth(s, p);
		break;
	case OVS_ACTION_ATTR_METER:
		ds_printf(s, "meter(%u)", get_u32(p));
		break;
	case ACT_TNL_POP:
		ds_put(s, "tnl_pop(");
		otx_put_port(s, pp->names, get_u32(p));
		ds_putc(s, ')');
		break;
	case ACT_OVS_DROP:
		ds_put(s, "drop");
		break;
	case ACT_LB_OUTPUT:
		ds_printf(s, "lb_output(%u)", get_u32(p));
		break;
	default:
		return false;
	}
	return true;
}

static void format_action(struct ds *s, const struct nlattr *a,
			  const struct otx_print *pp)
{
	int expected = action_len(attr_type(a));

	if (expected != ACT_LEN_VAR && attr_len(a) != (size_t)expected) {
		ds_printf(s, "bad length %zu, expected %d for: ", attr_len(a),
			  expected);
		put_generic(s, a);
		return;
	}
	if (put_fixed(s, a, pp))
		return;
	switch (attr_type(a)) {
	case OVS_ACTION_ATTR_USERSPACE:
		put_userspace(s, a, pp);
		break;
	case OVS_ACTION_ATTR_SET:
	case OVS_ACTION_ATTR_SET_MASKED:
		otx_put_set(s, a, attr_type(a) == OVS_ACTION_ATTR_SET_MASKED);
		break;
	case OVS_ACTION_ATTR_SAMPLE:
		put_sample(s, a, pp);
		break;
	case OVS_ACTION_ATTR_CT:
		otx_put_ct_action(s, a);
		break;
	case OVS_ACTION_ATTR_CLONE:
		ds_put(s, "clone(");
		put_list(s, a, pp);
		ds_putc(s, ')');
		break;
	case OVS_ACTION_ATTR_CHECK_PKT_LEN:
		put_check_pkt_len(s, a, pp);
		break;
	case OVS_ACTION_ATTR_DEC_TTL:
		put_dec_ttl(s, a, pp);
		break;
	case OVS_ACTION_ATTR_PUSH_NSH:
		otx_put_push_nsh(s, a);
		break;
	default: /* the payload-less ones */
		ds_put(s, attr_type(a) == OVS_ACTION_ATTR_POP_NSH
				  ? "pop_nsh()"
				  : odp_action_attr_info(attr_type(a))->name);
		break;
	}
}

void otx_format_action_list(struct ds *s, const uint8_t *p, size_t len,
			    const struct otx_print *pp)
{
	const struct nlattr *a;
	size_t left;

	if (!len) {
		ds_put(s, "drop");
		return;
	}
	attr_for_each(a, p, len, left)
	{
		if ((const uint8_t *)a != p)
			ds_putc(s, ',');
		format_action(s, a, pp);
	}
	if (left) {
		if (left == len)
			ds_put(s, "<empty>");
		ds_printf(s, ",***%zu leftover bytes*** (", left);
		for (size_t i = 0; i < left; i++)
			ds_printf(s, "%02x", ((const uint8_t *)a)[i]);
		ds_putc(s, ')');
	}
}
