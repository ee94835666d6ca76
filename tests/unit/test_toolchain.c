/* The toolchain's manifest read back, and the libc names. */
#include <stdlib.h>

#include "check.h"
#include "merge.h"
#include "toolchain.h"

static const char manifest[] =
	"{\n  \"stick_toolchain\": 1,\n  \"key\": \"3.13-musl-1e22b7e490161ed0\",\n"
	"  \"python\": \"3.13.5\",\n  \"libc\": \"musl\",\n"
	"  \"compiler\": \"gcc version 12.2.0 (\\\"Debian\\\" \\\\ \\u0009)\",\n"
	"  \"build_seconds\": 1.0,\n  \"components\": [\n"
	"    {\"name\": \"zlib\", \"version\": \"1.3.1\", \"license\": \"Zlib\"}\n"
	"  ]\n}\n";

static void check_field(const char *name, const char *want)
{
	char *got = merge_manifest_field(manifest, name);

	if (want)
		CHECK_STR(got, want);
	else
		CHECK(got == NULL);
	free(got);
}

static void top_level_fields_are_read_back(void)
{
	check_field("key", "3.13-musl-1e22b7e490161ed0");
	check_field("python", "3.13.5");
	check_field("libc", "musl");
	check_field("compiler", "gcc version 12.2.0 (\"Debian\" \\ \t)");
}

static void nested_and_missing_fields_are_not(void)
{
	check_field("name", NULL);
	check_field("version", NULL);
	check_field("cc", NULL);
}

static void libc_names_round_trip(void)
{
	enum libc libc = LIBC_GLIBC;

	CHECK(!libc_parse("musl", &libc) && libc == LIBC_MUSL);
	CHECK(!libc_parse("glibc", &libc) && libc == LIBC_GLIBC);
	CHECK(libc_parse("uclibc", &libc) && libc == LIBC_GLIBC);
	CHECK(libc_parse(NULL, &libc));
	CHECK_STR(libc_name(LIBC_MUSL), "musl");
	CHECK_STR(libc_name(LIBC_GLIBC), "glibc");
}

int main(void)
{
	TEST(top_level_fields_are_read_back);
	TEST(nested_and_missing_fields_are_not);
	TEST(libc_names_round_trip);
	return CHECK_DONE();
}
