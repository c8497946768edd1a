/* Notifications from the openvswitch kernel module (see
 * include/ovs-monitor.h). */
#include "ovs-monitor.h"

#include <errno.h>
#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "log.h"
#include "ovs-nl.h"

LOG_MODULE("monitor");

struct ovs_monitor {
	struct nl_sock *sk;
	struct nl_cb *cb;
	struct ovs_families fam;
	struct odp_flow flow; /* reused for every flow message */
	ovs_event_cb event_cb;
	void *aux;
	int delivered;
};

static int join(struct nl_sock *sk, const char *family, int *id)
{
	int grp;

	*id = genl_ctrl_resolve(sk, family);
	if (*id < 0)
		return ovs_nl_errno(*id);
	/* Each OVS family's multicast group has the family's name. */
	grp = genl_ctrl_resolve_grp(sk, family, family);
	if (grp < 0)
		return ovs_nl_errno(grp);
	return ovs_nl_errno(nl_socket_add_membership(sk, grp));
}

static void deliver(struct ovs_monitor *mon, struct ovs_event *ev)
{
	mon->event_cb(ev, mon->aux);
	mon->delivered++;
}

static void handle_flow(struct ovs_monitor *mon, const struct nlmsghdr *nlh,
			struct ovs_event *ev)
{
	const char *why;
	int err = ovs_msg_parse_flow(nlh, nlh->nlmsg_len, &mon->flow, &why);

	if (err) {
		/* A notification we cannot read is a lost one. */
		LOG_WARN_RL("unreadable flow notification: %s", why);
		ev->kind = OVS_EVENT_OVERRUN;
	} else {
		ev->kind = OVS_EVENT_FLOW;
		ev->flow = &mon->flow;
	}
	deliver(mon, ev);
}

static int on_message(struct nl_msg *msg, void *arg)
{
	struct ovs_monitor *mon = arg;
	struct nlmsghdr *nlh = nlmsg_hdr(msg);
	struct ovs_event ev = {0};
	struct ovs_msg_hdr hdr;
	struct ovs_vport_info vp;
	struct ovs_dp_info dp;

	if (ovs_msg_parse_hdr(nlh, nlh->nlmsg_len, &hdr, NULL))
		return NL_SKIP;
	ev.cmd = hdr.cmd;
	ev.dp_ifindex = hdr.dp_ifindex;
	if (hdr.family == mon->fam.flow) {
		handle_flow(mon, nlh, &ev);
	} else if (hdr.family == mon->fam.vport) {
		if (!ovs_msg_parse_vport(nlh, nlh->nlmsg_len, &vp, NULL)) {
			ev.kind = OVS_EVENT_VPORT;
			ev.vport = &vp;
			deliver(mon, &ev);
		}
	} else if (hdr.family == mon->fam.datapath) {
		if (!ovs_msg_parse_dp(nlh, nlh->nlmsg_len, &dp, NULL)) {
			ev.kind = OVS_EVENT_DATAPATH;
			ev.dp = &dp;
			deliver(mon, &ev);
		}
	}
	return NL_OK;
}

/* Notifications carry the sequence numbers of their requesters. */
static int any_seq(struct nl_msg *msg, void *arg)
{
	(void)msg;
	(void)arg;
	return NL_OK;
}

static void force_rcvbuf(struct nl_sock *sk, int bytes)
{
	int fd = nl_socket_get_fd(sk);

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof bytes) &&
	    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes))
		LOG_WARN("cannot size the notification socket: %s",
			 strerror(errno));
}

int ovs_monitor_open(struct ovs_monitor **out, int rcvbuf)
{
	struct ovs_monitor *mon = calloc(1, sizeof *mon);
	int err;

	*out = NULL;
	if (!mon)
		return -ENOMEM;
	odp_flow_init(&mon->flow);
	mon->sk = nl_socket_alloc();
	mon->cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!mon->sk || !mon->cb) {
		err = -ENOMEM;
		goto fail;
	}
	err = ovs_nl_errno(genl_connect(mon->sk));
	if (err)
		goto fail;
	/* Notifications carry the sequence numbers of other senders. */
	nl_socket_disable_seq_check(mon->sk);
	nl_socket_set_msg_buf_size(mon->sk, 64 * 1024);
	nl_socket_enable_msg_peek(mon->sk);
	err = join(mon->sk, OVS_DATAPATH_FAMILY, &mon->fam.datapath);
	if (!err)
		err = join(mon->sk, OVS_VPORT_FAMILY, &mon->fam.vport);
	if (!err)
		err = join(mon->sk, OVS_FLOW_FAMILY, &mon->fam.flow);
	if (!err)
		err = ovs_nl_errno(nl_socket_set_nonblocking(mon->sk));
	if (err)
		goto fail;
	force_rcvbuf(mon->sk, rcvbuf);
	nl_cb_set(mon->cb, NL_CB_VALID, NL_CB_CUSTOM, on_message, mon);
	/* Our own callback set: the socket's disabled check does not apply
	 * to it. */
	nl_cb_set(mon->cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, any_seq, NULL);
	*out = mon;
	return 0;

fail:
	ovs_monitor_close(mon);
	return err;
}

void ovs_monitor_close(struct ovs_monitor *mon)
{
	if (!mon)
		return;
	if (mon->cb)
		nl_cb_put(mon->cb);
	nl_socket_free(mon->sk);
	odp_flow_destroy(&mon->flow);
	free(mon);
}

int ovs_monitor_fd(const struct ovs_monitor *mon)
{
	return nl_socket_get_fd(mon->sk);
}

int ovs_monitor_drain(struct ovs_monitor *mon, ovs_event_cb cb, void *aux)
{
	mon->event_cb = cb;
	mon->aux = aux;
	mon->delivered = 0;
	for (;;) {
		int ret = nl_recvmsgs(mon->sk, mon->cb);

		if (ret >= 0)
			continue;
		if (ret == -NLE_AGAIN)
			break;
		if (ret == -NLE_NOMEM) {
			/* ENOBUFS: the kernel dropped notifications. */
			struct ovs_event ev = {.kind = OVS_EVENT_OVERRUN};

			deliver(mon, &ev);
			continue;
		}
		LOG_WARN_RL("notification socket: %s", nl_geterror(ret));
		return ovs_nl_errno(ret);
	}
	return mon->delivered;
}
