/* Ingress device -> datapath port (include/ovs-xdp-abi.h: ports[] below
 * OVSX_PORT_INDEX_LIMIT, ports_far[] above).
 *
 * The entry is read as one 8-byte word into the frame's own copy: user
 * space rewrites array entries in place, and a frame must not take its
 * port number from one version and its flags from another. */
#ifndef OVSX_XDP_PORT_H
#define OVSX_XDP_PORT_H

#include <stdbool.h>

#include "maps.h"

static __always_inline bool port_copy(const void *entry, struct ovsx_port *out)
{
	__u64 word;

	if (!entry)
		return false;
	word = *(volatile const __u64 *)entry;
	__builtin_memcpy(out, &word, sizeof(*out));
	return out->flags & OVSX_PORT_ACTIVE;
}

/* A global function: were both lookups in one function, clang could merge
 * them into one call whose map the verifier cannot know, and the array's
 * lookup would no longer be inlined. */
__attribute__((noinline)) int ovsx_port_far(__u32 ifindex,
					    struct ovsx_port *out)
{
	if (!out)
		return 0;
	return port_copy(bpf_map_lookup_elem(&ports_far, &ifindex), out);
}

/* The port frames from 'ifindex' enter the datapath on, into *out; false
 * if it is not an accelerated port. */
static __always_inline bool port_of(__u32 ifindex, struct ovsx_port *out)
{
	if (ifindex >= OVSX_PORT_INDEX_LIMIT)
		return ovsx_port_far(ifindex, out);
	return port_copy(bpf_map_lookup_elem(&ports, &ifindex), out);
}

#endif
