/* Reading tc and upper-device state (see include/kernel-stages.h). */
#include "kernel-stages.h"

#include <errno.h>
#include <linux/pkt_sched.h>
#include <netlink/route/classifier.h>
#include <netlink/route/link.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/tc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ovs-nl.h"

#ifndef TC_H_CLSACT
#define TC_H_CLSACT TC_H_INGRESS
#endif
#ifndef TC_H_MIN_INGRESS
#define TC_H_MIN_INGRESS 0xFFF2U
#define TC_H_MIN_EGRESS	 0xFFF3U
#endif

struct kernel_stages {
	struct nl_sock *sk;
	struct nl_cache *links;
	struct nl_cache *qdiscs;
};

int kernel_stages_snapshot(struct kernel_stages **out)
{
	struct kernel_stages *s = calloc(1, sizeof *s);
	int err;

	*out = NULL;
	if (!s)
		return -ENOMEM;
	s->sk = nl_socket_alloc();
	if (!s->sk) {
		free(s);
		return -ENOMEM;
	}
	err = ovs_nl_errno(nl_connect(s->sk, NETLINK_ROUTE));
	if (!err)
		err = ovs_nl_errno(
			rtnl_link_alloc_cache(s->sk, AF_UNSPEC, &s->links));
	if (!err)
		err = ovs_nl_errno(rtnl_qdisc_alloc_cache(s->sk, &s->qdiscs));
	if (err) {
		kernel_stages_free(s);
		return err;
	}
	*out = s;
	return 0;
}

void kernel_stages_free(struct kernel_stages *s)
{
	if (!s)
		return;
	nl_cache_free(s->links);
	nl_cache_free(s->qdiscs);
	nl_socket_free(s->sk);
	free(s);
}

/* Qdiscs that only queue, in order, as a device does without QoS: the
 * defaults (noqueue on virtual devices, pfifo_fast, fq_codel, mq over
 * per-queue children) and the plain FIFOs.  Anything else shapes,
 * schedules, delays or drops by policy. */
static bool plain_qdisc(const char *kind)
{
	static const char *const plain[] = {
		"noqueue", "pfifo_fast", "fq_codel", "mq", "pfifo", "bfifo",
	};

	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
		if (!strcmp(kind, plain[i]))
			return true;
	return false;
}

/* Whether any filter hangs off 'parent' of the device. */
static bool has_filters(struct kernel_stages *s, int ifindex, uint32_t parent)
{
	struct nl_cache *cls = NULL;
	bool any;

	/* A dump that fails (no such block) has nothing to report; a
	 * filter that cannot be listed cannot be proven absent, though:
	 * say there is one. */
	int err = rtnl_cls_alloc_cache(s->sk, ifindex, parent, &cls);

	if (err)
		return ovs_nl_errno(err) != -EINVAL &&
		       ovs_nl_errno(err) != -ENOENT;
	any = nl_cache_nitems(cls) > 0;
	nl_cache_free(cls);
	return any;
}

static void qdiscs_of(struct kernel_stages *s, int ifindex,
		      struct port_stages *out)
{
	bool ingress = false, clsact = false;

	for (struct nl_object *o = nl_cache_get_first(s->qdiscs); o;
	     o = nl_cache_get_next(o)) {
		struct rtnl_tc *tc = (struct rtnl_tc *)o;
		const char *kind = rtnl_tc_get_kind(tc);

		if (rtnl_tc_get_ifindex(tc) != ifindex || !kind)
			continue;
		if (!strcmp(kind, "ingress"))
			ingress = true;
		else if (!strcmp(kind, "clsact"))
			clsact = true;
		else if (!plain_qdisc(kind) && !out->shaped) {
			out->shaped = true;
			snprintf(out->qdisc, sizeof out->qdisc, "%s", kind);
		}
	}
	if (ingress || clsact)
		out->tc_ingress = has_filters(
			s, ifindex, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS));
	if (clsact)
		out->tc_egress = has_filters(
			s, ifindex, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_EGRESS));
}

/* 802.1Q devices are served in __netif_receive_skb_core() before the
 * device's rx_handler (Open vSwitch): frames of their VID never reach
 * the bridge.  (macvlan, ipvlan and bond need the rx_handler themselves
 * and cannot sit on an Open vSwitch port.) */
static bool has_vlan_upper(struct kernel_stages *s, int ifindex)
{
	for (struct nl_object *o = nl_cache_get_first(s->links); o;
	     o = nl_cache_get_next(o)) {
		struct rtnl_link *l = (struct rtnl_link *)o;
		const char *type = rtnl_link_get_type(l);

		if (type && !strcmp(type, "vlan") &&
		    rtnl_link_get_link(l) == ifindex)
			return true;
	}
	return false;
}

void kernel_stages_of(struct kernel_stages *s, int ifindex,
		      struct port_stages *out)
{
	memset(out, 0, sizeof *out);
	qdiscs_of(s, ifindex, out);
	out->vlan_upper = has_vlan_upper(s, ifindex);
}
