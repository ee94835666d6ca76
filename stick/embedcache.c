#include "embedcache.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "home.h"
#include "log.h"
#include "ocicache.h"
#include "proc.h"
#include "banned.h"

/* Changes when the way entries are made or laid out changes. */
#define EMBEDCACHE_FORMAT "stick embed objects 1"

/* The compiler command for data/embed/source into obj. */
static void compile_argv(const struct toolchain *tc, const char *data,
			 const char *source, const char *const *flags,
			 const char *obj, struct strvec *cc)
{
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
	strvec_pushf(cc, "-I%s", tc->include);
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

/*
 * The key's text with the toolchain's directory (in its compiler's and
 * include directory's paths) as TOOLCHAIN: the wrapper maps it out of
 * the objects, so toolchains of one key under other $STICK_HOMEs (a
 * shared cache's machines, stick/ocicache.h) share entries.
 */
static void key_without_home(struct strbuf *sb, const struct toolchain *tc)
{
	struct strbuf out = STRBUF_INIT;
	size_t n = strlen(tc->dir);
	const char *p = sb->buf, *at;

	while ((at = strstr(p, tc->dir))) {
		strbuf_add(&out, p, (size_t)(at - p));
		strbuf_addstr(&out, "TOOLCHAIN");
		p = at + n;
	}
	strbuf_addstr(&out, p);
	strbuf_release(sb);
	*sb = out;
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

		/*
		 * Not the data directory's path: -ffile-prefix-map keeps it
		 * out of the objects, so a moved or installed copy with
		 * the same embed/ shares the entry.
		 */
		compile_argv(tc, "DATADIR", sources[i], flags, "OBJECT", &cc);
		for (size_t j = 0; j < cc.n; j++)
			strbuf_addf(&sb, "%s%s", j ? " " : "cc ", cc.v[j]);
		strbuf_addstr(&sb, "\n");
		strvec_clear(&cc);
	}
	key_without_home(&sb, tc);
	if (!key_files(&sb, embed)) {
		digest_buffer(sb.buf, sb.len, hex);
		dir = xasprintf("%s/embed/%s/%.16s", home_dir(), tc->key, hex);
	}
	strbuf_release(&sb);
	free(embed);
	return dir;
}

/* What compiling one entry needs. */
struct entry {
	const struct toolchain *tc;
	const char *const *sources;
	const char *const *flags;
	const char *log;
};

/*
 * A cachedir_make_fn: compiles the sources into the entry's temporary
 * directory and publishes it.
 */
static int entry_make(struct cachedir *cd, void *arg)
{
	const struct entry *e = arg;
	int ret = 0;

	log_verbose("compiling embed/ into the cache %s", cd->final);
	for (size_t i = 0; !ret && e->sources[i]; i++) {
		struct strvec cc = STRVEC_INIT;
		char *obj = xasprintf("%s/%s.o", cd->tmp, e->sources[i]);

		compile_argv(e->tc, home_data_dir(), e->sources[i], e->flags,
			     obj, &cc);
		ret = proc_run_logged(cc.v, NULL, e->log, "compiling embed/");
		strvec_clear(&cc);
		free(obj);
	}
	return ret ? ret : cachedir_commit(cd, NULL);
}

int embedcache_objects(const struct toolchain *tc,
		       const char *const *sources, const char *const *flags,
		       const char *log, struct strvec *objs)
{
	struct cachedir cd = CACHEDIR_INIT;
	struct entry e = { .tc = tc, .sources = sources, .flags = flags,
			   .log = log };
	char *dir = entry_dir(tc, sources, flags);
	enum cachedir_state state = CACHEDIR_ERROR;
	int ret;

	if (dir)
		ocicache_pull(OCICACHE_EMBED, dir);
	/* The compiler's output went to log, outside the entry. */
	if (dir)
		state = cachedir_ensure(&cd, dir, "compiling embed/", entry_make,
					&e, CACHEDIR_REMOVE);
	if (state == CACHEDIR_READY)
		log_verbose("embed/ objects from the cache %s", dir);
	ret = state == CACHEDIR_ERROR ? -1 : 0;
	for (size_t i = 0; !ret && sources[i]; i++)
		strvec_pushf(objs, "%s/%s.o", dir, sources[i]);
	free(dir);
	return ret;
}

/*
 * One argument of a table's command in the key, with the object's name
 * and the data directory left out: the key holds embed/'s files by
 * content, and -ffile-prefix-map keeps the directory's path out of the
 * object.
 */
static void key_arg(struct strbuf *sb, const char *arg, const char *obj)
{
	const char *data = home_data_dir();
	const char *p = strstr(arg, data);

	if (!strcmp(arg, obj))
		strbuf_addstr(sb, " OBJECT");
	else if (p)
		strbuf_addf(sb, " %.*sDATADIR%s", (int)(p - arg), arg,
			    p + strlen(data));
	else
		strbuf_addf(sb, " %s", arg);
}

/* The cached object of a table: digests argv but obj, src's bytes, embed/. */
static char *table_path(const struct toolchain *tc, char *const argv[],
			const char *src_path, const char *obj)
{
	struct strbuf sb = STRBUF_INIT;
	char *embed = path_join(home_data_dir(), "embed");
	char *path = NULL;
	char hex[65];

	strbuf_addf(&sb, "%s table\ntoolchain %s\ncompiler %s\ncc",
		    EMBEDCACHE_FORMAT, tc->key, tc->compiler);
	for (size_t i = 0; argv[i]; i++)
		key_arg(&sb, argv[i], obj);
	strbuf_addstr(&sb, "\n");
	key_without_home(&sb, tc);
	if (!digest_file(src_path, hex) && !key_files(&sb, embed)) {
		strbuf_addf(&sb, "source %s\n", hex);
		digest_buffer(sb.buf, sb.len, hex);
		path = xasprintf("%s/embed/%s/tables/%.16s.o", home_dir(),
				 tc->key, hex);
	}
	strbuf_release(&sb);
	free(embed);
	return path;
}

/* A hard link where the file system allows one, else a copy. */
static int link_or_copy(const char *from, const char *to)
{
	unlink(to);
	return link(from, to) ? copy_file(from, to) : 0;
}

/* Keeps a copy of the object just compiled at cached. */
static int table_store(const char *obj_path, const char *cached)
{
	char *dir = path_dirname(cached);
	struct tempfile t;
	int ret = mkdir_p(dir, 0755);

	tempfile_init(&t, cached);
	if (!ret)
		ret = copy_file(obj_path, t.path);
	if (!ret)
		ret = tempfile_commit(&t);
	tempfile_release(&t);
	free(dir);
	return ret;
}

int embedcache_compile_table(const struct toolchain *tc, char *const argv[],
			     const char *cwd, const char *src,
			     const char *obj, const char *log)
{
	char *src_path = path_join(cwd, src);
	char *obj_path = path_join(cwd, obj);
	char *cached = table_path(tc, argv, src_path, obj);
	int ret = cached ? 0 : -1;

	if (!ret && !path_exists(cached))
		ocicache_pull(OCICACHE_TABLE, cached);
	if (!ret && path_exists(cached)) {
		log_verbose("%s from the cache %s", src, cached);
		ret = link_or_copy(cached, obj_path);
	} else if (!ret) {
		ret = proc_run_logged(argv, cwd, log,
				      "compiling a generated table");
		if (!ret)
			ret = table_store(obj_path, cached);
		if (!ret)
			log_verbose("%s compiled into the cache %s", src, cached);
	}
	free(src_path);
	free(obj_path);
	free(cached);
	return ret;
}
