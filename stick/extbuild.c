#include "extbuild.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clib.h"
#include "helper.h"
#include "home.h"
#include "log.h"
#include "ocicache.h"
#include "recipe.h"
#include "tool.h"
#include "banned.h"

/* Every build tool fetched, verified and extracted (cached). */
static int tool_lines(const struct fetch_opts *f, struct kvfile *req)
{
	struct tool_set tools;
	int ret = tool_set_load(&tools, RECIPE_TOOL);

	ret = ret ? ret : tool_set_ensure(&tools, f);
	if (!ret)
		tool_add_request(&tools, req);
	tool_set_release(&tools);
	return ret;
}

/*
 * `clib NAME VERSION LICENSE FILE SHA256` of library recipe name (its
 * first source), for the SBOM of an output that links it.
 */
static int clib_line(const char *name, struct kvfile *req)
{
	char *dir = home_recipe_dir(NULL), *path = path_join(dir, name);
	struct recipe r;
	int ret = recipe_load(path, &r);

	if (!ret) {
		const struct recipe_source *s = r.nsources ? &r.sources[0] : NULL;
		char *line = xasprintf("%s %s %s %s %s", r.name, r.version,
				       r.license ? r.license : "NOASSERTION",
				       s ? s->file : "NOASSERTION",
				       s ? s->sha256 : "NOASSERTION");

		kvfile_add(req, "clib", line);
		free(line);
	}
	recipe_release(&r);
	free(path);
	free(dir);
	return ret;
}

/*
 * Every C library of kind library, as stick cc-wrap builds them on demand
 * (ccwrap.h): `clib` (the SBOM's facts, used for the libraries linked),
 * `clib-entry` (the cache directory it has or will have, for the
 * extension cache's key), and where their sources are found. Nothing is
 * built here: a package that links none builds none.
 */
static int clib_lines(const struct toolchain *tc, const struct fetch_opts *f,
		      struct kvfile *req)
{
	struct strvec names = STRVEC_INIT;
	int ret = clib_list(&names);

	for (size_t i = 0; !ret && i < names.n; i++) {
		char *entry = clib_entry(tc, names.v[i]);

		ret = entry ? clib_line(names.v[i], req) : -1;
		if (!ret)
			kvfile_add(req, "clib-entry", entry);
		free(entry);
	}
	strvec_clear(&names);
	kvfile_add_opt(req, "clib-sources", f->sources_dir);
	kvfile_add_each(req, "clib-mirror", f->mirrors.v, f->mirrors.n);
	kvfile_add(req, "stick-datadir", home_data_dir());
	return ret;
}

/* "z" for "libz.a"; NULL for any other name. */
static char *archive_lib_name(const char *file)
{
	size_t n = strlen(file);

	if (!starts_with(file, "lib") || !ends_with(file, ".a") || n <= 5)
		return NULL;
	return xstrndup(file + 3, n - 5);
}

static void push_unique(struct strvec *sv, char *s)
{
	bool have = false;

	for (size_t i = 0; s && !have && i < sv->n; i++)
		have = !strcmp(sv->v[i], s);
	if (s && !have)
		strvec_push(sv, s);
	free(s);
}

/*
 * The -lNAME the toolchain's link provides: the archives its recipes'
 * `library` lines merged into libstickpython.a, and those in its lib/.
 */
static int provided_libs(const struct toolchain *tc, struct kvfile *req)
{
	char *dir = home_recipe_dir(NULL), *top = xasprintf("python-%s", tc->pyver);
	struct strvec names = STRVEC_INIT;
	struct recipe_set set;
	DIR *d = opendir(tc->lib);
	struct dirent *de;
	int ret = d ? recipe_set_load(dir, top, &set) :
		error("cannot list the toolchain's libraries in '%s':", tc->lib);

	for (size_t i = 0; !ret && i < set.n; i++) {
		const struct strvec *libs = &set.items[i].libraries;

		for (size_t k = 0; k < libs->n; k++)
			push_unique(&names, archive_lib_name(libs->v[k]));
	}
	while (!ret && (de = readdir(d)))
		push_unique(&names, archive_lib_name(de->d_name));
	if (!ret) {
		kvfile_add_each(req, "provided-lib", names.v, names.n);
		recipe_set_release(&set);
	}
	if (d)
		closedir(d);
	strvec_clear(&names);
	free(top);
	free(dir);
	return ret;
}

/* What the helper compiles and runs with, from struct toolchain. */
static void toolchain_lines(const struct toolchain *tc, struct kvfile *req)
{
	kvfile_add(req, "toolchain", tc->dir);
	kvfile_add(req, "python", tc->python);
	kvfile_add(req, "cc", tc->cc);
	kvfile_add_opt(req, "cxx", tc->cxx);
	kvfile_add(req, "include", tc->include);
	kvfile_add(req, "lib", tc->lib);
	kvfile_add(req, "libc", libc_name(tc->libc));
	kvfile_add(req, "target", tc->target->triple);
	kvfile_add(req, "objcopy", tc->target->objcopy);
}

static int ext_request(const struct toolchain *tc, const struct strvec *sdists,
		       const struct strvec *skip, const char *dir,
		       struct kvfile *req)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n <= 0)
		return error("cannot find stick's own executable (/proc/self/exe):");
	self[n] = '\0';
	kvfile_add(req, "kind", "extensions");
	kvfile_add(req, "work", dir);
	toolchain_lines(tc, req);
	kvfile_add(req, "stick", self);
	kvfile_add(req, "stick-home", home_dir());
	kvfile_add_each(req, "sdist", sdists->v, sdists->n);
	kvfile_add_each(req, "skip-requirement", skip->v, skip->n);
	return provided_libs(tc, req);
}

void deps_opts_release(struct deps_opts *d)
{
	strvec_clear(&d->requirements);
	strvec_clear(&d->extras);
	strvec_clear(&d->extra_index_urls);
	strvec_clear(&d->find_links);
}

bool deps_opts_any(const struct deps_opts *d)
{
	return d->project_deps || d->requirements.n || d->extras.n;
}

/* The requirements' keys, each under its option's name. */
static void deps_request(const struct deps_opts *d, struct kvfile *req)
{
	kvfile_add_opt(req, "project", d->project);
	kvfile_add_each(req, "requirement", d->requirements.v,
			d->requirements.n);
	kvfile_add_each(req, "extra", d->extras.v, d->extras.n);
	kvfile_add_opt(req, "index-url", d->index_url);
	kvfile_add_each(req, "extra-index-url", d->extra_index_urls.v,
			d->extra_index_urls.n);
	kvfile_add_each(req, "find-links", d->find_links.v, d->find_links.n);
	kvfile_add_flag(req, "no-index", d->no_index);
	kvfile_add_flag(req, "upgrade", d->upgrade);
}

static void show_notes(const struct kvfile *result)
{
	for (size_t i = 0; i < result->n; i++) {
		if (!strcmp(result->v[i].key, "note"))
			log_info("%s", result->v[i].value);
	}
}

static void step_begin_ext(struct step *st, size_t sdists, bool deps)
{
	const char *s = sdists == 1 ? "" : "s";

	if (deps && sdists)
		step_begin(st, "install the requirements and build the C "
			   "extensions of %zu package%s", sdists, s);
	else if (deps)
		step_begin(st, "install the requirements");
	else
		step_begin(st, "build the C extensions of %zu package%s",
			   sdists, s);
}

/* The sites to freeze; the extension builds used, for --cache-push. */
static void collect_sites(const struct kvfile *result, struct strvec *sites)
{
	for (size_t i = 0; i < result->n; i++) {
		if (!strcmp(result->v[i].key, "site"))
			strvec_push(sites, result->v[i].value);
		else if (!strcmp(result->v[i].key, "cache-entry"))
			ocicache_note_used(OCICACHE_EXTENSION,
					   result->v[i].value);
	}
}

int extbuild_run(const struct toolchain *tc, const struct strvec *sdists,
		 const struct strvec *skip, const struct deps_opts *deps,
		 const struct fetch_opts *f, const char *dir,
		 struct strvec *sites, struct strvec *objects,
		 struct kvfile *result)
{
	struct kvfile req = KVFILE_INIT;
	char *log = path_join(dir, "extensions.log");
	struct step st;
	int ret = mkdir_p(dir, 0755);

	ret = ret ? ret : ext_request(tc, sdists, skip, dir, &req);
	ret = ret ? ret : tool_lines(f, &req);
	if (!ret)
		deps_request(deps, &req);
	ret = ret ? ret : clib_lines(tc, f, &req);
	if (!ret) {
		step_begin_ext(&st, sdists->n, deps_opts_any(deps));
		ret = helper_run(tc, &req, dir, log, "installing the "
				 "requirements and building C extensions from "
				 "source (stick/stickpy/extensions.py)",
				 result);
		if (!ret)
			ret = helper_compile(tc, result, dir, log, objects);
		step_end(&st, ret == 0);
	}
	if (!ret) {
		show_notes(result);
		collect_sites(result, sites);
	}
	kvfile_release(&req);
	free(log);
	return ret;
}
