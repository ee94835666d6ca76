/* `stick toolchain`: build or reuse the static toolchain. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "home.h"
#include "log.h"
#include "toolchain.h"
#include "banned.h"

const struct option cmd_toolchain_longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "libc", required_argument, NULL, OPT_LIBC },
	{ "lto", no_argument, NULL, OPT_LTO },
	{ "mirror", required_argument, NULL, OPT_MIRROR },
	{ "pgo", no_argument, NULL, OPT_PGO },
	{ "python", required_argument, NULL, OPT_PYTHON },
	{ "quiet", no_argument, NULL, 'q' },
	{ "sources", required_argument, NULL, OPT_SOURCES },
	{ "verbose", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 },
};

int cmd_toolchain_option(const struct command *c, int opt, const char *arg,
			 struct toolchain_opts *o, struct fetch_opts *f)
{
	enum libc libc;
	char *end;

	switch (opt) {
	case 'j':
		o->jobs = (int)strtol(arg, &end, 10);
		if (*end || o->jobs < 1 || o->jobs > 256)
			return cmd_usage_error(c->name, "-j '%s' must be a "
				"number from 1 to 256", arg);
		return 0;
	case OPT_LIBC:
		if (libc_parse(arg, &libc))
			return cmd_usage_error(c->name, "--libc must be musl "
				"or glibc, not '%s'", arg);
		o->libc = arg;
		return 0;
	case OPT_LTO:
		o->options |= RECIPE_OPT_LTO;
		return 0;
	case OPT_MIRROR:
		strvec_push(&f->mirrors, arg);
		return 0;
	case OPT_PGO:
		o->options |= RECIPE_OPT_LTO | RECIPE_OPT_PGO;
		return 0;
	case OPT_PYTHON:
		o->python = arg;
		return 0;
	case OPT_SOURCES:
		f->sources_dir = arg;
		return 0;
	}
	return cmd_usage_error(c->name, "bad option");
}

void cmd_toolchain_defaults(struct toolchain_opts *o, struct fetch_opts *f)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	o->python = "3.13";
	o->libc = "musl";
	o->options = 0;
	o->jobs = cpus > 0 ? (int)cpus : 1;
	o->fetch = f;
}

int cmd_toolchain_ensure(struct toolchain_opts *o, struct fetch_opts *f,
			 char **dir)
{
	char *known = home_recipe_dir(o->python);

	if (!known)
		return -1;
	free(known);
	f->cache_dir = home_sources_dir();
	return toolchain_ensure(o, dir);
}

static int parse(int argc, char **argv, struct toolchain_opts *o,
		 struct fetch_opts *f)
{
	const struct command *c = &toolchain_command;
	int opt;

	while ((opt = getopt_long(argc, argv, "hj:qv", cmd_toolchain_longopts,
				  NULL)) != -1) {
		if (cmd_common_option(opt, c)) {
			if (opt == 'h')
				return 0;
			continue;
		}
		if (cmd_toolchain_option(c, opt, optarg, o, f))
			return 2;
	}
	if (optind < argc)
		return cmd_usage_error(c->name, "unexpected argument '%s'",
			argv[optind]);
	return -1;
}

int cmd_toolchain(int argc, char **argv)
{
	struct fetch_opts f = FETCH_OPTS_INIT;
	struct toolchain_opts o;
	char *dir = NULL;
	int ret;

	cmd_toolchain_defaults(&o, &f);
	ret = parse(argc, argv, &o, &f);
	if (ret < 0) {
		ret = cmd_toolchain_ensure(&o, &f, &dir) ? 1 : 0;
		if (!ret)
			printf("%s\n", dir);
	}
	free(dir);
	fetch_opts_release(&f);
	return ret;
}

const struct command toolchain_command = {
	"toolchain", cmd_toolchain, "build (or reuse) the static toolchain",
	"usage: stick toolchain [--python VER] [--libc musl|glibc] [--lto|--pgo]\n"
	"                       [-j N] [--sources DIR] [--mirror URL]...\n\n"
	"Builds zlib, xz, OpenSSL, libffi, SQLite, bzip2 and CPython as static\n"
	"libraries, with every stdlib extension module built in, and merges\n"
	"them into one lib/libstickpython.a. Prints the toolchain's directory,\n"
	"$STICK_HOME/toolchains/<key>, where key digests the recipes, patches,\n"
	"compiler and libc; an existing one is reused at once.\n\n"
	"options:\n"
	"  --python VER     3.13 (default) or 3.11\n"
	"  --libc LIBC      musl (default: Debian's musl-gcc, fully static) or glibc\n"
	"  --pgo            optimise CPython with profile-guided and link-time\n"
	"                   optimisation, trained on CPython's own --pgo tests\n"
	"                   (a toolchain of its own; about 15 minutes on 2 cores)\n"
	"  --lto            link-time optimisation of CPython's core alone\n"
	"  -j, --jobs N     make jobs and components built at once (default: CPUs)\n"
	"  --sources DIR    take source files from DIR when present there\n"
	"  --mirror URL     try URL/FILE first (repeatable)\n"
	"  -q, --quiet      print only errors\n"
	"  -v, --verbose    print every command\n"
	"  -h, --help       show this help\n",
};
