/* tunnel(...) and nsh(...) key printers (see odp-text-private.h).
 *
 * Both walk a nested stream.  In tunnel(...) every sub-attribute gets a
 * mask (a zero one when the mask nest lacks it) and the flag
 * sub-attributes are gathered into a final flags(...); nsh(...) folds BASE
 * and MD1 into one field list. */
#include <linux/erspan.h>
#include <linux/openvswitch.h>
#include <string.h>

#include "odp-attrs.h"
#include "odp-text-private.h"

/* Open vSwitch's tunnel flag bits (FLOW_TNL_F_*), as printed. */
#define TNL_F_OAM  0x1
#define TNL_F_DF   0x2
#define TNL_F_CSUM 0x4
#define TNL_F_KEY  0x8
#define TNL_F_MASK 0xf

/* OVS 3.1 reads tunnel id 16 as its userspace GTPU_OPTS. */
#define TUN_ATTR_GTPU 16

static struct otx_val val_of(const struct nlattr *a)
{
	return (struct otx_val){attr_data(a), attr_len(a)};
}

static void put_named(struct ds *s, const char *name, int kind,
		      const uint8_t *k, const uint8_t *m, bool verbose)
{
	struct otx_field f = {name, NULL, 0, (uint8_t)kind};

	otx_put_field(s, &f, k, m, verbose);
}

static void put_tun_id(struct ds *s, const struct otx_val *k,
		       const struct otx_val *m, bool verbose)
{
	uint64_t v = 0, w = 0;

	for (int i = 0; i < 8; i++) {
		v = v << 8 | k->p[i];
		w = w << 8 | (m ? m->p[i] : 0);
	}
	/* Unlike every other field, an absent mask counts as empty. */
	if (!verbose && !(m && w))
		return;
	ds_printf(s, "tun_id=0x%llx", (unsigned long long)v);
	if (m && w != UINT64_MAX)
		ds_printf(s, "/%#llx", (unsigned long long)w);
	ds_putc(s, ',');
}

static void put_gbp(struct ds *s, const struct otx_val *k,
		    const struct otx_val *m, bool verbose)
{
	uint32_t v, w = 0;
	uint8_t id[2], idm[2], fl, flm;

	memcpy(&v, k->p, sizeof v);
	if (m)
		memcpy(&w, m->p, sizeof w);
	id[0] = (uint8_t)(v >> 8), id[1] = (uint8_t)v;
	idm[0] = (uint8_t)(w >> 8), idm[1] = (uint8_t)w;
	fl = (uint8_t)(v >> 16), flm = (uint8_t)(w >> 16);
	ds_put(s, "gbp(");
	put_named(s, "id", FK_BE16D, id, m ? idm : NULL, verbose);
	put_named(s, "flags", FK_U8X, &fl, m ? &flm : NULL, verbose);
	otx_chomp(s, ',');
	ds_put(s, "),");
}

/* OVS 3.1's lengths for OVS_VXLAN_EXT_*: GBP is a u32, ids up to its
 * OVS_VXLAN_EXT_MAX (8) default to 0, later ones are unknown. */
static int vxlan_len(int type)
{
	if (type == OVS_VXLAN_EXT_GBP)
		return 4;
	return type <= 8 ? 0 : OTX_LEN_UNKNOWN;
}

static void put_unknown(struct ds *s, int type, const struct otx_val *k,
			const struct otx_val *m)
{
	ds_printf(s, "key%d(", type);
	otx_put_spaced_hex(s, k->p, k->len);
	if (m && !otx_all_bytes(m->p, m->len, 0xff)) {
		ds_putc(s, '/');
		otx_put_spaced_hex(s, m->p, m->len);
	}
	ds_put(s, "),");
}

/* The mask of one sub-attribute: the mask nest's, or a synthesised zero
 * one when there is a mask nest without it.  NULL without a mask nest. */
static const struct otx_val *sub_mask(const struct otx_val *mnest, int type,
				      size_t klen, bool nested,
				      struct otx_val *buf)
{
	const struct nlattr *ma;

	if (!mnest)
		return NULL;
	ma = attr_find(mnest->p, mnest->len, type);
	if (ma)
		*buf = val_of(ma);
	else
		*buf = (struct otx_val){otx_zeros, nested ? 0 : klen};
	return buf;
}

static void put_vxlan(struct ds *s, const struct otx_val *k,
		      const struct otx_val *m, bool verbose)
{
	const struct nlattr *a;
	size_t left;

	attr_for_each(a, k->p, k->len, left)
	{
		struct otx_val kv = val_of(a), buf;
		const struct otx_val *mv;
		int type = attr_type(a);

		mv = sub_mask(m, type, kv.len, false, &buf);
		if (!otx_check_len(s, type, vxlan_len(type), &kv, mv, true))
			continue;
		if (type == OVS_VXLAN_EXT_GBP)
			put_gbp(s, &kv, mv, verbose);
		else
			put_unknown(s, type, &kv, mv);
	}
	otx_chomp(s, ',');
}

static void put_geneve_opt(struct ds *s, const uint8_t *k, const uint8_t *m,
			   uint8_t dlen, bool verbose)
{
	uint8_t mlen = 0;

	if (m)
		mlen = (m[3] & 0x1f) == 0x1f ? 0xff : m[3] & 0x1f;
	ds_putc(s, '{');
	put_named(s, "class", FK_BE16X, k, m, verbose);
	put_named(s, "type", FK_U8X, k + 2, m ? m + 2 : NULL, verbose);
	put_named(s, "len", FK_U8D, &dlen, m ? &mlen : NULL, verbose);
	if (dlen && (verbose || !m || !otx_all_bytes(m + 4, dlen, 0))) {
		otx_put_bighex(s, k + 4, dlen);
		if (m && !otx_all_bytes(m + 4, dlen, 0xff)) {
			ds_putc(s, '/');
			otx_put_bighex(s, m + 4, dlen);
		}
	} else {
		otx_chomp(s, ',');
	}
	ds_putc(s, '}');
}

static void put_geneve(struct ds *s, const struct otx_val *k,
		       const struct otx_val *m, bool verbose)
{
	size_t off = 0, left = k->len;

	if (m && m->len != k->len) {
		ds_printf(s, "value len %zu different from mask len %zu",
			  k->len, m->len);
		return;
	}
	while (left > 0) {
		uint8_t dlen;

		if (left < 4) {
			ds_printf(s, "opt len %zu less than minimum 4", left);
			return;
		}
		dlen = (uint8_t)((k->p[off + 3] & 0x1f) * 4);
		if ((size_t)dlen + 4 > left) {
			ds_printf(s, "opt len %u greater than remaining %zu",
				  dlen + 4u, left);
			return;
		}
		put_geneve_opt(s, k->p + off, m ? m->p + off : NULL, dlen,
			       verbose);
		off += dlen + 4u;
		left -= dlen + 4u;
	}
}

/* OVS reads a struct erspan_metadata without checking the length; we read
 * what is there and zeros after it. */
static void put_erspan(struct ds *s, const struct otx_val *k,
		       const struct otx_val *m, bool verbose)
{
	struct erspan_metadata v, w;
	uint8_t ver, ver_m, dir, dir_m, hwid, hwid_m;

	otx_copy(&v, sizeof v, k);
	otx_copy(&w, sizeof w, m);
	ver = (uint8_t)v.version, ver_m = (uint8_t)w.version;
	put_named(s, "ver", FK_U8D, &ver, m ? &ver_m : NULL, verbose);
	if (v.version == 1) {
		ds_printf(s, "idx=%#x", otx_get_be32((uint8_t *)&v.u.index));
		if (m)
			ds_printf(s, "/%#x",
				  otx_get_be32((uint8_t *)&w.u.index));
		ds_putc(s, ',');
	} else if (v.version == 2) {
		dir = v.u.md2.dir, dir_m = w.u.md2.dir;
		hwid = v.u.md2.hwid, hwid_m = w.u.md2.hwid;
		put_named(s, "dir", FK_U8D, &dir, m ? &dir_m : NULL, verbose);
		put_named(s, "hwid", FK_U8X, &hwid, m ? &hwid_m : NULL,
			  verbose);
	}
	otx_chomp(s, ',');
}

static void put_gtpu(struct ds *s, const struct otx_val *k,
		     const struct otx_val *m, bool verbose)
{
	uint8_t v[2], w[2];

	otx_copy(v, sizeof v, k);
	otx_copy(w, sizeof w, m);
	put_named(s, "flags", FK_U8X, v, m ? w : NULL, verbose);
	put_named(s, "msgtype", FK_U8D, v + 1, m ? w + 1 : NULL, verbose);
	otx_chomp(s, ',');
}

static uint32_t flag_bit(int type)
{
	switch (type) {
	case OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT:
		return TNL_F_DF;
	case OVS_TUNNEL_KEY_ATTR_CSUM:
		return TNL_F_CSUM;
	case OVS_TUNNEL_KEY_ATTR_OAM:
		return TNL_F_OAM;
	default:
		return 0;
	}
}

/* Options printed as "name(...)," around their own printer. */
static void put_tun_opts(struct ds *s, int type, const struct otx_val *k,
			 const struct otx_val *m, bool verbose)
{
	const char *name = type == TUN_ATTR_GTPU
				   ? "gtpu"
				   : odp_tunnel_attr_info(type)->name;

	ds_printf(s, "%s(", name);
	if (type == OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS)
		put_vxlan(s, k, m, verbose);
	else if (type == OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS)
		put_geneve(s, k, m, verbose);
	else if (type == OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS)
		put_erspan(s, k, m, verbose);
	else
		put_gtpu(s, k, m, verbose);
	ds_put(s, "),");
}

/* One sub-attribute; returns its flag bits for the key's flags. */
static uint32_t put_tun_attr(struct ds *s, int type, const struct otx_val *k,
			     const struct otx_val *m, bool verbose)
{
	int kind = otx_tun_kind(type);

	if (kind >= 0) {
		put_named(s, odp_tunnel_attr_info(type)->name, kind, k->p,
			  m ? m->p : NULL, verbose);
		return 0;
	}
	switch (type) {
	case OVS_TUNNEL_KEY_ATTR_ID:
		put_tun_id(s, k, m, verbose);
		return TNL_F_KEY;
	case OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT:
	case OVS_TUNNEL_KEY_ATTR_CSUM:
	case OVS_TUNNEL_KEY_ATTR_OAM:
		return flag_bit(type);
	case OVS_TUNNEL_KEY_ATTR_PAD:
		return 0;
	case OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS:
	case OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS:
	case OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS:
	case TUN_ATTR_GTPU:
		put_tun_opts(s, type, k, m, verbose);
		return 0;
	default:
		put_unknown(s, type, k, m);
		return 0;
	}
}

void otx_format_tunnel(struct ds *s, const struct otx_val *k,
		       const struct otx_val *m, bool verbose)
{
	uint32_t flags = 0, mask_flags = 0;
	const struct nlattr *a;
	size_t left;

	attr_for_each(a, k->p, k->len, left)
	{
		struct otx_val kv = val_of(a), buf;
		const struct otx_val *mv;
		int type = attr_type(a);

		mv = sub_mask(m, type, kv.len,
			      type == OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS, &buf);
		if (!otx_check_len(s, type, otx_tun_len(type), &kv, mv, true))
			continue;
		flags |= put_tun_attr(s, type, &kv, mv, verbose);
		if (type == OVS_TUNNEL_KEY_ATTR_ID && mv)
			mask_flags |= TNL_F_KEY;
	}
	/* A flag can be matched (in the mask) without being set. */
	if (m)
		attr_for_each(a, m->p, m->len, left) mask_flags |=
			flag_bit(attr_type(a));
	if (verbose || !m || mask_flags) {
		ds_put(s, "flags(");
		if (m)
			otx_put_flags_masked(s, &otx_tun_flag_names, flags,
					     mask_flags & TNL_F_MASK,
					     TNL_F_MASK);
		else
			otx_put_flags(s, &otx_tun_flag_names, flags, '|');
		ds_put(s, "),");
	}
	otx_chomp(s, ',');
}

static int nsh_len(int type)
{
	static const int lens[] = {
		[OVS_NSH_KEY_ATTR_UNSPEC] = 0,
		[OVS_NSH_KEY_ATTR_BASE] = sizeof(struct ovs_nsh_key_base),
		[OVS_NSH_KEY_ATTR_MD1] = sizeof(struct ovs_nsh_key_md1),
		[OVS_NSH_KEY_ATTR_MD2] = OTX_LEN_VAR,
	};

	return type <= OVS_NSH_KEY_ATTR_MAX ? lens[type] : OTX_LEN_UNKNOWN;
}

static void nsh_from_base(struct otx_nsh *n, const uint8_t *p)
{
	n->flags = p[0], n->ttl = p[1], n->mdtype = p[2], n->np = p[3];
	n->path = otx_get_be32(p + 4);
}

static void nsh_from_md1(struct otx_nsh *n, const uint8_t *p)
{
	for (int i = 0; i < 4; i++)
		n->c[i] = otx_get_be32(p + 4 * i);
}

static void put_u8_masked(struct ds *s, bool *first, const char *name,
			  uint8_t v, uint8_t m)
{
	if (!m)
		return;
	ds_printf(s, "%s%s=", *first ? "" : ",", name);
	if (m == 0xff)
		ds_printf(s, "%u", v);
	else
		ds_printf(s, "0x%02x/0x%02x", v, m);
	*first = false;
}

static void put_u32_masked(struct ds *s, bool *first, const char *name,
			   uint32_t v, uint32_t m)
{
	if (!m)
		return;
	ds_printf(s, "%s%s=0x%x", *first ? "" : ",", name, v);
	if (m != UINT32_MAX)
		ds_printf(s, "/0x%08x", m);
	*first = false;
}

void otx_put_nsh_masked(struct ds *s, const struct otx_nsh *k,
			const struct otx_nsh *m)
{
	static const char *const cn[] = {"c1", "c2", "c3", "c4"};
	uint32_t spi_m = m->path >> 8;
	bool first = true;

	if (spi_m == 0xffffff)
		spi_m = UINT32_MAX;
	put_u8_masked(s, &first, "flags", k->flags, m->flags);
	put_u8_masked(s, &first, "ttl", k->ttl, m->ttl);
	put_u8_masked(s, &first, "mdtype", k->mdtype, m->mdtype);
	put_u8_masked(s, &first, "np", k->np, m->np);
	put_u32_masked(s, &first, "spi", k->path >> 8, spi_m);
	put_u8_masked(s, &first, "si", (uint8_t)k->path, (uint8_t)m->path);
	for (int i = 0; i < 4; i++)
		put_u32_masked(s, &first, cn[i], k->c[i], m->c[i]);
}

void otx_format_nsh(struct ds *s, const struct otx_val *k,
		    const struct otx_val *m)
{
	struct otx_nsh key, mask;
	const struct nlattr *a, *ma;
	size_t left;

	memset(&key, 0, sizeof key);
	memset(&mask, 0xff, sizeof mask);
	attr_for_each(a, k->p, k->len, left)
	{
		struct otx_val kv = val_of(a), mv;
		int type = attr_type(a);

		ma = m ? attr_find(m->p, m->len, type) : NULL;
		if (ma)
			mv = val_of(ma);
		if (!otx_check_len(s, type, nsh_len(type), &kv, ma ? &mv : NULL,
				   true))
			continue;
		if (type == OVS_NSH_KEY_ATTR_BASE) {
			nsh_from_base(&key, kv.p);
			if (ma)
				nsh_from_base(&mask, mv.p);
		} else if (type == OVS_NSH_KEY_ATTR_MD1) {
			nsh_from_md1(&key, kv.p);
			if (ma)
				nsh_from_md1(&mask, mv.p);
		}
	}
	if (m) {
		otx_put_nsh_masked(s, &key, &mask);
		return;
	}
	ds_printf(s, "flags=%u,ttl=%u,mdtype=%u,np=%u,spi=0x%x,si=%u",
		  key.flags, key.ttl, key.mdtype, key.np, key.path >> 8,
		  key.path & 0xff);
	if (key.mdtype == 1)
		for (int i = 0; i < 4; i++)
			ds_printf(s, ",c%d=0x%x", i + 1, key.c[i]);
}
