#include "ocicache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "home.h"
#include "log.h"
#include "merge.h"
#include "oci.h"
#include "ocijson.h"
#include "ocitar.h"
#include "banned.h"

/* The largest blob a pull accepts (a toolchain's is about 60 MB). */
#define OCICACHE_MAX_BLOB (4LL << 30)

struct pull;
/* The kind's check of a pulled tree: NULL, or why it is refused. */
typedef char *check_fn(const struct pull *p, const char *tree);

struct kind {
	const char *name;
	const char *subdir;     /* under $STICK_HOME */
	const char *tag_prefix; /* tag = prefix + key, '/' as '-' */
	const char *mark;       /* a file every whole entry has, or NULL */
	bool one_file;          /* the entry is a file, not a directory */
	check_fn *check;
	/* What the entry holds of one build only (logs, paths): not pushed. */
	const char *const *exclude;
	/* Pushed only when no file names $STICK_HOME (libtool's .la do). */
	bool must_relocate;
};

/* One pull in progress. */
struct pull {
	const struct kind *k;
	enum ocicache_kind id;
	const char *final;
	char *key;   /* final relative to $STICK_HOME/subdir */
	char *tag;
	const struct recipe_set *set;  /* a toolchain's recipes */
	long long size;
};

static check_fn check_toolchain, check_stdlib, check_embed, check_table,
	check_clib, check_extension;

/*
 * A toolchain's build logs, and the .pyc files that running CPython's test
 * package with the toolchain's interpreter writes beside it later (t3200,
 * make regrtest): no build wrote them, so they are no part of its bytes.
 */
static const char *const toolchain_exclude[] = {
	"build-logs", "lib/python*/test/*__pycache__*", NULL };
static const char *const stdlib_exclude[] = { "request", "freeze.log", NULL };
static const char *const extension_exclude[] = { "build.json", NULL };

static const struct kind kinds[] = {
	[OCICACHE_TOOLCHAIN] = { "toolchain", "toolchains", "", "manifest.json",
				 false, check_toolchain, toolchain_exclude, false },
	[OCICACHE_STDLIB] = { "stdlib", "stdlib", "stdlib-", "result", false,
			      check_stdlib, stdlib_exclude, false },
	[OCICACHE_EMBED] = { "embed", "embed", "embed-", NULL, false,
			     check_embed, NULL, false },
	[OCICACHE_TABLE] = { "table", "embed", "embed-", NULL, true,
			     check_table, NULL, false },
	[OCICACHE_CLIB] = { "clib", "clibs", "clib-", NULL, false, check_clib,
			    NULL, true },
	[OCICACHE_EXTENSION] = { "extension", "extensions", "ext-", "meta.json",
				 false, check_extension, extension_exclude,
				 true },
};

static struct {
	const char *url;     /* --cache */
	bool insecure, push;
	bool ready;          /* ocicache_setup() ran */
	bool opened, down;   /* the registry was pinged; it failed */
	struct oci_registry reg;
	struct strvec used;  /* "KIND PATH" of the entries asked for */
} cache;

void ocicache_set_url(const char *url) { cache.url = url; }
void ocicache_set_insecure(void) { cache.insecure = true; }
void ocicache_set_push(void) { cache.push = true; }

char *ocicache_check_url(const char *url, bool insecure)
{
	struct oci_registry r;
	char *why = NULL;

	if (!oci_parse(&r, url, insecure, &why))
		oci_release(&r);
	return why;
}

int ocicache_setup(void)
{
	const char *env = getenv("STICK_CACHE");
	char *why;

	if (cache.ready)
		return 0;
	cache.ready = true;
	if (!cache.url && env && *env)
		cache.url = env;
	if (getenv("STICK_CACHE_INSECURE") &&
	    !strcmp(getenv("STICK_CACHE_INSECURE"), "1"))
		cache.insecure = true;
	if (!cache.url && (cache.push || cache.insecure))
		return error("--cache-push and --cache-insecure need a registry: "
			"give --cache oci://HOST[:PORT]/REPO or set STICK_CACHE");
	if (!cache.url)
		return 0;
	if (oci_parse(&cache.reg, cache.url, cache.insecure, &why)) {
		error("%s%s", cache.url == env ? "STICK_CACHE: " : "", why);
		free(why);
		cache.url = NULL;
		return -1;
	}
	/* What stick cc-wrap (building C libraries) inherits. */
	setenv("STICK_CACHE", cache.url, 1);
	if (cache.insecure)
		setenv("STICK_CACHE_INSECURE", "1", 1);
	return 0;
}

bool ocicache_enabled(void)
{
	return cache.ready && cache.url;
}

bool ocicache_push_wanted(void)
{
	return cache.push && ocicache_enabled();
}

/*
 * The registry, asked once whether it is one (and how it authenticates).
 * NULL after a warning (a pull builds locally instead) or, for a push,
 * an error.
 */
static struct oci_registry *registry(const struct pull *p)
{
	bool for_push = !p;

	if (!cache.opened) {
		cache.opened = true;
		if (oci_credentials(&cache.reg) || oci_ping(&cache.reg)) {
			cache.down = true;
			if (!for_push)
				warn("cannot use the cache %s for %s %s: %s; "
				     "building it, and what else it would have "
				     "given, locally", cache.url, p->k->name,
				     p->key, cache.reg.why.buf);
		}
	}
	if (cache.down && for_push)
		error("cannot push to the cache %s: %s", cache.url,
		      cache.reg.why.buf);
	return cache.down ? NULL : &cache.reg;
}

/* ---- keys and tags ---- */

/* The entry's key (its path under the kind's directory), or NULL. */
static char *entry_key(const struct kind *k, const char *final)
{
	char *root = path_join(home_dir(), k->subdir);
	size_t n = strlen(root);
	char *key = NULL;

	if (!strncmp(final, root, n) && final[n] == '/' && final[n + 1])
		key = xstrdup(final + n + 1);
	free(root);
	return key;
}

/* prefix + key with '/' as '-', when that is a valid OCI tag; else NULL. */
static char *entry_tag(const struct kind *k, const char *key)
{
	char *tag = xasprintf("%s%s", k->tag_prefix, key);

	for (char *p = tag; *p; p++) {
		if (*p == '/')
			*p = '-';
		else if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			   (*p >= '0' && *p <= '9') || strchr("._-", *p)))
			break;
	}
	if (strlen(tag) > 128 || strspn(tag, "abcdefghijklmnopqrstuvwxyz"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != strlen(tag) ||
	    tag[0] == '.' || tag[0] == '-') {
		free(tag);
		return NULL;
	}
	return tag;
}

static char *artifact_type(const struct kind *k)
{
	return xasprintf("application/vnd.stick.%s.v1", k->name);
}

static char *layer_type(const struct kind *k)
{
	return xasprintf("application/vnd.stick.%s.v1.tar+zstd", k->name);
}

/* ---- the kinds' checks ---- */

static bool is_elf_object(const char *path)
{
	char magic[4] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	bool ok = fd >= 0 && read(fd, magic, 4) == 4 &&
		!memcmp(magic, "\177ELF", 4);

	if (fd >= 0)
		close(fd);
	return ok;
}

/* The manifest's components against the recipes this stick builds. */
static char *check_components(const struct json *m,
			      const struct recipe_set *set)
{
	const struct json *c = json_get(m, "components");

	if (!c || c->type != JSON_ARRAY)
		return xstrdup("its manifest.json lists no components");
	if (c->n != set->n)
		return xasprintf("it was built from %zu recipes, not the %zu "
				 "here", c->n, set->n);
	for (size_t i = 0; i < c->n; i++) {
		const char *name = json_get_str(&c->items[i], "name");
		const char *version = json_get_str(&c->items[i], "version");
		const struct recipe *r = &set->items[i];

		if (!name || !version || strcmp(name, r->name) ||
		    strcmp(version, r->version))
			return xasprintf("it was built from other recipes: %s "
				"%s where this stick has %s %s",
				name ? name : "?", version ? version : "?",
				r->name, r->version);
	}
	return NULL;
}

static char *check_toolchain(const struct pull *p, const char *tree)
{
	char *path = path_join(tree, "manifest.json");
	size_t len;
	char *text = read_file(path, &len), *jwhy = NULL, *bad = NULL;
	char *key = text ? merge_manifest_field(text, "key") : NULL;
	struct json *m = text ? json_parse(text, len, &jwhy) : NULL;
	char *lib = path_join(tree, "lib/libstickpython.a");

	if (!text)
		bad = xstrdup("it has no manifest.json");
	else if (!m)
		bad = xasprintf("its manifest.json is not JSON: %s", jwhy);
	else if (!key || strcmp(key, p->key))
		bad = xasprintf("its manifest.json is the toolchain '%s'",
				key ? key : "(no key)");
	else if (!path_exists(lib))
		bad = xstrdup("it has no lib/libstickpython.a");
	else if (p->set)
		bad = check_components(m, p->set);
	json_free(m);
	free(lib); free(key); free(jwhy); free(text); free(path);
	return bad;
}

static char *check_stdlib(const struct pull *p, const char *tree)
{
	char *path = path_join(tree, "result");
	char *text = read_file(path, NULL);
	char *bad = NULL;

	if (!text || (!starts_with(text, "stdlib-modules ") &&
		      !strstr(text, "\nstdlib-modules ")))
		bad = xstrdup("its result file names no stdlib-modules");
	free(text);
	free(path);
	return bad;
}

/* Every file of tree is an ELF object named *.o (one, for a table). */
static char *check_objects(const char *tree, const char *only)
{
	DIR *d = opendir(tree);
	struct dirent *e;
	char *bad = NULL;
	size_t n = 0;

	while (d && !bad && (e = readdir(d))) {
		char *path = path_join(tree, e->d_name);

		if (e->d_name[0] == '.') {
		} else if (!ends_with(e->d_name, ".o") || !is_elf_object(path) ||
			   (only && strcmp(e->d_name, only)))
			bad = xasprintf("'%s' is not the expected object file",
					e->d_name);
		else
			n++;
		free(path);
	}
	if (d)
		closedir(d);
	if (!bad && (!n || (only && n != 1)))
		bad = xstrdup("it holds no object files");
	return bad;
}

static char *check_embed(const struct pull *p, const char *tree)
{
	return check_objects(tree, NULL);
}

static char *check_table(const struct pull *p, const char *tree)
{
	return check_objects(tree, path_basename(p->final));
}

/* A C library: static archives under lib/. */
static char *check_clib(const struct pull *p, const char *tree)
{
	char *lib = path_join(tree, "lib");
	DIR *d = opendir(lib);
	struct dirent *e;
	bool found = false;

	while (d && !found && (e = readdir(d))) {
		char *path = path_join(lib, e->d_name);

		found = ends_with(e->d_name, ".a") && path_exists(path);
		free(path);
	}
	if (d)
		closedir(d);
	free(lib);
	return found ? NULL : xstrdup("it has no lib/*.a");
}

static void pull(enum ocicache_kind id, const char *final,
		 const struct recipe_set *set);

/* "clibs/KEY/ENTRY" of a link need "clibs/KEY/ENTRY/lib/libX.a", or NULL. */
static char *clib_entry(const char *need)
{
	const char *p = need + strlen("clibs/");
	size_t n = strcspn(p, "/");

	if (!p[n])
		return NULL;
	n += 1 + strcspn(p + n + 1, "/");
	return p[n] == '/' ? xstrndup(need, (size_t)(p + n - need)) : NULL;
}

/*
 * A C library archive an extension links (clibs/...): here already, or
 * pulled beside it; NULL, or why the extension cannot be used.
 */
static char *need_clib(const char *need)
{
	char *entry = clib_entry(need), *path, *bad = NULL;

	if (!entry)
		return xasprintf("its link need '%s' is no C library entry", need);
	path = path_join(home_dir(), entry);
	if (!path_is_dir(path))
		pull(OCICACHE_CLIB, path, NULL);
	if (!path_is_dir(path))
		bad = xasprintf("it links the C library %s, which neither this "
				"STICK_HOME nor the cache has", entry);
	free(path);
	free(entry);
	return bad;
}

/* One string of an extension's meta.json "extensions" or "link". */
static char *check_extension_item(const char *tree, const char *list,
				  const char *v)
{
	char *path, *bad = NULL;

	if (!*v || strstr(v, ".."))
		return xasprintf("its meta.json names '%s' in %s", v, list);
	if (!strcmp(list, "link")) {
		if (starts_with(v, "clibs/"))
			return need_clib(v);
		if (v[0] == '/' && strstr(v, "/clibs/"))
			return xasprintf("it links '%s' of another STICK_HOME", v);
		return NULL;
	}
	if (strchr(v, '/'))
		return xasprintf("its meta.json names '%s' in %s", v, list);
	path = xasprintf("%s/ext/%s.o", tree, v);
	if (!is_elf_object(path))
		bad = xasprintf("it has no object ext/%s.o", v);
	free(path);
	return bad;
}

/* An extension build: meta.json, an object per extension, its libraries. */
static char *check_extension(const struct pull *p, const char *tree)
{
	static const char *const lists[] = { "extensions", "link" };
	char *path = path_join(tree, "meta.json"), *jwhy = NULL, *bad = NULL;
	size_t len;
	char *text = read_file(path, &len);
	struct json *m = text ? json_parse(text, len, &jwhy) : NULL;

	(void)p;
	if (!m)
		bad = xasprintf("its meta.json is %s", text ? "not JSON" :
				"missing");
	else if (!json_get_str(m, "name") || !json_get_str(m, "version"))
		bad = xstrdup("its meta.json names no package and version");
	for (size_t i = 0; !bad && i < ARRAY_SIZE(lists); i++) {
		const struct json *a = json_get(m, lists[i]);

		if (!a || a->type != JSON_ARRAY)
			bad = xasprintf("its meta.json has no '%s' list",
					lists[i]);
		for (size_t j = 0; !bad && j < a->n; j++)
			bad = a->items[j].type != JSON_STRING ?
				xasprintf("its meta.json's '%s' holds a "
					  "non-string", lists[i]) :
				check_extension_item(tree, lists[i],
						     a->items[j].text);
	}
	json_free(m);
	free(jwhy); free(text); free(path);
	return bad;
}

/* ---- pulling ---- */

/* The manifest's one layer, after checking it is what p expects. */
static char *check_manifest(struct pull *p, const struct json *m,
			    const char **digest)
{
	char *type = artifact_type(p->k), *ltype = layer_type(p->k);
	const struct json *ann = json_get(m, "annotations");
	const struct json *layers = json_get(m, "layers"), *l, *size;
	const char *key = json_get_str(ann, "dev.stick.key");
	const char *at = json_get_str(m, "artifactType");
	char *bad = NULL;

	if (!at || strcmp(at, type))
		bad = xasprintf("its artifactType is '%s', not '%s'",
				at ? at : "(none)", type);
	else if (!key || strcmp(key, p->key))
		bad = xasprintf("its manifest is for the key '%s'",
				key ? key : "(none)");
	else if (!layers || layers->type != JSON_ARRAY || layers->n != 1)
		bad = xstrdup("its manifest does not have one layer");
	l = bad ? NULL : &layers->items[0];
	size = l ? json_get(l, "size") : NULL;
	*digest = l ? json_get_str(l, "digest") : NULL;
	if (!bad && (!json_get_str(l, "mediaType") ||
		     strcmp(json_get_str(l, "mediaType"), ltype)))
		bad = xasprintf("its layer is not a %s", ltype);
	else if (!bad && (!*digest || !size || size->type != JSON_NUMBER ||
			  (p->size = strtoll(size->text, NULL, 10)) <= 0 ||
			  p->size > OCICACHE_MAX_BLOB))
		bad = xstrdup("its layer has no digest or a bad size");
	free(type);
	free(ltype);
	return bad;
}

/*
 * Pulls p's artifact into the fresh directory tmp: tmp/tree is the
 * checked tree. 0; 1 when the registry lacks it; -1 after a warning.
 */
static int pull_into(struct pull *p, const char *tmp)
{
	struct oci_registry *r = registry(p);
	struct strbuf body = STRBUF_INIT;
	char *blob = path_join(tmp, "blob.tar.zst");
	char *tree = path_join(tmp, "tree");
	char *bad = NULL, *jwhy = NULL;
	struct json *m = NULL;
	const char *digest = NULL;
	struct step st;
	int ret = r ? oci_manifest_get(r, p->tag, &body) : 1;

	if (ret == 1)
		log_verbose("%s %s: not in the cache %s", p->k->name, p->key,
			    cache.url);
	if (ret < 0)
		warn("cannot pull %s %s from the cache %s: %s; building it "
		     "here instead", p->k->name, p->key, cache.url, r->why.buf);
	if (ret)
		goto out;
	step_begin(&st, "pull %s %s from %s", p->k->name, p->key, cache.url);
	if (!(m = json_parse(body.buf, body.len, &jwhy)))
		bad = xasprintf("its manifest is not JSON: %s", jwhy);
	else
		bad = check_manifest(p, m, &digest);
	if (!bad && oci_blob_get(r, digest, (off_t)p->size, blob))
		bad = xstrdup(r->why.buf);
	if (!bad && ocitar_read(blob, tree, &jwhy))
		bad = xasprintf("its archive: %s", jwhy);
	if (!bad)
		bad = p->k->check(p, tree);
	step_end(&st, !bad);
	if (bad) {
		warn("refusing %s %s from the cache %s: %s; building it here "
		     "instead", p->k->name, p->key, cache.url, bad);
		ret = -1;
	}
out:
	free(bad); free(jwhy); free(blob); free(tree);
	json_free(m);
	strbuf_release(&body);
	return ret;
}

/* A cachedir_make_fn: pulls into cd->tmp and publishes its tree. */
static int pull_make(struct cachedir *cd, void *arg)
{
	struct pull *p = arg;
	char *tree = path_join(cd->tmp, "tree");
	int ret = pull_into(p, cd->tmp);

	if (!ret)
		ret = cachedir_commit(cd, tree);
	free(tree);
	return ret ? -1 : 0;
}

/* A table is one file: pulled beside it, renamed into place. */
static void pull_file(struct pull *p)
{
	char *tmp = xasprintf("%s.pull.%ld", p->final, (long)getpid());
	char *dir = path_dirname(p->final);
	char *got = xasprintf("%s/tree/%s", tmp, path_basename(p->final));

	if (!mkdir_p(tmp, 0755) && !pull_into(p, tmp) &&
	    rename(got, p->final))
		warn("cannot rename '%s' to '%s':", got, p->final);
	remove_tree(tmp);
	free(got);
	free(dir);
	free(tmp);
}

static void pull(enum ocicache_kind id, const char *final,
		 const struct recipe_set *set)
{
	struct pull p = { .k = &kinds[id], .id = id, .final = final,
			  .set = set };
	struct cachedir cd = CACHEDIR_INIT;
	char *mark = NULL, *what;

	if (!cache.ready && ocicache_setup())
		return;
	if (!ocicache_enabled())
		return;
	ocicache_note_used(id, final);
	if (p.k->mark)
		mark = path_join(final, p.k->mark);
	if (path_exists(mark ? mark : final) || cache.down ||
	    !(p.key = entry_key(p.k, final)) ||
	    !(p.tag = entry_tag(p.k, p.key))) {
		free(mark);
		free(p.key);
		return;
	}
	if (p.k->one_file) {
		pull_file(&p);
	} else {
		what = xasprintf("pulling %s %s", p.k->name, p.key);
		cd.tmp_suffix = ".pull";
		cd.mark = p.k->mark;
		cachedir_ensure(&cd, final, what, pull_make, &p,
				CACHEDIR_REMOVE);
		free(what);
	}
	free(mark);
	free(p.key);
	free(p.tag);
}

void ocicache_note_used(enum ocicache_kind kind, const char *final)
{
	for (size_t i = 0; i < cache.used.n; i++) {
		if (!strcmp(strchr(cache.used.v[i], ' ') + 1, final))
			return;
	}
	strvec_pushf(&cache.used, "%d %s", (int)kind, final);
}

void ocicache_pull(enum ocicache_kind kind, const char *final)
{
	pull(kind, final, NULL);
}

void ocicache_pull_toolchain(const char *final, const struct recipe_set *set)
{
	pull(OCICACHE_TOOLCHAIN, final, set);
}

/* ---- pushing ---- */

/* "x86_64-linux-musl" from a key naming the libc, or NULL. */
static const char *key_target(const char *key)
{
	bool arm = strstr(key, "-aarch64") != NULL;

	if (strstr(key, "-musl"))
		return arm ? "aarch64-linux-musl" : "x86_64-linux-musl";
	if (strstr(key, "-glibc"))
		return arm ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
	return NULL;
}

static void add_annotation(struct strbuf *sb, const char *name,
			   const char *value)
{
	if (!value)
		return;
	strbuf_addstr(sb, ",");
	json_add_str(sb, name);
	strbuf_addstr(sb, ":");
	json_add_str(sb, value);
}

/* A toolchain's components, "name version sha256-prefix, ...". */
static char *toolchain_recipes(const struct json *m)
{
	const struct json *c = json_get(m, "components");
	struct strbuf sb = STRBUF_INIT;

	for (size_t i = 0; c && c->type == JSON_ARRAY && i < c->n; i++) {
		const struct json *x = &c->items[i];
		const char *sha = json_get_str(x, "sha256");

		strbuf_addf(&sb, "%s%s %s %.16s", i ? ", " : "",
			    json_get_str(x, "name") ? json_get_str(x, "name") : "?",
			    json_get_str(x, "version") ?
			    json_get_str(x, "version") : "?", sha ? sha : "");
	}
	return strbuf_detach(&sb);
}

/* An extension build's package, "name version", from its meta.json. */
static int package_annotation(struct strbuf *sb, const char *final)
{
	char *path = path_join(final, "meta.json"), *jwhy = NULL, *pkg;
	size_t len;
	char *text = read_file(path, &len);
	struct json *m = text ? json_parse(text, len, &jwhy) : NULL;
	const char *name = json_get_str(m, "name");
	const char *version = json_get_str(m, "version");
	int ret = 0;

	if (!name || !version) {
		ret = error("cannot read the package of '%s'", path);
	} else {
		pkg = xasprintf("%s %s", name, version);
		add_annotation(sb, "dev.stick.package", pkg);
		free(pkg);
	}
	json_free(m);
	free(jwhy); free(text); free(path);
	return ret;
}

/* The annotations of the artifact of kind k at final. */
static int annotations(struct strbuf *sb, enum ocicache_kind id,
		       const char *final, const char *key)
{
	const struct kind *k = &kinds[id];
	char *path = path_join(final, "manifest.json"), *jwhy = NULL;
	size_t len;
	char *text = id == OCICACHE_TOOLCHAIN ? read_file(path, &len) : NULL;
	struct json *m = text ? json_parse(text, len, &jwhy) : NULL;
	char *py = xstrndup(key, strcspn(key, "-"));
	char *recipes = m ? toolchain_recipes(m) : NULL;
	int ret = 0;

	if (id == OCICACHE_TOOLCHAIN && !m)
		ret = error("cannot read '%s'%s%s", path, jwhy ? ": " : "",
			    jwhy ? jwhy : "");
	strbuf_addstr(sb, "{\"dev.stick.key\":");
	json_add_str(sb, key);
	add_annotation(sb, "dev.stick.kind", k->name);
	add_annotation(sb, "dev.stick.python",
		       m && json_get_str(m, "python") ?
		       json_get_str(m, "python") : py);
	add_annotation(sb, "dev.stick.recipes", recipes);
	add_annotation(sb, "dev.stick.target", key_target(key));
	if (id == OCICACHE_EXTENSION)
		ret = ret ? ret : package_annotation(sb, final);
	strbuf_addstr(sb, "}");
	json_free(m);
	free(recipes); free(py); free(jwhy); free(text); free(path);
	return ret;
}

/* The OCI image manifest of an artifact: the same bytes on every builder. */
static int manifest_text(struct strbuf *sb, enum ocicache_kind id,
			 const char *final, const char *key, const char *hex,
			 off_t size)
{
	const struct kind *k = &kinds[id];
	char *type = artifact_type(k), *ltype = layer_type(k);
	char *title = xasprintf("%s%s.tar.zst", k->tag_prefix, key);

	for (char *p = title; *p; p++)
		*p = *p == '/' ? '-' : *p;
	strbuf_addstr(sb, "{\"schemaVersion\":2,\"mediaType\":\""
		OCI_MANIFEST_TYPE "\",\"artifactType\":");
	json_add_str(sb, type);
	strbuf_addstr(sb, ",\"config\":{\"mediaType\":\"" OCI_EMPTY_TYPE
		"\",\"digest\":\"" OCI_EMPTY_DIGEST "\",\"size\":2,"
		"\"data\":\"e30=\"},\"layers\":[{\"mediaType\":");
	json_add_str(sb, ltype);
	strbuf_addf(sb, ",\"digest\":\"sha256:%s\",\"size\":%lld,"
		    "\"annotations\":{\"org.opencontainers.image.title\":",
		    hex, (long long)size);
	json_add_str(sb, title);
	strbuf_addstr(sb, "}}],\"annotations\":");
	free(type); free(ltype); free(title);
	if (annotations(sb, id, final, key))
		return -1;
	strbuf_addstr(sb, "}");
	return 0;
}

/* The layer digest a manifest names, for a message. */
static char *layer_digest(const char *text, size_t len)
{
	char *jwhy = NULL;
	struct json *m = json_parse(text, len, &jwhy);
	const struct json *l = json_get(m, "layers");
	const char *d = l && l->type == JSON_ARRAY && l->n ?
		json_get_str(&l->items[0], "digest") : NULL;
	char *ret = xstrdup(d ? d : "(no layer)");

	json_free(m);
	free(jwhy);
	return ret;
}

/*
 * What the registry's tag holds against ours: 0 the same bytes, 1
 * nothing, -1 after an error (another manifest, or a failure).
 */
static int compare_tag(struct oci_registry *r, const char *tag,
		       const struct strbuf *ours, const char *what)
{
	struct strbuf theirs = STRBUF_INIT;
	int ret = oci_manifest_get(r, tag, &theirs);

	if (ret < 0)
		return error("cannot push %s to %s: %s", what, cache.url,
			     r->why.buf);
	if (!ret && (theirs.len != ours->len ||
		     memcmp(theirs.buf, ours->buf, ours->len))) {
		char *a = layer_digest(theirs.buf, theirs.len);
		char *b = layer_digest(ours->buf, ours->len);

		ret = error("%s: the cache %s already has the tag '%s' with "
			"other content (layer %s; this build's is %s). Builds "
			"are reproducible, so one of the two was not built from "
			"what its key says; not overwriting it", what,
			cache.url, tag, a, b);
		free(a);
		free(b);
	}
	strbuf_release(&theirs);
	return ret;
}

static int upload(struct oci_registry *r, const struct strbuf *text,
		  const char *tag, const char *archive, const char *hex,
		  off_t size, const char *what)
{
	char *digest = xasprintf("sha256:%s", hex);
	int ret = 0;

	if (oci_blob_push(r, OCI_EMPTY_DIGEST, NULL, "{}", 2) ||
	    oci_blob_push(r, digest, archive, NULL, size) ||
	    oci_manifest_put(r, tag, text->buf, text->len))
		ret = error("cannot push %s to %s: %s", what, cache.url,
			    r->why.buf);
	/* Another builder's different manifest may have won a race. */
	if (!ret)
		ret = compare_tag(r, tag, text, what) ? -1 : 0;
	free(digest);
	return ret;
}

static bool is_link(const char *path)
{
	struct stat st;

	return !lstat(path, &st) && S_ISLNK(st.st_mode);
}

/* The first file under dir whose bytes name home, or NULL. */
static char *names_home(const char *dir, const char *home)
{
	struct strvec todo = STRVEC_INIT;
	char *found = NULL;

	strvec_push(&todo, dir);
	while (todo.n && !found) {
		char *path = todo.v[--todo.n];
		DIR *d = opendir(path);
		struct dirent *e;

		while (d && !found && (e = readdir(d))) {
			char *sub = path_join(path, e->d_name);
			size_t len;
			char *text;

			if (e->d_name[0] == '.' && (!e->d_name[1] ||
			    (e->d_name[1] == '.' && !e->d_name[2]))) {
			} else if (path_is_dir(sub) && !is_link(sub)) {
				strvec_push(&todo, sub);
			} else if (!is_link(sub) &&
				   (text = read_file(sub, &len))) {
				if (memmem(text, len, home, strlen(home)))
					found = xstrdup(sub);
				free(text);
			}
			free(sub);
		}
		if (d)
			closedir(d);
		free(path);
		todo.v[todo.n] = NULL;
	}
	strvec_clear(&todo);
	return found;
}

/* Why final cannot be pushed as it is (it names this home), or NULL. */
static char *not_relocatable(const struct kind *k, const char *final)
{
	char *real = realpath(home_dir(), NULL);
	char *bad = NULL, *file;

	if (!k->must_relocate)
		return NULL;
	if ((file = names_home(final, home_dir())) ||
	    (real && (file = names_home(final, real))))
		bad = xasprintf("'%s' names this STICK_HOME, so it would not "
				"work under another; it is built on each "
				"machine instead", file);
	free(file);
	free(real);
	return bad;
}

static int push_one(enum ocicache_kind id, const char *final)
{
	const struct kind *k = &kinds[id];
	char *key = entry_key(k, final), *tag = key ? entry_tag(k, key) : NULL;
	char *mark = k->mark ? path_join(final, k->mark) : xstrdup(final);
	char *archive = xasprintf("%s/.oci-push.%ld.tar.zst", home_dir(),
				  (long)getpid());
	char *what = xasprintf("%s %s", k->name, key ? key : final);
	struct strbuf text = STRBUF_INIT;
	struct oci_registry *r = NULL;
	char hex[65], sz[32];
	off_t size = 0;
	int ret = 0;

	char *bad = NULL;

	if (!tag)
		ret = error("'%s' is not a cache entry stick can push", final);
	else if (!path_exists(mark))
		ret = error("'%s' is not a complete %s (no '%s')", final,
			    k->name, mark);
	else if ((bad = not_relocatable(k, final)))
		ret = error("not pushing %s: %s", what, bad);
	free(bad);
	if (!ret && !(r = registry(NULL)))
		ret = -1;
	if (!ret)
		ret = ocitar_write(final, k->exclude, archive, hex, &size);
	if (!ret)
		ret = manifest_text(&text, id, final, key, hex, size);
	if (!ret)
		ret = compare_tag(r, tag, &text, what);
	if (!ret) {
		log_info("%s: already in %s", what, cache.url);
	} else if (ret == 1) {
		ret = upload(r, &text, tag, archive, hex, size, what);
		if (!ret)
			log_info("pushed %s to %s:%s (%s)", what, cache.url,
				 tag, format_size((double)size, sz));
	}
	unlink(archive);
	strbuf_release(&text);
	free(key); free(tag); free(mark); free(archive); free(what);
	return ret;
}

/* The kind of the entry at rel (a path under $STICK_HOME), or -1. */
static int classify(const char *rel)
{
	size_t slashes = 0;

	for (const char *p = rel; *p; p++)
		slashes += *p == '/';
	if (starts_with(rel, "toolchains/") && slashes == 1)
		return OCICACHE_TOOLCHAIN;
	if (starts_with(rel, "stdlib/") && slashes == 1)
		return OCICACHE_STDLIB;
	if (starts_with(rel, "embed/") && slashes == 3 &&
	    strstr(rel, "/tables/") && ends_with(rel, ".o"))
		return OCICACHE_TABLE;
	if (starts_with(rel, "embed/") && slashes == 2 &&
	    !ends_with(rel, "/tables"))
		return OCICACHE_EMBED;
	if (starts_with(rel, "clibs/") && slashes == 2)
		return OCICACHE_CLIB;
	if (starts_with(rel, "extensions/") && slashes == 2)
		return OCICACHE_EXTENSION;
	return -1;
}

/*
 * The entry a command line names (a path under $STICK_HOME, absolute or
 * not, or a toolchain's key): its path, and its kind in *kind; NULL after
 * a message.
 */
static char *entry_path(const char *entry, int *kind)
{
	const char *home = home_dir();
	size_t n = strlen(home);
	char *path = strchr(entry, '/') ? xstrdup(entry) :
		xasprintf("%s/toolchains/%s", home, entry);
	const char *rel = NULL;

	if (path[0] != '/') {
		char *abs = path_join(home, path);

		free(path);
		path = abs;
	}
	while (ends_with(path, "/") && strlen(path) > 1)
		path[strlen(path) - 1] = 0;
	if (!strncmp(path, home, n) && path[n] == '/')
		rel = path + n + 1;
	*kind = rel && !strstr(rel, "..") ? classify(rel) : -1;
	if (*kind < 0) {
		error("'%s' is no toolchain, stdlib, embed/, table, C library "
			"or extension entry of the cache %s; name one by its "
			"path there or a toolchain by its key", entry, home);
		free(path);
		return NULL;
	}
	return path;
}

int ocicache_push_entry(const char *entry)
{
	int kind, ret;
	char *path = entry_path(entry, &kind);

	if (!path)
		return -1;
	ret = push_one((enum ocicache_kind)kind, path);
	free(path);
	return ret;
}

int ocicache_pull_entry(const char *entry)
{
	int kind, ret = 0;
	char *path = entry_path(entry, &kind), *mark;

	if (!path)
		return -1;
	pull((enum ocicache_kind)kind, path, NULL);
	mark = kinds[kind].mark ? path_join(path, kinds[kind].mark) :
		xstrdup(path);
	if (!path_exists(mark))
		ret = error("%s %s: neither in %s nor pulled from %s",
			    kinds[kind].name, entry, home_dir(), cache.url);
	free(mark);
	free(path);
	return ret;
}

/* Adds dir's entries (no dot names, no temporaries) to names. */
static void list_entries(const char *dir, const char *rel,
			 struct strvec *names)
{
	char *path = path_join(dir, rel);
	DIR *d = opendir(path);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.' || strstr(e->d_name, ".tmp.") ||
		    strstr(e->d_name, ".pull") || ends_with(e->d_name, ".build") ||
		    ends_with(e->d_name, ".log"))
			continue;
		strvec_pushf(names, "%s/%s", rel, e->d_name);
	}
	if (d)
		closedir(d);
	free(path);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int ocicache_push_all(void)
{
	const char *home = home_dir();
	struct strvec top = STRVEC_INIT, all = STRVEC_INIT;
	int ret = 0;

	list_entries(home, "toolchains", &all);
	list_entries(home, "stdlib", &all);
	list_entries(home, "embed", &top);
	list_entries(home, "clibs", &top);
	list_entries(home, "extensions", &top);
	for (size_t i = 0; i < top.n; i++) {
		char *tables = path_join(top.v[i], "tables");

		list_entries(home, top.v[i], &all);
		list_entries(home, tables, &all);
		free(tables);
	}
	qsort(all.v, all.n, sizeof(*all.v), cmp_str);
	for (size_t i = 0; i < all.n; i++) {
		char *path = path_join(home, all.v[i]);
		int kind = classify(all.v[i]);
		char *bad = kind < 0 ? NULL : not_relocatable(&kinds[kind], path);

		if (bad)
			log_info("not pushing %s: %s", all.v[i], bad);
		else if (kind >= 0 && push_one((enum ocicache_kind)kind, path))
			ret = -1;
		free(bad);
		free(path);
	}
	if (!all.n)
		log_info("nothing to push: %s holds no toolchain yet", home);
	strvec_clear(&top);
	strvec_clear(&all);
	return ret;
}

/* The C libraries built for the toolchain at dir that can travel. */
static int push_clibs(const char *dir)
{
	char *rel = xasprintf("clibs/%s", path_basename(dir));
	struct strvec names = STRVEC_INIT;
	int ret = 0;

	list_entries(home_dir(), rel, &names);
	for (size_t i = 0; i < names.n; i++) {
		char *path = path_join(home_dir(), names.v[i]);
		char *bad = not_relocatable(&kinds[OCICACHE_CLIB], path);

		if (bad)
			log_verbose("not pushing %s: %s", names.v[i], bad);
		else if (push_one(OCICACHE_CLIB, path))
			ret = -1;
		free(bad);
		free(path);
	}
	strvec_clear(&names);
	free(rel);
	return ret;
}

int ocicache_push_used(void)
{
	int ret = 0;

	for (size_t i = 0; i < cache.used.n; i++) {
		char *path;
		long id = strtol(cache.used.v[i], &path, 10);

		if (path_exists(path + 1) && push_one((enum ocicache_kind)id,
						      path + 1))
			ret = -1;
		if (id == OCICACHE_TOOLCHAIN && path_exists(path + 1) &&
		    push_clibs(path + 1))
			ret = -1;
	}
	return ret;
}
