/* The parser's cursor, its errors, and the scanners of numbers, addresses
 * and flag sets (see odp-text-private.h).
 *
 * Input is untrusted (dumps saved by users): every scanner checks ranges
 * and overflow, never reads past the terminating NUL, and reports the
 * first error as one line with the column and the text found there. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "odp-text-private.h"

#define SNIPPET_MAX 24

void otx_parser_init(struct otx_parser *ps, const char *text, char *err,
		     size_t errlen, const struct odp_port_names *names)
{
	ps->text = text;
	ps->p = text;
	ps->depth = 0;
	ps->error = 0;
	ps->err = err;
	ps->errlen = errlen;
	ps->names = names;
	ps->tun_key = false;
	if (err && errlen)
		err[0] = '\0';
}

/* The text at 'at', cut at a line end and made printable. */
static void snippet(const char *at, char *out, size_t size)
{
	size_t n = 0;

	while (at[n] && at[n] != '\n' && at[n] != '\r' && n < SNIPPET_MAX &&
	       n + 4 < size) {
		out[n] = isprint((unsigned char)at[n]) ? at[n] : '?';
		n++;
	}
	out[n] = '\0';
	if (at[n] && at[n] != '\n' && at[n] != '\r')
		strcat(out, "...");
}

int otx_fail(struct otx_parser *ps, const char *at, const char *fmt, ...)
{
	char msg[128], snip[SNIPPET_MAX + 4];
	va_list ap;

	if (ps->error)
		return -EINVAL;
	ps->error = -EINVAL;
	if (!ps->err || !ps->errlen)
		return -EINVAL;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snippet(at, snip, sizeof snip);
	if (*at && *at != '\n' && *at != '\r')
		snprintf(ps->err, ps->errlen, "column %zu: %s at '%s'",
			 (size_t)(at - ps->text) + 1, msg, snip);
	else
		snprintf(ps->err, ps->errlen, "column %zu: %s at end of input",
			 (size_t)(at - ps->text) + 1, msg);
	return -EINVAL;
}

int otx_fail_errno(struct otx_parser *ps, const char *at, int err)
{
	if (err == -ENOMEM)
		otx_fail(ps, at, "out of memory");
	else
		otx_fail(ps, at, "too long for a netlink attribute");
	if (ps->error == -EINVAL)
		ps->error = err;
	return err;
}

bool otx_lit(struct otx_parser *ps, const char *s)
{
	size_t n = strlen(s);

	if (strncmp(ps->p, s, n))
		return false;
	ps->p += n;
	return true;
}

int otx_expect(struct otx_parser *ps, const char *s)
{
	return otx_lit(ps, s) ? 0 : otx_fail(ps, ps->p, "expected '%s'", s);
}

bool otx_is_delim(char c)
{
	return c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

void otx_skip_delims(struct otx_parser *ps)
{
	while (otx_is_delim(*ps->p))
		ps->p++;
}

static int digit_value(char c, unsigned base)
{
	int d;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	else
		return -1;
	return d < (int)base ? d : -1;
}

static int scan_uint(struct otx_parser *ps, unsigned base, const char *q,
		     uint64_t max, uint64_t *v)
{
	const char *start = ps->p;
	uint64_t x = 0;
	int d;

	if (digit_value(*q, base) < 0)
		return otx_fail(ps, start, "expected a number");
	for (; (d = digit_value(*q, base)) >= 0; q++) {
		if (x > (UINT64_MAX - (uint64_t)d) / base)
			return otx_fail(ps, start, "number too large");
		x = x * base + (uint64_t)d;
	}
	if (isalnum((unsigned char)*q) || *q == '_')
		return otx_fail(ps, start, "bad number");
	if (x > max)
		return otx_fail(ps, start, "number too large (at most %llu)",
				(unsigned long long)max);
	ps->p = q;
	*v = x;
	return 0;
}

int otx_uint(struct otx_parser *ps, uint64_t max, uint64_t *v)
{
	const char *q = ps->p;

	if (q[0] == '0' && (q[1] == 'x' || q[1] == 'X'))
		return scan_uint(ps, 16, q + 2, max, v);
	if (q[0] == '0' && isdigit((unsigned char)q[1]))
		return scan_uint(ps, 8, q + 1, max, v);
	return scan_uint(ps, 10, q, max, v);
}

int otx_dec(struct otx_parser *ps, uint64_t max, uint64_t *v)
{
	return scan_uint(ps, 10, ps->p, max, v);
}

int otx_bighex(struct otx_parser *ps, uint8_t *out, size_t n)
{
	const char *start = ps->p, *q;
	size_t digits = 0;
	uint64_t v;

	memset(out, 0, n);
	if (!(start[0] == '0' && (start[1] == 'x' || start[1] == 'X'))) {
		if (otx_dec(ps, UINT64_MAX, &v))
			return -EINVAL;
		if (n < 8 && v >> (8 * n))
			return otx_fail(ps, start, "number too large");
		for (size_t i = 0; i < n && i < 8; i++)
			out[n - 1 - i] = (uint8_t)(v >> (8 * i));
		return 0;
	}
	q = start + 2;
	while (*q == '0' && digit_value(q[1], 16) >= 0)
		q++;
	while (digit_value(q[digits], 16) >= 0)
		digits++;
	if (!digits || isalnum((unsigned char)q[digits]))
		return otx_fail(ps, start, "bad hexadecimal number");
	if ((digits + 1) / 2 > n)
		return otx_fail(ps, start, "number wider than %zu bytes", n);
	for (size_t i = 0; i < digits; i++) {
		size_t pos = digits - 1 - i; /* nibble index from the right */
		int d = digit_value(q[i], 16);

		out[n - 1 - pos / 2] |= (uint8_t)(pos % 2 ? d << 4 : d);
	}
	ps->p = q + digits;
	return 0;
}

int otx_ipv4(struct otx_parser *ps, uint8_t out[4])
{
	const char *start = ps->p;
	uint64_t v;

	for (int i = 0; i < 4; i++) {
		if (i && *ps->p++ != '.')
			return otx_fail(ps, start, "bad IPv4 address");
		if (!isdigit((unsigned char)*ps->p) ||
		    scan_uint(ps, 10, ps->p, 255, &v)) {
			ps->error = 0;
			return otx_fail(ps, start, "bad IPv4 address");
		}
		out[i] = (uint8_t)v;
	}
	return 0;
}

int otx_ipv6(struct otx_parser *ps, uint8_t out[16])
{
	char text[INET6_ADDRSTRLEN];
	size_t n = strspn(ps->p, "0123456789abcdefABCDEF:.");

	if (!n || n >= sizeof text)
		return otx_fail(ps, ps->p, "bad IPv6 address");
	memcpy(text, ps->p, n);
	text[n] = '\0';
	if (inet_pton(AF_INET6, text, out) != 1)
		return otx_fail(ps, ps->p, "bad IPv6 address");
	ps->p += n;
	return 0;
}

static int scan_mac(struct otx_parser *ps, uint8_t out[6])
{
	const char *start = ps->p;

	for (int i = 0; i < 6; i++) {
		int hi, lo;

		if (i && *ps->p++ != ':')
			return otx_fail(ps, start, "bad MAC address");
		hi = digit_value(ps->p[0], 16);
		if (hi < 0)
			return otx_fail(ps, start, "bad MAC address");
		lo = digit_value(ps->p[1], 16);
		if (lo < 0) {
			out[i] = (uint8_t)hi;
			ps->p++;
		} else {
			out[i] = (uint8_t)(hi << 4 | lo);
			ps->p += 2;
		}
	}
	if (isalnum((unsigned char)*ps->p))
		return otx_fail(ps, start, "bad MAC address");
	return 0;
}

static int scan_frag(struct otx_parser *ps, uint8_t *out)
{
	static const char *const names[] = {"no", "first", "later"};
	size_t n = strspn(ps->p, "abcdefghijklmnopqrstuvwxyz");

	for (uint8_t i = 0; i < 3; i++)
		if (n == strlen(names[i]) && !strncmp(ps->p, names[i], n)) {
			*out = i;
			ps->p += n;
			return 0;
		}
	return otx_fail(ps, ps->p, "expected no, first or later");
}

static void put_be(uint8_t *dst, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[n - 1 - i] = (uint8_t)(v >> (8 * i));
}

int otx_field_value(struct otx_parser *ps, int kind, uint8_t *dst)
{
	size_t n = otx_field_size(kind);
	uint64_t v;

	switch (kind) {
	case FK_MAC:
		return scan_mac(ps, dst);
	case FK_IPV4:
		return otx_ipv4(ps, dst);
	case FK_IPV6:
		return otx_ipv6(ps, dst);
	case FK_FRAG:
		return scan_frag(ps, dst);
	default:
		if (otx_uint(ps,
			     n == 8 ? UINT64_MAX : (UINT64_C(1) << (8 * n)) - 1,
			     &v))
			return -EINVAL;
		put_be(dst, v, n);
		return 0;
	}
}

void otx_field_full(int kind, uint8_t *dst)
{
	memset(dst, 0xff, otx_field_size(kind));
	if (kind == FK_LABEL)
		dst[0] = 0, dst[1] = 0x0f;
}

static int flag_bit(const struct otx_flag_names *fn, const char *name, size_t n)
{
	for (unsigned i = 0; i < fn->n; i++)
		if (fn->names[i] && strlen(fn->names[i]) == n &&
		    !strncmp(fn->names[i], name, n))
			return (int)i;
	return -1;
}

/* "+name-name...": '+' sets the bit in value and mask, '-' in the mask. */
static int flags_signed(struct otx_parser *ps, const struct otx_flag_names *fn,
			uint32_t allowed, uint32_t *v, uint32_t *m)
{
	*v = *m = 0;
	while (*ps->p == '+' || *ps->p == '-') {
		const char *name = ps->p + 1;
		size_t n = strcspn(name, "+-|,)/ \t\r\n");
		int bit = flag_bit(fn, name, n);

		if (bit < 0 || !(allowed & UINT32_C(1) << bit))
			return otx_fail(ps, name, "unknown flag");
		if (*m & UINT32_C(1) << bit)
			return otx_fail(ps, name, "flag given twice");
		*m |= UINT32_C(1) << bit;
		if (*ps->p == '+')
			*v |= UINT32_C(1) << bit;
		ps->p = name + n;
	}
	return 0;
}

/* "a|b|N" (or with ',' for slow_path): the mask is all ones. */
static int flags_list(struct otx_parser *ps, const struct otx_flag_names *fn,
		      const char *seps, uint32_t *v, uint32_t *m)
{
	uint64_t num;

	*v = 0;
	*m = UINT32_MAX;
	if (*ps->p == ')')
		return 0;
	for (;;) {
		const char *item = ps->p;
		size_t n = strcspn(item, "+-|,)/ \t\r\n");
		int bit = flag_bit(fn, item, n);

		if (bit >= 0) {
			*v |= UINT32_C(1) << bit;
			ps->p += n;
		} else if (isdigit((unsigned char)*item)) {
			if (otx_uint(ps, UINT32_MAX, &num))
				return -EINVAL;
			*v |= (uint32_t)num;
		} else {
			return otx_fail(ps, item, "unknown flag");
		}
		if (!*ps->p || !strchr(seps, *ps->p))
			return 0;
		ps->p++;
	}
}

int otx_flags(struct otx_parser *ps, const struct otx_flag_names *fn,
	      uint32_t allowed, uint32_t *v, uint32_t *m)
{
	const char *start = ps->p;
	const char *seps = fn == &otx_slow_path_names ? "|," : "|";
	uint64_t a, b;
	int err;

	if (isdigit((unsigned char)*start)) {
		if (otx_uint(ps, UINT32_MAX, &a))
			return -EINVAL;
		if (otx_lit(ps, "/")) {
			if (otx_uint(ps, UINT32_MAX, &b))
				return -EINVAL;
			*v = (uint32_t)a, *m = (uint32_t)b;
			goto check;
		}
		ps->p = start;
	}
	if (*start == '+' || *start == '-')
		err = flags_signed(ps, fn, allowed, v, m);
	else
		err = flags_list(ps, fn, seps, v, m);
	if (err)
		return err;
check:
	if ((*v & ~allowed) || (*m != UINT32_MAX && (*m & ~allowed)))
		return otx_fail(ps, start, "flags outside %#x", allowed);
	return 0;
}

int otx_port(struct otx_parser *ps, const char *stop, uint32_t *port)
{
	const char *start = ps->p;
	size_t n = strcspn(start, stop);
	const struct odp_port_names *names = ps->names;
	uint64_t v;

	if (!n)
		return otx_fail(ps, start, "expected a port");
	if (isdigit((unsigned char)*start)) {
		if (!otx_uint(ps, UINT32_MAX, &v) && ps->p == start + n) {
			*port = (uint32_t)v;
			return 0;
		}
		ps->p = start;
		ps->error = 0;
		if (ps->err && ps->errlen)
			ps->err[0] = '\0';
	}
	for (size_t i = 0; names && i < names->n; i++) {
		const char *name = names->ports[i].name;

		if (name && strlen(name) == n && !strncmp(name, start, n)) {
			*port = names->ports[i].port_no;
			ps->p = start + n;
			return 0;
		}
	}
	return otx_fail(ps, start,
			names ? "unknown port name"
			      : "port names need a port map");
}
