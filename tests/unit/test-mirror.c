/* The datapath mirror against an in-memory fake kernel: notifications,
 * terse deletes, silent flushes, overruns, body-less notifications,
 * UFID-less flows and failed dumps. */
#include <errno.h>
#include <linux/openvswitch.h>
#include <stdlib.h>

#include "mirror.h"
#include "nlattr.h"
#include "test.h"

#define MAX_FAKE 64

struct fake_kernel {
	struct odp_flow flows[MAX_FAKE];
	int n;
	int fail_dump_after; /* -1: never */
	int dumps, gets;
};

static int fake_dump(void *src, ovs_flow_cb cb, void *aux)
{
	struct fake_kernel *k = src;

	k->dumps++;
	for (int i = 0; i < k->n; i++) {
		if (i == k->fail_dump_after)
			return -EINTR;
		int err = cb(&k->flows[i], aux);
		if (err)
			return err;
	}
	return 0;
}

static int fake_get(void *src, const struct odp_flow *id, struct odp_flow *out)
{
	struct fake_kernel *k = src;

	k->gets++;
	for (int i = 0; i < k->n; i++)
		if (odp_flow_id_equal(&k->flows[i], id))
			return odp_flow_copy(out, &k->flows[i]);
	return -ENOENT;
}

static int fake_count(void *src, uint64_t *n)
{
	*n = (uint64_t)((struct fake_kernel *)src)->n;
	return 0;
}

struct recorder {
	int adds, modifies, removes;
	uint32_t last_port; /* output port of the last add/modify */
};

static void record(void *aux, enum mirror_change c, const struct odp_flow *old,
		   const struct odp_flow *cur)
{
	struct recorder *r = aux;
	const struct nlattr *out;

	(void)old;
	if (c == MIRROR_ADD)
		r->adds++;
	else if (c == MIRROR_MODIFY)
		r->modifies++;
	else
		r->removes++;
	if (cur) {
		out = attr_find(cur->actions.data, cur->actions.len,
				OVS_ACTION_ATTR_OUTPUT);
		r->last_port = out ? attr_get_u32(out) : 0;
	}
}

/* A flow on in_port 'in' with output to 'out'; UFID byte 'id' (0: none). */
static void make_flow(struct odp_flow *f, uint8_t id, uint32_t in, uint32_t out)
{
	odp_flow_init(f);
	if (id) {
		f->ufid_len = 16;
		memset(f->ufid, id, 16);
	}
	f->has_key = f->has_mask = f->has_actions = true;
	attr_put_u32(&f->key, OVS_KEY_ATTR_RECIRC_ID, 0);
	attr_put_u32(&f->key, OVS_KEY_ATTR_IN_PORT, in);
	attr_put_u32(&f->mask, OVS_KEY_ATTR_RECIRC_ID, UINT32_MAX);
	attr_put_u32(&f->mask, OVS_KEY_ATTR_IN_PORT, UINT32_MAX);
	attr_put_u32(&f->actions, OVS_ACTION_ATTR_OUTPUT, out);
}

static struct fake_kernel *fake_new(void)
{
	struct fake_kernel *k = calloc(1, sizeof *k);

	k->fail_dump_after = -1;
	return k;
}

static void fake_free(struct fake_kernel *k)
{
	for (int i = 0; i < k->n; i++)
		odp_flow_destroy(&k->flows[i]);
	free(k);
}

static struct mirror *mirror_on(struct fake_kernel *k, struct recorder *r)
{
	struct mirror_source src = {fake_dump, fake_get, fake_count, k, 7};

	return mirror_create(&src, record, r);
}

static void notify(struct mirror *m, uint8_t cmd, const struct odp_flow *f)
{
	struct ovs_event ev = {
		.kind = OVS_EVENT_FLOW, .cmd = cmd, .dp_ifindex = 7, .flow = f};

	mirror_handle_event(m, &ev);
}

TEST(reconcile_loads_and_sweeps)
{
	struct fake_kernel *k = fake_new();
	struct recorder r = {0};
	struct mirror *m = mirror_on(k, &r);

	CHECK(mirror_needs_reconcile(m));
	make_flow(&k->flows[k->n++], 1, 1, 2);
	make_flow(&k->flows[k->n++], 2, 2, 1);
	CHECK_INT(mirror_reconcile(m), 0);
	CHECK_INT(r.adds, 2);
	CHECK_INT(mirror_count(m), 2);
	CHECK(!mirror_needs_reconcile(m));

	/* A silent flush: only the count check notices. */
	odp_flow_destroy(&k->flows[0]);
	odp_flow_destroy(&k->flows[1]);
	k->n = 0;
	CHECK_INT(mirror_check_count(m), 0);
	CHECK(mirror_needs_reconcile(m));
	CHECK_INT(mirror_reconcile(m), 0);
	CHECK_INT(r.removes, 2);
	mirror_destroy(m);
	fake_free(k);
}

TEST(count_mismatch_during_notifications_waits)
{
	struct fake_kernel *k = fake_new();
	struct recorder r = {0};
	struct mirror *m = mirror_on(k, &r);
	struct odp_flow f;

	CHECK_INT(mirror_reconcile(m), 0);
	/* A notification arrived since the last check: the kernel's count
	 * (0 here, the fake has no flow) races with it, so no resync yet. */
	make_flow(&f, 1, 1, 2);
	notify(m, OVS_FLOW_CMD_NEW, &f);
	CHECK_INT(mirror_check_count(m), 0);
	CHECK(!mirror_needs_reconcile(m));
	/* Still different over a quiet interval: now it is a silent change. */
	CHECK_INT(mirror_check_count(m), 0);
	CHECK(mirror_needs_reconcile(m));
	odp_flow_destroy(&f);
	mirror_destroy(m);
	fake_free(k);
}

TEST(reconcile_after_flush_counts_fixes)
{
	struct fake_kernel *k = fake_new();
	struct recorder r = {0};
	struct mirror *m = mirror_on(k, &r);

	make_flow(&k->flows[k->n++], 1, 1, 2);
	make_flow(&k->flows[k->n++], 2, 2, 1);
	CHECK_INT(mirror_reconcile(m), 0);
	odp_flow_destroy(&k->flows[0]);
	odp_flow_destroy(&k->flows[1]);
	k->n = 0;
	CHECK_INT(mirror_reconcile(m), 0);
	CHECK_INT(r.removes, 2);
	CHECK_INT(mirror_count(m), 0);
	/* The first load is not a fix; the two removals are. */
	CHECK_INT((int)mirror_get_stats(m)->reconcile_fixes, 2);
	mirror_destroy(m);
	fake_free(k);
}

TEST(notifications_add_modify_remove)
{
	struct fake_kernel *k = fake_new();
	struct recorder r = {0};
	struct mirror *m = mirror_on(k, &r);
	struct odp_flow f, g, terse;

	make_flow(&f, 5, 1, 2);
	notify(m, OVS_FLOW_CMD_NEW, &f);
	CHECK_INT(r.adds, 1);
	CHECK_INT(r.last_port, 2);

	/* Same rule, new statistics: no change delivered. */
	f.stats.packets = 10;
	notify(m, OVS_FLOW_CMD_SET, &f);
	CHECK_INT(r.modifies, 0);
	CHECK_INT((int)mirror_find(m, &f)->stats.packets, 10);

	/* New actions: a modify. */
	make_flow(&g, 5, 1, 3);
	notify(m, OVS_FLOW_CMD_SET, &g);
	CHECK_INT(r.modifies, 1);
	CHECK_INT(r.last_port, 3);

	/* ovs-vswitchd's terse delete: the UFID and nothing else. */
	odp_flow_init(&terse);
	terse.ufid_len = 16;
	memset(terse.ufid, 5, 16);
	notify(m, OVS_FLOW_CMD_DEL, &terse);
	CHECK_INT(r.removes, 1);
	CHECK_INT(mirror_count(m), 0);

	/* A delete of something unknown is harmless. */
	notify(m, OVS_FLOW_CMD_DEL, &terse);
	CHECK_INT(r.removes, 1);

	/* Events of another datapath are ignored. */
	struct ovs_event other = {.kind = OVS_EVENT_FLOW,
				  .cmd = OVS_FLOW_CMD_NEW,
				  .dp_ifindex = 8,
				  .flow = &f};
	mirror_handle_event(m, &other);
	CHECK_INT(mirror_count(m), 0);

	odp_flow_destroy(&f);
	odp_flow_destroy(&g);
	mirror_destroy(m);
	fake_free(k);
}

/* Records with the same mask share one copy of it, which outlives any one
 * of them (run under valgrind, a use after free would show). */
TEST(records_share_equal_masks)
{
	struct fake_kernel *k = fake_new();
	struct recorder r = {0};
	struct mirror *m = mirror_on(k, &r);
	const struct odp_flow *a, *b;
	struct odp_flow f, g, h;

	make_flow(&f, 1, 1, 2);
	make_flow(&g, 2, 3, 4); /* another key, the same mask */
	notify(m, OVS_FLOW_CMD_NEW, &f);
	notify(m, OVS_FLOW_CMD_NEW, &g);
	a = mirror_find(m, &f);
	b = mirror_find(m, &g);
	CHECK(a && b);
	CHECK(a->mask.data == b->mask.data);
	CHECK(buf_equal(&a->mask, &f.mask));
	CHECK(a->key.data != b->key.data);
	/* A modify keeps the shared mask; a remove leaves it to the other. */
	make_flow(&h, 1, 1, 5);
	notify(m, OVS_FLOW_CMD_SET, &h);
	CHECK_INT(r.modifies, 1);
	notify(m, OVS_FLOW_CMD_DEL, &h);
	CHECK_INT(mirror_count(m), 1);
	b = mirror_find(m, &g);
	CHECK(b && buf_equal(&b->mask, &g.mask));
	odp_flow_destroy(&f);
	odp_flow_destroy(&g);
	odp_flow_destroy(&h);
	mirror_destroy(m);
	fake_free(k);
}

TEST(bodyless_notification_is_fetched)
{
	struct fake_kernel *k = fake_new();
	struct recorder r = {0};
	struct mirror *m = mirror_on(k, &r);
	struct odp_flow terse;

	make_flow(&k->flows[k->n++], 9, 4, 5);
	odp_flow_init(&terse);
	terse.ufid_len = 16;
	memset(terse.ufid, 9, 16);
	notify(m, OVS_FLOW_CMD_NEW, &terse);
	CHECK_INT(k->gets, 1);
	CHECK_INT(r.adds, 1);
	CHECK_INT(r.last_port, 5);

	/* Fetching a flow deleted in the meantime adds nothing. */
	memset(terse.ufid, 10, 16);
	notify(m, OVS_FLOW_CMD_NEW, &terse);
	CHECK_INT(r.adds, 1);
	CHECK(!mirror_needs_reconcile(m) ||
	      mirror_get_stats(m)->reconciles == 0);
	mirror_destroy(m);
	fake_free(k);
}

TEST(flows_without_ufid_are_keyed_by_key)
{
	struct fake_kernel *k = fake_new();
	struct recorder r = {0};
	struct mirror *m = mirror_on(k, &r);
	struct odp_flow a, b, del;

	make_flow(&a, 0, 1, 2);
	make_flow(&b, 0, 2, 1);
	notify(m, OVS_FLOW_CMD_NEW, &a);
	notify(m, OVS_FLOW_CMD_NEW, &b);
	CHECK_INT(mirror_count(m), 2);
	make_flow(&del, 0, 1, 9); /* same key as a; actions do not matter */
	notify(m, OVS_FLOW_CMD_DEL, &del);
	CHECK_INT(mirror_count(m), 1);
	CHECK(mirror_find(m, &b) != NULL);
	CHECK(mirror_find(m, &a) == NULL);
	odp_flow_destroy(&a);
	odp_flow_destroy(&b);
	odp_flow_destroy(&del);
	mirror_destroy(m);
	fake_free(k);
}

TEST(overrun_and_failed_dump)
{
	struct fake_kernel *k = fake_new();
	struct recorder r = {0};
	struct mirror *m = mirror_on(k, &r);
	struct ovs_event overrun = {.kind = OVS_EVENT_OVERRUN};

	for (uint8_t i = 1; i <= 4; i++)
		make_flow(&k->flows[k->n++], i, i, 1);
	CHECK_INT(mirror_reconcile(m), 0);
	mirror_handle_event(m, &overrun);
	CHECK(mirror_needs_reconcile(m));
	CHECK_INT((int)mirror_get_stats(m)->overruns, 1);

	/* The dump breaks after two flows: nothing may be removed. */
	k->fail_dump_after = 2;
	CHECK_INT(mirror_reconcile(m), -EINTR);
	CHECK(mirror_needs_reconcile(m));
	CHECK_INT(mirror_count(m), 4);
	CHECK_INT(r.removes, 0);

	k->fail_dump_after = -1;
	CHECK_INT(mirror_reconcile(m), 0);
	CHECK(!mirror_needs_reconcile(m));
	mirror_destroy(m);
	fake_free(k);
}

TEST(queued_notifications_after_dump_converge)
{
	struct fake_kernel *k = fake_new();
	struct recorder r = {0};
	struct mirror *m = mirror_on(k, &r);
	struct odp_flow f;

	/* NEW and DEL of a flow were queued before a dump that no longer
	 * saw it: replaying them after the dump must end without it. */
	make_flow(&f, 3, 1, 2);
	CHECK_INT(mirror_reconcile(m), 0);
	notify(m, OVS_FLOW_CMD_NEW, &f);
	notify(m, OVS_FLOW_CMD_DEL, &f);
	CHECK_INT(mirror_count(m), 0);
	CHECK_INT(r.adds, 1);
	CHECK_INT(r.removes, 1);
	odp_flow_destroy(&f);
	mirror_destroy(m);
	fake_free(k);
}

TEST(clear_delivers_removals)
{
	struct fake_kernel *k = fake_new();
	struct recorder r = {0};
	struct mirror *m = mirror_on(k, &r);

	for (uint8_t i = 1; i <= 3; i++)
		make_flow(&k->flows[k->n++], i, i, 1);
	CHECK_INT(mirror_reconcile(m), 0);
	mirror_clear(m);
	CHECK_INT(r.removes, 3);
	CHECK_INT(mirror_count(m), 0);
	mirror_destroy(m);
	fake_free(k);
}

/* A datapath deleted and re-created gets a new dp_ifindex: after
 * mirror_set_dp_ifindex() the mirror takes that one's notifications (and
 * no longer the old one's), and reloads it as a first load. */
TEST(rebinds_to_a_recreated_datapath)
{
	struct fake_kernel *k = fake_new();
	struct recorder r = {0};
	struct mirror *m = mirror_on(k, &r);
	struct ovs_event ev = {.kind = OVS_EVENT_FLOW, .cmd = OVS_FLOW_CMD_NEW};
	struct odp_flow f, g;

	CHECK_INT(mirror_reconcile(m), 0);
	mirror_clear(m);
	mirror_set_dp_ifindex(m, 9);
	CHECK(mirror_needs_reconcile(m));
	CHECK_INT(mirror_reconcile(m), 0);
	make_flow(&f, 1, 1, 2);
	make_flow(&g, 2, 2, 1);
	ev.dp_ifindex = 9;
	ev.flow = &f;
	mirror_handle_event(m, &ev);
	ev.dp_ifindex = 7; /* the deleted datapath's */
	ev.flow = &g;
	mirror_handle_event(m, &ev);
	CHECK_INT(mirror_count(m), 1);
	CHECK(mirror_find(m, &f) != NULL);
	CHECK_INT((int)mirror_get_stats(m)->reconcile_fixes, 0);
	odp_flow_destroy(&f);
	odp_flow_destroy(&g);
	mirror_destroy(m);
	fake_free(k);
}

/* A NEW for a UFID the mirror holds proves a silent delete (a flush, then
 * traffic made the flow again: Open vSwitch creates exclusively), so the
 * mirror resynchronises at once; the flush took other flows too. */
TEST(new_for_a_held_ufid_means_a_flush)
{
	struct fake_kernel *k = fake_new();
	struct recorder r = {0};
	struct mirror *m = mirror_on(k, &r);
	struct odp_flow f;

	make_flow(&k->flows[k->n++], 1, 1, 2);
	make_flow(&k->flows[k->n++], 2, 2, 1);
	CHECK_INT(mirror_reconcile(m), 0);
	mirror_notifications_drained(m);
	/* Flushed; flow 1 made again, now a drop (no actions). */
	odp_flow_destroy(&k->flows[1]);
	k->n = 1;
	buf_free(&k->flows[0].actions);
	odp_flow_copy(&f, &k->flows[0]);
	notify(m, OVS_FLOW_CMD_NEW, &f);
	CHECK(mirror_needs_reconcile(m));
	CHECK_INT((int)mirror_get_stats(m)->silent_deletes, 1);
	CHECK_INT(r.modifies, 1); /* the new actions apply at once */
	CHECK_INT(mirror_reconcile(m), 0);
	CHECK_INT(mirror_count(m), 1); /* flow 2 went with the flush */
	CHECK_INT(r.removes, 1);
	mirror_notifications_drained(m);
	/* A flow learnt from a notification, flushed and made again: the
	 * same proof. */
	make_flow(&k->flows[k->n++], 3, 3, 1);
	notify(m, OVS_FLOW_CMD_NEW, &k->flows[1]);
	CHECK(!mirror_needs_reconcile(m));
	notify(m, OVS_FLOW_CMD_NEW, &k->flows[1]);
	CHECK(mirror_needs_reconcile(m));
	CHECK_INT((int)mirror_get_stats(m)->silent_deletes, 2);
	odp_flow_destroy(&f);
	mirror_destroy(m);
	fake_free(k);
}

/* No proof: the NEW of a flow made while a dump ran, which the dump
 * listed already; it is read in the first drain after the dump. */
TEST(new_of_a_flow_the_dump_listed_is_no_flush)
{
	struct fake_kernel *k = fake_new();
	struct recorder r = {0};
	struct mirror *m = mirror_on(k, &r);

	CHECK_INT(mirror_reconcile(m), 0);
	mirror_notifications_drained(m);
	make_flow(&k->flows[k->n++], 1, 1, 2);
	CHECK_INT(mirror_reconcile(m), 0);	   /* lists the new flow */
	notify(m, OVS_FLOW_CMD_NEW, &k->flows[0]); /* queued during it */
	CHECK(!mirror_needs_reconcile(m));
	CHECK_INT((int)mirror_get_stats(m)->silent_deletes, 0);
	mirror_notifications_drained(m);
	/* Once drained, another NEW for it is a proof again. */
	notify(m, OVS_FLOW_CMD_NEW, &k->flows[0]);
	CHECK(mirror_needs_reconcile(m));
	mirror_destroy(m);
	fake_free(k);
}
