/* Probing a port's device and its veth peer (see include/port-probe.h). */
#include "port-probe.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/ethtool.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/sockios.h>
#include <net/if.h>
#include <netlink/route/link.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "netns.h"
#include "ovs-nl.h"
#include "xdp-features.h"

/* The feature names (ETH_SS_FEATURES strings) this probe reads. */
static const char *const feature_names[] = {
	"rx-gro",	    "tx-checksum-ipv4",	     "tx-checksum-ip-generic",
	"tx-checksum-ipv6", "tx-vlan-hw-insert",     "tx-vlan-stag-hw-insert",
	"rx-vlan-hw-parse", "rx-vlan-stag-hw-parse",
};

enum {
	F_GRO,
	F_CSUM4,
	F_CSUM,
	F_CSUM6,
	F_TXVLAN,
	F_TXSVLAN,
	F_RXVLAN,
	F_RXSVLAN,
	F_N
};

static int ethtool(int fd, const char *ifname, void *cmd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", ifname);
	ifr.ifr_data = cmd;
	return ioctl(fd, SIOCETHTOOL, &ifr) ? -errno : 0;
}

/* The number of feature bits, then their names, then their state. */
static int read_features(int fd, const char *ifname, bool on[F_N])
{
	/* ethtool_sset_info is followed by one u32 per set asked for. */
	uint32_t info_buf[(sizeof(struct ethtool_sset_info) + 4) / 4 + 1] = {0};
	struct ethtool_sset_info *info = (struct ethtool_sset_info *)info_buf;
	struct ethtool_gstrings *names = NULL;
	struct ethtool_gfeatures *feats = NULL;
	uint32_t n, blocks;
	int err;

	info->cmd = ETHTOOL_GSSET_INFO;
	info->sset_mask = 1ULL << ETH_SS_FEATURES;
	err = ethtool(fd, ifname, info);
	if (err)
		return err;
	n = info->data[0];
	blocks = (n + 31) / 32;
	names = calloc(1, sizeof *names + (size_t)n * ETH_GSTRING_LEN);
	feats = calloc(1, sizeof *feats + blocks * sizeof feats->features[0]);
	if (!names || !feats) {
		err = -ENOMEM;
		goto out;
	}
	names->cmd = ETHTOOL_GSTRINGS;
	names->string_set = ETH_SS_FEATURES;
	names->len = n;
	feats->cmd = ETHTOOL_GFEATURES;
	feats->size = blocks;
	err = ethtool(fd, ifname, names);
	if (!err)
		err = ethtool(fd, ifname, feats);
	for (uint32_t i = 0; !err && i < n; i++) {
		const char *name =
			(const char *)names->data + i * ETH_GSTRING_LEN;

		for (int f = 0; f < F_N; f++)
			if (!strncmp(name, feature_names[f], ETH_GSTRING_LEN))
				on[f] = feats->features[i / 32].active &
					(1u << (i % 32));
	}
out:
	free(names);
	free(feats);
	return err;
}

/* Offloads and XDP program of device 'ifindex' in the current namespace. */
static int probe_dev(int ifindex, struct dev_offloads *d)
{
	char ifname[IF_NAMESIZE];
	bool on[F_N] = {0};
	LIBBPF_OPTS(bpf_xdp_query_opts, q);
	int fd, err;

	memset(d, 0, sizeof *d);
	if (!if_indextoname((unsigned)ifindex, ifname))
		return -errno;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	err = read_features(fd, ifname, on);
	close(fd);
	if (err)
		return err;
	d->gro = on[F_GRO];
	d->tx_csum = on[F_CSUM4] || on[F_CSUM] || on[F_CSUM6];
	d->tx_vlan = on[F_TXVLAN] || on[F_TXSVLAN];
	d->rx_vlan = on[F_RXVLAN] || on[F_RXSVLAN];
	if (!bpf_xdp_query(ifindex, 0, &q))
		d->xdp_prog_id = q.prog_id	 ? q.prog_id
				 : q.drv_prog_id ? q.drv_prog_id
				 : q.skb_prog_id ? q.skb_prog_id
						 : q.hw_prog_id;
	return 0;
}

struct peer_job {
	int ifindex;
	struct dev_offloads *out;
};

static int probe_peer_job(void *aux)
{
	struct peer_job *j = aux;

	return probe_dev(j->ifindex, j->out);
}

/* A veth's peer: in our namespace (no netnsid) or in another one. */
static void probe_peer(struct rtnl_link *link, struct port_probe *out)
{
	struct peer_job job = {rtnl_link_get_link(link), &out->peer};
	int32_t nsid;
	int ns_fd;

	if (job.ifindex <= 0)
		return;
	out->peer_ifindex = job.ifindex;
	out->peer_nsid = -1;
	if (rtnl_link_get_link_netnsid(link, &nsid)) {
		out->peer_known = !probe_dev(job.ifindex, &out->peer);
		return;
	}
	out->peer_nsid = nsid;
	ns_fd = netns_open_by_id(nsid);
	if (ns_fd < 0)
		return;
	out->peer_known = !netns_run_in(ns_fd, probe_peer_job, &job);
	close(ns_fd);
}

int port_probe(int ifindex, struct port_probe *out)
{
	struct nl_sock *sk = nl_socket_alloc();
	struct rtnl_link *link = NULL;
	const char *kind;
	int err;

	memset(out, 0, sizeof *out);
	if (!sk)
		return -ENOMEM;
	err = ovs_nl_errno(nl_connect(sk, NETLINK_ROUTE));
	if (!err)
		err = ovs_nl_errno(
			rtnl_link_get_kernel(sk, ifindex, NULL, &link));
	nl_socket_free(sk);
	if (err == -ENODEV || err == -ENOENT)
		return 0;
	if (err)
		return err;
	out->found = true;
	kind = rtnl_link_get_type(link);
	snprintf(out->kind, sizeof out->kind, "%s", kind ? kind : "");
	out->mtu = rtnl_link_get_mtu(link);
	out->not_ethernet = rtnl_link_get_arptype(link) != ARPHRD_ETHER;
	err = probe_dev(ifindex, &out->dev);
	if (!err && !strcmp(out->kind, "veth"))
		probe_peer(link, out);
	rtnl_link_put(link);
	/* Unknown (before 6.3, or unreadable) is not an error: the
	 * classification then relies on the attach state alone. */
	if (!err)
		out->xdp_features_known =
			!xdp_features_get(ifindex, &out->xdp_features);
	return err;
}

static bool is_tunnel_kind(const char *kind)
{
	static const char *const kinds[] = {
		"vxlan",  "geneve",    "gretap", "ip6gretap",
		"erspan", "ip6erspan", "gtp",	 "bareudp",
		"ipip",	  "gre",       "ip6gre",
	};

	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(kind, kinds[i]))
			return true;
	return false;
}

/* veth: frames redirected to it are received by its peer, which needs
 * NAPI (an XDP program or GRO) or drops them silently; the peer's tx VLAN
 * offload keeps tags out of the frame data XDP sees; its tx checksum
 * offload leaves partial checksums in frames. */
static void classify_veth(const struct port_probe *pr, struct port_info *p)
{
	if (!pr->peer_known) {
		p->rx_limit = PORT_LIMIT_PEER_UNKNOWN;
		p->tx_limit = PORT_LIMIT_PEER_UNKNOWN;
		return;
	}
	p->hairpin_redirect = true;
	if (pr->peer.tx_vlan)
		p->rx_limit = PORT_LIMIT_HIDDEN_VLAN;
	if (!pr->peer.gro && !pr->peer.xdp_prog_id)
		p->tx_limit = PORT_LIMIT_NO_XDP_XMIT;
	p->verify_csum = pr->peer.tx_csum;
}

/* A NIC: many drivers have no ndo_xdp_xmit (e1000e, r8169), and those
 * that have one mostly refuse redirected frames unless an XDP program is
 * attached to the NIC itself, natively (virtio_net, ixgbe, i40e, ice:
 * -ENXIO, the frame dropped and counted nowhere).  So a NIC is a target
 * only with our program on it in native mode, and, where the kernel
 * advertises XDP features, only if it says NDO_XMIT in that state. */
static enum port_limit nic_tx_limit(const struct port_probe *pr,
				    enum port_attach attach)
{
	if (attach != PORT_ATTACHED_NATIVE)
		return PORT_LIMIT_XMIT_NEEDS_NATIVE;
	if (pr->xdp_features_known &&
	    !(pr->xdp_features & XDP_FEATURE_NDO_XMIT))
		return PORT_LIMIT_NO_XDP_XMIT;
	return PORT_LIMIT_NONE;
}

void port_classify(const struct port_probe *pr, enum port_attach attach,
		   struct port_info *p)
{
	p->rx_limit = PORT_LIMIT_NONE;
	p->tx_limit = PORT_LIMIT_NONE;
	p->verify_csum = false;
	p->partial_to_kernel = false;
	p->hairpin_redirect = false;
	p->mtu = pr->mtu;
	if (!pr->found) {
		p->rx_limit = p->tx_limit = PORT_LIMIT_OTHER_NETNS;
		return;
	}
	if (!strcmp(pr->kind, "openvswitch")) {
		p->rx_limit = p->tx_limit = PORT_LIMIT_INTERNAL;
		return;
	}
	if (is_tunnel_kind(pr->kind)) {
		p->rx_limit = p->tx_limit = PORT_LIMIT_TUNNEL;
		return;
	}
	/* An L3 device (a tun in IFF_TUN mode): no Ethernet header for our
	 * parser, and no ndo_xdp_xmit (tun_netdev_ops). */
	if (pr->not_ethernet) {
		p->rx_limit = p->tx_limit = PORT_LIMIT_NOT_ETHERNET;
		return;
	}
	if (!strcmp(pr->kind, "veth")) {
		classify_veth(pr, p);
	} else if (!strcmp(pr->kind, "tun")) {
		/* A tap's writer (a VM through vhost-net) is a local sender:
		 * its frames may carry VIRTIO_NET_HDR_F_NEEDS_CSUM partial
		 * sums, on which tun_xdp_one() runs XDP without a word.
		 * tun_xdp_xmit() queues redirected frames for the reader
		 * whether or not an XDP program is attached. */
		p->verify_csum = true;
		p->partial_to_kernel = true;
		if (pr->dev.rx_vlan)
			p->rx_limit = PORT_LIMIT_HIDDEN_VLAN;
	} else if (pr->kind[0]) {
		/* Bridges, bonds, macvlans...: no XDP transmit to rely on. */
		p->tx_limit = PORT_LIMIT_NO_XDP_XMIT;
	} else {
		if (pr->dev.rx_vlan) /* strips VLAN tags into metadata */
			p->rx_limit = PORT_LIMIT_HIDDEN_VLAN;
		p->tx_limit = nic_tx_limit(pr, attach);
	}
	/* Whatever the kind, a device that says it has no ndo_xdp_xmit in
	 * its present state has none. */
	if (p->tx_limit == PORT_LIMIT_NONE && pr->xdp_features_known &&
	    !(pr->xdp_features & XDP_FEATURE_NDO_XMIT))
		p->tx_limit = PORT_LIMIT_NO_XDP_XMIT;
	if (attach == PORT_NOT_ATTACHED && p->rx_limit == PORT_LIMIT_NONE)
		p->rx_limit = PORT_LIMIT_NOT_ATTACHED;
}

void port_classify_stages(const struct port_stages *st, struct port_info *p)
{
	bool rx_free = p->rx_limit == PORT_LIMIT_NONE ||
		       p->rx_limit == PORT_LIMIT_NOT_ATTACHED;

	if (rx_free && st->tc_ingress)
		p->rx_limit = PORT_LIMIT_TC_INGRESS;
	else if (rx_free && st->vlan_upper)
		p->rx_limit = PORT_LIMIT_VLAN_UPPER;
	if (p->tx_limit == PORT_LIMIT_NONE && st->shaped)
		p->tx_limit = PORT_LIMIT_QDISC;
	else if (p->tx_limit == PORT_LIMIT_NONE && st->tc_egress)
		p->tx_limit = PORT_LIMIT_TC_EGRESS;
}
