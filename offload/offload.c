/* The offload engine (see include/offload.h).
 *
 * Overlap is judged in the fast path's key space (plan_match): flows are
 * kept in buckets by exact in_port (and one bucket for wildcarded
 * in_port), and a flow is compared with the flows of its own bucket and of
 * the wildcard bucket (all buckets if it is in the wildcard one).  Flows
 * that can only match recirculated or tunnelled frames never overlap one
 * that XDP handles and are kept out of the buckets. */
#include "offload.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "list.h"
#include "log.h"

LOG_MODULE("offload");

#define BUCKET_ANY UINT32_MAX

struct bucket {
	struct hmap_node node;
	uint32_t in_port; /* or BUCKET_ANY */
	struct list flows;
};

struct oflow {
	struct hmap_node node; /* in offload.flows, by record pointer */
	struct list in_bucket; /* in bucket->flows, if first_pass */
	struct list in_full;   /* in offload.full, if TABLE_FULL */
	struct bucket *bucket;
	const struct odp_flow *flow; /* the mirror's record */
	enum plan_verdict verdict;
	bool candidate; /* the planner alone said it fits */
	char *detail;	/* NULL when empty */
	struct plan_match match;
	struct fp_entry fp;
};

struct offload {
	const struct port_table *ports;
	struct fp_table *table;
	uint64_t (*now_ms)(void);
	struct hmap flows;
	struct hmap buckets;
	struct bucket *any;
	struct list full; /* flows waiting for room */
	struct offload_stats stats;
};

static uint32_t ptr_hash(const void *p)
{
	return hash_bytes(&p, sizeof p, 0);
}

static uint32_t port_hash(uint32_t port)
{
	return hash_bytes(&port, sizeof port, 7);
}

static struct bucket *bucket_get(struct offload *o, uint32_t in_port)
{
	struct hmap_node *node;
	struct bucket *b;

	for (node = hmap_first_with_hash(&o->buckets, port_hash(in_port)); node;
	     node = hmap_next_with_hash(node)) {
		b = CONTAINER_OF(node, struct bucket, node);
		if (b->in_port == in_port)
			return b;
	}
	b = calloc(1, sizeof *b);
	if (!b)
		return NULL;
	b->in_port = in_port;
	list_init(&b->flows);
	hmap_insert(&o->buckets, &b->node, port_hash(in_port));
	return b;
}

struct offload *offload_create(const struct port_table *ports,
			       struct fp_table *table, uint64_t (*now_ms)(void))
{
	struct offload *o = calloc(1, sizeof *o);

	if (!o)
		return NULL;
	o->ports = ports;
	o->table = table;
	o->now_ms = now_ms;
	list_init(&o->full);
	if (hmap_init(&o->flows) || hmap_init(&o->buckets) ||
	    !(o->any = bucket_get(o, BUCKET_ANY))) {
		offload_destroy(o);
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

void offload_destroy(struct offload *o)
{
	struct hmap_node *node, *next;

	if (!o)
		return;
	if (o->flows.buckets) {
		hmap_for_each_safe(node, next, &o->flows)
			oflow_free(CONTAINER_OF(node, struct oflow, node));
		hmap_destroy(&o->flows);
	}
	if (o->buckets.buckets) {
		hmap_for_each_safe(node, next, &o->buckets)
			free(CONTAINER_OF(node, struct bucket, node));
		hmap_destroy(&o->buckets);
	}
	free(o);
}

static struct oflow *find(const struct offload *o, const struct odp_flow *f)
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

static void set_verdict(struct offload *o, struct oflow *f, enum plan_verdict v,
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

static void uninstall(struct offload *o, struct oflow *f)
{
	if (!f->fp.installed)
		return;
	fp_table_remove(o->table, &f->fp, o->now_ms());
	o->stats.removals++;
}

/* Calls fn for every other bucketed flow that overlaps f, until fn returns
 * true; returns that flow or NULL. */
static struct oflow *find_overlap(struct offload *o, struct oflow *f,
				  bool (*fn)(struct offload *o, struct oflow *f,
					     struct oflow *g))
{
	struct list *pos, *nxt;
	struct hmap_node *node;

	if (!f->match.first_pass)
		return NULL;
	hmap_for_each(node, &o->buckets) {
		struct bucket *b = CONTAINER_OF(node, struct bucket, node);

		/* Exact in_ports only meet their own bucket and the
		 * wildcard one. */
		if (f->bucket != o->any && b != o->any && b != f->bucket)
			continue;
		list_for_each_safe(pos, nxt, &b->flows)
		{
			struct oflow *g =
				CONTAINER_OF(pos, struct oflow, in_bucket);

			if (g != f &&
			    plan_match_overlap(&f->match, &g->match) &&
			    fn(o, f, g))
				return g;
		}
	}
	return NULL;
}

static bool same_actions(const struct oflow *f, const struct oflow *g)
{
	return buf_equal(&f->flow->actions, &g->flow->actions);
}

/* f (a candidate) must stay in the kernel because of g? */
static bool blocks(struct offload *o, struct oflow *f, struct oflow *g)
{
	(void)o;
	return !g->candidate || !same_actions(f, g);
}

static void install(struct offload *o, struct oflow *f, const struct plan *p)
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

static void refuse_for_overlap(struct offload *o, struct oflow *f,
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
static bool evict(struct offload *o, struct oflow *f, struct oflow *g)
{
	if (g->verdict == PLAN_OFFLOADED)
		refuse_for_overlap(o, g, f);
	return false; /* keep going: evict them all */
}

/* Gives f its verdict from plan p and the flows around it. */
static void settle(struct offload *o, struct oflow *f, const struct plan *p)
{
	struct oflow *g;

	f->candidate = p->verdict == PLAN_OFFLOADED;
	if (!f->candidate) {
		uninstall(o, f);
		set_verdict(o, f, p->verdict, p->detail);
		find_overlap(o, f, evict);
		return;
	}
	g = find_overlap(o, f, blocks);
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

/* Keeps f in the bucket of its in_port (a flow that stays in its bucket
 * keeps its place: callers walk bucket lists while judging). */
static void place_in_bucket(struct offload *o, struct oflow *f)
{
	struct bucket *b = NULL;

	if (f->match.first_pass) {
		b = o->any;
		if (f->match.mask.in_port == UINT32_MAX)
			b = bucket_get(o, f->match.key.in_port);
		if (!b) /* no memory: the wildcard bucket meets everything */
			b = o->any;
	}
	if (b == f->bucket && (!b || list_linked(&f->in_bucket)))
		return;
	if (list_linked(&f->in_bucket))
		list_remove(&f->in_bucket);
	f->bucket = b;
	if (b)
		list_insert(&b->flows, &f->in_bucket);
}

/* Plans f afresh and settles it. */
static void judge(struct offload *o, struct oflow *f)
{
	struct plan *p = malloc(sizeof *p);

	if (!p) {
		uninstall(o, f);
		set_verdict(o, f, PLAN_NOT_UNDERSTOOD, "out of memory");
		return;
	}
	plan_flow(o->ports, f->flow, p);
	f->match = p->match;
	place_in_bucket(o, f);
	settle(o, f, p);
	free(p);
}

/* After f left (or changed), flows it blocked may fit now. */
static void rejudge_blocked(struct offload *o, const struct plan_match *was,
			    struct bucket *b)
{
	struct list *pos, *nxt;
	struct hmap_node *node;

	hmap_for_each(node, &o->buckets) {
		struct bucket *c = CONTAINER_OF(node, struct bucket, node);

		if (b && b != o->any && c != o->any && c != b)
			continue;
		list_for_each_safe(pos, nxt, &c->flows)
		{
			struct oflow *g =
				CONTAINER_OF(pos, struct oflow, in_bucket);

			if (g->verdict == PLAN_OVERLAP &&
			    (!was || plan_match_overlap(was, &g->match))) {
				o->stats.replans++;
				judge(o, g);
			}
		}
	}
}

static void add_flow(struct offload *o, const struct odp_flow *flow)
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
	list_init(&f->in_bucket);
	list_init(&f->in_full);
	hmap_insert(&o->flows, &f->node, ptr_hash(flow));
	judge(o, f);
}

static void modify_flow(struct offload *o, const struct odp_flow *flow)
{
	struct oflow *f = find(o, flow);
	struct plan_match was;
	struct bucket *b;

	if (!f) {
		add_flow(o, flow);
		return;
	}
	was = f->match;
	b = f->bucket;
	judge(o, f);
	rejudge_blocked(o, &was, b);
}

static void remove_flow(struct offload *o, const struct odp_flow *flow)
{
	struct oflow *f = find(o, flow);
	struct plan_match was;
	struct bucket *b;

	if (!f)
		return;
	uninstall(o, f);
	was = f->match;
	b = f->bucket;
	if (list_linked(&f->in_bucket))
		list_remove(&f->in_bucket);
	if (list_linked(&f->in_full))
		list_remove(&f->in_full);
	o->stats.by_verdict[f->verdict]--;
	hmap_remove(&o->flows, &f->node);
	oflow_free(f);
	if (was.first_pass)
		rejudge_blocked(o, &was, b);
}

void offload_mirror_cb(void *aux, enum mirror_change change,
		       const struct odp_flow *old, const struct odp_flow *cur)
{
	struct offload *o = aux;

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

void offload_replan_all(struct offload *o)
{
	struct hmap_node *node;

	hmap_for_each(node, &o->flows) {
		o->stats.replans++;
		judge(o, CONTAINER_OF(node, struct oflow, node));
	}
	/* A flow judged early may have been blocked by one judged later
	 * that has since been freed; one more pass over the blocked ones. */
	rejudge_blocked(o, NULL, NULL);
}

void offload_tick(struct offload *o)
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

int offload_verdict(const struct offload *o, const struct odp_flow *flow,
		    enum plan_verdict *v, const char **detail)
{
	const struct oflow *f = find(o, flow);

	if (!f)
		return -ENOENT;
	*v = f->verdict;
	*detail = f->detail ? f->detail : "";
	return 0;
}

int offload_flow_stats(const struct offload *o, const struct odp_flow *flow,
		       struct ovsx_flow_stats *s)
{
	const struct oflow *f = find(o, flow);

	if (!f)
		return -ENOENT;
	return fp_table_flow_stats(o->table, &f->fp, s);
}

const struct offload_stats *offload_get_stats(const struct offload *o)
{
	return &o->stats;
}
