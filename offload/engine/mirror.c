/* The live mirror of the kernel datapath's flow table (see
 * include/mirror.h).
 *
 * Ordering argument: notifications for one flow arrive in the order the
 * kernel applied the changes, so applying them in order leaves each flow in
 * its latest state.  A dump taken after draining the notification socket
 * only adds what the notifications missed; notifications queued during the
 * dump are applied afterwards and are newer.  Flushes are silent, hence the
 * n_flows check and the periodic reconcile, and the silent-delete proof:
 * Open vSwitch creates flows exclusively (NLM_F_CREATE: the kernel answers
 * EEXIST for a flow it has) and changes them with SET, so a NEW for a UFID
 * the mirror holds means the kernel had lost the old flow without a word
 * (a flush, then traffic made the flow again), and other flows may have
 * gone with it: resynchronise at once.  One NEW is no proof: that of a flow
 * made while a dump ran, which the dump listed already.  Such entries are
 * marked with the dump's generation until a complete drain of the
 * notification socket that ends late enough after the dump to have read
 * every notification sent during it (the kernel sends them just after
 * releasing its lock; the live mirror waits NOTIFY_LAG_MS), which the
 * caller reports with mirror_notifications_drained(). */
#include "mirror.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "log.h"
#include "shared-bytes.h"

LOG_MODULE("mirror");

struct mirror_entry {
	struct hmap_node node;
	struct odp_flow flow;
	uint64_t seen_gen; /* generation of the last dump that listed it */
	/* generation of the dump that added or changed it, 0 if a
	 * notification did (see the silent-delete proof above) */
	uint64_t dump_gen;
};

struct mirror {
	struct hmap table;
	struct shared_bytes masks; /* the records' masks, one copy of each */
	struct mirror_source src;
	mirror_cb cb;
	void *aux;
	uint64_t gen;
	uint64_t drained_gen; /* every notification sent before this dump
			       * generation ended has been applied */
	uint64_t flow_events_since_check;
	bool needs_reconcile;
	bool loaded; /* a reconcile has completed: later ones count fixes */
	struct mirror_stats stats;
};

struct mirror *mirror_create(const struct mirror_source *src, mirror_cb cb,
			     void *aux)
{
	struct mirror *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	if (hmap_init(&m->table) || shared_bytes_init(&m->masks)) {
		hmap_destroy(&m->table);
		free(m);
		errno = ENOMEM;
		return NULL;
	}
	m->src = *src;
	m->cb = cb;
	m->aux = aux;
	m->needs_reconcile = true;
	return m;
}

/* A record's copy of f: key and actions in one block of their own (one
 * allocation, not two, per flow), the mask shared with every record that
 * has the same one.  Returns 0 or -ENOMEM (dst untouched). */
static int record_set(struct mirror *m, struct odp_flow *dst,
		      const struct odp_flow *f)
{
	size_t klen = f->key.len, alen = f->actions.len;
	const uint8_t *mask = NULL;
	uint8_t *block;

	block = malloc(klen + alen ? klen + alen : 1);
	if (!block)
		return -ENOMEM;
	if (f->mask.len) {
		mask = shared_bytes_ref(&m->masks, f->mask.data, f->mask.len);
		if (!mask) {
			free(block);
			return -ENOMEM;
		}
	}
	if (klen)
		memcpy(block, f->key.data, klen);
	if (alen)
		memcpy(block + klen, f->actions.data, alen);
	*dst = *f;
	/* Read-only to everyone: only record_release() lets go of them. */
	dst->key = (struct buf){block, klen, klen};
	dst->actions = (struct buf){block + klen, alen, alen};
	dst->mask = (struct buf){(uint8_t *)mask, f->mask.len, f->mask.len};
	return 0;
}

static void record_release(struct mirror *m, struct odp_flow *f)
{
	if (f->mask.data)
		shared_bytes_unref(&m->masks, f->mask.data);
	free(f->key.data); /* the block: key, then actions */
	odp_flow_init(f);
}

static void entry_free(struct mirror *m, struct mirror_entry *e)
{
	record_release(m, &e->flow);
	free(e);
}

void mirror_destroy(struct mirror *m)
{
	struct hmap_node *node, *next;

	if (!m)
		return;
	hmap_for_each_safe(node, next, &m->table)
		entry_free(m, CONTAINER_OF(node, struct mirror_entry, node));
	hmap_destroy(&m->table);
	shared_bytes_destroy(&m->masks);
	free(m);
}

static struct mirror_entry *find(const struct mirror *m,
				 const struct odp_flow *id)
{
	uint32_t hash = odp_flow_id_hash(id);
	struct hmap_node *node;

	for (node = hmap_first_with_hash(&m->table, hash); node;
	     node = hmap_next_with_hash(node)) {
		struct mirror_entry *e =
			CONTAINER_OF(node, struct mirror_entry, node);

		if (odp_flow_id_equal(&e->flow, id))
			return e;
	}
	return NULL;
}

static void remove_entry(struct mirror *m, struct mirror_entry *e)
{
	hmap_remove(&m->table, &e->node);
	m->stats.removes++;
	m->cb(m->aux, MIRROR_REMOVE, &e->flow, NULL);
	entry_free(m, e);
}

/* Makes the table's copy of f's identity equal to f.  Returns 1 if the
 * match or actions changed (a change was delivered), 0 if only statistics
 * did, or -ENOMEM (the table is unchanged). */
static int upsert(struct mirror *m, const struct odp_flow *f,
		  struct mirror_entry **out)
{
	struct mirror_entry *e = find(m, f);
	struct odp_flow old;

	if (e && odp_flow_same_rule(&e->flow, f)) {
		e->flow.stats = f->stats;
		*out = e;
		return 0;
	}
	if (!e) {
		e = calloc(1, sizeof *e);
		if (!e || record_set(m, &e->flow, f)) {
			free(e);
			return -ENOMEM;
		}
		hmap_insert(&m->table, &e->node, odp_flow_id_hash(f));
		m->stats.adds++;
		m->cb(m->aux, MIRROR_ADD, NULL, &e->flow);
		*out = e;
		return 1;
	}
	old = e->flow;
	if (record_set(m, &e->flow, f)) {
		e->flow = old;
		return -ENOMEM;
	}
	m->stats.modifies++;
	m->cb(m->aux, MIRROR_MODIFY, &old, &e->flow);
	record_release(m, &old);
	*out = e;
	return 1;
}

/* A NEW/SET that lacks key, mask or actions (the requester asked for a
 * terse reply) is completed from the kernel. */
static void apply_new_or_set(struct mirror *m, const struct odp_flow *f)
{
	struct mirror_entry *e;
	struct odp_flow full;
	int err;

	if (f->has_key && f->has_mask && f->has_actions) {
		if (upsert(m, f, &e) < 0)
			m->needs_reconcile = true;
		return;
	}
	odp_flow_init(&full);
	m->stats.fetches++;
	err = m->src.get(m->src.src, f, &full);
	if (!err && upsert(m, &full, &e) >= 0) {
		odp_flow_destroy(&full);
		return;
	}
	odp_flow_destroy(&full);
	if (err == -ENOENT) /* already deleted; its DEL follows */
		return;
	m->stats.errors++;
	m->needs_reconcile = true;
	LOG_WARN_RL("cannot fetch a notified flow: %s", strerror(-err));
}

static void apply_flow_event(struct mirror *m, const struct ovs_event *ev)
{
	struct mirror_entry *e;

	m->flow_events_since_check++;
	switch (ev->cmd) {
	case OVS_FLOW_CMD_NEW:
		m->stats.events_new++;
		e = ev->flow->ufid_len ? find(m, ev->flow) : NULL;
		if (e && e->dump_gen <= m->drained_gen) {
			m->stats.silent_deletes++;
			m->needs_reconcile = true;
			LOG_RL(LOG_LEVEL_INFO,
			       "a flow was made again under a UFID held: "
			       "the kernel lost flows silently (a "
			       "flush?); resynchronising");
		}
		apply_new_or_set(m, ev->flow);
		if (e && (e = find(m, ev->flow)))
			e->dump_gen = 0;
		break;
	case OVS_FLOW_CMD_SET:
		m->stats.events_set++;
		apply_new_or_set(m, ev->flow);
		break;
	case OVS_FLOW_CMD_DEL:
		m->stats.events_del++;
		e = find(m, ev->flow);
		if (e)
			remove_entry(m, e);
		break;
	default:
		break;
	}
}

void mirror_handle_event(struct mirror *m, const struct ovs_event *ev)
{
	if (m->src.dp_ifindex && ev->kind != OVS_EVENT_OVERRUN &&
	    ev->dp_ifindex != m->src.dp_ifindex)
		return;
	switch (ev->kind) {
	case OVS_EVENT_FLOW:
		apply_flow_event(m, ev);
		break;
	case OVS_EVENT_OVERRUN:
		m->stats.overruns++;
		m->needs_reconcile = true;
		break;
	case OVS_EVENT_DATAPATH:
		m->needs_reconcile = true;
		break;
	case OVS_EVENT_VPORT:
		break;
	}
}

static int reconcile_one(const struct odp_flow *f, void *aux)
{
	struct mirror *m = aux;
	struct mirror_entry *e;
	int ret = upsert(m, f, &e);

	if (ret < 0)
		return ret;
	if (m->loaded)
		m->stats.reconcile_fixes += (uint64_t)ret;
	e->seen_gen = m->gen;
	if (ret)
		e->dump_gen = m->gen;
	return 0;
}

int mirror_reconcile(struct mirror *m)
{
	struct hmap_node *node, *next;
	int err;

	m->gen++;
	err = m->src.dump(m->src.src, reconcile_one, m);
	if (err) {
		m->stats.errors++;
		m->needs_reconcile = true;
		return err;
	}
	hmap_for_each_safe(node, next, &m->table) {
		struct mirror_entry *e =
			CONTAINER_OF(node, struct mirror_entry, node);

		if (e->seen_gen != m->gen) {
			m->stats.reconcile_fixes++;
			remove_entry(m, e);
		}
	}
	m->stats.reconciles++;
	m->needs_reconcile = false;
	m->loaded = true;
	return 0;
}

int mirror_check_count(struct mirror *m)
{
	uint64_t n;
	int err = m->src.count(m->src.src, &n);

	if (err)
		return err;
	/* While notifications flow, the counts race with them and a mismatch
	 * proves nothing; the periodic reconcile covers that time.  A mismatch
	 * over a quiet interval is a silent change (a flush): resync now. */
	if (n != hmap_count(&m->table)) {
		m->stats.count_mismatches++;
		if (!m->flow_events_since_check)
			m->needs_reconcile = true;
	}
	m->flow_events_since_check = 0;
	return 0;
}

void mirror_notifications_drained(struct mirror *m)
{
	m->drained_gen = m->gen;
}

bool mirror_needs_reconcile(const struct mirror *m)
{
	return m->needs_reconcile;
}

void mirror_set_dp_ifindex(struct mirror *m, int dp_ifindex)
{
	m->src.dp_ifindex = dp_ifindex;
	m->needs_reconcile = true;
	m->loaded = false; /* its next reconcile is a first load */
}

void mirror_clear(struct mirror *m)
{
	struct hmap_node *node, *next;

	hmap_for_each_safe(node, next, &m->table)
		remove_entry(m, CONTAINER_OF(node, struct mirror_entry, node));
}

size_t mirror_count(const struct mirror *m)
{
	return hmap_count(&m->table);
}

const struct odp_flow *mirror_find(const struct mirror *m,
				   const struct odp_flow *id)
{
	struct mirror_entry *e = find(m, id);

	return e ? &e->flow : NULL;
}

void mirror_for_each(const struct mirror *m,
		     void (*fn)(const struct odp_flow *f, void *aux), void *aux)
{
	struct hmap_node *node;

	hmap_for_each(node, &m->table)
		fn(&CONTAINER_OF(node, struct mirror_entry, node)->flow, aux);
}

const struct mirror_stats *mirror_get_stats(const struct mirror *m)
{
	return &m->stats;
}
