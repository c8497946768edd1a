/* Internals shared by the odp-text-*.c files (see include/odp-text.h).
 *
 * Layout of the text code:
 *   odp-text-fields.c     one description per key attribute (name, OVS's
 *                         expected length, field table) and the field, flag
 *                         and hex formatters both sides share
 *   odp-text-lex.c        the parser's cursor, errors and scanners
 *   odp-text-print.c      the key/mask printer and the dump line
 *   odp-text-print-tun.c  tunnel(...) and nsh(...) printers
 *   odp-text-print-act.c  the action printer
 *   odp-text-print-set.c  set(...), push_nsh(...) and ct(...) printers
 *   odp-text-parse.c      the dump line, match and action list entry points
 *   odp-text-parse-key.c  key attribute parsers
 *   odp-text-parse-tun.c  tunnel(...) and nsh(...) parsers
 *   odp-text-parse-act.c  the action list parser
 *   odp-text-parse-set.c  userspace(...) and set(...) parsers
 *   odp-text-parse-ct.c   ct(...) and push_nsh(...) parsers
 *
 * The printer reproduces Open vSwitch 3.1's output byte for byte, including
 * its oddities on malformed input; the parser accepts everything that
 * printer emits (a superset of what Open vSwitch itself parses), so that
 * print(parse(text)) == text. */
#ifndef OVSX_ODP_TEXT_PRIVATE_H
#define OVSX_ODP_TEXT_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "ds.h"
#include "nlattr.h"
#include "odp-text.h"

/* Bounds.  Nesting (encap, tunnel options, nested action lists, set) is
 * limited when parsing, as Open vSwitch does; the printer has a higher
 * limit of its own so that parsed input never reaches it. */
#define OTX_MAX_DEPTH	    32
#define OTX_PRINT_MAX_DEPTH 64
/* Payload of the OVS_FLOW_ATTR_KEY/MASK/ACTIONS attributes. */
#define OTX_MAX_STREAM (UINT16_MAX - NLA_HDRLEN)

/* Expected payload lengths, as Open vSwitch 3.1 checks them. */
enum {
	OTX_LEN_VAR = -1,     /* not checked */
	OTX_LEN_NESTED = -2,  /* nested attributes, not checked */
	OTX_LEN_UNKNOWN = -3, /* an id OVS does not know: not checked */
};

/* An attribute payload, or a mask payload, as a view into some stream. */
struct otx_val {
	const uint8_t *p;
	size_t len;
};

/* Field kinds inside struct attributes (eth, ipv4, arp, ...). */
enum otx_fk {
	FK_MAC,
	FK_IPV4,
	FK_IPV6,
	FK_U8D,	     /* u8, decimal */
	FK_U8X,	     /* u8, hex */
	FK_BE16D,    /* be16, decimal */
	FK_BE16X,    /* be16, hex */
	FK_LABEL,    /* be32 IPv6 flow label, 20 bits */
	FK_FRAG,     /* u8 no/first/later */
	FK_BE32X_EX, /* be32 always printed as 0x%x, never masked */
};

struct otx_field {
	const char *name;
	const char *alias; /* also accepted by the parser, or NULL */
	uint8_t off;
	uint8_t kind; /* enum otx_fk */
};

/* How the body of a key attribute is printed and parsed. */
enum otx_ak {
	AK_UNKNOWN, /* keyN(hex/hex) */
	AK_UNSPEC,  /* id 0 */
	AK_ENCAP,
	AK_U32X,  /* skb_priority, skb_mark, dp_hash, recirc_id */
	AK_CTU32, /* ct_mark */
	AK_CTU16, /* ct_zone */
	AK_IN_PORT,
	AK_CT_STATE,
	AK_CT_LABEL,
	AK_ETHERTYPE,
	AK_VLAN,
	AK_MPLS,
	AK_TUNNEL,
	AK_NSH,
	AK_TCP_FLAGS,
	AK_STRUCT,
};

struct otx_key_desc {
	const char *name;
	int len;      /* OVS 3.1's expected length, or OTX_LEN_* */
	uint8_t kind; /* enum otx_ak */
	uint8_t n_fields;
	const struct otx_field *fields;
};

/* Fills *d with the description of key attribute 'type' as Open vSwitch
 * 3.1 sees it (unknown ids: AK_UNKNOWN, name NULL).  Names come from
 * odp-attrs.c, except for the ids OVS and the kernel disagree on. */
void otx_key_desc(int type, struct otx_key_desc *d);
/* The id of a key attribute by its printed name, or -1. */
int otx_key_type(const char *name, size_t len);
/* OVS 3.1's expected length of a tunnel sub-attribute. */
int otx_tun_len(int type);

/* Zeros, for the masks synthesised where a mask stream lacks one. */
extern const uint8_t otx_zeros[UINT16_MAX];
/* Appends n bytes of 0xff (a default mask).  Returns 0 or -ENOMEM. */
int otx_buf_put_ones(struct buf *b, size_t n);

/* Printing helpers (odp-text-fields.c). */
void otx_chomp(struct ds *s, char c);
bool otx_all_bytes(const uint8_t *p, size_t n, uint8_t b);
/* Bytes as "%02x" separated by single spaces (OVS's generic key form). */
void otx_put_spaced_hex(struct ds *s, const uint8_t *p, size_t n);
/* OVS's ds_put_hex(): a big-endian number, "0" when zero. */
void otx_put_bighex(struct ds *s, const uint8_t *p, size_t n);
void otx_put_mac(struct ds *s, const uint8_t *p);
void otx_put_ipv4(struct ds *s, const uint8_t *p);
void otx_put_ipv6(struct ds *s, const uint8_t *p);
/* Copies up to n bytes of v into a zeroed dst of n bytes (OVS reads some
 * payloads without checking their length; we read zeros instead). */
void otx_copy(void *dst, size_t n, const struct otx_val *v);
uint16_t otx_get_be16(const uint8_t *p);
uint32_t otx_get_be32(const uint8_t *p);
/* "name=value[/mask],", as Open vSwitch's format_* helpers in
 * lib/odp-util.c print a field: left out when its mask is zero (unless
 * verbose), "/mask" when the mask is not all-ones (addresses in their own
 * notation, numbers in hex); frag and a few exact fields are special. */
void otx_put_field(struct ds *s, const struct otx_field *f, const uint8_t *key,
		   const uint8_t *mask, bool verbose);
/* Size of a field of this kind. */
size_t otx_field_size(int kind);

/* Flag sets: names per bit, lowest first. */
struct otx_flag_names {
	const char *const *names; /* [bit] = name or NULL */
	unsigned n;
};
extern const struct otx_flag_names otx_ct_state_names;
extern const struct otx_flag_names otx_tcp_flag_names;
extern const struct otx_flag_names otx_tun_flag_names;
extern const struct otx_flag_names otx_slow_path_names;
void otx_put_flags(struct ds *s, const struct otx_flag_names *fn, uint32_t v,
		   char sep);
void otx_put_flags_masked(struct ds *s, const struct otx_flag_names *fn,
			  uint32_t v, uint32_t m, uint32_t max);
/* A port number, by name when the map knows it. */
void otx_put_port(struct ds *s, const struct odp_port_names *names,
		  uint32_t port);

/* Printers shared between files. */
struct otx_print {
	bool verbose;
	int depth;
	const struct odp_port_names *names;
};
/* Prints a key stream (OVS's odp_flow_format()); mask NULL: no mask. */
void otx_format_keys(struct ds *s, const struct otx_val *key,
		     const struct otx_val *mask, const struct otx_print *pp);
/* One key attribute with its length check (OVS's format_odp_key_attr()). */
void otx_format_key_attr(struct ds *s, int type, const struct otx_val *k,
			 const struct otx_val *m, const struct otx_print *pp);
/* Prints "[key<T>](bad key length ...)" if a length is wrong; returns
 * false then. */
bool otx_check_len(struct ds *s, int type, int expected,
		   const struct otx_val *k, const struct otx_val *m,
		   bool prefix);
void otx_format_tunnel(struct ds *s, const struct otx_val *k,
		       const struct otx_val *m, bool verbose);
void otx_format_nsh(struct ds *s, const struct otx_val *k,
		    const struct otx_val *m);
/* The masked nsh field list shared by nsh(...) keys and set(nsh(...)). */
struct otx_nsh {
	uint8_t flags, ttl, mdtype, np;
	uint32_t path; /* host order: spi << 8 | si */
	uint32_t c[4]; /* host order */
};
void otx_put_nsh_masked(struct ds *s, const struct otx_nsh *k,
			const struct otx_nsh *m);
/* ct_label's value: a 16-byte label, "/mask" unless the mask is full;
 * nothing for a zero mask unless verbose.  (odp-text-print-value.c) */
void otx_put_ct_label(struct ds *s, const uint8_t *k, const uint8_t *m,
		      bool verbose);
/* vlan(...)'s body: vid, pcp, cfi=0 (also push_vlan's). */
void otx_put_vlan(struct ds *s, uint16_t tci, uint16_t mask, bool verbose);
/* "label=%u,tc=%u,ttl=%u,bos=%u" of one MPLS LSE (host order). */
void otx_put_mpls_lse(struct ds *s, uint32_t lse);
/* set(...)/set_masked, push_nsh(...), ct(...) (odp-text-print-set.c). */
void otx_put_set(struct ds *s, const struct nlattr *a, bool masked);
void otx_put_push_nsh(struct ds *s, const struct nlattr *a);
void otx_put_ct_action(struct ds *s, const struct nlattr *a);
void otx_format_action_list(struct ds *s, const uint8_t *p, size_t len,
			    const struct otx_print *pp);

/* The parser's cursor (odp-text-lex.c).  The first error is kept; every
 * parser returns 0 or -EINVAL (-ENOMEM, -EMSGSIZE for resource limits). */
struct otx_parser {
	const char *text; /* start of the input, for columns */
	const char *p;
	int depth;
	int error;
	char *err;
	size_t errlen;
	const struct odp_port_names *names;
	bool tun_key; /* tunnel(...) being parsed has flags(key) */
};

void otx_parser_init(struct otx_parser *ps, const char *text, char *err,
		     size_t errlen, const struct odp_port_names *names);
/* Records "column N: <msg> at '<text at>'" if no error was recorded yet.
 * Returns -EINVAL. */
int otx_fail(struct otx_parser *ps, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Maps a builder error (-ENOMEM, -EMSGSIZE) to a message at 'at'. */
int otx_fail_errno(struct otx_parser *ps, const char *at, int err);
/* Consumes s if the input continues with it. */
bool otx_lit(struct otx_parser *ps, const char *s);
/* Consumes s or fails with "expected 's'". */
int otx_expect(struct otx_parser *ps, const char *s);
bool otx_is_delim(char c);
void otx_skip_delims(struct otx_parser *ps);
/* Unsigned integer in C notation (0x hex, 0 octal, decimal) as OVS's %i,
 * at most max. */
int otx_uint(struct otx_parser *ps, uint64_t max, uint64_t *v);
/* Decimal only. */
int otx_dec(struct otx_parser *ps, uint64_t max, uint64_t *v);
/* A big number (0x + hex digits, or decimal up to 64 bits) right-aligned
 * into n big-endian bytes. */
int otx_bighex(struct otx_parser *ps, uint8_t *out, size_t n);
/* The value of a field of 'kind' into dst (otx_field_size(kind) bytes). */
int otx_field_value(struct otx_parser *ps, int kind, uint8_t *dst);
/* The default (all-ones) mask of a field of 'kind'. */
void otx_field_full(int kind, uint8_t *dst);
/* Flags: "N/M", "+a-b", or "a|b|N" (sep '|' or, for slow_path, also
 * ','), up to (not including) ')'.  Bits outside 'allowed' are refused. */
int otx_flags(struct otx_parser *ps, const struct otx_flag_names *fn,
	      uint32_t allowed, uint32_t *v, uint32_t *m);
/* A port number, or a name from the map. 'stop' lists the characters that
 * end a name. */
int otx_port(struct otx_parser *ps, const char *stop, uint32_t *port);
/* IPv4 and IPv6 addresses. */
int otx_ipv4(struct otx_parser *ps, uint8_t out[4]);
int otx_ipv6(struct otx_parser *ps, uint8_t out[16]);

/* Appends 'type' with payload k to key and with m to mask (NULL: no mask
 * attribute). */
int otx_put_pair(struct otx_parser *ps, struct buf *key, struct buf *mask,
		 int type, const void *k, const void *m, size_t len);
/* "VALUE[/MASK]" of an unsigned number; the mask defaults to 'full'. */
int otx_num_mask(struct otx_parser *ps, uint64_t max, uint64_t full,
		 uint64_t *v, uint64_t *m);
/* "hh hh hh" bytes (OVS's generic form) into out, up to ')' or '/'. */
int otx_spaced_hex(struct otx_parser *ps, struct buf *out);
/* A 128-bit label number into the kernel's 16 bytes (OVS's ovs_u128). */
int otx_u128(struct otx_parser *ps, uint8_t out[16]);
/* The kind of a scalar tunnel field (FK_*), or -1 (odp-text-fields.c). */
int otx_tun_kind(int type);
/* tunnel(...) and nsh(...) bodies, after the '(' (odp-text-parse-tun.c). */
int otx_parse_tunnel(struct otx_parser *ps, struct buf *key, struct buf *mask);
int otx_parse_nsh(struct otx_parser *ps, struct buf *key, struct buf *mask);

/* Key attributes (odp-text-parse-key.c). */
enum otx_key_ctx {
	OTX_IN_MATCH, /* a flow match: eth_type(0/M) is the 802.2 form */
	OTX_IN_SET,   /* inside set(...) */
};
/* Parses one attribute "name(...)" into key and mask streams.  Returns the
 * attribute type in *type. */
int otx_parse_key_attr(struct otx_parser *ps, struct buf *key, struct buf *mask,
		       enum otx_key_ctx ctx, int *type);
/* Parses attributes up to ')' or the end (or a dump token at top level);
 * used for whole matches and encap(...). */
int otx_parse_key_list(struct otx_parser *ps, struct buf *key, struct buf *mask,
		       bool top);
/* Action bodies after "name(" (odp-text-parse-set.c). */
int otx_parse_userspace(struct otx_parser *ps, struct buf *out);
int otx_parse_set(struct otx_parser *ps, struct buf *out);
int otx_parse_ct(struct otx_parser *ps, struct buf *out);
int otx_parse_push_nsh(struct otx_parser *ps, struct buf *out);
/* Actions (odp-text-parse-act.c): a list up to ')' (nested) or the end;
 * "drop" alone is the empty list. */
int otx_parse_action_list(struct otx_parser *ps, struct buf *out, bool nested);

#endif
