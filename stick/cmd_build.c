/* `stick build`: a single-file executable from a toolchain. */
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "describe.h"
#include "extbuild.h"
#include "freeze.h"
#include "home.h"
#include "kvfile.h"
#include "library.h"
#include "link.h"
#include "log.h"
#include "project.h"
#include "toolchain.h"
#include "version.h"
#include "banned.h"

struct build_args {
	struct toolchain_opts tc;
	struct fetch_opts fetch;
	const char *out;
	struct app_spec app;
	bool is_app;
	char *project;       /* PROJECT_DIR (absolute), or NULL */
	bool project_backend; /* its own PEP 517 backend builds it */
	bool python_given;   /* --python on the command line */
	bool is_lib;         /* --lib or --shared */
	enum library_kind lib;
	struct deps_opts deps;  /* the requirements to install */
	bool include_tests;  /* --include-tests: the stdlib's test packages */
};

enum {
	OPT_ALLOW_ENV = OPT_SOURCES + 1, OPT_CA_BUNDLE, OPT_ENTRY, OPT_EXCLUDE,
	OPT_INCLUDE, OPT_LIB, OPT_PATH, OPT_PRUNE, OPT_PRUNE_TRACE, OPT_SCRIPT,
	OPT_SDIST, OPT_SHARED, OPT_SKIP_REQUIREMENT, OPT_WITH_SOURCE,
	OPT_WITH_STDLIB_SOURCE, OPT_WITHOUT_SOURCE, OPT_WITH, OPT_EXTRA,
	OPT_INDEX_URL, OPT_EXTRA_INDEX_URL, OPT_FIND_LINKS, OPT_NO_INDEX,
	OPT_UPGRADE, OPT_INCLUDE_TESTS,
};

/* The toolchain's options plus the application's. */
static struct option longopts[48];

static void init_longopts(void)
{
	static const struct option app_opts[] = {
		{ "allow-env", no_argument, NULL, OPT_ALLOW_ENV },
		{ "ca-bundle", required_argument, NULL, OPT_CA_BUNDLE },
		{ "entry", required_argument, NULL, OPT_ENTRY },
		{ "exclude", required_argument, NULL, OPT_EXCLUDE },
		{ "include", required_argument, NULL, OPT_INCLUDE },
		{ "include-tests", no_argument, NULL, OPT_INCLUDE_TESTS },
		{ "lib", no_argument, NULL, OPT_LIB },
		{ "path", required_argument, NULL, OPT_PATH },
		{ "prune", no_argument, NULL, OPT_PRUNE },
		{ "prune-trace", required_argument, NULL, OPT_PRUNE_TRACE },
		{ "script", required_argument, NULL, OPT_SCRIPT },
		{ "sdist", required_argument, NULL, OPT_SDIST },
		{ "shared", no_argument, NULL, OPT_SHARED },
		{ "skip-requirement", required_argument, NULL,
		  OPT_SKIP_REQUIREMENT },
		{ "with-source", no_argument, NULL, OPT_WITH_SOURCE },
		{ "with-stdlib-source", no_argument, NULL,
		  OPT_WITH_STDLIB_SOURCE },
		{ "without-source", no_argument, NULL, OPT_WITHOUT_SOURCE },
		{ "with", required_argument, NULL, OPT_WITH },
		{ "extra", required_argument, NULL, OPT_EXTRA },
		{ "index-url", required_argument, NULL, OPT_INDEX_URL },
		{ "extra-index-url", required_argument, NULL,
		  OPT_EXTRA_INDEX_URL },
		{ "find-links", required_argument, NULL, OPT_FIND_LINKS },
		{ "no-index", no_argument, NULL, OPT_NO_INDEX },
		{ "upgrade", no_argument, NULL, OPT_UPGRADE },
	};
	size_t n = 0;

	_Static_assert(ARRAY_SIZE(app_opts) + 9 < ARRAY_SIZE(longopts),
		       "longopts holds the toolchain's options and these");
	for (; cmd_toolchain_longopts[n].name; n++)
		longopts[n] = cmd_toolchain_longopts[n];
	for (size_t i = 0; i < ARRAY_SIZE(app_opts); i++)
		longopts[n++] = app_opts[i];
	memset(&longopts[n], 0, sizeof(longopts[n]));
}

/* What parsing the command line decided. */
enum parse_result {
	PARSE_RUN,    /* build */
	PARSE_DONE,   /* the help was shown: exit 0 */
	PARSE_USAGE,  /* a usage error was shown: exit 2 */
};

/* What an option handler did with an option. */
enum option_result {
	OPTION_TAKEN,
	OPTION_USAGE,     /* a usage error was shown */
	OPTION_NOT_MINE,  /* another handler's option */
};

/* Shows a usage error of `stick build`; evaluates to PARSE_USAGE. */
#define USAGE_ERROR(...) \
	(cmd_usage_error(build_command.name, __VA_ARGS__), PARSE_USAGE)

/* An absolute, existing path for an option, or NULL after a message. */
static char *existing(const char *opt, const char *path, bool dir)
{
	char *abs = realpath(path, NULL);

	if (!abs || path_is_dir(abs) != dir) {
		cmd_usage_error("build", "%s '%s' is not %s", opt, path,
			dir ? "a directory" : "a file");
		free(abs);
		return NULL;
	}
	return abs;
}

/* Options that only shape what goes in. */
static enum option_result content_option(int opt, struct app_spec *app)
{
	char *abs;

	switch (opt) {
	case OPT_CA_BUNDLE:
		if (!(abs = existing("--ca-bundle", optarg, false)))
			return OPTION_USAGE;
		free((char *)app->ca_bundle);
		app->ca_bundle = abs;
		return OPTION_TAKEN;
	case OPT_EXCLUDE:
		strvec_push(&app->excludes, optarg);
		return OPTION_TAKEN;
	case OPT_INCLUDE:
		strvec_push(&app->includes, optarg);
		return OPTION_TAKEN;
	case OPT_PRUNE:
		app->prune = true;
		return OPTION_TAKEN;
	case OPT_SKIP_REQUIREMENT:
		strvec_push(&app->skip_requirements, optarg);
		return OPTION_TAKEN;
	case OPT_PRUNE_TRACE:
		strvec_push(&app->traces, optarg);
		app->prune = true;
		return OPTION_TAKEN;
	case OPT_WITH_STDLIB_SOURCE:
		app->stdlib_source = true;
		return OPTION_TAKEN;
	case OPT_WITH_SOURCE:
	case OPT_WITHOUT_SOURCE:
		app->without_source = opt == OPT_WITHOUT_SOURCE;
		return OPTION_TAKEN;
	}
	return OPTION_NOT_MINE;
}

/*
 * Where the requirements come from, as pip spells it; a --find-links
 * directory is made absolute (the helper runs pip elsewhere).
 */
static enum option_result index_option(int opt, struct deps_opts *d)
{
	char *abs;

	switch (opt) {
	case OPT_INDEX_URL:
		d->index_url = optarg;
		return OPTION_TAKEN;
	case OPT_EXTRA_INDEX_URL:
		strvec_push(&d->extra_index_urls, optarg);
		return OPTION_TAKEN;
	case OPT_FIND_LINKS:
		abs = path_is_dir(optarg) ? realpath(optarg, NULL) : NULL;
		strvec_push(&d->find_links, abs ? abs : optarg);
		free(abs);
		return OPTION_TAKEN;
	case OPT_NO_INDEX:
		d->no_index = true;
		return OPTION_TAKEN;
	case OPT_UPGRADE:
		d->upgrade = true;
		return OPTION_TAKEN;
	case OPT_EXTRA:
		strvec_push(&d->extras, optarg);
		return OPTION_TAKEN;
	}
	return OPTION_NOT_MINE;
}

/* Options that make the output an application (or a library). */
static enum option_result app_option(int opt, struct build_args *a)
{
	char *abs;

	switch (opt) {
	case OPT_ALLOW_ENV:
		a->app.allow_env = true;
		break;
	case OPT_ENTRY:
		if (!strchr(optarg, ':')) {
			cmd_usage_error("build", "--entry '%s' must be "
				"MODULE:FUNCTION", optarg);
			return OPTION_USAGE;
		}
		a->app.entry = optarg;
		break;
	case OPT_PATH:
		if (!(abs = existing("--path", optarg, true)))
			return OPTION_USAGE;
		strvec_push(&a->app.paths, abs);
		free(abs);
		break;
	case OPT_SCRIPT:
		if (!(abs = existing("--script", optarg, false)))
			return OPTION_USAGE;
		free((char *)a->app.script);
		a->app.script = abs;
		break;
	case OPT_SDIST:
		if (!(abs = existing("--sdist", optarg, path_is_dir(optarg))))
			return OPTION_USAGE;
		strvec_push(&a->app.sdists, abs);
		free(abs);
		break;
	case OPT_WITH:
		strvec_push(&a->deps.requirements, optarg);
		break;
	default:
		if (index_option(opt, &a->deps) == OPTION_TAKEN)
			return OPTION_TAKEN;
		return content_option(opt, &a->app);
	}
	a->is_app = true;
	return OPTION_TAKEN;
}

static enum option_result lib_option(int opt, struct build_args *a)
{
	if (opt != OPT_LIB && opt != OPT_SHARED)
		return app_option(opt, a);
	if (a->is_lib) {
		cmd_usage_error("build", "give one of --lib and --shared");
		return OPTION_USAGE;
	}
	a->is_lib = true;
	a->lib = opt == OPT_LIB ? LIBRARY_STATIC : LIBRARY_SHARED;
	return OPTION_TAKEN;
}

/*
 * A library is called through its C API: its --path modules are
 * importable, there is no main to run. A shared library links the host's
 * glibc (a second libc inside a process is unsafe), so --shared takes
 * the glibc toolchain unless told otherwise.
 */
static enum parse_result check_library(struct build_args *a)
{
	if (a->app.script || a->app.entry || a->app.allow_env || a->project)
		return USAGE_ERROR("--script, --entry, --allow-env and a "
			"project are for executables; a library is called "
			"through its API (stick_call, stick_run_module)");
	if (a->app.prune)
		return USAGE_ERROR("--prune needs an entry point to analyse; "
			"a library's callers are unknown");
	if (!a->tc.libc)
		a->tc.libc = a->lib == LIBRARY_SHARED ? "glibc" : "musl";
	if (a->lib == LIBRARY_SHARED && strcmp(a->tc.libc, "glibc"))
		return USAGE_ERROR("--shared needs --libc glibc: the library "
			"must use the libc of the process that loads it");
	if (a->out) {
		char *name = library_name(a->out, a->lib);

		if (!name)
			return PARSE_USAGE;
		free(name);
	}
	return PARSE_RUN;
}

/* `stick build PROJECT_DIR [-o OUTDIR]`. */
static enum parse_result parse_project(int argc, char **argv,
				       struct build_args *a)
{
	if (optind + 1 < argc)
		return USAGE_ERROR("unexpected argument '%s' after the project "
			"directory", argv[optind + 1]);
	if (a->app.script || a->app.entry)
		return USAGE_ERROR("a project directory makes one executable "
			"per [project.scripts] entry; --script and --entry do "
			"not go with it");
	if (!(a->project = existing("the project", argv[optind], true)))
		return PARSE_USAGE;
	if (a->out && path_exists(a->out) && !path_is_dir(a->out))
		return USAGE_ERROR("-o '%s' must be a directory for a project "
			"(one executable per script)", a->out);
	if (!a->out)
		a->out = "dist";
	a->is_app = true;
	return PARSE_RUN;
}

/* The options, up to the first argument. */
static enum parse_result parse_options(int argc, char **argv,
				       struct build_args *a)
{
	const struct command *c = &build_command;
	enum option_result r;
	int opt;

	init_longopts();
	while ((opt = getopt_long(argc, argv, "hj:o:qv", longopts, NULL)) != -1) {
		if (cmd_common_option(opt, c)) {
			if (opt == 'h')
				return PARSE_DONE;
			continue;
		}
		if (opt == OPT_PYTHON)
			a->python_given = true;
		if (opt == 'o') {
			a->out = optarg;
			continue;
		}
		if (opt == OPT_INCLUDE_TESTS) {
			a->include_tests = true;
			continue;
		}
		r = lib_option(opt, a);
		if (r == OPTION_USAGE || (r == OPTION_NOT_MINE &&
		    cmd_toolchain_option(c, opt, optarg, &a->tc, &a->fetch)))
			return PARSE_USAGE;
	}
	return PARSE_RUN;
}

/* Checks what the options add up to, for one output. */
static enum parse_result check_output(struct build_args *a)
{
	if (a->is_app && !a->is_lib && !a->app.script && !a->app.entry)
		return USAGE_ERROR("--path, --sdist, --with and --allow-env "
			"need --entry or --script");
	if (a->deps.extras.n)
		return USAGE_ERROR("--extra '%s' needs a project directory (its "
			"[project.optional-dependencies]); use --with REQ",
			a->deps.extras.v[0]);
	if (!a->is_app && !a->is_lib && (a->app.prune || a->app.ca_bundle ||
			   a->app.stdlib_source))
		return USAGE_ERROR("--prune, --ca-bundle and --with-stdlib-source "
			"need an application (--entry, --script or a project)");
	if (!a->app.prune && (a->app.includes.n || a->app.excludes.n))
		return USAGE_ERROR("--include and --exclude need --prune");
	if (a->app.skip_requirements.n && !a->app.sdists.n &&
	    !a->deps.requirements.n)
		return USAGE_ERROR("--skip-requirement '%s' is for packages "
			"built from source (--sdist, --with); this build has "
			"none", a->app.skip_requirements.v[0]);
	if (!a->out)
		return USAGE_ERROR("missing -o OUT");
	if (path_is_dir(a->out))
		return USAGE_ERROR("-o '%s' is a directory", a->out);
	return PARSE_RUN;
}

static enum parse_result parse(int argc, char **argv, struct build_args *a)
{
	enum parse_result r = parse_options(argc, argv, a);

	if (r == PARSE_RUN && optind < argc)
		r = parse_project(argc, argv, a);
	if (r == PARSE_RUN && a->is_lib)
		r = check_library(a);
	if (r != PARSE_RUN)
		return r;
	if (!a->tc.libc)
		a->tc.libc = "musl";
	if (a->app.script && a->app.entry)
		return USAGE_ERROR("--script and --entry exclude each other");
	if (a->include_tests && (a->is_app || a->is_lib || a->project))
		return USAGE_ERROR("--include-tests is for the interpreter "
			"(stick build -o OUT), not for applications or libraries");
	return a->project ? PARSE_RUN : check_output(a);
}

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
		app_spec_request(&a->app, req);
}

/*
 * The --sdist packages built (or found in the cache): their site
 * directories go in the request before the application's paths, their
 * objects to the link; `package`, `extension` and `clib` lines for
 * the description.
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

		kvfile_add_each(req, "path", sites.v, sites.n);
		kvfile_add(req, "ext-table", table);
		free(table);
	}
	for (size_t i = 0; !ret && i < result.n; i++) {
		const struct kv *kv = &result.v[i];

		if (!strcmp(kv->key, "package") || !strcmp(kv->key, "extension") ||
		    !strcmp(kv->key, "clib") || !strcmp(kv->key, "dist"))
			kvfile_add(req, kv->key, kv->value);
	}
	strvec_clear(&sites);
	kvfile_release(&result);
	free(dir);
	return ret;
}

/*
 * The stdlib (cached, unless pruned), then one helper process that
 * freezes the application and describes the build.
 */
/*
 * --include-tests: CPython's test-only C modules (_testcapi, ...) and
 * their inittab, which the toolchain archives for this interpreter alone
 * (thirdparty/python-*), so its test suite runs as the bootstrap one does.
 */
static int test_modules_archive(const struct toolchain *info,
				struct strvec *objects)
{
	char *lib = path_join(info->dir, "lib/libstick-testmodules.a");
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
static int run_build(struct build_args *a)
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

int cmd_build(int argc, char **argv)
{
	struct build_args a;
	int ret = 0;

	memset(&a, 0, sizeof(a));
	cmd_toolchain_defaults(&a.tc, &a.fetch);
	a.tc.libc = NULL; /* the default depends on the output kind */
	switch (parse(argc, argv, &a)) {
	case PARSE_RUN:
		ret = run_build(&a) ? 1 : 0;
		if (!ret && !a.project)
			printf("%s\n", a.out);
		break;
	case PARSE_DONE:
		break;
	case PARSE_USAGE:
		ret = 2;
		break;
	}
	fetch_opts_release(&a.fetch);
	app_spec_release(&a.app);
	deps_opts_release(&a.deps);
	free(a.project);
	return ret;
}

const struct command build_command = {
	"build", cmd_build, "build a single-file interpreter, application or library",
	"usage: stick build [--python VER] [--include-tests] -o OUT\n"
	"       stick build [--python VER] --script FILE [--path DIR]... -o OUT\n"
	"       stick build [--python VER] --entry MOD:FUNC --path DIR... -o OUT\n"
	"       stick build [--python VER] PROJECT_DIR [--extra NAME]... [-o OUTDIR]\n"
	"       stick build [--python VER] --lib [--path DIR]... -o libNAME.a\n"
	"       stick build [--python VER] --shared [--path DIR]... -o libNAME.so\n\n"
	"Builds (or reuses) the toolchain, freezes its stdlib into one blob\n"
	"(once per toolchain, cached under $STICK_HOME/stdlib) and links one\n"
	"static executable OUT. Without --script or --entry, OUT replaces\n"
	"python3 (-c, -m, a script, the REPL), with the whole stdlib (minus\n"
	"test, idlelib, tkinter, turtledemo) imported from memory. With them,\n"
	"OUT runs the script or calls MOD:FUNC (its return value is the exit\n"
	"status, as for console_scripts) in an isolated interpreter with\n"
	"sys.argv untouched; modules, package data and *.dist-info from each\n"
	"--path DIR (laid out like site-packages) are imported from memory.\n"
	"With PROJECT_DIR, the project is built by its own PEP 517 backend\n"
	"when stick pins it (setuptools, flit_core; else its pyproject.toml is\n"
	"read: src/ or flat layout, a *.dist-info made from [project]), and\n"
	"one executable per [project.scripts] entry is written to OUTDIR\n"
	"(default ./dist); [tool.stick] may set python,\n"
	"paths, include, exclude, prune and packages. Its [project.dependencies]\n"
	"(and those of each --extra, and each --with REQ) are resolved by the\n"
	"pinned pip, locked in PROJECT_DIR/pylock.toml (later builds install\n"
	"exactly what it says; --upgrade resolves again), verified by sha256:\n"
	"pure wheels go in as they are, anything else is built from its sdist.\n"
	"--lib and --shared write a library with the same contents and a small\n"
	"C API instead, plus NAME.h and NAME.pc beside it; --shared exports\n"
	"only that API and links the host's glibc (--libc glibc).\n\n"
	"options:\n"
	"  -o OUT           the output to write (replaced atomically); for a\n"
	"                   project, the directory to write them to; each\n"
	"                   output gets OUT.sbom.json, its SPDX SBOM, beside it\n"
	"  --script FILE    the application is this script\n"
	"  --entry MOD:FUNC the application calls this function\n"
	"  --path DIR       a directory of modules and packages (repeatable)\n"
	"  --sdist PATH     a package's sdist (.tar.gz, .zip) or source tree:\n"
	"                   built by its own PEP 517 backend, C extensions\n"
	"                   linked in (repeatable)\n"
	"  --skip-requirement NAME  a build requirement of an --sdist that\n"
	"                   the package can do without\n"
	"  --with REQ       install this requirement too (PEP 508; repeatable;\n"
	"                   for --script and --entry apps no lock is written)\n"
	"  --extra NAME     a project's [project.optional-dependencies] NAME\n"
	"  --index-url URL, --extra-index-url URL, --find-links DIR|URL,\n"
	"  --no-index       where pip looks for requirements (as in pip)\n"
	"  --upgrade        resolve again and rewrite the project's pylock.toml\n"
	"  --allow-env      let the app read PYTHON* variables and the user site\n"
	"  --prune          only the stdlib modules and built-in C modules the\n"
	"                   app imports (import analysis), not the whole stdlib\n"
	"  --include MOD    with --prune: keep MOD (a package: all of it) too\n"
	"  --exclude MOD    with --prune: leave MOD out even when imported\n"
	"  --prune-trace ARGS  --prune, and keep what the app imports when run\n"
	"                   once at build time with ARGS (repeatable)\n"
	"  --with-source    embed the app's sources for tracebacks (default)\n"
	"  --without-source embed only the app's compiled code\n"
	"  --with-stdlib-source  embed the stdlib's sources too (source lines\n"
	"                   of stdlib frames in tracebacks; a larger binary)\n"
	"  --ca-bundle FILE CA certificates used when the host has none\n"
	"  --include-tests  (interpreter only) embed the stdlib's test packages,\n"
	"                   for running CPython's test suite with OUT itself\n"
	"  --lib            write a static library libNAME.a (musl by default)\n"
	"  --shared         write a shared library libNAME.so (glibc)\n"
	"  --python VER     3.13 (default) or 3.11\n"
	"  --libc LIBC      musl (default) or glibc\n"
	"  --pgo            use the toolchain optimised with PGO and LTO (built\n"
	"                   once, about 15 minutes; see stick toolchain --help)\n"
	"  --lto            use the toolchain whose core has LTO alone\n"
	"  -j, --jobs N     parallel build jobs for the toolchain\n"
	"  --sources DIR    take source files from DIR when present there\n"
	"  --mirror URL     try URL/FILE first (repeatable)\n"
	"  -q, --quiet      print only errors\n"
	"  -v, --verbose    print every command\n"
	"  -h, --help       show this help\n",
};
