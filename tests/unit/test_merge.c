/*
 * merge_archives: archives made with ar's U flag (the build time, owner
 * and mode in each member's header, as ncurses makes them) merge into one
 * whose members carry ar D's fixed fields, with the same contents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "merge.h"
#include "proc.h"

/* Runs argv with its output in log (NULL: the test's own output). */
static int run(char **argv, const char *log)
{
	struct proc_opts po = { NULL, NULL, log, false, NULL };

	return proc_run(argv, &po);
}

/* An archive at path holding one member, a file named name. */
static int make_archive(const char *path, const char *name, const char *text)
{
	char *argv[] = { "ar", "rcU", (char *)path, (char *)name, NULL };

	if (write_file_atomic(name, text, strlen(text)) || chmod(name, 0751))
		return -1;
	return run(argv, "merge-test.log");
}

static void merged_members_have_fixed_headers(void)
{
	char dir[] = "/tmp/stick-merge-XXXXXX";
	struct strvec libs = STRVEC_INIT;
	char *ar = NULL, *cwd = getcwd(NULL, 0);
	size_t len = 0, at = 8;
	int members = 0;

	CHECK(mkdtemp(dir) && chdir(dir) == 0);
	CHECK(make_archive("one.a", "a.o", "first member\n") == 0);
	CHECK(make_archive("two.a", "b.o", "second member!\n") == 0);
	strvec_push(&libs, "one.a");
	strvec_push(&libs, "two.a");
	CHECK(merge_archives("all.a", &libs, "merge-test.log") == 0);
	ar = read_file("all.a", &len);
	CHECK(ar && len > 8 && !memcmp(ar, "!<arch>\n", 8));
	while (ar && at + 60 <= len) {
		char *h = ar + at;
		size_t size = strtoul(h + 48, NULL, 10);

		if (h[0] != '/') {
			CHECK(!memcmp(h + 16, "0           0     0     644     ", 32));
			CHECK(!memcmp(h, "a.o/", 4) ?
			      !memcmp(h + 60, "first member\n", size) :
			      !memcmp(h + 60, "second member!\n", size));
			members++;
		}
		at += 60 + size + (size & 1);
	}
	CHECK(members == 2);
	free(ar);
	strvec_clear(&libs);
	{
		char *argv[] = { "rm", "-rf", dir, NULL };

		CHECK(chdir(cwd) == 0 && run(argv, NULL) == 0);
	}
	free(cwd);
}

int main(void)
{
	TEST(merged_members_have_fixed_headers);
	return CHECK_DONE();
}
