/* The planner's action half: an OVS_ACTION_ATTR_* list compiled into
 * struct ovsx_actions, or the reason it cannot run in XDP.
 *
 * What fits is a sequence of header rewrites (set/set_masked of Ethernet,
 * IPv4, IPv6, TCP and UDP; push/pop VLAN; dec_ttl), each header at most once,
 * followed by nothing (drop), one output (redirect, or XDP_TX to the ingress
 * port) or several outputs of the same frame (a broadcast group).  Anything
 * else, including an output followed by more rewrites, stays in the kernel.
 *
 * Neighbours: flow-actions.c decodes the list; planner.c calls this after
 * plan-match.c; xdp/actions.h executes the result. */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <stdio.h>
#include <string.h>

#include "planner-private.h"

struct compile {
	const struct port_table *ports;
	const struct port_info *in;
	const struct flow_match *m;
	struct plan *p;
	size_t n_ops;
	unsigned int done_sets; /* bit per OVSX_OP_SET_* already emitted */
	int tags;		/* VLAN tags on the frame at this point */
	int len_delta;		/* bytes added by the ops so far */
	uint32_t out_ports[OVSX_MAX_GROUP_PORTS];
	size_t n_out;
};

static enum plan_verdict refuse(struct compile *c, enum plan_verdict v,
				const char *fmt, const char *arg)
{
	snprintf(c->p->detail, sizeof c->p->detail, fmt, arg);
	return v;
}

static enum plan_verdict add_op(struct compile *c, enum ovsx_op op)
{
	if (c->n_ops >= OVSX_MAX_OPS - 1)
		return refuse(c, PLAN_ACTION, "more than %s rewrites", "7");
	c->p->actions.ops[c->n_ops++] = (uint8_t)op;
	return PLAN_OFFLOADED;
}

/* Each header is rewritten at most once per list, as ovs-vswitchd emits
 * them; a second rewrite would need an ordering the ABI does not keep. */
static enum plan_verdict add_set_op(struct compile *c, enum ovsx_op op,
				    const char *name)
{
	if (c->done_sets & (1u << op))
		return refuse(c, PLAN_ACTION, "set(%s) twice", name);
	c->done_sets |= 1u << op;
	return add_op(c, op);
}

static void masked_bytes(uint8_t *val, uint8_t *mask, const uint8_t *v,
			 const uint8_t *m, size_t n)
{
	memcpy(val, v, n);
	if (m)
		memcpy(mask, m, n);
	else
		memset(mask, 0xff, n);
}

static enum plan_verdict set_eth(struct compile *c,
				 const struct odp_set_action *s)
{
	struct ovs_key_ethernet v, m;
	struct ovsx_eth_rewrite *e = &c->p->actions.eth;

	memcpy(&v, s->value, sizeof v);
	if (s->mask)
		memcpy(&m, s->mask, sizeof m);
	masked_bytes(e->src, e->src_mask, v.eth_src, s->mask ? m.eth_src : NULL,
		     6);
	masked_bytes(e->dst, e->dst_mask, v.eth_dst, s->mask ? m.eth_dst : NULL,
		     6);
	return add_set_op(c, OVSX_OP_SET_ETH, "eth");
}

static enum plan_verdict set_ipv4(struct compile *c,
				  const struct odp_set_action *s)
{
	struct ovsx_ipv4_rewrite *r = &c->p->actions.l3.ipv4;
	struct ovs_key_ipv4 v, m;

	memcpy(&v, s->value, sizeof v);
	if (s->mask)
		memcpy(&m, s->mask, sizeof m);
	else
		memset(&m, 0xff, sizeof m);
	r->src = v.ipv4_src & m.ipv4_src;
	r->dst = v.ipv4_dst & m.ipv4_dst;
	r->tos = v.ipv4_tos & m.ipv4_tos;
	r->ttl = v.ipv4_ttl & m.ipv4_ttl;
	r->src_mask = m.ipv4_src;
	r->dst_mask = m.ipv4_dst;
	r->tos_mask = m.ipv4_tos;
	r->ttl_mask = m.ipv4_ttl;
	return add_set_op(c, OVSX_OP_SET_IPV4, "ipv4");
}

static enum plan_verdict set_ipv6(struct compile *c,
				  const struct odp_set_action *s)
{
	struct ovsx_ipv6_rewrite *r = &c->p->actions.l3.ipv6;
	struct ovs_key_ipv6 v, m;

	memcpy(&v, s->value, sizeof v);
	if (s->mask)
		memcpy(&m, s->mask, sizeof m);
	else
		memset(&m, 0xff, sizeof m);
	for (int i = 0; i < 4; i++) {
		r->src[i] = v.ipv6_src[i] & m.ipv6_src[i];
		r->dst[i] = v.ipv6_dst[i] & m.ipv6_dst[i];
		r->src_mask[i] = m.ipv6_src[i];
		r->dst_mask[i] = m.ipv6_dst[i];
	}
	/* A plain SET writes the 20-bit label only (the kernel's rule). */
	m.ipv6_label &= htonl(0xfffff);
	r->label = v.ipv6_label & m.ipv6_label;
	r->label_mask = m.ipv6_label;
	r->tclass = v.ipv6_tclass & m.ipv6_tclass;
	r->tclass_mask = m.ipv6_tclass;
	r->hlimit = v.ipv6_hlimit & m.ipv6_hlimit;
	r->hlimit_mask = m.ipv6_hlimit;
	return add_set_op(c, OVSX_OP_SET_IPV6, "ipv6");
}

static enum plan_verdict set_ports(struct compile *c,
				   const struct odp_set_action *s, bool tcp)
{
	struct ovsx_tp_rewrite *r = &c->p->actions.tp;
	__be16 v[2], m[2] = {0xffff, 0xffff};

	memcpy(v, s->value, sizeof v);
	if (s->mask)
		memcpy(m, s->mask, sizeof m);
	r->src = v[0] & m[0];
	r->dst = v[1] & m[1];
	r->src_mask = m[0];
	r->dst_mask = m[1];
	if (c->p->actions.l4 != (tcp ? OVSX_L4_TCP : OVSX_L4_UDP))
		return refuse(c, PLAN_ACTION,
			      "set(%s) on a flow of another protocol",
			      tcp ? "tcp" : "udp");
	return add_set_op(c, OVSX_OP_SET_TP, tcp ? "tcp" : "udp");
}

static enum plan_verdict compile_set(struct compile *c,
				     const struct odp_set_action *s)
{
	const struct odp_attr_info *info = odp_key_attr_info(s->key_type);
	const char *name = info ? info->name : "?";

	switch (s->key_type) {
	case OVS_KEY_ATTR_ETHERNET:
		return set_eth(c, s);
	case OVS_KEY_ATTR_IPV4:
		return set_ipv4(c, s);
	case OVS_KEY_ATTR_IPV6:
		return set_ipv6(c, s);
	case OVS_KEY_ATTR_TCP:
		return set_ports(c, s, true);
	case OVS_KEY_ATTR_UDP:
		return set_ports(c, s, false);
	default:
		return refuse(c, PLAN_ACTION, "set(%s)", name);
	}
}

static enum plan_verdict push_vlan(struct compile *c,
				   const struct ovs_action_push_vlan *v)
{
	int n = 0;

	for (size_t i = 0; i < c->n_ops; i++)
		n += c->p->actions.ops[i] == OVSX_OP_PUSH_VLAN;
	if (n >= OVSX_MAX_VLANS)
		return refuse(c, PLAN_ACTION, "more than %s push_vlan", "2");
	c->p->actions.vlan[n].tpid = v->vlan_tpid;
	/* The present bit is OVS's marker, not part of the wire TCI. */
	c->p->actions.vlan[n].tci = v->vlan_tci & htons(~OVSX_VLAN_PRESENT);
	c->tags++;
	c->len_delta += 4;
	return add_op(c, OVSX_OP_PUSH_VLAN);
}

static enum plan_verdict pop_vlan(struct compile *c)
{
	if (c->tags <= 0)
		return refuse(c, PLAN_ACTION, "pop_vlan of an untagged %s",
			      "frame");
	c->tags--;
	c->len_delta -= 4;
	return add_op(c, OVSX_OP_POP_VLAN);
}

/* The le_1 branch (TTL too low) is the kernel's: the fast path passes such
 * frames up before touching them. */
static enum plan_verdict dec_ttl(struct compile *c)
{
	uint16_t eth_type = ntohs(c->m->key.eth_type);

	if (c->m->mask.eth_type != 0xffff ||
	    (eth_type != ETH_P_IP && eth_type != ETH_P_IPV6))
		return refuse(c, PLAN_ACTION, "dec_ttl on a non-IP %s", "flow");
	if (c->done_sets &
	    ((1u << OVSX_OP_SET_IPV4) | (1u << OVSX_OP_SET_IPV6)))
		return refuse(c, PLAN_ACTION, "dec_ttl after set(%s)", "ip");
	return add_set_op(c, OVSX_OP_DEC_TTL, "dec_ttl");
}

static enum plan_verdict add_output(struct compile *c, uint32_t port_no)
{
	const struct port_info *out = port_table_find(c->ports, port_no);
	char what[64];

	for (size_t i = 0; i < c->n_out; i++)
		if (c->out_ports[i] == port_no)
			return refuse(c, PLAN_ACTION, "two outputs to port %s",
				      out ? out->name : "?");
	if (c->n_out == OVSX_MAX_GROUP_PORTS)
		return refuse(c, PLAN_ACTION, "more than %s outputs", "64");
	if (!out) {
		snprintf(what, sizeof what, "%u", port_no);
		return refuse(c, PLAN_OUTPUT_PORT, "port %s is unknown", what);
	}
	/* Output to the ingress port is XDP_TX, which any attached port
	 * can do (or a redirect to itself, see hairpin_redirect); every other
	 * output is a redirect. */
	if ((out != c->in || out->hairpin_redirect) &&
	    out->tx_limit != PORT_LIMIT_NONE) {
		snprintf(what, sizeof what, "%u (%s) is ", port_no, out->name);
		snprintf(c->p->detail, sizeof c->p->detail, "port %s%s", what,
			 port_limit_text(out->tx_limit));
		return PLAN_OUTPUT_PORT;
	}
	c->out_ports[c->n_out++] = port_no;
	return PLAN_OFFLOADED;
}

static enum plan_verdict compile_one(struct compile *c,
				     const struct odp_action *a)
{
	const struct odp_attr_info *info = odp_action_attr_info(a->type);
	/* Both set kinds print as set(...); name them so. */
	const char *name = a->type == OVS_ACTION_ATTR_SET_MASKED ? "set"
			   : info				 ? info->name
								 : "unknown";

	if (c->n_out && a->type != OVS_ACTION_ATTR_OUTPUT)
		return refuse(c, PLAN_ACTION, "%s after an output", name);
	switch (a->type) {
	case OVS_ACTION_ATTR_OUTPUT:
		return add_output(c, a->u.port);
	case OVS_ACTION_ATTR_SET:
	case OVS_ACTION_ATTR_SET_MASKED:
		return compile_set(c, &a->u.set);
	case OVS_ACTION_ATTR_PUSH_VLAN:
		return push_vlan(c, &a->u.push_vlan);
	case OVS_ACTION_ATTR_POP_VLAN:
		return pop_vlan(c);
	case OVS_ACTION_ATTR_DEC_TTL:
		return dec_ttl(c);
	case ODP_ACTION_ATTR_DROP:
		return PLAN_OFFLOADED;
	case OVS_ACTION_ATTR_CT_CLEAR:
		/* A first-pass frame is untracked: nothing to clear. */
		return PLAN_OFFLOADED;
	default:
		return refuse(c, PLAN_ACTION, "%s", name);
	}
}

static uint32_t port_mtu(const struct port_table *ports, uint32_t port_no)
{
	const struct port_info *p = port_table_find(ports, port_no);

	return p && p->mtu ? p->mtu : 1500;
}

/* The kernel drops a frame whose length, less the Ethernet header and the
 * outer VLAN tag, exceeds the egress MTU (vport.c, packet_length()); such
 * frames are left to it.  The limit is on the frame as it arrives. */
static uint32_t max_frame_len(const struct compile *c)
{
	uint32_t mtu = UINT32_MAX;

	for (size_t i = 0; i < c->n_out; i++) {
		uint32_t m = port_mtu(c->ports, c->out_ports[i]);

		if (m < mtu)
			mtu = m;
	}
	return (uint32_t)((int)mtu + ETH_HLEN + (c->tags > 0 ? 4 : 0) -
			  c->len_delta);
}

static void finish_outputs(struct compile *c)
{
	struct ovsx_actions *a = &c->p->actions;

	a->max_frame_len = c->n_out ? max_frame_len(c) : UINT32_MAX;
	if (!c->n_out) {
		a->out_kind = OVSX_OUT_DROP;
	} else if (c->n_out == 1 && c->out_ports[0] == c->in->port_no &&
		   !c->in->hairpin_redirect) {
		a->out_kind = OVSX_OUT_TX;
	} else if (c->n_out == 1) {
		a->out_kind = OVSX_OUT_REDIRECT;
		a->out_ifindex =
			(uint32_t)port_table_find(c->ports, c->out_ports[0])
				->ifindex;
	} else {
		a->out_kind = OVSX_OUT_GROUP;
		c->p->n_group = c->n_out;
		for (size_t i = 0; i < c->n_out; i++)
			c->p->group_ifindex[i] =
				port_table_find(c->ports, c->out_ports[i])
					->ifindex;
	}
}

static uint8_t flow_l4(const struct flow_match *m)
{
	if (m->key_attrs & FLOW_ATTR_BIT(OVS_KEY_ATTR_TCP))
		return OVSX_L4_TCP;
	if (m->key_attrs & FLOW_ATTR_BIT(OVS_KEY_ATTR_UDP))
		return OVSX_L4_UDP;
	return OVSX_L4_NONE;
}

enum plan_verdict plan_compile_actions(const struct port_table *ports,
				       const struct port_info *in,
				       const struct flow_match *m,
				       const struct odp_actions *acts,
				       struct plan *p)
{
	struct compile c = {
		.ports = ports, .in = in, .m = m, .p = p, .tags = m->n_vlans};
	enum plan_verdict v;

	memset(&p->actions, 0, sizeof p->actions);
	p->actions.l4 = flow_l4(m);
	for (size_t i = 0; i < acts->n; i++) {
		v = compile_one(&c, &acts->a[i]);
		if (v != PLAN_OFFLOADED)
			return v;
	}
	finish_outputs(&c);
	return PLAN_OFFLOADED;
}
