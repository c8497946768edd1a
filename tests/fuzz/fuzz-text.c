/* libFuzzer target for the dump-flows text parser (odp_parse_flow and
 * friends), whose input is untrusted text saved by users.
 *
 * Whatever parses must print, and what it prints must parse again and
 * print identically: print(parse(print(parse(x)))) == print(parse(x)), in
 * both the verbose (-m, with port names) and the plain form.  The match
 * and action parsers are run on the same text too.  Any crash, sanitizer
 * report or broken fixed point aborts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "odp-text.h"

#define NOW_MS 100000000ULL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct odp_port_name ports[] = {
	{0, "ovs-system"},
	{1, "br0"},
	{2, "ovs-ns1"},
	{3, "eth3"},
};
static const struct odp_port_names names = {ports, 4};

static void die(const char *what, const char *a, const char *b)
{
	fprintf(stderr, "%s\n  first:  %s\n  second: %s\n", what, a, b);
	abort();
}

/* Prints f, parses the text back, prints again: the two must agree. */
static void check_fixed_point(const struct odp_flow *f, bool verbose)
{
	struct odp_format_opts o = {.verbose = verbose,
				    .stats = true,
				    .now_ms = NOW_MS,
				    .names = verbose ? &names : NULL};
	struct ds t1 = DS_INIT, t2 = DS_INIT;
	struct odp_flow g;
	char err[256];

	odp_flow_init(&g);
	odp_format_flow(&t1, f, &o);
	if (odp_parse_flow_names(ds_cstr(&t1), NOW_MS, o.names, &g, err,
				 sizeof err))
		die(err, ds_cstr(&t1), "(does not parse)");
	odp_format_flow(&t2, &g, &o);
	if (strcmp(ds_cstr(&t1), ds_cstr(&t2)))
		die("print(parse(text)) != text", ds_cstr(&t1), ds_cstr(&t2));
	odp_flow_destroy(&g);
	ds_free(&t1);
	ds_free(&t2);
}

static void check_parts(const char *text)
{
	struct buf acts = BUF_INIT;
	struct ds s = DS_INIT;
	struct odp_flow f;
	uint8_t ufid[16];
	char err[256];

	odp_flow_init(&f);
	if (!odp_parse_match(text, &f, err, sizeof err))
		odp_format_match(&s, &f, true);
	if (!odp_parse_actions(text, &acts, err, sizeof err))
		odp_format_actions(&s, acts.data, acts.len);
	if (!odp_parse_ufid(text, ufid))
		odp_format_ufid(&s, ufid, sizeof ufid);
	odp_flow_destroy(&f);
	buf_free(&acts);
	ds_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct odp_flow f;
	char err[256];
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	odp_flow_init(&f);
	for (int verbose = 0; verbose < 2; verbose++) {
		const struct odp_port_names *n = verbose ? &names : NULL;

		if (!odp_parse_flow_names(text, NOW_MS, n, &f, err, sizeof err))
			check_fixed_point(&f, verbose);
		else if (!err[0] || strchr(err, '\n'))
			die("error message not one line", text, err);
	}
	check_parts(text);
	odp_flow_destroy(&f);
	free(text);
	return 0;
}
