/* The recipe parser: a good recipe, and each kind of bad line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "recipe.h"

#define SHA_A "9a93b2b7dfdac77ceba5a558a580e74667dd6fede4585b91eefb60f03b72df23"
#define SHA_B "60dd315c07f616887caa029408308a018ace66e3d142726a97db164b3b8f69fb"

static const char good[] =
	"# zlib, as in thirdparty/\n"
	"name      zlib\n"
	"version   1.3.1\n"
	"license   Zlib\n"
	"depends   other\n"
	"\n"
	"source    zlib-1.3.1.tar.gz " SHA_A "\n"
	"url       https://zlib.net/fossils/zlib-1.3.1.tar.gz\n"
	"url       http://127.0.0.1:8000/zlib-1.3.1.tar.gz\n"
	"   # an indented comment\n"
	"source    zlib_1.3.dfsg+really1.3.1.orig.tar.gz " SHA_B "\n"
	"debian    zlib 1:1.3.dfsg+really1.3.1-1\n"
	"prepare   ./autogen.sh --quiet\n"
	"env       CFLAGS=\"-O2 -fPIC\" \"LINKFORSHARED= \"\n"
	"step      make -j@JOBS@\n"
	"step      make install\r\n";

/* Parses text as "thirdparty/zlib"; returns what went to stderr. */
static const char *parse(const char *text, struct recipe *r, int *ret)
{
	struct check_stderr c;

	check_stderr_begin(&c);
	*ret = recipe_parse("thirdparty/zlib", text, r);
	return check_stderr_end(&c);
}

static void good_recipe_parses(void)
{
	struct recipe r;
	int ret;
	const char *msg = parse(good, &r, &ret);

	CHECK(ret == 0);
	CHECK_STR(msg, "");
	CHECK_STR(r.name, "zlib");
	CHECK_STR(r.version, "1.3.1");
	CHECK_STR(r.license, "Zlib");
	CHECK(r.depends.n == 1);
	CHECK(r.nsources == 2);
	if (r.nsources == 2) {
		CHECK_STR(r.sources[0].file, "zlib-1.3.1.tar.gz");
		CHECK_STR(r.sources[0].sha256, SHA_A);
		CHECK(r.sources[0].urls.n == 2);
		CHECK(r.sources[0].debian_package == NULL);
		CHECK(r.sources[0].line == 7);
		CHECK_STR(r.sources[1].debian_package, "zlib");
		CHECK_STR(r.sources[1].debian_version, "1:1.3.dfsg+really1.3.1-1");
		CHECK(r.sources[1].urls.n == 0);
		CHECK(r.sources[1].prepare.n == 1);
		CHECK_STR(r.sources[1].prepare.v[0], "./autogen.sh --quiet");
	}
	CHECK(r.env.n == 2);
	if (r.env.n == 2) {
		CHECK_STR(r.env.v[0], "CFLAGS=-O2 -fPIC");
		CHECK_STR(r.env.v[1], "LINKFORSHARED= ");
	}
	CHECK(r.steps.n == 2);
	CHECK_STR(r.steps.v[1], "make install");
	recipe_release(&r);
}

/* Replaces line `line` (1-based) of the good recipe with `repl`. */
static char *good_with(int line, const char *repl)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = good;

	for (int i = 1; *p; i++) {
		size_t n = strcspn(p, "\n");

		if (i == line)
			strbuf_addf(&sb, "%s\n", repl);
		else
			strbuf_add(&sb, p, n + 1);
		p += n + 1;
	}
	return strbuf_detach(&sb);
}

static void expect_error(int line, const char *repl, const char *want)
{
	struct recipe r;
	int ret;
	char *text = good_with(line, repl);
	const char *msg = parse(text, &r, &ret);

	CHECK(ret == -1);
	if (!strstr(msg, want) || ret != -1)
		printf("#   line %d '%s': got '%s', want '%s'\n", line, repl,
		       msg, want);
	CHECK(strstr(msg, want) != NULL);
	recipe_release(&r);
	free(text);
}

static void extract_paths_parse(void)
{
	struct recipe r;
	int ret;
	char *text = good_with(6, "extract runtimes llvm/cmake \"a b\"");
	const char *msg = parse(text, &r, &ret);

	CHECK(ret == 0);
	CHECK_STR(msg, "");
	CHECK(r.extract.n == 3);
	if (r.extract.n == 3) {
		CHECK_STR(r.extract.v[1], "llvm/cmake");
		CHECK_STR(r.extract.v[2], "a b");
	}
	recipe_release(&r);
	free(text);
	expect_error(6, "extract /abs", "'/abs' must be a relative name");
	expect_error(6, "extract a/../..", "must be a relative name");
	expect_error(6, "extract", "wrong number of values for 'extract'");
}

static void unknown_key_names_file_and_line(void)
{
	expect_error(3, "sha256 abc", "thirdparty/zlib:3: unknown key 'sha256'");
}

static void wrong_value_count_is_an_error(void)
{
	expect_error(3, "version", "thirdparty/zlib:3: wrong number of values for 'version'");
	expect_error(3, "version 1 2", "thirdparty/zlib:3: wrong number of values");
	expect_error(7, "source zlib-1.3.1.tar.gz", "thirdparty/zlib:7: wrong number");
}

static void bad_digest_is_an_error(void)
{
	expect_error(7, "source z.tar.gz 1234", "thirdparty/zlib:7: '1234' is not a sha256");
	expect_error(7, "source z.tar.gz " "9A93B2B7DFDAC77CEBA5A558A580E74667DD6FEDE4585B91EEFB60F03B72DF23",
		"is not a sha256");
}

static void source_name_must_be_plain(void)
{
	expect_error(7, "source ../z.tar.gz " SHA_A, "thirdparty/zlib:7: source file name '../z.tar.gz'");
	expect_error(7, "source a/z.tar.gz " SHA_A, "must be a plain file name");
	expect_error(7, "source .hidden " SHA_A, "must be a plain file name");
}

static void url_needs_a_source_and_a_scheme(void)
{
	expect_error(4, "url https://example.org/x.tar.gz", "thirdparty/zlib:4: 'url' must follow a 'source' line");
	expect_error(8, "url ftp://example.org/x.tar.gz", "thirdparty/zlib:8: url 'ftp://example.org/x.tar.gz' must start with");
	expect_error(4, "debian zlib 1.0", "'debian' must follow a 'source' line");
	expect_error(4, "prepare ./autogen.sh", "'prepare' must follow a 'source' line");
}

static void duplicates_are_errors(void)
{
	expect_error(4, "name zlib", "thirdparty/zlib:4: 'name' given twice");
	expect_error(11, "source zlib-1.3.1.tar.gz " SHA_B, "thirdparty/zlib:11: source 'zlib-1.3.1.tar.gz' listed twice");
}

static void env_needs_an_assignment(void)
{
	expect_error(14, "env CFLAGS", "thirdparty/zlib:14: env wants NAME=VALUE");
	expect_error(14, "env =x", "env wants NAME=VALUE");
	expect_error(14, "env A=1 B", "thirdparty/zlib:14: env wants NAME=VALUE, got 'B'");
}

static void quotes_group_words(void)
{
	struct strvec w = STRVEC_INIT;

	CHECK(recipe_split("  make \"CFLAGS=-O2 -fPIC\" a\"b c\"d \"\" ", &w) == 0);
	CHECK(w.n == 4);
	if (w.n == 4) {
		CHECK_STR(w.v[0], "make");
		CHECK_STR(w.v[1], "CFLAGS=-O2 -fPIC");
		CHECK_STR(w.v[2], "ab cd");
		CHECK_STR(w.v[3], "");
	}
	strvec_clear(&w);
	CHECK(recipe_split("make \"unterminated", &w) == -1);
	strvec_clear(&w);
	expect_error(16, "step make \"oops", "thirdparty/zlib:16: unterminated '\"' quote");
}

static void missing_keys_and_wrong_name(void)
{
	expect_error(3, "# no version", "thirdparty/zlib: missing 'version' line");
	expect_error(4, "", "thirdparty/zlib: missing 'license' line");
	expect_error(2, "name openssl", "name 'openssl' does not match the file name");
	expect_error(2, "name Zlib!", "thirdparty/zlib:2: invalid component name");
}

static void no_sources_is_an_error(void)
{
	struct recipe r;
	int ret;
	const char *msg = parse("name zlib\nversion 1\nlicense MIT\n", &r, &ret);

	CHECK(ret == -1);
	CHECK(strstr(msg, "missing 'source' line") != NULL);
	recipe_release(&r);
}

static void kinds_of_recipes(void)
{
	static const char *const tools[] = { "setuptools", "cython", "flit" };
	struct recipe r;

	for (size_t i = 0; i < sizeof(tools) / sizeof(*tools); i++) {
		char *path = xasprintf("thirdparty/%s", tools[i]);

		CHECK(recipe_load(path, &r) == 0);
		CHECK(r.kind == RECIPE_TOOL);
		CHECK(r.steps.n == 0);
		CHECK(r.pythonpath.n >= 1);
		recipe_release(&r);
		free(path);
	}
	CHECK(recipe_load("thirdparty/flit", &r) == 0);
	CHECK(r.provides.n == 1 && !strcmp(r.provides.v[0], "flit_core"));
	recipe_release(&r);
	CHECK(recipe_load("thirdparty/libyaml", &r) == 0);
	CHECK(r.kind == RECIPE_LIBRARY);
	CHECK(r.steps.n > 0);
	CHECK(!r.cxx);
	recipe_release(&r);
	CHECK(recipe_load("thirdparty/libzmq", &r) == 0);
	CHECK(r.kind == RECIPE_LIBRARY && r.cxx);
	recipe_release(&r);
	CHECK(recipe_load("thirdparty/zlib", &r) == 0);
	CHECK(r.kind == RECIPE_TOOLCHAIN);
	recipe_release(&r);
	expect_error(5, "kind plugin", "thirdparty/zlib:5: kind 'plugin' must be toolchain, tool, library, data or sysroot");
	expect_error(5, "language fortran", "thirdparty/zlib:5: language 'fortran' must be c or c++");
	expect_error(5, "pythonpath ../up", "thirdparty/zlib:5: pythonpath '../up' must stay inside the tree");
	expect_error(5, "pythonpath /abs", "must stay inside the tree");
	expect_error(5, "pythonpath a/../../b", "must stay inside the tree");
}

static void recipes_in_tree_parse(void)
{
	static const char *const names[] = {
		"python-3.13", "python-3.11", "zlib", "xz", "openssl",
		"libffi", "sqlite3", "bzip2", "ncurses",
	};
	struct recipe_set set;

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		struct recipe r;
		char *path = xasprintf("thirdparty/%s", names[i]);

		CHECK(recipe_load(path, &r) == 0);
		CHECK(r.nsources >= 2);
		recipe_release(&r);
		free(path);
	}
	CHECK(recipe_set_load("thirdparty", "python-3.13", &set) == 0);
	CHECK(set.n == 9);
	if (set.n == 9) {
		CHECK_STR(set.items[0].name, "openssl");
		CHECK_STR(set.items[8].name, "python");
	}
	recipe_set_release(&set);
}

static const char conditional[] =
	"name      zlib\n"
	"version   1.3.1\n"
	"license   Zlib\n"
	"source    zlib-1.3.1.tar.gz " SHA_A "\n"
	"!lto: env CFLAGS=-O2\n"
	"lto:  env \"CFLAGS=-O2 -flto\"\n"
	"!pgo: step make\n"
	"pgo:  step make profile-opt\n"
	"step      make install\n"
	"lto:  library libextra.a\n";

/* Each toolchain option selects its lines; the others are dropped. */
static void conditions_select_lines(void)
{
	struct recipe r;

	CHECK(recipe_parse_with("thirdparty/zlib", conditional, 0, &r) == 0);
	CHECK(r.env.n == 1 && r.steps.n == 2 && r.libraries.n == 0);
	if (r.env.n == 1 && r.steps.n == 2) {
		CHECK_STR(r.env.v[0], "CFLAGS=-O2");
		CHECK_STR(r.steps.v[0], "make");
		CHECK_STR(r.steps.v[1], "make install");
	}
	CHECK(r.conditions == (RECIPE_OPT_LTO | RECIPE_OPT_PGO));
	recipe_release(&r);
	CHECK(recipe_parse_with("thirdparty/zlib", conditional,
		RECIPE_OPT_LTO | RECIPE_OPT_PGO, &r) == 0);
	CHECK(r.env.n == 1 && r.steps.n == 2 && r.libraries.n == 1);
	if (r.env.n == 1 && r.steps.n == 2) {
		CHECK_STR(r.env.v[0], "CFLAGS=-O2 -flto");
		CHECK_STR(r.steps.v[0], "make profile-opt");
	}
	recipe_release(&r);
	CHECK(recipe_option("pgo") == RECIPE_OPT_PGO);
	CHECK(recipe_option("fast") == 0);
}

static void bad_conditions_are_errors(void)
{
	struct recipe r;
	int ret;
	const char *msg;

	msg = parse("name zlib\nfast: step make\n", &r, &ret);
	CHECK(ret == -1);
	CHECK(strstr(msg, "thirdparty/zlib:2: unknown condition 'fast:'") != NULL);
	recipe_release(&r);
	msg = parse("name zlib\npgo: step\n", &r, &ret);
	CHECK(ret == -1);
	CHECK(strstr(msg, "wants a key and its values") != NULL);
	recipe_release(&r);
	/* A line that does not apply is still checked for its key. */
	msg = parse("name zlib\npgo: stpe make\n", &r, &ret);
	CHECK(ret == -1);
	CHECK(strstr(msg, "unknown key 'stpe'") != NULL);
	recipe_release(&r);
}

int main(void)
{
	if (chdir(TOP_DIR))
		return 1;
	TEST(good_recipe_parses);
	TEST(extract_paths_parse);
	TEST(unknown_key_names_file_and_line);
	TEST(wrong_value_count_is_an_error);
	TEST(bad_digest_is_an_error);
	TEST(source_name_must_be_plain);
	TEST(url_needs_a_source_and_a_scheme);
	TEST(duplicates_are_errors);
	TEST(env_needs_an_assignment);
	TEST(quotes_group_words);
	TEST(missing_keys_and_wrong_name);
	TEST(no_sources_is_an_error);
	TEST(kinds_of_recipes);
	TEST(recipes_in_tree_parse);
	TEST(conditions_select_lines);
	TEST(bad_conditions_are_errors);
	return CHECK_DONE();
}
