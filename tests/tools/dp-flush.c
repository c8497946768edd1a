/* ovsx-dp-flush DATAPATH: empties a datapath's flow table the way
 * `ovs-dpctl del-flows` does (OVS_FLOW_CMD_DEL without a key), which the
 * kernel does not notify, and nothing else: it only looks the datapath up
 * (OVS_DP_CMD_GET).  In the test VM, `ovs-dpctl del-flows` was followed
 * by an immediate resynchronisation of the agent's mirror with neither a
 * flow-count mismatch nor a silent-delete proof, as after a datapath
 * notification (opening a datapath, ovs-dpctl may set its features),
 * which would hide what a test of the flush detection wants to see. */
#include <stdio.h>
#include <string.h>

#include "ovs-nl.h"

int main(int argc, char **argv)
{
	struct ovs_dp_info dp;
	struct ovs_nl *nl;
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: ovsx-dp-flush DATAPATH\n");
		return 2;
	}
	err = ovs_nl_open(&nl);
	if (!err)
		err = ovs_nl_dp_get(nl, argv[1], 0, &dp);
	if (!err)
		err = ovs_nl_flow_flush(nl, dp.dp_ifindex);
	ovs_nl_close(nl);
	if (err) {
		fprintf(stderr, "ovsx-dp-flush: %s: %s\n", argv[1],
			strerror(-err));
		return 1;
	}
	return 0;
}
