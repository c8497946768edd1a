/* Parsers of a whole dump line, of a match, of an action list and of a
 * UFID (see include/odp-text.h).
 *
 * A line is "[ufid:UUID, ]MATCH[, packets:N, bytes:N, used:T[, flags:F]]
 * [, offloaded:X][, dp:X], actions:LIST[, dp-extra-info:X]"; the stats,
 * dp: and offloaded: parts may be missing (our printer leaves the stats out
 * on request) and dp:, offloaded: and dp-extra-info: are ignored. */
#include <ctype.h>
#include <errno.h>
#include <linux/openvswitch.h>
#include <string.h>

#include "odp-text-private.h"
#include "util.h"

#define UUID_LEN 36

static int hex_word(const char *p, size_t n, uint32_t *w)
{
	*w = 0;
	for (size_t i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)p[i]))
			return -EINVAL;
		*w = *w << 4 | (uint32_t)(isdigit((unsigned char)p[i])
						  ? p[i] - '0'
						  : (p[i] | 0x20) - 'a' + 10);
	}
	return 0;
}

int odp_parse_ufid(const char *text, uint8_t ufid[16])
{
	uint32_t w[4], a, b, c, d;

	/* 8-4-4-4-12 hex digits, read back into OVS's four host-order
	 * words (see odp_format_ufid()). */
	if (strnlen(text, UUID_LEN) < UUID_LEN || text[8] != '-' ||
	    text[13] != '-' || text[18] != '-' || text[23] != '-' ||
	    hex_word(text, 8, &w[0]) || hex_word(text + 9, 4, &a) ||
	    hex_word(text + 14, 4, &b) || hex_word(text + 19, 4, &c) ||
	    hex_word(text + 24, 4, &d) || hex_word(text + 28, 8, &w[3]))
		return -EINVAL;
	if (text[UUID_LEN] && !otx_is_delim(text[UUID_LEN]))
		return -EINVAL;
	w[1] = a << 16 | b;
	w[2] = c << 16 | d;
	memcpy(ufid, w, sizeof w);
	return 0;
}

static void reset_match(struct odp_flow *f)
{
	buf_clear(&f->key);
	buf_clear(&f->mask);
	f->has_key = true;
	f->has_mask = true;
}

static int parse_match(struct otx_parser *ps, struct odp_flow *f)
{
	otx_skip_delims(ps);
	/* How OVS prints an empty key. */
	if (otx_lit(ps, "<empty>"))
		return 0;
	if (otx_parse_key_list(ps, &f->key, &f->mask, true))
		return -EINVAL;
	/* No attribute at all (or only the 802.2 trailer, which then comes
	 * first with its comma) is how OVS prints a key whose attributes
	 * are all wildcarded: stand one in, so the text prints back the
	 * same rather than as <empty>. */
	if (!f->key.len && (attr_put_u32(&f->key, OVS_KEY_ATTR_PRIORITY, 0) ||
			    attr_put_u32(&f->mask, OVS_KEY_ATTR_PRIORITY, 0)))
		return otx_fail_errno(ps, ps->p, -ENOMEM);
	return 0;
}

int odp_parse_match(const char *text, struct odp_flow *f, char *err,
		    size_t errlen)
{
	struct otx_parser ps;

	otx_parser_init(&ps, text, err, errlen, NULL);
	reset_match(f);
	if (!parse_match(&ps, f)) {
		otx_skip_delims(&ps);
		if (*ps.p)
			otx_fail(&ps, ps.p, "unexpected text after the match");
	}
	if (ps.error)
		reset_match(f);
	return ps.error;
}

int odp_parse_actions(const char *text, struct buf *actions, char *err,
		      size_t errlen)
{
	struct otx_parser ps;

	otx_parser_init(&ps, text, err, errlen, NULL);
	buf_clear(actions);
	if (!otx_parse_action_list(&ps, actions, false) && *ps.p)
		otx_fail(&ps, ps.p, "unexpected text after the actions");
	if (ps.error)
		buf_clear(actions);
	return ps.error;
}

/* "used:" seconds with up to three decimals, back to a timestamp. */
static int parse_used(struct otx_parser *ps, uint64_t now_ms, uint64_t *used)
{
	const char *start = ps->p;
	uint64_t sec, frac = 0, ms;
	bool neg;
	size_t n;

	if (otx_lit(ps, "never")) {
		*used = 0;
		return 0;
	}
	neg = otx_lit(ps, "-");
	if (otx_dec(ps, UINT64_MAX / 1000 - 1, &sec))
		return -EINVAL;
	if (otx_lit(ps, ".")) {
		n = strspn(ps->p, "0123456789");
		if (!n || n > 3)
			return otx_fail(ps, start, "bad used: time");
		for (size_t i = 0; i < 3; i++)
			frac = frac * 10 +
			       (i < n ? (uint64_t)(ps->p[i] - '0') : 0);
		ps->p += n;
	}
	if (otx_expect(ps, "s"))
		return -EINVAL;
	ms = sec * 1000 + frac;
	/* A dump saved on a machine up longer than this one can say "used"
	 * further back than our clock goes: keep it as the oldest time
	 * there is (0 would mean never). */
	if (neg)
		*used = ms > UINT64_MAX - now_ms ? UINT64_MAX : now_ms + ms;
	else
		*used = ms >= now_ms ? 1 : now_ms - ms;
	return 0;
}

static int parse_tcp_letters(struct otx_parser *ps, uint16_t *flags)
{
	static const char *const letters[] = {
		"F", "S", "R", "P",	".",	 "U",
		"E", "C", "N", "[200]", "[400]", "[800]",
	};
	const char *start = ps->p;

	*flags = 0;
	while (*ps->p && !otx_is_delim(*ps->p)) {
		size_t i;

		for (i = 0; i < ARRAY_SIZE(letters); i++)
			if (otx_lit(ps, letters[i]))
				break;
		if (i == ARRAY_SIZE(letters))
			return otx_fail(ps, ps->p, "unknown TCP flag letter");
		*flags |= (uint16_t)(1u << i);
	}
	return *flags ? 0 : otx_fail(ps, start, "expected TCP flags");
}

/* Words after dp: and offloaded: are accepted and ignored. */
static void skip_word(struct otx_parser *ps)
{
	while (*ps->p && !otx_is_delim(*ps->p))
		ps->p++;
}

/* One "name:value" part after the match; returns the bit it sets. */
static int parse_part(struct otx_parser *ps, uint64_t now_ms,
		      struct odp_flow *f)
{
	static const char *const names[] = {
		"packets:", "bytes:",	  "used:",    "flags:",
		"dp:",	    "offloaded:", "actions:", "dp-extra-info:",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (otx_lit(ps, names[i]))
			break;
	switch (i) {
	case 0:
		return otx_dec(ps, UINT64_MAX, &f->stats.packets) ? -1 : 1;
	case 1:
		return otx_dec(ps, UINT64_MAX, &f->stats.bytes) ? -1 : 2;
	case 2:
		return parse_used(ps, now_ms, &f->stats.used_ms) ? -1 : 4;
	case 3:
		return parse_tcp_letters(ps, &f->stats.tcp_flags) ? -1 : 8;
	case 4:
	case 5:
		skip_word(ps);
		return 16 << (i - 4);
	case 6:
		f->has_actions = true;
		return otx_parse_action_list(ps, &f->actions, false) ? -1 : 64;
	case 7: /* userspace datapath only; free text to the end */
		ps->p += strlen(ps->p);
		return 128;
	default:
		otx_fail(ps, ps->p,
			 "expected packets:, bytes:, used:, "
			 "flags:, dp: or actions:");
		return -1;
	}
}

static int parse_line(struct otx_parser *ps, uint64_t now_ms,
		      struct odp_flow *f)
{
	unsigned seen = 0;
	int bit;

	while (otx_is_delim(*ps->p))
		ps->p++;
	if (otx_lit(ps, "ufid:")) {
		if (odp_parse_ufid(ps->p, f->ufid))
			return otx_fail(ps, ps->p, "bad UFID");
		f->ufid_len = UFID_MAX_LEN;
		ps->p += UUID_LEN;
	}
	if (parse_match(ps, f))
		return -EINVAL;
	for (;;) {
		const char *at;

		otx_skip_delims(ps);
		at = ps->p;
		if (!*at)
			return 0;
		bit = parse_part(ps, now_ms, f);
		if (bit < 0)
			return -EINVAL;
		if (seen & (unsigned)bit)
			return otx_fail(ps, at, "given twice");
		if (seen & 64 && bit != 128)
			return otx_fail(ps, at,
					"only dp-extra-info: may "
					"follow actions:");
		seen |= (unsigned)bit;
		/* The action list stops at a delimiter or a dump token. */
		if (bit != 64 && *ps->p && !otx_is_delim(*ps->p))
			return otx_fail(ps, ps->p, "expected ', '");
	}
}

int odp_parse_flow_names(const char *line, uint64_t now_ms,
			 const struct odp_port_names *names, struct odp_flow *f,
			 char *err, size_t errlen)
{
	struct otx_parser ps;

	otx_parser_init(&ps, line, err, errlen, names);
	reset_match(f);
	buf_clear(&f->actions);
	f->has_actions = false;
	f->ufid_len = 0;
	memset(&f->stats, 0, sizeof f->stats);
	if (parse_line(&ps, now_ms, f)) {
		reset_match(f);
		buf_clear(&f->actions);
		f->has_actions = false;
		f->ufid_len = 0;
		memset(&f->stats, 0, sizeof f->stats);
	}
	return ps.error;
}

int odp_parse_flow(const char *line, uint64_t now_ms, struct odp_flow *f,
		   char *err, size_t errlen)
{
	return odp_parse_flow_names(line, now_ms, NULL, f, err, errlen);
}
