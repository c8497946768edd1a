/* The offload engine (see include/engine.h).
 *
 * Overlap is judged in the fast path's key space (plan_match) through an
 * index (overlap.c).  Flows that can only match recirculated or tunnelled
 * frames never overlap one that XDP handles and are kept out of it. */
#include "engine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "hmap.h"
#include "list.h"
#include "overlap.h"
#include "log.h"
#include "vec.h"

LOG_MODULE("offload");

struct oflow {
	struct hmap_node node;	     /* in offload.flows, by record pointer */
	struct overlap_node overlap; /* in offload.overlaps, if first_pass */
	struct list in_full;	     /* in offload.full, if TABLE_FULL */
	const struct odp_flow *flow; /* the mirror's record */
	enum plan_verdict verdict;
	bool candidate;	 /* the planner alone said it fits */
	bool first_pass; /* of its match (plan_match.first_pass) */
	char *detail;	 /* NULL when empty */
	/* Its match's key; the mask is the overlap index's copy, shared by
	 * every flow with the same one (overlap_mask()): a flow that is not
	 * first-pass can overlap nothing, and its mask matters nowhere. */
	struct ovsx_key key;
	struct fp_entry fp;
};

struct engine {
	const struct port_table *ports;
	struct fp_table *table;
	uint64_t (*now_ms)(void);
	struct hmap flows;
	struct overlap_index *overlaps;
	struct list full; /* flows waiting for room */
	struct engine_stats stats;
};

static uint32_t ptr_hash(const void *p)
{
	return hash_bytes(&p, sizeof p, 0);
}

struct engine *engine_create(const struct port_table *ports,
			     struct fp_table *table, uint64_t (*now_ms)(void))
{
	struct engine *o = calloc(1, sizeof *o);

	if (!o)
		return NULL;
	o->ports = ports;
	o->table = table;
	o->now_ms = now_ms;
	list_init(&o->full);
	o->overlaps = overlap_create();
	if (hmap_init(&o->flows) || !o->overlaps) {
		engine_destroy(o);
		errno = ENOMEM;
		return NULL;
	}
	return o;
}

static void oflow_free(struct oflow *f)
{
	free(f->detail);
	free(f);
}

void engine_destroy(struct engine *o)
{
	struct hmap_node *node, *next;

	if (!o)
		return;
	if (o->flows.buckets) {
		hmap_for_each_safe(node, next, &o->flows)
			oflow_free(CONTAINER_OF(node, struct oflow, node));
		hmap_destroy(&o->flows);
	}
	overlap_destroy(o->overlaps);
	free(o);
}

static struct oflow *find(const struct engine *o, const struct odp_flow *f)
{
	struct hmap_node *node;

	for (node = hmap_first_with_hash(&o->flows, ptr_hash(f)); node;
	     node = hmap_next_with_hash(node)) {
		struct oflow *of = CONTAINER_OF(node, struct oflow, node);

		if (of->flow == f)
			return of;
	}
	return NULL;
}

static void set_verdict(struct engine *o, struct oflow *f, enum plan_verdict v,
			const char *detail)
{
	o->stats.by_verdict[f->verdict]--;
	o->stats.by_verdict[v]++;
	f->verdict = v;
	free(f->detail);
	f->detail = detail && *detail ? strdup(detail) : NULL;
	if (list_linked(&f->in_full))
		list_remove(&f->in_full);
	if (v == PLAN_TABLE_FULL)
		list_insert(&o->full, &f->in_full);
}

static void uninstall(struct engine *o, struct oflow *f)
{
	if (!f->fp.installed)
		return;
	fp_table_remove(o->table, &f->fp, &f->key, o->now_ms());
	o->stats.removals++;
}

struct overlap_call {
	struct engine *o;
	struct oflow *f;
	bool (*fn)(struct engine *o, struct oflow *f, struct oflow *g);
};

static bool overlap_call(struct overlap_node *n, void *aux)
{
	struct overlap_call *c = aux;

	return c->fn(c->o, c->f, CONTAINER_OF(n, struct oflow, overlap));
}

/* Calls fn for every other indexed flow that overlaps f (whose match is
 * m), until fn returns true; returns that flow or NULL.  fn must not change
 * the index. */
static struct oflow *
find_overlap(struct engine *o, struct oflow *f, const struct plan_match *m,
	     bool (*fn)(struct engine *o, struct oflow *f, struct oflow *g))
{
	struct overlap_call c = {o, f, fn};
	struct overlap_node *n =
		overlap_search(o->overlaps, m, &f->overlap, overlap_call, &c);

	return n ? CONTAINER_OF(n, struct oflow, overlap) : NULL;
}

static bool same_actions(const struct oflow *f, const struct oflow *g)
{
	return buf_equal(&f->flow->actions, &g->flow->actions);
}

/* f (a candidate) must stay in the kernel because of g? */
static bool blocks(struct engine *o, struct oflow *f, struct oflow *g)
{
	(void)o;
	return !g->candidate || !same_actions(f, g);
}

static void install(struct engine *o, struct oflow *f, const struct plan *p)
{
	char detail[96] = "";
	int err;

	err = fp_table_install(o->table, &f->fp, p, o->now_ms(), detail,
			       sizeof detail);
	if (!err) {
		o->stats.installs++;
		set_verdict(o, f, PLAN_OFFLOADED, NULL);
		return;
	}
	if (err != -ENOSPC) {
		o->stats.install_errors++;
		snprintf(detail, sizeof detail, "fast path update failed: %s",
			 strerror(-err));
	}
	/* A failed replacement leaves the old entry installed: take it out,
	 * the flow is not what the kernel has any more. */
	uninstall(o, f);
	set_verdict(o, f, PLAN_TABLE_FULL, detail);
}

static void refuse_for_overlap(struct engine *o, struct oflow *f,
			       const struct oflow *g)
{
	char detail[64];

	if (g->flow->ufid_len == 16) {
		uint32_t w[4];

		memcpy(w, g->flow->ufid, sizeof w);
		snprintf(detail, sizeof detail,
			 "with ufid:%08x-%04x-%04x-%04x-%04x%08x", w[0],
			 w[1] >> 16, w[1] & 0xffff, w[2] >> 16, w[2] & 0xffff,
			 w[3]);
	} else {
		snprintf(detail, sizeof detail, "with a flow without UFID");
	}
	uninstall(o, f);
	set_verdict(o, f, PLAN_OVERLAP, detail);
}

/* f now stays in the kernel: an offloaded flow overlapping it must too. */
static bool evict(struct engine *o, struct oflow *f, struct oflow *g)
{
	if (g->verdict == PLAN_OFFLOADED)
		refuse_for_overlap(o, g, f);
	return false; /* keep going: evict them all */
}

/* Gives f its verdict from plan p and the flows around it. */
static void settle(struct engine *o, struct oflow *f, const struct plan *p)
{
	struct oflow *g;

	f->candidate = p->verdict == PLAN_OFFLOADED;
	if (!f->candidate) {
		uninstall(o, f);
		set_verdict(o, f, p->verdict, p->detail);
		find_overlap(o, f, &p->match, evict);
		return;
	}
	g = find_overlap(o, f, &p->match, blocks);
	if (g) {
		refuse_for_overlap(o, f, g);
		/* Two offloadable flows with different actions overlap: the
		 * kernel's choice between them is its own, so neither runs
		 * in XDP. */
		if (g->verdict == PLAN_OFFLOADED)
			refuse_for_overlap(o, g, f);
		return;
	}
	install(o, f, p);
}

/* Sets f's match, keeping the index in step (the index hashes it) and the
 * fast path too: its entry is keyed by the match, so it goes first if the
 * match changes (the mirror's flows keep theirs for life: this is a
 * safeguard, not a path traffic takes). */
static void set_match(struct engine *o, struct oflow *f,
		      const struct plan_match *m)
{
	const struct ovsx_key *mask = overlap_mask(&f->overlap);
	bool same = !memcmp(&f->key, &m->key, sizeof m->key) &&
		    f->first_pass == m->first_pass &&
		    (!m->first_pass ||
		     (mask && !memcmp(mask, &m->mask, sizeof m->mask)));

	if (same)
		return;
	uninstall(o, f);
	overlap_remove(o->overlaps, &f->overlap);
	f->key = m->key;
	f->first_pass = m->first_pass;
	if (f->first_pass &&
	    overlap_insert(o->overlaps, &f->overlap, &f->key, &m->mask))
		LOG_WARN_RL(
			"out of memory: a flow is left out of overlap checks");
}

/* f's match as indexed, into *m; false if it is not indexed (it is not
 * first-pass, or memory ran out when it was indexed). */
static bool indexed_match(const struct oflow *f, struct plan_match *m)
{
	const struct ovsx_key *mask = overlap_mask(&f->overlap);

	if (!mask)
		return false;
	m->key = f->key;
	m->mask = *mask;
	m->first_pass = true;
	return true;
}

/* Plans f afresh and settles it. */
static void judge(struct engine *o, struct oflow *f)
{
	struct plan *p = malloc(sizeof *p);

	if (!p) {
		uninstall(o, f);
		set_verdict(o, f, PLAN_NOT_UNDERSTOOD, "out of memory");
		return;
	}
	plan_flow(o->ports, f->flow, p);
	set_match(o, f, &p->match);
	settle(o, f, p);
	free(p);
}

/* Flows refused for overlap, collected for another judgement. */
struct blocked {
	struct oflow **v;
	size_t n, cap;
};

static bool add_blocked(struct blocked *b, struct oflow *g)
{
	struct oflow **v;

	if (g->verdict != PLAN_OVERLAP)
		return false;
	v = vec_grow(b->v, &b->cap, b->n, sizeof *v);
	if (!v)
		return true; /* out of memory: judge those found */
	b->v = v;
	b->v[b->n++] = g;
	return false;
}

static bool collect_blocked(struct overlap_node *n, void *aux)
{
	return add_blocked(aux, CONTAINER_OF(n, struct oflow, overlap));
}

/* After a flow left or changed ('was' its old match; NULL: it may have
 * blocked any flow), flows it blocked may fit now.  They are collected first: judging one
 * changes the index being searched. */
static void rejudge_blocked(struct engine *o, const struct plan_match *was)
{
	struct blocked b = {0};
	struct hmap_node *node;

	if (was) {
		overlap_search(o->overlaps, was, NULL, collect_blocked, &b);
	} else {
		hmap_for_each(node, &o->flows)
			if (add_blocked(&b,
					CONTAINER_OF(node, struct oflow, node)))
				break;
	}
	for (size_t i = 0; i < b.n; i++) {
		o->stats.replans++;
		judge(o, b.v[i]);
	}
	free(b.v);
}

static void add_flow(struct engine *o, const struct odp_flow *flow)
{
	struct oflow *f = calloc(1, sizeof *f);

	if (!f) {
		LOG_WARN_RL("out of memory: a flow stays in the kernel unseen");
		return;
	}
	f->flow = flow;
	f->fp.group = -1;
	f->verdict = PLAN_NOT_UNDERSTOOD;
	o->stats.by_verdict[f->verdict]++;
	list_init(&f->in_full);
	hmap_insert(&o->flows, &f->node, ptr_hash(flow));
	judge(o, f);
}

/* After f's match changed or f left: 'was' its old match, 'indexed'
 * whether it was known, 'first_pass' whether it could block anything. */
static void after_change(struct engine *o, const struct plan_match *was,
			 bool indexed, bool first_pass)
{
	if (first_pass)
		rejudge_blocked(o, indexed ? was : NULL);
}

static void modify_flow(struct engine *o, const struct odp_flow *flow)
{
	struct oflow *f = find(o, flow);
	struct plan_match was;
	bool indexed, first_pass;

	if (!f) {
		add_flow(o, flow);
		return;
	}
	indexed = indexed_match(f, &was);
	first_pass = f->first_pass;
	judge(o, f);
	after_change(o, &was, indexed, first_pass);
}

static void remove_flow(struct engine *o, const struct odp_flow *flow)
{
	struct oflow *f = find(o, flow);
	struct plan_match was;
	bool indexed, first_pass;

	if (!f)
		return;
	uninstall(o, f);
	indexed = indexed_match(f, &was);
	first_pass = f->first_pass;
	overlap_remove(o->overlaps, &f->overlap);
	if (list_linked(&f->in_full))
		list_remove(&f->in_full);
	o->stats.by_verdict[f->verdict]--;
	hmap_remove(&o->flows, &f->node);
	oflow_free(f);
	after_change(o, &was, indexed, first_pass);
}

void engine_mirror_cb(void *aux, enum mirror_change change,
		      const struct odp_flow *old, const struct odp_flow *cur)
{
	struct engine *o = aux;

	switch (change) {
	case MIRROR_ADD:
		add_flow(o, cur);
		break;
	case MIRROR_MODIFY:
		modify_flow(o, cur);
		break;
	case MIRROR_REMOVE:
		remove_flow(o, old);
		break;
	}
}

void engine_replan_all(struct engine *o)
{
	struct hmap_node *node;

	hmap_for_each(node, &o->flows) {
		o->stats.replans++;
		judge(o, CONTAINER_OF(node, struct oflow, node));
	}
	/* A flow judged early may have been blocked by one judged later
	 * that has since been freed; one more pass over the blocked ones. */
	rejudge_blocked(o, NULL);
}

void engine_tick(struct engine *o)
{
	struct list *pos, *nxt;
	struct fp_usage u;

	fp_table_expire(o->table, o->now_ms());
	fp_table_usage(o->table, &u);
	list_for_each_safe(pos, nxt, &o->full)
	{
		if (u.flows + u.quarantined >= u.max_flows)
			break;
		o->stats.replans++;
		judge(o, CONTAINER_OF(pos, struct oflow, in_full));
		fp_table_usage(o->table, &u);
	}
}

int engine_verdict(const struct engine *o, const struct odp_flow *flow,
		   enum plan_verdict *v, const char **detail)
{
	const struct oflow *f = find(o, flow);

	if (!f)
		return -ENOENT;
	*v = f->verdict;
	*detail = f->detail ? f->detail : "";
	return 0;
}

int engine_flow_stats(const struct engine *o, const struct odp_flow *flow,
		      struct ovsx_flow_stats *s)
{
	const struct oflow *f = find(o, flow);

	if (!f)
		return -ENOENT;
	return fp_table_flow_stats(o->table, &f->fp, s);
}

const struct engine_stats *engine_get_stats(const struct engine *o)
{
	return &o->stats;
}
