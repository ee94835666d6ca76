/* The OCI cache's pieces: registry URLs, the JSON parser, the archives. */
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "check.h"
#include "oci.h"
#include "ocijson.h"
#include "ocitar.h"
#include "util.h"

static char *root;

static char *at(const char *name)
{
	return path_join(root, name);
}

static void put(const char *name, const char *text, mode_t mode)
{
	char *path = at(name);
	char *dir = path_dirname(path);

	CHECK(mkdir_p(dir, 0755) == 0);
	CHECK(write_file_atomic(path, text, strlen(text)) == 0);
	CHECK(chmod(path, mode) == 0);
	free(dir);
	free(path);
}

/* NULL when url parses, else why not. */
static char *parse(const char *url, bool insecure, struct oci_registry *r)
{
	char *why = NULL;

	if (oci_parse(r, url, insecure, &why) == 0)
		return NULL;
	return why;
}

static void registry_urls(void)
{
	static const char *const bad[] = {
		"http://h/r", "oci://h", "oci:///r", "oci://h:/r", "oci://h:0/r",
		"oci://h:65536/r", "oci://h:12a/r", "oci://h/R", "oci://h/r/",
		"oci://h//r", "oci://h/-r", "oci://h/r..x", "oci://h_x/r",
		"oci://[::1/r", NULL,
	};
	struct oci_registry r;
	char *why;

	CHECK(!parse("oci://registry.example.com/team/stick-cache", false, &r));
	CHECK_STR(r.base, "https://registry.example.com");
	CHECK_STR(r.repo, "team/stick-cache");
	oci_release(&r);
	CHECK(!parse("oci://127.0.0.1:5000/a__b.c-d", true, &r));
	CHECK_STR(r.base, "http://127.0.0.1:5000");
	CHECK_STR(r.host, "127.0.0.1:5000");
	oci_release(&r);
	CHECK(!parse("oci://[::1]:5000/r", true, &r));
	oci_release(&r);
	for (size_t i = 0; bad[i]; i++) {
		why = parse(bad[i], false, &r);
		if (!why)
			printf("#   '%s' was taken\n", bad[i]);
		CHECK(why != NULL);
		free(why);
	}
	why = parse("oci://example.com/r", true, &r);
	CHECK(why && strstr(why, "--cache-insecure"));
	free(why);
}

static void json_values(void)
{
	const char *text = "{\"a\": [1, -2.5e3, true, null, \"x\\u00e9\\ud83d\\ude00\\n\"],"
		" \"b\": {\"c\": \"d\"}, \"a2\": \"\"}";
	char *why = NULL;
	struct json *j = json_parse(text, strlen(text), &why);
	const struct json *a = json_get(j, "a");

	CHECK(j && !why);
	CHECK(a && a->type == JSON_ARRAY && a->n == 5);
	if (a && a->n == 5) {
		CHECK_STR(a->items[1].text, "-2.5e3");
		CHECK(a->items[2].type == JSON_BOOL);
		CHECK(a->items[3].type == JSON_NULL);
		CHECK_STR(a->items[4].text, "x\xc3\xa9\xf0\x9f\x98\x80\n");
	}
	CHECK_STR(json_get_str(json_get(j, "b"), "c"), "d");
	CHECK_STR(json_get_str(j, "a2"), "");
	CHECK(!json_get_str(j, "missing"));
	json_free(j);
}

static void json_refusals(void)
{
	static const char *const bad[] = {
		"", "{", "{\"a\" 1}", "[1,]x", "{\"a\":1} 2", "\"\\x\"", "\"a",
		"[\"\\ud800\"]", "\"\\u0000\"", "\"tab\there\"",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
		NULL,
	};

	for (size_t i = 0; bad[i]; i++) {
		char *why = NULL;
		struct json *j = json_parse(bad[i], strlen(bad[i]), &why);

		if (j)
			printf("#   '%s' was taken\n", bad[i]);
		CHECK(!j && why);
		json_free(j);
		free(why);
	}
}

static void json_strings_round_trip(void)
{
	struct strbuf sb = STRBUF_INIT;
	char *why = NULL;
	struct json *j;

	json_add_str(&sb, "q\"b\\s\x01 \xc3\xa9");
	j = json_parse(sb.buf, sb.len, &why);
	CHECK(j && j->type == JSON_STRING);
	CHECK_STR(j ? j->text : NULL, "q\"b\\s\x01 \xc3\xa9");
	json_free(j);
	strbuf_release(&sb);
}

static void set_mtime(const char *name, long when)
{
	char *path = at(name);
	struct timeval tv[2] = { { when, 0 }, { when, 0 } };

	CHECK(utimes(path, tv) == 0);
	free(path);
}

/* The same tree, other mtimes and modes' non-x bits: the same bytes. */
static void archives_are_deterministic(void)
{
	static const char *const skip[] = { "logs", "lib/py*/test/*__pycache__*",
					    NULL };
	char *a = at("a.tar.zst"), *b = at("b.tar.zst"), *c = at("c.tar.zst");
	char *tree = at("tree"), *out = at("out"), *why = NULL;
	char ha[65], hb[65], hc[65];
	off_t sa, sb, sc;
	char *text;

	put("tree/bin/run", "#!/bin/sh\n", 0755);
	put("tree/lib/x.a", "archive", 0644);
	put("tree/logs/build.log", "took 3s", 0644);
	put("tree/lib/py3/test/t.py", "x = 1\n", 0644);
	put("tree/lib/py3/test/sub/s.py", "y = 2\n", 0644);
	text = at("tree/lib/link.a");
	CHECK(symlink("x.a", text) == 0);
	free(text);
	CHECK(ocitar_write(tree, skip, a, ha, &sa) == 0);
	set_mtime("tree/lib/x.a", 1000);
	put("tree/logs/build.log", "took 4s", 0600);
	/* A later run's .pyc files, matched by the pattern. */
	put("tree/lib/py3/test/__pycache__/t.pyc", "pyc", 0644);
	put("tree/lib/py3/test/sub/__pycache__/u.pyc", "pyc", 0644);
	CHECK(chmod(tree, 0700) == 0);
	CHECK(ocitar_write(tree, skip, b, hb, &sb) == 0);
	CHECK_STR(ha, hb);
	CHECK(sa == sb);
	put("tree/lib/x.a", "archive!", 0644);
	CHECK(ocitar_write(tree, skip, c, hc, &sc) == 0);
	CHECK(strcmp(ha, hc) != 0);
	CHECK(ocitar_read(b, out, &why) == 0);
	free(why);
	text = at("out/lib/x.a");
	CHECK(path_exists(text));
	free(text);
	text = at("out/logs");
	CHECK(!path_exists(text));
	free(text);
	text = at("out/lib/py3/test/__pycache__");
	CHECK(!path_exists(text));
	free(text);
	text = at("out/lib/py3/test/t.py");
	CHECK(path_exists(text));
	free(text);
	text = at("out/bin/run");
	CHECK(access(text, X_OK) == 0);
	free(text);
	text = at("out/lib/link.a");
	CHECK(path_exists(text));
	free(text);
	free(a); free(b); free(c); free(tree); free(out);
}

/* An archive with one entry named name (a link to target, if given). */
static char *archive_with(const char *file, const char *name,
			  const char *target)
{
	char *path = at(file);
	struct archive *w = archive_write_new();
	struct archive_entry *e = archive_entry_new();

	archive_write_set_format_pax_restricted(w);
	archive_write_add_filter_gzip(w);
	CHECK(archive_write_open_filename(w, path) == ARCHIVE_OK);
	archive_entry_set_pathname(e, name);
	archive_entry_set_filetype(e, target ? AE_IFLNK : AE_IFREG);
	archive_entry_set_perm(e, 0644);
	if (target)
		archive_entry_set_symlink(e, target);
	else
		archive_entry_set_size(e, 2);
	CHECK(archive_write_header(w, e) == ARCHIVE_OK);
	if (!target)
		CHECK(archive_write_data(w, "hi", 2) == 2);
	archive_write_close(w);
	archive_write_free(w);
	archive_entry_free(e);
	return path;
}

static void unpacking_refuses_escapes(void)
{
	static const char *const cases[][2] = {
		{ "../evil", NULL }, { "/abs", NULL }, { "a/../../evil", NULL },
		{ "link", "../../etc" }, { "link2", "/etc/passwd" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *name = xasprintf("bad%zu.tar.gz", i);
		char *dest = xasprintf("%s/bad%zu", root, i);
		char *arc = archive_with(name, cases[i][0], cases[i][1]);
		char *why = NULL;

		CHECK(ocitar_read(arc, dest, &why) == -1);
		CHECK(why && (strstr(why, "leaves the directory") ||
			      strstr(why, "pointing out")));
		free(why);
		free(arc);
		free(dest);
		free(name);
	}
}

int main(void)
{
	char tmpl[] = "/tmp/stick-test-oci.XXXXXX";
	int ret;

	root = mkdtemp(tmpl);
	if (!root)
		die("cannot create a temporary directory:");
	TEST(registry_urls);
	TEST(json_values);
	TEST(json_refusals);
	TEST(json_strings_round_trip);
	TEST(archives_are_deterministic);
	TEST(unpacking_refuses_escapes);
	ret = CHECK_DONE();
	remove_tree(root);
	return ret;
}
