/* The agent's ports (see agent.h): every vport of the datapath is
 * probed and classified; those that can take frames in XDP get our
 * program attached (natively; generic only when allowed), the others are
 * left alone with the reason recorded; outputs XDP can reach are put in
 * the redirect map.  Policy lives in port_classify() and here. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent-private.h"
#include "log.h"
#include "ovsdb-view.h"
#include "port-probe.h"
#include "util.h"
#include "vec.h"

LOG_MODULE("ports");

static struct agent_port *find_aport(struct agent *a, uint32_t port_no)
{
	for (size_t i = 0; i < a->n_aports; i++)
		if (a->aports[i].info.port_no == port_no)
			return &a->aports[i];
	return NULL;
}

static bool kept_by_policy(const struct agent *a, const char *name)
{
	for (size_t i = 0; i < a->opts.n_kernel_ports; i++)
		if (!strcmp(a->opts.kernel_ports[i], name))
			return true;
	return false;
}

/* The stats slot of a port: its position in a fixed table, reused. */
static uint32_t free_stats_id(const struct agent *a)
{
	for (uint32_t id = 0; id < OVSX_MAX_PORTS; id++) {
		bool used = false;

		for (size_t i = 0; i < a->n_aports && !used; i++)
			used = a->aports[i].stats_id == id;
		if (!used)
			return id;
	}
	return OVSX_MAX_PORTS - 1;
}

static void try_attach(struct agent *a, struct agent_port *ap)
{
	char why[sizeof ap->why];
	bool adopted;
	int err = fastpath_attach(a->fp, ap->info.ifindex, FASTPATH_NATIVE,
				  &adopted);

	ap->mode = FASTPATH_NATIVE;
	if (err == -EOPNOTSUPP && a->opts.allow_generic) {
		err = fastpath_attach(a->fp, ap->info.ifindex, FASTPATH_GENERIC,
				      &adopted);
		ap->mode = FASTPATH_GENERIC;
	}
	if (!err) {
		ap->attached = true;
		ap->why[0] = '\0';
		LOG_INFO("%s %s (%s)",
			 adopted ? "took over from a previous agent on"
				 : "attached to",
			 ap->info.name, fastpath_mode_name(ap->mode));
		return;
	}
	snprintf(why, sizeof why, "%s",
		 err == -EBUSY ? "another XDP program is attached"
		 : err == -EOPNOTSUPP
			 ? "its driver has no native XDP (see --generic)"
		 : err == -ERANGE || err == -EINVAL
			 ? "XDP refused (MTU too large for XDP?)"
			 : strerror(-err));
	/* Retried at every probe: say it once per reason. */
	if (strcmp(why, ap->why))
		LOG_WARN("not attaching to %s: %s", ap->info.name, why);
	snprintf(ap->why, sizeof ap->why, "%s", why);
}

static void detach(struct agent *a, struct agent_port *ap)
{
	int err;

	if (!ap->attached)
		return;
	/* Make before break: frames redirected to the port go to the kernel
	 * first (a native-only driver refuses redirects once our program is
	 * off: virtnet_xdp_xmit() says -ENXIO), then the program comes off. */
	if (ap->info.ifindex > 0)
		fastpath_set_target(a->fp, ap->info.ifindex, false);
	err = fastpath_detach(a->fp, ap->info.ifindex, ap->mode);
	if (err && err != -ENODEV)
		LOG_WARN("cannot detach from %s: %s", ap->info.name,
			 strerror(-err));
	ap->attached = false;
}

static enum port_attach attach_state(const struct agent_port *ap)
{
	return !ap->attached		     ? PORT_NOT_ATTACHED
	       : ap->mode == FASTPATH_NATIVE ? PORT_ATTACHED_NATIVE
					     : PORT_ATTACHED_GENERIC;
}

/* What Open vSwitch's database adds: a switch that offloads flows to tc
 * (they run after XDP and never reach the datapath the agent mirrors),
 * bond members whose rebalancing reads the kernel flows' byte counts. */
static void classify_ovsdb(const struct ovsdb_view *db, struct port_info *p)
{
	const struct ovsdb_iface *ifc =
		db ? ovsdb_view_find(db, p->name) : NULL;

	if (db && db->hw_offload &&
	    (p->rx_limit == PORT_LIMIT_NONE ||
	     p->rx_limit == PORT_LIMIT_NOT_ATTACHED))
		p->rx_limit = PORT_LIMIT_HW_OFFLOAD;
	if (ifc && ovsdb_bond_counts_bytes(ifc->bond_mode) &&
	    p->tx_limit == PORT_LIMIT_NONE)
		p->tx_limit = PORT_LIMIT_BOND_COUNTS;
}

/* The database, once per refresh; NULL when it cannot be read (then
 * bonds and hw-offload go unseen: said once per kind of failure). */
static struct ovsdb_view *read_ovsdb(struct agent *a, struct ovsdb_view *v)
{
	int err;

	if (!a->opts.ovsdb)
		return NULL;
	err = ovsdb_view_read(a->opts.ovsdb, 1000, v);
	if (err != a->ovsdb_err) {
		if (err)
			LOG_WARN(
				"cannot read Open vSwitch's database at %s (%s): "
				"bonds and hw-offload are not seen",
				a->opts.ovsdb, strerror(-err));
		else if (a->ovsdb_err)
			LOG_INFO("reading Open vSwitch's database at %s",
				 a->opts.ovsdb);
		a->ovsdb_err = err;
	}
	return err ? NULL : v;
}

/* Link events of the peer's namespace re-classify the port. */
static void watch_peer(struct agent *a, struct agent_port *ap,
		       const struct port_probe *pr)
{
	int err;

	ap->peer_ifindex = pr->peer_ifindex;
	ap->peer_nsid = pr->peer_ifindex ? pr->peer_nsid : -1;
	if (!a->links || !pr->peer_ifindex)
		return;
	err = link_monitor_watch(a->links, ap->peer_nsid);
	if (err)
		LOG_WARN_RL("cannot follow link changes of %s's peer: %s",
			    ap->info.name, strerror(-err));
}

/* What the port is with our program on it as 'attach' says. */
static void classify(struct agent *a, struct agent_port *ap,
		     struct kernel_stages *ks, const struct ovsdb_view *db,
		     const struct ovs_vport_info *vp, enum port_attach attach,
		     struct port_info *p)
{
	struct port_stages st;
	struct port_probe pr;

	memset(p, 0, sizeof *p);
	p->port_no = vp->port_no;
	p->vport_type = vp->type;
	snprintf(p->name, sizeof p->name, "%s", vp->name);
	if (vp->has_netnsid || !vp->ifindex) {
		p->rx_limit = p->tx_limit = PORT_LIMIT_OTHER_NETNS;
		return;
	}
	p->ifindex = vp->ifindex;
	if (port_probe(vp->ifindex, &pr)) {
		p->rx_limit = p->tx_limit = PORT_LIMIT_UNKNOWN;
		return;
	}
	port_classify(&pr, attach, p);
	kernel_stages_of(ks, vp->ifindex, &st);
	port_classify_stages(&st, p);
	classify_ovsdb(db, p);
	watch_peer(a, ap, &pr);
	/* Policy keeps frames from the port on the kernel path (attaching
	 * XDP to a veth costs its peer software GSO); outputs to it are
	 * unaffected. */
	if (p->rx_limit == PORT_LIMIT_NONE && kept_by_policy(a, p->name))
		p->rx_limit = PORT_LIMIT_POLICY;
}

/* Attaches or detaches our program as p->rx_limit says and enters the
 * port in the fast path's port map (the redirect map is the caller's:
 * whether the port can be a target depends on how the attach went). */
static void apply_port(struct agent *a, struct agent_port *ap,
		       struct port_info *p)
{
	bool want = p->rx_limit == PORT_LIMIT_NONE;
	struct ovsx_port fpp = {.port_no = p->port_no,
				.stats_id = ap->stats_id};

	if (ap->attached && (!want || ap->info.ifindex != p->ifindex))
		detach(a, ap);
	ap->info.ifindex = p->ifindex;
	snprintf(ap->info.name, sizeof ap->info.name, "%s", p->name);
	if (want && !ap->attached)
		try_attach(a, ap);
	if (!want) {
		snprintf(ap->why, sizeof ap->why, "%s",
			 port_limit_text(p->rx_limit));
		if (p->ifindex > 0 && fastpath_detach_previous(p->ifindex))
			LOG_INFO("removed a previous agent's fast path from %s",
				 p->name);
	} else if (!ap->attached)
		p->rx_limit = PORT_LIMIT_NOT_ATTACHED;
	/* How the attach went decides, too, so the flags are written only
	 * now: in generic mode every frame is an skb, which any device may
	 * hand over as CHECKSUM_PARTIAL (a bridge's or macvlan's local
	 * traffic too), so every such port verifies and leaves partial
	 * sums to the kernel. */
	if (ap->attached && ap->mode == FASTPATH_GENERIC)
		p->verify_csum = p->partial_to_kernel = true;
	fpp.flags = (p->verify_csum ? OVSX_PORT_VERIFY_CSUM : 0) |
		    (p->partial_to_kernel ? OVSX_PORT_PARTIAL_TO_KERNEL : 0);
	if (p->ifindex > 0) {
		if (ap->attached)
			fastpath_set_port(a->fp, p->ifindex, &fpp);
		else
			fastpath_del_port(a->fp, p->ifindex);
	}
}

static bool same_port(const struct port_info *x, const struct port_info *y)
{
	return x->ifindex == y->ifindex && x->mtu == y->mtu &&
	       x->rx_limit == y->rx_limit && x->tx_limit == y->tx_limit &&
	       x->verify_csum == y->verify_csum &&
	       x->partial_to_kernel == y->partial_to_kernel &&
	       x->hairpin_redirect == y->hairpin_redirect &&
	       !strcmp(x->name, y->name);
}

static struct agent_port *new_aport(struct agent *a, uint32_t port_no)
{
	struct agent_port *ap;

	ap = vec_grow(a->aports, &a->cap_aports, a->n_aports, sizeof *ap);
	if (!ap)
		return NULL;
	a->aports = ap;
	ap = &a->aports[a->n_aports];
	memset(ap, 0, sizeof *ap);
	ap->info.port_no = port_no;
	ap->stats_id = free_stats_id(a);
	a->n_aports++;
	return ap;
}

/* One vport: returns true if what the planner sees of it changed. */
static bool refresh_one(struct agent *a, struct kernel_stages *ks,
			const struct ovsdb_view *db,
			const struct ovs_vport_info *vp)
{
	const struct port_info *old = port_table_find(&a->ports, vp->port_no);
	struct agent_port *ap = find_aport(a, vp->port_no);
	enum port_attach assumed, before;
	struct port_info p;

	if (!ap)
		ap = new_aport(a, vp->port_no);
	if (!ap)
		return false;
	/* Ingress is decided as if our program were on the port (it is
	 * what attaching would give); if the attach then went otherwise,
	 * the device is probed again in its real state for egress, since
	 * drivers change what they advertise when a program comes on. */
	before = attach_state(ap);
	assumed = ap->attached ? before : PORT_ATTACHED_NATIVE;
	classify(a, ap, ks, db, vp, assumed, &p);
	apply_port(a, ap, &p);
	/* Probed again whenever the attach state changed (the probe before
	 * an attach predates the features it turns on: virtio_net advertises
	 * NDO_XMIT only with a program) or differs from the assumption. */
	if ((attach_state(ap) != assumed || attach_state(ap) != before) &&
	    p.ifindex > 0) {
		struct port_info real;

		classify(a, ap, ks, db, vp, attach_state(ap), &real);
		p.tx_limit = real.tx_limit;
	}
	if (p.ifindex > 0)
		fastpath_set_target(a->fp, p.ifindex,
				    p.tx_limit == PORT_LIMIT_NONE);
	ap->info = p;
	if (old && same_port(old, &p))
		return false;
	if (old)
		LOG_INFO("port %s changed: %s; XDP output: %s", p.name,
			 port_limit_text(p.rx_limit),
			 port_limit_text(p.tx_limit));
	if (port_table_put(&a->ports, &p))
		LOG_WARN("out of memory for port %s", p.name);
	return true;
}

static bool listed(const struct ovs_vport_info *v, size_t n, uint32_t port_no)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].port_no == port_no)
			return true;
	return false;
}

/* Ports that left the datapath: our program off them, out of the maps. */
static bool drop_vanished(struct agent *a, const struct ovs_vport_info *v,
			  size_t n)
{
	bool changed = false;

	for (size_t i = 0; i < a->n_aports;) {
		struct agent_port *ap = &a->aports[i];

		if (listed(v, n, ap->info.port_no)) {
			i++;
			continue;
		}
		detach(a, ap);
		if (ap->info.ifindex > 0) {
			fastpath_del_port(a->fp, ap->info.ifindex);
			fastpath_set_target(a->fp, ap->info.ifindex, false);
		}
		port_table_remove(&a->ports, ap->info.port_no);
		*ap = a->aports[--a->n_aports];
		changed = true;
	}
	return changed;
}

int agent_refresh_ports(struct agent *a)
{
	struct ovs_vport_info *v = NULL;
	struct kernel_stages *ks = NULL;
	struct ovsdb_view view, *db = NULL;
	uint64_t t0 = time_monotonic_ms();
	bool changed;
	size_t n = 0;
	int err;

	/* No datapath: no port (our program comes off every device). */
	err = a->dp_ifindex < 0
		      ? 0
		      : ovs_nl_vport_list(a->nl, a->dp_ifindex, &v, &n);
	/* tc and upper devices of every port: one snapshot for all. */
	if (!err && n)
		err = kernel_stages_snapshot(&ks);
	if (err) {
		free(v);
		return err;
	}
	agent_note_slow(a, "reading the ports' tc and link state", t0);
	agent_heartbeat_if_due(a);
	t0 = time_monotonic_ms();
	if (n)
		db = read_ovsdb(a, &view);
	agent_note_slow(a, "reading Open vSwitch's database", t0);
	changed = drop_vanished(a, v, n);
	/* Each port can take a while on a busy host (its peer's namespace,
	 * ethtool, an attach): the heartbeat goes on between them. */
	for (size_t i = 0; i < n; i++) {
		uint64_t t0 = time_monotonic_ms();
		char what[64];

		agent_heartbeat_if_due(a);
		changed |= refresh_one(a, ks, db, &v[i]);
		snprintf(what, sizeof what, "probing port %s", v[i].name);
		agent_note_slow(a, what, t0);
	}
	if (db)
		ovsdb_view_free(db);
	kernel_stages_free(ks);
	free(v);
	/* Namespaces no port's peer lives in any more. */
	if (a->links)
		link_monitor_sweep(a->links);
	if (changed && a->engine)
		engine_replan_all(a->engine);
	return 0;
}

void agent_detach_all(struct agent *a)
{
	for (size_t i = 0; i < a->n_aports; i++)
		detach(a, &a->aports[i]);
}
