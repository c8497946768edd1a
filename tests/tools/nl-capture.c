/* ovsx-nlcapture DATAPATH OUTDIR: writes the raw netlink messages of a
 * datapath's flow dump (flows.nlmsg), of its vport dump (vports.nlmsg) and of
 * the datapath itself (datapath.nlmsg) into OUTDIR, each file the messages
 * back to back as the kernel sent them.  Used to capture test fixtures and
 * fuzz seeds from real Open vSwitch in the test VM. */
#include <errno.h>
#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovs-nl-private.h"

struct sink {
	FILE *f;
	int n;
};

static int write_raw(const struct nlmsghdr *nlh, void *aux)
{
	struct sink *s = aux;

	if (fwrite(nlh, 1, nlh->nlmsg_len, s->f) != nlh->nlmsg_len)
		return -EIO;
	s->n++;
	return 0;
}

static int capture(struct ovs_nl *nl, struct nl_msg *msg, const char *dir,
		   const char *name)
{
	struct sink s = {0};
	struct transaction t = {.handle = write_raw, .aux = &s};
	char path[4096];
	int err;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	s.f = fopen(path, "wb");
	if (!s.f || !msg) {
		fprintf(stderr, "ovsx-nlcapture: cannot write %s\n", path);
		return 1;
	}
	err = ovs_nl_transact(nl, msg, &t);
	nlmsg_free(msg);
	if (fclose(s.f) || err) {
		fprintf(stderr, "ovsx-nlcapture: %s: %s\n", name,
			strerror(-err));
		return 1;
	}
	printf("%s: %d messages\n", name, s.n);
	return 0;
}

int main(int argc, char **argv)
{
	const struct ovs_families *fam;
	struct ovs_dp_info dp;
	struct ovs_nl *nl;
	struct nl_msg *msg;
	int err, rc = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: ovsx-nlcapture DATAPATH OUTDIR\n");
		return 2;
	}
	err = ovs_nl_open(&nl);
	if (!err)
		err = ovs_nl_dp_get(nl, argv[1], 0, &dp);
	if (err) {
		fprintf(stderr, "ovsx-nlcapture: %s: %s\n", argv[1],
			strerror(-err));
		return 1;
	}
	fam = ovs_nl_families(nl);
	msg = ovs_nl_request(fam->datapath, 0, OVS_DP_CMD_GET,
			     OVS_DATAPATH_VERSION, dp.dp_ifindex);
	rc |= capture(nl, msg, argv[2], "datapath.nlmsg");
	msg = ovs_nl_request(fam->vport, NLM_F_DUMP, OVS_VPORT_CMD_GET,
			     OVS_VPORT_VERSION, dp.dp_ifindex);
	rc |= capture(nl, msg, argv[2], "vports.nlmsg");
	msg = ovs_nl_request(fam->flow, NLM_F_DUMP, OVS_FLOW_CMD_GET,
			     OVS_FLOW_VERSION, dp.dp_ifindex);
	rc |= capture(nl, msg, argv[2], "flows.nlmsg");
	ovs_nl_close(nl);
	return rc;
}
