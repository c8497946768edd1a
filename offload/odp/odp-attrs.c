/* Names and payload lengths of the datapath's attributes (see
 * include/odp-attrs.h).  Lengths are those the kernel module's validators
 * demand, including tail padding (e.g. ARP is 24 bytes, not 22). */
#include "odp-attrs.h"

#include <linux/openvswitch.h>

#include "util.h"

static const struct odp_attr_info key_attrs[] = {
	[OVS_KEY_ATTR_ENCAP] = {"encap", ODP_LEN_NESTED},
	[OVS_KEY_ATTR_PRIORITY] = {"skb_priority", 4},
	[OVS_KEY_ATTR_IN_PORT] = {"in_port", 4},
	[OVS_KEY_ATTR_ETHERNET] = {"eth", sizeof(struct ovs_key_ethernet)},
	[OVS_KEY_ATTR_VLAN] = {"vlan", 2},
	[OVS_KEY_ATTR_ETHERTYPE] = {"eth_type", 2},
	[OVS_KEY_ATTR_IPV4] = {"ipv4", sizeof(struct ovs_key_ipv4)},
	[OVS_KEY_ATTR_IPV6] = {"ipv6", sizeof(struct ovs_key_ipv6)},
	[OVS_KEY_ATTR_TCP] = {"tcp", sizeof(struct ovs_key_tcp)},
	[OVS_KEY_ATTR_UDP] = {"udp", sizeof(struct ovs_key_udp)},
	[OVS_KEY_ATTR_ICMP] = {"icmp", sizeof(struct ovs_key_icmp)},
	[OVS_KEY_ATTR_ICMPV6] = {"icmpv6", sizeof(struct ovs_key_icmpv6)},
	[OVS_KEY_ATTR_ARP] = {"arp", sizeof(struct ovs_key_arp)},
	[OVS_KEY_ATTR_ND] = {"nd", sizeof(struct ovs_key_nd)},
	[OVS_KEY_ATTR_SKB_MARK] = {"skb_mark", 4},
	[OVS_KEY_ATTR_TUNNEL] = {"tunnel", ODP_LEN_NESTED},
	[OVS_KEY_ATTR_SCTP] = {"sctp", sizeof(struct ovs_key_sctp)},
	[OVS_KEY_ATTR_TCP_FLAGS] = {"tcp_flags", 2},
	[OVS_KEY_ATTR_DP_HASH] = {"dp_hash", 4},
	[OVS_KEY_ATTR_RECIRC_ID] = {"recirc_id", 4},
	[OVS_KEY_ATTR_MPLS] = {"mpls", ODP_LEN_VARIABLE},
	[OVS_KEY_ATTR_CT_STATE] = {"ct_state", 4},
	[OVS_KEY_ATTR_CT_ZONE] = {"ct_zone", 2},
	[OVS_KEY_ATTR_CT_MARK] = {"ct_mark", 4},
	[OVS_KEY_ATTR_CT_LABELS] = {"ct_label",
				    sizeof(struct ovs_key_ct_labels)},
	[OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV4] =
		{"ct_tuple4", sizeof(struct ovs_key_ct_tuple_ipv4)},
	[OVS_KEY_ATTR_CT_ORIG_TUPLE_IPV6] =
		{"ct_tuple6", sizeof(struct ovs_key_ct_tuple_ipv6)},
	[OVS_KEY_ATTR_NSH] = {"nsh", ODP_LEN_NESTED},
	/* 29-31 are userspace-only and rejected by the kernel; Open vSwitch
	 * 3.1 does not know 32 and prints it as key32(...). */
	[OVS_KEY_ATTR_IPV6_EXTHDRS] = {"key32",
				       sizeof(struct ovs_key_ipv6_exthdrs)},
};

static const struct odp_attr_info tunnel_attrs[] = {
	[OVS_TUNNEL_KEY_ATTR_ID] = {"tun_id", 8},
	[OVS_TUNNEL_KEY_ATTR_IPV4_SRC] = {"src", 4},
	[OVS_TUNNEL_KEY_ATTR_IPV4_DST] = {"dst", 4},
	[OVS_TUNNEL_KEY_ATTR_TOS] = {"tos", 1},
	[OVS_TUNNEL_KEY_ATTR_TTL] = {"ttl", 1},
	[OVS_TUNNEL_KEY_ATTR_DONT_FRAGMENT] = {"df", 0},
	[OVS_TUNNEL_KEY_ATTR_CSUM] = {"csum", 0},
	[OVS_TUNNEL_KEY_ATTR_OAM] = {"oam", 0},
	[OVS_TUNNEL_KEY_ATTR_GENEVE_OPTS] = {"geneve", ODP_LEN_VARIABLE},
	[OVS_TUNNEL_KEY_ATTR_TP_SRC] = {"tp_src", 2},
	[OVS_TUNNEL_KEY_ATTR_TP_DST] = {"tp_dst", 2},
	[OVS_TUNNEL_KEY_ATTR_VXLAN_OPTS] = {"vxlan", ODP_LEN_NESTED},
	[OVS_TUNNEL_KEY_ATTR_IPV6_SRC] = {"ipv6_src", 16},
	[OVS_TUNNEL_KEY_ATTR_IPV6_DST] = {"ipv6_dst", 16},
	[OVS_TUNNEL_KEY_ATTR_PAD] = {"pad", ODP_LEN_VARIABLE},
	[OVS_TUNNEL_KEY_ATTR_ERSPAN_OPTS] = {"erspan", ODP_LEN_VARIABLE},
	[OVS_TUNNEL_KEY_ATTR_IPV4_INFO_BRIDGE] = {"ipv4_info_bridge", 0},
};

static const struct odp_attr_info action_attrs[] = {
	[OVS_ACTION_ATTR_OUTPUT] = {"output", 4},
	[OVS_ACTION_ATTR_USERSPACE] = {"userspace", ODP_LEN_NESTED},
	[OVS_ACTION_ATTR_SET] = {"set", ODP_LEN_NESTED},
	[OVS_ACTION_ATTR_PUSH_VLAN] = {"push_vlan",
				       sizeof(struct ovs_action_push_vlan)},
	[OVS_ACTION_ATTR_POP_VLAN] = {"pop_vlan", 0},
	[OVS_ACTION_ATTR_SAMPLE] = {"sample", ODP_LEN_NESTED},
	[OVS_ACTION_ATTR_RECIRC] = {"recirc", 4},
	[OVS_ACTION_ATTR_HASH] = {"hash", sizeof(struct ovs_action_hash)},
	[OVS_ACTION_ATTR_PUSH_MPLS] = {"push_mpls",
				       sizeof(struct ovs_action_push_mpls)},
	[OVS_ACTION_ATTR_POP_MPLS] = {"pop_mpls", 2},
	[OVS_ACTION_ATTR_SET_MASKED] = {"set_masked", ODP_LEN_NESTED},
	[OVS_ACTION_ATTR_CT] = {"ct", ODP_LEN_NESTED},
	[OVS_ACTION_ATTR_TRUNC] = {"trunc", sizeof(struct ovs_action_trunc)},
	[OVS_ACTION_ATTR_PUSH_ETH] = {"push_eth",
				      sizeof(struct ovs_action_push_eth)},
	[OVS_ACTION_ATTR_POP_ETH] = {"pop_eth", 0},
	[OVS_ACTION_ATTR_CT_CLEAR] = {"ct_clear", 0},
	[OVS_ACTION_ATTR_PUSH_NSH] = {"push_nsh", ODP_LEN_NESTED},
	[OVS_ACTION_ATTR_POP_NSH] = {"pop_nsh", 0},
	[OVS_ACTION_ATTR_METER] = {"meter", 4},
	[OVS_ACTION_ATTR_CLONE] = {"clone", ODP_LEN_NESTED},
	[OVS_ACTION_ATTR_CHECK_PKT_LEN] = {"check_pkt_len", ODP_LEN_NESTED},
	[OVS_ACTION_ATTR_ADD_MPLS] = {"add_mpls",
				      sizeof(struct ovs_action_add_mpls)},
	[OVS_ACTION_ATTR_DEC_TTL] = {"dec_ttl", ODP_LEN_NESTED},
	[ODP_ACTION_ATTR_DROP] = {"drop", 4},
	[ODP_ACTION_ATTR_PSAMPLE] = {"psample", ODP_LEN_NESTED},
};

static const struct odp_attr_info *lookup(const struct odp_attr_info *table,
					  size_t n, int type)
{
	if (type < 0 || (size_t)type >= n || !table[type].name)
		return NULL;
	return &table[type];
}

const struct odp_attr_info *odp_key_attr_info(int type)
{
	return lookup(key_attrs, ARRAY_SIZE(key_attrs), type);
}

const struct odp_attr_info *odp_tunnel_attr_info(int type)
{
	return lookup(tunnel_attrs, ARRAY_SIZE(tunnel_attrs), type);
}

const struct odp_attr_info *odp_action_attr_info(int type)
{
	return lookup(action_attrs, ARRAY_SIZE(action_attrs), type);
}

bool odp_attr_len_ok(const struct odp_attr_info *info, size_t len)
{
	if (info->len >= 0)
		return len == (size_t)info->len;
	return true;
}
