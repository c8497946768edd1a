/* Test frames and from-scratch checksums (see pkt-build.h). */
#include "pkt-build.h"

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>

void put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

void put32(uint8_t *b, uint32_t v)
{
	put16(b, (uint16_t)(v >> 16));
	put16(b + 2, (uint16_t)v);
}

uint16_t get16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static uint8_t *grow(struct pkt *p, size_t n)
{
	uint8_t *at = p->b + p->len;

	if (p->len + n > PKT_MAX) {
		fprintf(stderr, "pkt-build: frame too long\n");
		return p->b; /* keeps the caller in bounds; the test fails */
	}
	memset(at, 0, n);
	p->len += n;
	return at;
}

void pkt_eth(struct pkt *p, const uint8_t dst[6], const uint8_t src[6])
{
	memset(p, 0, sizeof(*p));
	p->l3 = p->l4 = p->nh = -1;
	memcpy(grow(p, 6), dst, 6);
	memcpy(grow(p, 6), src, 6);
}

void pkt_vlan(struct pkt *p, uint16_t tpid, uint16_t tci)
{
	uint8_t *t = grow(p, 4);

	put16(t, tpid);
	put16(t + 2, tci);
}

void pkt_ethertype(struct pkt *p, uint16_t type)
{
	put16(grow(p, 2), type);
	p->l3_type = type;
}

static void set_nh(struct pkt *p, uint8_t proto)
{
	if (p->nh >= 0)
		p->b[p->nh] = proto;
}

void pkt_ipv4(struct pkt *p, uint32_t saddr, uint32_t daddr)
{
	uint8_t *ip;

	pkt_ethertype(p, ETH_P_IP);
	p->l3 = (int)p->len;
	ip = grow(p, 20);
	ip[0] = 0x45;
	ip[8] = 64;
	put32(ip + 12, saddr);
	put32(ip + 16, daddr);
	p->nh = p->l3 + 9;
}

void pkt_ipv4_opts(struct pkt *p, const uint8_t *opts, size_t n)
{
	memcpy(grow(p, n), opts, n);
	p->b[p->l3] = (uint8_t)(0x40 | ((20 + n) / 4));
}

void pkt_ipv6(struct pkt *p, const uint8_t src[16], const uint8_t dst[16])
{
	uint8_t *ip6;

	pkt_ethertype(p, ETH_P_IPV6);
	p->l3 = (int)p->len;
	ip6 = grow(p, 40);
	ip6[0] = 0x60;
	ip6[6] = IPPROTO_NONE;
	ip6[7] = 64;
	memcpy(ip6 + 8, src, 16);
	memcpy(ip6 + 24, dst, 16);
	p->nh = p->l3 + 6;
}

void pkt_ipv6_ext(struct pkt *p, uint8_t type, size_t len)
{
	int at = (int)p->len;
	uint8_t *h = grow(p, len);

	set_nh(p, type);
	h[0] = IPPROTO_NONE;
	h[1] = (uint8_t)(type == IPPROTO_AH ? len / 4 - 2 : len / 8 - 1);
	p->nh = at;
}

void pkt_ipv6_frag(struct pkt *p, uint16_t offset, bool more)
{
	int at = (int)p->len;

	pkt_ipv6_ext(p, IPPROTO_FRAGMENT, 8);
	p->b[at + 1] = 0; /* reserved, not a length */
	put16(p->b + at + 2, (uint16_t)(offset << 3 | more));
	put32(p->b + at + 4, 0x12345678);
}

static uint8_t *l4(struct pkt *p, uint8_t proto, size_t n)
{
	set_nh(p, proto);
	p->l4 = (int)p->len;
	p->l4_proto = proto;
	return grow(p, n);
}

void pkt_tcp(struct pkt *p, uint16_t sport, uint16_t dport, uint16_t flags)
{
	uint8_t *t = l4(p, IPPROTO_TCP, 20);

	put16(t, sport);
	put16(t + 2, dport);
	put32(t + 4, 0x01020304);
	put16(t + 12, (uint16_t)(5 << 12 | (flags & 0x0fff)));
	put16(t + 14, 8192);
}

void pkt_udp(struct pkt *p, uint16_t sport, uint16_t dport)
{
	uint8_t *u = l4(p, IPPROTO_UDP, 8);

	put16(u, sport);
	put16(u + 2, dport);
}

void pkt_sctp(struct pkt *p, uint16_t sport, uint16_t dport)
{
	uint8_t *s = l4(p, IPPROTO_SCTP, 12);

	put16(s, sport);
	put16(s + 2, dport);
	put32(s + 4, 0xcafef00d);
}

void pkt_icmp(struct pkt *p, uint8_t type, uint8_t code)
{
	uint8_t *i = l4(p, IPPROTO_ICMP, 8);

	i[0] = type;
	i[1] = code;
	put32(i + 4, 0x00010002);
}

void pkt_icmp6(struct pkt *p, uint8_t type, uint8_t code)
{
	uint8_t *i = l4(p, IPPROTO_ICMPV6, 8);

	i[0] = type;
	i[1] = code;
}

void pkt_proto(struct pkt *p, uint8_t proto)
{
	set_nh(p, proto);
	p->nh = -1;
}

void pkt_bytes(struct pkt *p, const void *data, size_t n)
{
	memcpy(grow(p, n), data, n);
}

void pkt_payload(struct pkt *p, size_t n)
{
	uint8_t *d = grow(p, n);
	uint32_t x = 0x9e3779b9;

	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245 + 12345;
		d[i] = (uint8_t)(x >> 16);
	}
}

/* One's complement sum of big-endian 16-bit words; an odd last byte is
 * the high byte of a word. */
static uint32_t sum16(const uint8_t *b, size_t n, uint32_t sum)
{
	for (size_t i = 0; i + 1 < n; i += 2)
		sum += get16(b + i);
	if (n & 1)
		sum += (uint32_t)b[n - 1] << 8;
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t pkt_ipv4_csum(const struct pkt *p)
{
	uint8_t hdr[60];
	size_t ihl = (size_t)(p->b[p->l3] & 0xf) * 4;

	memcpy(hdr, p->b + p->l3, ihl);
	hdr[10] = hdr[11] = 0;
	return fold(sum16(hdr, ihl, 0));
}

int pkt_l4_check_off(const struct pkt *p)
{
	switch (p->l4_proto) {
	case IPPROTO_TCP:
		return p->l4 + 16;
	case IPPROTO_UDP:
		return p->l4 + 6;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return p->l4 + 2;
	default:
		return -1;
	}
}

uint16_t pkt_l4_check(const struct pkt *p)
{
	return get16(p->b + pkt_l4_check_off(p));
}

/* The L4 segment's length, as the IP header says (not the frame end). */
static size_t l4_len(const struct pkt *p)
{
	if (p->l3_type == ETH_P_IP)
		return get16(p->b + p->l3 + 2) - (size_t)(p->l4 - p->l3);
	return get16(p->b + p->l3 + 4) + 40 - (size_t)(p->l4 - p->l3);
}

/* The pseudo-header sum (ICMP has none), unfolded. */
static uint32_t pseudo_sum(const struct pkt *p, size_t n)
{
	uint8_t ph[40];

	if (p->l4_proto == IPPROTO_ICMP)
		return 0;
	if (p->l3_type == ETH_P_IP) {
		memcpy(ph, p->b + p->l3 + 12, 8);
		return sum16(ph, 8, 0) + p->l4_proto + (uint32_t)n;
	}
	memcpy(ph, p->b + p->l3 + 8, 32);
	return sum16(ph, 32, 0) + p->l4_proto + (uint32_t)n;
}

uint16_t pkt_l4_partial(const struct pkt *p)
{
	return (uint16_t)~fold(pseudo_sum(p, l4_len(p)));
}

uint16_t pkt_l4_csum(const struct pkt *p)
{
	size_t n = l4_len(p);
	int coff = pkt_l4_check_off(p);
	uint8_t seg[PKT_MAX];
	uint16_t c;

	memcpy(seg, p->b + p->l4, n);
	seg[coff - p->l4] = seg[coff - p->l4 + 1] = 0;
	c = fold(sum16(seg, n, pseudo_sum(p, n)));
	/* RFC 768: a computed 0 goes out as all ones, 0 meaning none. */
	if (p->l4_proto == IPPROTO_UDP && c == 0)
		c = 0xffff;
	return c;
}

void pkt_finish(struct pkt *p)
{
	if (p->l3 < 0)
		return;
	if (!p->keep_lengths) {
		size_t l3len = p->len - (size_t)p->l3;

		if (p->l3_type == ETH_P_IP)
			put16(p->b + p->l3 + 2, (uint16_t)l3len);
		else if (p->l3_type == ETH_P_IPV6)
			put16(p->b + p->l3 + 4, (uint16_t)(l3len - 40));
		if (p->l4 >= 0 && p->l4_proto == IPPROTO_UDP)
			put16(p->b + p->l4 + 4,
			      (uint16_t)(p->len - (size_t)p->l4));
	}
	if (p->keep_csums)
		return;
	if (p->l3_type == ETH_P_IP)
		put16(p->b + p->l3 + 10, pkt_ipv4_csum(p));
	if (p->l4 < 0 || pkt_l4_check_off(p) < 0)
		return;
	if (p->l4_proto == IPPROTO_UDP && p->udp_no_csum)
		put16(p->b + pkt_l4_check_off(p), 0);
	else
		put16(p->b + pkt_l4_check_off(p), pkt_l4_csum(p));
}

void pkt_force_l4_csum(struct pkt *p, size_t off, uint16_t want)
{
	uint16_t c;

	/* With the two bytes zero, the sum is S; bytes W make it S + W, and
	 * the checksum ~(S + W): pick W = ~want - S in one's complement. */
	put16(p->b + off, 0);
	pkt_finish(p);
	c = pkt_l4_check(p);
	if (p->l4_proto == IPPROTO_UDP && c == 0xffff)
		c = 0; /* undo the RFC 768 substitution to get at S */
	{
		uint32_t s = (uint16_t)~c;
		uint32_t w = (uint16_t)~want + 0xffffu - s;

		w = (w & 0xffff) + (w >> 16);
		put16(p->b + off, (uint16_t)w);
	}
	pkt_finish(p);
}

#define KEY_FIELD(name)                                      \
	{                                                    \
#name, offsetof(struct ovsx_key, name),      \
			sizeof(((struct ovsx_key *)0)->name) \
	}

int key_diff(const struct ovsx_key *got, const struct ovsx_key *want)
{
	static const struct {
		const char *name;
		size_t off, size;
	} fields[] = {
		KEY_FIELD(in_port),   KEY_FIELD(eth_src),
		KEY_FIELD(eth_dst),   KEY_FIELD(vlan_tci),
		KEY_FIELD(vlan_tpid), KEY_FIELD(eth_type),
		KEY_FIELD(nw_proto),  KEY_FIELD(nw_tos),
		KEY_FIELD(nw_ttl),    KEY_FIELD(nw_frag),
		KEY_FIELD(pad0),      KEY_FIELD(ipv6_label),
		KEY_FIELD(nw_src),    KEY_FIELD(nw_dst),
		KEY_FIELD(tp_src),    KEY_FIELD(tp_dst),
		KEY_FIELD(tcp_flags), KEY_FIELD(pad1),
		KEY_FIELD(arp_sha),   KEY_FIELD(arp_tha),
		KEY_FIELD(nd_target),
	};
	const uint8_t *g = (const void *)got, *w = (const void *)want;
	int n = 0;

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (!memcmp(g + fields[i].off, w + fields[i].off,
			    fields[i].size))
			continue;
		fprintf(stderr, "  key.%s: got", fields[i].name);
		for (size_t j = 0; j < fields[i].size; j++)
			fprintf(stderr, " %02x", g[fields[i].off + j]);
		fprintf(stderr, ", want");
		for (size_t j = 0; j < fields[i].size; j++)
			fprintf(stderr, " %02x", w[fields[i].off + j]);
		fprintf(stderr, "\n");
		n++;
	}
	return n;
}
