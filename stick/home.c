#include "home.h"

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "util.h"
#include "banned.h"

#ifndef STICK_SHARE_DIR
#define STICK_SHARE_DIR "/usr/local/share/stick"
#endif

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

static char *exe_checkout_dir(void)
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

const char *home_data_dir(void)
{
	static char *dir;
	const char *env = getenv("STICK_DATADIR");
	char *top;

	if (dir)
		return dir;
	if (env && *env) {
		if (has_recipes(env))
			return dir = xstrdup(env);
		error("STICK_DATADIR '%s' has no thirdparty/ directory", env);
		return NULL;
	}
	top = exe_checkout_dir();
	if (top && has_recipes(top))
		return dir = top;
	free(top);
	if (has_recipes(STICK_SHARE_DIR))
		return dir = xstrdup(STICK_SHARE_DIR);
	error("cannot find stick's recipes (thirdparty/) next to the binary "
		"or in %s; set STICK_DATADIR to the stick checkout",
		STICK_SHARE_DIR);
	return NULL;
}
