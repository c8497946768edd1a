/* The one ABI between the XDP fast path (xdp/) and user space (offload/,
 * ctl/, tests/): every map key and value, enum and size they share.
 * Fixed-width types only, explicit padding, sizes asserted. */
#ifndef OVSX_ABI_H
#define OVSX_ABI_H

#include <linux/types.h>

/* Per-CPU counters of the fast path, one slot each in the 'counters' array
 * map, summed over CPUs by user space.  X(name, help) */
#define OVSX_XDP_COUNTERS(X)                                                   \
	X(RX_PACKETS, "frames seen by the fast path")                          \
	X(RX_BYTES, "bytes of the frames seen by the fast path")               \
	X(PASS_PACKETS, "frames handed to the kernel datapath (XDP_PASS)")    

enum ovsx_counter {
#define OVSX_COUNTER_ENUM(name, help) OVSX_CTR_##name,
	OVSX_XDP_COUNTERS(OVSX_COUNTER_ENUM)
#undef OVSX_COUNTER_ENUM
	OVSX_CTR__MAX
};

struct ovsx_counter_val {
	__u64 value;
};

_Static_assert(sizeof(struct ovsx_counter_val) == 8, "counter value size");

#endif
