/* Decoding of openvswitch generic-netlink messages from built bytes. */
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/openvswitch.h>

#include "nlattr.h"
#include "ovs-msg.h"
#include "test.h"

/* Builds nlmsghdr + genlmsghdr + ovs_header, then the attributes in attrs. */
static void build_msg(struct buf *msg, uint16_t family, uint8_t cmd,
		      int dp_ifindex, const struct buf *attrs)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	struct ovs_header *o;

	buf_clear(msg);
	nlh = buf_put_zeros(msg, NLMSG_HDRLEN);
	g = buf_put_zeros(msg, GENL_HDRLEN);
	o = buf_put_zeros(msg, NLMSG_ALIGN(sizeof *o));
	g->cmd = cmd;
	o->dp_ifindex = dp_ifindex;
	buf_put(msg, attrs->data, attrs->len);
	nlh = (struct nlmsghdr *)msg->data;
	nlh->nlmsg_len = (uint32_t)msg->len;
	nlh->nlmsg_type = family;
}

TEST(flow_message_full)
{
	struct buf attrs = BUF_INIT, msg = BUF_INIT;
	struct ovs_flow_stats st = {.n_packets = 3, .n_bytes = 294};
	uint8_t ufid[16];
	struct odp_flow f;
	struct ovs_msg_hdr hdr;
	long nest;

	for (int i = 0; i < 16; i++)
		ufid[i] = (uint8_t)i;
	attr_put(&attrs, OVS_FLOW_ATTR_UFID, ufid, 16);
	nest = attr_nest_start(&attrs, OVS_FLOW_ATTR_KEY);
	attr_put_u32(&attrs, OVS_KEY_ATTR_IN_PORT, 2);
	attr_nest_end(&attrs, nest);
	nest = attr_nest_start(&attrs, OVS_FLOW_ATTR_MASK);
	attr_put_u32(&attrs, OVS_KEY_ATTR_IN_PORT, UINT32_MAX);
	attr_nest_end(&attrs, nest);
	attr_put(&attrs, OVS_FLOW_ATTR_STATS, &st, sizeof st);
	attr_put_u64(&attrs, OVS_FLOW_ATTR_USED, 123456);
	attr_put_u8(&attrs, OVS_FLOW_ATTR_TCP_FLAGS, 0x12);
	nest = attr_nest_start(&attrs, OVS_FLOW_ATTR_ACTIONS);
	attr_nest_end(&attrs, nest); /* empty: drop */
	build_msg(&msg, 30, OVS_FLOW_CMD_NEW, 5, &attrs);

	CHECK_INT(ovs_msg_parse_hdr((void *)msg.data, msg.len, &hdr, NULL), 0);
	CHECK_INT(hdr.family, 30);
	CHECK_INT(hdr.cmd, OVS_FLOW_CMD_NEW);
	CHECK_INT(hdr.dp_ifindex, 5);

	odp_flow_init(&f);
	CHECK_INT(ovs_msg_parse_flow((void *)msg.data, msg.len, &f, NULL), 0);
	CHECK_INT(f.ufid_len, 16);
	CHECK_MEM(f.ufid, ufid, 16);
	CHECK(f.has_key && f.has_mask && f.has_actions);
	CHECK_INT(f.key.len, 8);
	CHECK_INT(f.actions.len, 0);
	CHECK_INT(f.stats.packets, 3);
	CHECK_INT(f.stats.bytes, 294);
	CHECK_INT(f.stats.used_ms, 123456);
	CHECK_INT(f.stats.tcp_flags, 0x12);
	odp_flow_destroy(&f);
	buf_free(&attrs);
	buf_free(&msg);
}

TEST(flow_message_terse_and_bad)
{
	struct buf attrs = BUF_INIT, msg = BUF_INIT;
	struct odp_flow f;
	const char *why = NULL;
	uint8_t ufid[16] = {1};
	long nest;

	/* A terse DEL: UFID only. */
	attr_put(&attrs, OVS_FLOW_ATTR_UFID, ufid, 16);
	build_msg(&msg, 30, OVS_FLOW_CMD_DEL, 5, &attrs);
	odp_flow_init(&f);
	CHECK_INT(ovs_msg_parse_flow((void *)msg.data, msg.len, &f, &why), 0);
	CHECK(!f.has_key && !f.has_mask && !f.has_actions);

	/* Neither UFID nor key. */
	buf_clear(&attrs);
	attr_put_u64(&attrs, OVS_FLOW_ATTR_USED, 1);
	build_msg(&msg, 30, OVS_FLOW_CMD_DEL, 5, &attrs);
	CHECK_INT(ovs_msg_parse_flow((void *)msg.data, msg.len, &f, &why),
		  -EINVAL);
	CHECK_STR(why, "flow message with neither UFID nor key");

	/* A USED attribute of the wrong size. */
	buf_clear(&attrs);
	attr_put(&attrs, OVS_FLOW_ATTR_UFID, ufid, 16);
	attr_put_u32(&attrs, OVS_FLOW_ATTR_USED, 1);
	build_msg(&msg, 30, OVS_FLOW_CMD_NEW, 5, &attrs);
	CHECK_INT(ovs_msg_parse_flow((void *)msg.data, msg.len, &f, &why),
		  -EINVAL);
	CHECK_STR(why, "malformed attribute");

	/* A key whose inner stream is truncated. */
	buf_clear(&attrs);
	attr_put(&attrs, OVS_FLOW_ATTR_UFID, ufid, 16);
	nest = attr_nest_start(&attrs, OVS_FLOW_ATTR_KEY);
	attr_put_u32(&attrs, OVS_KEY_ATTR_IN_PORT, 2);
	attr_nest_end(&attrs, nest);
	((struct nlattr *)(attrs.data + nest + NLA_HDRLEN))->nla_len = 40;
	build_msg(&msg, 30, OVS_FLOW_CMD_NEW, 5, &attrs);
	CHECK_INT(ovs_msg_parse_flow((void *)msg.data, msg.len, &f, &why),
		  -EINVAL);

	/* A message cut short of its own length. */
	CHECK_INT(ovs_msg_parse_flow((void *)msg.data, msg.len - 4, &f, &why),
		  -EINVAL);
	CHECK_STR(why, "truncated netlink message");
	/* Shorter than the OVS header. */
	((struct nlmsghdr *)msg.data)->nlmsg_len = NLMSG_HDRLEN + 2;
	CHECK_INT(ovs_msg_parse_flow((void *)msg.data, msg.len, &f, &why),
		  -EINVAL);
	odp_flow_destroy(&f);
	buf_free(&attrs);
	buf_free(&msg);
}

TEST(datapath_and_vport_messages)
{
	struct buf attrs = BUF_INIT, msg = BUF_INIT;
	struct ovs_dp_stats st = {
		.n_hit = 1, .n_missed = 2, .n_lost = 3, .n_flows = 4};
	struct ovs_dp_info dp;
	struct ovs_vport_info vp;

	attr_put(&attrs, OVS_DP_ATTR_NAME, "ovs-system", 11);
	attr_put(&attrs, OVS_DP_ATTR_STATS, &st, sizeof st);
	attr_put_u32(&attrs, OVS_DP_ATTR_USER_FEATURES, 9);
	build_msg(&msg, 28, OVS_DP_CMD_NEW, 3, &attrs);
	CHECK_INT(ovs_msg_parse_dp((void *)msg.data, msg.len, &dp, NULL), 0);
	CHECK_STR(dp.name, "ovs-system");
	CHECK_INT(dp.dp_ifindex, 3);
	CHECK(dp.has_stats);
	CHECK_INT(dp.stats.n_flows, 4);
	CHECK_INT(dp.user_features, 9);

	buf_clear(&attrs);
	attr_put_u32(&attrs, OVS_VPORT_ATTR_PORT_NO, 2);
	attr_put_u32(&attrs, OVS_VPORT_ATTR_TYPE, OVS_VPORT_TYPE_NETDEV);
	attr_put(&attrs, OVS_VPORT_ATTR_NAME, "veth1", 6);
	attr_put_u32(&attrs, OVS_VPORT_ATTR_IFINDEX, 17);
	attr_put_u32(&attrs, OVS_VPORT_ATTR_NETNSID, 0);
	build_msg(&msg, 29, OVS_VPORT_CMD_NEW, 3, &attrs);
	CHECK_INT(ovs_msg_parse_vport((void *)msg.data, msg.len, &vp, NULL), 0);
	CHECK_INT(vp.port_no, 2);
	CHECK_STR(vp.name, "veth1");
	CHECK_INT(vp.ifindex, 17);
	CHECK(vp.has_netnsid);
	CHECK_STR(ovs_vport_type_name(vp.type), "netdev");

	/* A vport without a name is refused. */
	buf_clear(&attrs);
	attr_put_u32(&attrs, OVS_VPORT_ATTR_PORT_NO, 2);
	build_msg(&msg, 29, OVS_VPORT_CMD_NEW, 3, &attrs);
	CHECK_INT(ovs_msg_parse_vport((void *)msg.data, msg.len, &vp, NULL),
		  -EINVAL);
	buf_free(&attrs);
	buf_free(&msg);
}
