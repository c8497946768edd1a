/* One description per key attribute, and the value formatters both the
 * printer and the parser use (see odp-text-private.h).
 *
 * Struct attributes (eth, ipv4, arp, ...) are a table of fields in print
 * order, each with its offset and kind; the printer and the parser walk the
 * same table, so a field is described once.  Names and kernel lengths come
 * from odp-attrs.c; this file only records where Open vSwitch 3.1's view
 * differs (ids 0, 29-31 and anything it does not know). */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/openvswitch.h>
#include <stdio.h>
#include <string.h>

#include "odp-attrs.h"
#include "odp-text-private.h"
#include "util.h"

#define F(n, o, k)                  \
	{                           \
		(n), NULL, (o), (k) \
	}
#define FA(n, a, o, k)             \
	{                          \
		(n), (a), (o), (k) \
	}
#define FIELDS(kind, tbl) (kind), ARRAY_SIZE(tbl), (tbl)

static const struct otx_field eth_fields[] = {
	F("src", 0, FK_MAC),
	F("dst", 6, FK_MAC),
};

static const struct otx_field ipv4_fields[] = {
	F("src", 0, FK_IPV4), F("dst", 4, FK_IPV4), F("proto", 8, FK_U8D),
	F("tos", 9, FK_U8X),  F("ttl", 10, FK_U8D), F("frag", 11, FK_FRAG),
};

static const struct otx_field ipv6_fields[] = {
	F("src", 0, FK_IPV6),	  F("dst", 16, FK_IPV6),
	F("label", 32, FK_LABEL), F("proto", 36, FK_U8D),
	F("tclass", 37, FK_U8X),  F("hlimit", 38, FK_U8D),
	F("frag", 39, FK_FRAG),
};

static const struct otx_field ports_fields[] = {
	F("src", 0, FK_BE16D),
	F("dst", 2, FK_BE16D),
};

static const struct otx_field icmp_fields[] = {
	F("type", 0, FK_U8D),
	F("code", 1, FK_U8D),
};

static const struct otx_field arp_fields[] = {
	F("sip", 0, FK_IPV4), F("tip", 4, FK_IPV4), F("op", 8, FK_BE16D),
	F("sha", 10, FK_MAC), F("tha", 16, FK_MAC),
};

static const struct otx_field nd_fields[] = {
	F("target", 0, FK_IPV6),
	F("sll", 16, FK_MAC),
	F("tll", 22, FK_MAC),
};

/* Print order differs from the payload order: proto comes third. */
static const struct otx_field ct_tuple4_fields[] = {
	F("src", 0, FK_IPV4),	   F("dst", 4, FK_IPV4),
	F("proto", 12, FK_U8D),	   F("tp_src", 8, FK_BE16D),
	F("tp_dst", 10, FK_BE16D),
};

/* Open vSwitch prints src_port/dst_port here but its parser wants
 * tp_src/tp_dst; we accept both. */
static const struct otx_field ct_tuple6_fields[] = {
	F("src", 0, FK_IPV6),
	F("dst", 16, FK_IPV6),
	F("proto", 36, FK_U8D),
	FA("src_port", "tp_src", 32, FK_BE16D),
	FA("dst_port", "tp_dst", 34, FK_BE16D),
};

/* Userspace-datapath attributes: never in kernel dumps, but OVS 3.1 knows
 * their ids and prints them by name. */
static const struct otx_field packet_type_fields[] = {
	F("ns", 0, FK_BE16D),
	F("id", 2, FK_BE16X),
};

static const struct otx_field nd_ext_fields[] = {
	F("nd_reserved", 0, FK_BE32X_EX),
	F("nd_options_type", 4, FK_U8D),
};

const uint8_t otx_zeros[UINT16_MAX];

int otx_buf_put_ones(struct buf *b, size_t n)
{
	uint8_t *p = buf_put_zeros(b, n);

	if (!p)
		return -ENOMEM;
	memset(p, 0xff, n);
	return 0;
}

#define KEY_ATTR_PACKET_TYPE 29
#define KEY_ATTR_ND_EXT	     30
#define KEY_ATTR_OVS_KNOWN   30 /* OVS 3.1 knows ids 0..30 */

static const struct otx_key_desc key_descs[KEY_ATTR_OVS_KNOWN + 1] = {
	[OVS_KEY_ATTR_UNSPEC] = {"unspec", 0, AK_UNSPEC, 0, NULL},
	[OVS_KEY_ATTR_ENCAP] = {.kind = AK_ENCAP},
	[OVS_KEY_ATTR_PRIORITY] = {.kind = AK_U32X},
	[OVS_KEY_ATTR_IN_PORT] = {.kind = AK_IN_PORT},
	[OVS_KEY_ATTR_ETHERNET] = {NULL, 0, FIELDS(AK_STRUCT, eth_fields)},
	[OVS_KEY_ATTR_VLAN] = {.kind = AK_VLAN},
	[OVS_KEY_ATTR_ETHERTYPE] = {.kind = AK_ETHERTYPE},
	[OVS_KEY_ATTR_IPV4] = {NULL, 0, FIELDS(AK_STRUCT, ipv4_fields)},
	[OVS_KEY_ATTR_IPV6] = {NULL, 0, FIELDS(AK_STRUCT, ipv6_fields)},
	[OVS_KEY_ATTR_TCP] = {NULL, 0, FIELDS(AK_STRUCT, ports_fields)},
	[OVS_KEY_ATTR_UDP] = {NULL, 0, FIELDS(AK_STRUCT, ports_fields)},
	[OVS_KEY_ATTR_ICMP] = {NULL, 0, FIELDS(AK_STRUCT, icmp_fields)},
	[OVS_KEY_ATTR_ICMPV6] = {NULL, 0, FIELDS(AK_STRUCT, icmp_fields)},
	[OVS_KEY_ATTR_ARP] = {NULL, 0, FIELDS(AK_STRUCT, arp_fields)},
	[OVS_KEY_ATTR_ND] = {NULL, 0, FIELDS(AK_STRUCT, nd_fields)},
	[OVS_KEY_ATTR_SKB_MARK] = {.kind = AK_U32X},
	[OVS_KEY_ATTR_TUNNEL] = {.kind = AK_TUNNEL},
	[OVS_KEY_ATTR_SCTP] = {NULL, 0, FIELDS(AK_STRUCT, ports_fields)},
	[OVS_KEY_ATTR_TCP_FLAGS] = {.kind = AK_TCP_FLAGS},
	[OVS_KEY_ATTR_DP_HASH] = {.kind = AK_U32X},
	[OVS_KEY_ATTR_RECIRC_ID] = {.kind = AK_U32X},
	[OVS_KEY_ATTR_MPLS] = {.kind = AK_MPLS},
	[OVS_KEY_ATTR_CT_STATE] = {.kind = AK_CT_STATE},
	[OVS_KEY_ATTR_CT_ZONE] = {.kind = AK_CTU16},
	[OVS_KEY_ATTR_CT_MARK] = {.kind = AK_CTU32},
	[OVS_KEY_ATTR_CT_LABELS] = {.kind = AK_CT_LABEL},
	[OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4] = {NULL, 0,
					     FIELDS(AK_STRUCT,
						    ct_tuple4_fields)},
	[OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6] = {NULL, 0,
					     FIELDS(AK_STRUCT,
						    ct_tuple6_fields)},
	[OVS_KEY_ATTR_NSH] = {.kind = AK_NSH},
	[KEY_ATTR_PACKET_TYPE] = {"packet_type", 4,
				  FIELDS(AK_STRUCT, packet_type_fields)},
	[KEY_ATTR_ND_EXT] = {"nd_ext", 8, FIELDS(AK_STRUCT, nd_ext_fields)},
};

void otx_key_desc(int type, struct otx_key_desc *d)
{
	const struct odp_attr_info *info;

	memset(d, 0, sizeof *d);
	d->kind = AK_UNKNOWN;
	d->len = OTX_LEN_UNKNOWN;
	if (type < 0 || type > KEY_ATTR_OVS_KNOWN)
		return;
	*d = key_descs[type];
	if (d->name)
		return;
	/* The kernel's lengths are OVS's for the ids both know. */
	info = odp_key_attr_info(type);
	d->name = info->name;
	if (info->len == ODP_LEN_NESTED)
		d->len = OTX_LEN_NESTED;
	else if (info->len == ODP_LEN_VARIABLE)
		d->len = OTX_LEN_VAR;
	else
		d->len = info->len;
}

int otx_key_type(const char *name, size_t len)
{
	struct otx_key_desc d;

	for (int t = 0; t <= KEY_ATTR_OVS_KNOWN; t++) {
		otx_key_desc(t, &d);
		if (strlen(d.name) == len && !memcmp(d.name, name, len))
			return t;
	}
	return -1;
}

int otx_tun_len(int type)
{
	const struct odp_attr_info *info;

	/* OVS 3.1 reads id 16 as its userspace GTPU_OPTS (variable) and has
	 * no entry for PAD (so expects 0 bytes). */
	if (type == OVS_TUNNEL_KEY_ATTR_IPV4_INFO_BRIDGE)
		return OTX_LEN_VAR;
	if (type == OVS_TUNNEL_KEY_ATTR_PAD)
		return 0;
	info = odp_tunnel_attr_info(type);
	if (!info)
		return OTX_LEN_UNKNOWN;
	if (info->len == ODP_LEN_NESTED)
		return OTX_LEN_NESTED;
	return info->len == ODP_LEN_VARIABLE ? OTX_LEN_VAR : info->len;
}

int otx_tun_kind(int type)
{
	switch (type) {
	case OVS_TUNNEL_KEY_ATTR_IPV4_SRC:
	case OVS_TUNNEL_KEY_ATTR_IPV4_DST:
		return FK_IPV4;
	case OVS_TUNNEL_KEY_ATTR_IPV6_SRC:
	case OVS_TUNNEL_KEY_ATTR_IPV6_DST:
		return FK_IPV6;
	case OVS_TUNNEL_KEY_ATTR_TOS:
		return FK_U8X;
	case OVS_TUNNEL_KEY_ATTR_TTL:
		return FK_U8D;
	case OVS_TUNNEL_KEY_ATTR_TP_SRC:
	case OVS_TUNNEL_KEY_ATTR_TP_DST:
		return FK_BE16D;
	default:
		return -1;
	}
}

void otx_chomp(struct ds *s, char c)
{
	if (s->len && s->s[s->len - 1] == c)
		ds_chomp(s, 1);
}

bool otx_all_bytes(const uint8_t *p, size_t n, uint8_t b)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != b)
			return false;
	return true;
}

void otx_put_spaced_hex(struct ds *s, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ds_printf(s, i ? " %02x" : "%02x", p[i]);
}

void otx_put_bighex(struct ds *s, const uint8_t *p, size_t n)
{
	bool printed = false;

	for (size_t i = 0; i < n; i++) {
		if (!p[i] && !printed)
			continue;
		ds_printf(s, printed ? "%02x" : "0x%x", p[i]);
		printed = true;
	}
	if (!printed)
		ds_putc(s, '0');
}

void otx_put_mac(struct ds *s, const uint8_t *p)
{
	ds_printf(s, "%02x:%02x:%02x:%02x:%02x:%02x", p[0], p[1], p[2], p[3],
		  p[4], p[5]);
}

void otx_put_ipv4(struct ds *s, const uint8_t *p)
{
	ds_printf(s, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
}

void otx_put_ipv6(struct ds *s, const uint8_t *p)
{
	char text[INET6_ADDRSTRLEN];

	/* glibc's inet_ntop, as Open vSwitch uses. */
	if (!inet_ntop(AF_INET6, p, text, sizeof text))
		snprintf(text, sizeof text, "?");
	ds_put(s, text);
}

void otx_copy(void *dst, size_t n, const struct otx_val *v)
{
	memset(dst, 0, n);
	if (v && v->len)
		memcpy(dst, v->p, v->len < n ? v->len : n);
}

uint16_t otx_get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

uint32_t otx_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

size_t otx_field_size(int kind)
{
	static const uint8_t sizes[] = {
		[FK_MAC] = 6,	   [FK_IPV4] = 4,  [FK_IPV6] = 16,
		[FK_U8D] = 1,	   [FK_U8X] = 1,   [FK_BE16D] = 2,
		[FK_BE16X] = 2,	   [FK_LABEL] = 4, [FK_FRAG] = 1,
		[FK_BE32X_EX] = 4,
	};

	return sizes[kind];
}

/* A scalar field's value in host order. */
static uint32_t field_num(int kind, const uint8_t *p)
{
	switch (kind) {
	case FK_BE16D:
	case FK_BE16X:
		return otx_get_be16(p);
	case FK_LABEL:
	case FK_BE32X_EX:
		return otx_get_be32(p);
	default:
		return p[0];
	}
}

/* Whether a mask of this kind is all ones for the bits that matter. */
static bool field_full(int kind, const uint8_t *m)
{
	switch (kind) {
	case FK_LABEL:
		return (otx_get_be32(m) & 0xfffff) == 0xfffff;
	case FK_FRAG:
		return (m[0] & 3) == 3;
	default:
		return otx_all_bytes(m, otx_field_size(kind), 0xff);
	}
}

static void put_value(struct ds *s, int kind, const uint8_t *p)
{
	switch (kind) {
	case FK_MAC:
		otx_put_mac(s, p);
		break;
	case FK_IPV4:
		otx_put_ipv4(s, p);
		break;
	case FK_IPV6:
		otx_put_ipv6(s, p);
		break;
	case FK_U8D:
	case FK_BE16D:
		ds_printf(s, "%u", field_num(kind, p));
		break;
	default:
		ds_printf(s, "%#x", field_num(kind, p));
		break;
	}
}

static const char *frag_name(uint8_t v)
{
	static const char *const names[] = {"no", "first", "later"};

	return v < ARRAY_SIZE(names) ? names[v] : "<error>";
}

/* frag is an enumeration: never printed with a mask, and a partial mask
 * is reported (even in verbose mode an empty mask prints nothing). */
static void put_frag(struct ds *s, const struct otx_field *f, uint8_t v,
		     const uint8_t *m)
{
	bool empty = m && !m[0];

	if (!empty && !field_full(FK_FRAG, m ? m : (const uint8_t *)"\xff"))
		ds_printf(s,
			  "error: partial mask not supported for frag (%#x),",
			  m[0]);
	else if (!empty)
		ds_printf(s, "%s=%s,", f->name, frag_name(v));
}

void otx_put_field(struct ds *s, const struct otx_field *f, const uint8_t *key,
		   const uint8_t *mask, bool verbose)
{
	const uint8_t *k = key + f->off;
	const uint8_t *m = mask ? mask + f->off : NULL;
	size_t n = otx_field_size(f->kind);
	bool empty = m && otx_all_bytes(m, n, 0);

	if (f->kind == FK_FRAG) {
		put_frag(s, f, k[0], m);
		return;
	}
	if (f->kind == FK_BE32X_EX) {
		ds_printf(s, "%s=0x%x,", f->name, field_num(f->kind, k));
		return;
	}
	if (!verbose && empty)
		return;
	ds_printf(s, "%s=", f->name);
	put_value(s, f->kind, k);
	if (m && !field_full(f->kind, m)) {
		ds_putc(s, '/');
		if (f->kind == FK_MAC || f->kind == FK_IPV4 ||
		    f->kind == FK_IPV6)
			put_value(s, f->kind, m);
		else
			ds_printf(s, "%#x", field_num(f->kind, m));
	}
	ds_putc(s, ',');
}

static const char *const ct_state_names[] = {
	"new", "est", "rel", "rpl", "inv", "trk", "snat", "dnat",
};
static const char *const tcp_flag_names[] = {
	"fin", "syn", "rst", "psh",   "ack",   "urg",
	"ece", "cwr", "ns",  "[200]", "[400]", "[800]",
};
static const char *const tun_flag_names[] = {"oam", "df", "csum", "key"};
static const char *const slow_path_names[] = {
	"cfm", "bfd", "lacp", "stp", "lldp", "action", "match",
};

#define FLAG_NAMES(t)              \
	{                          \
		(t), ARRAY_SIZE(t) \
	}
const struct otx_flag_names otx_ct_state_names = FLAG_NAMES(ct_state_names);
const struct otx_flag_names otx_tcp_flag_names = FLAG_NAMES(tcp_flag_names);
const struct otx_flag_names otx_tun_flag_names = FLAG_NAMES(tun_flag_names);
const struct otx_flag_names otx_slow_path_names = FLAG_NAMES(slow_path_names);

static const char *flag_name(const struct otx_flag_names *fn, unsigned bit)
{
	return bit < fn->n ? fn->names[bit] : NULL;
}

void otx_put_flags(struct ds *s, const struct otx_flag_names *fn, uint32_t v,
		   char sep)
{
	uint32_t bad = 0;

	if (!v) {
		ds_putc(s, '0');
		return;
	}
	for (unsigned bit = 0; bit < 32; bit++) {
		const char *name;

		if (!(v & UINT32_C(1) << bit))
			continue;
		name = flag_name(fn, bit);
		if (name)
			ds_printf(s, "%s%c", name, sep);
		else
			bad |= UINT32_C(1) << bit;
	}
	/* Unnamed bits are gathered into one number after the names. */
	if (bad)
		ds_printf(s, "0x%x%c", bad, sep);
	otx_chomp(s, sep);
}

void otx_put_flags_masked(struct ds *s, const struct otx_flag_names *fn,
			  uint32_t v, uint32_t m, uint32_t max)
{
	if (m == max) {
		otx_put_flags(s, fn, v, '|');
		return;
	}
	if (!m) {
		ds_put(s, "0/0");
		return;
	}
	for (unsigned bit = 0; bit < 32; bit++) {
		const char *name;

		if (!(m & UINT32_C(1) << bit))
			continue;
		name = flag_name(fn, bit);
		ds_printf(s, "%c%s", v & UINT32_C(1) << bit ? '+' : '-',
			  name ? name : "[Unknown]");
	}
}

void otx_put_port(struct ds *s, const struct odp_port_names *names,
		  uint32_t port)
{
	if (names)
		for (size_t i = 0; i < names->n; i++)
			if (names->ports[i].port_no == port &&
			    names->ports[i].name) {
				ds_put(s, names->ports[i].name);
				return;
			}
	ds_printf(s, "%u", port);
}
