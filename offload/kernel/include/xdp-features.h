/* A device's XDP features as the kernel advertises them: the "netdev"
 * generic netlink family (Linux >= 6.3), the same bits `ynl --family
 * netdev` shows.  Drivers keep NDO_XMIT up to date: virtio_net, ixgbe,
 * i40e, ice set it only while an XDP program is attached (they take
 * redirected frames only then), veth only while its peer runs NAPI. */
#ifndef OVSX_XDP_FEATURES_H
#define OVSX_XDP_FEATURES_H

#include <stdint.h>

/* enum netdev_xdp_act of linux/netdev.h, which Debian 12's headers lack. */
#define XDP_FEATURE_BASIC	(1ULL << 0)
#define XDP_FEATURE_REDIRECT	(1ULL << 1)
#define XDP_FEATURE_NDO_XMIT	(1ULL << 2)
#define XDP_FEATURE_NDO_XMIT_SG (1ULL << 6)

/* The features of device 'ifindex' in the caller's network namespace.
 * Returns 0, -EOPNOTSUPP when the kernel has no netdev family (before
 * 6.3: nothing to read), -ENODEV for a missing device, or another
 * negative errno. */
int xdp_features_get(int ifindex, uint64_t *out);

#endif
