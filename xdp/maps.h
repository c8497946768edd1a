/* Every map of the fast path, as include/ovs-xdp-abi.h describes them.
 *
 * Capacities are the ABI defaults.  User space may resize masks, flows,
 * actions, flow_stats and keepalive with bpf_map__set_max_entries() before
 * loading, so the program never assumes these sizes: an index beyond a map
 * simply finds nothing.
 *
 * The devmaps hold struct bpf_devmap_val (ifindex, no egress program),
 * keyed by ifindex; the broadcast groups ignore their keys. */
#ifndef OVSX_XDP_MAPS_H
#define OVSX_XDP_MAPS_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "ovs-xdp-abi.h"

/* ifindex -> datapath port, for ifindexes below OVSX_PORT_INDEX_LIMIT;
 * user space writes it through mmap. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OVSX_PORT_INDEX_LIMIT);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct ovsx_port);
} ports SEC(".maps");

/* The same for larger ifindexes.  Not preallocated, so that an update
 * replaces an entry as a whole (RCU). */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, OVSX_MAX_PORTS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct ovsx_port);
} ports_far SEC(".maps");

/* One entry, written by user space through mmap. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_MMAPABLE);
	__type(key, __u32);
	__type(value, struct ovsx_config);
} config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OVSX_DEFAULT_MAX_MASKS);
	__type(key, __u32);
	__type(value, struct ovsx_mask);
} masks SEC(".maps");

/* Not preallocated, so an update replaces the value as a whole (RCU):
 * a lookup sees the old slot or the new one. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, OVSX_DEFAULT_MAX_FLOWS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct ovsx_flow_key);
	__type(value, struct ovsx_flow_ref);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OVSX_DEFAULT_MAX_FLOWS);
	__type(key, __u32);
	__type(value, struct ovsx_actions);
} actions SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, OVSX_DEFAULT_MAX_FLOWS);
	__type(key, __u32);
	__type(value, struct ovsx_flow_stats);
} flow_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, OVSX_DEFAULT_MAX_FLOWS);
	__type(key, __u32);
	__type(value, struct ovsx_keepalive);
} keepalive SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, OVSX_EMC_SETS);
	__type(key, __u32);
	__type(value, struct ovsx_emc_set);
} emc SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, OVSX_MAX_PORTS);
	__type(key, __u32);
	__type(value, struct ovsx_port_stats);
} port_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct ovsx_counters);
} counters SEC(".maps");

/* Devmaps take sizes, not BTF types: older kernels refuse BTF on them. */
#define OVSX_DEVMAP(name, entries)                                 \
	struct {                                                   \
		__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);            \
		__uint(max_entries, entries);                      \
		__uint(key_size, sizeof(__u32));                   \
		__uint(value_size, sizeof(struct bpf_devmap_val)); \
	} name SEC(".maps")

OVSX_DEVMAP(tx_ports, OVSX_MAX_PORTS);
OVSX_DEVMAP(group_0, OVSX_MAX_GROUP_PORTS);
OVSX_DEVMAP(group_1, OVSX_MAX_GROUP_PORTS);
OVSX_DEVMAP(group_2, OVSX_MAX_GROUP_PORTS);
OVSX_DEVMAP(group_3, OVSX_MAX_GROUP_PORTS);
OVSX_DEVMAP(group_4, OVSX_MAX_GROUP_PORTS);
OVSX_DEVMAP(group_5, OVSX_MAX_GROUP_PORTS);
OVSX_DEVMAP(group_6, OVSX_MAX_GROUP_PORTS);
OVSX_DEVMAP(group_7, OVSX_MAX_GROUP_PORTS);
OVSX_DEVMAP(group_8, OVSX_MAX_GROUP_PORTS);
OVSX_DEVMAP(group_9, OVSX_MAX_GROUP_PORTS);
OVSX_DEVMAP(group_10, OVSX_MAX_GROUP_PORTS);
OVSX_DEVMAP(group_11, OVSX_MAX_GROUP_PORTS);
OVSX_DEVMAP(group_12, OVSX_MAX_GROUP_PORTS);
OVSX_DEVMAP(group_13, OVSX_MAX_GROUP_PORTS);
OVSX_DEVMAP(group_14, OVSX_MAX_GROUP_PORTS);
OVSX_DEVMAP(group_15, OVSX_MAX_GROUP_PORTS);

_Static_assert(OVSX_MAX_GROUPS == 16, "one group_N map per group");

#endif
