/* A fixed-bucket histogram of durations in seconds (Prometheus style:
 * cumulative when rendered). */
#ifndef OVSX_HISTOGRAM_H
#define OVSX_HISTOGRAM_H

#include <stddef.h>
#include <stdint.h>

#define HISTOGRAM_BUCKETS 12

struct histogram {
	uint64_t counts[HISTOGRAM_BUCKETS + 1]; /* last: above every bound */
	double sum;
	uint64_t n;
};

/* Upper bounds of the buckets, in seconds, ascending. */
extern const double histogram_bounds[HISTOGRAM_BUCKETS];

void histogram_observe(struct histogram *h, double seconds);
/* The value below which a fraction q (0..1) of observations fall, taken as
 * the upper bound of the bucket that holds it (0 if empty). */
double histogram_quantile(const struct histogram *h, double q);

#endif
