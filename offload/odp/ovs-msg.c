/* Decoding of the openvswitch generic-netlink messages (see
 * include/ovs-msg.h).  Attribute lengths follow the kernel's own policies
 * (datapath_policy, vport_policy and flow_policy in the kernel's
 * net/openvswitch/datapath.c); unknown and PAD attributes are skipped. */
#include "ovs-msg.h"

#include <errno.h>
#include <linux/genetlink.h>
#include <string.h>

#include "nlattr.h"

#define OVS_HDRLEN (GENL_HDRLEN + NLMSG_ALIGN(sizeof(struct ovs_header)))

static const struct attr_policy dp_policy[OVS_DP_ATTR_MAX + 1] = {
	[OVS_DP_ATTR_NAME] = ATTR_LEN(1, IFNAMSIZ),
	[OVS_DP_ATTR_UPCALL_PID] = ATTR_EXACT(4),
	[OVS_DP_ATTR_STATS] = ATTR_MIN(sizeof(struct ovs_dp_stats)),
	[OVS_DP_ATTR_MEGAFLOW_STATS] =
		ATTR_MIN(sizeof(struct ovs_dp_megaflow_stats)),
	[OVS_DP_ATTR_USER_FEATURES] = ATTR_EXACT(4),
};

static const struct attr_policy vport_policy[OVS_VPORT_ATTR_MAX + 1] = {
	[OVS_VPORT_ATTR_PORT_NO] = ATTR_EXACT(4),
	[OVS_VPORT_ATTR_TYPE] = ATTR_EXACT(4),
	[OVS_VPORT_ATTR_NAME] = ATTR_LEN(1, IFNAMSIZ),
	[OVS_VPORT_ATTR_STATS] = ATTR_MIN(sizeof(struct ovs_vport_stats)),
	[OVS_VPORT_ATTR_IFINDEX] = ATTR_EXACT(4),
	[OVS_VPORT_ATTR_NETNSID] = ATTR_EXACT(4),
};

static const struct attr_policy flow_policy[OVS_FLOW_ATTR_MAX + 1] = {
	[OVS_FLOW_ATTR_STATS] = ATTR_EXACT(sizeof(struct ovs_flow_stats)),
	[OVS_FLOW_ATTR_TCP_FLAGS] = ATTR_LEN(1, 2),
	[OVS_FLOW_ATTR_USED] = ATTR_EXACT(8),
	[OVS_FLOW_ATTR_UFID] = ATTR_LEN(1, UFID_MAX_LEN),
	[OVS_FLOW_ATTR_UFID_FLAGS] = ATTR_EXACT(4),
};

int ovs_msg_parse_hdr(const struct nlmsghdr *nlh, size_t len,
		      struct ovs_msg_hdr *hdr, const char **err)
{
	const struct genlmsghdr *genl;
	struct ovs_header ovs;
	const char *dummy;

	if (!err)
		err = &dummy;
	if (len < NLMSG_HDRLEN || nlh->nlmsg_len < NLMSG_HDRLEN ||
	    nlh->nlmsg_len > len) {
		*err = "truncated netlink message";
		return -EINVAL;
	}
	if (nlh->nlmsg_len < NLMSG_HDRLEN + OVS_HDRLEN) {
		*err = "message shorter than the OVS header";
		return -EINVAL;
	}
	genl = (const struct genlmsghdr *)((const uint8_t *)nlh + NLMSG_HDRLEN);
	memcpy(&ovs, (const uint8_t *)genl + GENL_HDRLEN, sizeof ovs);
	hdr->family = nlh->nlmsg_type;
	hdr->cmd = genl->cmd;
	hdr->dp_ifindex = ovs.dp_ifindex;
	return 0;
}

/* Parses the header and the attribute stream that follows it. */
static int parse_msg(const struct nlmsghdr *nlh, size_t len,
		     struct ovs_msg_hdr *hdr, const struct nlattr **tb,
		     int max_type, const struct attr_policy *policy,
		     const char **err)
{
	const uint8_t *attrs;
	size_t attrs_len;
	const char *dummy;

	if (!err)
		err = &dummy;
	if (ovs_msg_parse_hdr(nlh, len, hdr, err))
		return -EINVAL;
	attrs = (const uint8_t *)nlh + NLMSG_HDRLEN + OVS_HDRLEN;
	attrs_len = nlh->nlmsg_len - NLMSG_HDRLEN - OVS_HDRLEN;
	if (attr_parse(tb, max_type, attrs, attrs_len, policy, NULL)) {
		*err = "malformed attribute";
		return -EINVAL;
	}
	return 0;
}

static void copy_name(char *dst, const struct nlattr *a)
{
	size_t n = attr_len(a);

	if (n >= IFNAMSIZ)
		n = IFNAMSIZ - 1;
	memcpy(dst, attr_data(a), n);
	dst[n] = '\0';
}

int ovs_msg_parse_dp(const struct nlmsghdr *nlh, size_t len,
		     struct ovs_dp_info *dp, const char **err)
{
	const struct nlattr *tb[OVS_DP_ATTR_MAX + 1];
	struct ovs_msg_hdr hdr;

	memset(dp, 0, sizeof *dp);
	if (parse_msg(nlh, len, &hdr, tb, OVS_DP_ATTR_MAX, dp_policy, err))
		return -EINVAL;
	dp->dp_ifindex = hdr.dp_ifindex;
	if (tb[OVS_DP_ATTR_NAME])
		copy_name(dp->name, tb[OVS_DP_ATTR_NAME]);
	if (tb[OVS_DP_ATTR_STATS]) {
		dp->has_stats = true;
		memcpy(&dp->stats, attr_data(tb[OVS_DP_ATTR_STATS]),
		       sizeof dp->stats);
	}
	if (tb[OVS_DP_ATTR_MEGAFLOW_STATS]) {
		dp->has_megaflow_stats = true;
		memcpy(&dp->megaflow_stats,
		       attr_data(tb[OVS_DP_ATTR_MEGAFLOW_STATS]),
		       sizeof dp->megaflow_stats);
	}
	if (tb[OVS_DP_ATTR_USER_FEATURES])
		dp->user_features = attr_get_u32(tb[OVS_DP_ATTR_USER_FEATURES]);
	return 0;
}

int ovs_msg_parse_vport(const struct nlmsghdr *nlh, size_t len,
			struct ovs_vport_info *vp, const char **err)
{
	const struct nlattr *tb[OVS_VPORT_ATTR_MAX + 1];
	struct ovs_msg_hdr hdr;
	const char *dummy;

	if (!err)
		err = &dummy;
	memset(vp, 0, sizeof *vp);
	if (parse_msg(nlh, len, &hdr, tb, OVS_VPORT_ATTR_MAX, vport_policy,
		      err))
		return -EINVAL;
	if (!tb[OVS_VPORT_ATTR_PORT_NO] || !tb[OVS_VPORT_ATTR_NAME]) {
		*err = "vport message without port number or name";
		return -EINVAL;
	}
	vp->dp_ifindex = hdr.dp_ifindex;
	vp->port_no = attr_get_u32(tb[OVS_VPORT_ATTR_PORT_NO]);
	copy_name(vp->name, tb[OVS_VPORT_ATTR_NAME]);
	if (tb[OVS_VPORT_ATTR_TYPE])
		vp->type = attr_get_u32(tb[OVS_VPORT_ATTR_TYPE]);
	if (tb[OVS_VPORT_ATTR_IFINDEX])
		vp->ifindex = (int)attr_get_u32(tb[OVS_VPORT_ATTR_IFINDEX]);
	if (tb[OVS_VPORT_ATTR_NETNSID]) {
		vp->has_netnsid = true;
		vp->netnsid = (int)attr_get_u32(tb[OVS_VPORT_ATTR_NETNSID]);
	}
	if (tb[OVS_VPORT_ATTR_STATS]) {
		vp->has_stats = true;
		memcpy(&vp->stats, attr_data(tb[OVS_VPORT_ATTR_STATS]),
		       sizeof vp->stats);
	}
	return 0;
}

static int copy_stream(struct buf *dst, bool *has, const struct nlattr *a)
{
	*has = a != NULL;
	if (!a)
		return 0;
	if (!attr_stream_valid(attr_data(a), attr_len(a)))
		return -EINVAL;
	return buf_set(dst, attr_data(a), attr_len(a));
}

static void parse_flow_stats(const struct nlattr **tb, struct flow_stats *s)
{
	if (tb[OVS_FLOW_ATTR_STATS]) {
		struct ovs_flow_stats st;

		memcpy(&st, attr_data(tb[OVS_FLOW_ATTR_STATS]), sizeof st);
		s->packets = st.n_packets;
		s->bytes = st.n_bytes;
	}
	if (tb[OVS_FLOW_ATTR_USED])
		s->used_ms = attr_get_u64(tb[OVS_FLOW_ATTR_USED]);
	if (tb[OVS_FLOW_ATTR_TCP_FLAGS]) {
		const struct nlattr *a = tb[OVS_FLOW_ATTR_TCP_FLAGS];

		s->tcp_flags = attr_len(a) == 2
				       ? attr_get_u16(a)
				       : *(const uint8_t *)attr_data(a);
	}
}

int ovs_msg_parse_flow(const struct nlmsghdr *nlh, size_t len,
		       struct odp_flow *f, const char **err)
{
	const struct nlattr *tb[OVS_FLOW_ATTR_MAX + 1];
	struct ovs_msg_hdr hdr;
	bool has_key;
	const char *dummy;
	int ret;

	if (!err)
		err = &dummy;
	odp_flow_destroy(f);
	if (parse_msg(nlh, len, &hdr, tb, OVS_FLOW_ATTR_MAX, flow_policy, err))
		return -EINVAL;
	if (tb[OVS_FLOW_ATTR_UFID]) {
		f->ufid_len = (uint8_t)attr_len(tb[OVS_FLOW_ATTR_UFID]);
		memcpy(f->ufid, attr_data(tb[OVS_FLOW_ATTR_UFID]), f->ufid_len);
	}
	ret = copy_stream(&f->key, &has_key, tb[OVS_FLOW_ATTR_KEY]);
	f->has_key = has_key;
	if (!ret)
		ret = copy_stream(&f->mask, &f->has_mask,
				  tb[OVS_FLOW_ATTR_MASK]);
	if (!ret)
		ret = copy_stream(&f->actions, &f->has_actions,
				  tb[OVS_FLOW_ATTR_ACTIONS]);
	if (ret) {
		*err = ret == -ENOMEM ? "out of memory"
				      : "malformed key, mask or actions";
		odp_flow_destroy(f);
		return ret;
	}
	if (!f->ufid_len && !f->has_key) {
		*err = "flow message with neither UFID nor key";
		odp_flow_destroy(f);
		return -EINVAL;
	}
	parse_flow_stats(tb, &f->stats);
	return 0;
}

const char *ovs_vport_type_name(uint32_t type)
{
	static const char *const names[] = {
		[OVS_VPORT_TYPE_UNSPEC] = "unspec",
		[OVS_VPORT_TYPE_NETDEV] = "netdev",
		[OVS_VPORT_TYPE_INTERNAL] = "internal",
		[OVS_VPORT_TYPE_GRE] = "gre",
		[OVS_VPORT_TYPE_VXLAN] = "vxlan",
		[OVS_VPORT_TYPE_GENEVE] = "geneve",
	};

	if (type < sizeof names / sizeof names[0] && names[type])
		return names[type];
	return "unknown";
}
