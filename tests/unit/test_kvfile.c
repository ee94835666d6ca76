/* The key/value files between stick and its helper: parse, format, read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "kvfile.h"
#include "util.h"

static void pairs_in_order_values_keep_spaces(void)
{
	struct kvfile kv = KVFILE_INIT;
	struct check_stderr c;
	int ret;

	check_stderr_begin(&c);
	ret = kvfile_parse("t", "# a comment\nkind build\n\npath /a b/c\r\n"
			   "prune\npath  two spaces\n   # indented comment\n"
			   "entry m:f", &kv);
	CHECK_STR(check_stderr_end(&c), "");
	CHECK(ret == 0);
	CHECK(kv.n == 5);
	if (kv.n == 5) {
		CHECK_STR(kv.v[0].key, "kind");
		CHECK_STR(kv.v[0].value, "build");
		CHECK_STR(kv.v[1].value, "/a b/c");
		CHECK_STR(kv.v[2].key, "prune");
		CHECK_STR(kv.v[2].value, "");
		/* Only the one space after the key separates. */
		CHECK_STR(kv.v[3].value, " two spaces");
		CHECK_STR(kv.v[4].value, "m:f");
	}
	CHECK_STR(kvfile_get(&kv, "path"), "/a b/c");
	CHECK(kvfile_has(&kv, "prune"));
	CHECK(!kvfile_has(&kv, "library"));
	CHECK(kvfile_get(&kv, "pat") == NULL);
	kvfile_release(&kv);
}

static void leading_blank_is_an_error_naming_the_line(void)
{
	struct kvfile kv = KVFILE_INIT;
	struct check_stderr c;
	int ret;

	check_stderr_begin(&c);
	ret = kvfile_parse("the-result", "kind build\n value\n", &kv);
	CHECK(ret == -1);
	CHECK(strstr(check_stderr_end(&c), "'the-result' line 2") != NULL);
	kvfile_release(&kv);
}

static void newline_in_a_value_fails_the_file_until_released(void)
{
	struct kvfile kv = KVFILE_INIT;
	struct check_stderr c;
	char dir[] = "/tmp/stick-kv-XXXXXX";
	char *path;
	const char *err;

	CHECK(mkdtemp(dir) != NULL);
	path = path_join(dir, "request");
	check_stderr_begin(&c);
	kvfile_add(&kv, "kind", "build");
	kvfile_add(&kv, "script", "/tmp/a\nb.py");
	kvfile_add(&kv, "path", "/tmp/c\r");
	kvfile_add(&kv, "work", "/tmp/w");
	CHECK(kv.failed);
	CHECK(kvfile_write(&kv, path) == -1);
	err = check_stderr_end(&c);
	CHECK(strstr(err, "'script'") != NULL);
	/* Reported once: later adds are ignored, not reported again. */
	CHECK(strstr(err, "'path'") == NULL);
	CHECK(kv.n == 1);
	CHECK(!path_exists(path));
	kvfile_release(&kv);
	CHECK(!kv.failed);
	free(path);
	rmdir(dir);
}

static void format_then_parse_round_trips(void)
{
	struct kvfile kv = KVFILE_INIT, back = KVFILE_INIT;
	char *values[] = { "a", "b c" };
	char *text;

	kvfile_add(&kv, "kind", "stdlib");
	kvfile_add_flag(&kv, "allow-env", true);
	kvfile_add_flag(&kv, "without-source", false);
	kvfile_add_opt(&kv, "entry", NULL);
	kvfile_add_each(&kv, "include", values, 2);
	CHECK(!kv.failed);
	text = kvfile_format(&kv);
	CHECK_STR(text, "kind stdlib\nallow-env\ninclude a\ninclude b c\n");
	CHECK(kvfile_parse("t", text, &back) == 0);
	CHECK(back.n == 4);
	if (back.n == 4)
		CHECK_STR(back.v[3].value, "b c");
	free(text);
	kvfile_release(&kv);
	kvfile_release(&back);
}

static void write_and_read_a_file(void)
{
	struct kvfile kv = KVFILE_INIT, back = KVFILE_INIT;
	char dir[] = "/tmp/stick-kvfile-XXXXXX";
	char *path;
	struct check_stderr c;
	int ret;

	CHECK(mkdtemp(dir) != NULL);
	path = path_join(dir, "result");
	kvfile_add(&kv, "compile", "app.c");
	CHECK(kvfile_write(&kv, path) == 0);
	CHECK(kvfile_read(path, &back) == 0);
	CHECK_STR(kvfile_get(&back, "compile"), "app.c");
	unlink(path);
	kvfile_release(&back);
	check_stderr_begin(&c);
	ret = kvfile_read(path, &back);
	CHECK(ret == -1);
	CHECK(strstr(check_stderr_end(&c), "cannot read") != NULL);
	rmdir(dir);
	free(path);
	kvfile_release(&kv);
	kvfile_release(&back);
}

int main(void)
{
	TEST(pairs_in_order_values_keep_spaces);
	TEST(leading_blank_is_an_error_naming_the_line);
	TEST(newline_in_a_value_fails_the_file_until_released);
	TEST(format_then_parse_round_trips);
	TEST(write_and_read_a_file);
	return CHECK_DONE();
}
