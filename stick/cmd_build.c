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
#include "home.h"
#include "freeze.h"
#include "library.h"
#include "link.h"
#include "log.h"
#include "project.h"
#include "toolchain.h"
#include "banned.h"

struct build_args {
	struct toolchain_opts tc;
	struct fetch_opts fetch;
	const char *out;
	struct app_spec app;
	bool is_app;
	char *project;       /* PROJECT_DIR (absolute), or NULL */
	bool python_given;   /* --python on the command line */
	bool is_lib;         /* --lib or --shared */
	enum library_kind lib;
};

enum {
	OPT_ALLOW_ENV = OPT_SOURCES + 1, OPT_CA_BUNDLE, OPT_ENTRY, OPT_EXCLUDE,
	OPT_INCLUDE, OPT_LIB, OPT_PATH, OPT_PRUNE, OPT_SCRIPT, OPT_SHARED,
	OPT_WITH_SOURCE, OPT_WITH_STDLIB_SOURCE, OPT_WITHOUT_SOURCE,
};

/* The toolchain's options plus the application's. */
static struct option longopts[32];

static void init_longopts(void)
{
	static const struct option app_opts[] = {
		{ "allow-env", no_argument, NULL, OPT_ALLOW_ENV },
		{ "ca-bundle", required_argument, NULL, OPT_CA_BUNDLE },
		{ "entry", required_argument, NULL, OPT_ENTRY },
		{ "exclude", required_argument, NULL, OPT_EXCLUDE },
		{ "include", required_argument, NULL, OPT_INCLUDE },
		{ "lib", no_argument, NULL, OPT_LIB },
		{ "path", required_argument, NULL, OPT_PATH },
		{ "prune", no_argument, NULL, OPT_PRUNE },
		{ "script", required_argument, NULL, OPT_SCRIPT },
		{ "shared", no_argument, NULL, OPT_SHARED },
		{ "with-source", no_argument, NULL, OPT_WITH_SOURCE },
		{ "with-stdlib-source", no_argument, NULL,
		  OPT_WITH_STDLIB_SOURCE },
		{ "without-source", no_argument, NULL, OPT_WITHOUT_SOURCE },
	};
	size_t n = 0;

	for (; cmd_toolchain_longopts[n].name; n++)
		longopts[n] = cmd_toolchain_longopts[n];
	for (size_t i = 0; i < ARRAY_SIZE(app_opts); i++)
		longopts[n++] = app_opts[i];
	memset(&longopts[n], 0, sizeof(longopts[n]));
}

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

/* Options that only shape what goes in; 0, 2 (usage error) or -1. */
static int content_option(int opt, struct app_spec *app)
{
	char *abs;

	switch (opt) {
	case OPT_CA_BUNDLE:
		if (!(abs = existing("--ca-bundle", optarg, false)))
			return 2;
		free((char *)app->ca_bundle);
		app->ca_bundle = abs;
		return 0;
	case OPT_EXCLUDE:
		strvec_push(&app->excludes, optarg);
		return 0;
	case OPT_INCLUDE:
		strvec_push(&app->includes, optarg);
		return 0;
	case OPT_PRUNE:
		app->prune = true;
		return 0;
	case OPT_WITH_STDLIB_SOURCE:
		app->stdlib_source = true;
		return 0;
	case OPT_WITH_SOURCE:
	case OPT_WITHOUT_SOURCE:
		app->without_source = opt == OPT_WITHOUT_SOURCE;
		return 0;
	}
	return -1;
}

static int app_option(int opt, struct build_args *a)
{
	char *abs;
	int ret = content_option(opt, &a->app);

	if (ret >= 0)
		return ret;
	switch (opt) {
	case OPT_ALLOW_ENV:
		a->app.allow_env = true;
		a->is_app = true;
		return 0;
	case OPT_ENTRY:
		if (!strchr(optarg, ':'))
			return cmd_usage_error("build", "--entry '%s' must be "
				"MODULE:FUNCTION", optarg);
		a->app.entry = optarg;
		a->is_app = true;
		return 0;
	case OPT_PATH:
		if (!(abs = existing("--path", optarg, true)))
			return 2;
		strvec_push(&a->app.paths, abs);
		free(abs);
		a->is_app = true;
		return 0;
	case OPT_SCRIPT:
		if (!(abs = existing("--script", optarg, false)))
			return 2;
		free((char *)a->app.script);
		a->app.script = abs;
		a->is_app = true;
		return 0;
	case OPT_LIB:
	case OPT_SHARED:
		if (a->is_lib)
			return cmd_usage_error("build", "give one of --lib "
				"and --shared");
		a->is_lib = true;
		a->lib = opt == OPT_LIB ? LIBRARY_STATIC : LIBRARY_SHARED;
		return 0;
	}
	return -1;
}

/*
 * A library is called through its C API: its --path modules are
 * importable, there is no main to run. A shared library links the host's
 * glibc (a second libc inside a process is unsafe), so --shared takes
 * the glibc toolchain unless told otherwise.
 */
static int check_library(struct build_args *a)
{
	if (a->app.script || a->app.entry || a->app.allow_env || a->project)
		return cmd_usage_error("build", "--script, --entry, "
			"--allow-env and a project are for executables; a "
			"library is called through its API (stick_call, "
			"stick_run_module)");
	if (a->app.prune)
		return cmd_usage_error("build", "--prune needs an entry point "
			"to analyse; a library's callers are unknown");
	if (!a->tc.libc)
		a->tc.libc = a->lib == LIBRARY_SHARED ? "glibc" : "musl";
	if (a->lib == LIBRARY_SHARED && strcmp(a->tc.libc, "glibc"))
		return cmd_usage_error("build", "--shared needs --libc glibc: "
			"the library must use the libc of the process that "
			"loads it");
	if (a->out) {
		char *name = library_name(a->out, a->lib);

		if (!name)
			return 2;
		free(name);
	}
	a->app.library = true;
	return -1;
}

/* `stick build PROJECT_DIR [-o OUTDIR]`. */
static int parse_project(int argc, char **argv, struct build_args *a)
{
	const char *name = build_command.name;

	if (optind + 1 < argc)
		return cmd_usage_error(name, "unexpected argument '%s' after "
			"the project directory", argv[optind + 1]);
	if (a->app.script || a->app.entry)
		return cmd_usage_error(name, "a project directory makes one "
			"executable per [project.scripts] entry; --script and "
			"--entry do not go with it");
	if (!(a->project = existing("the project", argv[optind], true)))
		return 2;
	if (a->out && path_exists(a->out) && !path_is_dir(a->out))
		return cmd_usage_error(name, "-o '%s' must be a directory for "
			"a project (one executable per script)", a->out);
	if (!a->out)
		a->out = "dist";
	a->is_app = true;
	return -1;
}

static int parse(int argc, char **argv, struct build_args *a)
{
	const struct command *c = &build_command;
	int opt, ret;

	init_longopts();
	while ((opt = getopt_long(argc, argv, "hj:o:qv", longopts, NULL)) != -1) {
		if (cmd_common_option(opt, c)) {
			if (opt == 'h')
				return 0;
			continue;
		}
		if (opt == OPT_PYTHON)
			a->python_given = true;
		if (opt == 'o')
			a->out = optarg;
		else if ((ret = app_option(opt, a)) > 0)
			return ret;
		else if (ret < 0 && cmd_toolchain_option(c, opt, optarg, &a->tc,
							 &a->fetch))
			return 2;
	}
	if (optind < argc && (ret = parse_project(argc, argv, a)) >= 0)
		return ret;
	if (a->is_lib && check_library(a) > 0)
		return 2;
	if (!a->tc.libc)
		a->tc.libc = "musl";
	if (a->app.script && a->app.entry)
		return cmd_usage_error(c->name, "--script and --entry exclude "
			"each other");
	if (a->project)
		return -1;
	if (a->is_app && !a->is_lib && !a->app.script && !a->app.entry)
		return cmd_usage_error(c->name, "--path and --allow-env need "
			"--entry or --script");
	if (!a->is_app && !a->is_lib && (a->app.prune || a->app.ca_bundle ||
			   a->app.stdlib_source))
		return cmd_usage_error(c->name, "--prune, --ca-bundle and "
			"--with-stdlib-source need an application (--entry, "
			"--script or a project)");
	if (!a->app.prune && (a->app.includes.n || a->app.excludes.n))
		return cmd_usage_error(c->name, "--include and --exclude need "
			"--prune");
	if (!a->out)
		return cmd_usage_error(c->name, "missing -o OUT");
	if (path_is_dir(a->out))
		return cmd_usage_error(c->name, "-o '%s' is a directory",
			a->out);
	return -1;
}

static const char *const interpreter_sources[] = {
	"main.c", "startup.c", "malloc.c", NULL,
};
static const char *const app_sources[] = {
	"app.c", "startup.c", "stickmodule.c", "malloc.c", NULL,
};

/* The metadata `stick info` reads and the SBOM, for this build. */
static int describe(const struct build_args *a,
		    const struct toolchain *info, const char *work,
		    const char *out, struct strvec *objects)
{
	struct describe_spec d = {
		a->is_lib ? "library" : a->is_app ? "application" :
		"interpreter", out, a->is_app || a->is_lib ? work : NULL,
		STRVEC_INIT,
	};
	const struct app_spec *app = &a->app;
	int ret;

	strvec_pushf(&d.options, "python=%s", a->tc.python);
	strvec_pushf(&d.options, "libc=%s", a->tc.libc);
	if (a->is_app) {
		strvec_pushf(&d.options, "allow-env=%s",
			     app->allow_env ? "yes" : "no");
		strvec_pushf(&d.options, "prune=%s", app->prune ? "yes" : "no");
		strvec_pushf(&d.options, "source=%s", app->without_source ?
			     "no" : app->stdlib_source ? "app+stdlib" : "app");
		strvec_pushf(&d.options, "ca-bundle=%s",
			     app->ca_bundle ? "embedded" : "no");
	}
	ret = describe_build(info, &d, work, objects);
	strvec_clear(&d.options);
	return ret;
}

/* Freezes and links one executable into out, working in work. */
static int build_one(const struct toolchain *info,
		     const struct build_args *a, const char *work,
		     const char *out)
{
	struct strvec objects = STRVEC_INIT;
	int ret = mkdir_p(work, 0755);

	if (!ret && !a->app.prune)
		ret = freeze_stdlib(info, &objects);
	if (!ret && (a->is_app || a->is_lib))
		ret = freeze_app(info, &a->app, work, &objects);
	if (!ret)
		ret = describe(a, info, work, out, &objects);
	if (!ret && a->is_lib)
		ret = library_link(info, &objects, a->lib, work, out);
	else if (!ret)
		ret = link_executable(info, &objects, a->is_app ? app_sources :
			interpreter_sources, work, out);
	if (!ret)
		ret = describe_write_sbom(work, out);
	strvec_clear(&objects);
	return ret;
}

/* The project's paths first, then --path; its includes and excludes. */
static void project_merge(struct app_spec *app, const struct project *p)
{
	struct strvec paths = STRVEC_INIT;

	for (size_t i = 0; i < p->paths.n; i++)
		strvec_push(&paths, p->paths.v[i]);
	for (size_t i = 0; i < app->paths.n; i++)
		strvec_push(&paths, app->paths.v[i]);
	strvec_clear(&app->paths);
	app->paths = paths;
	for (size_t i = 0; i < p->includes.n; i++)
		strvec_push(&app->includes, p->includes.v[i]);
	for (size_t i = 0; i < p->excludes.n; i++)
		strvec_push(&app->excludes, p->excludes.v[i]);
	app->prune = app->prune || p->prune;
}

/* One executable per [project.scripts] entry, into the -o directory. */
static int build_scripts(const struct toolchain *info,
			 struct build_args *a, const struct project *p,
			 const char *work)
{
	int ret = 0;

	project_merge(&a->app, p);
	for (size_t i = 0; !ret && i < p->names.n; i++) {
		char *dir = path_join(work, p->names.v[i]);
		char *out = path_join(a->out, p->names.v[i]);

		a->app.entry = p->entries.v[i];
		ret = build_one(info, a, dir, out);
		if (!ret)
			printf("%s\n", out);
		free(dir);
		free(out);
	}
	a->app.entry = NULL;
	return ret;
}

/*
 * The project is read with the toolchain of --python (or the default);
 * when [tool.stick] asks for another version, that toolchain builds it.
 */
static int load_project(struct build_args *a, struct toolchain *info,
			char **dir, const char *work, struct project *p)
{
	int ret = project_load(info, a->project, work, p);

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

static int build(struct build_args *a)
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
		ret = load_project(a, &info, &dir, work, &proj);
	if (!ret && a->project)
		ret = build_scripts(&info, a, &proj, work);
	else if (!ret)
		ret = build_one(&info, a, work, a->out);
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
	int ret;

	memset(&a, 0, sizeof(a));
	cmd_toolchain_defaults(&a.tc, &a.fetch);
	a.tc.libc = NULL; /* the default depends on the output kind */
	ret = parse(argc, argv, &a);
	if (ret < 0) {
		ret = build(&a) ? 1 : 0;
		if (!ret && !a.project)
			printf("%s\n", a.out);
	}
	fetch_opts_release(&a.fetch);
	app_spec_release(&a.app);
	free(a.project);
	return ret;
}

const struct command build_command = {
	"build", cmd_build, "build a single-file interpreter, application or library",
	"usage: stick build [--python VER] -o OUT\n"
	"       stick build [--python VER] --script FILE [--path DIR]... -o OUT\n"
	"       stick build [--python VER] --entry MOD:FUNC --path DIR... -o OUT\n"
	"       stick build [--python VER] PROJECT_DIR [--path DIR]... [-o OUTDIR]\n"
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
	"With PROJECT_DIR, its pyproject.toml (read with the toolchain's\n"
	"tomllib) gives the packages (src/ or flat layout), a *.dist-info made\n"
	"from [project], and one executable per [project.scripts] entry,\n"
	"written to OUTDIR (default ./dist); [tool.stick] may set python,\n"
	"paths, include, exclude, prune and packages.\n"
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
	"  --allow-env      let the app read PYTHON* variables and the user site\n"
	"  --prune          only the stdlib modules and built-in C modules the\n"
	"                   app imports (import analysis), not the whole stdlib\n"
	"  --include MOD    with --prune: keep MOD (a package: all of it) too\n"
	"  --exclude MOD    with --prune: leave MOD out even when imported\n"
	"  --with-source    embed the app's sources for tracebacks (default)\n"
	"  --without-source embed only the app's compiled code\n"
	"  --with-stdlib-source  embed the stdlib's sources too (source lines\n"
	"                   of stdlib frames in tracebacks; a larger binary)\n"
	"  --ca-bundle FILE CA certificates used when the host has none\n"
	"  --lib            write a static library libNAME.a (musl by default)\n"
	"  --shared         write a shared library libNAME.so (glibc)\n"
	"  --python VER     3.13 (default) or 3.11\n"
	"  --libc LIBC      musl (default) or glibc\n"
	"  -j, --jobs N     parallel build jobs for the toolchain\n"
	"  --sources DIR    take source files from DIR when present there\n"
	"  --mirror URL     try URL/FILE first (repeatable)\n"
	"  -q, --quiet      print only errors\n"
	"  -v, --verbose    print every command\n"
	"  -h, --help       show this help\n",
};
