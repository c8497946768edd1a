/* ovsx-flowchurn DATAPATH FLOWS SECONDS [SEED]: adds, modifies and deletes
 * flows in a datapath as fast as the kernel takes them, for SECONDS, over a
 * pool of FLOWS slots (each slot a distinct Ethernet-source match with a
 * UFID), and prints the operations per second.  It leaves the slots that end
 * up occupied in place, so a mirror can be compared with the kernel after.
 * Run it on a datapath without ovs-vswitchd (which would delete foreign
 * flows): `ovs-dpctl add-dp NAME`. */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/openvswitch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nlattr.h"
#include "ovs-nl.h"
#include "util.h"

struct slot {
	bool present;
	uint32_t out_port;
	uint32_t gen; /* bumps the UFID on every re-add */
};

/* Each run's flows are its own (the seed is in their key and UFID), so
 * runs may follow one another on the same datapath. */
static uint8_t run_seed;

static void build(struct odp_flow *f, uint32_t i, const struct slot *s)
{
	struct ovs_key_ethernet eth = {0}, eth_mask;
	struct ovs_key_ipv4 ipv4 = {0}; /* required after EtherType IPv4 */

	odp_flow_destroy(f);
	f->ufid_len = 16;
	memcpy(f->ufid, &i, 4);
	memcpy(f->ufid + 4, &s->gen, 4);
	memset(f->ufid + 8, run_seed, 8);
	f->has_key = f->has_mask = f->has_actions = true;
	eth.eth_src[0] = 0x02;
	memcpy(eth.eth_src + 2, &i, 4);
	eth.eth_dst[0] = 0x02;
	eth.eth_dst[4] = run_seed;
	eth.eth_dst[5] = 0xee;
	memset(&eth_mask, 0xff, sizeof eth_mask);
	attr_put_u32(&f->key, OVS_KEY_ATTR_RECIRC_ID, 0);
	attr_put_u32(&f->key, OVS_KEY_ATTR_IN_PORT, 1);
	attr_put(&f->key, OVS_KEY_ATTR_ETHERNET, &eth, sizeof eth);
	attr_put_u16(&f->key, OVS_KEY_ATTR_ETHERTYPE, htons(0x0800));
	attr_put(&f->key, OVS_KEY_ATTR_IPV4, &ipv4, sizeof ipv4);
	attr_put_u32(&f->mask, OVS_KEY_ATTR_RECIRC_ID, UINT32_MAX);
	attr_put_u32(&f->mask, OVS_KEY_ATTR_IN_PORT, UINT32_MAX);
	attr_put(&f->mask, OVS_KEY_ATTR_ETHERNET, &eth_mask, sizeof eth_mask);
	attr_put_u16(&f->mask, OVS_KEY_ATTR_ETHERTYPE, 0xffff);
	attr_put_u32(&f->actions, OVS_ACTION_ATTR_OUTPUT, s->out_port);
}

int main(int argc, char **argv)
{
	struct ovs_dp_info dp;
	struct odp_flow f;
	struct ovs_nl *nl;
	struct slot *slots;
	uint64_t ops = 0, errors = 0, end, start;
	uint32_t n;
	int err;

	if (argc < 4) {
		fprintf(stderr,
			"usage: ovsx-flowchurn DATAPATH FLOWS SECONDS [SEED]\n");
		return 2;
	}
	n = (uint32_t)strtoul(argv[2], NULL, 10);
	run_seed = (uint8_t)(argc > 4 ? atoi(argv[4]) : 1);
	srandom(run_seed);
	slots = calloc(n ? n : 1, sizeof *slots);
	err = ovs_nl_open(&nl);
	if (!err)
		err = ovs_nl_dp_get(nl, argv[1], 0, &dp);
	if (err || !slots || !n) {
		fprintf(stderr, "ovsx-flowchurn: %s: %s\n", argv[1],
			strerror(err ? -err : EINVAL));
		return 1;
	}
	odp_flow_init(&f);
	start = time_monotonic_ms();
	end = start + strtoull(argv[3], NULL, 10) * 1000;
	while (time_monotonic_ms() < end) {
		uint32_t i = (uint32_t)random() % n;
		struct slot *s = &slots[i];
		bool del = random() % 3 == 0; /* else add, or modify actions */

		if (!s->present || !del) {
			if (!s->present)
				s->gen++;
			s->out_port = 2 + (uint32_t)random() % 8;
			build(&f, i, s);
			/* As ovs-vswitchd does: create exclusively, change
			 * with SET (a NEW for a flow the kernel has would
			 * look like a flow made again after a flush). */
			err = s->present
				      ? ovs_nl_flow_set(nl, dp.dp_ifindex, &f)
				      : ovs_nl_flow_put(nl, dp.dp_ifindex, &f,
							true);
			s->present = !err || (s->present && err != -ENOENT);
		} else {
			build(&f, i, s);
			err = ovs_nl_flow_del(nl, dp.dp_ifindex, &f);
			s->present = err != 0;
		}
		ops++;
		if (err && !errors++)
			fprintf(stderr, "ovsx-flowchurn: first error: %s\n",
				strerror(-err));
	}
	printf("churn: %llu operations in %.1f s (%.0f/s), %llu errors\n",
	       (unsigned long long)ops, (time_monotonic_ms() - start) / 1000.0,
	       ops * 1000.0 / (double)(time_monotonic_ms() - start),
	       (unsigned long long)errors);
	odp_flow_destroy(&f);
	ovs_nl_close(nl);
	free(slots);
	return errors ? 1 : 0;
}
