/* The key/mask printer and the dump line (see include/odp-text.h).
 *
 * The key stream is walked in order; each attribute is printed with the
 * first attribute of the same type in the mask stream (Open vSwitch matches
 * masks by type, not position).  Attributes with a wildcarded mask are left
 * out unless verbose; the special cases (eth(), the 802.2
 * eth_type(0/0xffff) trailer, "bad length" text, leftover bytes) are those
 * of Open vSwitch 3.1, so that our output can be diffed against its. */
#include <arpa/inet.h>
#include <linux/openvswitch.h>
#include <string.h>

#include "odp-text-private.h"
#include "util.h"

static const struct nlattr *find_attr(const struct otx_val *s, int type)
{
	return s && s->len ? attr_find(s->p, s->len, type) : NULL;
}

static struct otx_val attr_val(const struct nlattr *a)
{
	return (struct otx_val){attr_data(a), attr_len(a)};
}

/* Open vSwitch's "all-zero mask" test: type-specific for tcp_flags, ipv6
 * and arp; never true for encap and unknown ids. */
static bool mask_is_const(int type, const struct otx_val *m, uint8_t b)
{
	struct otx_key_desc d;
	uint32_t label;

	otx_key_desc(type, &d);
	switch (d.kind) {
	case AK_ENCAP:
	case AK_UNSPEC:
	case AK_UNKNOWN:
		return false;
	case AK_TCP_FLAGS:
		return (otx_get_be16(m->p) & 0x0fff) == (b ? 0x0fff : 0);
	default:
		break;
	}
	if (type == OVS_KEY_ATTR_IPV6) {
		label = otx_get_be32(m->p + 32) & 0xfffff;
		return label == (b ? 0xfffffu : 0) &&
		       otx_all_bytes(m->p, 32, b) &&
		       otx_all_bytes(m->p + 36, 4, b);
	}
	if (type == OVS_KEY_ATTR_ARP) /* the tail padding does not count */
		return otx_all_bytes(m->p, 22, b);
	return otx_all_bytes(m->p, m->len, b);
}

static bool mask_is_zero(int type, const struct otx_val *m)
{
	return mask_is_const(type, m, 0);
}

static bool mask_is_exact(int type, const struct otx_val *m)
{
	return type != OVS_KEY_ATTR_TUNNEL && mask_is_const(type, m, 0xff);
}

static uint32_t get_u32(const struct otx_val *v)
{
	uint32_t x;

	memcpy(&x, v->p, sizeof x);
	return x;
}

static uint16_t get_u16(const struct otx_val *v)
{
	uint16_t x;

	memcpy(&x, v->p, sizeof x);
	return x;
}

/* Returns false when OVS returns early, leaving the attribute's ')'
 * out. */
static bool put_mpls(struct ds *s, const struct otx_val *k,
		     const struct otx_val *m, bool exact)
{
	if (!k->len || k->len % 4) {
		ds_printf(s, "(bad key length %zu)", k->len);
		return false;
	}
	if (!exact && m->len != k->len) {
		ds_printf(s, "(key length %zu != mask length %zu)", k->len,
			  m->len);
		return false;
	}
	for (size_t i = 0; i < k->len; i += 4) {
		uint32_t v = otx_get_be32(k->p + i);
		uint32_t w;

		if (exact) {
			otx_put_mpls_lse(s, v);
		} else {
			w = otx_get_be32(m->p + i);
			ds_printf(
				s,
				"label=%u/0x%x,tc=%u/%x,ttl=%u/0x%x,bos=%u/%x",
				v >> 12, w >> 12, (v >> 9) & 7, (w >> 9) & 7,
				v & 0xff, w & 0xff, (v >> 8) & 1, (w >> 8) & 1);
		}
		ds_putc(s, ',');
	}
	otx_chomp(s, ',');
	return true;
}

static void put_struct(struct ds *s, const struct otx_key_desc *d,
		       const struct otx_val *k, const struct otx_val *m,
		       bool verbose)
{
	for (unsigned i = 0; i < d->n_fields; i++)
		otx_put_field(s, &d->fields[i], k->p, m ? m->p : NULL, verbose);
	otx_chomp(s, ',');
}

static void put_ct_state(struct ds *s, const struct otx_val *k,
			 const struct otx_val *m, bool exact, bool verbose)
{
	uint32_t mv = m && !otx_all_bytes(m->p, m->len, 0) ? get_u32(m) : 0;

	if (verbose) {
		ds_printf(s, "%#x", get_u32(k));
		if (!exact)
			ds_printf(s, "/%#x", mv);
	} else {
		otx_put_flags_masked(s, &otx_ct_state_names, get_u32(k),
				     exact ? UINT32_MAX : mv, UINT32_MAX);
	}
}

/* Bodies of the small scalar attributes. */
static void put_scalar(struct ds *s, const struct otx_key_desc *d,
		       const struct otx_val *k, const struct otx_val *m,
		       bool exact, const struct otx_print *pp)
{
	bool m_empty = !m || otx_all_bytes(m->p, m->len, 0);

	switch (d->kind) {
	case AK_U32X:
		ds_printf(s, "%#x", get_u32(k));
		if (!exact)
			ds_printf(s, "/%#x", get_u32(m));
		break;
	case AK_CTU32:
	case AK_CTU16:
		/* Printed only when verbose or matched, even without a
		 * mask: OVS prints ct_mark() for a maskless key. */
		if (!pp->verbose && m_empty)
			break;
		ds_printf(s, "%#x",
			  d->kind == AK_CTU32 ? get_u32(k) : get_u16(k));
		if (!exact)
			ds_printf(s, "/%#x",
				  d->kind == AK_CTU32 ? get_u32(m)
						      : get_u16(m));
		break;
	case AK_IN_PORT:
		if (exact) {
			otx_put_port(s, pp->names, get_u32(k));
			break;
		}
		ds_printf(s, "%u/%#x", get_u32(k), get_u32(m));
		break;
	case AK_ETHERTYPE:
		ds_printf(s, "0x%04x", otx_get_be16(k->p));
		if (!exact)
			ds_printf(s, "/0x%04x", otx_get_be16(m->p));
		break;
	case AK_TCP_FLAGS:
		if (exact)
			otx_put_flags(s, &otx_tcp_flag_names,
				      otx_get_be16(k->p), '|');
		else
			otx_put_flags_masked(
				s, &otx_tcp_flag_names, otx_get_be16(k->p),
				otx_get_be16(m->p) & 0x0fff, 0x0fff);
		break;
	}
}

static void put_encap(struct ds *s, const struct otx_val *k,
		      const struct otx_val *m, const struct otx_print *pp)
{
	/* Names are never used inside encap(...). */
	struct otx_print inner = {pp->verbose, pp->depth + 1, NULL};

	if (!k->len || inner.depth > OTX_PRINT_MAX_DEPTH)
		return;
	otx_format_keys(s, k, m && m->len ? m : NULL, &inner);
}

/* OVS's format_odp_key_attr__(): "name(body)". */
static void format_key_attr__(struct ds *s, int type, const struct otx_val *k,
			      const struct otx_val *m,
			      const struct otx_print *pp)
{
	bool exact = m ? mask_is_exact(type, m) : true;
	struct otx_key_desc d;

	otx_key_desc(type, &d);
	if (d.name)
		ds_printf(s, "%s(", d.name);
	else
		ds_printf(s, "key%d(", type);
	switch (d.kind) {
	case AK_ENCAP:
		put_encap(s, k, m, pp);
		break;
	case AK_CT_STATE:
		put_ct_state(s, k, m, exact, pp->verbose);
		break;
	case AK_CT_LABEL:
		otx_put_ct_label(s, k->p, m ? m->p : NULL, pp->verbose);
		break;
	case AK_VLAN:
		otx_put_vlan(s, otx_get_be16(k->p),
			     m ? otx_get_be16(m->p) : 0xffff, pp->verbose);
		break;
	case AK_MPLS:
		if (!put_mpls(s, k, m, exact))
			return;
		break;
	case AK_TUNNEL:
		otx_format_tunnel(s, k, m, pp->verbose);
		break;
	case AK_NSH:
		otx_format_nsh(s, k, m);
		break;
	case AK_STRUCT:
		put_struct(s, &d, k, m, pp->verbose);
		break;
	case AK_UNSPEC:
	case AK_UNKNOWN:
		otx_put_spaced_hex(s, k->p, k->len);
		if (!exact) {
			ds_putc(s, '/');
			otx_put_spaced_hex(s, m->p, m->len);
		}
		break;
	default:
		put_scalar(s, &d, k, m, exact, pp);
		break;
	}
	ds_putc(s, ')');
}

void otx_format_key_attr(struct ds *s, int type, const struct otx_val *k,
			 const struct otx_val *m, const struct otx_print *pp)
{
	struct otx_key_desc d;

	otx_key_desc(type, &d);
	if (otx_check_len(s, type, d.len, k, m, false))
		format_key_attr__(s, type, k, m, pp);
}

struct key_loop {
	bool first;
	bool has_ethtype;
	bool has_packet_type;
};

static void format_one_key(struct ds *s, const struct nlattr *a,
			   const struct otx_val *mask, struct key_loop *st,
			   const struct otx_print *pp)
{
	const struct nlattr *ma = find_attr(mask, attr_type(a));
	struct otx_val k = attr_val(a), mv, *m = NULL;
	int type = attr_type(a);
	struct otx_key_desc d;
	bool wildcard = false;

	otx_key_desc(type, &d);
	if (ma) {
		mv = attr_val(ma);
		m = &mv;
	}
	if (!otx_check_len(s, type, d.len, &k, m, false))
		return;
	if (type == OVS_KEY_ATTR_ETHERTYPE)
		st->has_ethtype = true;
	else if (type == 29) /* OVS's PACKET_TYPE */
		st->has_packet_type = true;
	if (mask)
		wildcard = m ? mask_is_zero(type, m) : true;
	if (pp->verbose || !wildcard || d.len == OTX_LEN_NESTED) {
		if (wildcard && !m) {
			/* A zero mask of the key's shape; nested ones are
			 * synthesised empty, as OVS ends up doing. */
			mv.p = otx_zeros;
			mv.len = d.len == OTX_LEN_NESTED ? 0 : k.len;
			m = &mv;
		}
		if (!st->first)
			ds_putc(s, ',');
		format_key_attr__(s, type, &k, m, pp);
		st->first = false;
	} else if (type == OVS_KEY_ATTR_ETHERNET && !st->has_packet_type) {
		/* "This is an Ethernet packet", even fully wildcarded.  OVS
		 * does not clear 'first' here. */
		if (!st->first)
			ds_putc(s, ',');
		ds_put(s, "eth()");
	}
}

void otx_format_keys(struct ds *s, const struct otx_val *key,
		     const struct otx_val *mask, const struct otx_print *pp)
{
	struct key_loop st = {true, false, false};
	const struct nlattr *a, *ma;
	size_t left;

	if (!key->len) {
		ds_put(s, "<empty>");
		return;
	}
	if (mask && !mask->len)
		mask = NULL;
	attr_for_each(a, key->p, key->len, left)
		format_one_key(s, a, mask, &st, pp);
	if (left) {
		if (left == key->len)
			ds_put(s, "<empty>");
		ds_printf(s, ",***%zu leftover bytes*** (", left);
		for (size_t i = 0; i < left; i++)
			ds_printf(s, "%02x", ((const uint8_t *)a)[i]);
		ds_putc(s, ')');
	}
	/* 802.2 frames: the kernel leaves ETHERTYPE out of the key and puts
	 * 0xffff in the mask. */
	ma = st.has_ethtype ? NULL : find_attr(mask, OVS_KEY_ATTR_ETHERTYPE);
	if (ma) {
		uint8_t be[2];
		struct otx_val v = attr_val(ma);

		otx_copy(be, sizeof be, &v);
		ds_printf(s, ",eth_type(0/0x%04x)", otx_get_be16(be));
	}
}
