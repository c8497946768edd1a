/* A minimal unit-test harness: TEST(name) { ... CHECK(...); } in any file
 * linked with test-main.c registers the test; the binary runs them all (or
 * those named on the command line), prints one line per failure with file
 * and line, and exits non-zero if any check failed. */
#ifndef OVSX_TEST_H
#define OVSX_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef void (*test_fn)(void);
void test_register(const char *name, test_fn fn);
void test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Exit status that ctest reports as "skipped". */
#define TEST_SKIP_CODE 77
/* Ends the whole binary as skipped, with the reason on stdout. */
void test_skip_all(const char *fmt, ...)
	__attribute__((format(printf, 1, 2), noreturn));

#define TEST(name)                                                     \
	static void name(void);                                        \
	__attribute__((constructor)) static void name##_register(void) \
	{                                                              \
		test_register(#name, name);                            \
	}                                                              \
	static void name(void)

#define CHECK(cond)                                                        \
	do {                                                               \
		if (!(cond))                                               \
			test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond); \
	} while (0)

#define CHECK_INT(a, b)                                                        \
	do {                                                                   \
		long long a_ = (long long)(a), b_ = (long long)(b);            \
		if (a_ != b_)                                                  \
			test_fail(__FILE__, __LINE__, "%s == %lld, want %lld", \
				  #a, a_, b_);                                 \
	} while (0)

#define CHECK_STR(a, b)                                                       \
	do {                                                                  \
		const char *a_ = (a), *b_ = (b);                              \
		if (strcmp(a_, b_))                                           \
			test_fail(__FILE__, __LINE__,                         \
				  "%s:\n  got:  %s\n  want: %s", #a, a_, b_); \
	} while (0)

#define CHECK_MEM(a, b, n)                                                    \
	do {                                                                  \
		if (memcmp((a), (b), (n)))                                    \
			test_fail(__FILE__, __LINE__, "%s != %s (%zu bytes)", \
				  #a, #b, (size_t)(n));                       \
	} while (0)

#endif
