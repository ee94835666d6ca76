/* `stick toolchain`: build or reuse the static toolchain. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "home.h"
#include "log.h"
#include "ocicache.h"
#include "toolchain.h"
#include "banned.h"

/* What `stick toolchain`'s options set. */
struct toolchain_args {
	struct toolchain_opts tc;
	struct fetch_opts fetch;
};

static const struct cmd_option toolchain_options[] = {
	CMD_TOOLCHAIN_OPTIONS(struct toolchain_args),
	CMD_COMMON_OPTIONS,
	{ 0 },
};

enum cmd_set cmd_set_jobs(const char *cmd, void *args,
			  const struct cmd_option *o, const char *arg)
{
	char *end;
	long jobs = strtol(arg, &end, 10);

	if (*end || end == arg || jobs < 1 || jobs > 256) {
		cmd_usage_error(cmd, "-j '%s' must be a number from 1 to 256",
				arg);
		return CMD_SET_USAGE;
	}
	*CMD_FIELD(args, o, int) = (int)jobs;
	return CMD_SET_OK;
}

enum cmd_set cmd_set_libc(const char *cmd, void *args,
			  const struct cmd_option *o, const char *arg)
{
	if (libc_parse(arg, CMD_FIELD(args, o, enum libc))) {
		cmd_usage_error(cmd, "--libc must be musl or glibc, not '%s'",
				arg);
		return CMD_SET_USAGE;
	}
	return CMD_SET_OK;
}

enum cmd_set cmd_set_target(const char *cmd, void *args,
			    const struct cmd_option *o, const char *arg)
{
	const struct target *t = target_find(arg);

	if (!t || !t->musl) {
		char *known = target_known();

		cmd_usage_error(cmd, "unknown --target '%s'; known targets: %s",
				arg, known);
		free(known);
		return CMD_SET_USAGE;
	}
	*CMD_FIELD(args, o, const struct target *) = t;
	return CMD_SET_OK;
}

void cmd_toolchain_unset(struct toolchain_opts *o, struct fetch_opts *f)
{
	*o = (struct toolchain_opts){
		.python = NULL,
		.libc = LIBC_UNSET,
		.target = NULL,
		.options = 0,
		.jobs = 0,
		.fetch = f,
	};
}

void cmd_toolchain_defaults(struct toolchain_opts *o, struct fetch_opts *f)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	if (!o->python)
		o->python = "3.13";
	if (o->libc == LIBC_UNSET)
		o->libc = LIBC_MUSL;
	if (!o->target)
		o->target = o->libc == LIBC_GLIBC ? target_glibc() :
			target_default();
	if (!o->jobs)
		o->jobs = cpus > 0 ? (int)cpus : 1;
	o->fetch = f;
}

int cmd_toolchain_ensure(struct toolchain_opts *o, struct fetch_opts *f,
			 char **dir)
{
	char *known = home_recipe_dir(o->python);

	if (!known || ocicache_setup()) {
		free(known);
		return -1;
	}
	if (o->libc == LIBC_GLIBC && o->target->musl) {
		free(known);
		return error("--libc glibc builds for %s only; --target %s is a "
			"musl target", target_glibc()->triple, o->target->triple);
	}
	free(known);
	f->cache_dir = home_sources_dir();
	return toolchain_ensure(o, dir);
}

int cmd_toolchain(int argc, char **argv)
{
	struct toolchain_args a = { .fetch = FETCH_OPTS_INIT };
	char *dir = NULL;
	enum cmd_parse r;
	int ret = 0;

	cmd_toolchain_unset(&a.tc, &a.fetch);
	r = cmd_options_parse(&toolchain_command, toolchain_options, &a, argc,
			      argv);
	if (r == CMD_PARSE_RUN && optind < argc)
		ret = cmd_usage_error(toolchain_command.name,
				      "unexpected argument '%s'", argv[optind]);
	else if (r == CMD_PARSE_RUN) {
		cmd_toolchain_defaults(&a.tc, &a.fetch);
		ret = cmd_toolchain_ensure(&a.tc, &a.fetch, &dir) ? 1 : 0;
		if (!ret && ocicache_push_wanted())
			ret = ocicache_push_used() ? 1 : 0;
		if (!ret)
			printf("%s\n", dir);
	}
	free(dir);
	fetch_opts_release(&a.fetch);
	return r == CMD_PARSE_USAGE ? 2 : ret;
}

const struct command toolchain_command = {
	.name = "toolchain",
	.run = cmd_toolchain,
	.summary = "build (or reuse) the static toolchain",
	.usage =
	"usage: stick toolchain [--python VER] [--libc musl|glibc] [--lto|--pgo]\n"
	"                       [--target TRIPLE]\n"
	"                       [-j N] [--sources DIR] [--mirror URL]...\n\n"
	"Builds zlib, xz, OpenSSL, libffi, SQLite, bzip2 and CPython as static\n"
	"libraries, with every stdlib extension module built in, and merges\n"
	"them into one lib/libstickpython.a. Prints the toolchain's directory,\n"
	"$STICK_HOME/toolchains/<key>, where key digests the recipes, patches,\n"
	"compiler, libc and target; an existing one is reused at once.\n"
	"--target aarch64-linux-musl cross-builds the same components for\n"
	"64-bit ARM with Debian's aarch64 gcc, CPython configured with the\n"
	"x86_64 toolchain's interpreter (built first if missing).\n",
};
