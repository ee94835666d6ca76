/* Path sanitising for archive entries and the links inside them. */
#include <stdlib.h>

#include "check.h"
#include "extract.h"

static void check_clean(const char *in, const char *want)
{
	char *got = extract_safe_path(in);

	if (want == NULL) {
		if (got)
			printf("#   '%s' should be refused, got '%s'\n", in, got);
		CHECK(got == NULL);
	} else {
		CHECK_STR(got, want);
	}
	free(got);
}

static void plain_paths_are_cleaned(void)
{
	check_clean("a", "a");
	check_clean("a/b/c.txt", "a/b/c.txt");
	check_clean("./a//b/./c/", "a/b/c");
	check_clean("Python-3.13.5/Lib/os.py", "Python-3.13.5/Lib/os.py");
	check_clean("a/..b/c..", "a/..b/c..");
	check_clean("...", "...");
}

static void escaping_paths_are_refused(void)
{
	check_clean("../evil", NULL);
	check_clean("a/../../evil", NULL);
	check_clean("a/..", NULL);
	check_clean("..", NULL);
	check_clean("/etc/passwd", NULL);
	check_clean("//etc/passwd", NULL);
	check_clean("", NULL);
	check_clean(".", NULL);
	check_clean("./", NULL);
}

static void links_inside_the_tree_are_allowed(void)
{
	CHECK(extract_link_is_inside("a/link", "target"));
	CHECK(extract_link_is_inside("a/link", "../b/target"));
	CHECK(extract_link_is_inside("a/b/link", "../../c"));
	CHECK(extract_link_is_inside("link", "./x/./y"));
	CHECK(extract_link_is_inside("a/link", "x/../y"));
}

static void links_out_of_the_tree_are_refused(void)
{
	CHECK(!extract_link_is_inside("link", "../outside"));
	CHECK(!extract_link_is_inside("a/link", "../../outside"));
	CHECK(!extract_link_is_inside("a/link", "x/../../../outside"));
	CHECK(!extract_link_is_inside("a/link", "/etc/passwd"));
	CHECK(!extract_link_is_inside("link", ""));
	CHECK(!extract_link_is_inside("link", ".."));
}

int main(void)
{
	TEST(plain_paths_are_cleaned);
	TEST(escaping_paths_are_refused);
	TEST(links_inside_the_tree_are_allowed);
	TEST(links_out_of_the_tree_are_refused);
	return CHECK_DONE();
}
