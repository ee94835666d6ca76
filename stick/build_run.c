/*
 * `stick build`, run: the toolchain, the stdlib, the extensions, one
 * `build` request for the helper, the link (as curl's tool_operate.c
 * runs what tool_getparam.c parsed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build_run.h"
#include "describe.h"
#include "home.h"
#include "kvfile.h"
#include "link.h"
#include "log.h"
#include "project.h"
#include "tool.h"
#include "version.h"
#include "banned.h"

static const char *const interpreter_sources[] = {
	"main.c", "startup.c", "malloc.c", "string.c", NULL,
};
static const char *const test_interpreter_sources[] = {
	"testmain.c", "startup.c", "stickmodule.c", "malloc.c", "string.c", NULL,
};
static const char *const app_sources[] = {
	"app.c", "startup.c", "stickmodule.c", "malloc.c", "string.c", NULL,
};

static const char *output_kind(const struct build_args *a)
{
	return a->is_lib ? "library" : a->is_app ? "application" :
		"interpreter";
}

/* The toolchain's and stick's part of a `build` request. */
static int request_build(const struct toolchain *info,
			 const struct build_args *a, const char *work,
			 const char *out, struct kvfile *req)
{
	const char *data = home_data_dir();
	char *manifest = path_join(info->dir, "manifest.json");
	char *embed = path_join(data, "embed");
	char *patches = path_join(data, "patches");
	int ret = 0;

	kvfile_add(req, "kind", "build");
	kvfile_add(req, "work", work);
	kvfile_add(req, "output", out);
	kvfile_add(req, "output-kind", output_kind(a));
	kvfile_add(req, "embed", embed);
	kvfile_add(req, "manifest", manifest);
	kvfile_add(req, "patches", patches);
	kvfile_add(req, "stick-version", STICK_VERSION);
	kvfile_add(req, "python", info->pyver);
	kvfile_add(req, "libc", libc_name(info->libc));
	if (!(a->is_lib && a->lib == LIBRARY_STATIC)) {
		char *linker = link_linker_version(work);

		if (linker)
			kvfile_add(req, "linker", linker);
		else
			ret = -1;
		free(linker);
	}
	free(manifest);
	free(embed);
	free(patches);
	return ret;
}

/* What goes in: the stdlib's module count, the project, the options. */
static void request_contents(const struct build_args *a, long stdlib_modules,
			     const char *script, struct kvfile *req)
{
	char count[32];

	if (stdlib_modules >= 0) {
		snprintf(count, sizeof(count), "%ld", stdlib_modules);
		kvfile_add(req, "stdlib-modules", count);
	}
	kvfile_add_opt(req, "project", a->project);
	kvfile_add_flag(req, "include-tests", a->include_tests);
	kvfile_add_flag(req, "project-backend", a->project_backend);
	kvfile_add_opt(req, "project-script", script);
	if (a->is_app || a->is_lib)
		build_args_request(a, req);
}

/*
 * The --sdist packages built (or found in the cache): their site
 * directories go in the request before the application's paths, their
 * objects to the link; the helper reads the description's lines
 * (`package`, `extension`, `clib`, `dist`) from the extensions step's
 * result file itself.
 */
static int request_extensions(const struct toolchain *info,
			      const struct build_args *a, const char *work,
			      struct kvfile *req, struct strvec *objects)
{
	char *dir = path_join(work, "extensions");
	struct strvec sites = STRVEC_INIT;
	struct kvfile result = KVFILE_INIT;
	int ret = extbuild_run(info, &a->app.sdists,
			       &a->app.skip_requirements, &a->deps, &a->fetch,
			       dir, &sites, objects, &result);

	if (!ret) {
		char *table = path_join(dir, "exttab.o");
		/* helper_run()'s result file, which result was read from. */
		char *result_path = path_join(dir, "result");

		kvfile_add_each(req, "path", sites.v, sites.n);
		kvfile_add(req, "ext-table", table);
		kvfile_add(req, "extensions-result", result_path);
		free(table);
		free(result_path);
	}
	strvec_clear(&sites);
	kvfile_release(&result);
	free(dir);
	return ret;
}

/*
 * --include-tests: CPython's test-only C modules (_testcapi, ...) and
 * their inittab, which the toolchain archives for this interpreter alone
 * (thirdparty/python-*), so its test suite runs as the bootstrap one does.
 */
static int test_modules_archive(const struct toolchain *info,
				struct strvec *objects)
{
	char *lib = path_join(info->lib, "libstick-testmodules.a");
	int ret = 0;

	if (access(lib, R_OK))
		ret = error("toolchain '%s' has no lib/libstick-testmodules.a "
			    "(built by an older stick): remove it and run "
			    "stick toolchain again", info->dir);
	else
		strvec_push(objects, lib);
	free(lib);
	return ret;
}

/*
 * The request line of an ensured tzdata tool: `tzdata-source VERSION
 * LICENSE SHA256 FILE DEBIAN ROOT` (DEBIAN: package=version, or "-").
 */
static void add_tzdata_line(const struct tool *t, struct kvfile *req)
{
	const struct recipe *r = &t->recipe;
	const struct recipe_source *src = r->sources;
	char *debian, *line;

	while (src < r->sources + r->nsources - 1 &&
	       strcmp(src->sha256, t->sha256))
		src++;
	debian = src->debian_package ? xasprintf("%s=%s",
			src->debian_package, src->debian_version) : xstrdup("-");
	line = xasprintf("%s %s %s %s %s %s", r->version, r->license,
			 t->sha256, src->file, debian, t->root);
	kvfile_add(req, "tzdata-source", line);
	free(line);
	free(debian);
}

/*
 * --tzdata: the pinned IANA source (thirdparty/tzdata, a recipe of kind
 * data), verified and unpacked once, for the helper to compile into the
 * tzdata package.
 */
static int request_tzdata(const struct build_args *a, struct kvfile *req)
{
	struct tool_set set;
	int ret = tool_set_load(&set, RECIPE_DATA);
	size_t i = 0;

	while (!ret && i < set.n && strcmp(set.items[i].recipe.name, "tzdata"))
		i++;
	if (!ret && i == set.n)
		ret = error("--tzdata: no recipe 'tzdata' of kind data in "
			    "thirdparty/");
	if (!ret) {
		struct tool_set one = { .items = &set.items[i], .n = 1 };

		ret = tool_set_ensure(&one, &a->fetch);
		if (!ret)
			add_tzdata_line(one.items, req);
	}
	tool_set_release(&set);
	return ret;
}

/*
 * The stdlib (cached, unless pruned), then one helper process that
 * freezes the application and describes the build.
 */
static int output_objects(const struct toolchain *info,
			  const struct build_args *a, const char *work,
			  const char *out, const char *script,
			  struct strvec *objects, struct kvfile *result)
{
	struct kvfile req = KVFILE_INIT;
	long stdlib_modules = -1;
	const char *step = !a->is_app && !a->is_lib ? NULL : a->app.prune ?
		"freeze the application and the stdlib it imports" :
		"freeze the application";
	int ret = 0;

	if (!a->app.prune)
		ret = freeze_stdlib(info, objects, &stdlib_modules);
	if (!ret)
		ret = request_build(info, a, work, out, &req);
	if (!ret && (a->app.sdists.n || deps_opts_any(&a->deps)))
		ret = request_extensions(info, a, work, &req, objects);
	if (!ret && a->app.tzdata)
		ret = request_tzdata(a, &req);
	if (!ret)
		request_contents(a, stdlib_modules, script, &req);
	if (!ret)
		ret = freeze_build(info, &req, step, work, objects, result);
	if (!ret && a->include_tests)
		ret = test_modules_archive(info, objects);
	kvfile_release(&req);
	return ret;
}

/*
 * Freezes and links one output into out, working in work; script names
 * the project's script it is, or is NULL.
 */
static int make_output(const struct toolchain *info,
		       const struct build_args *a, const char *work,
		       const char *out, const char *script)
{
	struct strvec objects = STRVEC_INIT;
	struct kvfile result = KVFILE_INIT;
	int ret = mkdir_p(work, 0755);

	if (!ret)
		ret = output_objects(info, a, work, out, script, &objects,
				    &result);
	if (!ret)
		ret = describe_assemble(info, &result, work, &objects);
	if (!ret && a->is_lib)
		ret = library_link(info, &objects, a->lib, work, out);
	else if (!ret)
		ret = link_executable(info, &objects, a->is_app ? app_sources :
			a->include_tests ? test_interpreter_sources :
			interpreter_sources, work, out);
	if (!ret)
		ret = describe_write_sbom(&result, work, out);
	strvec_clear(&objects);
	kvfile_release(&result);
	return ret;
}

/* One executable per [project.scripts] entry, into the -o directory. */
static int make_script_outputs(const struct toolchain *info,
			       struct build_args *a, const struct project *p,
			       const char *work)
{
	int ret = 0;

	a->app.prune = a->app.prune || p->prune;
	for (size_t i = 0; !ret && i < p->names.n; i++) {
		char *dir = path_join(work, p->names.v[i]);
		char *out = path_join(a->out, p->names.v[i]);

		ret = make_output(info, a, dir, out, p->names.v[i]);
		if (!ret)
			printf("%s\n", out);
		free(dir);
		free(out);
	}
	return ret;
}

/*
 * The project is read with the toolchain of --python (or the default);
 * when [tool.stick] asks for another version, that toolchain builds it.
 */
static int read_project(struct build_args *a, struct toolchain *info,
			char **dir, const char *work, struct project *p)
{
	int ret = project_load(info, a->project, work, p);

	for (size_t i = 0; !ret && i < p->sdists.n; i++)
		strvec_push(&a->app.sdists, p->sdists.v[i]);
	a->deps.project = a->project;
	a->deps.project_deps = !ret && p->dependencies;
	a->project_backend = !ret && p->backend;
	if (ret || !p->python || !strcmp(p->python, a->tc.python))
		return ret;
	if (a->python_given) {
		warn("--python %s overrides [tool.stick] python = \"%s\"",
		     a->tc.python, p->python);
		return 0;
	}
	a->tc.python = p->python;
	toolchain_release(info);
	free(*dir);
	*dir = NULL;
	ret = cmd_toolchain_ensure(&a->tc, &a->fetch, dir);
	return ret ? ret : toolchain_open(info, *dir);
}

/* The toolchain, then the output or the project's outputs. */
int build_run(struct build_args *a)
{
	struct toolchain info;
	struct project proj;
	char *dir = NULL;
	char *work = xasprintf("%s/tmp/build.%ld", home_dir(), (long)getpid());
	int ret = cmd_toolchain_ensure(&a->tc, &a->fetch, &dir);

	if (ret) {
		free(work);
		return -1;
	}
	memset(&proj, 0, sizeof(proj));
	ret = toolchain_open(&info, dir);
	if (!ret)
		ret = mkdir_p(work, 0755);
	if (!ret && a->project)
		ret = read_project(a, &info, &dir, work, &proj);
	if (!ret && a->project)
		ret = make_script_outputs(&info, a, &proj, work);
	else if (!ret)
		ret = make_output(&info, a, work, a->out, NULL);
	/* On failure the work directory keeps the logs the message names. */
	if (!ret)
		remove_tree(work);
	project_release(&proj);
	toolchain_release(&info);
	free(work);
	free(dir);
	return ret;
}

