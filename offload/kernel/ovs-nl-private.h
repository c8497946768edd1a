/* Internals shared by ovs-nl.c (datapaths, vports) and ovs-nl-flow.c
 * (flows): the socket and the request/transaction helpers. */
#ifndef OVSX_OVS_NL_PRIVATE_H
#define OVSX_OVS_NL_PRIVATE_H

#include <netlink/msg.h>
#include <netlink/netlink.h>

#include "ovs-nl.h"

struct ovs_nl {
	struct nl_sock *sk;
	struct ovs_families fam;
};

/* One request in flight. */
struct transaction {
	int (*handle)(const struct nlmsghdr *nlh, void *aux);
	void *aux;
	int cb_err;	/* first non-zero return of handle() */
	int kernel_err; /* errno from an NLMSG_ERROR, negative */
	bool done;
};

/* Starts a request to 'family'; dumps get NLM_F_DUMP, others NLM_F_ACK so
 * that the end of the transaction is always explicit.  NULL: no memory. */
struct nl_msg *ovs_nl_request(int family, int flags, int cmd, int version,
			      int dp_ifindex);
/* Sends msg and reads until the transaction ends, feeding every reply
 * message to t->handle.  Returns the kernel's errno, else the handler's
 * first non-zero return, else 0. */
int ovs_nl_transact(struct ovs_nl *nl, struct nl_msg *msg,
		    struct transaction *t);

#endif
