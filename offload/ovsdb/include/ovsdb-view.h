/* What Open vSwitch's own database says about its ports that neither the
 * datapath nor tc shows: which ports are bonds and how they balance, and
 * whether ovs-vswitchd offloads flows to tc (other_config:hw-offload).
 *
 * Read-only, over the database's JSON-RPC socket (RFC 7047,
 * /run/openvswitch/db.sock): one "transact" of three selects per port
 * refresh, answered in a few milliseconds by ovsdb-server. */
#ifndef OVSX_OVSDB_VIEW_H
#define OVSX_OVSDB_VIEW_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>

#define OVSDB_DEFAULT_SOCKET "/run/openvswitch/db.sock"

struct ovsdb_iface {
	char name[IFNAMSIZ];
	/* The bond's bond_mode if the interface is a member of a bond (a
	 * Port with several interfaces; "active-backup" when unset), else
	 * "". */
	char bond_mode[24];
};

struct ovsdb_view {
	bool hw_offload; /* Open_vSwitch other_config:hw-offload=true */
	struct ovsdb_iface *ifaces;
	size_t n_ifaces;
};

/* Asks the server at 'path' (a unix socket), waiting at most timeout_ms.
 * Returns 0, -ENOENT/-ECONNREFUSED when no server listens there,
 * -ETIMEDOUT, -EPROTO for an answer it cannot read, or another negative
 * errno.  On error *out is empty. */
int ovsdb_view_read(const char *path, int timeout_ms, struct ovsdb_view *out);
/* Decodes the server's reply to ovsdb_view_read()'s request (exposed for
 * tests and the fuzzer).  0 or -EPROTO. */
int ovsdb_view_parse(const char *json, size_t len, struct ovsdb_view *out);
void ovsdb_view_free(struct ovsdb_view *v);
const struct ovsdb_iface *ovsdb_view_find(const struct ovsdb_view *v,
					  const char *name);
/* Whether a bond mode's rebalancing reads the kernel flows' counts
 * (balance-slb moves source MACs by the bytes each sent, balance-tcp
 * hashes by the bytes per hash): flows that output to such members must
 * keep their counts in the kernel. */
bool ovsdb_bond_counts_bytes(const char *bond_mode);

#endif
