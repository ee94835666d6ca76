/* sha256 checking through libcrypto. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "digest.h"
#include "util.h"

#define SHA_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static char *temp_file(const char *content)
{
	char *path = xstrdup("/tmp/stick-unit-digest.XXXXXX");
	int fd = mkstemp(path);

	if (fd < 0 || write(fd, content, strlen(content)) != (ssize_t)strlen(content))
		abort();
	close(fd);
	return path;
}

static void recognises_sha256_strings(void)
{
	CHECK(digest_is_sha256(SHA_ABC));
	CHECK(!digest_is_sha256(""));
	CHECK(!digest_is_sha256("abc"));
	CHECK(!digest_is_sha256(SHA_ABC "0"));
	CHECK(!digest_is_sha256("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD"));
	CHECK(!digest_is_sha256("g a7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015a"));
}

static void hashes_known_contents(void)
{
	char hex[65];
	char *a = temp_file("abc"), *e = temp_file("");

	CHECK(digest_file(a, hex) == 0);
	CHECK_STR(hex, SHA_ABC);
	CHECK(digest_file(e, hex) == 0);
	CHECK_STR(hex, SHA_EMPTY);
	unlink(a);
	unlink(e);
	free(a);
	free(e);
}

static void mismatch_names_file_expected_and_actual(void)
{
	char *a = temp_file("abd");
	char actual[65];
	struct check_stderr c;
	const char *msg;
	int ret;

	check_stderr_begin(&c);
	ret = digest_verify(a, SHA_ABC, actual);
	msg = check_stderr_end(&c);
	CHECK(ret == -1);
	CHECK(strstr(msg, a) != NULL);
	CHECK(strstr(msg, "expected: " SHA_ABC) != NULL);
	CHECK(strstr(msg, actual) != NULL);
	CHECK(strcmp(actual, SHA_ABC) != 0);
	CHECK(digest_verify(a, actual, NULL) == 0);
	unlink(a);
	free(a);
}

static void missing_file_is_an_error(void)
{
	char hex[65];
	struct check_stderr c;

	check_stderr_begin(&c);
	CHECK(digest_file("/nonexistent/stick-test", hex) == -1);
	CHECK(strstr(check_stderr_end(&c), "/nonexistent/stick-test") != NULL);
}

int main(void)
{
	TEST(recognises_sha256_strings);
	TEST(hashes_known_contents);
	TEST(mismatch_names_file_expected_and_actual);
	TEST(missing_file_is_an_error);
	return CHECK_DONE();
}
