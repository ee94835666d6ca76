#include "recipe.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "banned.h"

struct parse_ctx {
	const char *path;
	int line;
	struct recipe *r;
	const char *rest; /* the line after its key, unsplit */
	unsigned options; /* RECIPE_OPT_*: the toolchain being built */
};

typedef int (*key_fn)(struct parse_ctx *c, struct strvec *words);

struct key {
	const char *name;
	key_fn fn;
	int min_words, max_words; /* value words after the key; -1: any */
};

static int bad(struct parse_ctx *c, const char *fmt, const char *arg)
{
	fprintf(stderr, "stick: error: %s:%d: ", c->path, c->line);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return -1;
}

static struct recipe_source *current_source(struct parse_ctx *c,
					    const char *key)
{
	if (!c->r->nsources) {
		bad(c, "'%s' must follow a 'source' line", key);
		return NULL;
	}
	return &c->r->sources[c->r->nsources - 1];
}

static int set_once(struct parse_ctx *c, char **field, struct strvec *w)
{
	if (*field)
		return bad(c, "'%s' given twice", w->v[0]);
	*field = xstrdup(w->v[1]);
	return 0;
}

static int key_name(struct parse_ctx *c, struct strvec *w)
{
	for (const char *p = w->v[1]; *p; p++) {
		if (!strchr("abcdefghijklmnopqrstuvwxyz0123456789-_.", *p))
			return bad(c, "invalid component name '%s'", w->v[1]);
	}
	return set_once(c, &c->r->name, w);
}

static int key_version(struct parse_ctx *c, struct strvec *w)
{
	return set_once(c, &c->r->version, w);
}

static int key_license(struct parse_ctx *c, struct strvec *w)
{
	return set_once(c, &c->r->license, w);
}

static bool is_plain_file_name(const char *s)
{
	return *s && *s != '.' && !strchr(s, '/') && strcmp(s, "..") != 0;
}

static int key_source(struct parse_ctx *c, struct strvec *w)
{
	struct recipe *r = c->r;
	struct recipe_source *s;

	if (!is_plain_file_name(w->v[1]))
		return bad(c, "source file name '%s' must be a plain file name",
			w->v[1]);
	if (!digest_is_sha256(w->v[2]))
		return bad(c, "'%s' is not a sha256 (64 lowercase hex digits)",
			w->v[2]);
	for (size_t i = 0; i < r->nsources; i++) {
		if (!strcmp(r->sources[i].file, w->v[1]))
			return bad(c, "source '%s' listed twice", w->v[1]);
	}
	r->sources = xrealloc(r->sources, (r->nsources + 1) * sizeof(*s));
	s = &r->sources[r->nsources++];
	memset(s, 0, sizeof(*s));
	s->file = xstrdup(w->v[1]);
	memcpy(s->sha256, w->v[2], 65);
	s->line = c->line;
	return 0;
}

static int key_url(struct parse_ctx *c, struct strvec *w)
{
	struct recipe_source *s = current_source(c, "url");

	if (!s)
		return -1;
	if (!starts_with(w->v[1], "https://") && !starts_with(w->v[1], "http://"))
		return bad(c, "url '%s' must start with https:// or http://",
			w->v[1]);
	strvec_push(&s->urls, w->v[1]);
	return 0;
}

static int key_debian(struct parse_ctx *c, struct strvec *w)
{
	struct recipe_source *s = current_source(c, "debian");

	if (!s)
		return -1;
	if (s->debian_package)
		return bad(c, "'%s' given twice for one source", "debian");
	s->debian_package = xstrdup(w->v[1]);
	s->debian_version = xstrdup(w->v[2]);
	return 0;
}

static int key_prepare(struct parse_ctx *c, struct strvec *w)
{
	struct recipe_source *s = current_source(c, "prepare");

	if (!s)
		return -1;
	strvec_push(&s->prepare, c->rest);
	return 0;
}

static int key_depends(struct parse_ctx *c, struct strvec *w)
{
	for (size_t i = 1; i < w->n; i++)
		strvec_push(&c->r->depends, w->v[i]);
	return 0;
}

static int key_env(struct parse_ctx *c, struct strvec *w)
{
	for (size_t i = 1; i < w->n; i++) {
		const char *eq = strchr(w->v[i], '=');

		if (!eq || eq == w->v[i])
			return bad(c, "env wants NAME=VALUE, got '%s'", w->v[i]);
		strvec_push(&c->r->env, w->v[i]);
	}
	return 0;
}

static int key_step(struct parse_ctx *c, struct strvec *w)
{
	strvec_push(&c->r->steps, c->rest);
	return 0;
}

static int key_library(struct parse_ctx *c, struct strvec *w)
{
	for (size_t i = 1; i < w->n; i++) {
		if (!is_plain_file_name(w->v[i]) || !ends_with(w->v[i], ".a"))
			return bad(c, "library '%s' must be a plain NAME.a", w->v[i]);
		strvec_push(&c->r->libraries, w->v[i]);
	}
	return 0;
}

static int key_module(struct parse_ctx *c, struct strvec *w)
{
	for (size_t i = 1; i < w->n; i++)
		strvec_push(&c->r->modules, w->v[i]);
	return 0;
}

static int key_test_module(struct parse_ctx *c, struct strvec *w)
{
	for (size_t i = 1; i < w->n; i++)
		strvec_push(&c->r->test_modules, w->v[i]);
	return 0;
}

static int key_kind(struct parse_ctx *c, struct strvec *w)
{
	if (!strcmp(w->v[1], "tool"))
		c->r->kind = RECIPE_TOOL;
	else if (!strcmp(w->v[1], "library"))
		c->r->kind = RECIPE_LIBRARY;
	else if (!strcmp(w->v[1], "toolchain"))
		c->r->kind = RECIPE_TOOLCHAIN;
	else if (!strcmp(w->v[1], "data"))
		c->r->kind = RECIPE_DATA;
	else if (!strcmp(w->v[1], "sysroot"))
		c->r->kind = RECIPE_SYSROOT;
	else
		return bad(c, "kind '%s' must be toolchain, tool, library, "
			   "data or sysroot", w->v[1]);
	return 0;
}

/* `language c` (the default) or `language c++`: a library written in
 * C++ is built with the toolchain's C++ compiler and libc++ (@LIBCXX@),
 * and whatever links it links the C++ runtime too. */
static int key_language(struct parse_ctx *c, struct strvec *w)
{
	if (strcmp(w->v[1], "c") && strcmp(w->v[1], "c++"))
		return bad(c, "language '%s' must be c or c++", w->v[1]);
	c->r->cxx = !strcmp(w->v[1], "c++");
	return 0;
}

static int key_provides(struct parse_ctx *c, struct strvec *w)
{
	for (size_t i = 1; i < w->n; i++)
		strvec_push(&c->r->provides, w->v[i]);
	return 0;
}

/* A library's headers (FILE.h or DIR/) and pkg-config names: plain words. */
static int key_names(struct parse_ctx *c, struct strvec *w, struct strvec *out)
{
	for (size_t i = 1; i < w->n; i++) {
		const char *p = w->v[i];

		if (*p == '/' || *p == '-' || strstr(p, ".."))
			return bad(c, "'%s' must be a relative name", p);
		strvec_push(out, p);
	}
	return 0;
}

static int key_headers(struct parse_ctx *c, struct strvec *w)
{
	return key_names(c, w, &c->r->headers);
}

static int key_pkgconfig(struct parse_ctx *c, struct strvec *w)
{
	return key_names(c, w, &c->r->pkgconfig);
}

static int key_extract(struct parse_ctx *c, struct strvec *w)
{
	return key_names(c, w, &c->r->extract);
}

static int key_pythonpath(struct parse_ctx *c, struct strvec *w)
{
	for (size_t i = 1; i < w->n; i++) {
		const char *p = w->v[i];

		if (*p == '/' || !strcmp(p, "..") || starts_with(p, "../") ||
		    strstr(p, "/../") || ends_with(p, "/.."))
			return bad(c, "pythonpath '%s' must stay inside the tree", p);
		strvec_push(&c->r->pythonpath, p);
	}
	return 0;
}

/* Sorted by name. */
static const struct key keys[] = {
	{ "debian", key_debian, 2, 2 },
	{ "depends", key_depends, 1, -1 },
	{ "env", key_env, 1, -1 },
	{ "extract", key_extract, 1, -1 },
	{ "headers", key_headers, 1, -1 },
	{ "kind", key_kind, 1, 1 },
	{ "language", key_language, 1, 1 },
	{ "library", key_library, 1, -1 },
	{ "license", key_license, 1, 1 },
	{ "module", key_module, 1, -1 },
	{ "name", key_name, 1, 1 },
	{ "pkgconfig", key_pkgconfig, 1, -1 },
	{ "prepare", key_prepare, 1, -1 },
	{ "provides", key_provides, 1, -1 },
	{ "pythonpath", key_pythonpath, 1, -1 },
	{ "source", key_source, 2, 2 },
	{ "step", key_step, 1, -1 },
	{ "test-module", key_test_module, 1, -1 },
	{ "url", key_url, 1, 1 },
	{ "version", key_version, 1, 1 },
};

int recipe_split(const char *text, struct strvec *out)
{
	const char *p = text;

	for (;;) {
		struct strbuf word = STRBUF_INIT;

		p += strspn(p, " \t");
		if (!*p)
			return 0;
		while (*p && *p != ' ' && *p != '\t') {
			const char *close;

			if (*p != '"') {
				strbuf_add(&word, p++, 1);
				continue;
			}
			close = strchr(p + 1, '"');
			if (!close) {
				strbuf_release(&word);
				return -1;
			}
			strbuf_add(&word, p + 1, (size_t)(close - p - 1));
			p = close + 1;
		}
		strvec_push(out, word.buf ? word.buf : "");
		strbuf_release(&word);
	}
}

/* The text after the word at the start of s (and its blanks). */
static const char *skip_word(const char *s)
{
	s += strspn(s, " \t");
	s += strcspn(s, " \t");
	return s + strspn(s, " \t");
}

static const struct key *find_key(struct parse_ctx *c, const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		if (!strcmp(keys[i].name, name))
			return &keys[i];
	}
	bad(c, "unknown key '%s'", name);
	return NULL;
}

static const char *const option_names[] = { "lto", "pgo", "cross" };

/* "lto" -> RECIPE_OPT_LTO; 0 for an unknown name. */
unsigned recipe_option(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(option_names); i++) {
		if (!strcmp(name, option_names[i]))
			return 1u << i;
	}
	return 0;
}

/*
 * A line may start with a condition, "lto:" or "!pgo:": the line counts
 * only when the toolchain is built with (or without) that option. The
 * condition word is taken off w and c->rest; *applies says whether the
 * line counts.
 */
static int line_condition(struct parse_ctx *c, struct strvec *w, bool *applies)
{
	const char *word = w->v[0];
	size_t n = strlen(word);
	bool negate = word[0] == '!';
	char *name;
	unsigned opt;

	*applies = true;
	if (n < 2 || word[n - 1] != ':')
		return 0;
	name = xstrndup(word + negate, n - 1 - negate);
	opt = recipe_option(name);
	free(name);
	if (!opt)
		return bad(c, "unknown condition '%s' (lto: pgo: cross: and !lto: ...)", word);
	if (w->n < 3)
		return bad(c, "'%s' wants a key and its values after it", word);
	c->r->conditions |= opt;
	*applies = ((c->options & opt) != 0) != negate;
	free(w->v[0]);
	memmove(w->v, w->v + 1, (w->n - 1) * sizeof(*w->v));
	w->v[--w->n] = NULL;
	c->rest = skip_word(c->rest);
	return 0;
}

static int parse_line(struct parse_ctx *c, const char *line)
{
	struct strvec w = STRVEC_INIT;
	const struct key *k = NULL;
	bool applies;
	int ret;

	if (recipe_split(line, &w)) {
		strvec_clear(&w);
		return bad(c, "unterminated '%s' quote", "\"");
	}
	if (!w.n || w.v[0][0] == '#') {
		strvec_clear(&w);
		return 0;
	}
	c->rest = skip_word(line);
	if (!line_condition(c, &w, &applies))
		k = find_key(c, w.v[0]);
	if (!k || !applies)
		ret = k ? 0 : -1;
	else if ((int)w.n - 1 < k->min_words ||
		 (k->max_words >= 0 && (int)w.n - 1 > k->max_words))
		ret = bad(c, "wrong number of values for '%s'", k->name);
	else
		ret = k->fn(c, &w);
	strvec_clear(&w);
	return ret;
}

static int check_complete(const char *path, struct recipe *r)
{
	const char *missing = !r->name ? "name" : !r->version ? "version" :
		!r->license ? "license" : !r->nsources ? "source" : NULL;
	const char *base = path_basename(path);

	if (missing)
		return error("%s: missing '%s' line", path, missing);
	if (strcmp(base, r->name) && !(starts_with(base, r->name) &&
				       base[strlen(r->name)] == '-'))
		return error("%s: name '%s' does not match the file name",
			path, r->name);
	return 0;
}

int recipe_parse_with(const char *path, const char *text, unsigned options,
		      struct recipe *r)
{
	struct parse_ctx c = { .path = path, .r = r, .options = options };
	const char *p = text;

	memset(r, 0, sizeof(*r));
	r->path = xstrdup(path);
	while (*p) {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);
		int ret;

		c.line++;
		if (n && line[n - 1] == '\r')
			line[n - 1] = '\0';
		ret = parse_line(&c, line);
		free(line);
		if (ret)
			return -1;
		p += n + (p[n] ? 1 : 0);
	}
	return check_complete(path, r);
}

int recipe_parse(const char *path, const char *text, struct recipe *r)
{
	return recipe_parse_with(path, text, 0, r);
}

/* Reads and parses a recipe file for a toolchain built with options. */
static int recipe_load_with(const char *path, unsigned options,
			    struct recipe *r)
{
	char *text = read_file(path, NULL);
	int ret;

	if (!text) {
		memset(r, 0, sizeof(*r));
		if (errno == ENOENT)
			return error("no recipe '%s'", path);
		return error("cannot read recipe '%s':", path);
	}
	ret = recipe_parse_with(path, text, options, r);
	free(text);
	return ret;
}

int recipe_load(const char *path, struct recipe *r)
{
	return recipe_load_with(path, 0, r);
}

static void recipe_source_release(struct recipe_source *s)
{
	free(s->file);
	strvec_clear(&s->urls);
	free(s->debian_package);
	free(s->debian_version);
	strvec_clear(&s->prepare);
}

void recipe_release(struct recipe *r)
{
	for (size_t i = 0; i < r->nsources; i++)
		recipe_source_release(&r->sources[i]);
	free(r->sources);
	free(r->path);
	free(r->name);
	free(r->version);
	free(r->license);
	strvec_clear(&r->depends);
	strvec_clear(&r->env);
	strvec_clear(&r->steps);
	strvec_clear(&r->modules);
	strvec_clear(&r->test_modules);
	strvec_clear(&r->libraries);
	strvec_clear(&r->provides);
	strvec_clear(&r->pythonpath);
	strvec_clear(&r->headers);
	strvec_clear(&r->pkgconfig);
	strvec_clear(&r->extract);
	memset(r, 0, sizeof(*r));
}

static bool set_has(struct recipe_set *set, const char *file)
{
	for (size_t i = 0; i < set->n; i++) {
		if (!strcmp(path_basename(set->items[i].path), file))
			return true;
	}
	return false;
}

static int set_visit(const char *dir, const char *file, struct strvec *stack,
		     unsigned options, struct recipe_set *set)
{
	struct recipe r;
	char *path;
	int ret = 0;

	if (set_has(set, file))
		return 0;
	for (size_t i = 0; i < stack->n; i++) {
		if (!strcmp(stack->v[i], file))
			return error("recipes depend on each other in a cycle "
				"through '%s'", file);
	}
	path = path_join(dir, file);
	ret = recipe_load_with(path, options, &r);
	free(path);
	if (ret) {
		recipe_release(&r);
		return -1;
	}
	strvec_push(stack, file);
	for (size_t i = 0; !ret && i < r.depends.n; i++)
		ret = set_visit(dir, r.depends.v[i], stack, options, set);
	free(stack->v[--stack->n]);
	stack->v[stack->n] = NULL;
	if (ret) {
		recipe_release(&r);
		return -1;
	}
	set->items = xrealloc(set->items, (set->n + 1) * sizeof(r));
	set->items[set->n++] = r;
	return 0;
}

int recipe_set_load_with(const char *dir, const char *top, unsigned options,
			 struct recipe_set *set)
{
	struct strvec stack = STRVEC_INIT;
	int ret;

	memset(set, 0, sizeof(*set));
	ret = set_visit(dir, top, &stack, options, set);
	strvec_clear(&stack);
	if (ret)
		recipe_set_release(set);
	return ret;
}

int recipe_set_load(const char *dir, const char *top, struct recipe_set *set)
{
	return recipe_set_load_with(dir, top, 0, set);
}

int recipe_set_prepend(const char *dir, const char *file, unsigned options,
			struct recipe_set *set)
{
	char *path = path_join(dir, file);
	struct recipe r;
	int ret = recipe_load_with(path, options, &r);

	free(path);
	if (!ret && r.depends.n)
		ret = error("%s: a recipe built before all others cannot "
			"depend on another", r.path);
	if (ret) {
		recipe_release(&r);
		return -1;
	}
	set->items = xrealloc(set->items, (set->n + 1) * sizeof(r));
	memmove(set->items + 1, set->items, set->n * sizeof(r));
	set->items[0] = r;
	set->n++;
	return 0;
}

void recipe_set_release(struct recipe_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		recipe_release(&set->items[i]);
	free(set->items);
	memset(set, 0, sizeof(*set));
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Whether dir/name is a recipe file (not README.md, a dot file or a dir). */
static bool is_recipe_file(const char *dir, const char *name)
{
	char *path = path_join(dir, name);
	bool yes = name[0] != '.' && !ends_with(name, ".md") &&
		!path_is_dir(path);

	free(path);
	return yes;
}

int recipe_list_kind(const char *dir, enum recipe_kind kind,
		     struct strvec *names)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int ret = d ? 0 : error("cannot list the recipes in '%s':", dir);

	while (!ret && (de = readdir(d))) {
		char *path = path_join(dir, de->d_name);
		struct recipe r;

		memset(&r, 0, sizeof(r));
		if (is_recipe_file(dir, de->d_name)) {
			ret = recipe_load(path, &r);
			if (!ret && r.kind == kind)
				strvec_push(names, de->d_name);
		}
		recipe_release(&r);
		free(path);
	}
	if (d)
		closedir(d);
	qsort(names->v, names->n, sizeof(*names->v), compare_names);
	return ret;
}
