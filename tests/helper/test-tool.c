/*
 * test-tool: what only the tests call, kept out of the stick binary
 * (git's t/helper/test-tool). It links the driver's objects and runs one
 * of its subcommands:
 *
 *   test-tool clib --toolchain DIR [--sources DIR] [NAME...]
 *       builds (or finds) the C library recipes NAME (default: every
 *       recipe of kind library) for the toolchain in DIR, as an
 *       extension build would, and prints "NAME PREFIX" for each.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clib.h"
#include "cmd.h"
#include "home.h"
#include "toolchain.h"
#include "banned.h"

static int ensure_all(const struct toolchain *tc, struct strvec *names,
		      const struct fetch_opts *f)
{
	int ret = 0;

	for (size_t i = 0; !ret && i < names->n; i++) {
		char *prefix;

		ret = clib_ensure(tc, names->v[i], f, &prefix);
		if (!ret) {
			printf("%s %s\n", names->v[i], prefix);
			free(prefix);
		}
	}
	return ret;
}

static int cmd_clib(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "toolchain", required_argument, NULL, 't' },
		{ "sources", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct fetch_opts f = FETCH_OPTS_INIT;
	struct strvec names = STRVEC_INIT;
	struct toolchain tc;
	const char *dir = NULL;
	int opt, ret;

	f.cache_dir = home_sources_dir();
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 't')
			dir = optarg;
		else if (opt == 's')
			f.sources_dir = optarg;
		else
			return 2;
	}
	if (!dir)
		return cmd_usage_error(NULL, "test-tool clib: --toolchain DIR "
				       "is required");
	for (int i = optind; i < argc; i++)
		strvec_push(&names, argv[i]);
	ret = toolchain_open(&tc, dir);
	if (!ret && optind == argc)
		ret = clib_list(&names);
	if (!ret)
		ret = ensure_all(&tc, &names, &f);
	toolchain_release(&tc);
	strvec_clear(&names);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	/* The checkout's recipes, unless the test points elsewhere. */
	setenv("STICK_DATADIR", TOP_DIR, 0);
	if (argc >= 2 && !strcmp(argv[1], "clib"))
		return cmd_clib(argc - 1, argv + 1);
	fprintf(stderr, "usage: test-tool clib --toolchain DIR [--sources DIR] "
		"[NAME...]\n");
	return 2;
}
