/* The one ABI between the XDP fast path (xdp/) and user space (offload/,
 * ctl/, tests/): every map key and value, enum and size they share.
 * Fixed-width types only, explicit padding, sizes asserted.
 *
 * How the fast path uses these maps, per frame:
 *   1. ports[ingress ifindex] (ports_far[] for large ifindexes) -> the
 *      datapath port number (else XDP_PASS);
 *      config: past the heartbeat deadline everything is XDP_PASS.
 *   2. parse into struct ovsx_key with the kernel module's semantics.
 *   3. emc (per CPU, two ways per set): full key -> flow slot, valid if its
 *      generation equals config.generation.  Else a tuple-space search: for
 *      each active mask in masks[0..config.n_masks),
 *      flows[{mask id, key & mask}] -> slot.
 *   4. keepalive[slot]: once per config.keepalive_ns, XDP_PASS the frame so
 *      the kernel flow stays alive.
 *   5. actions[slot]: check every precondition first (frame length, TTL),
 *      then rewrite in order and output: redirect (tx_ports), XDP_TX,
 *      broadcast (group_N) or drop.  flow_stats[slot] counts it.
 * Anything uncertain leaves through XDP_PASS with the frame unmodified.
 *
 * Update protocol (user space): a flow's actions are written to a fresh
 * slot before flows[] points to it; flows[] is a BPF_F_NO_PREALLOC hash, so
 * a lookup sees the old or the new value, never half; freed slots are
 * reused only after a quarantine; every change bumps config.generation. */
#ifndef OVSX_ABI_H
#define OVSX_ABI_H

#include <linux/types.h>

/* Default capacities; user space may resize flows/actions/masks before
 * loading.  Group maps are fixed. */
#define OVSX_DEFAULT_MAX_FLOWS 65536
#define OVSX_DEFAULT_MAX_MASKS 64
#define OVSX_MAX_MASKS_LIMIT   256 /* bound of the mask loop */
#define OVSX_MAX_PORTS	       1024
#define OVSX_EMC_SETS	       4096 /* per CPU, power of two */
#define OVSX_EMC_WAYS	       2
#define OVSX_MAX_GROUPS	       16 /* broadcast groups (multi-output sets) */
#define OVSX_MAX_GROUP_PORTS   64
#define OVSX_MAX_OPS	       8
#define OVSX_MAX_VLANS	       2

/* The fast path's identity: 16 random bytes in its read-only data, by which
 * a restarted agent recognises (and takes over) a previous agent's program
 * and leaves every other program alone, whatever its name. */
#define OVSX_PROG_TAG                                                       \
	{                                                                   \
		0x6f, 0x76, 0x73, 0x78, 0x9c, 0x41, 0xe2, 0x07, 0xb5, 0x3d, \
			0x58, 0xa1, 0x0e, 0xc6, 0x72, 0xf9                  \
	}
#define OVSX_PROG_TAG_LEN 16

/* Present bit of a VLAN TCI in keys (the CFI bit, as the kernel uses it). */
#define OVSX_VLAN_PRESENT 0x1000

/* The parsed frame, with the semantics of the kernel module's
 * struct sw_flow_key for the fields the fast path supports.  Fields a frame
 * does not have are zero.  Multi-byte fields are in network order unless
 * named otherwise. */
struct ovsx_key {
	__u32 in_port; /* datapath port number (host order) */
	__u8 eth_src[6];
	__u8 eth_dst[6];
	__be16 vlan_tci[OVSX_MAX_VLANS];  /* outermost first; | PRESENT */
	__be16 vlan_tpid[OVSX_MAX_VLANS]; /* 0x8100 or 0x88a8; 0: no tag */
	__be16 eth_type;		  /* innermost EtherType */
	__u8 nw_proto; /* IP protocol; ARP opcode if <= 255 */
	__u8 nw_tos;   /* IPv4 TOS / IPv6 traffic class byte */
	__u8 nw_ttl;   /* IPv4 TTL / IPv6 hop limit */
	__u8 nw_frag;  /* OVS_FRAG_TYPE_NONE/FIRST/LATER */
	__u8 pad0[2];
	__be32 ipv6_label; /* low 20 bits */
	__be32 nw_src[4];  /* IPv4 (or ARP sip) in [0]; IPv6 all four */
	__be32 nw_dst[4];  /* IPv4 (or ARP tip) in [0]; IPv6 all four */
	__be16 tp_src;	   /* TCP/UDP/SCTP source port; ICMP type */
	__be16 tp_dst;	   /* TCP/UDP/SCTP destination port; ICMP code */
	__be16 tcp_flags;  /* low 12 bits of the TCP flags word */
	__u8 pad1[2];
	__u8 arp_sha[6];     /* ARP sha; ND source link-layer address */
	__u8 arp_tha[6];     /* ARP tha; ND target link-layer address */
	__be32 nd_target[4]; /* ND target address */
};

_Static_assert(sizeof(struct ovsx_key) == 104, "ovsx_key size");
_Static_assert(sizeof(struct ovsx_key) % 8 == 0, "ovsx_key in u64 words");

/* masks[]: one per distinct mask in use. */
struct ovsx_mask {
	__u32 active; /* 0: free slot, skipped by the lookup */
	__u32 pad;
	struct ovsx_key mask;
};

_Static_assert(sizeof(struct ovsx_mask) == 112, "ovsx_mask size");

/* flows[] key: the frame's key ANDed with mask 'mask_id'. */
struct ovsx_flow_key {
	__u32 mask_id;
	__u32 pad;
	struct ovsx_key key;
};

_Static_assert(sizeof(struct ovsx_flow_key) == 112, "ovsx_flow_key size");

/* flows[] value. */
struct ovsx_flow_ref {
	__u32 slot; /* index into actions[], flow_stats[], keepalive[] */
	__u32 pad;
};

/* Rewrite and push operations, executed in order. */
enum ovsx_op {
	OVSX_OP_END = 0,
	OVSX_OP_SET_ETH,   /* masked write of eth_src/eth_dst (a.eth) */
	OVSX_OP_SET_IPV4,  /* masked write of src/dst/tos/ttl (a.l3.ipv4) */
	OVSX_OP_SET_IPV6,  /* masked write of src/dst/label/tclass/hlimit */
	OVSX_OP_SET_TP,	   /* masked write of TCP/UDP ports (a.tp) */
	OVSX_OP_PUSH_VLAN, /* push a.vlan[n], n counting pushes so far */
	OVSX_OP_POP_VLAN,
	OVSX_OP_DEC_TTL, /* TTL/hop limit - 1 (precondition: > 1) */
};

enum ovsx_out_kind {
	OVSX_OUT_DROP = 0,
	OVSX_OUT_REDIRECT, /* tx_ports[out_ifindex] */
	OVSX_OUT_TX,	   /* back out of the ingress port */
	OVSX_OUT_GROUP,	   /* broadcast to group_<out_group> */
};

/* Which L4 header SET_TP and the L4 checksum fix-ups address. */
enum ovsx_l4 {
	OVSX_L4_NONE = 0,
	OVSX_L4_TCP,
	OVSX_L4_UDP,
};

struct ovsx_eth_rewrite {
	__u8 src[6], dst[6];
	__u8 src_mask[6], dst_mask[6];
};

struct ovsx_ipv4_rewrite {
	__be32 src, dst, src_mask, dst_mask;
	__u8 tos, ttl, tos_mask, ttl_mask;
};

struct ovsx_ipv6_rewrite {
	__be32 src[4], dst[4], src_mask[4], dst_mask[4];
	__be32 label, label_mask;
	__u8 tclass, hlimit, tclass_mask, hlimit_mask;
};

struct ovsx_tp_rewrite {
	__be16 src, dst, src_mask, dst_mask;
};

struct ovsx_vlan_push {
	__be16 tpid;
	__be16 tci; /* without OVSX_VLAN_PRESENT, as written to the wire */
};

/* actions[slot]: what to do with a frame of the flow. */
struct ovsx_actions {
	__u8 ops[OVSX_MAX_OPS]; /* enum ovsx_op, OVSX_OP_END-terminated */
	__u8 out_kind;		/* enum ovsx_out_kind */
	__u8 l4;		/* enum ovsx_l4 of the flow's frames */
	__u8 pad0[2];
	__u32 out_ifindex; /* OVSX_OUT_REDIRECT */
	__u32 out_group;   /* OVSX_OUT_GROUP: 0..OVSX_MAX_GROUPS-1 */
	__u32 out_flags;   /* OVSX_OUT_GROUP: BPF_F_EXCLUDE_INGRESS or 0 */
	/* Frames longer than this (before any op) go XDP_PASS: the kernel
	 * would drop them as over the egress MTU. */
	__u32 max_frame_len;
	struct ovsx_eth_rewrite eth;
	union {
		struct ovsx_ipv4_rewrite ipv4;
		struct ovsx_ipv6_rewrite ipv6;
	} l3;
	struct ovsx_tp_rewrite tp;
	struct ovsx_vlan_push vlan[OVSX_MAX_VLANS];
};

_Static_assert(sizeof(struct ovsx_actions) == 144, "ovsx_actions size");
_Static_assert(__builtin_offsetof(struct ovsx_actions, l3) % 4 == 0,
	       "ovsx_actions l3 alignment");

/* flow_stats[slot], per CPU. */
struct ovsx_flow_stats {
	__u64 packets;
	__u64 bytes;
	__u64 used_ns;	 /* CLOCK_MONOTONIC_COARSE of the last frame; 0 never */
	__u16 tcp_flags; /* OR of the flags seen (network order bits) */
	__u8 pad[6];
};

_Static_assert(sizeof(struct ovsx_flow_stats) == 32, "ovsx_flow_stats size");

/* keepalive[slot]: shared by all CPUs; racy updates only let a second
 * frame through now and then. */
struct ovsx_keepalive {
	__u64 last_pass_ns;
};

/* emc[set], per CPU: a two-way set-associative cache of full keys. */
struct ovsx_emc_entry {
	struct ovsx_key key;
	__u64 generation; /* valid if equal to config.generation */
	__u32 slot;
	__u32 pad;
};

_Static_assert(sizeof(struct ovsx_emc_entry) == 120, "ovsx_emc_entry size");

struct ovsx_emc_set {
	struct ovsx_emc_entry way[OVSX_EMC_WAYS];
};

/* The accelerated ports, by ingress ifindex: ports[ifindex] below
 * OVSX_PORT_INDEX_LIMIT, an array user space writes through mmap, each
 * entry one 8-byte word stored at once, so that a frame reads the old entry
 * or the new one, never half (a lookup there costs a few instructions; a
 * hash lookup was 13% of a cache hit); ports_far[ifindex] above it, a hash
 * for the hosts that have made many devices (ifindexes only grow). */
#define OVSX_PORT_INDEX_LIMIT 16384

enum ovsx_port_flags {
	/* On every entry user space writes; a zeroed entry is no port. */
	OVSX_PORT_ACTIVE = 1 << 0,
	/* The port's peer may send CHECKSUM_PARTIAL frames (a veth with tx
	 * checksum offload), whose checksum field is not final in the frame
	 * data: TCP/UDP checksums are verified, partial ones completed, and
	 * what may hide a partial sum elsewhere is passed. */
	OVSX_PORT_VERIFY_CSUM = 1 << 1,
	/* The port's frames may reach XDP as skbs that keep CHECKSUM_PARTIAL
	 * in their metadata: a tap runs its native program on an skb for a
	 * blocking writer, a GSO frame or one over a page (tun_get_user() ->
	 * do_xdp_generic()), and a port in generic mode always does.  A
	 * redirected skb keeps that state, so the egress completes the sum
	 * again from what the data holds: a sum completed here would be
	 * completed twice, and one left partial is wrong where the frame was
	 * an xdp_buff (vhost-net's tun_xdp_one() for non-GSO frames).  The
	 * program does not tell the two apart (up to 6.14 the xdp_buff has no
	 * valid data_meta and the skb has; from 6.15 both have), so with this
	 * flag, which user space sets only with OVSX_PORT_VERIFY_CSUM, a
	 * partial sum is passed to the kernel. */
	OVSX_PORT_PARTIAL_TO_KERNEL = 1 << 2,
};

struct ovsx_port {
	__u32 port_no;	/* datapath port number */
	__u16 stats_id; /* index into port_stats[], < OVSX_MAX_PORTS */
	__u16 flags;	/* enum ovsx_port_flags */
} __attribute__((aligned(8)));

_Static_assert(sizeof(struct ovsx_port) == 8, "ovsx_port is one word");
_Static_assert(OVSX_MAX_PORTS <= 1 << 16, "stats_id fits 16 bits");

/* port_stats[stats_id], per CPU. */
struct ovsx_port_stats {
	__u64 xdp_packets, xdp_bytes;	/* handled in XDP */
	__u64 pass_packets, pass_bytes; /* handed to the kernel */
};

/* config[0]: written by user space through mmap, 8-byte fields atomic. */
struct ovsx_config {
	__u64 generation;	     /* bumped on every flow table change */
	__u64 heartbeat_deadline_ns; /* 0: no heartbeat; else past it, pass all */
	__u64 keepalive_ns;	     /* 0: no keepalive */
	__u32 n_masks; /* masks[] slots to scan: highest active + 1 */
	__u32 flags;   /* enum ovsx_config_flags */
};

enum ovsx_config_flags {
	/* Skip the exact-match cache: every lookup is a tuple-space search
	 * (for the benchmarks that measure what the cache saves). */
	OVSX_CFG_NO_EMC = 1 << 0,
};

_Static_assert(sizeof(struct ovsx_config) == 32, "ovsx_config size");

/* Per-CPU counters of the fast path, one word each in struct ovsx_counters,
 * summed over CPUs by user space.  X(name, help) */
#define OVSX_XDP_COUNTERS(X)                                                   \
	X(RX_PACKETS, "frames seen by the fast path")                          \
	X(RX_BYTES, "bytes of the frames seen by the fast path")               \
	X(REDIRECT, "frames redirected to one port")                           \
	X(TX, "frames sent back out of their ingress port")                    \
	X(BROADCAST, "frames broadcast to several ports")                      \
	X(DROP, "frames dropped by a drop flow")                               \
	X(PASS_PACKETS, "frames handed to the kernel datapath (XDP_PASS)")     \
	X(PASS_NO_PORT, "passed: ingress device is not an accelerated port")   \
	X(PASS_HEARTBEAT, "passed: the agent's heartbeat is late")             \
	X(PASS_UNPARSED,                                                       \
	  "passed: truncated, malformed or unsupported headers")               \
	X(PASS_MISS, "passed: no offloaded flow matches")                      \
	X(PASS_KEEPALIVE, "passed: keepalive for the kernel flow")             \
	X(PASS_TCP_CONTROL,                                                    \
	  "passed: TCP SYN, FIN or RST (the kernel flow's flags stay right)")  \
	X(PASS_TOO_BIG, "passed: larger than the egress MTU allows")           \
	X(PASS_TTL, "passed: TTL or hop limit too low to decrement")           \
	X(PASS_CSUM, "passed: L4 checksum neither final nor completable here") \
	X(PASS_NO_TARGET, "passed: egress port not in the redirect map")       \
	X(EMC_HITS, "lookups answered by the exact-match cache")               \
	X(MASK_PROBES, "mask probes of the tuple-space search")                \
	X(ABORTED, "frames aborted by a BPF error")

enum ovsx_counter {
#define OVSX_COUNTER_ENUM(name, help) OVSX_CTR_##name,
	OVSX_XDP_COUNTERS(OVSX_COUNTER_ENUM)
#undef OVSX_COUNTER_ENUM
	OVSX_CTR__MAX
};

/* counters[0], per CPU: every counter in one value, so that a frame looks
 * the block up once however many of them it bumps. */
struct ovsx_counters {
	__u64 n[OVSX_CTR__MAX];
};

_Static_assert(sizeof(struct ovsx_counters) == 8 * OVSX_CTR__MAX,
	       "ovsx_counters size");

#endif
