#include "clib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "digest.h"
#include "home.h"
#include "log.h"
#include "ocicache.h"
#include "proc.h"
#include "recipe.h"
#include "banned.h"

/*
 * The C++ compiler's version text, for recipes that compile with it
 * (@CXX@: libcxx), since clang comes from the host's packages, not from
 * the toolchain key. Without one, "none": the recipe's build then fails
 * naming the compiler, and C-only builds never need it.
 */
static char *cxx_identity(const struct toolchain *tc)
{
	char *dir = path_join(home_dir(), "clibs");
	char *tmp = xasprintf("%s/.cxx-version.%ld", dir, (long)getpid());
	char *argv[] = { tc->cxx, "--version", NULL };
	struct proc_opts po = { .log_path = tmp, .stdin_path = "/dev/null" };
	char *text = NULL;

	if (tc->cxx && !mkdir_p(dir, 0755) && proc_run(argv, &po) == 0)
		text = read_file(tmp, NULL);
	if (tc->cxx)
		unlink(tmp);
	free(dir);
	free(tmp);
	return text ? text : xstrdup("none");
}

/* Whether a recipe of the set (the library or one it depends on) is C++. */
static bool set_is_cxx(const struct recipe_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		if (set->items[i].cxx)
			return true;
	}
	return false;
}

static char *clib_final(const struct toolchain *tc,
			const struct recipe_set *set)
{
	const struct recipe *r = &set->items[set->n - 1];
	const char *tc_dir = tc->dir;
	char *text = read_file(r->path, NULL);
	char *cxx = text && strstr(text, "@CXX@") ? cxx_identity(tc) : NULL;
	/* A C++ library follows the libc++ it was built with. */
	char *runtime = set_is_cxx(set) ? clib_entry(tc, CLIB_CXX_RUNTIME) :
		NULL;
	char *seed, *final;
	char hex[65];

	seed = xasprintf("stick-clib-1\n%s\n%s%s%s", path_basename(tc_dir),
			 text ? text : "", cxx ? cxx : "",
			 runtime ? path_basename(runtime) : "");
	free(runtime);
	digest_buffer(seed, strlen(seed), hex);
	final = xasprintf("%s/clibs/%s/%s-%s-%.16s", home_dir(),
			  path_basename(tc_dir), r->name, r->version, hex);
	free(text);
	free(cxx);
	free(seed);
	return final;
}

static int build_into(const struct toolchain *tc, struct recipe_set *set,
		      const struct fetch_opts *f, const char *libcxx,
		      const char *tmp)
{
	const char *data = home_data_dir();
	/*
	 * The source trees by their real path, as a build's getcwd() sees
	 * them (CMake's paths), so the recipe's -ffile-prefix-map=@SRC@=...
	 * maps what the compiler is given even when STICK_HOME is reached
	 * through a symbolic link.
	 */
	char *real = realpath(tmp, NULL);
	char *work = path_join(real ? real : tmp, "work");
	char *prefix = path_join(tmp, "prefix");
	char *patches = data ? path_join(data, "patches") : NULL;
	char *sysroot = tc->libc == LIBC_MUSL ?
		path_join(tc->dir, TOOLCHAIN_SYSROOT) : NULL;
	struct build_ctx b = { .work = work, .prefix = prefix,
			       .install = prefix, .pyprefix = prefix,
			       .cc = tc->cc, .cxx = tc->cxx, .sysroot = sysroot,
			       .patches_dir = patches, .jobs = 2,
			       .fetch = f, .arch = tc->target->arch,
			       .triple = tc->target->triple, .libcxx = libcxx };
	char *cross = target_configure_args(tc->target);
	int ret = data ? mkdir_p(prefix, 0755) : -1;

	b.cross = cross;
	if (!ret)
		ret = build_components(&b, set, NULL);
	free(cross);
	free(real);
	free(work);
	free(prefix);
	free(patches);
	free(sysroot);
	return ret;
}

static int load_library(const char *name, struct recipe_set *set)
{
	const char *data = home_data_dir();
	char *dir = data ? path_join(data, "thirdparty") : NULL;
	int ret = dir ? recipe_set_load(dir, name, set) : -1;

	free(dir);
	if (!ret && set->items[set->n - 1].kind != RECIPE_LIBRARY) {
		recipe_set_release(set);
		return error("recipe '%s' is not of kind library", name);
	}
	return ret;
}

/* What building one library needs. */
struct clib_make {
	const struct toolchain *tc;
	struct recipe_set *set;
	const struct fetch_opts *f;
	const char *libcxx;      /* a C++ library's libc++ prefix, or NULL */
};

/* A cachedir_make_fn: builds the library into cd->tmp/prefix. */
static int make_clib(struct cachedir *cd, void *arg)
{
	const struct clib_make *m = arg;
	const struct recipe *r = &m->set->items[m->set->n - 1];
	char *built = path_join(cd->tmp, "prefix");
	struct step st;
	int ret;

	step_begin(&st, "build C library %s %s", r->name, r->version);
	ret = build_into(m->tc, m->set, m->f, m->libcxx, cd->tmp);
	if (!ret)
		ret = cachedir_commit(cd, built);
	step_end(&st, ret == 0);
	free(built);
	return ret;
}

/* The prefix of the C++ runtime a C++ library recipe builds with: the
 * musl toolchain's libc++ (built first, cached). */
static int cxx_runtime_for(const struct toolchain *tc, const char *name,
			   const struct fetch_opts *f, char **prefix)
{
	if (tc->libc != LIBC_MUSL)
		return error("C library %s is C++: stick builds C++ library "
			     "recipes for musl toolchains only (libc++)", name);
	return clib_ensure(tc, CLIB_CXX_RUNTIME, f, prefix);
}

int clib_ensure(const struct toolchain *tc, const char *name,
		const struct fetch_opts *f, char **prefix)
{
	struct cachedir cd = CACHEDIR_INIT;
	struct recipe_set set;
	struct clib_make m = { .tc = tc, .set = &set, .f = f };
	char *final, *what, *libcxx = NULL;
	enum cachedir_state state;

	if (load_library(name, &set))
		return -1;
	if (set_is_cxx(&set) && cxx_runtime_for(tc, name, f, &libcxx)) {
		recipe_set_release(&set);
		return -1;
	}
	m.libcxx = libcxx;
	final = clib_final(tc, &set);
	what = xasprintf("building C library %s", name);
	ocicache_pull(OCICACHE_CLIB, final);
	/* The failure's message names the log in the directory: keep it. */
	state = cachedir_ensure(&cd, final, what, make_clib, &m,
				CACHEDIR_KEEP_LOG);
	*prefix = state == CACHEDIR_ERROR ? NULL : final;
	if (state == CACHEDIR_ERROR)
		free(final);
	free(what);
	free(libcxx);
	recipe_set_release(&set);
	return state == CACHEDIR_ERROR ? -1 : 0;
}

int clib_is_cxx(const char *name)
{
	struct recipe_set set;
	int cxx;

	if (load_library(name, &set))
		return -1;
	cxx = set_is_cxx(&set);
	recipe_set_release(&set);
	return cxx;
}

char *clib_entry(const struct toolchain *tc, const char *name)
{
	struct recipe_set set;
	char *final;

	if (load_library(name, &set))
		return NULL;
	final = clib_final(tc, &set);
	recipe_set_release(&set);
	return final;
}

int clib_list(struct strvec *names)
{
	char *dir = home_recipe_dir(NULL);
	int ret = recipe_list_kind(dir, RECIPE_LIBRARY, names);

	free(dir);
	return ret;
}

static bool provides_header(const struct recipe *r, const char *what)
{
	for (size_t i = 0; i < r->headers.n; i++) {
		const char *h = r->headers.v[i];

		if (ends_with(h, "/") ? starts_with(what, h) : !strcmp(what, h))
			return true;
	}
	return false;
}

static bool provides(const struct recipe *r, enum clib_need need,
		     const char *what)
{
	const struct strvec *v = need == CLIB_PKGCONFIG ? &r->pkgconfig :
		&r->libraries;
	char *archive = xasprintf("lib%s.a", what);
	bool yes = false;

	if (need == CLIB_HEADER)
		yes = provides_header(r, what);
	for (size_t i = 0; need != CLIB_HEADER && !yes && i < v->n; i++)
		yes = !strcmp(v->v[i], need == CLIB_LINK ? archive : what);
	free(archive);
	return yes;
}

char *clib_provider(enum clib_need need, const char *what)
{
	struct strvec names = STRVEC_INIT;
	char *dir = home_recipe_dir(NULL), *found = NULL;

	if (clib_list(&names))
		names.n = 0;
	for (size_t i = 0; !found && i < names.n; i++) {
		char *path = path_join(dir, names.v[i]);
		struct recipe r;

		if (!recipe_load(path, &r) && provides(&r, need, what))
			found = xstrdup(r.name);
		recipe_release(&r);
		free(path);
	}
	strvec_clear(&names);
	free(dir);
	return found;
}
