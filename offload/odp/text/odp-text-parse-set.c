/* Parsers of userspace(...) and set(...) (see odp-text-private.h; ct(...)
 * and push_nsh(...) are in odp-text-parse-ct.c). */
#include <ctype.h>
#include <errno.h>
#include <linux/openvswitch.h>
#include <stdlib.h>
#include <string.h>

#include "odp-text-private.h"
#include "util.h"

#define COOKIE_LEN 48
#define OFPP_NONE  0xffff

static int fail_errno(struct otx_parser *ps, int err)
{
	return err == -EINVAL || !err ? err : otx_fail_errno(ps, ps->p, err);
}

/* "name=N" fields in a fixed order, each at most max. */
struct num_field {
	const char *name;
	uint64_t max;
};

static int num_fields(struct otx_parser *ps, const struct num_field *f,
		      size_t n, uint64_t *v)
{
	for (size_t i = 0; i < n; i++)
		if (otx_expect(ps, f[i].name) || otx_uint(ps, f[i].max, &v[i]))
			return -EINVAL;
	return 0;
}

static void put16(uint8_t *c, size_t off, uint64_t v)
{
	uint16_t x = (uint16_t)v;

	memcpy(c + off, &x, sizeof x);
}

static void put32(uint8_t *c, size_t off, uint64_t v)
{
	uint32_t x = (uint32_t)v;

	memcpy(c + off, &x, sizeof x);
}

static int cookie_sflow(struct otx_parser *ps, uint8_t *c)
{
	static const struct num_field f[] = {
		{"vid=", 0xfff}, {",pcp=", 7}, {",output=", UINT32_MAX}};
	uint64_t v[3], tci;

	if (num_fields(ps, f, 3, v))
		return -EINVAL;
	tci = v[0] | v[1] << 13;
	c[24] = (uint8_t)((tci ? tci | 0x1000 : 0) >> 8), c[25] = (uint8_t)tci;
	put32(c, 28, v[2]);
	return 0;
}

static int cookie_slow_path(struct otx_parser *ps, uint8_t *c)
{
	uint32_t v, m;

	if (otx_flags(ps, &otx_slow_path_names, UINT32_MAX, &v, &m))
		return -EINVAL;
	put32(c, 28, v);
	return 0;
}

static int cookie_flow_sample(struct otx_parser *ps, uint8_t *c)
{
	static const struct num_field f[] = {{"probability=", UINT16_MAX},
					     {",collector_set_id=", UINT32_MAX},
					     {",obs_domain_id=", UINT32_MAX},
					     {",obs_point_id=", UINT32_MAX}};
	uint64_t v[4];
	uint32_t port;

	if (num_fields(ps, f, 4, v) || otx_expect(ps, ",output_port=") ||
	    otx_port(ps, ",)", &port))
		return -EINVAL;
	put16(c, 24, v[0]);
	put32(c, 28, v[1]), put32(c, 32, v[2]), put32(c, 36, v[3]);
	put32(c, 40, port);
	put32(c, 44,
	      otx_lit(ps, ",ingress")  ? 1
	      : otx_lit(ps, ",egress") ? 2
				       : 0);
	return 0;
}

static int cookie_ipfix(struct otx_parser *ps, uint8_t *c)
{
	uint32_t port;

	if (otx_expect(ps, "output_port=") || otx_port(ps, ")", &port))
		return -EINVAL;
	put32(c, 24, port);
	return 0;
}

static int cookie_controller(struct otx_parser *ps, uint8_t *c)
{
	static const struct num_field f[] = {
		{"reason=", UINT16_MAX},       {",dont_send=", 1},
		{",continuation=", 1},	       {",recirc_id=", UINT32_MAX},
		{",rule_cookie=", UINT64_MAX}, {",controller_id=", UINT16_MAX},
		{",max_len=", UINT16_MAX}};
	uint64_t v[7];

	if (num_fields(ps, f, 7, v))
		return -EINVAL;
	c[24] = (uint8_t)v[1], c[25] = (uint8_t)v[2];
	put16(c, 26, v[0]);
	put32(c, 28, v[3]);
	for (int i = 0; i < 8; i++) /* be64, as two be32 halves */
		c[32 + i] = (uint8_t)(v[4] >> (56 - 8 * i));
	put16(c, 40, v[5]), put16(c, 42, v[6]);
	return 0;
}

static int userdata_hex(struct otx_parser *ps, struct buf *ud)
{
	while (isxdigit((unsigned char)ps->p[0]) &&
	       isxdigit((unsigned char)ps->p[1])) {
		char hex[3] = {ps->p[0], ps->p[1], '\0'};
		uint8_t b = (uint8_t)strtoul(hex, NULL, 16);

		if (ud->len >= OTX_MAX_STREAM || buf_put(ud, &b, 1))
			return otx_fail(ps, ps->p, "userdata too long");
		ps->p += 2;
	}
	return 0;
}

/* The optional cookie clause of userspace(...), into ud. */
static int userspace_cookie(struct otx_parser *ps, struct buf *ud)
{
	static const struct {
		const char *name;
		uint16_t type;
		int (*parse)(struct otx_parser *, uint8_t *);
	} cookies[] = {
		{",sFlow(", 1, cookie_sflow},
		{",slow_path(", 2, cookie_slow_path},
		{",flow_sample(", 3, cookie_flow_sample},
		{",ipfix(", 4, cookie_ipfix},
		{",controller(", 5, cookie_controller},
	};
	uint8_t c[COOKIE_LEN] = {0};

	if (otx_lit(ps, ",userdata("))
		return userdata_hex(ps, ud) || otx_expect(ps, ")") ? -EINVAL
								   : 1;
	for (size_t i = 0; i < ARRAY_SIZE(cookies); i++) {
		if (!otx_lit(ps, cookies[i].name))
			continue;
		put16(c, 0, cookies[i].type);
		put32(c, 4, OFPP_NONE); /* the OpenFlow in_port: not printed */
		if (cookies[i].parse(ps, c) || otx_expect(ps, ")"))
			return -EINVAL;
		return buf_put(ud, c, sizeof c) ? -ENOMEM : 1;
	}
	return 0;
}

static int userspace_attrs(struct otx_parser *ps, struct buf *out, uint64_t pid,
			   const struct buf *ud, bool has_ud)
{
	bool actions = otx_lit(ps, ",actions");
	bool tun = otx_lit(ps, ",tunnel_out_port=");
	uint32_t port = 0;
	int err;

	if ((tun && otx_port(ps, ")", &port)) || otx_expect(ps, ")"))
		return -EINVAL;
	err = attr_put_u32(out, OVS_USERSPACE_ATTR_PID, (uint32_t)pid);
	if (!err && has_ud)
		err = attr_put(out, OVS_USERSPACE_ATTR_USERDATA, ud->data,
			       ud->len);
	if (!err && tun)
		err = attr_put_u32(out, OVS_USERSPACE_ATTR_EGRESS_TUN_PORT,
				   port);
	if (!err && actions)
		err = attr_put_flag(out, OVS_USERSPACE_ATTR_ACTIONS);
	return fail_errno(ps, err);
}

int otx_parse_userspace(struct otx_parser *ps, struct buf *out)
{
	long off = attr_nest_start(out, OVS_ACTION_ATTR_USERSPACE);
	struct buf ud = BUF_INIT;
	uint64_t pid;
	int err;

	if (off < 0)
		return fail_errno(ps, (int)off);
	if (otx_expect(ps, "pid=") || otx_uint(ps, UINT32_MAX, &pid))
		return -EINVAL;
	err = userspace_cookie(ps, &ud);
	if (err >= 0)
		err = userspace_attrs(ps, out, pid, &ud, err == 1);
	if (!err)
		err = fail_errno(ps, attr_nest_end(out, off));
	buf_free(&ud);
	return fail_errno(ps, err);
}

/* set(nsh(...)) is always masked: each sub-attribute carries its value
 * followed by its mask. */
static int put_set_nsh(struct otx_parser *ps, struct buf *out,
		       const struct nlattr *k, const struct nlattr *m)
{
	long off = attr_nest_start(out, OVS_ACTION_ATTR_SET_MASKED);
	long nest = attr_nest_start(out, OVS_KEY_ATTR_NSH);
	const struct nlattr *a, *ma;
	uint8_t pair[2 * 16];
	size_t left;
	int err = 0;

	if (off < 0 || nest < 0)
		return fail_errno(ps, -ENOMEM);
	attr_for_each_nested(a, k, left)
	{
		ma = attr_find(attr_data(m), attr_len(m), attr_type(a));
		if (!ma || attr_len(a) > 16 || attr_len(ma) != attr_len(a))
			return otx_fail(ps, ps->p, "bad nsh() in set()");
		memcpy(pair, attr_data(a), attr_len(a));
		memcpy(pair + attr_len(a), attr_data(ma), attr_len(a));
		err = attr_put(out, attr_type(a), pair, 2 * attr_len(a));
		if (err)
			break;
	}
	if (!err)
		err = attr_nest_end(out, nest);
	if (!err)
		err = attr_nest_end(out, off);
	return fail_errno(ps, err);
}

/* SET when every written bit is matched (and always for tunnels, which
 * the kernel cannot set masked), otherwise SET_MASKED with value then
 * mask, as Open vSwitch decides. */
static int put_set(struct otx_parser *ps, struct buf *out, int type,
		   const struct buf *k, const struct buf *m)
{
	const struct nlattr *ka = (const void *)k->data;
	const struct nlattr *ma = m->len ? (const void *)m->data : NULL;
	long off, inner;
	int err;

	if (type == OVS_KEY_ATTR_NSH && ma)
		return put_set_nsh(ps, out, ka, ma);
	if (type == OVS_KEY_ATTR_TUNNEL || !ma ||
	    attr_len(ma) != attr_len(ka) ||
	    otx_all_bytes(attr_data(ma), attr_len(ma), 0xff)) {
		off = attr_nest_start(out, OVS_ACTION_ATTR_SET);
		err = off < 0 ? (int)off : buf_put(out, k->data, k->len);
	} else {
		off = attr_nest_start(out, OVS_ACTION_ATTR_SET_MASKED);
		inner = off < 0 ? off : attr_nest_start(out, type);
		err = inner < 0 ? (int)inner : 0;
		if (!err)
			err = buf_put(out, attr_data(ka), attr_len(ka));
		if (!err)
			err = buf_put(out, attr_data(ma), attr_len(ma));
		if (!err)
			err = attr_nest_end(out, inner);
		/* Pad the odd-sized inner attribute, outside its length. */
		if (!err && !buf_put_zeros(out, NLA_ALIGN(out->len) - out->len))
			err = -ENOMEM;
	}
	if (!err)
		err = attr_nest_end(out, off);
	return fail_errno(ps, err);
}

int otx_parse_set(struct otx_parser *ps, struct buf *out)
{
	struct buf k = BUF_INIT, m = BUF_INIT;
	int type, err;

	err = otx_parse_key_attr(ps, &k, &m, OTX_IN_SET, &type);
	if (!err)
		err = otx_expect(ps, ")");
	if (!err && !k.len)
		err = otx_fail(ps, ps->p, "set() needs a value");
	if (!err)
		err = put_set(ps, out, type, &k, &m);
	buf_free(&k);
	buf_free(&m);
	return err;
}
