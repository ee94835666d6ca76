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

enum { OPT_LIBC = 256, OPT_MIRROR, OPT_PYTHON, OPT_SOURCES };

static const struct option longopts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "jobs", required_argument, NULL, 'j' },
	{ "libc", required_argument, NULL, OPT_LIBC },
	{ "mirror", required_argument, NULL, OPT_MIRROR },
	{ "python", required_argument, NULL, OPT_PYTHON },
	{ "quiet", no_argument, NULL, 'q' },
	{ "sources", required_argument, NULL, OPT_SOURCES },
	{ "verbose", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 },
};

static int parse(int argc, char **argv, struct toolchain_opts *o,
		 struct fetch_opts *f)
{
	const struct command *c = &toolchain_command;
	char *end;
	int opt;

	while ((opt = getopt_long(argc, argv, "hj:qv", longopts, NULL)) != -1) {
		if (cmd_common_option(opt, c)) {
			if (opt == 'h')
				return 0;
			continue;
		}
		switch (opt) {
		case 'j':
			o->jobs = (int)strtol(optarg, &end, 10);
			if (*end || o->jobs < 1 || o->jobs > 256)
				return cmd_usage_error(c->name, "-j '%s' must be "
					"a number from 1 to 256", optarg);
			break;
		case OPT_LIBC:
			if (strcmp(optarg, "musl") && strcmp(optarg, "glibc"))
				return cmd_usage_error(c->name, "--libc must be "
					"musl or glibc, not '%s'", optarg);
			o->libc = optarg;
			break;
		case OPT_MIRROR:
			strvec_push(&f->mirrors, optarg);
			break;
		case OPT_PYTHON:
			o->python = optarg;
			break;
		case OPT_SOURCES:
			f->sources_dir = optarg;
			break;
		default:
			return cmd_usage_error(c->name, "bad option");
		}
	}
	if (optind < argc)
		return cmd_usage_error(c->name, "unexpected argument '%s'",
			argv[optind]);
	return -1;
}

int cmd_toolchain(int argc, char **argv)
{
	struct fetch_opts f = FETCH_OPTS_INIT;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct toolchain_opts o = { "3.13", "musl", cpus > 0 ? (int)cpus : 1, &f };
	char *dir = NULL, *known;
	int ret = parse(argc, argv, &o, &f);

	if (ret >= 0)
		goto out;
	ret = 1;
	known = cmd_recipe_dir(o.python);
	if (!known)
		goto out;
	free(known);
	f.cache_dir = home_sources_dir();
	if (!toolchain_ensure(&o, &dir)) {
		printf("%s\n", dir);
		ret = 0;
	}
out:
	free(dir);
	fetch_opts_release(&f);
	return ret;
}

const struct command toolchain_command = {
	"toolchain", cmd_toolchain, "build (or reuse) the static toolchain",
	"usage: stick toolchain [--python VER] [--libc musl|glibc] [-j N]\n"
	"                       [--sources DIR] [--mirror URL]...\n\n"
	"Builds zlib, xz, OpenSSL, libffi, SQLite, bzip2 and CPython as static\n"
	"libraries, with every stdlib extension module built in, and merges\n"
	"them into one lib/libstickpython.a. Prints the toolchain's directory,\n"
	"$STICK_HOME/toolchains/<key>, where key digests the recipes, patches,\n"
	"compiler and libc; an existing one is reused at once.\n\n"
	"options:\n"
	"  --python VER     3.13 (default) or 3.11\n"
	"  --libc LIBC      musl (default: Debian's musl-gcc, fully static) or glibc\n"
	"  -j, --jobs N     make jobs and components built at once (default: CPUs)\n"
	"  --sources DIR    take source files from DIR when present there\n"
	"  --mirror URL     try URL/FILE first (repeatable)\n"
	"  -q, --quiet      print only errors\n"
	"  -v, --verbose    print every command\n"
	"  -h, --help       show this help\n",
};
