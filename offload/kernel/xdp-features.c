/* Reading XDP features from the netdev family (see include/xdp-features.h). */
#include "xdp-features.h"

#include <errno.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <stdbool.h>

#include "ovs-nl.h"

/* linux/netdev.h, version 1 of the family. */
#define NETDEV_FAMILY		  "netdev"
#define NETDEV_CMD_DEV_GET	  1
#define NETDEV_A_DEV_IFINDEX	  1
#define NETDEV_A_DEV_XDP_FEATURES 3

struct reply {
	bool seen;
	uint64_t features;
};

static int on_dev(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[NETDEV_A_DEV_XDP_FEATURES + 1];
	struct reply *r = arg;

	if (genlmsg_parse(nlmsg_hdr(msg), 0, tb, NETDEV_A_DEV_XDP_FEATURES,
			  NULL) ||
	    !tb[NETDEV_A_DEV_XDP_FEATURES] ||
	    nla_len(tb[NETDEV_A_DEV_XDP_FEATURES]) != sizeof(uint64_t))
		return NL_SKIP;
	r->features = nla_get_u64(tb[NETDEV_A_DEV_XDP_FEATURES]);
	r->seen = true;
	return NL_OK;
}

int xdp_features_get(int ifindex, uint64_t *out)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct reply r = {0};
	struct nl_msg *msg = NULL;
	int family, err;

	*out = 0;
	if (!sk)
		return -ENOMEM;
	err = ovs_nl_errno(genl_connect(sk));
	if (err)
		goto out;
	family = genl_ctrl_resolve(sk, NETDEV_FAMILY);
	if (family < 0) {
		err = family == -NLE_OBJ_NOTFOUND ? -EOPNOTSUPP
						  : ovs_nl_errno(family);
		goto out;
	}
	msg = nlmsg_alloc();
	if (!msg ||
	    !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0,
			 NETDEV_CMD_DEV_GET, 1) ||
	    nla_put_u32(msg, NETDEV_A_DEV_IFINDEX, (uint32_t)ifindex)) {
		err = -ENOMEM;
		goto out;
	}
	nl_socket_modify_cb(sk, NL_CB_VALID, NL_CB_CUSTOM, on_dev, &r);
	err = nl_send_auto(sk, msg); /* bytes sent, or -NLE_* */
	err = err < 0 ? ovs_nl_errno(err)
		      : ovs_nl_errno(nl_recvmsgs_default(sk));
	if (!err && !r.seen)
		err = -EIO;
	if (!err)
		*out = r.features;
out:
	nlmsg_free(msg);
	nl_socket_free(sk);
	return err;
}
