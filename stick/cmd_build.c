/*
 * `stick build`'s command line: one option table, one pass that checks
 * what the options add up to, the --help made from the table. Running
 * the build is build_run.c's.
 */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "build_run.h"
#include "cmd_build.h"
#include "log.h"
#include "ocicache.h"
#include "banned.h"

/* An absolute, existing path for an option, or NULL after a message. */
static char *existing(const char *what, const char *path, bool dir)
{
	char *abs = realpath(path, NULL);

	if (!abs || path_is_dir(abs) != dir) {
		cmd_usage_error("build", "%s '%s' is not %s", what, path,
			dir ? "a directory" : "a file");
		free(abs);
		return NULL;
	}
	return abs;
}

/* An existing file, made absolute: the last one given counts. */
static enum cmd_set set_file(const char *cmd, void *args,
			     const struct cmd_option *o, const char *arg)
{
	char *what = xasprintf("--%s", o->name);
	char *abs = existing(what, arg, false);
	const char **field = CMD_FIELD(args, o, const char *);

	free(what);
	if (!abs)
		return CMD_SET_USAGE;
	free((char *)*field);
	*field = abs;
	return CMD_SET_OK;
}

/* An existing directory (--path) or either (--sdist), made absolute. */
static enum cmd_set set_paths(const char *cmd, void *args,
			      const struct cmd_option *o, const char *arg)
{
	char *what = xasprintf("--%s", o->name);
	char *abs = existing(what, arg, o->value || path_is_dir(arg));

	free(what);
	if (!abs)
		return CMD_SET_USAGE;
	strvec_push(CMD_FIELD(args, o, struct strvec), abs);
	free(abs);
	return CMD_SET_OK;
}

static enum cmd_set set_entry(const char *cmd, void *args,
			      const struct cmd_option *o, const char *arg)
{
	if (!strchr(arg, ':')) {
		cmd_usage_error(cmd, "--entry '%s' must be MODULE:FUNCTION",
				arg);
		return CMD_SET_USAGE;
	}
	*CMD_FIELD(args, o, const char *) = arg;
	return CMD_SET_OK;
}

/* A --find-links directory is made absolute: pip runs elsewhere. */
static enum cmd_set set_find_links(const char *cmd, void *args,
				   const struct cmd_option *o,
				   const char *arg)
{
	char *abs = path_is_dir(arg) ? realpath(arg, NULL) : NULL;

	strvec_push(CMD_FIELD(args, o, struct strvec), abs ? abs : arg);
	free(abs);
	return CMD_SET_OK;
}

/* --with-source: the default back. */
static enum cmd_set set_false(const char *cmd, void *args,
			      const struct cmd_option *o, const char *arg)
{
	*CMD_FIELD(args, o, bool) = false;
	return CMD_SET_OK;
}

/* --sys-executable python|app. */
static enum cmd_set set_sys_executable(const char *cmd, void *args,
				       const struct cmd_option *o,
				       const char *arg)
{
	if (strcmp(arg, "python") && strcmp(arg, "app")) {
		cmd_usage_error(cmd, "--sys-executable '%s' must be python or "
				"app", arg);
		return CMD_SET_USAGE;
	}
	*CMD_FIELD(args, o, const char *) = arg;
	return CMD_SET_OK;
}

/* --lib or --shared, once. */
static enum cmd_set set_library(const char *cmd, void *args,
				const struct cmd_option *o, const char *arg)
{
	struct build_args *a = args;

	if (a->is_lib) {
		cmd_usage_error(cmd, "give one of --lib and --shared");
		return CMD_SET_USAGE;
	}
	a->is_lib = true;
	a->lib = (enum library_kind)o->value;
	return CMD_SET_OK;
}

#define ARG(member) offsetof(struct build_args, member)

/*
 * `stick build`'s options, in the order --help lists them (which keeps
 * the request's keys in their order). Adding an option takes three
 * places:
 *   1. its entry here: names, value, help, the field it sets (.type says
 *      how, or .set does it), .also (a flag it sets too: is_app when it
 *      makes the output an application) and .request, its key in the
 *      `build` request when the helper needs it (build_args_request()
 *      writes every such key, read back by .type);
 *   2. that field, in struct build_args (cmd_build.h) or struct app_spec
 *      (freeze.h);
 *   3. for a request key, its line in APP_OPTIONS in
 *      stick/stickpy/helper.py: how the helper reads it and what it sets.
 * A rule between options goes in build_args_check() below.
 */
static const struct cmd_option build_options[] = {
	{ .short_name = 'o', .metavar = "OUT", .type = CMD_STRING,
	  .field = ARG(out),
	  .help = "the output to write (replaced atomically); for a\n"
		  "project, the directory to write them to; each\n"
		  "output gets OUT.sbom.json, its SPDX SBOM, beside it" },
	{ .name = "script", .metavar = "FILE", .type = CMD_STRING,
	  .field = ARG(app.script), .set = set_file, .also = ARG(is_app),
	  .request = "script", .help = "the application is this script" },
	{ .name = "entry", .metavar = "MOD:FUNC", .type = CMD_STRING,
	  .field = ARG(app.entry), .set = set_entry, .also = ARG(is_app),
	  .request = "entry", .help = "the application calls this function" },
	{ .name = "path", .metavar = "DIR", .type = CMD_LIST,
	  .field = ARG(app.paths), .set = set_paths, .value = true,
	  .also = ARG(is_app), .request = "path",
	  .help = "a directory of modules and packages (repeatable)" },
	{ .name = "sdist", .metavar = "PATH", .type = CMD_LIST,
	  .field = ARG(app.sdists), .set = set_paths, .also = ARG(is_app),
	  .help = "a package's sdist (.tar.gz, .zip) or source tree:\n"
		  "built by its own PEP 517 backend, C extensions\n"
		  "linked in (repeatable)" },
	{ .name = "skip-requirement", .metavar = "NAME", .type = CMD_LIST,
	  .field = ARG(app.skip_requirements),
	  .help = "a build requirement of an --sdist that\n"
		  "the package can do without (repeatable)" },
	{ .name = "with", .metavar = "REQ", .type = CMD_LIST,
	  .field = ARG(deps.requirements), .also = ARG(is_app),
	  .help = "install this requirement too (PEP 508; repeatable;\n"
		  "for --script and --entry apps no lock is written)" },
	{ .name = "extra", .metavar = "NAME", .type = CMD_LIST,
	  .field = ARG(deps.extras),
	  .help = "a project's [project.optional-dependencies] NAME" },
	{ .name = "index-url", .metavar = "URL", .type = CMD_STRING,
	  .field = ARG(deps.index_url),
	  .help = "where pip looks for requirements (as in pip)" },
	{ .name = "extra-index-url", .metavar = "URL", .type = CMD_LIST,
	  .field = ARG(deps.extra_index_urls),
	  .help = "where else pip looks (as in pip; repeatable)" },
	{ .name = "find-links", .metavar = "DIR|URL", .type = CMD_LIST,
	  .field = ARG(deps.find_links), .set = set_find_links,
	  .help = "archives pip may take (as in pip; repeatable)" },
	{ .name = "no-index", .type = CMD_BOOL, .field = ARG(deps.no_index),
	  .help = "pip looks only in --find-links (as in pip)" },
	{ .name = "upgrade", .type = CMD_BOOL, .field = ARG(deps.upgrade),
	  .help = "resolve again and rewrite the project's pylock.toml" },
	{ .name = "allow-env", .type = CMD_BOOL, .field = ARG(app.allow_env),
	  .also = ARG(is_app), .request = "allow-env",
	  .help = "let the app read PYTHON* variables and the user site" },
	{ .name = "with-source", .type = CMD_BOOL,
	  .field = ARG(app.without_source), .set = set_false,
	  .help = "embed the app's sources for tracebacks (default)" },
	{ .name = "without-source", .type = CMD_BOOL,
	  .field = ARG(app.without_source), .request = "without-source",
	  .help = "embed only the app's compiled code" },
	{ .name = "with-stdlib-source", .type = CMD_BOOL,
	  .field = ARG(app.stdlib_source), .request = "with-stdlib-source",
	  .help = "embed the stdlib's sources too (source lines\n"
		  "of stdlib frames in tracebacks; a larger binary)" },
	{ .name = "sys-executable", .metavar = "python|app",
	  .type = CMD_STRING, .field = ARG(app.sys_executable),
	  .set = set_sys_executable, .request = "sys-executable",
	  .help = "what OUT -c CODE and OUT -m MOD run (sys.executable\n"
		  "started as a Python): python3's -c/-m (python, the\n"
		  "default) or the app's main, when those are its own\n"
		  "options (app)" },
	{ .name = "tzdata", .type = CMD_BOOL, .field = ARG(app.tzdata),
	  .request = "tzdata",
	  .help = "embed the IANA time zone database (the tzdata\n"
		  "package), for zoneinfo on hosts without one" },
	{ .name = "ca-bundle", .metavar = "FILE", .type = CMD_STRING,
	  .field = ARG(app.ca_bundle), .set = set_file,
	  .request = "ca-bundle",
	  .help = "CA certificates used when the host has none" },
	{ .name = "prune", .type = CMD_BOOL, .field = ARG(app.prune),
	  .request = "prune",
	  .help = "only the stdlib modules and built-in C modules the\n"
		  "app imports (import analysis), not the whole stdlib" },
	{ .name = "include", .metavar = "MOD", .type = CMD_LIST,
	  .field = ARG(app.includes), .request = "include",
	  .help = "with --prune: keep MOD (a package: all of it) too" },
	{ .name = "prune-trace", .metavar = "ARGS", .type = CMD_LIST,
	  .field = ARG(app.traces), .also = ARG(app.prune),
	  .request = "prune-trace",
	  .help = "--prune, and keep what the app imports when run\n"
		  "once at build time with ARGS (repeatable)" },
	{ .name = "exclude", .metavar = "MOD", .type = CMD_LIST,
	  .field = ARG(app.excludes), .request = "exclude",
	  .help = "with --prune: leave MOD out even when imported" },
	{ .name = "include-tests", .type = CMD_BOOL,
	  .field = ARG(include_tests),
	  .help = "(interpreter only) embed the stdlib's test packages,\n"
		  "for running CPython's test suite with OUT itself" },
	{ .name = "lib", .type = CMD_OTHER, .set = set_library,
	  .value = LIBRARY_STATIC,
	  .help = "write a static library libNAME.a (musl by default)" },
	{ .name = "shared", .type = CMD_OTHER, .set = set_library,
	  .value = LIBRARY_SHARED,
	  .help = "write a shared library libNAME.so (glibc)" },
	CMD_TOOLCHAIN_OPTIONS(struct build_args),
	CMD_COMMON_OPTIONS,
	{ 0 },
};

void build_args_request(const struct build_args *a, struct kvfile *req)
{
	for (const struct cmd_option *o = build_options; o->name || o->short_name;
	     o++) {
		if (!o->request)
			continue;
		if (o->type == CMD_BOOL)
			kvfile_add_flag(req, o->request,
					*CMD_FIELD(a, o, const bool));
		else if (o->type == CMD_STRING)
			kvfile_add_opt(req, o->request,
				       *CMD_FIELD(a, o, const char *const));
		else if (o->type == CMD_LIST)
			kvfile_add_each(req, o->request,
					CMD_FIELD(a, o, const struct strvec)->v,
					CMD_FIELD(a, o, const struct strvec)->n);
	}
}

/* Shows a usage error of `stick build`; evaluates to CMD_PARSE_USAGE. */
#define USAGE_ERROR(...) \
	(cmd_usage_error(build_command.name, __VA_ARGS__), CMD_PARSE_USAGE)

/*
 * A library is called through its C API: its --path modules are
 * importable, there is no main to run. A shared library links the host's
 * glibc (a second libc inside a process is unsafe), so --shared takes
 * the glibc toolchain unless told otherwise.
 */
static enum cmd_parse check_library(struct build_args *a)
{
	if (a->app.script || a->app.entry || a->app.allow_env || a->project)
		return USAGE_ERROR("--script, --entry, --allow-env and a "
			"project are for executables; a library is called "
			"through its API (stick_call, stick_run_module)");
	if (a->app.prune)
		return USAGE_ERROR("--prune needs an entry point to analyse; "
			"a library's callers are unknown");
	if (a->lib == LIBRARY_SHARED && a->tc.target &&
	    target_is_cross(a->tc.target))
		return USAGE_ERROR("--shared is not available for --target %s "
			"(a shared library links the host's glibc, and stick "
			"has no glibc toolchain for %s); use --lib for a static "
			"library", a->tc.target->triple, a->tc.target->arch);
	if (a->tc.libc == LIBC_UNSET)
		a->tc.libc = a->lib == LIBRARY_SHARED ? LIBC_GLIBC : LIBC_MUSL;
	if (a->lib == LIBRARY_SHARED && a->tc.libc != LIBC_GLIBC)
		return USAGE_ERROR("--shared needs --libc glibc: the library "
			"must use the libc of the process that loads it");
	if (a->out) {
		char *name = library_name(a->out, a->lib);

		if (!name)
			return CMD_PARSE_USAGE;
		free(name);
	}
	return CMD_PARSE_RUN;
}

/* `stick build PROJECT_DIR [-o OUTDIR]`. */
static enum cmd_parse check_project(int argc, char **argv,
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
		return CMD_PARSE_USAGE;
	if (a->out && path_exists(a->out) && !path_is_dir(a->out))
		return USAGE_ERROR("-o '%s' must be a directory for a project "
			"(one executable per script)", a->out);
	if (!a->out)
		a->out = "dist";
	a->is_app = true;
	return CMD_PARSE_RUN;
}

/* Checks what the options add up to, for one output. */
static enum cmd_parse check_output(struct build_args *a)
{
	if (a->is_app && !a->is_lib && !a->app.script && !a->app.entry)
		return USAGE_ERROR("--path, --sdist, --with and --allow-env "
			"need --entry or --script");
	if (a->deps.extras.n)
		return USAGE_ERROR("--extra '%s' needs a project directory (its "
			"[project.optional-dependencies]); use --with REQ",
			a->deps.extras.v[0]);
	if (!a->is_app && !a->is_lib && (a->app.prune || a->app.ca_bundle ||
			   a->app.stdlib_source || a->app.tzdata))
		return USAGE_ERROR("--prune, --ca-bundle, --tzdata and "
			"--with-stdlib-source need an application (--entry, "
			"--script or a project)");
	if (a->app.sys_executable && (a->is_lib || !a->is_app))
		return USAGE_ERROR("--sys-executable is for applications "
			"(--entry, --script or a project): the interpreter "
			"is a Python, a library has no sys.executable of its "
			"own");
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
	return CMD_PARSE_RUN;
}

/*
 * The one pass over the rules between options, in the order their
 * messages have always come; it fills the defaults that depend on the
 * output (the libc) and then the toolchain's.
 */
static enum cmd_parse build_args_check(struct build_args *a, int argc,
				       char **argv)
{
	enum cmd_parse r = CMD_PARSE_RUN;

	a->python_given = a->tc.python != NULL;
	if (optind < argc)
		r = check_project(argc, argv, a);
	if (r == CMD_PARSE_RUN && a->is_lib)
		r = check_library(a);
	if (r != CMD_PARSE_RUN)
		return r;
	cmd_toolchain_defaults(&a->tc, &a->fetch);
	if (a->app.script && a->app.entry)
		return USAGE_ERROR("--script and --entry exclude each other");
	if (a->include_tests && (a->is_app || a->is_lib || a->project))
		return USAGE_ERROR("--include-tests is for the interpreter "
			"(stick build -o OUT), not for applications or libraries");
	return a->project ? CMD_PARSE_RUN : check_output(a);
}

void build_args_init(struct build_args *a)
{
	memset(a, 0, sizeof(*a));
	/* Downloads retry and time out as those of `stick toolchain` do. */
	a->fetch = (struct fetch_opts)FETCH_OPTS_INIT;
	cmd_toolchain_unset(&a->tc, &a->fetch);
}

void build_args_release(struct build_args *a)
{
	fetch_opts_release(&a->fetch);
	app_spec_release(&a->app);
	deps_opts_release(&a->deps);
	free(a->project);
	memset(a, 0, sizeof(*a));
}

enum cmd_parse build_args_parse(struct build_args *a, int argc, char **argv)
{
	enum cmd_parse r;

	optind = 0;
	r = cmd_options_parse(&build_command, build_options, a, argc, argv);
	return r == CMD_PARSE_RUN ? build_args_check(a, argc, argv) : r;
}

int cmd_build(int argc, char **argv)
{
	struct build_args a;
	enum cmd_parse r;
	int ret = 0;

	build_args_init(&a);
	r = build_args_parse(&a, argc, argv);
	if (r == CMD_PARSE_RUN) {
		ret = build_run(&a) ? 1 : 0;
		if (!ret && ocicache_push_wanted())
			ret = ocicache_push_used() ? 1 : 0;
		if (!ret && !a.project)
			printf("%s\n", a.out);
	}
	build_args_release(&a);
	return r == CMD_PARSE_USAGE ? 2 : ret;
}

const struct command build_command = {
	.name = "build",
	.run = cmd_build,
	.summary = "build a single-file interpreter, application or library",
	.usage =
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
	"only that API and links the host's glibc (--libc glibc).\n",
};
