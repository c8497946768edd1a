/* netns tier: the Open vSwitch database as the agent reads it, from a real
 * ovsdb-server (the host has Open vSwitch's programs, no kernel module:
 * ovs-vsctl --no-wait writes the database without ovs-vswitchd).  Bond
 * members and their mode, hw-offload, and the errors of a missing server
 * or an unreadable answer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netns-pair.h"
#include "ovsdb-view.h"
#include "test.h"

#define DIR   "/tmp/ovsx-t-ovsdb"
#define VSCTL "ovs-vsctl --db=unix:" DIR "/db.sock --no-wait --timeout=30 "

static void stop_server(void)
{
	netns_sh("[ -f " DIR "/pid ] && kill $(cat " DIR "/pid) 2>/dev/null; "
		 "rm -rf " DIR);
}

static void start_server_or_skip(void)
{
	if (netns_sh("command -v ovsdb-server >/dev/null && "
		     "[ -f /usr/share/openvswitch/vswitch.ovsschema ]"))
		test_skip_all("no ovsdb-server (tools/install-deps.sh)");
	stop_server();
	CHECK_INT(netns_sh("mkdir -p " DIR " && ovsdb-tool create " DIR
			   "/conf.db /usr/share/openvswitch/vswitch.ovsschema "
			   "&& ovsdb-server --remote=punix:" DIR "/db.sock "
			   "--pidfile=" DIR "/pid --unixctl=" DIR "/ctl "
			   "--detach --no-chdir "
			   "--log-file=" DIR "/log " DIR "/conf.db"),
		  0);
	atexit(stop_server);
	CHECK_INT(netns_sh(VSCTL "init"), 0);
}

TEST(bonds_and_hw_offload)
{
	struct ovsdb_view v;
	const struct ovsdb_iface *i;

	start_server_or_skip();
	CHECK_INT(netns_sh(VSCTL "add-br br0 -- add-port br0 p0 -- "
				 "add-bond br0 slb m1 m2 bond_mode=balance-slb "
				 "-- add-bond br0 ab m3 m4"),
		  0);
	CHECK_INT(ovsdb_view_read(DIR "/db.sock", 10000, &v), 0);
	CHECK(!v.hw_offload);
	CHECK_INT((int)v.n_ifaces, 6); /* br0 p0 m1 m2 m3 m4 */
	i = ovsdb_view_find(&v, "p0");
	CHECK(i && !i->bond_mode[0]);
	i = ovsdb_view_find(&v, "m2");
	CHECK(i && !strcmp(i->bond_mode, "balance-slb"));
	CHECK(ovsdb_bond_counts_bytes("balance-slb"));
	i = ovsdb_view_find(&v, "m3");
	CHECK(i && !strcmp(i->bond_mode, "active-backup"));
	CHECK(!ovsdb_bond_counts_bytes("active-backup"));
	CHECK(!ovsdb_view_find(&v, "nosuch"));
	ovsdb_view_free(&v);

	CHECK_INT(netns_sh(VSCTL "set Open_vSwitch . "
				 "other_config:hw-offload=true -- "
				 "set port ab bond_mode=balance-tcp"),
		  0);
	CHECK_INT(ovsdb_view_read(DIR "/db.sock", 10000, &v), 0);
	CHECK(v.hw_offload);
	i = ovsdb_view_find(&v, "m4");
	CHECK(i && !strcmp(i->bond_mode, "balance-tcp"));
	ovsdb_view_free(&v);
}

TEST(no_server_and_bad_answers)
{
	static const char *const bad[] = {
		"",
		"[]",
		"{\"id\":1,\"result\":null,\"error\":\"x\"}",
		"{\"id\":1,\"result\":[{\"rows\":[{\"name\":\"a\"}]},"
		"{\"rows\":[]},{\"rows\":[]}]}",
		"{\"id\":1,\"result\":[{\"rows\":[]},{\"rows\":[{}]},"
		"{\"rows\":[]}]}",
	};
	struct ovsdb_view v;

	CHECK_INT(ovsdb_view_read("/nonexistent/db.sock", 1000, &v), -ENOENT);
	CHECK_INT((int)v.n_ifaces, 0);
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
		CHECK_INT(ovsdb_view_parse(bad[k], strlen(bad[k]), &v),
			  -EPROTO);
	/* The smallest good answer: no rows anywhere. */
	static const char good[] = "{\"id\":1,\"result\":[{\"rows\":[]},"
				   "{\"rows\":[]},{\"rows\":[]}],"
				   "\"error\":null}";

	CHECK_INT(ovsdb_view_parse(good, sizeof good - 1, &v), 0);
	ovsdb_view_free(&v);
}
