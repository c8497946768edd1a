/* Key attribute parsers: "name(...)" into a key and a mask attribute (see
 * odp-text-private.h).
 *
 * Attributes are appended in the order written, as Open vSwitch's parser
 * does; fields written without a mask get an all-ones mask, fields not
 * written are zero in both.  Beyond what Open vSwitch parses we accept
 * everything its printer emits for kernel flows (keyN(...), ct_tuple6's
 * src_port, nsh's ttl, the 802.2 eth_type(0/0xffff) form), so that
 * print(parse(text)) == text. */
#include <ctype.h>
#include <errno.h>
#include <linux/openvswitch.h>
#include <string.h>

#include "odp-text-private.h"
#include "util.h"

#define MAX_STRUCT   40 /* the largest struct attribute (ipv6, ct_tuple6) */
#define MPLS_MAX_LSE 3
#define NLA_TYPE_MAX 0x3fff

/* Fields written as "name=value[/mask]" in any order, up to ')'. */
static int parse_struct(struct otx_parser *ps, const struct otx_key_desc *d,
			uint8_t *k, uint8_t *m)
{
	uint32_t seen = 0;

	while (*ps->p != ')') {
		const char *name = ps->p;
		size_t n = strcspn(name, "=,)");
		const struct otx_field *f = NULL;

		for (unsigned i = 0; i < d->n_fields && !f; i++)
			if ((strlen(d->fields[i].name) == n &&
			     !strncmp(d->fields[i].name, name, n)) ||
			    (d->fields[i].alias &&
			     strlen(d->fields[i].alias) == n &&
			     !strncmp(d->fields[i].alias, name, n)))
				f = &d->fields[i];
		if (!f || name[n] != '=')
			return otx_fail(ps, name, "unknown field of %s()",
					d->name);
		if (seen & 1u << (f - d->fields))
			return otx_fail(ps, name, "field given twice");
		seen |= 1u << (f - d->fields);
		ps->p = name + n + 1;
		if (otx_field_value(ps, f->kind, k + f->off))
			return -EINVAL;
		if (f->kind != FK_FRAG && otx_lit(ps, "/")) {
			if (otx_field_value(ps, f->kind, m + f->off))
				return -EINVAL;
		} else {
			otx_field_full(f->kind, m + f->off);
		}
		if (!otx_lit(ps, ",") && *ps->p != ')')
			return otx_fail(ps, ps->p, "expected ',' or ')'");
	}
	return 0;
}

static int parse_vlan(struct otx_parser *ps, uint8_t k[2], uint8_t m[2])
{
	/* The "tag present" bit is set unless cfi=0 says otherwise, and is
	 * always matched. */
	uint64_t tci = 0x1000, mask = 0x1000, v, w;

	while (*ps->p != ')') {
		const char *at = ps->p;

		if (otx_lit(ps, "vid=")) {
			if (otx_num_mask(ps, 0xfff, 0xfff, &v, &w))
				return -EINVAL;
			tci |= v, mask |= w;
		} else if (otx_lit(ps, "pcp=")) {
			if (otx_num_mask(ps, 7, 7, &v, &w))
				return -EINVAL;
			tci |= v << 13, mask |= w << 13;
		} else if (otx_lit(ps, "cfi=")) {
			if (otx_uint(ps, 1, &v))
				return -EINVAL;
			tci = (tci & ~UINT64_C(0x1000)) | v << 12;
		} else {
			return otx_fail(ps, at, "unknown field of vlan()");
		}
		if (!otx_lit(ps, ",") && *ps->p != ')')
			return otx_fail(ps, ps->p, "expected ',' or ')'");
	}
	k[0] = (uint8_t)(tci >> 8), k[1] = (uint8_t)tci;
	m[0] = (uint8_t)(mask >> 8), m[1] = (uint8_t)mask;
	return 0;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24), p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8), p[3] = (uint8_t)v;
}

/* label=,tc=,ttl=,bos= per LSE; a field written twice starts the next. */
static int parse_mpls(struct otx_parser *ps, struct buf *key, struct buf *mask)
{
	static const struct {
		const char *name;
		uint32_t max;
		int shift;
	} fields[] = {{"label=", 0xfffff, 12},
		      {"tc=", 7, 9},
		      {"ttl=", 0xff, 0},
		      {"bos=", 1, 8}};
	uint32_t lse[MPLS_MAX_LSE] = {0}, lm[MPLS_MAX_LSE] = {0};
	uint8_t kb[4 * MPLS_MAX_LSE], mb[4 * MPLS_MAX_LSE];
	unsigned n = 0, seen = 0, i;
	uint64_t v, w;

	while (*ps->p != ')') {
		const char *at = ps->p;

		for (i = 0; i < ARRAY_SIZE(fields); i++)
			if (otx_lit(ps, fields[i].name))
				break;
		if (i == ARRAY_SIZE(fields))
			return otx_fail(ps, at, "unknown field of mpls()");
		if (!n || seen & 1u << i) {
			if (n == MPLS_MAX_LSE)
				return otx_fail(ps, at, "more than 3 labels");
			n++, seen = 0;
		}
		seen |= 1u << i;
		if (otx_num_mask(ps, fields[i].max, fields[i].max, &v, &w))
			return -EINVAL;
		lse[n - 1] |= (uint32_t)v << fields[i].shift;
		lm[n - 1] |= (uint32_t)w << fields[i].shift;
		if (!otx_lit(ps, ",") && *ps->p != ')')
			return otx_fail(ps, ps->p, "expected ',' or ')'");
	}
	if (!n)
		return otx_fail(ps, ps->p, "mpls() needs a label stack entry");
	for (i = 0; i < n; i++) {
		put_be32(kb + 4 * i, lse[i]);
		put_be32(mb + 4 * i, lm[i]);
	}
	return otx_put_pair(ps, key, mask, OVS_KEY_ATTR_MPLS, kb, mb, 4 * n);
}

static int parse_label(struct otx_parser *ps, uint8_t k[16], uint8_t m[16])
{
	memset(k, 0, 16);
	memset(m, 0, 16);
	if (*ps->p == ')') /* ct_label(): printed for a maskless key */
		return 0;
	if (otx_u128(ps, k))
		return -EINVAL;
	memset(m, 0xff, 16);
	return otx_lit(ps, "/") ? otx_u128(ps, m) : 0;
}

static int parse_flags_attr(struct otx_parser *ps, const struct otx_key_desc *d,
			    uint8_t *k, uint8_t *m)
{
	bool tcp = d->kind == AK_TCP_FLAGS;
	uint32_t v, w;

	if (otx_flags(ps, tcp ? &otx_tcp_flag_names : &otx_ct_state_names,
		      tcp ? 0x0fff : 0xff, &v, &w))
		return -EINVAL;
	if (tcp) {
		k[0] = (uint8_t)(v >> 8), k[1] = (uint8_t)v;
		m[0] = (uint8_t)(w >> 8), m[1] = (uint8_t)w;
	} else {
		memcpy(k, &v, 4);
		memcpy(m, &w, 4);
	}
	return 0;
}

/* Host-order scalars: V[/M], or nothing for ct_zone()/ct_mark(). */
static int parse_scalar(struct otx_parser *ps, const struct otx_key_desc *d,
			uint8_t *k, uint8_t *m)
{
	uint64_t max = d->len == 2 ? UINT16_MAX : UINT32_MAX, v = 0, w = 0;
	uint32_t port;

	if (d->kind == AK_IN_PORT) {
		if (otx_port(ps, "/)", &port))
			return -EINVAL;
		v = port, w = UINT32_MAX;
		if (otx_lit(ps, "/") && otx_uint(ps, UINT32_MAX, &w))
			return -EINVAL;
	} else if (d->kind == AK_ETHERTYPE) {
		if (otx_num_mask(ps, max, max, &v, &w))
			return -EINVAL;
		k[0] = (uint8_t)(v >> 8), k[1] = (uint8_t)v;
		m[0] = (uint8_t)(w >> 8), m[1] = (uint8_t)w;
		return 0;
	} else if (!((d->kind == AK_CTU16 || d->kind == AK_CTU32) &&
		     *ps->p == ')')) {
		if (otx_num_mask(ps, max, max, &v, &w))
			return -EINVAL;
	}
	if (d->len == 2) {
		uint16_t v16 = (uint16_t)v, w16 = (uint16_t)w;

		memcpy(k, &v16, 2);
		memcpy(m, &w16, 2);
	} else {
		uint32_t v32 = (uint32_t)v, w32 = (uint32_t)w;

		memcpy(k, &v32, 4);
		memcpy(m, &w32, 4);
	}
	return 0;
}

/* A fixed-size attribute: body into k/m, then appended. */
static int parse_fixed(struct otx_parser *ps, int type,
		       const struct otx_key_desc *d, struct buf *key,
		       struct buf *mask)
{
	uint8_t k[MAX_STRUCT] = {0}, m[MAX_STRUCT] = {0};
	int err;

	switch (d->kind) {
	case AK_STRUCT:
		err = parse_struct(ps, d, k, m);
		break;
	case AK_VLAN:
		err = parse_vlan(ps, k, m);
		break;
	case AK_CT_LABEL:
		err = parse_label(ps, k, m);
		break;
	case AK_CT_STATE:
	case AK_TCP_FLAGS:
		err = parse_flags_attr(ps, d, k, m);
		break;
	default:
		err = parse_scalar(ps, d, k, m);
		break;
	}
	if (err)
		return err;
	return otx_put_pair(ps, key, mask, type, k, m, (size_t)d->len);
}

/* keyN(hh hh[/hh hh]): an id Open vSwitch 3.1 does not know. */
static int parse_unknown(struct otx_parser *ps, int type, struct buf *key,
			 struct buf *mask)
{
	struct buf k = BUF_INIT, m = BUF_INIT;
	bool has_mask;
	int err;

	err = otx_spaced_hex(ps, &k);
	has_mask = !err && otx_lit(ps, "/");
	if (has_mask)
		err = otx_spaced_hex(ps, &m);
	if (!err && !has_mask)
		err = otx_buf_put_ones(&m, k.len);
	if (!err)
		err = attr_put(key, type, k.data, k.len);
	if (!err)
		err = attr_put(mask, type, m.data, m.len);
	if (err && err != -EINVAL)
		err = otx_fail_errno(ps, ps->p, err);
	buf_free(&k);
	buf_free(&m);
	return err;
}

static int parse_encap(struct otx_parser *ps, struct buf *key, struct buf *mask)
{
	long ko = attr_nest_start(key, OVS_KEY_ATTR_ENCAP);
	long mo = attr_nest_start(mask, OVS_KEY_ATTR_ENCAP);
	int err;

	if (ko < 0 || mo < 0)
		return otx_fail_errno(ps, ps->p, ko < 0 ? (int)ko : (int)mo);
	err = otx_parse_key_list(ps, key, mask, false);
	if (!err)
		err = attr_nest_end(key, ko);
	if (!err)
		err = attr_nest_end(mask, mo);
	if (err && err != -EINVAL)
		err = otx_fail_errno(ps, ps->p, err);
	return err;
}

/* The attribute name before '(': a known name, or keyN for an unknown id.
 * Returns the type or -1. */
static int attr_name(const char *name, size_t n)
{
	struct otx_key_desc d;
	int type = otx_key_type(name, n);
	unsigned long id = 0;

	if (type >= 0 || n < 4 || strncmp(name, "key", 3) || name[3] == '0')
		return type == OVS_KEY_ATTR_UNSPEC ? -1 : type;
	for (size_t i = 3; i < n; i++) {
		if (!isdigit((unsigned char)name[i]) || id > NLA_TYPE_MAX)
			return -1;
		id = id * 10 + (unsigned long)(name[i] - '0');
	}
	otx_key_desc((int)id, &d);
	return id <= NLA_TYPE_MAX && d.kind == AK_UNKNOWN ? (int)id : -1;
}

static int parse_body(struct otx_parser *ps, int type, struct buf *key,
		      struct buf *mask, enum otx_key_ctx ctx)
{
	struct otx_key_desc d;
	uint8_t be[2];
	uint64_t v;

	otx_key_desc(type, &d);
	switch (d.kind) {
	case AK_ENCAP:
		if (ctx == OTX_IN_SET)
			return otx_fail(ps, ps->p, "encap() inside set()");
		return parse_encap(ps, key, mask);
	case AK_MPLS:
		return parse_mpls(ps, key, mask);
	case AK_TUNNEL:
		return otx_parse_tunnel(ps, key, mask);
	case AK_NSH:
		return otx_parse_nsh(ps, key, mask);
	case AK_UNKNOWN:
		return parse_unknown(ps, type, key, mask);
	case AK_ETHERTYPE:
		/* "0/M" is how OVS prints an 802.2 frame: no EtherType in
		 * the key (the kernel refuses 0 there), M in the mask. */
		if (ctx == OTX_IN_MATCH && !strncmp(ps->p, "0/", 2)) {
			ps->p += 2;
			if (otx_uint(ps, UINT16_MAX, &v))
				return -EINVAL;
			be[0] = (uint8_t)(v >> 8), be[1] = (uint8_t)v;
			return otx_put_pair(ps, key, mask, type, NULL, be, 2);
		}
		break;
	default:
		break;
	}
	return parse_fixed(ps, type, &d, key, mask);
}

int otx_parse_key_attr(struct otx_parser *ps, struct buf *key, struct buf *mask,
		       enum otx_key_ctx ctx, int *type)
{
	const char *start = ps->p;
	size_t n = strspn(start, "abcdefghijklmnopqrstuvwxyz0123456789_");
	int err;

	*type = start[n] == '(' ? attr_name(start, n) : -1;
	if (*type < 0)
		return otx_fail(ps, start, "unknown key attribute");
	if (ps->depth >= OTX_MAX_DEPTH)
		return otx_fail(ps, start, "nested too deeply");
	ps->depth++;
	ps->p = start + n + 1;
	err = parse_body(ps, *type, key, mask, ctx);
	if (!err)
		err = otx_expect(ps, ")");
	ps->depth--;
	return err;
}

/* True if the stream from 'from' on has an attribute of this type. */
static bool has_type(const struct buf *b, size_t from, int type)
{
	return b->len > from &&
	       attr_find(b->data + from, b->len - from, type) != NULL;
}

/* A dump token ("packets:", "actions:", ...) ends the match. */
static bool at_token(const char *p)
{
	size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz-");

	return n && p[n] == ':';
}

int otx_parse_key_list(struct otx_parser *ps, struct buf *key, struct buf *mask,
		       bool top)
{
	size_t kfrom = key->len, mfrom = mask->len;
	struct buf tmp_k = BUF_INIT, tmp_m = BUF_INIT;
	int err = 0, type;

	for (;;) {
		const char *at;

		otx_skip_delims(ps);
		at = ps->p;
		if (!*at || (!top && *at == ')') || (top && at_token(at)))
			break;
		buf_clear(&tmp_k);
		buf_clear(&tmp_m);
		err = otx_parse_key_attr(ps, &tmp_k, &tmp_m, OTX_IN_MATCH,
					 &type);
		if (err)
			break;
		/* The kernel refuses duplicates; say so here, where the
		 * column is known. */
		if (has_type(key, kfrom, type) || has_type(mask, mfrom, type)) {
			err = otx_fail(ps, at, "attribute given twice");
			break;
		}
		err = buf_put(key, tmp_k.data, tmp_k.len);
		if (!err)
			err = buf_put(mask, tmp_m.data, tmp_m.len);
		if (!err &&
		    (key->len > OTX_MAX_STREAM || mask->len > OTX_MAX_STREAM))
			err = -EMSGSIZE;
		if (err) {
			err = otx_fail_errno(ps, at, err);
			break;
		}
	}
	/* Only a mask-only eth_type(0/M): OVS prints that after attributes
	 * it left out as wildcarded (",eth_type(0/M)"); stand one in, so
	 * the key is not empty (which prints differently). */
	if (!err && key->len == kfrom && mask->len > mfrom &&
	    (attr_put_u32(key, OVS_KEY_ATTR_PRIORITY, 0) ||
	     attr_put_u32(mask, OVS_KEY_ATTR_PRIORITY, 0)))
		err = otx_fail_errno(ps, ps->p, -ENOMEM);
	buf_free(&tmp_k);
	buf_free(&tmp_m);
	return err;
}
