/* Every number ovs-xdpd exports, defined once: `ovs-xdpctl stats` prints
 * them and /metrics renders them for Prometheus, both by walking
 * counters_collect().  A metric has a name (Prometheus conventions:
 * ovs_xdp_ prefix, _total for counters, base units), a type, a help text,
 * and samples, each with at most one label. */
#ifndef OVSX_COUNTERS_H
#define OVSX_COUNTERS_H

#include <stddef.h>
#include <stdint.h>

#include "agent.h"

enum metric_type {
	METRIC_COUNTER,
	METRIC_GAUGE,
	METRIC_HISTOGRAM,
};

struct metric {
	const char *name;
	enum metric_type type;
	const char *help;
	const char *label; /* label name, or NULL */
};

/* Receives the samples of one metric.  For histograms: one sample per
 * bucket with label "le" (cumulative), then _sum and _count via suffix. */
struct metric_sink {
	void (*begin)(struct metric_sink *s, const struct metric *m);
	/* label_value is NULL for an unlabelled sample; suffix is "" or
	 * "_bucket", "_sum", "_count". */
	void (*sample)(struct metric_sink *s, const struct metric *m,
		       const char *suffix, const char *label_value,
		       double value);
};

/* Walks every metric of the agent (agent may be NULL: build info only). */
void counters_collect(struct agent *a, struct metric_sink *sink);

#endif
