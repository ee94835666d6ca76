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
#include "recipe.h"
#include "banned.h"

/* Makes every build tool's source present and verified in the cache. */
static int fetch_tools(const struct fetch_opts *f)
{
	char *dir = home_recipe_dir(NULL);
	DIR *d = opendir(dir);
	struct dirent *de;
	int ret = d ? 0 : error("cannot list the recipes in '%s':", dir);

	while (!ret && (de = readdir(d))) {
		char *path = path_join(dir, de->d_name), *file = NULL;
		struct recipe r;

		memset(&r, 0, sizeof(r));
		if (de->d_name[0] != '.' && !ends_with(de->d_name, ".md") &&
		    !path_is_dir(path) && !recipe_load(path, &r) &&
		    r.kind == RECIPE_TOOL)
			ret = fetch_recipe(&r, f, &file);
		recipe_release(&r);
		free(file);
		free(path);
	}
	if (d)
		closedir(d);
	free(dir);
	return ret;
}

/* Every C library of kind library, built for the toolchain (cached). */
static int clib_prefixes(const struct toolchain *tc,
			 const struct fetch_opts *f, struct kvfile *req)
{
	struct strvec names = STRVEC_INIT;
	int ret = clib_list(&names);

	for (size_t i = 0; !ret && i < names.n; i++) {
		char *prefix;

		ret = clib_ensure(tc, names.v[i], f, &prefix);
		if (!ret) {
			kvfile_add(req, "clib-prefix", prefix);
			free(prefix);
		}
	}
	strvec_clear(&names);
	return ret;
}

static int ext_request(const struct toolchain *tc, const struct strvec *sdists,
		       const struct strvec *skip, const char *dir,
		       struct kvfile *req)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	char *recipes = home_recipe_dir(NULL);

	if (n <= 0) {
		free(recipes);
		return error("cannot find stick's own executable (/proc/self/exe):");
	}
	self[n] = '\0';
	kvfile_add(req, "kind", "extensions");
	kvfile_add(req, "work", dir);
	kvfile_add(req, "toolchain", tc->dir);
	kvfile_add(req, "stick", self);
	kvfile_add(req, "recipes", recipes);
	kvfile_add(req, "sources", home_sources_dir());
	kvfile_add(req, "stick-home", home_dir());
	kvfile_add_each(req, "sdist", sdists->v, sdists->n);
	kvfile_add_each(req, "skip-requirement", skip->v, skip->n);
	free(recipes);
	return 0;
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

static void collect_sites(const struct kvfile *result, struct strvec *sites)
{
	for (size_t i = 0; i < result->n; i++) {
		if (!strcmp(result->v[i].key, "site"))
			strvec_push(sites, result->v[i].value);
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

	ret = ret ? ret : fetch_tools(f);
	ret = ret ? ret : ext_request(tc, sdists, skip, dir, &req);
	if (!ret)
		deps_request(deps, &req);
	ret = ret ? ret : clib_prefixes(tc, f, &req);
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
