/*
 * What every fuzz target shares (tests/fuzz/README.md). A target defines
 * LLVMFuzzerTestOneInput; it is linked with libFuzzer's main for `make
 * fuzz` and with standalone.c for the regression test (t0950).
 */
#ifndef STICK_FUZZ_H
#define STICK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A property the target checks beyond the sanitizers: abort when false. */
#define FUZZ_CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "fuzz: %s:%d: check failed: %s\n", __FILE__, \
			__LINE__, #cond); \
		abort(); \
	} \
} while (0)

/* The input as a NUL-terminated string, as read_file() gives a file. */
static inline char *fuzz_text(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* An exact-size writable copy of the input (no NUL after it). */
static inline char *fuzz_copy(const uint8_t *data, size_t size)
{
	char *s = malloc(size ? size : 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	return s;
}

#endif
