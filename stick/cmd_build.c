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
#include "link.h"
#include "log.h"
#include "toolchain.h"
#include "banned.h"

struct build_args {
	struct toolchain_opts tc;
	struct fetch_opts fetch;
	const char *out;
	struct app_spec app;
	bool is_app;
};

enum { OPT_ALLOW_ENV = OPT_SOURCES + 1, OPT_ENTRY, OPT_PATH, OPT_SCRIPT };

/* The toolchain's options plus the application's. */
static struct option longopts[32];

static void init_longopts(void)
{
	static const struct option app_opts[] = {
		{ "allow-env", no_argument, NULL, OPT_ALLOW_ENV },
		{ "entry", required_argument, NULL, OPT_ENTRY },
		{ "path", required_argument, NULL, OPT_PATH },
		{ "script", required_argument, NULL, OPT_SCRIPT },
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

static int app_option(int opt, struct build_args *a)
{
	char *abs;

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
	}
	return -1;
}

static int parse(int argc, char **argv, struct build_args *a)
{
	const struct command *c = &build_command;
	int opt;

	init_longopts();
	while ((opt = getopt_long(argc, argv, "hj:o:qv", longopts, NULL)) != -1) {
		int ret;

		if (cmd_common_option(opt, c)) {
			if (opt == 'h')
				return 0;
			continue;
		}
		if (opt == 'o')
			a->out = optarg;
		else if ((ret = app_option(opt, a)) > 0)
			return ret;
		else if (ret < 0 && cmd_toolchain_option(c, opt, optarg, &a->tc,
							 &a->fetch))
			return 2;
	}
	if (optind < argc)
		return cmd_usage_error(c->name, "unexpected argument '%s': "
			"building a project from its pyproject.toml is not "
			"supported yet; use --script or --entry", argv[optind]);
	if (a->app.script && a->app.entry)
		return cmd_usage_error(c->name, "--script and --entry exclude "
			"each other");
	if (a->is_app && !a->app.script && !a->app.entry)
		return cmd_usage_error(c->name, "--path and --allow-env need "
			"--entry or --script");
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
		    const struct toolchain_info *info, const char *work,
		    struct strvec *objects)
{
	struct describe_spec d = {
		a->is_app ? "application" : "interpreter", a->out,
		a->is_app ? work : NULL, STRVEC_INIT,
	};
	int ret;

	strvec_pushf(&d.options, "python=%s", a->tc.python);
	strvec_pushf(&d.options, "libc=%s", a->tc.libc);
	if (a->is_app)
		strvec_pushf(&d.options, "allow-env=%s",
			     a->app.allow_env ? "yes" : "no");
	ret = describe_build(info, &d, work, objects);
	strvec_clear(&d.options);
	return ret;
}

static int build(struct build_args *a)
{
	struct toolchain_info info;
	struct strvec objects = STRVEC_INIT;
	char *dir = NULL;
	char *work = xasprintf("%s/tmp/build.%ld", home_dir(), (long)getpid());
	int ret = cmd_toolchain_ensure(&a->tc, &a->fetch, &dir);

	if (ret) {
		free(work);
		return -1;
	}
	toolchain_info_init(&info, dir, a->tc.python);
	ret = mkdir_p(work, 0755);
	if (!ret)
		ret = freeze_stdlib(&info, &objects);
	if (!ret && a->is_app)
		ret = freeze_app(&info, &a->app, work, &objects);
	if (!ret)
		ret = describe(a, &info, work, &objects);
	if (!ret)
		ret = link_executable(&info, &objects, a->is_app ? app_sources :
			interpreter_sources, work, a->out);
	if (!ret)
		ret = describe_write_sbom(work, a->out);
	/* On failure the work directory keeps the logs the message names. */
	if (!ret)
		remove_tree(work);
	strvec_clear(&objects);
	toolchain_info_release(&info);
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
	ret = parse(argc, argv, &a);
	if (ret < 0) {
		ret = build(&a) ? 1 : 0;
		if (!ret)
			printf("%s\n", a.out);
	}
	fetch_opts_release(&a.fetch);
	strvec_clear(&a.app.paths);
	free((char *)a.app.script);
	return ret;
}

const struct command build_command = {
	"build", cmd_build, "build a single-file interpreter or application",
	"usage: stick build [--python VER] -o OUT\n"
	"       stick build [--python VER] --script FILE [--path DIR]... -o OUT\n"
	"       stick build [--python VER] --entry MOD:FUNC --path DIR... -o OUT\n\n"
	"Builds (or reuses) the toolchain, freezes its stdlib into one blob\n"
	"(once per toolchain, cached under $STICK_HOME/stdlib) and links one\n"
	"static executable OUT. Without --script or --entry, OUT replaces\n"
	"python3 (-c, -m, a script, the REPL), with the whole stdlib (minus\n"
	"test, idlelib, tkinter, turtledemo) imported from memory. With them,\n"
	"OUT runs the script or calls MOD:FUNC (its return value is the exit\n"
	"status, as for console_scripts) in an isolated interpreter with\n"
	"sys.argv untouched; modules, package data and *.dist-info from each\n"
	"--path DIR (laid out like site-packages) are imported from memory.\n\n"
	"options:\n"
	"  -o OUT           the executable to write (replaced atomically);\n"
	"                   OUT.sbom.json, its SPDX SBOM, is written beside it\n"
	"  --script FILE    the application is this script\n"
	"  --entry MOD:FUNC the application calls this function\n"
	"  --path DIR       a directory of modules and packages (repeatable)\n"
	"  --allow-env      let the app read PYTHON* variables and the user site\n"
	"  --python VER     3.13 (default) or 3.11\n"
	"  --libc LIBC      musl (default) or glibc\n"
	"  -j, --jobs N     parallel build jobs for the toolchain\n"
	"  --sources DIR    take source files from DIR when present there\n"
	"  --mirror URL     try URL/FILE first (repeatable)\n"
	"  -q, --quiet      print only errors\n"
	"  -v, --verbose    print every command\n"
	"  -h, --help       show this help\n",
};
