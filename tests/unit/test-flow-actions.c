/* Fixture tests for odp_actions_decode(): every action attribute, nested
 * lists (sample, clone, check_pkt_len, dec_ttl), and each way a list is
 * refused, with its reason text. */
#include "flow-actions.h"

#include <arpa/inet.h>
#include <errno.h>

#include "nlattr.h"
#include "test.h"

static void put(struct buf *b, int type, const void *p, size_t n)
{
	CHECK_INT(attr_put(b, type, p, n), 0);
}

static void put16(struct buf *b, int type, uint16_t v)
{
	CHECK_INT(attr_put_u16(b, type, v), 0);
}

static void put32(struct buf *b, int type, uint32_t v)
{
	CHECK_INT(attr_put_u32(b, type, v), 0);
}

static void flag(struct buf *b, int type)
{
	CHECK_INT(attr_put_flag(b, type), 0);
}

static long nest(struct buf *b, int type)
{
	long off = attr_nest_start(b, type);

	CHECK(off >= 0);
	return off;
}

static void end(struct buf *b, long off)
{
	CHECK_INT(attr_nest_end(b, off), 0);
}

/* Decodes b; the list must be understood with n actions.  The caller frees
 * the list, then b (the list borrows pointers into it). */
static struct odp_actions *decode_ok(struct buf *b, size_t n)
{
	struct odp_actions *acts = odp_actions_decode(b->data, b->len);

	CHECK(acts != NULL);
	if (!acts)
		return NULL;
	CHECK_STR(acts->reason, "");
	CHECK(acts->understood);
	CHECK_INT(acts->n, n);
	return acts;
}

/* Decodes and frees b; the list must be refused with 'why'. */
static void decode_nu(struct buf *b, const char *why)
{
	struct odp_actions *acts = odp_actions_decode(b->data, b->len);

	CHECK(acts != NULL);
	if (acts) {
		CHECK(!acts->understood);
		CHECK_STR(acts->reason, why);
	}
	odp_actions_free(acts);
	buf_free(b);
}

TEST(empty_list_is_drop)
{
	struct odp_actions *acts = odp_actions_decode(NULL, 0);

	CHECK(acts && acts->understood && acts->n == 0);
	odp_actions_free(acts);
	odp_actions_free(NULL);
}

TEST(u32_actions)
{
	struct buf b = BUF_INIT;
	struct odp_actions *acts;

	put32(&b, OVS_ACTION_ATTR_METER, 9);
	put32(&b, OVS_ACTION_ATTR_TRUNC, 100);
	put32(&b, OVS_ACTION_ATTR_OUTPUT, 3);
	put32(&b, OVS_ACTION_ATTR_RECIRC, 0x11);
	put32(&b, ODP_ACTION_ATTR_DROP, 5);
	acts = decode_ok(&b, 5);
	if (acts) {
		CHECK_INT(acts->a[0].type, OVS_ACTION_ATTR_METER);
		CHECK_INT(acts->a[0].u.meter_id, 9);
		CHECK_INT(acts->a[1].type, OVS_ACTION_ATTR_TRUNC);
		CHECK_INT(acts->a[1].u.trunc_len, 100);
		CHECK_INT(acts->a[2].type, OVS_ACTION_ATTR_OUTPUT);
		CHECK_INT(acts->a[2].u.port, 3);
		CHECK_INT(acts->a[3].u.recirc_id, 0x11);
		CHECK_INT(acts->a[4].type, ODP_ACTION_ATTR_DROP);
		CHECK_INT(acts->a[4].u.drop_reason, 5);
	}
	odp_actions_free(acts);
	buf_free(&b);
}

TEST(header_actions)
{
	struct ovs_action_push_vlan pv = {htons(0x88a8), htons(0x1000 | 7)};
	struct ovs_action_hash h = {OVS_HASH_ALG_L4, 0x55};
	struct ovs_action_push_mpls pm = {htonl(0x00001140), htons(0x8847)};
	struct ovs_action_add_mpls am = {htonl(0x2140), htons(0x8848), 1};
	struct ovs_action_push_eth pe = {
		{{1, 2, 3, 4, 5, 6}, {7, 8, 9, 10, 11, 12}}};
	struct buf b = BUF_INIT;
	struct odp_actions *acts;

	put(&b, OVS_ACTION_ATTR_PUSH_VLAN, &pv, sizeof pv);
	flag(&b, OVS_ACTION_ATTR_POP_VLAN);
	put(&b, OVS_ACTION_ATTR_HASH, &h, sizeof h);
	put(&b, OVS_ACTION_ATTR_PUSH_MPLS, &pm, sizeof pm);
	put16(&b, OVS_ACTION_ATTR_POP_MPLS, htons(0x0800));
	put(&b, OVS_ACTION_ATTR_ADD_MPLS, &am, sizeof am);
	put(&b, OVS_ACTION_ATTR_PUSH_ETH, &pe, sizeof pe);
	flag(&b, OVS_ACTION_ATTR_POP_ETH);
	flag(&b, OVS_ACTION_ATTR_CT_CLEAR);
	flag(&b, OVS_ACTION_ATTR_POP_NSH);
	acts = decode_ok(&b, 10);
	if (acts) {
		CHECK_MEM(&acts->a[0].u.push_vlan, &pv, sizeof pv);
		CHECK_INT(acts->a[1].type, OVS_ACTION_ATTR_POP_VLAN);
		CHECK_MEM(&acts->a[2].u.hash, &h, sizeof h);
		CHECK_INT(acts->a[3].u.push_mpls.mpls_lse, htonl(0x1140));
		CHECK_INT(acts->a[3].u.push_mpls.mpls_ethertype, htons(0x8847));
		CHECK_INT(acts->a[4].u.pop_mpls_ethertype, htons(0x0800));
		CHECK_INT(acts->a[5].u.add_mpls.tun_flags, 1);
		CHECK_MEM(&acts->a[6].u.push_eth, &pe, sizeof pe);
		CHECK_INT(acts->a[7].type, OVS_ACTION_ATTR_POP_ETH);
		CHECK_INT(acts->a[8].type, OVS_ACTION_ATTR_CT_CLEAR);
		CHECK_INT(acts->a[9].type, OVS_ACTION_ATTR_POP_NSH);
	}
	odp_actions_free(acts);
	buf_free(&b);
}

TEST(push_vlan_checks)
{
	struct ovs_action_push_vlan pv = {htons(0x8100), htons(100)};
	struct buf b = BUF_INIT;

	put(&b, OVS_ACTION_ATTR_PUSH_VLAN, &pv, sizeof pv);
	decode_nu(&b, "push_vlan: tci 0x0064 without the present bit");
	pv.vlan_tpid = htons(0x0800);
	pv.vlan_tci = htons(0x1064);
	put(&b, OVS_ACTION_ATTR_PUSH_VLAN, &pv, sizeof pv);
	decode_nu(&b, "push_vlan: tpid 0x0800 is not a vlan tpid");
}

TEST(push_nsh_is_understood)
{
	struct buf b = BUF_INIT;
	struct odp_actions *acts;
	long n = nest(&b, OVS_ACTION_ATTR_PUSH_NSH);

	put(&b, OVS_NSH_KEY_ATTR_BASE, (uint8_t[8]){0}, 8);
	end(&b, n);
	acts = decode_ok(&b, 1);
	if (acts)
		CHECK_INT(acts->a[0].type, OVS_ACTION_ATTR_PUSH_NSH);
	odp_actions_free(acts);
	buf_free(&b);
}

TEST(set_plain_and_tunnel)
{
	struct ovs_key_ipv4 ip = {htonl(1), htonl(2), 6, 0, 64, 0};
	struct buf b = BUF_INIT;
	struct odp_actions *acts;
	long s, t;

	s = nest(&b, OVS_ACTION_ATTR_SET);
	put(&b, OVS_KEY_ATTR_IPV4, &ip, sizeof ip);
	end(&b, s);
	s = nest(&b, OVS_ACTION_ATTR_SET);
	t = nest(&b, OVS_KEY_ATTR_TUNNEL);
	put32(&b, OVS_TUNNEL_KEY_ATTR_IPV4_DST, htonl(0xc0a80002));
	CHECK_INT(attr_put_u8(&b, OVS_TUNNEL_KEY_ATTR_TTL, 64), 0);
	end(&b, t);
	end(&b, s);
	s = nest(&b, OVS_ACTION_ATTR_SET);
	put32(&b, OVS_KEY_ATTR_MPLS, htonl(0x1140));
	end(&b, s);
	acts = decode_ok(&b, 3);
	if (acts) {
		const struct odp_set_action *set = &acts->a[0].u.set;

		CHECK_INT(acts->a[0].type, OVS_ACTION_ATTR_SET);
		CHECK_INT(set->key_type, OVS_KEY_ATTR_IPV4);
		CHECK(!set->masked && set->mask == NULL);
		CHECK_INT(set->len, sizeof ip);
		CHECK_MEM(set->value, &ip, sizeof ip);
		set = &acts->a[1].u.set;
		CHECK_INT(set->key_type, OVS_KEY_ATTR_TUNNEL);
		CHECK_INT(set->len, 16); /* the nest payload: two attrs */
		CHECK(attr_find(set->value, set->len,
				OVS_TUNNEL_KEY_ATTR_IPV4_DST) != NULL);
		set = &acts->a[2].u.set;
		CHECK_INT(set->key_type, OVS_KEY_ATTR_MPLS);
		CHECK_INT(set->len, 4);
	}
	odp_actions_free(acts);
	buf_free(&b);
}

TEST(set_errors)
{
	struct buf b = BUF_INIT;
	long s;

	s = nest(&b, OVS_ACTION_ATTR_SET);
	put32(&b, OVS_KEY_ATTR_SKB_MARK, 1);
	put32(&b, OVS_KEY_ATTR_PRIORITY, 1);
	end(&b, s);
	decode_nu(&b, "set: 2 key attributes, expected 1");

	s = nest(&b, OVS_ACTION_ATTR_SET);
	end(&b, s);
	decode_nu(&b, "set: 0 key attributes, expected 1");

	s = nest(&b, OVS_ACTION_ATTR_SET);
	put32(&b, 77, 1);
	end(&b, s);
	decode_nu(&b, "set: unknown key attribute 77");

	s = nest(&b, OVS_ACTION_ATTR_SET);
	put(&b, OVS_KEY_ATTR_IPV4, (uint8_t[16]){0}, 11);
	end(&b, s);
	decode_nu(&b, "set: key attribute ipv4: length 11, expected 12");

	s = nest(&b, OVS_ACTION_ATTR_SET);
	put(&b, OVS_KEY_ATTR_MPLS, (uint8_t[8]){0}, 8);
	end(&b, s);
	decode_nu(&b, "set: key attribute mpls: length 8, expected 4");

	s = nest(&b, OVS_ACTION_ATTR_SET);
	put(&b, OVS_KEY_ATTR_ENCAP, NULL, 0);
	end(&b, s);
	decode_nu(&b, "set: key attribute encap cannot be set");
}

TEST(set_masked)
{
	struct ovs_key_ethernet v[2] = {
		{{0}, {0x02, 0, 0, 0, 0, 0x09}},
		{{0}, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}},
	};
	struct buf b = BUF_INIT;
	struct odp_actions *acts;
	long s;

	s = nest(&b, OVS_ACTION_ATTR_SET_MASKED);
	put(&b, OVS_KEY_ATTR_ETHERNET, v, sizeof v);
	end(&b, s);
	acts = decode_ok(&b, 1);
	if (acts) {
		const struct odp_set_action *set = &acts->a[0].u.set;

		CHECK_INT(acts->a[0].type, OVS_ACTION_ATTR_SET_MASKED);
		CHECK_INT(set->key_type, OVS_KEY_ATTR_ETHERNET);
		CHECK(set->masked);
		CHECK_INT(set->len, sizeof v[0]);
		CHECK_MEM(set->value, &v[0], sizeof v[0]);
		CHECK_MEM(set->mask, &v[1], sizeof v[1]);
	}
	odp_actions_free(acts);
	buf_free(&b);
}

TEST(set_masked_errors)
{
	uint32_t vm[2] = {0x0f, 0xf0};
	struct buf b = BUF_INIT;
	long s, t;

	s = nest(&b, OVS_ACTION_ATTR_SET_MASKED);
	put(&b, OVS_KEY_ATTR_SKB_MARK, vm, sizeof vm);
	end(&b, s);
	decode_nu(&b, "set_masked: skb_mark value has bits outside the mask");

	s = nest(&b, OVS_ACTION_ATTR_SET_MASKED);
	put(&b, OVS_KEY_ATTR_SKB_MARK, vm, 4);
	end(&b, s);
	decode_nu(&b,
		  "set_masked: key attribute skb_mark: length 4, expected 8");

	s = nest(&b, OVS_ACTION_ATTR_SET_MASKED);
	t = nest(&b, OVS_KEY_ATTR_TUNNEL);
	end(&b, t);
	end(&b, s);
	decode_nu(&b, "set_masked: key attribute tunnel cannot be set");
}

TEST(ct_all_attributes)
{
	uint32_t mark[2] = {1, 0xff};
	uint8_t labels[32] = {1};
	struct buf b = BUF_INIT;
	struct odp_actions *acts;
	long c, n;

	c = nest(&b, OVS_ACTION_ATTR_CT);
	flag(&b, OVS_CT_ATTR_COMMIT);
	put16(&b, OVS_CT_ATTR_ZONE, 7);
	put(&b, OVS_CT_ATTR_MARK, mark, sizeof mark);
	put(&b, OVS_CT_ATTR_LABELS, labels, sizeof labels);
	put(&b, OVS_CT_ATTR_HELPER, "ftp", 4);
	n = nest(&b, OVS_CT_ATTR_NAT);
	flag(&b, OVS_NAT_ATTR_SRC);
	put32(&b, OVS_NAT_ATTR_IP_MIN, htonl(0x0a000001));
	put(&b, OVS_NAT_ATTR_IP_MAX, (uint8_t[16]){0}, 16);
	put16(&b, OVS_NAT_ATTR_PROTO_MIN, 1000);
	put16(&b, OVS_NAT_ATTR_PROTO_MAX, 2000);
	flag(&b, OVS_NAT_ATTR_PERSISTENT);
	flag(&b, OVS_NAT_ATTR_PROTO_HASH);
	flag(&b, OVS_NAT_ATTR_PROTO_RANDOM);
	end(&b, n);
	put32(&b, OVS_CT_ATTR_EVENTMASK, 0x3);
	put(&b, OVS_CT_ATTR_TIMEOUT, "tmo", 4);
	end(&b, c);
	c = nest(&b, OVS_ACTION_ATTR_CT);
	flag(&b, OVS_CT_ATTR_FORCE_COMMIT);
	end(&b, c);
	acts = decode_ok(&b, 2);
	if (acts) {
		const struct odp_ct_action *ct = &acts->a[0].u.ct;

		CHECK_INT(acts->a[0].type, OVS_ACTION_ATTR_CT);
		CHECK(ct->commit && !ct->force_commit && ct->nat);
		CHECK(ct->has_zone && ct->zone == 7);
		CHECK(ct->has_mark && ct->has_labels);
		CHECK(ct->has_helper && ct->has_timeout);
		ct = &acts->a[1].u.ct;
		CHECK(!ct->commit && ct->force_commit && !ct->nat);
		CHECK(!ct->has_zone && !ct->has_mark && !ct->has_labels);
		CHECK(!ct->has_helper && !ct->has_timeout);
	}
	odp_actions_free(acts);
	buf_free(&b);
}

TEST(ct_errors)
{
	struct buf b = BUF_INIT;
	long c, n;

	c = nest(&b, OVS_ACTION_ATTR_CT);
	put32(&b, 10, 0);
	end(&b, c);
	decode_nu(&b, "ct: unknown attribute 10");

	c = nest(&b, OVS_ACTION_ATTR_CT);
	put32(&b, OVS_CT_ATTR_ZONE, 1);
	end(&b, c);
	decode_nu(&b, "ct: attribute zone: length 4, expected 2");

	c = nest(&b, OVS_ACTION_ATTR_CT);
	flag(&b, OVS_CT_ATTR_COMMIT);
	flag(&b, OVS_CT_ATTR_COMMIT);
	end(&b, c);
	decode_nu(&b, "ct: duplicate attribute commit");

	c = nest(&b, OVS_ACTION_ATTR_CT);
	n = nest(&b, OVS_CT_ATTR_NAT);
	put16(&b, OVS_NAT_ATTR_IP_MIN, 1);
	end(&b, n);
	end(&b, c);
	decode_nu(&b, "ct: nat: attribute ip_min: length 2, expected 4 or 16");

	c = nest(&b, OVS_ACTION_ATTR_CT);
	n = nest(&b, OVS_CT_ATTR_NAT);
	flag(&b, OVS_NAT_ATTR_SRC);
	flag(&b, OVS_NAT_ATTR_DST);
	end(&b, n);
	end(&b, c);
	decode_nu(&b, "ct: nat: both src and dst");

	c = nest(&b, OVS_ACTION_ATTR_CT);
	n = nest(&b, OVS_CT_ATTR_NAT);
	flag(&b, 12);
	end(&b, n);
	end(&b, c);
	decode_nu(&b, "ct: nat: unknown attribute 12");
}

TEST(userspace)
{
	struct buf b = BUF_INIT;
	struct odp_actions *acts;
	long u;

	u = nest(&b, OVS_ACTION_ATTR_USERSPACE);
	put32(&b, OVS_USERSPACE_ATTR_PID, 4242);
	put(&b, OVS_USERSPACE_ATTR_USERDATA, "cookie", 6);
	put32(&b, OVS_USERSPACE_ATTR_EGRESS_TUN_PORT, 3);
	flag(&b, OVS_USERSPACE_ATTR_ACTIONS);
	end(&b, u);
	acts = decode_ok(&b, 1);
	if (acts)
		CHECK_INT(acts->a[0].u.userspace.pid, 4242);
	odp_actions_free(acts);
	buf_free(&b);

	u = nest(&b, OVS_ACTION_ATTR_USERSPACE);
	put(&b, OVS_USERSPACE_ATTR_USERDATA, "x", 1);
	end(&b, u);
	decode_nu(&b, "userspace: missing pid");
}

TEST(sample_clone_nested)
{
	struct buf b = BUF_INIT;
	struct odp_actions *acts;
	long s, a, c;

	s = nest(&b, OVS_ACTION_ATTR_SAMPLE);
	put32(&b, OVS_SAMPLE_ATTR_PROBABILITY, UINT32_MAX / 2);
	a = nest(&b, OVS_SAMPLE_ATTR_ACTIONS);
	c = nest(&b, OVS_ACTION_ATTR_CLONE);
	put32(&b, OVS_ACTION_ATTR_OUTPUT, 7);
	flag(&b, OVS_ACTION_ATTR_POP_VLAN);
	end(&b, c);
	end(&b, a);
	end(&b, s);
	c = nest(&b, OVS_ACTION_ATTR_CLONE);
	end(&b, c);
	acts = decode_ok(&b, 2);
	if (acts) {
		const struct odp_actions *in = acts->a[0].u.sample.actions;

		CHECK_INT(acts->a[0].u.sample.probability, UINT32_MAX / 2);
		CHECK(in && in->understood && in->n == 1);
		if (in && in->n == 1) {
			const struct odp_actions *cl = in->a[0].u.nested;

			CHECK_INT(in->a[0].type, OVS_ACTION_ATTR_CLONE);
			CHECK(cl && cl->n == 2);
			if (cl && cl->n == 2) {
				CHECK_INT(cl->a[0].u.port, 7);
				CHECK_INT(cl->a[1].type,
					  OVS_ACTION_ATTR_POP_VLAN);
			}
		}
		CHECK(acts->a[1].u.nested && acts->a[1].u.nested->n == 0);
	}
	odp_actions_free(acts);
	buf_free(&b);
}

TEST(sample_errors)
{
	struct buf b = BUF_INIT;
	long s, a;

	s = nest(&b, OVS_ACTION_ATTR_SAMPLE);
	put32(&b, OVS_SAMPLE_ATTR_PROBABILITY, 1);
	end(&b, s);
	decode_nu(&b, "sample: missing probability or actions");

	/* A nested list not understood: the parent takes its reason. */
	s = nest(&b, OVS_ACTION_ATTR_SAMPLE);
	put32(&b, OVS_SAMPLE_ATTR_PROBABILITY, 1);
	a = nest(&b, OVS_SAMPLE_ATTR_ACTIONS);
	put32(&b, OVS_ACTION_ATTR_OUTPUT, 1);
	put32(&b, 99, 1);
	end(&b, a);
	end(&b, s);
	decode_nu(&b, "unknown action 99");
}

TEST(check_pkt_len)
{
	struct buf b = BUF_INIT;
	struct odp_actions *acts;
	long c, g, l;

	c = nest(&b, OVS_ACTION_ATTR_CHECK_PKT_LEN);
	put16(&b, OVS_CHECK_PKT_LEN_ATTR_PKT_LEN, 1500);
	g = nest(&b, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER);
	put32(&b, OVS_ACTION_ATTR_OUTPUT, 1);
	end(&b, g);
	l = nest(&b, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL);
	put32(&b, OVS_ACTION_ATTR_OUTPUT, 2);
	put32(&b, OVS_ACTION_ATTR_OUTPUT, 3);
	end(&b, l);
	end(&b, c);
	acts = decode_ok(&b, 1);
	if (acts) {
		const struct odp_action *a = &acts->a[0];

		CHECK_INT(a->u.check_pkt_len.pkt_len, 1500);
		CHECK(a->u.check_pkt_len.greater->n == 1);
		CHECK(a->u.check_pkt_len.less_equal->n == 2);
		CHECK_INT(a->u.check_pkt_len.less_equal->a[1].u.port, 3);
	}
	odp_actions_free(acts);
	buf_free(&b);

	c = nest(&b, OVS_ACTION_ATTR_CHECK_PKT_LEN);
	put16(&b, OVS_CHECK_PKT_LEN_ATTR_PKT_LEN, 1500);
	g = nest(&b, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER);
	end(&b, g);
	end(&b, c);
	decode_nu(&b, "check_pkt_len: missing size or a branch");

	/* The second branch fails after the first was decoded: no leak. */
	c = nest(&b, OVS_ACTION_ATTR_CHECK_PKT_LEN);
	put16(&b, OVS_CHECK_PKT_LEN_ATTR_PKT_LEN, 1500);
	g = nest(&b, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_GREATER);
	put32(&b, OVS_ACTION_ATTR_OUTPUT, 1);
	end(&b, g);
	l = nest(&b, OVS_CHECK_PKT_LEN_ATTR_ACTIONS_IF_LESS_EQUAL);
	put(&b, OVS_ACTION_ATTR_OUTPUT, "ab", 2);
	end(&b, l);
	end(&b, c);
	decode_nu(&b, "action output: length 2, expected 4");
}

TEST(dec_ttl)
{
	struct buf b = BUF_INIT;
	struct odp_actions *acts;
	long d, a, u;

	d = nest(&b, OVS_ACTION_ATTR_DEC_TTL);
	a = nest(&b, OVS_DEC_TTL_ATTR_ACTION);
	u = nest(&b, OVS_ACTION_ATTR_USERSPACE);
	put32(&b, OVS_USERSPACE_ATTR_PID, 1);
	end(&b, u);
	end(&b, a);
	end(&b, d);
	acts = decode_ok(&b, 1);
	if (acts) {
		const struct odp_actions *le = acts->a[0].u.nested;

		CHECK_INT(acts->a[0].type, OVS_ACTION_ATTR_DEC_TTL);
		CHECK(le && le->n == 1);
		if (le && le->n == 1)
			CHECK_INT(le->a[0].type, OVS_ACTION_ATTR_USERSPACE);
	}
	odp_actions_free(acts);
	buf_free(&b);

	d = nest(&b, OVS_ACTION_ATTR_DEC_TTL);
	end(&b, d);
	decode_nu(&b, "dec_ttl: missing le_1 actions");
}

TEST(psample)
{
	struct buf b = BUF_INIT;
	struct odp_actions *acts;
	long p;

	p = nest(&b, ODP_ACTION_ATTR_PSAMPLE);
	put32(&b, ODP_PSAMPLE_ATTR_GROUP, 3);
	put(&b, ODP_PSAMPLE_ATTR_COOKIE, "0123456789abcdef", 16);
	end(&b, p);
	acts = decode_ok(&b, 1);
	if (acts)
		CHECK_INT(acts->a[0].type, ODP_ACTION_ATTR_PSAMPLE);
	odp_actions_free(acts);
	buf_free(&b);

	p = nest(&b, ODP_ACTION_ATTR_PSAMPLE);
	put32(&b, ODP_PSAMPLE_ATTR_GROUP, 3);
	put(&b, ODP_PSAMPLE_ATTR_COOKIE, "0123456789abcdefg", 17);
	end(&b, p);
	decode_nu(&b, "psample: cookie of 17 bytes, at most 16");

	p = nest(&b, ODP_ACTION_ATTR_PSAMPLE);
	put(&b, ODP_PSAMPLE_ATTR_COOKIE, "01", 2);
	end(&b, p);
	decode_nu(&b, "psample: missing group");
}

TEST(list_errors)
{
	uint8_t junk[3] = {1, 2, 3};
	struct buf b = BUF_INIT;

	put32(&b, 99, 1);
	decode_nu(&b, "unknown action 99");
	put32(&b, OVS_ACTION_ATTR_UNSPEC, 1);
	decode_nu(&b, "unknown action 0");
	put32(&b, 26, 1); /* userspace-only TUNNEL_PUSH */
	decode_nu(&b, "unknown action 26");
	put16(&b, OVS_ACTION_ATTR_OUTPUT, 1);
	decode_nu(&b, "action output: length 2, expected 4");
	put32(&b, OVS_ACTION_ATTR_POP_VLAN, 1);
	decode_nu(&b, "action pop_vlan: length 4, expected 0");
	put32(&b, OVS_ACTION_ATTR_OUTPUT, 1);
	CHECK_INT(buf_put(&b, junk, sizeof junk), 0);
	decode_nu(&b, "action stream truncated");
	put32(&b, OVS_ACTION_ATTR_OUTPUT, 1);
	b.data[0] = 12; /* longer than the stream */
	decode_nu(&b, "action stream truncated");
}

/* 'levels' clones, each inside the previous one, around one output. */
static void nested_clones(struct buf *b, int levels)
{
	long off[16];

	for (int i = 0; i < levels; i++)
		off[i] = nest(b, OVS_ACTION_ATTR_CLONE);
	put32(b, OVS_ACTION_ATTR_OUTPUT, 1);
	for (int i = levels - 1; i >= 0; i--)
		end(b, off[i]);
}

TEST(nesting_depth)
{
	struct buf b = BUF_INIT;
	struct odp_actions *acts;

	nested_clones(&b, 8);
	acts = decode_ok(&b, 1);
	odp_actions_free(acts);
	buf_free(&b);

	nested_clones(&b, 9);
	decode_nu(&b, "actions nested too deeply");
}

/* A list vswitchd emits for a conntrack pipeline and a tunnel output. */
TEST(realistic_list)
{
	struct buf b = BUF_INIT;
	struct odp_actions *acts;
	long c, s, t;

	c = nest(&b, OVS_ACTION_ATTR_CT);
	put16(&b, OVS_CT_ATTR_ZONE, 1);
	end(&b, c);
	put32(&b, OVS_ACTION_ATTR_RECIRC, 0x2);
	s = nest(&b, OVS_ACTION_ATTR_SET);
	t = nest(&b, OVS_KEY_ATTR_TUNNEL);
	CHECK_INT(attr_put_u64(&b, OVS_TUNNEL_KEY_ATTR_ID, 0), 0);
	put32(&b, OVS_TUNNEL_KEY_ATTR_IPV4_DST, htonl(0xc0a80002));
	end(&b, t);
	end(&b, s);
	put32(&b, OVS_ACTION_ATTR_OUTPUT, 4);
	acts = decode_ok(&b, 4);
	if (acts) {
		CHECK_INT(acts->a[0].type, OVS_ACTION_ATTR_CT);
		CHECK_INT(acts->a[0].u.ct.zone, 1);
		CHECK_INT(acts->a[1].u.recirc_id, 2);
		CHECK_INT(acts->a[2].u.set.key_type, OVS_KEY_ATTR_TUNNEL);
		CHECK_INT(acts->a[3].u.port, 4);
	}
	odp_actions_free(acts);
	buf_free(&b);
}
