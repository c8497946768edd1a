/* The kernel as a mirror source (struct mirror_source, engine/mirror.h):
 * the flows of datapath dp_ifindex, read through an ovs_nl request socket.
 * live-mirror.h wires it to the notification socket. */
#ifndef OVSX_MIRROR_KERNEL_H
#define OVSX_MIRROR_KERNEL_H

#include "mirror.h"
#include "ovs-nl.h"

/* Both fields may change while a mirror uses the source (a re-created
 * datapath has a new dp_ifindex); the mirror reads them at each call. */
struct mirror_kernel_source {
	struct ovs_nl *nl;
	int dp_ifindex;
};
void mirror_kernel_source_init(struct mirror_source *src,
			       struct mirror_kernel_source *ks);

#endif
