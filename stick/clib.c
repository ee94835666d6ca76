#include "clib.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build.h"
#include "digest.h"
#include "home.h"
#include "log.h"
#include "recipe.h"
#include "banned.h"

/* The toolchain's C compiler: its musl wrapper, or the host's gcc. */
static char *toolchain_cc(const char *tc_dir)
{
	char *bin = path_join(tc_dir, "bin");
	DIR *d = opendir(bin);
	struct dirent *de;
	char *cc = NULL;

	while (d && !cc && (de = readdir(d))) {
		if (ends_with(de->d_name, "-gcc"))
			cc = path_join(bin, de->d_name);
	}
	if (d)
		closedir(d);
	free(bin);
	return cc ? cc : xstrdup("gcc");
}

static char *clib_final(const char *tc_dir, const struct recipe *r)
{
	char *text = read_file(r->path, NULL);
	char *seed = xasprintf("stick-clib-1\n%s\n%s", path_basename(tc_dir),
			       text ? text : "");
	char hex[65];
	char *final;

	digest_buffer(seed, strlen(seed), hex);
	final = xasprintf("%s/clibs/%s/%s-%s-%.16s", home_dir(),
			  path_basename(tc_dir), r->name, r->version, hex);
	free(text);
	free(seed);
	return final;
}

static int build_into(const char *tc_dir, struct recipe_set *set,
		      const struct fetch_opts *f, const char *tmp)
{
	const char *data = home_data_dir();
	char *work = path_join(tmp, "work");
	char *prefix = path_join(tmp, "prefix");
	char *patches = data ? path_join(data, "patches") : NULL;
	char *cc = toolchain_cc(tc_dir);
	struct build_ctx b = { work, prefix, prefix, prefix, cc, NULL, patches,
			       2, f, NULL };
	int ret = data ? mkdir_p(prefix, 0755) : -1;

	if (!ret)
		ret = build_components(&b, set, NULL);
	free(work);
	free(prefix);
	free(patches);
	free(cc);
	return ret;
}

static int load_library(const char *name, struct recipe_set *set)
{
	const char *data = home_data_dir();
	char *dir = data ? path_join(data, "thirdparty") : NULL;
	int ret = dir ? recipe_set_load(dir, name, set) : -1;

	free(dir);
	if (!ret && set->items[set->n - 1].kind != RECIPE_LIBRARY) {
		recipe_set_release(set);
		return error("recipe '%s' is not of kind library", name);
	}
	return ret;
}

int clib_ensure(const char *tc_dir, const char *name,
		const struct fetch_opts *f, char **prefix)
{
	struct cachedir cd = CACHEDIR_INIT;
	struct recipe_set set;
	char *final, *what, *built;
	struct step st;
	int ret = 0;

	if (load_library(name, &set))
		return -1;
	final = clib_final(tc_dir, &set.items[set.n - 1]);
	what = xasprintf("building C library %s", name);
	switch (cachedir_begin(&cd, final, what)) {
	case CACHEDIR_ERROR:
		ret = -1;
		break;
	case CACHEDIR_READY:
		break;
	case CACHEDIR_MAKE:
		step_begin(&st, "build C library %s %s", name,
			   set.items[set.n - 1].version);
		built = path_join(cd.tmp, "prefix");
		ret = build_into(tc_dir, &set, f, cd.tmp);
		if (!ret)
			ret = cachedir_commit(&cd, built);
		step_end(&st, ret == 0);
		/* The failure's message names the log in the directory. */
		if (ret)
			cachedir_abort(&cd, CACHEDIR_KEEP_LOG);
		free(built);
		break;
	}
	cachedir_release(&cd);
	*prefix = ret ? NULL : final;
	if (ret)
		free(final);
	free(what);
	recipe_set_release(&set);
	return ret;
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int clib_list(struct strvec *names)
{
	const char *data = home_data_dir();
	char *dir = data ? path_join(data, "thirdparty") : NULL;
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *de;

	if (!d) {
		free(dir);
		return error("cannot list the recipes in thirdparty/:");
	}
	while ((de = readdir(d))) {
		char *path = path_join(dir, de->d_name);
		struct recipe r;

		memset(&r, 0, sizeof(r));
		if (de->d_name[0] != '.' && !ends_with(de->d_name, ".md") &&
		    !path_is_dir(path) && !recipe_load(path, &r) &&
		    r.kind == RECIPE_LIBRARY)
			strvec_push(names, de->d_name);
		recipe_release(&r);
		free(path);
	}
	closedir(d);
	free(dir);
	qsort(names->v, names->n, sizeof(*names->v), compare_names);
	return 0;
}

static int ensure_all(const char *tc_dir, struct strvec *names,
		      const struct fetch_opts *f)
{
	int ret = 0;

	for (size_t i = 0; !ret && i < names->n; i++) {
		char *prefix;

		ret = clib_ensure(tc_dir, names->v[i], f, &prefix);
		if (!ret)
			printf("%s %s\n", names->v[i], prefix);
		if (!ret)
			free(prefix);
	}
	return ret;
}

int cmd_clib(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "toolchain", required_argument, NULL, 't' },
		{ "sources", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct fetch_opts f = FETCH_OPTS_INIT;
	struct strvec names = STRVEC_INIT;
	const char *tc = NULL;
	int opt, ret;

	f.cache_dir = home_sources_dir();
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (opt == 't')
			tc = optarg;
		else if (opt == 's')
			f.sources_dir = optarg;
		else
			return 2;
	}
	if (!tc)
		return cmd_usage_error("clib", "--toolchain DIR is required");
	for (int i = optind; i < argc; i++)
		strvec_push(&names, argv[i]);
	ret = optind < argc ? 0 : clib_list(&names);
	if (!ret)
		ret = ensure_all(tc, &names, &f);
	strvec_clear(&names);
	return ret ? 1 : 0;
}

const struct command clib_command = {
	"clib", cmd_clib, NULL,
	"usage: stick clib --toolchain DIR [--sources DIR] [NAME...]\n\n"
	"Internal: builds (or finds) the C libraries of kind library in\n"
	"thirdparty/ (all, or the NAMEs) with DIR's compiler and prints\n"
	"\"NAME PREFIX\" for each.\n",
};
