#include "embedcache.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "home.h"
#include "log.h"
#include "proc.h"
#include "banned.h"

/* Changes when the way entries are made or laid out changes. */
#define EMBEDCACHE_FORMAT "stick embed objects 1"

/* The compiler command for embed/source into obj. */
static void compile_argv(const struct toolchain *tc, const char *source,
			 const char *const *flags, const char *obj,
			 struct strvec *cc)
{
	const char *data = home_data_dir();

	strvec_push(cc, tc->cc);
	strvec_push(cc, "-std=c11");
	strvec_push(cc, "-O2");
	for (size_t j = 0; flags && flags[j]; j++)
		strvec_push(cc, flags[j]);
	strvec_push(cc, "-Wall");
	strvec_push(cc, "-Wextra");
	strvec_push(cc, "-Werror");
	/* Where the checkout lives must not change the output's bytes. */
	strvec_pushf(cc, "-ffile-prefix-map=%s=stick", data);
	strvec_pushf(cc, "-I%s/include/python%s", tc->dir, tc->pyver);
	strvec_pushf(cc, "-I%s/embed", data);
	strvec_push(cc, "-c");
	strvec_pushf(cc, "%s/embed/%s", data, source);
	strvec_push(cc, "-o");
	strvec_push(cc, obj);
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Adds every regular file of dir, in name order, to the key's text:
 * besides the sources, the headers they include and anything else there.
 */
static int key_files(struct strbuf *sb, const char *dir)
{
	DIR *d = opendir(dir);
	struct strvec names = STRVEC_INIT;
	struct dirent *de;
	int ret = 0;

	if (!d)
		return error("cannot read '%s'; reinstall stick:", dir);
	while ((de = readdir(d)))
		if (de->d_name[0] != '.')
			strvec_push(&names, de->d_name);
	closedir(d);
	if (names.n)
		qsort(names.v, names.n, sizeof(*names.v), cmp_name);
	for (size_t i = 0; !ret && i < names.n; i++) {
		char *path = path_join(dir, names.v[i]);
		char hex[65];

		if (!path_is_dir(path) && !(ret = digest_file(path, hex)))
			strbuf_addf(sb, "file %s %s\n", names.v[i], hex);
		free(path);
	}
	strvec_clear(&names);
	return ret;
}

/* $STICK_HOME/embed/<toolchain key>/<digest> (caller frees), or NULL. */
static char *entry_dir(const struct toolchain *tc,
		       const char *const *sources, const char *const *flags)
{
	struct strbuf sb = STRBUF_INIT;
	char *embed = path_join(home_data_dir(), "embed");
	char *dir = NULL;
	char hex[65];

	strbuf_addf(&sb, "%s\ntoolchain %s\ncompiler %s\n", EMBEDCACHE_FORMAT,
		    tc->key, tc->compiler);
	for (size_t i = 0; sources[i]; i++) {
		struct strvec cc = STRVEC_INIT;

		compile_argv(tc, sources[i], flags, "OBJECT", &cc);
		for (size_t j = 0; j < cc.n; j++)
			strbuf_addf(&sb, "%s%s", j ? " " : "cc ", cc.v[j]);
		strbuf_addstr(&sb, "\n");
		strvec_clear(&cc);
	}
	if (!key_files(&sb, embed)) {
		digest_buffer(sb.buf, sb.len, hex);
		dir = xasprintf("%s/embed/%s/%.16s", home_dir(), tc->key, hex);
	}
	strbuf_release(&sb);
	free(embed);
	return dir;
}

/* True when dir holds an object for each source. */
static bool entry_complete(const char *dir, const char *const *sources)
{
	bool ok = path_is_dir(dir);

	for (size_t i = 0; ok && sources[i]; i++) {
		char *obj = xasprintf("%s/%s.o", dir, sources[i]);

		ok = path_exists(obj);
		free(obj);
	}
	return ok;
}

/* Compiles the sources into a temporary directory renamed to dir. */
static int entry_make(const struct toolchain *tc, const char *dir,
		      const char *const *sources, const char *const *flags,
		      const char *log)
{
	struct tempfile t;
	int ret;

	log_verbose("compiling embed/ into the cache %s", dir);
	tempfile_init(&t, dir);
	ret = mkdir_p(t.path, 0755);
	for (size_t i = 0; !ret && sources[i]; i++) {
		struct strvec cc = STRVEC_INIT;
		char *obj = xasprintf("%s/%s.o", t.path, sources[i]);

		compile_argv(tc, sources[i], flags, obj, &cc);
		ret = proc_run_logged(cc.v, NULL, log, "compiling embed/");
		strvec_clear(&cc);
		free(obj);
	}
	if (!ret)
		ret = tempfile_commit(&t);
	tempfile_release(&t);
	return ret;
}

int embedcache_objects(const struct toolchain *tc,
		       const char *const *sources, const char *const *flags,
		       const char *log, struct strvec *objs)
{
	char *dir = entry_dir(tc, sources, flags);
	char *lock = dir ? xasprintf("%s.lock", dir) : NULL;
	int fd = lock ? lock_take(lock, "compiling embed/") : -1;
	int ret = fd < 0 ? -1 : 0;

	if (!ret && entry_complete(dir, sources))
		log_verbose("embed/ objects from the cache %s", dir);
	else if (!ret)
		ret = entry_make(tc, dir, sources, flags, log);
	if (fd >= 0)
		close(fd);
	for (size_t i = 0; !ret && sources[i]; i++)
		strvec_pushf(objs, "%s/%s.o", dir, sources[i]);
	free(lock);
	free(dir);
	return ret;
}
