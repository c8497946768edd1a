/* Requests to the openvswitch kernel module (see include/ovs-nl.h).
 *
 * libnl does the socket work; decoding is ovs-msg.c's.  Each request is a
 * transaction: send, then read until DONE (dumps), ACK (everything else,
 * which asks for one) or an error, whose errno is kept as the kernel sent it
 * rather than through libnl's lossy error codes. */
#include "ovs-nl.h"

#include <errno.h>
#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "nlattr.h"
#include "ovs-nl-private.h"
#include "vec.h"

LOG_MODULE("ovs_nl");

#define OVS_NL_MSG_BUF (64 * 1024)

int ovs_nl_errno(int nlerr)
{
	switch (nlerr < 0 ? -nlerr : nlerr) {
	case 0:
		return 0;
	case NLE_NOMEM:
		return -ENOMEM;
	case NLE_PERM:
		return -EPERM;
	case NLE_NOACCESS:
		return -EACCES;
	case NLE_OBJ_NOTFOUND:
		return -ENOENT;
	case NLE_EXIST:
		return -EEXIST;
	case NLE_INVAL:
		return -EINVAL;
	case NLE_BUSY:
		return -EBUSY;
	case NLE_AGAIN:
		return -EAGAIN;
	case NLE_INTR:
		return -EINTR;
	case NLE_NODEV:
		return -ENODEV;
	case NLE_OPNOTSUPP:
		return -EOPNOTSUPP;
	case NLE_MSGSIZE:
		return -EMSGSIZE;
	case NLE_RANGE:
		return -ERANGE;
	case NLE_BAD_SOCK:
		return -EBADF;
	case NLE_DUMP_INTR:
		return -EINTR;
	default:
		return -EIO;
	}
}

static int resolve(struct nl_sock *sk, const char *name)
{
	int id = genl_ctrl_resolve(sk, name);

	return id < 0 ? ovs_nl_errno(id) : id;
}

int ovs_nl_open(struct ovs_nl **out)
{
	struct ovs_nl *nl = calloc(1, sizeof *nl);
	int err;

	*out = NULL;
	if (!nl)
		return -ENOMEM;
	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		err = -ENOMEM;
		goto free_nl;
	}
	err = ovs_nl_errno(genl_connect(nl->sk));
	if (err)
		goto free_sock;
	nl_socket_set_msg_buf_size(nl->sk, OVS_NL_MSG_BUF);
	nl_socket_enable_msg_peek(nl->sk);

	nl->fam.datapath = resolve(nl->sk, OVS_DATAPATH_FAMILY);
	nl->fam.vport = resolve(nl->sk, OVS_VPORT_FAMILY);
	nl->fam.flow = resolve(nl->sk, OVS_FLOW_FAMILY);
	if (nl->fam.datapath < 0 || nl->fam.vport < 0 || nl->fam.flow < 0) {
		err = nl->fam.datapath < 0 ? nl->fam.datapath
		      : nl->fam.vport < 0  ? nl->fam.vport
					   : nl->fam.flow;
		goto free_sock;
	}
	*out = nl;
	return 0;

free_sock:
	nl_socket_free(nl->sk);
free_nl:
	free(nl);
	return err;
}

void ovs_nl_close(struct ovs_nl *nl)
{
	if (!nl)
		return;
	nl_socket_free(nl->sk);
	free(nl);
}

const struct ovs_families *ovs_nl_families(const struct ovs_nl *nl)
{
	return &nl->fam;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct transaction *t = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	/* After a callback failure keep reading, so the socket is left with
	 * no stale dump parts, but deliver nothing more. */
	if (t->handle && !t->cb_err)
		t->cb_err = t->handle(nlh, t->aux);
	return NL_OK;
}

static int on_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct transaction *t = arg;

	(void)who;
	t->kernel_err = e->error < 0 ? e->error : -e->error;
	t->done = true;
	return NL_STOP;
}

static int on_done(struct nl_msg *msg, void *arg)
{
	struct transaction *t = arg;

	(void)msg;
	t->done = true;
	return NL_STOP;
}

int ovs_nl_transact(struct ovs_nl *nl, struct nl_msg *msg,
		    struct transaction *t)
{
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int err;

	if (!cb)
		return -ENOMEM;
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, t);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_done, t);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_done, t);
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, t);

	err = nl_send_auto(nl->sk, msg);
	if (err < 0) {
		err = ovs_nl_errno(err);
		goto out;
	}
	err = 0;
	while (!t->done) {
		int ret = nl_recvmsgs(nl->sk, cb);

		if (ret < 0 && !t->done) {
			err = ovs_nl_errno(ret);
			break;
		}
	}
	if (!err)
		err = t->kernel_err ? t->kernel_err : t->cb_err;
out:
	nl_cb_put(cb);
	return err;
}

struct nl_msg *ovs_nl_request(int family, int flags, int cmd, int version,
			      int dp_ifindex)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct ovs_header *hdr;

	if (!msg)
		return NULL;
	if (!(flags & NLM_F_DUMP))
		flags |= NLM_F_ACK;
	hdr = genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, sizeof *hdr,
			  flags, cmd, version);
	if (!hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	hdr->dp_ifindex = dp_ifindex;
	return msg;
}

struct dp_ctx {
	ovs_dp_cb cb;
	void *aux;
};

static int handle_dp(const struct nlmsghdr *nlh, void *aux)
{
	struct dp_ctx *c = aux;
	struct ovs_dp_info dp;
	const char *why;

	if (ovs_msg_parse_dp(nlh, nlh->nlmsg_len, &dp, &why)) {
		LOG_WARN_RL("ignoring datapath message: %s", why);
		return 0;
	}
	return c->cb(&dp, c->aux);
}

int ovs_nl_dp_dump(struct ovs_nl *nl, ovs_dp_cb cb, void *aux)
{
	struct dp_ctx c = {cb, aux};
	struct transaction t = {.handle = handle_dp, .aux = &c};
	struct nl_msg *msg =
		ovs_nl_request(nl->fam.datapath, NLM_F_DUMP, OVS_DP_CMD_GET,
			       OVS_DATAPATH_VERSION, 0);
	int err;

	if (!msg)
		return -ENOMEM;
	err = ovs_nl_transact(nl, msg, &t);
	nlmsg_free(msg);
	return err;
}

static int copy_dp(const struct ovs_dp_info *dp, void *aux)
{
	*(struct ovs_dp_info *)aux = *dp;
	return 0;
}

int ovs_nl_dp_get(struct ovs_nl *nl, const char *name, int dp_ifindex,
		  struct ovs_dp_info *out)
{
	struct dp_ctx c = {copy_dp, out};
	struct transaction t = {.handle = handle_dp, .aux = &c};
	struct nl_msg *msg =
		ovs_nl_request(nl->fam.datapath, 0, OVS_DP_CMD_GET,
			       OVS_DATAPATH_VERSION, name ? 0 : dp_ifindex);
	int err;

	if (!msg)
		return -ENOMEM;
	memset(out, 0, sizeof *out);
	if (name && nla_put_string(msg, OVS_DP_ATTR_NAME, name) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	err = ovs_nl_transact(nl, msg, &t);
	nlmsg_free(msg);
	return err;
}

struct vport_ctx {
	ovs_vport_cb cb;
	void *aux;
};

static int handle_vport(const struct nlmsghdr *nlh, void *aux)
{
	struct vport_ctx *c = aux;
	struct ovs_vport_info vp;
	const char *why;

	if (ovs_msg_parse_vport(nlh, nlh->nlmsg_len, &vp, &why)) {
		LOG_WARN_RL("ignoring vport message: %s", why);
		return 0;
	}
	return c->cb(&vp, c->aux);
}

int ovs_nl_vport_dump(struct ovs_nl *nl, int dp_ifindex, ovs_vport_cb cb,
		      void *aux)
{
	struct vport_ctx c = {cb, aux};
	struct transaction t = {.handle = handle_vport, .aux = &c};
	struct nl_msg *msg =
		ovs_nl_request(nl->fam.vport, NLM_F_DUMP, OVS_VPORT_CMD_GET,
			       OVS_VPORT_VERSION, dp_ifindex);
	int err;

	if (!msg)
		return -ENOMEM;
	err = ovs_nl_transact(nl, msg, &t);
	nlmsg_free(msg);
	return err;
}

struct vport_list {
	struct ovs_vport_info *v;
	size_t n, cap;
};

static int collect_vport(const struct ovs_vport_info *vp, void *aux)
{
	struct vport_list *l = aux;
	struct ovs_vport_info *v = vec_grow(l->v, &l->cap, l->n, sizeof *v);

	if (!v)
		return -ENOMEM;
	l->v = v;
	l->v[l->n++] = *vp;
	return 0;
}

static int by_port_no(const void *a, const void *b)
{
	const struct ovs_vport_info *x = a, *y = b;

	return (x->port_no > y->port_no) - (x->port_no < y->port_no);
}

int ovs_nl_vport_list(struct ovs_nl *nl, int dp_ifindex,
		      struct ovs_vport_info **out, size_t *n)
{
	struct vport_list l = {0};
	int err = ovs_nl_vport_dump(nl, dp_ifindex, collect_vport, &l);

	if (err) {
		free(l.v);
		return err;
	}
	if (l.n)
		qsort(l.v, l.n, sizeof *l.v, by_port_no);
	*out = l.v;
	*n = l.n;
	return 0;
}
