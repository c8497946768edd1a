/* ovsx-flowload [--dp NAME] [--delete] FILE|-: puts every flow of a
 * dump-flows text into a kernel datapath over netlink (or deletes them),
 * with a UFID derived from the line (or the line's own ufid:).  For the
 * benchmarks in the test VM: megaflows without ovs-vswitchd, so that the
 * kernel datapath and the agent can be measured on a known table. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow.h"
#include "hash.h"
#include "odp-text.h"
#include "ovs-nl.h"
#include "util.h"

static void ufid_of_line(struct odp_flow *f, const char *line, unsigned n)
{
	uint32_t h[4];

	if (f->ufid_len)
		return;
	for (int i = 0; i < 4; i++)
		h[i] = hash_bytes(line, strlen(line), (uint32_t)i * 7919 + n);
	memcpy(f->ufid, h, 16);
	f->ufid_len = 16;
}

int main(int argc, char **argv)
{
	const char *dp_name = "ovs-system", *file = "-";
	bool del = false;
	struct ovs_dp_info dp;
	struct ovs_nl *nl;
	char *line = NULL, err[256];
	size_t cap = 0;
	unsigned n = 0, done = 0;
	uint64_t t0;
	FILE *in;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dp") && i + 1 < argc)
			dp_name = argv[++i];
		else if (!strcmp(argv[i], "--delete"))
			del = true;
		else
			file = argv[i];
	}
	in = strcmp(file, "-") ? fopen(file, "r") : stdin;
	if (!in || ovs_nl_open(&nl) || ovs_nl_dp_get(nl, dp_name, 0, &dp)) {
		fprintf(stderr,
			"ovsx-flowload: cannot open %s or datapath %s\n", file,
			dp_name);
		return 1;
	}
	t0 = time_monotonic_ms();
	while (getline(&line, &cap, in) > 0) {
		struct odp_flow f;
		int ret;

		line[strcspn(line, "\n")] = '\0';
		if (!*line)
			continue;
		odp_flow_init(&f);
		n++;
		if (odp_parse_flow(line, time_monotonic_ms(), &f, err,
				   sizeof err)) {
			fprintf(stderr, "ovsx-flowload: line %u: %s\n", n, err);
			return 1;
		}
		ufid_of_line(&f, line, n);
		ret = del ? ovs_nl_flow_del(nl, dp.dp_ifindex, &f)
			  : ovs_nl_flow_put(nl, dp.dp_ifindex, &f, true);
		if (ret && ret != -EEXIST && !(del && ret == -ENOENT)) {
			fprintf(stderr, "ovsx-flowload: line %u: %s\n", n,
				strerror(-ret));
			return 1;
		}
		done += !ret;
		odp_flow_destroy(&f);
	}
	printf("{\"flows\": %u, \"%s\": %u, \"seconds\": %.3f}\n", n,
	       del ? "deleted" : "added", done,
	       (time_monotonic_ms() - t0) / 1000.0);
	free(line);
	ovs_nl_close(nl);
	return 0;
}
