/* Printers of the actions with nested payloads of their own: set(...) and
 * its masked form, push_nsh(...), and ct(...) with nat(...) (see
 * odp-text-print-act.c for the rest).  Validation failures print the same
 * error texts as Open vSwitch 3.1 ("ct(error)", "nat(range error)"...). */
#include <linux/openvswitch.h>
#include <string.h>

#include "odp-text-private.h"

#define NSH_BASE_LEN   8
#define NSH_MAX_LEN    252 /* the 6-bit length field, in 4-byte words */
#define SET_MASKED_MAX 40  /* sizeof(struct ovs_key_ipv6) */

/* set(nsh(...)): each sub-attribute holds its value then its mask.  OVS
 * prints nothing at all for the action when one is not of a known size. */
static void put_set_nsh(struct ds *s, const struct nlattr *nsh)
{
	static const size_t lens[] = {0, NSH_BASE_LEN, 16};
	struct otx_nsh k, m;
	const struct nlattr *a;
	size_t left;

	memset(&k, 0, sizeof k);
	memset(&m, 0xff, sizeof m);
	attr_for_each_nested(a, nsh, left)
	{
		const uint8_t *p = attr_data(a);
		int type = attr_type(a);

		if (type >= OVS_NSH_KEY_ATTR_MD2 ||
		    attr_len(a) != 2 * lens[type])
			return;
		if (type == OVS_NSH_KEY_ATTR_BASE) {
			k.flags = p[0], k.ttl = p[1], k.mdtype = p[2];
			k.np = p[3], k.path = otx_get_be32(p + 4);
			m.flags = p[8], m.ttl = p[9], m.mdtype = p[10];
			m.np = p[11], m.path = otx_get_be32(p + 12);
		} else if (type == OVS_NSH_KEY_ATTR_MD1) {
			for (int i = 0; i < 4; i++) {
				k.c[i] = otx_get_be32(p + 4 * i);
				m.c[i] = otx_get_be32(p + 16 + 4 * i);
			}
		}
	}
	ds_put(s, "set(nsh(");
	otx_put_nsh_masked(s, &k, &m);
	ds_put(s, "))");
}

void otx_put_set(struct ds *s, const struct nlattr *a, bool masked)
{
	const struct nlattr *in = attr_data(a);
	struct otx_print pp = {!masked, 0, NULL};
	struct otx_val k, m;
	size_t half;

	/* OVS reads the inner attribute without checking it. */
	if (!attr_ok(in, attr_len(a))) {
		ds_put(s, "set(error)");
		return;
	}
	if (masked && attr_type(in) == OVS_KEY_ATTR_NSH) {
		put_set_nsh(s, in);
		return;
	}
	k = (struct otx_val){attr_data(in), attr_len(in)};
	ds_put(s, "set(");
	half = k.len / 2;
	if (masked && half <= SET_MASKED_MAX) {
		/* Value then mask, printed as a key attribute with its mask
		 * (non-verbose: only the fields being set). */
		m = (struct otx_val){k.p + half, half};
		k.len = half;
		otx_format_key_attr(s, attr_type(in), &k, &m, &pp);
	} else {
		otx_format_key_attr(s, attr_type(in), &k, NULL, &pp);
	}
	ds_putc(s, ')');
}

struct nsh_hdr {
	uint8_t flags, ttl, mdtype, np;
	uint32_t path;
	uint8_t md[NSH_MAX_LEN - NSH_BASE_LEN];
	size_t mdlen;
};

/* OVS builds an NSH header from the attributes first; what it would
 * refuse (or abort on) we print as push_nsh(error). */
static int nsh_from_attrs(const struct nlattr *nest, struct nsh_hdr *h)
{
	bool has_md1 = false, has_md2 = false;
	const struct nlattr *a;
	size_t left;

	memset(h, 0, sizeof *h);
	h->ttl = 63;
	attr_for_each_nested(a, nest, left)
	{
		const uint8_t *p = attr_data(a);
		size_t n = attr_len(a);

		switch (attr_type(a)) {
		case OVS_NSH_KEY_ATTR_BASE:
			if (n != NSH_BASE_LEN)
				return -1;
			h->flags = p[0], h->ttl = p[1], h->mdtype = p[2];
			h->np = p[3], h->path = otx_get_be32(p + 4);
			break;
		case OVS_NSH_KEY_ATTR_MD1:
		case OVS_NSH_KEY_ATTR_MD2:
			if (n > sizeof h->md ||
			    (attr_type(a) == OVS_NSH_KEY_ATTR_MD1 && n != 16))
				return -1;
			has_md1 |= attr_type(a) == OVS_NSH_KEY_ATTR_MD1;
			has_md2 |= attr_type(a) == OVS_NSH_KEY_ATTR_MD2;
			memcpy(h->md, p, n);
			h->mdlen = n;
			break;
		default:
			return -1;
		}
	}
	if ((has_md1 && h->mdtype != 1) || (has_md2 && h->mdtype != 2) ||
	    (h->mdtype != 1 && h->mdtype != 2))
		return -1;
	/* The header keeps 2 flag bits, 6 TTL bits and the length in
	 * words; MD2 shorter than a word multiple loses its tail. */
	h->flags &= 3, h->ttl &= 0x3f;
	h->mdlen = ((NSH_BASE_LEN + h->mdlen) >> 2 << 2) - NSH_BASE_LEN;
	return 0;
}

void otx_put_push_nsh(struct ds *s, const struct nlattr *a)
{
	struct nsh_hdr h;

	if (nsh_from_attrs(a, &h)) {
		ds_put(s, "push_nsh(error)");
		return;
	}
	ds_printf(s, "push_nsh(flags=%u,ttl=%u,mdtype=%u,np=%u,spi=0x%x,si=%u",
		  h.flags, h.ttl, h.mdtype, h.np, h.path >> 8, h.path & 0xff);
	if (h.mdtype == 1) {
		for (int i = 0; i < 4; i++)
			ds_printf(s, ",c%d=0x%x", i + 1,
				  otx_get_be32(h.md + 4 * i));
	} else {
		ds_put(s, ",md2=");
		otx_put_bighex(s, h.md, h.mdlen);
	}
	ds_putc(s, ')');
}

/* OVS's string policy: NUL-terminated, no NUL before, length in range. */
static bool string_ok(const struct nlattr *a, size_t max)
{
	const char *p = attr_data(a);
	size_t n = attr_len(a);

	return n >= 1 && n <= max && !p[n - 1] && !memchr(p, '\0', n - 1);
}

static void put_nat_addrs(struct ds *s, const struct nlattr **tb, size_t alen,
			  uint16_t pmin, uint16_t pmax)
{
	const uint8_t *lo = attr_data(tb[OVS_NAT_ATTR_IP_MIN]);
	const struct nlattr *hi = tb[OVS_NAT_ATTR_IP_MAX];
	bool bracket = alen == 16 && pmin;

	ds_put(s, bracket ? "=[" : "=");
	(alen == 4 ? otx_put_ipv4 : otx_put_ipv6)(s, lo);
	if (bracket)
		ds_putc(s, ']');
	if (hi && !otx_all_bytes(attr_data(hi), alen, 0) &&
	    memcmp(attr_data(hi), lo, alen)) {
		ds_put(s, bracket ? "-[" : "-");
		(alen == 4 ? otx_put_ipv4 : otx_put_ipv6)(s, attr_data(hi));
		if (bracket)
			ds_putc(s, ']');
	}
	if (pmin) {
		ds_printf(s, ":%u", pmin);
		if (pmax && pmax != pmin)
			ds_printf(s, "-%u", pmax);
	}
}

/* Returns OVS's error text for a NAT nest it refuses, or NULL. */
static const char *nat_error(const struct nlattr **tb, size_t *alen,
			     uint16_t *pmin, uint16_t *pmax)
{
	const struct nlattr *lo = tb[OVS_NAT_ATTR_IP_MIN];
	const struct nlattr *hi = tb[OVS_NAT_ATTR_IP_MAX];
	bool src = tb[OVS_NAT_ATTR_SRC], dst = tb[OVS_NAT_ATTR_DST];

	if (!src && !dst) {
		for (int t = OVS_NAT_ATTR_IP_MIN; t <= OVS_NAT_ATTR_MAX; t++)
			if (tb[t])
				return "nat(error: options allowed only with \"src\" or \"dst\")";
		return NULL;
	}
	if (src && dst)
		return "nat(error: Only one of \"src\" or \"dst\" may be present.)";
	if (!lo && tb[OVS_NAT_ATTR_PROTO_MIN])
		return "nat(error: proto but no IP.)";
	if ((!lo && hi) ||
	    (!tb[OVS_NAT_ATTR_PROTO_MIN] && tb[OVS_NAT_ATTR_PROTO_MAX]))
		return "nat(error: range max without min.)";
	*alen = lo ? attr_len(lo) : 0;
	if ((lo && *alen != 4 && *alen != 16) || (hi && attr_len(hi) != *alen))
		return "nat(error: IP address sizes do not match)";
	*pmin = tb[OVS_NAT_ATTR_PROTO_MIN]
			? attr_get_u16(tb[OVS_NAT_ATTR_PROTO_MIN])
			: 0;
	*pmax = tb[OVS_NAT_ATTR_PROTO_MAX]
			? attr_get_u16(tb[OVS_NAT_ATTR_PROTO_MAX])
			: 0;
	/* Address ranges compare as big-endian numbers (IPv4 by value,
	 * IPv6 by memcmp): both are memcmp on network order. */
	if ((hi && !otx_all_bytes(attr_data(hi), *alen, 0) &&
	     memcmp(attr_data(lo), attr_data(hi), *alen) > 0) ||
	    (*pmax && *pmin > *pmax))
		return "nat(range error)";
	return NULL;
}

static void put_nat(struct ds *s, const struct nlattr *nat)
{
	static const struct attr_policy policy[OVS_NAT_ATTR_MAX + 1] = {
		[OVS_NAT_ATTR_IP_MIN] = ATTR_LEN(4, 16),
		[OVS_NAT_ATTR_IP_MAX] = ATTR_LEN(4, 16),
		[OVS_NAT_ATTR_PROTO_MIN] = ATTR_EXACT(2),
		[OVS_NAT_ATTR_PROTO_MAX] = ATTR_EXACT(2),
	};
	const struct nlattr *tb[OVS_NAT_ATTR_MAX + 1];
	uint16_t pmin = 0, pmax = 0;
	const char *err;
	size_t alen = 0;

	if (attr_parse(tb, OVS_NAT_ATTR_MAX, attr_data(nat), attr_len(nat),
		       policy, NULL)) {
		ds_put(s, "nat(error: nl_parse_nested() failed.)");
		return;
	}
	err = nat_error(tb, &alen, &pmin, &pmax);
	if (err) {
		ds_put(s, err);
		return;
	}
	ds_put(s, "nat");
	if (!tb[OVS_NAT_ATTR_SRC] && !tb[OVS_NAT_ATTR_DST])
		return;
	ds_put(s, tb[OVS_NAT_ATTR_SRC] ? "(src" : "(dst");
	if (alen)
		put_nat_addrs(s, tb, alen, pmin, pmax);
	ds_putc(s, ',');
	if (tb[OVS_NAT_ATTR_PERSISTENT])
		ds_put(s, "persistent,");
	if (tb[OVS_NAT_ATTR_PROTO_HASH])
		ds_put(s, "hash,");
	if (tb[OVS_NAT_ATTR_PROTO_RANDOM])
		ds_put(s, "random,");
	otx_chomp(s, ',');
	ds_putc(s, ')');
}

static void put_ct_items(struct ds *s, const struct nlattr **tb)
{
	const uint8_t *p;

	if (tb[OVS_CT_ATTR_COMMIT])
		ds_put(s, "commit,");
	if (tb[OVS_CT_ATTR_FORCE_COMMIT])
		ds_put(s, "force_commit,");
	if (tb[OVS_CT_ATTR_ZONE] && attr_get_u16(tb[OVS_CT_ATTR_ZONE]))
		ds_printf(s, "zone=%u,", attr_get_u16(tb[OVS_CT_ATTR_ZONE]));
	if (tb[OVS_CT_ATTR_MARK]) {
		uint32_t v[2];

		memcpy(v, attr_data(tb[OVS_CT_ATTR_MARK]), sizeof v);
		ds_printf(s, "mark=%#x/%#x,", v[0], v[1]);
	}
	if (tb[OVS_CT_ATTR_LABELS]) {
		p = attr_data(tb[OVS_CT_ATTR_LABELS]);
		ds_put(s, "label=");
		otx_put_ct_label(s, p, p + 16, true);
		ds_putc(s, ',');
	}
	if (tb[OVS_CT_ATTR_HELPER])
		ds_printf(s, "helper=%s,",
			  (const char *)attr_data(tb[OVS_CT_ATTR_HELPER]));
	/* OVS 3.1 prints no comma after the timeout name. */
	if (tb[OVS_CT_ATTR_TIMEOUT])
		ds_printf(s, "timeout=%s",
			  (const char *)attr_data(tb[OVS_CT_ATTR_TIMEOUT]));
	if (tb[OVS_CT_ATTR_NAT])
		put_nat(s, tb[OVS_CT_ATTR_NAT]);
}

void otx_put_ct_action(struct ds *s, const struct nlattr *a)
{
	static const struct attr_policy policy[OVS_CT_ATTR_MAX + 1] = {
		[OVS_CT_ATTR_ZONE] = ATTR_EXACT(2),
		[OVS_CT_ATTR_MARK] = ATTR_MIN(8),
		[OVS_CT_ATTR_LABELS] = ATTR_MIN(32),
	};
	const struct nlattr *tb[OVS_CT_ATTR_MAX + 1];
	bool any = false;

	if (attr_parse(tb, OVS_CT_ATTR_MAX, attr_data(a), attr_len(a), policy,
		       NULL) ||
	    (tb[OVS_CT_ATTR_HELPER] &&
	     !string_ok(tb[OVS_CT_ATTR_HELPER], 16)) ||
	    (tb[OVS_CT_ATTR_TIMEOUT] &&
	     !string_ok(tb[OVS_CT_ATTR_TIMEOUT], 32))) {
		ds_put(s, "ct(error)");
		return;
	}
	/* EVENTMASK is not printed; a zero zone neither. */
	tb[OVS_CT_ATTR_EVENTMASK] = NULL;
	for (int t = 1; t <= OVS_CT_ATTR_MAX; t++)
		any |= tb[t] && (t != OVS_CT_ATTR_ZONE ||
				 attr_get_u16(tb[OVS_CT_ATTR_ZONE]));
	ds_put(s, "ct");
	if (!any)
		return;
	ds_putc(s, '(');
	put_ct_items(s, tb);
	otx_chomp(s, ',');
	ds_putc(s, ')');
}
