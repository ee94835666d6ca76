#include "home.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "banned.h"

const char *home_dir(void)
{
	static char *dir;
	const char *env;

	if (dir)
		return dir;
	if ((env = getenv("STICK_HOME")) && *env)
		dir = xstrdup(env);
	else if ((env = getenv("XDG_CACHE_HOME")) && *env)
		dir = path_join(env, "stick");
	else if ((env = getenv("HOME")) && *env)
		dir = xasprintf("%s/.cache/stick", env);
	else
		die("cannot find a cache directory: set STICK_HOME or HOME");
	return dir;
}

const char *home_sources_dir(void)
{
	static char *dir;

	if (!dir)
		dir = path_join(home_dir(), "sources");
	return dir;
}

static bool has_recipes(const char *dir)
{
	char *p = path_join(dir, "thirdparty");
	bool ok = path_is_dir(p);

	free(p);
	return ok;
}

/* The directory above the one the running binary is in. */
static char *exe_top_dir(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *bin, *top;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	bin = path_dirname(exe);
	top = path_dirname(bin);
	free(bin);
	return top;
}

/*
 * A checkout's bin/stick has thirdparty/ beside bin/; `make install` puts
 * it in PREFIX/share/stick beside PREFIX/bin. Both are found from where
 * the binary really is, so an installed tree can be moved as a whole.
 */
static char *find_data_dir(void)
{
	const char *env = getenv("STICK_DATADIR");
	char *top, *share;

	if (env && *env) {
		if (has_recipes(env))
			return xstrdup(env);
		die("STICK_DATADIR '%s' has no thirdparty/ directory; "
			"point it at a stick checkout or PREFIX/share/stick", env);
	}
	top = exe_top_dir();
	if (!top)
		die("cannot find stick's recipes: /proc/self/exe is unreadable; "
			"set STICK_DATADIR to a stick checkout");
	if (has_recipes(top))
		return top;
	share = path_join(top, "share/stick");
	free(top);
	if (has_recipes(share))
		return share;
	die("cannot find stick's recipes (thirdparty/) next to the binary or "
		"in '%s'; reinstall with `make install` or set STICK_DATADIR to "
		"a stick checkout", share);
}

const char *home_data_dir(void)
{
	static char *dir;

	if (!dir)
		dir = find_data_dir();
	return dir;
}

static void list_pythons(const char *dir, struct strbuf *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct strvec names = STRVEC_INIT;

	while (d && (de = readdir(d))) {
		if (starts_with(de->d_name, "python-"))
			strvec_push(&names, de->d_name + strlen("python-"));
	}
	if (d)
		closedir(d);
	qsort(names.v, names.n, sizeof(*names.v), (int (*)(const void *,
		const void *))strcmp);
	for (size_t i = 0; i < names.n; i++)
		strbuf_addf(out, "%s%s", i ? ", " : "", names.v[i]);
	strvec_clear(&names);
}

char *home_recipe_dir(const char *python)
{
	char *dir = path_join(home_data_dir(), "thirdparty");
	char *file, *path;
	struct strbuf known = STRBUF_INIT;

	if (!python)
		return dir;
	file = xasprintf("python-%s", python);
	path = path_join(dir, file);
	if (!path_exists(path)) {
		list_pythons(dir, &known);
		error("unknown Python version '%s' (no recipe '%s'); "
			"supported: %s", python, path, known.buf ? known.buf : "none");
		strbuf_release(&known);
		free(dir);
		dir = NULL;
	}
	free(file);
	free(path);
	return dir;
}
