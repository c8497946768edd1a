/* Decoding of a megaflow's key and mask streams into struct flow_match (see
 * include/flow-key.h).
 *
 * One walker serves three passes: the key stream into m->key, then either
 * the mask stream into m->mask or, when the flow has no MASK, the key stream
 * again with every payload byte read as 0xff (the kernel synthesises its
 * exact mask the same way, from a copy of the key set to all-ones).  Every
 * attribute is checked against the tables of odp-attrs.c before a byte of it
 * is read, and payloads are memcpy'd because netlink only aligns to 4.
 *
 * Neighbours: flow.h holds the raw streams this reads; the planner reads the
 * struct flow_match it produces; the text printer never needs it. */
#include "flow-key.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "nlattr.h"
#include "odp-attrs.h"

/* Ids the kernel header defines but rejects: userspace datapath squatters
 * (PACKET_TYPE, ND_EXTENSIONS) and the in-kernel TUNNEL_INFO. */
#define KEY_ATTR_USERSPACE_FIRST 29
#define KEY_ATTR_USERSPACE_LAST	 31

#define VLAN_ATTR_BITS                           \
	(FLOW_ATTR_BIT(OVS_KEY_ATTR_ETHERTYPE) | \
	 FLOW_ATTR_BIT(OVS_KEY_ATTR_VLAN) | FLOW_ATTR_BIT(OVS_KEY_ATTR_ENCAP))

#define TUN_BIT(t) (UINT32_C(1) << (t))
#define TUN_FLAG_BITS                                 \
	(TUN_BIT(OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT) | \
	 TUN_BIT(OVS_TUNNEL_KEY_ATTR_CSUM) |          \
	 TUN_BIT(OVS_TUNNEL_KEY_ATTR_OAM) |           \
	 TUN_BIT(OVS_TUNNEL_KEY_ATTR_IPV4_INFO_BRIDGE))

enum dec_mode {
	DEC_KEY,   /* the key stream into m->key */
	DEC_MASK,  /* the mask stream into m->mask */
	DEC_EXACT, /* the key stream into m->mask, payloads read as all-ones */
};

struct dec {
	struct flow_match *m;
	struct flow_fields *ff; /* &m->key or &m->mask */
	uint64_t *attrs;	/* &m->key_attrs or &m->mask_attrs */
	uint64_t seen;		/* non-VLAN attributes seen, any depth */
	enum dec_mode mode;
	const struct buf *mask; /* DEC_KEY: the flow's mask stream, if any */
};

/* Where a fixed-size attribute lands in struct flow_fields (or in struct
 * flow_tunnel); size 0 means the attribute has its own decoder. */
struct field {
	uint16_t off, size;
};

#define FIELD(type, member)                                         \
	{                                                           \
		offsetof(type, member), sizeof(((type *)0)->member) \
	}
#define KF(member) FIELD(struct flow_fields, member)
#define TF(member) FIELD(struct flow_tunnel, member)

static const struct field key_fields[OVS_KEY_ATTR_MAX + 1] = {
	[OVS_KEY_ATTR_PRIORITY] = KF(priority),
	[OVS_KEY_ATTR_IN_PORT] = KF(in_port),
	[OVS_KEY_ATTR_ETHERNET] = KF(eth),
	[OVS_KEY_ATTR_IPV4] = KF(ipv4),
	[OVS_KEY_ATTR_IPV6] = KF(ipv6),
	[OVS_KEY_ATTR_TCP] = KF(tcp),
	[OVS_KEY_ATTR_UDP] = KF(udp),
	[OVS_KEY_ATTR_ICMP] = KF(icmp),
	[OVS_KEY_ATTR_ICMPV6] = KF(icmpv6),
	[OVS_KEY_ATTR_ARP] = KF(arp),
	[OVS_KEY_ATTR_ND] = KF(nd),
	[OVS_KEY_ATTR_SKB_MARK] = KF(skb_mark),
	[OVS_KEY_ATTR_SCTP] = KF(sctp),
	[OVS_KEY_ATTR_TCP_FLAGS] = KF(tcp_flags),
	[OVS_KEY_ATTR_DP_HASH] = KF(dp_hash),
	[OVS_KEY_ATTR_RECIRC_ID] = KF(recirc_id),
	[OVS_KEY_ATTR_CT_STATE] = KF(ct_state),
	[OVS_KEY_ATTR_CT_ZONE] = KF(ct_zone),
	[OVS_KEY_ATTR_CT_MARK] = KF(ct_mark),
	[OVS_KEY_ATTR_CT_LABELS] = KF(ct_labels),
	[OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4] = KF(ct_tuple4),
	[OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6] = KF(ct_tuple6),
	[OVS_KEY_ATTR_IPV6_EXTHDRS] = KF(ipv6_exthdrs),
};

static const struct field tun_fields[OVS_TUNNEL_KEY_ATTR_MAX + 1] = {
	[OVS_TUNNEL_KEY_ATTR_ID] = TF(tun_id),
	[OVS_TUNNEL_KEY_ATTR_IPV4_SRC] = TF(ipv4_src),
	[OVS_TUNNEL_KEY_ATTR_IPV4_DST] = TF(ipv4_dst),
	[OVS_TUNNEL_KEY_ATTR_TOS] = TF(tos),
	[OVS_TUNNEL_KEY_ATTR_TTL] = TF(ttl),
	[OVS_TUNNEL_KEY_ATTR_TP_SRC] = TF(tp_src),
	[OVS_TUNNEL_KEY_ATTR_TP_DST] = TF(tp_dst),
	[OVS_TUNNEL_KEY_ATTR_IPV6_SRC] = TF(ipv6_src),
	[OVS_TUNNEL_KEY_ATTR_IPV6_DST] = TF(ipv6_dst),
};

static const struct odp_attr_info nsh_attrs[] = {
	[OVS_NSH_KEY_ATTR_BASE] = {"base", sizeof(struct ovs_nsh_key_base)},
	[OVS_NSH_KEY_ATTR_MD1] = {"md1", sizeof(struct ovs_nsh_key_md1)},
};

bool flow_bytes_all_ones(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i] != 0xff)
			return false;
	return true;
}

bool flow_bytes_all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			return false;
	return true;
}

/* Marks the match not understood; the reason names the mask when the mask
 * stream is at fault, since both streams share the attribute names. */
__attribute__((format(printf, 2, 3))) static int fail(struct dec *d,
						      const char *fmt, ...)
{
	struct flow_match *m = d->m;
	size_t n = 0;
	va_list ap;

	if (d->mode == DEC_MASK)
		n = (size_t)snprintf(m->reason, sizeof m->reason, "mask: ");
	va_start(ap, fmt);
	vsnprintf(m->reason + n, sizeof m->reason - n, fmt, ap);
	va_end(ap);
	m->status = FLOW_DECODE_NOT_UNDERSTOOD;
	return -EINVAL;
}

/* Copies 'n' bytes of payload (the caller checked the length); all-ones
 * when synthesising the exact mask. */
static void read_payload(const struct dec *d, const struct nlattr *a, void *dst,
			 size_t n)
{
	if (d->mode == DEC_EXACT)
		memset(dst, 0xff, n);
	else if (n)
		memcpy(dst, attr_data(a), n);
}

/* An all-zero attribute in a mask is the same as an absent one (the kernel
 * drops it before parsing), so it is neither decoded nor recorded. */
static bool zero_mask(const struct dec *d, const struct nlattr *a)
{
	return d->mode == DEC_MASK &&
	       flow_bytes_all_zero(attr_data(a), attr_len(a));
}

static int check_stream(struct dec *d, const struct nlattr *nest,
			const char *what)
{
	if (!attr_stream_valid(attr_data(nest), attr_len(nest)))
		return fail(d, "%s attribute stream truncated", what);
	return 0;
}

/* Whether a top-level key attribute matches everything: its mask is absent
 * from the flow's mask, or all zero (the text format's "field=0/0"). */
static bool wildcarded(const struct dec *d, const struct nlattr *a, int depth)
{
	const struct nlattr *m;

	if (depth)
		return false;
	if (d->mode == DEC_MASK)
		return flow_bytes_all_zero(attr_data(a), attr_len(a));
	if (d->mode != DEC_KEY || !d->mask ||
	    !attr_stream_valid(d->mask->data, d->mask->len))
		return false;
	m = attr_find(d->mask->data, d->mask->len, attr_type(a));
	return !m || flow_bytes_all_zero(attr_data(m), attr_len(m));
}

/* Returns 0, 1 for an attribute to skip (a wildcarded userspace-only one:
 * Open vSwitch prints packet_type(ns=0/0,id=0/0) in -m dumps), or a
 * negative errno. */
static int check_key_attr(struct dec *d, const struct nlattr *a, int depth,
			  const struct odp_attr_info **infop)
{
	int type = attr_type(a);
	const struct odp_attr_info *info = odp_key_attr_info(type);

	if (type >= KEY_ATTR_USERSPACE_FIRST &&
	    type <= KEY_ATTR_USERSPACE_LAST) {
		if (wildcarded(d, a, depth))
			return 1;
		return fail(d, "key attribute %d is userspace-only", type);
	}
	if (!info)
		return fail(d, "unknown key attribute %d", type);
	if (!odp_attr_len_ok(info, attr_len(a)))
		return fail(d, "key attribute %s: length %zu, expected %d",
			    info->name, attr_len(a), info->len);
	*infop = info;
	return 0;
}

static int decode_vxlan(struct dec *d, struct flow_tunnel *t,
			const struct nlattr *nest)
{
	const struct nlattr *a;
	bool seen = false, recorded = d->mode != DEC_MASK;
	size_t left;

	if (check_stream(d, nest, "vxlan"))
		return -EINVAL;
	attr_for_each_nested(a, nest, left)
	{
		if (attr_type(a) != OVS_VXLAN_EXT_GBP)
			return fail(d, "unknown vxlan attribute %d",
				    attr_type(a));
		if (attr_len(a) != sizeof t->vxlan_gbp)
			return fail(
				d,
				"vxlan attribute gbp: length %zu, expected 4",
				attr_len(a));
		if (seen)
			return fail(d, "duplicate vxlan attribute gbp");
		seen = true;
		if (zero_mask(d, a))
			continue;
		read_payload(d, a, &t->vxlan_gbp, sizeof t->vxlan_gbp);
		recorded = true;
	}
	return recorded;
}

/* Options are copied raw, with their length; Geneve options are whole
 * 4-byte words (the kernel's rule), ERSPAN metadata is opaque. */
static int decode_tun_opts(struct dec *d, const struct nlattr *a, uint8_t *dst,
			   uint8_t *lenp, size_t max, size_t unit)
{
	size_t len = attr_len(a);

	if (len > max)
		return fail(d, "tunnel attribute %s: length %zu, at most %zu",
			    odp_tunnel_attr_info(attr_type(a))->name, len, max);
	if (len % unit)
		return fail(
			d,
			"tunnel attribute %s: length %zu, not a multiple of %zu",
			odp_tunnel_attr_info(attr_type(a))->name, len, unit);
	if (zero_mask(d, a))
		return 0;
	read_payload(d, a, dst, len);
	*lenp = (uint8_t)len;
	return 1;
}

/* Returns 1 if the attribute was recorded, 0 if it carries nothing (a pad,
 * an all-zero mask), or a negative errno. */
static int decode_tun_attr(struct dec *d, struct flow_tunnel *t,
			   const struct nlattr *a,
			   const struct odp_attr_info *info)
{
	int type = attr_type(a);
	const struct field *f = &tun_fields[type];

	switch (type) {
	case OVS_TUNNEL_KEY_ATTR_PAD:
		return 0;
	case OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS:
		return decode_vxlan(d, t, a);
	case OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS:
		return decode_tun_opts(d, a, t->geneve, &t->geneve_len,
				       FLOW_GENEVE_OPTS_MAX, 4);
	case OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS:
		return decode_tun_opts(d, a, t->erspan, &t->erspan_len,
				       sizeof t->erspan, 1);
	}
	if (info->len == 0) {
		/* A flag: in a mask, its presence means "matched". */
		t->flags |= TUN_BIT(type);
		return 1;
	}
	if (f->size != attr_len(a))
		return fail(d, "tunnel attribute %s: no decoder", info->name);
	if (zero_mask(d, a))
		return 0;
	read_payload(d, a, (uint8_t *)t + f->off, f->size);
	return 1;
}

/* The kernel exact-matches the whole tunnel key when a flow without a MASK
 * has one, including the fields userspace left out because they were 0. */
static void tunnel_exact(struct flow_tunnel *t)
{
	memset(&t->tun_id, 0xff, sizeof t->tun_id);
	memset(&t->ipv4_src, 0xff, sizeof t->ipv4_src);
	memset(&t->ipv4_dst, 0xff, sizeof t->ipv4_dst);
	memset(t->ipv6_src, 0xff, sizeof t->ipv6_src);
	memset(t->ipv6_dst, 0xff, sizeof t->ipv6_dst);
	t->tos = t->ttl = 0xff;
	memset(&t->tp_src, 0xff, sizeof t->tp_src);
	memset(&t->tp_dst, 0xff, sizeof t->tp_dst);
	t->flags = TUN_FLAG_BITS;
}

static int decode_tunnel(struct dec *d, const struct nlattr *nest,
			 bool *present)
{
	const uint32_t v4 = TUN_BIT(OVS_TUNNEL_KEY_ATTR_IPV4_SRC) |
			    TUN_BIT(OVS_TUNNEL_KEY_ATTR_IPV4_DST);
	const uint32_t v6 = TUN_BIT(OVS_TUNNEL_KEY_ATTR_IPV6_SRC) |
			    TUN_BIT(OVS_TUNNEL_KEY_ATTR_IPV6_DST);
	struct flow_tunnel *t = &d->ff->tunnel;
	const struct nlattr *a;
	uint32_t seen = 0;
	size_t left;
	int ret;

	if (check_stream(d, nest, "tunnel"))
		return -EINVAL;
	/* Ids start at 0 (TUN_ID): there is no UNSPEC to skip. */
	attr_for_each_nested(a, nest, left)
	{
		int type = attr_type(a);
		const struct odp_attr_info *info = odp_tunnel_attr_info(type);

		if (!info)
			return fail(d, "unknown tunnel attribute %d", type);
		if (!odp_attr_len_ok(info, attr_len(a)))
			return fail(
				d,
				"tunnel attribute %s: length %zu, expected %d",
				info->name, attr_len(a), info->len);
		if (seen & TUN_BIT(type))
			return fail(d, "duplicate tunnel attribute %s",
				    info->name);
		seen |= TUN_BIT(type);
		ret = decode_tun_attr(d, t, a, info);
		if (ret < 0)
			return ret;
		if (ret > 0 ||
		    (d->mode != DEC_MASK && type != OVS_TUNNEL_KEY_ATTR_PAD))
			t->present |= TUN_BIT(type);
	}
	if (d->mode == DEC_KEY && (seen & v4) && (seen & v6))
		return fail(d, "tunnel mixes ipv4 and ipv6 addresses");
	if (d->mode == DEC_EXACT)
		tunnel_exact(t);
	*present = d->mode != DEC_MASK || t->present;
	return 0;
}

static int decode_nsh(struct dec *d, const struct nlattr *nest, bool *present)
{
	void *dst[] = {[OVS_NSH_KEY_ATTR_BASE] = &d->ff->nsh_base,
		       [OVS_NSH_KEY_ATTR_MD1] = &d->ff->nsh_md1};
	const struct nlattr *a;
	uint32_t seen = 0;
	size_t left;

	if (check_stream(d, nest, "nsh"))
		return -EINVAL;
	*present = d->mode != DEC_MASK;
	attr_for_each_nested(a, nest, left)
	{
		int type = attr_type(a);
		const struct odp_attr_info *info;

		if (type == OVS_NSH_KEY_ATTR_MD2)
			return fail(d, "nsh md2 is not supported");
		if (type != OVS_NSH_KEY_ATTR_BASE &&
		    type != OVS_NSH_KEY_ATTR_MD1)
			return fail(d, "unknown nsh attribute %d", type);
		info = &nsh_attrs[type];
		if (!odp_attr_len_ok(info, attr_len(a)))
			return fail(d,
				    "nsh attribute %s: length %zu, expected %d",
				    info->name, attr_len(a), info->len);
		if (seen & (1u << type))
			return fail(d, "duplicate nsh attribute %s",
				    info->name);
		seen |= 1u << type;
		if (zero_mask(d, a))
			continue;
		read_payload(d, a, dst[type], attr_len(a));
		*present = true;
	}
	return 0;
}

static int decode_mpls(struct dec *d, const struct nlattr *a, bool *present)
{
	size_t len = attr_len(a), n = len / sizeof(struct ovs_key_mpls);

	if (len % sizeof(struct ovs_key_mpls) || !n || n > FLOW_MAX_MPLS)
		return fail(
			d,
			"key attribute mpls: length %zu, expected 4, 8 or 12",
			len);
	*present = !zero_mask(d, a);
	if (!*present)
		return 0;
	read_payload(d, a, d->ff->mpls, len);
	if (d->mode == DEC_KEY)
		d->m->n_mpls = (uint8_t)n;
	return 0;
}

/* Decodes one attribute that is not part of a VLAN layer. */
static int decode_attr(struct dec *d, const struct nlattr *a,
		       const struct odp_attr_info *info)
{
	int type = attr_type(a);
	const struct field *f = &key_fields[type];
	bool present = true;
	int err = 0;

	/* The kernel collects a key's layers into one attribute table, so an
	 * attribute may appear once across all of them. */
	if (d->seen & FLOW_ATTR_BIT(type))
		return fail(d, "duplicate key attribute %s", info->name);
	d->seen |= FLOW_ATTR_BIT(type);

	if (type == OVS_KEY_ATTR_TUNNEL) {
		err = decode_tunnel(d, a, &present);
	} else if (type == OVS_KEY_ATTR_NSH) {
		err = decode_nsh(d, a, &present);
	} else if (type == OVS_KEY_ATTR_MPLS) {
		err = decode_mpls(d, a, &present);
	} else if (f->size != attr_len(a)) {
		err = fail(d, "key attribute %s: no decoder", info->name);
	} else if (zero_mask(d, a)) {
		present = false;
	} else {
		read_payload(d, a, (uint8_t *)d->ff + f->off, f->size);
		/* The kernel forces any in_port mask to exact. */
		if (type == OVS_KEY_ATTR_IN_PORT && d->mode == DEC_MASK)
			d->ff->in_port = UINT32_MAX;
	}
	if (!err && present)
		*d->attrs |= FLOW_ATTR_BIT(type);
	return err;
}

static bool is_vlan_tpid(__be16 tpid)
{
	return tpid == htons(0x8100) || tpid == htons(0x88a8);
}

enum {
	L_ETHERTYPE,
	L_VLAN,
	L_ENCAP,
	L_N
};

static int decode_level(struct dec *d, const void *data, size_t len, int depth);

static int key_eth_type(struct dec *d, const struct nlattr *et)
{
	__be16 type = attr_get_u16(et);

	/* 802.2 frames omit ETHERTYPE from the key instead. */
	if (ntohs(type) < 0x0600)
		return fail(d, "eth_type 0x%04x is below 0x0600", ntohs(type));
	d->ff->eth_type = type;
	*d->attrs |= FLOW_ATTR_BIT(OVS_KEY_ATTR_ETHERTYPE);
	return 0;
}

/* A key level: ETHERTYPE with a VLAN TPID, VLAN and ENCAP open a tag whose
 * ENCAP holds the next level; otherwise ETHERTYPE is the EtherType. */
static int key_vlan_layer(struct dec *d, const struct nlattr **lv, int depth)
{
	const struct nlattr *et = lv[L_ETHERTYPE], *vlan = lv[L_VLAN],
			    *encap = lv[L_ENCAP];
	bool tagged = et && is_vlan_tpid(attr_get_u16(et));
	__be16 tci;

	if (tagged && depth == FLOW_MAX_VLANS) {
		if (vlan || encap)
			return fail(d, "more than %d vlan tags",
				    FLOW_MAX_VLANS);
		/* The kernel parses two tags and keys a third TPID as the
		 * EtherType. */
		tagged = false;
	}
	if (!tagged) {
		if (vlan || encap)
			return fail(d,
				    "vlan or encap without a vlan ethertype");
		return et ? key_eth_type(d, et) : 0;
	}
	if (!vlan || !encap)
		return fail(d, "vlan ethertype 0x%04x without vlan and encap",
			    ntohs(attr_get_u16(et)));
	tci = attr_get_u16(vlan);
	if (!(tci & htons(FLOW_VLAN_PRESENT))) {
		if (tci)
			return fail(d,
				    "vlan tci 0x%04x without the present bit",
				    ntohs(tci));
		if (attr_len(encap))
			return fail(
				d, "truncated vlan tag with a non-empty encap");
	}
	d->ff->vlans[depth].tpid = attr_get_u16(et);
	d->ff->vlans[depth].tci = tci;
	d->m->n_vlans = (uint8_t)(depth + 1);
	*d->attrs |= VLAN_ATTR_BITS;
	if (!tci)
		return 0; /* truncated tag: nothing inside */
	return decode_level(d, attr_data(encap), attr_len(encap), depth + 1);
}

/* ETHERTYPE and VLAN of a mask level.  A non-zero EtherType (or TPID) mask
 * is forced exact, as the kernel does. */
static void mask_vlan_fields(struct dec *d, const struct nlattr **lv, int depth,
			     bool tagged)
{
	const struct nlattr *et = lv[L_ETHERTYPE], *vlan = lv[L_VLAN];

	if (et && !zero_mask(d, et)) {
		if (tagged)
			d->ff->vlans[depth].tpid = htons(0xffff);
		else
			d->ff->eth_type = htons(0xffff);
		*d->attrs |= FLOW_ATTR_BIT(OVS_KEY_ATTR_ETHERTYPE);
	}
	if (vlan && !zero_mask(d, vlan)) {
		read_payload(d, vlan, &d->ff->vlans[depth].tci,
			     sizeof d->ff->vlans[depth].tci);
		*d->attrs |= FLOW_ATTR_BIT(OVS_KEY_ATTR_VLAN);
	}
}

/* A mask level follows the key's layers: where the key has a tag at this
 * depth, ETHERTYPE/VLAN are the TPID/TCI masks and ENCAP holds the inner
 * masks; elsewhere ENCAP has nothing to apply to. */
static int mask_vlan_layer(struct dec *d, const struct nlattr **lv, int depth)
{
	const struct nlattr *et = lv[L_ETHERTYPE], *vlan = lv[L_VLAN],
			    *encap = lv[L_ENCAP];
	bool tagged = depth < d->m->n_vlans;
	/* An empty ENCAP (a truncated tag's) is all-zero: the kernel drops
	 * it like any all-zero mask attribute. */
	bool open = encap && attr_len(encap);

	if (!tagged && open)
		return fail(d, "encap for a vlan level the key does not have");
	if (!tagged && vlan && depth >= FLOW_MAX_VLANS && !zero_mask(d, vlan))
		return fail(d, "vlan below %d vlan tags", FLOW_MAX_VLANS);
	if (open && d->mode == DEC_MASK &&
	    (!et || attr_get_u16(et) != htons(0xffff) || !vlan ||
	     !(attr_get_u16(vlan) & htons(FLOW_VLAN_PRESENT))))
		return fail(
			d,
			"vlan mask must match the tpid and the present bit exactly");
	mask_vlan_fields(d, lv, depth, tagged);
	if (!open)
		return 0;
	*d->attrs |= FLOW_ATTR_BIT(OVS_KEY_ATTR_ENCAP);
	return decode_level(d, attr_data(encap), attr_len(encap), depth + 1);
}

/* Walks one level (the top, or an ENCAP): checks every attribute, decodes
 * those outside the VLAN layer at once, then the layer itself. */
static int decode_level(struct dec *d, const void *data, size_t len, int depth)
{
	const struct nlattr *lv[L_N] = {NULL};
	const struct odp_attr_info *info = NULL;
	const struct nlattr *a;
	size_t left;
	int err;

	if (!attr_stream_valid(data, len))
		return fail(d, "key attribute stream truncated");
	attr_for_each(a, data, len, left)
	{
		int slot = -1;

		err = check_key_attr(d, a, depth, &info);
		if (err < 0)
			return err;
		if (err)
			continue;
		switch (attr_type(a)) {
		case OVS_KEY_ATTR_ETHERTYPE:
			slot = L_ETHERTYPE;
			break;
		case OVS_KEY_ATTR_VLAN:
			slot = L_VLAN;
			break;
		case OVS_KEY_ATTR_ENCAP:
			slot = L_ENCAP;
			break;
		}
		if (slot < 0) {
			err = decode_attr(d, a, info);
			if (err)
				return err;
		} else if (lv[slot]) {
			return fail(d, "duplicate key attribute %s",
				    info->name);
		} else {
			lv[slot] = a;
		}
	}
	if (d->mode == DEC_KEY)
		return key_vlan_layer(d, lv, depth);
	return mask_vlan_layer(d, lv, depth);
}

int flow_match_decode(const struct odp_flow *f, struct flow_match *m)
{
	struct dec d = {m, &m->key, &m->key_attrs,
			0, DEC_KEY, f->has_mask ? &f->mask : NULL};
	int err;

	memset(m, 0, sizeof *m);
	err = decode_level(&d, f->key.data, f->key.len, 0);
	if (err)
		return err;

	/* The kernel matches both TCIs exactly unless the mask says
	 * otherwise, so a key without VLAN matches only untagged frames. */
	m->mask.vlans[0].tci = m->mask.vlans[1].tci = htons(0xffff);
	if (f->has_mask) {
		d = (struct dec){m, &m->mask, &m->mask_attrs,
				 0, DEC_MASK, NULL};
		return decode_level(&d, f->mask.data, f->mask.len, 0);
	}
	d = (struct dec){m, &m->mask, &m->mask_attrs, 0, DEC_EXACT, NULL};
	err = decode_level(&d, f->key.data, f->key.len, 0);
	m->mask_attrs = m->key_attrs;
	return err;
}
