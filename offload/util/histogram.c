/* Fixed-bucket histogram (see include/histogram.h). */
#include "histogram.h"

#include <math.h>

const double histogram_bounds[HISTOGRAM_BUCKETS] = {
	0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
	0.005,	 0.01,	 0.025,	  0.05,	  0.1,	 1.0,
};

void histogram_observe(struct histogram *h, double seconds)
{
	size_t i = 0;

	while (i < HISTOGRAM_BUCKETS && seconds > histogram_bounds[i])
		i++;
	h->counts[i]++;
	h->sum += seconds;
	h->n++;
}

double histogram_quantile(const struct histogram *h, double q)
{
	uint64_t want, seen = 0;

	if (!h->n)
		return 0;
	want = (uint64_t)ceil(q * (double)h->n);
	for (size_t i = 0; i < HISTOGRAM_BUCKETS; i++) {
		seen += h->counts[i];
		if (seen >= want)
			return histogram_bounds[i];
	}
	return INFINITY;
}
