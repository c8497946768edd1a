/* Test frames built in code, header by header, and checksums computed from
 * scratch (RFC 1071, big-endian 16-bit words), independently of the XDP
 * program's incremental arithmetic that they check.
 *
 *	struct pkt p;
 *	pkt_eth(&p, dst, src);
 *	pkt_vlan(&p, ETH_P_8021Q, 10);
 *	pkt_ipv4(&p, saddr, daddr);    (protocol filled in by pkt_tcp)
 *	pkt_tcp(&p, 1000, 80, TH_SYN);
 *	pkt_payload(&p, 20);
 *	pkt_finish(&p);                (lengths, then checksums)
 *
 * Headers may be edited between the calls and pkt_finish() through the
 * offsets kept in struct pkt. */
#ifndef OVSX_PKT_BUILD_H
#define OVSX_PKT_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ovs-xdp-abi.h"

#define PKT_MAX 3072

struct pkt {
	uint8_t b[PKT_MAX];
	size_t len;
	int l3, l4;	   /* header offsets, -1: none */
	uint16_t l3_type;  /* ETH_P_IP, ETH_P_IPV6, ... (host order) */
	uint8_t l4_proto;  /* IPPROTO_* of the header at l4 */
	int nh;		   /* offset of the next "protocol" byte to fill */
	bool udp_no_csum;  /* pkt_finish() leaves the UDP checksum 0 */
	bool keep_lengths; /* pkt_finish() leaves the length fields alone */
	bool keep_csums;   /* pkt_finish() leaves the checksums alone */
};

void pkt_eth(struct pkt *p, const uint8_t dst[6], const uint8_t src[6]);
void pkt_vlan(struct pkt *p, uint16_t tpid, uint16_t tci);
void pkt_ethertype(struct pkt *p, uint16_t type);
/* IPv4 header (TTL 64, no options); the type is written before it. */
void pkt_ipv4(struct pkt *p, uint32_t saddr, uint32_t daddr);
/* Adds IPv4 options (a multiple of 4 bytes) to the header just added. */
void pkt_ipv4_opts(struct pkt *p, const uint8_t *opts, size_t n);
void pkt_ipv6(struct pkt *p, const uint8_t src[16], const uint8_t dst[16]);
/* An IPv6 extension header of 'len' bytes (a multiple of 8; AH: of 4). */
void pkt_ipv6_ext(struct pkt *p, uint8_t type, size_t len);
/* A fragment header: offset in 8-byte units, more-fragments flag. */
void pkt_ipv6_frag(struct pkt *p, uint16_t offset, bool more);
void pkt_tcp(struct pkt *p, uint16_t sport, uint16_t dport, uint16_t flags);
void pkt_udp(struct pkt *p, uint16_t sport, uint16_t dport);
void pkt_sctp(struct pkt *p, uint16_t sport, uint16_t dport);
void pkt_icmp(struct pkt *p, uint8_t type, uint8_t code);
/* ICMPv6; for ND types, add the target with pkt_bytes(). */
void pkt_icmp6(struct pkt *p, uint8_t type, uint8_t code);
/* An L4 protocol byte with no header of its own (GRE, ESP...). */
void pkt_proto(struct pkt *p, uint8_t proto);
void pkt_bytes(struct pkt *p, const void *data, size_t n);
/* 'n' bytes of a fixed pseudo-random pattern. */
void pkt_payload(struct pkt *p, size_t n);
/* Sets the IP/UDP length fields, then the IPv4 header checksum and the
 * TCP/UDP/ICMP/ICMPv6 checksum, from scratch. */
void pkt_finish(struct pkt *p);

/* From-scratch checksums of the frame as it is. */
uint16_t pkt_ipv4_csum(const struct pkt *p);
uint16_t pkt_l4_csum(const struct pkt *p);
/* What a CHECKSUM_PARTIAL frame's L4 checksum field holds: the folded
 * pseudo-header sum, not complemented (host order). */
uint16_t pkt_l4_partial(const struct pkt *p);
/* The checksum field of the L4 header (host order), and its offset. */
uint16_t pkt_l4_check(const struct pkt *p);
int pkt_l4_check_off(const struct pkt *p);
/* Rewrites two payload bytes at 'off' so that the L4 checksum computed by
 * pkt_finish() becomes 'want' (e.g. 0 or 0xffff) for this frame. */
void pkt_force_l4_csum(struct pkt *p, size_t off, uint16_t want);

/* Byte helpers (network order writes). */
void put16(uint8_t *b, uint16_t v);
void put32(uint8_t *b, uint32_t v);
uint16_t get16(const uint8_t *b);

/* Prints the fields where two keys differ; returns how many. */
int key_diff(const struct ovsx_key *got, const struct ovsx_key *want);

#endif
