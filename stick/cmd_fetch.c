/*
 * `stick fetch` and `stick unpack`: stages 1-4 from the command line;
 * `stick unpack --archive` is stage 3 alone, for stickpy's sdists.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "extract.h"
#include "fetch.h"
#include "home.h"
#include "log.h"
#include "recipe.h"
#include "source.h"
#include "toolchain.h"
#include "banned.h"

#define DEFAULT_PYTHON "3.13"

struct source_args {
	const char *python;
	struct fetch_opts fetch;
	const char *archive;  /* unpack --archive FILE, or NULL */
	int recipe_options;  /* --python, --sources, --mirror or --retries given */
};

enum { OPT_ARCHIVE = 256, OPT_MIRROR, OPT_PYTHON, OPT_RETRIES, OPT_SOURCES };

static const struct option source_longopts[] = {
	{ "archive", required_argument, NULL, OPT_ARCHIVE },
	{ "help", no_argument, NULL, 'h' },
	{ "mirror", required_argument, NULL, OPT_MIRROR },
	{ "python", required_argument, NULL, OPT_PYTHON },
	{ "quiet", no_argument, NULL, 'q' },
	{ "retries", required_argument, NULL, OPT_RETRIES },
	{ "sources", required_argument, NULL, OPT_SOURCES },
	{ "verbose", no_argument, NULL, 'v' },
	{ NULL, 0, NULL, 0 },
};

static void add_env_mirrors(struct fetch_opts *f)
{
	const char *env = getenv("STICK_MIRROR");
	char *copy, *p, *save = NULL;

	if (!env)
		return;
	copy = xstrdup(env);
	for (p = strtok_r(copy, " \t\n", &save); p;
	     p = strtok_r(NULL, " \t\n", &save))
		strvec_push(&f->mirrors, p);
	free(copy);
}

/* Returns -1 to continue, or the exit code. */
static int parse_source_args(int argc, char **argv, const struct command *c,
			     struct source_args *a)
{
	int opt;

	a->python = DEFAULT_PYTHON;
	while ((opt = getopt_long(argc, argv, "hqv", source_longopts, NULL)) != -1) {
		switch (cmd_common_option(opt)) {
		case CMD_COMMON_HELP:
			fputs(c->usage, stdout);
			return 0;
		case CMD_COMMON_TAKEN:
			continue;
		case CMD_COMMON_NOT_MINE:
			break;
		}
		a->recipe_options |= opt > OPT_ARCHIVE;
		switch (opt) {
		case OPT_ARCHIVE:
			if (c != &unpack_command)
				return cmd_usage_error(c->name, "bad option");
			a->archive = optarg;
			break;
		case OPT_MIRROR:
			if (!starts_with(optarg, "http://") &&
			    !starts_with(optarg, "https://"))
				return cmd_usage_error(c->name, "--mirror '%s' "
					"must be an http:// or https:// URL", optarg);
			strvec_push(&a->fetch.mirrors, optarg);
			break;
		case OPT_PYTHON:
			a->python = optarg;
			break;
		case OPT_RETRIES: {
			char *end;
			long n = strtol(optarg, &end, 10);

			if (*end || end == optarg || n < 0 || n > 20)
				return cmd_usage_error(c->name, "--retries '%s' "
					"must be a number from 0 to 20", optarg);
			a->fetch.retries = (int)n;
			break;
		}
		case OPT_SOURCES:
			if (!path_is_dir(optarg))
				return cmd_usage_error(c->name, "--sources '%s' "
					"is not a directory", optarg);
			a->fetch.sources_dir = optarg;
			break;
		default:
			return cmd_usage_error(c->name, "bad option");
		}
	}
	add_env_mirrors(&a->fetch);
	a->fetch.cache_dir = home_sources_dir();
	return -1;
}

static int get_sources(const struct recipe_set *set, const struct fetch_opts *f)
{
	int failed = 0;

	for (size_t i = 0; i < set->n; i++) {
		char *path = NULL;

		if (fetch_recipe(&set->items[i], f, &path)) {
			failed++;
			continue;
		}
		printf("%s\n", path);
		free(path);
	}
	if (failed)
		return error("%d of %zu source files could not be fetched",
			failed, set->n);
	return 0;
}

static int load_components(const char *dir, const char *python, int n,
			   char **names, struct recipe_set *set)
{
	int ret;

	if (n == 0)
		return toolchain_recipes(dir, python, LIBC_MUSL, 0, set);
	memset(set, 0, sizeof(*set));
	for (int i = 0; i < n; i++) {
		struct recipe r;
		/* "python" means the recipe of the selected version. */
		char *path = !strcmp(names[i], "python") ?
			xasprintf("%s/python-%s", dir, python) :
			path_join(dir, names[i]);

		ret = recipe_load(path, &r);
		free(path);
		if (ret) {
			recipe_release(&r);
			recipe_set_release(set);
			return -1;
		}
		set->items = xrealloc(set->items, (set->n + 1) * sizeof(r));
		set->items[set->n++] = r;
	}
	return 0;
}

int cmd_fetch(int argc, char **argv)
{
	struct source_args a = { .python = NULL, .fetch = FETCH_OPTS_INIT };
	struct recipe_set set;
	char *dir;
	int ret = parse_source_args(argc, argv, &fetch_command, &a);

	if (ret >= 0)
		goto out;
	ret = 1;
	dir = home_recipe_dir(argc > optind ? NULL : a.python);
	if (dir && !load_components(dir, a.python, argc - optind,
				    argv + optind, &set)) {
		ret = get_sources(&set, &a.fetch) ? 1 : 0;
		recipe_set_release(&set);
	}
	free(dir);
out:
	fetch_opts_release(&a.fetch);
	return ret;
}

static int unpack_one(const struct recipe *r, const struct fetch_opts *f,
		      const char *dest)
{
	char *patches = path_join(home_data_dir(), "patches");
	char *log = xasprintf("%s.patch.log", dest);
	int ret = source_prepare(r, f, patches, dest, log, NULL);

	/* A failure keeps the log its message names; success leaves no litter. */
	if (ret)
		remove_tree(dest);
	else
		unlink(log);
	free(patches);
	free(log);
	return ret;
}

/* 0 when dest is free to unpack into, else -1 after a message. */
static int check_new_dir(const char *dest)
{
	if (path_exists(dest))
		return error("'%s' already exists; unpack needs a new directory",
			dest);
	return 0;
}

/* `stick unpack --archive FILE DIR`: extraction alone, no recipe. */
static int unpack_archive(const char *archive, int argc, char **argv)
{
	if (argc - optind != 1)
		return cmd_usage_error("unpack", "expected DIR after --archive FILE");
	if (check_new_dir(argv[optind]) || extract_archive(archive, argv[optind]))
		return 1;
	printf("%s\n", argv[optind]);
	return 0;
}

int cmd_unpack(int argc, char **argv)
{
	struct source_args a = { .python = NULL, .fetch = FETCH_OPTS_INIT };
	struct recipe_set set;
	char *dir = NULL;
	int ret = parse_source_args(argc, argv, &unpack_command, &a);

	if (ret >= 0)
		goto out;
	if (a.archive && a.recipe_options) {
		ret = cmd_usage_error("unpack", "--archive takes no --python, "
			"--sources, --mirror or --retries");
		goto out;
	}
	if (a.archive) {
		ret = unpack_archive(a.archive, argc, argv);
		goto out;
	}
	if (argc - optind != 2) {
		ret = cmd_usage_error("unpack", "expected COMPONENT and DIR");
		goto out;
	}
	ret = 1;
	if (check_new_dir(argv[optind + 1]))
		goto out;
	dir = home_recipe_dir(NULL);
	if (dir && !load_components(dir, a.python, 1, argv + optind, &set)) {
		ret = unpack_one(&set.items[0], &a.fetch, argv[optind + 1]) ? 1 : 0;
		if (!ret)
			printf("%s\n", argv[optind + 1]);
		recipe_set_release(&set);
	}
out:
	free(dir);
	fetch_opts_release(&a.fetch);
	return ret;
}

const struct command fetch_command = {
	.name = "fetch",
	.run = cmd_fetch,
	.summary = "download and verify the source files of a toolchain",
	.usage =
	"usage: stick fetch [--python VER] [--sources DIR] [--mirror URL]... "
	"[COMPONENT...]\n\n"
	"Makes every source file of a toolchain (CPython and its libraries)\n"
	"present and verified in the source cache, $STICK_HOME/sources\n"
	"(default ~/.cache/stick/sources), and prints their paths. With\n"
	"COMPONENT names, fetches only those recipes from thirdparty/\n"
	"('python' is the recipe of the --python version).\n"
	"A file already in --sources DIR or the cache with the pinned sha256\n"
	"is used without touching the network; otherwise it is downloaded from\n"
	"each mirror (URL/FILE) and then the recipe's own URLs.\n\n"
	"options:\n"
	"  --python VER     Python version: 3.13 (default) or 3.11\n"
	"  --sources DIR    take source files from DIR when present there\n"
	"  --mirror URL     try URL/FILE first (repeatable; $STICK_MIRROR adds\n"
	"                   space-separated URLs)\n"
	"  --retries N      attempts after a transient failure, per URL (default 3)\n"
	"  -q, --quiet      print only errors\n"
	"  -v, --verbose    say what is tried\n"
	"  -h, --help       show this help\n",
};

const struct command unpack_command = {
	.name = "unpack",
	.run = cmd_unpack,
	.summary = "fetch, extract and patch one component's source",
	.usage =
	"usage: stick unpack [--python VER] [--sources DIR] [--mirror URL]... "
	"COMPONENT DIR\n"
	"   or: stick unpack --archive FILE DIR\n\n"
	"Fetches COMPONENT's source file as 'stick fetch' does, extracts it\n"
	"into DIR (which must not exist) and applies the patches in\n"
	"patches/COMPONENT/VERSION/ in order. With --archive, extracts FILE\n"
	"(a tar.gz, tar.xz, tar.bz2 or zip) into DIR and does nothing else.\n"
	"An archive whose entries all sit in one top-level directory has that\n"
	"directory's contents in DIR. Entries that would land outside DIR\n"
	"(absolute paths, '..', links pointing out) and devices are refused.\n\n"
	"options:\n"
	"  --archive FILE   extract FILE instead of a component's source\n"
	"  --python VER     the version COMPONENT 'python' means (default 3.13)\n"
	"  --sources DIR    take source files from DIR when present there\n"
	"  --mirror URL     try URL/FILE first (repeatable)\n"
	"  --retries N      attempts after a transient failure, per URL (default 3)\n"
	"  -q, --quiet      print only errors\n"
	"  -v, --verbose    say what is tried\n"
	"  -h, --help       show this help\n",
};
