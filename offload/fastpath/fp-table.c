/* The user-space shadow of the fast path's maps (see include/fp-table.h). */
#include "fp-table.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

LOG_MODULE("fp_table");

enum res_state {
	RES_FREE,
	RES_USED,
	RES_QUARANTINE,
};

struct mask_res {
	enum res_state state;
	uint32_t refs;
	uint64_t release_at;
	struct ovsx_key mask;
};

struct group_res {
	enum res_state state;
	uint32_t refs;
	uint64_t release_at;
	size_t n;
	int ifindex[OVSX_MAX_GROUP_PORTS]; /* sorted */
};

struct quarantined_slot {
	uint32_t slot;
	uint64_t release_at;
};

struct fp_table {
	struct fp_backend *b;
	uint64_t quarantine_ms;
	struct mask_res *masks;
	uint32_t n_masks_scanned; /* what the backend's n_masks is */
	struct group_res groups[OVSX_MAX_GROUPS];
	uint32_t *free_slots; /* stack */
	uint32_t n_free;
	struct quarantined_slot *quarantine; /* FIFO ring */
	uint32_t q_head, q_len;
	uint32_t flows;
};

struct fp_table *fp_table_create(struct fp_backend *b, uint64_t quarantine_ms)
{
	struct fp_table *t = calloc(1, sizeof *t);

	if (!t)
		return NULL;
	t->b = b;
	t->quarantine_ms = quarantine_ms;
	t->masks = calloc(b->max_masks, sizeof *t->masks);
	t->free_slots = calloc(b->max_flows, sizeof *t->free_slots);
	t->quarantine = calloc(b->max_flows, sizeof *t->quarantine);
	if (!t->masks || !t->free_slots || !t->quarantine) {
		fp_table_destroy(t);
		errno = ENOMEM;
		return NULL;
	}
	/* Popped from the end: slot 0 first. */
	for (uint32_t i = 0; i < b->max_flows; i++)
		t->free_slots[i] = b->max_flows - 1 - i;
	t->n_free = b->max_flows;
	return t;
}

void fp_table_destroy(struct fp_table *t)
{
	if (!t)
		return;
	free(t->masks);
	free(t->free_slots);
	free(t->quarantine);
	free(t);
}

static int update_n_masks(struct fp_table *t)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < t->b->max_masks; i++)
		if (t->masks[i].state == RES_USED)
			n = i + 1;
	if (n == t->n_masks_scanned)
		return 0;
	t->n_masks_scanned = n;
	return t->b->ops->set_n_masks(t->b, n);
}

/* Finds or publishes a mask; returns its id, -ENOSPC or -errno.  A
 * quarantined mask with the same bits is taken back at once: the
 * quarantine keeps a frame that read the old mask from probing a new one
 * under the same id, and here old and new are the same (without this, a
 * flow deleted and re-added, as ovs-vswitchd does all the time, used up a
 * mask id each time and the table ran out of them within the quarantine). */
static int mask_ref(struct fp_table *t, const struct ovsx_key *mask)
{
	struct ovsx_mask m = {.active = 1, .mask = *mask};
	int free_id = -1, err;

	for (uint32_t i = 0; i < t->b->max_masks; i++) {
		struct mask_res *r = &t->masks[i];
		bool same = !memcmp(&r->mask, mask, sizeof *mask);

		if (r->state == RES_USED && same) {
			r->refs++;
			return (int)i;
		}
		if (r->state == RES_QUARANTINE && same)
			free_id = (int)i;
		if (r->state == RES_FREE && free_id < 0)
			free_id = (int)i;
	}
	if (free_id < 0)
		return -ENOSPC;
	err = t->b->ops->set_mask(t->b, (uint32_t)free_id, &m);
	if (err)
		return err;
	t->masks[free_id] =
		(struct mask_res){.state = RES_USED, .refs = 1, .mask = *mask};
	err = update_n_masks(t);
	return err ? err : free_id;
}

static void mask_unref(struct fp_table *t, uint32_t id, uint64_t now)
{
	struct mask_res *r = &t->masks[id];
	struct ovsx_mask off = {.active = 0, .mask = r->mask};

	if (--r->refs)
		return;
	/* No flow uses it any more: stop scanning it, reuse it later. */
	if (t->b->ops->set_mask(t->b, id, &off))
		LOG_WARN_RL("cannot deactivate mask %u", id);
	r->state = RES_QUARANTINE;
	r->release_at = now + t->quarantine_ms;
	if (update_n_masks(t))
		LOG_WARN_RL("cannot update the mask count");
}

static int cmp_int(const void *a, const void *b)
{
	return (*(const int *)a > *(const int *)b) -
	       (*(const int *)a < *(const int *)b);
}

/* Finds or fills a broadcast group for this port set; returns its id,
 * -ENOSPC or -errno. */
static int group_ref(struct fp_table *t, const struct plan *p)
{
	int set[OVSX_MAX_GROUP_PORTS], free_id = -1, err;
	size_t n = p->n_group;

	memcpy(set, p->group_ifindex, n * sizeof *set);
	qsort(set, n, sizeof *set, cmp_int);
	for (int i = 0; i < OVSX_MAX_GROUPS; i++) {
		struct group_res *g = &t->groups[i];

		bool same =
			g->n == n && !memcmp(g->ifindex, set, n * sizeof *set);

		if (g->state == RES_USED && same) {
			g->refs++;
			return i;
		}
		/* Same ports: safe to take back at once (as masks). */
		if (g->state == RES_QUARANTINE && same)
			free_id = i;
		if (g->state == RES_FREE && free_id < 0)
			free_id = i;
	}
	if (free_id < 0)
		return -ENOSPC;
	err = t->b->ops->set_group(t->b, (uint32_t)free_id, set, n);
	if (err)
		return err;
	t->groups[free_id] =
		(struct group_res){.state = RES_USED, .refs = 1, .n = n};
	memcpy(t->groups[free_id].ifindex, set, n * sizeof *set);
	return free_id;
}

static void group_unref(struct fp_table *t, int id, uint64_t now)
{
	struct group_res *g;

	if (id < 0)
		return;
	g = &t->groups[id];
	if (--g->refs)
		return;
	g->state = RES_QUARANTINE;
	g->release_at = now + t->quarantine_ms;
}

static void slot_release(struct fp_table *t, uint32_t slot, uint64_t now)
{
	uint32_t tail = (t->q_head + t->q_len) % t->b->max_flows;

	t->quarantine[tail] =
		(struct quarantined_slot){slot, now + t->quarantine_ms};
	t->q_len++;
}

void fp_table_expire(struct fp_table *t, uint64_t now_ms)
{
	while (t->q_len && t->quarantine[t->q_head].release_at <= now_ms) {
		t->free_slots[t->n_free++] = t->quarantine[t->q_head].slot;
		t->q_head = (t->q_head + 1) % t->b->max_flows;
		t->q_len--;
	}
	for (uint32_t i = 0; i < t->b->max_masks; i++)
		if (t->masks[i].state == RES_QUARANTINE &&
		    t->masks[i].release_at <= now_ms)
			t->masks[i].state = RES_FREE;
	for (int i = 0; i < OVSX_MAX_GROUPS; i++)
		if (t->groups[i].state == RES_QUARANTINE &&
		    t->groups[i].release_at <= now_ms)
			t->groups[i].state = RES_FREE;
}

/* The resources of one installation, taken all or none. */
struct taken {
	int mask_id;
	int group;
	uint32_t slot;
};

static void give_back(struct fp_table *t, const struct taken *k, uint64_t now)
{
	if (k->mask_id >= 0)
		mask_unref(t, (uint32_t)k->mask_id, now);
	group_unref(t, k->group, now);
}

static int take(struct fp_table *t, const struct plan *p, struct taken *k,
		char *detail, size_t n)
{
	k->group = -1;
	k->mask_id = mask_ref(t, &p->match.mask);
	if (k->mask_id == -ENOSPC)
		snprintf(detail, n, "%u masks in use", t->b->max_masks);
	if (k->mask_id < 0)
		return k->mask_id;
	if (p->actions.out_kind == OVSX_OUT_GROUP) {
		k->group = group_ref(t, p);
		if (k->group == -ENOSPC)
			snprintf(detail, n, "%d output groups in use",
				 OVSX_MAX_GROUPS);
		if (k->group < 0) {
			int err = k->group;

			k->group = -1;
			give_back(t, k, 0);
			return err;
		}
	}
	if (!t->n_free) {
		snprintf(detail, n, "%u flows in use", t->b->max_flows);
		give_back(t, k, 0);
		return -ENOSPC;
	}
	k->slot = t->free_slots[--t->n_free];
	return 0;
}

static void flow_key_of(struct ovsx_flow_key *fk, uint32_t mask_id,
			const struct ovsx_key *key)
{
	memset(fk, 0, sizeof *fk);
	fk->mask_id = mask_id;
	fk->key = *key;
}

/* Adds the slot's counts to the entry's carry before the slot goes. */
static void carry_stats(struct fp_table *t, struct fp_entry *e)
{
	struct ovsx_flow_stats s;

	if (!t->b->ops->read_stats(t->b, e->slot, &s)) {
		e->carry_packets += s.packets;
		e->carry_bytes += s.bytes;
	}
}

static int publish(struct fp_table *t, const struct plan *p,
		   const struct taken *k)
{
	struct ovsx_actions a = p->actions;
	struct ovsx_flow_key fk;
	int err;

	if (k->group >= 0)
		a.out_group = (uint32_t)k->group;
	err = t->b->ops->write_slot(t->b, k->slot, &a);
	if (err)
		return err;
	flow_key_of(&fk, (uint32_t)k->mask_id, &p->match.key);
	return t->b->ops->put_flow(t->b, &fk, k->slot);
}

int fp_table_install(struct fp_table *t, struct fp_entry *e,
		     const struct plan *p, uint64_t now_ms, char *detail,
		     size_t n)
{
	struct taken k;
	struct ovsx_flow_key old;
	int err;

	fp_table_expire(t, now_ms);
	err = take(t, p, &k, detail, n);
	if (err)
		return err;
	err = publish(t, p, &k);
	if (err) {
		t->free_slots[t->n_free++] = k.slot;
		give_back(t, &k, now_ms);
		LOG_WARN_RL("cannot write a flow to the fast path: %s",
			    strerror(-err));
		return err;
	}
	if (e->installed) {
		/* The new entry is live: retire the old one.  The match is
		 * the same, so the mask is (its id held by the old entry)
		 * and put_flow already replaced the flow in place. */
		if (e->mask_id != (uint32_t)k.mask_id) {
			flow_key_of(&old, e->mask_id, &p->match.key);
			if (t->b->ops->del_flow(t->b, &old))
				LOG_WARN_RL("cannot delete a replaced flow");
		}
		carry_stats(t, e);
		slot_release(t, e->slot, now_ms);
		mask_unref(t, e->mask_id, now_ms);
		group_unref(t, e->group, now_ms);
	} else {
		t->flows++;
	}
	e->installed = true;
	e->mask_id = (uint32_t)k.mask_id;
	e->slot = k.slot;
	e->group = k.group;
	return t->b->ops->bump_generation(t->b);
}

void fp_table_remove(struct fp_table *t, struct fp_entry *e,
		     const struct ovsx_key *key, uint64_t now_ms)
{
	struct ovsx_flow_key fk;

	if (!e->installed)
		return;
	flow_key_of(&fk, e->mask_id, key);
	if (t->b->ops->del_flow(t->b, &fk))
		LOG_WARN_RL("cannot delete a flow from the fast path");
	if (t->b->ops->bump_generation(t->b))
		LOG_WARN_RL("cannot bump the fast path's generation");
	slot_release(t, e->slot, now_ms);
	mask_unref(t, e->mask_id, now_ms);
	group_unref(t, e->group, now_ms);
	e->installed = false;
	e->group = -1;
	t->flows--;
}

int fp_table_flow_stats(struct fp_table *t, const struct fp_entry *e,
			struct ovsx_flow_stats *out)
{
	int err = 0;

	memset(out, 0, sizeof *out);
	if (e->installed)
		err = t->b->ops->read_stats(t->b, e->slot, out);
	out->packets += e->carry_packets;
	out->bytes += e->carry_bytes;
	return err;
}

void fp_table_usage(const struct fp_table *t, struct fp_usage *u)
{
	memset(u, 0, sizeof *u);
	u->flows = t->flows;
	u->max_flows = t->b->max_flows;
	u->max_masks = t->b->max_masks;
	u->max_groups = OVSX_MAX_GROUPS;
	u->quarantined = t->q_len;
	for (uint32_t i = 0; i < t->b->max_masks; i++)
		u->masks += t->masks[i].state == RES_USED;
	for (int i = 0; i < OVSX_MAX_GROUPS; i++)
		u->groups += t->groups[i].state == RES_USED;
}
