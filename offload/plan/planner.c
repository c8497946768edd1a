/* The planner's verdict for one flow (see include/planner.h).  The order of
 * the checks decides which reason a flow that fails several is given:
 * understanding first, then the match, the ingress port, the actions and
 * the output ports. */
#include <stdio.h>
#include <string.h>

#include "planner-private.h"
#include "util.h"

static const char *const verdict_labels[] = {
#define PLAN_VERDICT_LABEL(name, label, text) label,
	PLAN_VERDICTS(PLAN_VERDICT_LABEL)
#undef PLAN_VERDICT_LABEL
};

static const char *const verdict_texts[] = {
#define PLAN_VERDICT_TEXT(name, label, text) text,
	PLAN_VERDICTS(PLAN_VERDICT_TEXT)
#undef PLAN_VERDICT_TEXT
};

const char *plan_verdict_label(enum plan_verdict v)
{
	return (size_t)v < ARRAY_SIZE(verdict_labels) ? verdict_labels[v] : "?";
}

const char *plan_verdict_text(enum plan_verdict v)
{
	return (size_t)v < ARRAY_SIZE(verdict_texts) ? verdict_texts[v] : "?";
}

static enum plan_verdict check_in_port(const struct port_table *ports,
				       const struct flow_match *m,
				       const struct port_info **in,
				       struct plan *p)
{
	*in = port_table_find(ports, m->key.in_port);
	if (!*in) {
		snprintf(p->detail, sizeof p->detail, "port %u is unknown",
			 m->key.in_port);
		return PLAN_IN_PORT;
	}
	if ((*in)->rx_limit != PORT_LIMIT_NONE) {
		snprintf(p->detail, sizeof p->detail, "port %u (%s) is %s",
			 (*in)->port_no, (*in)->name,
			 port_limit_text((*in)->rx_limit));
		return PLAN_IN_PORT;
	}
	return PLAN_OFFLOADED;
}

static enum plan_verdict judge(const struct port_table *ports,
			       const struct odp_flow *f,
			       const struct flow_match *m, struct plan *p)
{
	const struct port_info *in;
	struct odp_actions *acts;
	enum plan_verdict v;

	v = plan_match_verdict(m, p->detail, sizeof p->detail);
	if (v == PLAN_OFFLOADED)
		v = check_in_port(ports, m, &in, p);
	if (v != PLAN_OFFLOADED)
		return v;
	if (!f->has_actions) {
		snprintf(p->detail, sizeof p->detail, "actions not known");
		return PLAN_NOT_UNDERSTOOD;
	}
	acts = odp_actions_decode(f->actions.data, f->actions.len);
	if (!acts) {
		snprintf(p->detail, sizeof p->detail, "out of memory");
		return PLAN_NOT_UNDERSTOOD;
	}
	if (!acts->understood) {
		snprintf(p->detail, sizeof p->detail, "%s", acts->reason);
		v = PLAN_NOT_UNDERSTOOD;
	} else {
		v = plan_compile_actions(ports, in, m, acts, p);
	}
	odp_actions_free(acts);
	return v;
}

void plan_flow(const struct port_table *ports, const struct odp_flow *f,
	       struct plan *p)
{
	struct flow_match m;

	memset(p, 0, sizeof *p);
	if (flow_match_decode(f, &m)) {
		plan_project_partial(f, &p->match);
		snprintf(p->detail, sizeof p->detail, "%s", m.reason);
		p->verdict = PLAN_NOT_UNDERSTOOD;
		return;
	}
	plan_project_match(&m, &p->match);
	p->verdict = judge(ports, f, &m, p);
}
