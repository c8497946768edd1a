/* Parsers of ct(...) with nat(...), and of push_nsh(...) (see
 * odp-text-private.h).
 *
 * Items are emitted in the order written; the printer prints them in its
 * own fixed order, which is the order Open vSwitch prints them in, so its
 * text round-trips.  Combinations the printer would print as an error
 * (both src and dst, a range whose maximum is below its minimum, options
 * without src or dst) are refused. */
#include <errno.h>
#include <stddef.h>
#include <linux/openvswitch.h>
#include <string.h>

#include "odp-text-private.h"
#include "util.h"

#define HELPER_MAX  15 /* characters, without the NUL */
#define TIMEOUT_MAX 31
#define NSH_MD2_MAX 244 /* 252 header bytes less the 8-byte base */

static int fail_errno(struct otx_parser *ps, int err)
{
	return err == -EINVAL || !err ? err : otx_fail_errno(ps, ps->p, err);
}

/* An item that stands alone: followed by ',' or ')'. */
static bool item(struct otx_parser *ps, const char *w)
{
	size_t n = strlen(w);

	if (strncmp(ps->p, w, n) || (ps->p[n] != ',' && ps->p[n] != ')'))
		return false;
	ps->p += n;
	return true;
}

static int sep(struct otx_parser *ps)
{
	if (otx_lit(ps, ",") || *ps->p == ')')
		return 0;
	return otx_fail(ps, ps->p, "expected ',' or ')'");
}

struct nat_range {
	uint8_t min[16], max[16];
	size_t alen;
	bool has_max;
	uint64_t pmin, pmax;
	bool has_pmin, has_pmax;
};

/* One address of a range: IPv4, [IPv6] or bare IPv6. */
static int nat_addr(struct otx_parser *ps, uint8_t *out, size_t *alen,
		    bool *bracket)
{
	const char *p = ps->p;
	size_t n = strspn(p, "0123456789abcdefABCDEF:.");
	const char *dot = memchr(p, '.', n), *colon = memchr(p, ':', n);

	if (*p == '[') {
		ps->p++;
		*bracket = true;
		*alen = 16;
		return otx_ipv6(ps, out) || otx_expect(ps, "]") ? -EINVAL : 0;
	}
	*bracket = false;
	/* IPv4 if a '.' comes before any ':' (a port or an IPv6 colon). */
	if (dot && (!colon || dot < colon)) {
		*alen = 4;
		return otx_ipv4(ps, out);
	}
	*alen = 16;
	return otx_ipv6(ps, out);
}

static int nat_range(struct otx_parser *ps, struct nat_range *r)
{
	const char *start = ps->p;
	bool bracket, bracket2;
	size_t alen2;

	if (nat_addr(ps, r->min, &r->alen, &bracket))
		return -EINVAL;
	if (otx_lit(ps, "-")) {
		if (nat_addr(ps, r->max, &alen2, &bracket2))
			return -EINVAL;
		if (alen2 != r->alen)
			return otx_fail(ps, start, "addresses of two families");
		r->has_max = true;
	}
	if ((r->alen == 4 || bracket) && otx_lit(ps, ":")) {
		if (otx_uint(ps, UINT16_MAX, &r->pmin))
			return -EINVAL;
		r->has_pmin = true;
		if (otx_lit(ps, "-")) {
			if (otx_uint(ps, UINT16_MAX, &r->pmax))
				return -EINVAL;
			r->has_pmax = true;
		}
	}
	if ((r->has_max && !otx_all_bytes(r->max, r->alen, 0) &&
	     memcmp(r->min, r->max, r->alen) > 0) ||
	    (r->pmax && r->pmin > r->pmax))
		return otx_fail(ps, start, "range maximum below its minimum");
	return 0;
}

static int put_nat(struct otx_parser *ps, struct buf *out, int kind,
		   const struct nat_range *r, const bool opt[3])
{
	int err = kind ? attr_put_flag(out, kind) : 0;

	if (!err && r->alen)
		err = attr_put(out, OVS_NAT_ATTR_IP_MIN, r->min, r->alen);
	if (!err && r->has_max)
		err = attr_put(out, OVS_NAT_ATTR_IP_MAX, r->max, r->alen);
	if (!err && r->has_pmin)
		err = attr_put_u16(out, OVS_NAT_ATTR_PROTO_MIN,
				   (uint16_t)r->pmin);
	if (!err && r->has_pmax)
		err = attr_put_u16(out, OVS_NAT_ATTR_PROTO_MAX,
				   (uint16_t)r->pmax);
	for (int i = 0; !err && i < 3; i++)
		if (opt[i])
			err = attr_put_flag(out, OVS_NAT_ATTR_PERSISTENT + i);
	return fail_errno(ps, err);
}

/* "nat" or "nat(src|dst[=RANGE],persistent,hash,random)". */
static int parse_nat(struct otx_parser *ps, struct buf *out)
{
	static const char *const opts[] = {"persistent", "hash", "random"};
	long off = attr_nest_start(out, OVS_CT_ATTR_NAT);
	struct nat_range r;
	bool opt[3] = {false, false, false};
	int kind = 0;

	memset(&r, 0, sizeof r);
	if (off < 0)
		return fail_errno(ps, (int)off);
	if (otx_lit(ps, "(")) {
		while (*ps->p != ')') {
			const char *at = ps->p;
			int i;

			if (item(ps, "src") || item(ps, "dst") ||
			    otx_lit(ps, "src=") || otx_lit(ps, "dst=")) {
				if (kind)
					return otx_fail(
						ps, at,
						"only one of src or dst");
				kind = at[0] == 's' ? OVS_NAT_ATTR_SRC
						    : OVS_NAT_ATTR_DST;
				if (ps->p[-1] == '=' && nat_range(ps, &r))
					return -EINVAL;
			} else {
				for (i = 0; i < 3 && !item(ps, opts[i]); i++)
					;
				if (i == 3 || opt[i])
					return otx_fail(
						ps, at,
						"unknown or repeated nat option");
				opt[i] = true;
			}
			if (sep(ps))
				return -EINVAL;
		}
		ps->p++;
		if (!kind && (opt[0] || opt[1] || opt[2]))
			return otx_fail(ps, ps->p,
					"nat options need src or dst");
	}
	if (put_nat(ps, out, kind, &r, opt))
		return -EINVAL;
	return fail_errno(ps, attr_nest_end(out, off));
}

/* A helper or timeout name: up to ',' or ')'.  Open vSwitch 3.1 prints no
 * comma after the timeout, so "timeout=NAMEnat(" is a name then nat. */
static int ct_name(struct otx_parser *ps, struct buf *out, int type, size_t max)
{
	const char *start = ps->p;
	size_t n = strcspn(start, ",()");
	char name[TIMEOUT_MAX + 1];

	if (type == OVS_CT_ATTR_TIMEOUT && (start[n] == '(' || n > max) &&
	    n > 3 && !strncmp(start + n - 3, "nat", 3))
		n -= 3;
	if (!n || n > max)
		return otx_fail(ps, start,
				"expected a name of 1 to %zu characters", max);
	memcpy(name, start, n);
	name[n] = '\0';
	ps->p = start + n;
	return fail_errno(ps, attr_put(out, type, name, n + 1));
}

static int ct_mark_label(struct otx_parser *ps, struct buf *out, bool label)
{
	uint8_t v[32];
	uint32_t m[2];
	uint64_t a, b;

	if (label) {
		memset(v + 16, 0xff, 16);
		if (otx_u128(ps, v) ||
		    (otx_lit(ps, "/") && otx_u128(ps, v + 16)))
			return -EINVAL;
		return fail_errno(ps, attr_put(out, OVS_CT_ATTR_LABELS, v, 32));
	}
	if (otx_num_mask(ps, UINT32_MAX, UINT32_MAX, &a, &b))
		return -EINVAL;
	m[0] = (uint32_t)a, m[1] = (uint32_t)b;
	return fail_errno(ps, attr_put(out, OVS_CT_ATTR_MARK, m, sizeof m));
}

static int ct_item(struct otx_parser *ps, struct buf *out)
{
	uint64_t zone;

	if (item(ps, "commit"))
		return fail_errno(ps, attr_put_flag(out, OVS_CT_ATTR_COMMIT));
	if (item(ps, "force_commit"))
		return fail_errno(ps,
				  attr_put_flag(out, OVS_CT_ATTR_FORCE_COMMIT));
	if (otx_lit(ps, "zone=")) {
		if (otx_uint(ps, UINT16_MAX, &zone))
			return -EINVAL;
		return fail_errno(ps, attr_put_u16(out, OVS_CT_ATTR_ZONE,
						   (uint16_t)zone));
	}
	if (otx_lit(ps, "mark="))
		return ct_mark_label(ps, out, false);
	if (otx_lit(ps, "label="))
		return ct_mark_label(ps, out, true);
	if (otx_lit(ps, "helper="))
		return ct_name(ps, out, OVS_CT_ATTR_HELPER, HELPER_MAX);
	if (otx_lit(ps, "timeout="))
		return ct_name(ps, out, OVS_CT_ATTR_TIMEOUT, TIMEOUT_MAX);
	if (otx_lit(ps, "nat"))
		return parse_nat(ps, out);
	return otx_fail(ps, ps->p, "unknown item of ct()");
}

int otx_parse_ct(struct otx_parser *ps, struct buf *out)
{
	long off = attr_nest_start(out, OVS_ACTION_ATTR_CT);
	size_t body = out->len;

	if (off < 0)
		return fail_errno(ps, (int)off);
	while (*ps->p != ')') {
		const char *at = ps->p;
		size_t before = out->len;
		const struct nlattr *a;

		if (ct_item(ps, out))
			return -EINVAL;
		a = (const struct nlattr *)(out->data + before);
		if (attr_find(out->data + body, before - body, attr_type(a)))
			return otx_fail(ps, at, "item given twice");
		/* OVS 3.1 prints "timeout=NAMEnat...", without a comma. */
		if (attr_type(a) == OVS_CT_ATTR_TIMEOUT &&
		    !strncmp(ps->p, "nat", 3))
			continue;
		if (sep(ps))
			return -EINVAL;
	}
	ps->p++;
	return fail_errno(ps, attr_nest_end(out, off));
}

struct nsh_text {
	uint64_t flags, ttl, mdtype, np, spi, si, c[4];
	uint8_t md2[NSH_MD2_MAX];
	size_t md2_len;
	bool has_c, has_md2;
};

/* md2=0x...: right-aligned into whole 4-byte words, so that the printed
 * number (which drops leading zeros) reads back the same. */
static int nsh_md2(struct otx_parser *ps, struct nsh_text *t)
{
	uint8_t v[NSH_MD2_MAX];
	size_t skip = 0;

	if (otx_bighex(ps, v, sizeof v))
		return -EINVAL;
	while (skip < sizeof v && !v[skip])
		skip++;
	t->md2_len = (sizeof v - skip + 3) / 4 * 4;
	memcpy(t->md2, v + sizeof v - t->md2_len, t->md2_len);
	t->has_md2 = true;
	return 0;
}

static int nsh_item(struct otx_parser *ps, struct nsh_text *t)
{
	static const struct {
		const char *name;
		size_t off;
		uint64_t max;
	} f[] = {
		{"flags=", offsetof(struct nsh_text, flags), 3},
		{"ttl=", offsetof(struct nsh_text, ttl), 63},
		{"mdtype=", offsetof(struct nsh_text, mdtype), 2},
		{"np=", offsetof(struct nsh_text, np), 0xff},
		{"spi=", offsetof(struct nsh_text, spi), 0xffffff},
		{"si=", offsetof(struct nsh_text, si), 0xff},
		{"c1=", offsetof(struct nsh_text, c[0]), UINT32_MAX},
		{"c2=", offsetof(struct nsh_text, c[1]), UINT32_MAX},
		{"c3=", offsetof(struct nsh_text, c[2]), UINT32_MAX},
		{"c4=", offsetof(struct nsh_text, c[3]), UINT32_MAX},
	};

	if (otx_lit(ps, "md2="))
		return nsh_md2(ps, t);
	for (size_t i = 0; i < ARRAY_SIZE(f); i++) {
		if (!otx_lit(ps, f[i].name))
			continue;
		t->has_c |= i >= 6;
		return otx_uint(ps, f[i].max,
				(uint64_t *)((char *)t + f[i].off));
	}
	return otx_fail(ps, ps->p, "unknown field of push_nsh()");
}

int otx_parse_push_nsh(struct otx_parser *ps, struct buf *out)
{
	struct nsh_text t = {.ttl = 63, .mdtype = 1, .np = 3, .si = 255};
	long off = attr_nest_start(out, OVS_ACTION_ATTR_PUSH_NSH);
	uint8_t base[8], md1[16];
	int err;

	if (off < 0)
		return fail_errno(ps, (int)off);
	while (*ps->p != ')')
		if (nsh_item(ps, &t) || sep(ps))
			return -EINVAL;
	ps->p++;
	if (!t.mdtype || (t.has_c && t.mdtype != 1) ||
	    (t.has_md2 && t.mdtype != 2))
		return otx_fail(ps, ps->p,
				"push_nsh() fields of another mdtype");
	base[0] = (uint8_t)t.flags, base[1] = (uint8_t)t.ttl;
	base[2] = (uint8_t)t.mdtype, base[3] = (uint8_t)t.np;
	for (int i = 0; i < 4; i++) {
		base[4 + i] = (uint8_t)((t.spi << 8 | t.si) >> (24 - 8 * i));
		for (int j = 0; j < 4; j++)
			md1[4 * i + j] = (uint8_t)(t.c[i] >> (24 - 8 * j));
	}
	err = attr_put(out, OVS_NSH_KEY_ATTR_BASE, base, sizeof base);
	if (!err && t.mdtype == 1)
		err = attr_put(out, OVS_NSH_KEY_ATTR_MD1, md1, sizeof md1);
	else if (!err)
		err = attr_put(out, OVS_NSH_KEY_ATTR_MD2, t.md2, t.md2_len);
	if (!err)
		err = attr_nest_end(out, off);
	return fail_errno(ps, err);
}
