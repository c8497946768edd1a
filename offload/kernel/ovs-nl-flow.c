/* Flow requests to the openvswitch kernel module: dump, get, put, delete
 * (see include/ovs-nl.h). */
#include <errno.h>
#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "nlattr.h"
#include "ovs-nl-private.h"
#include "vec.h"

LOG_MODULE("ovs_nl");

/* Flows whose actions the dump left out, fetched once the dump is over
 * (the socket cannot carry a second request while a dump is running). */
struct pending {
	struct odp_flow *flows;
	size_t n, cap;
};

struct flow_dump_ctx {
	ovs_flow_cb cb;
	void *aux;
	struct odp_flow flow; /* reused for every message */
	struct pending pending;
	int err;
};

static int remember(struct pending *p, const struct odp_flow *f)
{
	struct odp_flow *flows =
		vec_grow(p->flows, &p->cap, p->n, sizeof *flows);

	if (!flows)
		return -ENOMEM;
	p->flows = flows;
	if (odp_flow_copy(&p->flows[p->n], f))
		return -ENOMEM;
	p->n++;
	return 0;
}

static void pending_free(struct pending *p)
{
	for (size_t i = 0; i < p->n; i++)
		odp_flow_destroy(&p->flows[i]);
	free(p->flows);
	memset(p, 0, sizeof *p);
}

static int handle_dumped_flow(const struct nlmsghdr *nlh, void *aux)
{
	struct flow_dump_ctx *c = aux;
	const char *why;
	int err;

	err = ovs_msg_parse_flow(nlh, nlh->nlmsg_len, &c->flow, &why);
	if (err == -ENOMEM)
		return err;
	if (err) {
		LOG_WARN_RL("ignoring flow message: %s", why);
		return 0;
	}
	if (!c->flow.has_actions)
		return remember(&c->pending, &c->flow);
	return c->cb(&c->flow, c->aux);
}

static int deliver_pending(struct ovs_nl *nl, int dp_ifindex,
			   struct flow_dump_ctx *c)
{
	for (size_t i = 0; i < c->pending.n; i++) {
		struct odp_flow full;
		int err;

		odp_flow_init(&full);
		err = ovs_nl_flow_get(nl, dp_ifindex, &c->pending.flows[i],
				      &full);
		if (err == -ENOENT) /* deleted since the dump saw it */
			continue;
		if (!err)
			err = c->cb(&full, c->aux);
		odp_flow_destroy(&full);
		if (err)
			return err;
	}
	return 0;
}

int ovs_nl_flow_dump(struct ovs_nl *nl, int dp_ifindex, ovs_flow_cb cb,
		     void *aux)
{
	struct flow_dump_ctx c = {.cb = cb, .aux = aux};
	struct transaction t = {.handle = handle_dumped_flow, .aux = &c};
	struct nl_msg *msg;
	int err;

	msg = ovs_nl_request(nl->fam.flow, NLM_F_DUMP, OVS_FLOW_CMD_GET,
			     OVS_FLOW_VERSION, dp_ifindex);
	if (!msg)
		return -ENOMEM;
	odp_flow_init(&c.flow);
	err = ovs_nl_transact(nl, msg, &t);
	nlmsg_free(msg);
	odp_flow_destroy(&c.flow);
	if (!err)
		err = deliver_pending(nl, dp_ifindex, &c);
	pending_free(&c.pending);
	return err;
}

/* Adds the attribute that names the flow: its UFID, or else its key. */
static int put_identity(struct nl_msg *msg, const struct odp_flow *id)
{
	if (id->ufid_len)
		return nla_put(msg, OVS_FLOW_ATTR_UFID, id->ufid_len, id->ufid);
	return nla_put(msg, OVS_FLOW_ATTR_KEY, (int)id->key.len, id->key.data);
}

static int handle_one_flow(const struct nlmsghdr *nlh, void *aux)
{
	const char *why;
	int err = ovs_msg_parse_flow(nlh, nlh->nlmsg_len, aux, &why);

	if (err && err != -ENOMEM)
		LOG_WARN_RL("bad flow reply: %s", why);
	return err;
}

int ovs_nl_flow_get(struct ovs_nl *nl, int dp_ifindex,
		    const struct odp_flow *id, struct odp_flow *out)
{
	struct transaction t = {.handle = handle_one_flow, .aux = out};
	struct nl_msg *msg;
	int err;

	msg = ovs_nl_request(nl->fam.flow, 0, OVS_FLOW_CMD_GET,
			     OVS_FLOW_VERSION, dp_ifindex);
	if (!msg)
		return -ENOMEM;
	err = put_identity(msg, id) < 0 ? -EMSGSIZE
					: ovs_nl_transact(nl, msg, &t);
	nlmsg_free(msg);
	return err;
}

static int flow_write(struct ovs_nl *nl, int dp_ifindex,
		      const struct odp_flow *f, uint8_t cmd, int flags)
{
	struct transaction t = {0};
	struct nl_msg *msg;
	int err = 0;

	msg = ovs_nl_request(nl->fam.flow, flags, cmd, OVS_FLOW_VERSION,
			     dp_ifindex);
	if (!msg)
		return -ENOMEM;
	if (f->ufid_len &&
	    nla_put(msg, OVS_FLOW_ATTR_UFID, f->ufid_len, f->ufid) < 0)
		err = -EMSGSIZE;
	if (!err &&
	    nla_put(msg, OVS_FLOW_ATTR_KEY, (int)f->key.len, f->key.data) < 0)
		err = -EMSGSIZE;
	if (!err && f->has_mask &&
	    nla_put(msg, OVS_FLOW_ATTR_MASK, (int)f->mask.len, f->mask.data) <
		    0)
		err = -EMSGSIZE;
	if (!err && nla_put(msg, OVS_FLOW_ATTR_ACTIONS, (int)f->actions.len,
			    f->actions.data) < 0)
		err = -EMSGSIZE;
	if (!err)
		err = ovs_nl_transact(nl, msg, &t);
	nlmsg_free(msg);
	return err;
}

int ovs_nl_flow_put(struct ovs_nl *nl, int dp_ifindex, const struct odp_flow *f,
		    bool create)
{
	return flow_write(nl, dp_ifindex, f, OVS_FLOW_CMD_NEW,
			  create ? NLM_F_CREATE : 0);
}

int ovs_nl_flow_set(struct ovs_nl *nl, int dp_ifindex, const struct odp_flow *f)
{
	return flow_write(nl, dp_ifindex, f, OVS_FLOW_CMD_SET, 0);
}

int ovs_nl_flow_del(struct ovs_nl *nl, int dp_ifindex,
		    const struct odp_flow *id)
{
	struct transaction t = {0};
	struct nl_msg *msg;
	int err;

	msg = ovs_nl_request(nl->fam.flow, 0, OVS_FLOW_CMD_DEL,
			     OVS_FLOW_VERSION, dp_ifindex);
	if (!msg)
		return -ENOMEM;
	err = put_identity(msg, id) < 0 ? -EMSGSIZE
					: ovs_nl_transact(nl, msg, &t);
	nlmsg_free(msg);
	return err;
}

int ovs_nl_flow_flush(struct ovs_nl *nl, int dp_ifindex)
{
	struct transaction t = {0};
	struct nl_msg *msg;
	int err;

	/* A DEL without key or UFID: ovs_flow_cmd_del() flushes the table,
	 * and sends no notification. */
	msg = ovs_nl_request(nl->fam.flow, 0, OVS_FLOW_CMD_DEL,
			     OVS_FLOW_VERSION, dp_ifindex);
	if (!msg)
		return -ENOMEM;
	err = ovs_nl_transact(nl, msg, &t);
	nlmsg_free(msg);
	return err;
}
