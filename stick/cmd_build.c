/* `stick build`: a single-file executable from a toolchain. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "freeze.h"
#include "link.h"
#include "log.h"
#include "toolchain.h"
#include "banned.h"

struct build_args {
	struct toolchain_opts tc;
	struct fetch_opts fetch;
	const char *out;
};

static int parse(int argc, char **argv, struct build_args *a)
{
	const struct command *c = &build_command;
	int opt;

	while ((opt = getopt_long(argc, argv, "hj:o:qv", cmd_toolchain_longopts,
				  NULL)) != -1) {
		if (cmd_common_option(opt, c)) {
			if (opt == 'h')
				return 0;
			continue;
		}
		if (opt == 'o')
			a->out = optarg;
		else if (cmd_toolchain_option(c, opt, optarg, &a->tc, &a->fetch))
			return 2;
	}
	if (optind < argc)
		return cmd_usage_error(c->name, "unexpected argument '%s': "
			"building applications is not supported yet; this "
			"version builds the interpreter", argv[optind]);
	if (!a->out)
		return cmd_usage_error(c->name, "missing -o OUT");
	if (path_is_dir(a->out))
		return cmd_usage_error(c->name, "-o '%s' is a directory",
			a->out);
	return -1;
}

static int build_interpreter(struct build_args *a)
{
	struct toolchain_info info;
	struct strvec objects = STRVEC_INIT;
	char *dir = NULL;
	int ret = cmd_toolchain_ensure(&a->tc, &a->fetch, &dir);

	if (ret)
		return -1;
	toolchain_info_init(&info, dir, a->tc.python);
	ret = freeze_stdlib(&info, &objects);
	if (!ret)
		ret = link_executable(&info, &objects, a->out);
	strvec_clear(&objects);
	toolchain_info_release(&info);
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
		ret = build_interpreter(&a) ? 1 : 0;
		if (!ret)
			printf("%s\n", a.out);
	}
	fetch_opts_release(&a.fetch);
	return ret;
}

const struct command build_command = {
	"build", cmd_build, "build a single-file Python interpreter",
	"usage: stick build [--python VER] [--libc musl|glibc] [-j N] -o OUT\n"
	"                   [--sources DIR] [--mirror URL]...\n\n"
	"Builds (or reuses) the toolchain, freezes its stdlib into one blob\n"
	"(once per toolchain, cached under $STICK_HOME/stdlib) and links a\n"
	"single static executable OUT that replaces python3: -c, -m, a script\n"
	"and the REPL work as with python3, with the whole stdlib (minus test,\n"
	"idlelib, tkinter, turtledemo) imported from memory.\n\n"
	"options:\n"
	"  -o OUT           the executable to write (replaced atomically)\n"
	"  --python VER     3.13 (default) or 3.11\n"
	"  --libc LIBC      musl (default) or glibc\n"
	"  -j, --jobs N     parallel build jobs for the toolchain\n"
	"  --sources DIR    take source files from DIR when present there\n"
	"  --mirror URL     try URL/FILE first (repeatable)\n"
	"  -q, --quiet      print only errors\n"
	"  -v, --verbose    print every command\n"
	"  -h, --help       show this help\n",
};
