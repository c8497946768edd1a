/* Runner for the TEST() harness (see test.h). */
#include "test.h"

#include <stdarg.h>
#include <stdlib.h>

#define MAX_TESTS 512

static struct {
	const char *name;
	test_fn fn;
} tests[MAX_TESTS];
static int n_tests;
static int failures_in_test;

void test_register(const char *name, test_fn fn)
{
	if (n_tests == MAX_TESTS) {
		fprintf(stderr, "too many tests (max %d)\n", MAX_TESTS);
		exit(2);
	}
	tests[n_tests].name = name;
	tests[n_tests].fn = fn;
	n_tests++;
}

void test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	failures_in_test++;
}

void test_skip_all(const char *fmt, ...)
{
	va_list ap;

	printf("SKIP: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	exit(TEST_SKIP_CODE);
}

static bool selected(int argc, char **argv, const char *name)
{
	if (argc < 2)
		return true;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return true;
	return false;
}

int main(int argc, char **argv)
{
	int run = 0, failed = 0;

	for (int i = 0; i < n_tests; i++) {
		if (!selected(argc, argv, tests[i].name))
			continue;
		failures_in_test = 0;
		tests[i].fn();
		run++;
		if (failures_in_test) {
			failed++;
			printf("FAIL %s\n", tests[i].name);
		} else {
			printf("ok   %s\n", tests[i].name);
		}
	}
	printf("%d tests, %d passed, %d failed\n", run, run - failed, failed);
	if (!run) {
		fprintf(stderr, "no test matched\n");
		return 2;
	}
	return failed ? 1 : 0;
}
