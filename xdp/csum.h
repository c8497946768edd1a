/* Internet checksum arithmetic that gives the same bytes as the kernel's
 * datapath does for a frame that is not CHECKSUM_PARTIAL.
 *
 * One's complement sums have two zeros (0x0000 and 0xffff); which one an
 * update writes depends on how it adds.  The kernel uses three methods
 * (net/checksum.h, net/dsfield.h), and each is reproduced here with the
 * same word widths and carry handling rather than replaced by a generic
 * "recompute", so a rewritten frame is byte-identical to the kernel's.
 * Values are raw memory words, as the kernel handles them. */
#ifndef OVSX_XDP_CSUM_H
#define OVSX_XDP_CSUM_H

#include <linux/types.h>
#include <bpf/bpf_endian.h>

/* 32-bit add with end-around carry (csum_add).  Written without a
 * comparison, which BPF can only do with a branch: a branch per add would
 * double the verifier's paths each time. */
static __always_inline __u32 csum32_add(__u32 a, __u32 b)
{
	__u64 r = (__u64)a + b;

	return (__u32)r + (__u32)(r >> 32);
}

/* Folds to 16 bits and complements (csum_fold). */
static __always_inline __u16 csum32_fold(__u32 s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__u16)~s;
}

/* 16-bit add with end-around carry (csum16_add). */
static __always_inline __u16 csum16_add(__u16 a, __u16 b)
{
	__u32 r = (__u32)a + b;

	return (__u16)(r + (r >> 16));
}

/* csum_replace4() and so inet_proto_csum_replace4/2() on a frame that is
 * not CHECKSUM_PARTIAL: 32-bit words, then a fold. */
static __always_inline void csum_replace32(__u16 *check, __u32 from, __u32 to)
{
	__u32 s = csum32_add(~(__u32)*check, ~from);

	*check = csum32_fold(csum32_add(s, to));
}

/* csum_replace2(): 16-bit words throughout, as for the IPv4 TTL. */
static __always_inline void csum_replace16(__u16 *check, __u16 from, __u16 to)
{
	__u16 s = csum16_add((__u16) ~*check, (__u16)~from);

	*check = (__u16)~csum16_add(s, to);
}

/* inet_proto_csum_replace16(): an IPv6 address in the pseudo-header.  Any
 * order of 32-bit end-around adds gives the kernel's csum_partial() result
 * after the fold: the seed ~check is never zero, so neither is the sum. */
static __always_inline void csum_replace_addr6(__u16 *check, const __u32 *from,
					       const __u32 *to)
{
	__u32 s = ~(__u32)*check;

#pragma unroll
	for (int i = 0; i < 4; i++)
		s = csum32_add(s, ~from[i]);
#pragma unroll
	for (int i = 0; i < 4; i++)
		s = csum32_add(s, to[i]);
	*check = csum32_fold(s);
}

/* ipv4_change_dsfield(): the IPv4 header checksum after a TOS change, with
 * its own host-order arithmetic.  'keep' is the mask of TOS bits kept,
 * 'set' the bits or'ed in; returns the new TOS. */
static __always_inline __u8 ipv4_tos_rewrite(__u8 *tos, __u16 *check, __u8 keep,
					     __u8 set)
{
	__u32 c = bpf_ntohs(*check);
	__u8 ds = (*tos & keep) | set;

	c += *tos;
	if ((c + 1) >> 16)
		c = (c + 1) & 0xffff;
	c -= ds;
	c += c >> 16;
	*check = bpf_htons((__u16)c);
	*tos = ds;
	return ds;
}

#endif
