/* Parsers of the nested key attributes tunnel(...) and nsh(...) (see
 * odp-text-private.h).
 *
 * tunnel(...) fields become sub-attributes immediately, in the order
 * written, in both the key and the mask nest (the printer keeps that order,
 * except flags(...), which it always prints last).  flags(...) adds a DF,
 * CSUM or OAM flag sub-attribute to the key for each set flag and to the
 * mask for each matched one; "key" is implied by tun_id. */
#include <errno.h>
#include <linux/erspan.h>
#include <linux/openvswitch.h>
#include <string.h>

#include "odp-attrs.h"
#include "odp-text-private.h"

#define GENEVE_MAX  252 /* the kernel's option space */
#define GENEVE_DATA 124 /* one option's data: 5-bit length in words */
#define TUN_ATTR_GTPU \
	16 /* OVS 3.1's id for what the kernel calls
			  * IPV4_INFO_BRIDGE */
#define NLA_TYPE_MAX 0x3fff

static void be_put(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[n - 1 - i] = (uint8_t)(v >> (8 * i));
}

static int end_item(struct otx_parser *ps, char close)
{
	if (otx_lit(ps, ",") || *ps->p == close)
		return 0;
	return otx_fail(ps, ps->p, "expected ',' or '%c'", close);
}

/* Bytes a big-endian number needs. */
static size_t significant(const uint8_t *p, size_t n)
{
	size_t skip = 0;

	while (skip < n && !p[skip])
		skip++;
	return n - skip;
}

struct geneve_text {
	uint8_t hdr[4], hdr_m[4];
	uint8_t data[GENEVE_DATA], data_m[GENEVE_DATA]; /* right-aligned */
	uint64_t len, lenm;
	bool has_len, has_data, has_data_m;
};

static int geneve_item(struct otx_parser *ps, struct geneve_text *g)
{
	const char *at = ps->p;
	uint64_t v, w;

	if (otx_lit(ps, "class=")) {
		if (otx_num_mask(ps, 0xffff, 0xffff, &v, &w))
			return -EINVAL;
		be_put(g->hdr, v, 2), be_put(g->hdr_m, w, 2);
	} else if (otx_lit(ps, "type=")) {
		if (otx_num_mask(ps, 0xff, 0xff, &v, &w))
			return -EINVAL;
		g->hdr[2] = (uint8_t)v, g->hdr_m[2] = (uint8_t)w;
	} else if (otx_lit(ps, "len=") && !g->has_len) {
		if (otx_num_mask(ps, GENEVE_DATA, 0x1f, &g->len, &g->lenm))
			return -EINVAL;
		if (g->len % 4 || g->lenm > 0x1f)
			return otx_fail(ps, at, "bad option length");
		g->has_len = true;
	} else if (*at >= '0' && *at <= '9' && !g->has_data) {
		g->has_data = true;
		if (otx_bighex(ps, g->data, sizeof g->data))
			return -EINVAL;
		g->has_data_m = otx_lit(ps, "/");
		if (g->has_data_m &&
		    otx_bighex(ps, g->data_m, sizeof g->data_m))
			return -EINVAL;
	} else {
		return otx_fail(ps, at, "unknown field of geneve()");
	}
	return end_item(ps, '}');
}

/* One {class=,type=,len=,DATA} option appended to k and m.  Without len=
 * (printed only when its mask is not zero) the data sets the length. */
static int parse_geneve_opt(struct otx_parser *ps, struct buf *k, struct buf *m)
{
	struct geneve_text g;
	size_t need, off;

	memset(&g, 0, sizeof g);
	g.lenm = 0x1f;
	while (*ps->p != '}')
		if (geneve_item(ps, &g))
			return -EINVAL;
	need = significant(g.data, sizeof g.data);
	if (significant(g.data_m, sizeof g.data_m) > need)
		need = significant(g.data_m, sizeof g.data_m);
	/* Data written without a mask is matched in full. */
	if (g.has_data && !g.has_data_m)
		memset(g.data_m, 0xff, sizeof g.data_m);
	if (!g.has_len) {
		g.len = (need + 3) / 4 * 4;
		g.lenm = 0;
	} else if (need > g.len) {
		return otx_fail(ps, ps->p, "option data wider than len");
	}
	ps->p++;
	g.hdr[3] = (uint8_t)(g.len / 4), g.hdr_m[3] = (uint8_t)g.lenm;
	off = sizeof g.data - g.len;
	if (k->len + 4 + g.len > GENEVE_MAX)
		return otx_fail(ps, ps->p, "geneve options over %d bytes",
				GENEVE_MAX);
	if (buf_put(k, g.hdr, 4) || buf_put(k, g.data + off, g.len) ||
	    buf_put(m, g.hdr_m, 4) || buf_put(m, g.data_m + off, g.len))
		return otx_fail_errno(ps, ps->p, -ENOMEM);
	return 0;
}

static int parse_geneve(struct otx_parser *ps, struct buf *key,
			struct buf *mask)
{
	struct buf k = BUF_INIT, m = BUF_INIT;
	int err = 0;

	while (!err && otx_lit(ps, "{"))
		err = parse_geneve_opt(ps, &k, &m);
	/* geneve() is an empty attribute, not none (NULL means none). */
	if (!err)
		err = otx_put_pair(ps, key, mask,
				   OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS,
				   k.len ? k.data : otx_zeros,
				   m.len ? m.data : otx_zeros, k.len);
	buf_free(&k);
	buf_free(&m);
	return err;
}

static int parse_vxlan(struct otx_parser *ps, struct buf *key, struct buf *mask)
{
	long ko = attr_nest_start(key, OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS);
	long mo = attr_nest_start(mask, OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS);
	uint64_t id = 0, idm = 0, fl = 0, flm = 0;
	uint32_t v, w;

	if (ko < 0 || mo < 0)
		return otx_fail_errno(ps, ps->p, -ENOMEM);
	if (otx_lit(ps, "gbp(")) {
		while (*ps->p != ')') {
			const char *at = ps->p;

			if (otx_lit(ps, "id=")) {
				if (otx_num_mask(ps, 0xffff, 0xffff, &id, &idm))
					return -EINVAL;
			} else if (otx_lit(ps, "flags=")) {
				if (otx_num_mask(ps, 0xff, 0xff, &fl, &flm))
					return -EINVAL;
			} else {
				return otx_fail(ps, at,
						"unknown field of gbp()");
			}
			if (end_item(ps, ')'))
				return -EINVAL;
		}
		ps->p++;
		v = (uint32_t)(fl << 16 | id), w = (uint32_t)(flm << 16 | idm);
		if (otx_put_pair(ps, key, mask, OVS_VXLAN_EXT_GBP, &v, &w, 4))
			return -EINVAL;
	}
	if (attr_nest_end(key, ko) || attr_nest_end(mask, mo))
		return otx_fail_errno(ps, ps->p, -EMSGSIZE);
	return 0;
}

struct erspan_text {
	uint64_t ver, verm, idx, idxm, dir, dirm, hwid, hwidm;
	bool has_ver, has_v1, has_v2;
};

static int erspan_items(struct otx_parser *ps, struct erspan_text *e)
{
	while (*ps->p != ')') {
		const char *at = ps->p;
		int err;

		if (otx_lit(ps, "ver=")) {
			/* Any version prints (0 for erspan()), only 1 and 2
			 * have fields. */
			err = otx_num_mask(ps, 0xff, 0xff, &e->ver, &e->verm);
			e->has_ver = true;
		} else if (otx_lit(ps, "idx=")) {
			err = otx_num_mask(ps, UINT32_MAX, UINT32_MAX, &e->idx,
					   &e->idxm);
			e->has_v1 = true;
		} else if (otx_lit(ps, "dir=")) {
			err = otx_num_mask(ps, 1, 1, &e->dir, &e->dirm);
			e->has_v2 = true;
		} else if (otx_lit(ps, "hwid=")) {
			err = otx_num_mask(ps, 0xf, 0xf, &e->hwid, &e->hwidm);
			e->has_v2 = true;
		} else {
			return otx_fail(ps, at, "unknown field of erspan()");
		}
		if (err || end_item(ps, ')'))
			return -EINVAL;
	}
	return 0;
}

/* ver=1,idx=... or ver=2,dir=...,hwid=...; without ver= the version is
 * implied by the fields, with a zero mask (as a dump shows it). */
static int parse_erspan(struct otx_parser *ps, struct buf *key,
			struct buf *mask)
{
	struct erspan_text e = {0};
	struct erspan_metadata k, m;
	const char *start = ps->p;

	if (erspan_items(ps, &e))
		return -EINVAL;
	if ((e.has_v1 && e.has_v2) || (e.has_ver && e.has_v1 && e.ver != 1) ||
	    (e.has_ver && e.has_v2 && e.ver != 2))
		return otx_fail(ps, start, "fields of another erspan version");
	memset(&k, 0, sizeof k);
	memset(&m, 0, sizeof m);
	if (e.has_ver) {
		k.version = (int)e.ver;
		m.version = e.verm == 0xff ? -1 : (int)e.verm;
	} else if (e.has_v1 || e.has_v2) {
		k.version = e.has_v1 ? 1 : 2;
	}
	if (e.has_v1) {
		be_put((uint8_t *)&k.u.index, e.idx, 4);
		be_put((uint8_t *)&m.u.index, e.idxm, 4);
	}
	k.u.md2.dir = e.dir & 1, m.u.md2.dir = e.dirm & 1;
	k.u.md2.hwid = e.hwid & 0xf, m.u.md2.hwid = e.hwidm & 0xf;
	if (e.has_v1) /* the v2 bits overlay other bytes of v1 */
		k.u.md2.dir = m.u.md2.dir = k.u.md2.hwid = m.u.md2.hwid = 0;
	return otx_put_pair(ps, key, mask, OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS, &k,
			    &m, sizeof k);
}

static int parse_gtpu(struct otx_parser *ps, struct buf *key, struct buf *mask)
{
	uint8_t k[2] = {0}, m[2] = {0};
	uint64_t v, w;

	while (*ps->p != ')') {
		const char *at = ps->p;
		int i = otx_lit(ps, "flags=")	  ? 0
			: otx_lit(ps, "msgtype=") ? 1
						  : -1;

		if (i < 0)
			return otx_fail(ps, at, "unknown field of gtpu()");
		if (otx_num_mask(ps, 0xff, 0xff, &v, &w) || end_item(ps, ')'))
			return -EINVAL;
		k[i] = (uint8_t)v, m[i] = (uint8_t)w;
	}
	return otx_put_pair(ps, key, mask, TUN_ATTR_GTPU, k, m, 2);
}

static int parse_tun_flags(struct otx_parser *ps, struct buf *key,
			   struct buf *mask)
{
	static const struct {
		int type;
		uint32_t bit;
	} flags[] = {{OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT, 0x2},
		     {OVS_TUNNEL_KEY_ATTR_CSUM, 0x4},
		     {OVS_TUNNEL_KEY_ATTR_OAM, 0x1}};
	uint32_t v, m;

	if (otx_flags(ps, &otx_tun_flag_names, 0xf, &v, &m))
		return -EINVAL;
	/* "key" stands for a tun_id: its mask cannot be without it. */
	if (m != UINT32_MAX && m & 0x8 && !(v & 0x8))
		return otx_fail(ps, ps->p, "flags(-key) cannot be printed");
	ps->tun_key = v & 0x8;
	for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++)
		if (otx_put_pair(ps, key, mask, flags[i].type,
				 v & flags[i].bit ? "" : NULL,
				 m & flags[i].bit ? "" : NULL, 0))
			return -EINVAL;
	return 0;
}

/* "name=value[/mask]" of the scalar tunnel fields. */
static int parse_tun_scalar(struct otx_parser *ps, struct buf *key,
			    struct buf *mask)
{
	const char *at = ps->p;
	size_t n = strcspn(at, "=,)(");
	uint8_t k[16], m[16];
	uint64_t v, w;

	for (int t = 0; t <= OVS_TUNNEL_KEY_ATTR_IPV6_DST; t++) {
		int kind = otx_tun_kind(t);
		const char *name = odp_tunnel_attr_info(t)->name;

		if (strlen(name) != n || strncmp(name, at, n) || at[n] != '=')
			continue;
		ps->p = at + n + 1;
		if (t == OVS_TUNNEL_KEY_ATTR_ID) {
			if (otx_num_mask(ps, UINT64_MAX, UINT64_MAX, &v, &w))
				return -EINVAL;
			be_put(k, v, 8), be_put(m, w, 8);
			return otx_put_pair(ps, key, mask, t, k, m, 8);
		}
		if (kind < 0)
			break;
		if (otx_field_value(ps, kind, k))
			return -EINVAL;
		if (otx_lit(ps, "/")) {
			if (otx_field_value(ps, kind, m))
				return -EINVAL;
		} else {
			otx_field_full(kind, m);
		}
		return otx_put_pair(ps, key, mask, t, k, m,
				    otx_field_size(kind));
	}
	return otx_fail(ps, at, "unknown field of tunnel()");
}

/* keyN(...) for a sub-attribute id OVS does not know. */
static int parse_tun_unknown(struct otx_parser *ps, struct buf *key,
			     struct buf *mask)
{
	struct buf k = BUF_INIT, m = BUF_INIT;
	unsigned long id = 0;
	const char *at = ps->p;
	int err;

	for (ps->p += 3; *ps->p >= '0' && *ps->p <= '9' && id <= NLA_TYPE_MAX;
	     ps->p++)
		id = id * 10 + (unsigned long)(*ps->p - '0');
	if (id > NLA_TYPE_MAX || otx_tun_len((int)id) != OTX_LEN_UNKNOWN ||
	    !otx_lit(ps, "("))
		return otx_fail(ps, at, "unknown field of tunnel()");
	err = otx_spaced_hex(ps, &k);
	if (!err && otx_lit(ps, "/"))
		err = otx_spaced_hex(ps, &m);
	else if (!err && otx_buf_put_ones(&m, k.len))
		err = otx_fail_errno(ps, at, -ENOMEM);
	if (!err && m.len == k.len)
		err = otx_put_pair(ps, key, mask, (int)id,
				   k.len ? k.data : otx_zeros,
				   m.len ? m.data : otx_zeros, k.len);
	else if (!err)
		err = otx_fail(ps, at, "key and mask of different lengths");
	buf_free(&k);
	buf_free(&m);
	return err;
}

static int parse_tun_item(struct otx_parser *ps, struct buf *key,
			  struct buf *mask)
{
	static const struct {
		const char *name;
		int (*parse)(struct otx_parser *, struct buf *, struct buf *);
	} nested[] = {
		{"flags(", parse_tun_flags}, {"geneve(", parse_geneve},
		{"vxlan(", parse_vxlan},     {"erspan(", parse_erspan},
		{"gtpu(", parse_gtpu},
	};

	for (size_t i = 0; i < sizeof nested / sizeof nested[0]; i++)
		if (otx_lit(ps, nested[i].name))
			return nested[i].parse(ps, key, mask) ||
					       otx_expect(ps, ")")
				       ? -EINVAL
				       : 0;
	if (!strncmp(ps->p, "key", 3) && ps->p[3] >= '1' && ps->p[3] <= '9')
		return parse_tun_unknown(ps, key, mask) || otx_expect(ps, ")")
			       ? -EINVAL
			       : 0;
	return parse_tun_scalar(ps, key, mask);
}

/* Records the types of the attributes appended since 'from' in 'seen'
 * (ids below 64) or looks for them in the nest before 'from'.  Returns
 * true on a duplicate. */
static bool duplicate(const struct buf *b, size_t nest, size_t from,
		      uint64_t *seen)
{
	const struct nlattr *a;
	size_t left;

	attr_for_each(a, b->data + from, b->len - from, left)
	{
		int t = attr_type(a);

		if (t >= 64) {
			if (attr_find(b->data + nest, from - nest, t))
				return true;
		} else if (*seen & UINT64_C(1) << t) {
			return true;
		} else {
			*seen |= UINT64_C(1) << t;
		}
	}
	return false;
}

int otx_parse_tunnel(struct otx_parser *ps, struct buf *key, struct buf *mask)
{
	long ko = attr_nest_start(key, OVS_KEY_ATTR_TUNNEL);
	long mo = attr_nest_start(mask, OVS_KEY_ATTR_TUNNEL);
	uint64_t seen_k = 0, seen_m = 0;

	ps->tun_key = false;
	if (ko < 0 || mo < 0)
		return otx_fail_errno(ps, ps->p, -ENOMEM);
	while (*ps->p != ')') {
		const char *at = ps->p;
		size_t kfrom = key->len, mfrom = mask->len;

		if (parse_tun_item(ps, key, mask) || end_item(ps, ')'))
			return -EINVAL;
		if (duplicate(key, (size_t)ko + NLA_HDRLEN, kfrom, &seen_k) ||
		    duplicate(mask, (size_t)mo + NLA_HDRLEN, mfrom, &seen_m))
			return otx_fail(ps, at, "tunnel field given twice");
	}
	/* flags(key) without tun_id: the printer derives "key" from an ID
	 * sub-attribute, so write a wildcarded one. */
	if (ps->tun_key &&
	    !attr_find(key->data + ko + NLA_HDRLEN,
		       key->len - (size_t)ko - NLA_HDRLEN,
		       OVS_TUNNEL_KEY_ATTR_ID) &&
	    otx_put_pair(ps, key, mask, OVS_TUNNEL_KEY_ATTR_ID, otx_zeros,
			 otx_zeros, 8))
		return -EINVAL;
	if (attr_nest_end(key, ko) || attr_nest_end(mask, mo))
		return otx_fail_errno(ps, ps->p, -EMSGSIZE);
	return 0;
}

static int nsh_field(struct otx_parser *ps, struct otx_nsh *k,
		     struct otx_nsh *m)
{
	static const char *const u8s[] = {
		"flags=", "ttl=", "mdtype=", "np=", "si="};
	static const char *const ctx[] = {"c1=", "c2=", "c3=", "c4="};
	uint8_t *kf[] = {&k->flags, &k->ttl, &k->mdtype, &k->np, NULL};
	uint8_t *mf[] = {&m->flags, &m->ttl, &m->mdtype, &m->np, NULL};
	uint64_t v, w;

	for (int i = 0; i < 5; i++) {
		if (!otx_lit(ps, u8s[i]))
			continue;
		if (otx_num_mask(ps, 0xff, 0xff, &v, &w))
			return -EINVAL;
		if (!kf[i]) { /* si: the low byte of the path header */
			k->path = (k->path & ~0xffu) | (uint32_t)v;
			m->path = (m->path & ~0xffu) | (uint32_t)w;
		} else {
			*kf[i] = (uint8_t)v, *mf[i] = (uint8_t)w;
		}
		return 0;
	}
	if (otx_lit(ps, "spi=")) {
		if (otx_num_mask(ps, 0xffffff, 0xffffff, &v, &w))
			return -EINVAL;
		k->path = (k->path & 0xff) | (uint32_t)v << 8;
		m->path = (m->path & 0xff) | (uint32_t)w << 8;
		return 0;
	}
	for (int i = 0; i < 4; i++) {
		if (!otx_lit(ps, ctx[i]))
			continue;
		if (otx_num_mask(ps, UINT32_MAX, UINT32_MAX, &v, &w))
			return -EINVAL;
		k->c[i] = (uint32_t)v, m->c[i] = (uint32_t)w;
		return 0;
	}
	return otx_fail(ps, ps->p, "unknown field of nsh()");
}

static void nsh_base(const struct otx_nsh *n, uint8_t out[8])
{
	out[0] = n->flags, out[1] = n->ttl, out[2] = n->mdtype, out[3] = n->np;
	be_put(out + 4, n->path, 4);
}

static void nsh_md1(const struct otx_nsh *n, uint8_t out[16])
{
	for (int i = 0; i < 4; i++)
		be_put(out + 4 * i, n->c[i], 4);
}

/* Both BASE and MD1 are always written, in key and mask: a field not
 * written has a zero mask, which the printer leaves out. */
int otx_parse_nsh(struct otx_parser *ps, struct buf *key, struct buf *mask)
{
	long ko = attr_nest_start(key, OVS_KEY_ATTR_NSH);
	long mo = attr_nest_start(mask, OVS_KEY_ATTR_NSH);
	struct otx_nsh k, m;
	uint8_t kb[16], mb[16];

	if (ko < 0 || mo < 0)
		return otx_fail_errno(ps, ps->p, -ENOMEM);
	memset(&k, 0, sizeof k);
	memset(&m, 0, sizeof m);
	while (*ps->p != ')')
		if (nsh_field(ps, &k, &m) || end_item(ps, ')'))
			return -EINVAL;
	nsh_base(&k, kb), nsh_base(&m, mb);
	if (otx_put_pair(ps, key, mask, OVS_NSH_KEY_ATTR_BASE, kb, mb, 8))
		return -EINVAL;
	nsh_md1(&k, kb), nsh_md1(&m, mb);
	if (otx_put_pair(ps, key, mask, OVS_NSH_KEY_ATTR_MD1, kb, mb, 16))
		return -EINVAL;
	if (attr_nest_end(key, ko) || attr_nest_end(mask, mo))
		return otx_fail_errno(ps, ps->p, -EMSGSIZE);
	return 0;
}
