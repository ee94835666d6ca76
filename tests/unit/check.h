/*
 * A minimal TAP harness for the C unit tests: CHECK(cond) records one
 * failure with its line; each TEST prints "ok N - name" or "not ok N".
 */
#ifndef STICK_CHECK_H
#define STICK_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int check_failures_in_test;
static int check_test_number;
static int check_failed_tests;

#define CHECK(cond) do { \
	if (!(cond)) { \
		printf("#   %s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
		check_failures_in_test++; \
	} \
} while (0)

#define CHECK_STR(a, b) do { \
	const char *check_a_ = (a), *check_b_ = (b); \
	if (!check_a_ || !check_b_ || strcmp(check_a_, check_b_)) { \
		printf("#   %s:%d: '%s' != '%s'\n", __FILE__, __LINE__, \
		       check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)"); \
		check_failures_in_test++; \
	} \
} while (0)

#define TEST(fn) do { \
	check_failures_in_test = 0; \
	fflush(stdout); \
	fn(); \
	fflush(stdout); \
	check_test_number++; \
	if (check_failures_in_test) \
		check_failed_tests++; \
	printf("%sok %d - %s\n", check_failures_in_test ? "not " : "", \
	       check_test_number, #fn); \
} while (0)

#define CHECK_DONE() (check_failed_tests ? 1 : 0)

/* Sends stderr to a temporary file until check_stderr_end(). */
struct check_stderr {
	FILE *tmp;
	int saved;
};

static inline void check_stderr_begin(struct check_stderr *c)
{
	fflush(stderr);
	c->tmp = tmpfile();
	c->saved = dup(2);
	dup2(fileno(c->tmp), 2);
}

/* Restores stderr; returns what was written (valid until the next call). */
static inline const char *check_stderr_end(struct check_stderr *c)
{
	static char text[8192];
	size_t n;

	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	rewind(c->tmp);
	n = fread(text, 1, sizeof(text) - 1, c->tmp);
	text[n] = '\0';
	fclose(c->tmp);
	return text;
}

#endif
