#include "scrub.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"
#include "proc.h"
#include "toolchain.h"
#include "util.h"
#include "banned.h"

/* Compiles the sources of the .pyc files a rewrite made stale. */
static const char compile_pyc[] =
	"import py_compile, sys\n"
	"a = sys.argv[1:]\n"
	"for i in range(0, len(a), 4):\n"
	"    py_compile.compile(a[i], a[i + 1], a[i + 2], doraise=True,\n"
	"        optimize=int(a[i + 3]),\n"
	"        invalidation_mode=py_compile.PycInvalidationMode.CHECKED_HASH)\n";

struct scrub_state {
	const struct scrub *s;
	struct strvec pyc;  /* source, pyc, recorded name, level: by fours */
};

/* Replaces every occurrence of from in text (len bytes) with to. */
static char *replace_all(const char *text, size_t len, const char *from,
			 const char *to, size_t *out_len)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n = strlen(from);
	const char *p = text, *end = text + len, *at;

	while ((at = memmem(p, (size_t)(end - p), from, n))) {
		strbuf_add(&sb, p, (size_t)(at - p));
		strbuf_addstr(&sb, to);
		p = at + n;
	}
	strbuf_add(&sb, p, (size_t)(end - p));
	*out_len = sb.len;
	return strbuf_detach(&sb);
}

static int rewrite_text(const struct scrub *s, const char *path,
			const char *text, size_t len, mode_t mode)
{
	size_t n;
	char *clean = replace_all(text, len, s->build_dir,
		TOOLCHAIN_MAPPED_ROOT, &n);
	int ret = write_file_atomic(path, clean, n);

	if (!ret && chmod(path, mode & 07777))
		ret = error("cannot restore the mode of '%s':", path);
	if (!ret)
		log_verbose("'%s' named the build directory; now it names %s",
			path, TOOLCHAIN_MAPPED_ROOT);
	free(clean);
	return ret;
}

/*
 * dir/__pycache__/NAME.cpython-3X[.opt-N].pyc: queue its source for a new
 * compile, under the name CPython's install gave it (pyprefix/...).
 */
static int queue_pyc(struct scrub_state *st, const char *path)
{
	const char *base = path_basename(path), *dot = strchr(base, '.');
	char *cache = path_dirname(path), *dir = path_dirname(cache);
	char *name = xstrndup(base, dot ? (size_t)(dot - base) : strlen(base));
	char *src = xasprintf("%s/%s.py", dir, name);
	const char *opt = strstr(base, ".opt-");
	int ret = 0;

	if (!ends_with(cache, "/__pycache__") || !path_exists(src)) {
		ret = error("'%s' names the build directory '%s' and has no "
			"source beside it to compile again", path,
			st->s->build_dir);
	} else {
		strvec_push(&st->pyc, src);
		strvec_push(&st->pyc, path);
		strvec_pushf(&st->pyc, "%s%s", st->s->pyprefix,
			src + strlen(st->s->tree));
		strvec_push(&st->pyc, opt ? (char[2]){ opt[5], 0 } : "0");
	}
	free(cache); free(dir); free(name); free(src);
	return ret;
}

static int scrub_file(struct scrub_state *st, const char *path, mode_t mode)
{
	size_t len;
	char *text = read_file(path, &len);
	int ret = 0;

	if (!text)
		return error("cannot read '%s':", path);
	if (!memmem(text, len, st->s->build_dir, strlen(st->s->build_dir)))
		;
	else if (ends_with(path, ".pyc"))
		ret = queue_pyc(st, path);
	else if (memchr(text, 0, len))
		ret = error("'%s' names the build directory '%s'; a component "
			"records a path it was given (its --prefix, __FILE__ "
			"outside -ffile-prefix-map?): fix its recipe", path,
			st->s->build_dir);
	else
		ret = rewrite_text(st->s, path, text, len, mode);
	free(text);
	return ret;
}

static int scrub_tree(struct scrub_state *st, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int ret = 0;

	if (!d)
		return error("cannot read directory '%s':", dir);
	while (!ret && (de = readdir(d))) {
		char *path;
		struct stat sb;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		path = path_join(dir, de->d_name);
		if (lstat(path, &sb))
			ret = error("cannot stat '%s':", path);
		else if (S_ISDIR(sb.st_mode))
			ret = scrub_tree(st, path);
		else if (S_ISREG(sb.st_mode))
			ret = scrub_file(st, path, sb.st_mode);
		free(path);
	}
	closedir(d);
	return ret;
}

static int compile_queued(struct scrub_state *st)
{
	struct strvec argv = STRVEC_INIT;
	int ret;

	strvec_push(&argv, st->s->python);
	strvec_push(&argv, "-I");
	strvec_push(&argv, "-S");
	strvec_push(&argv, "-c");
	strvec_push(&argv, compile_pyc);
	for (size_t i = 0; i < st->pyc.n; i++)
		strvec_push(&argv, st->pyc.v[i]);
	ret = proc_run_logged(argv.v, NULL, st->s->log,
		"compiling the rewritten sysconfig data");
	strvec_clear(&argv);
	return ret;
}

int scrub_build_dir(const struct scrub *s)
{
	struct scrub_state st = { s, STRVEC_INIT };
	int ret = scrub_tree(&st, s->tree);

	if (!ret && st.pyc.n)
		ret = compile_queued(&st);
	strvec_clear(&st.pyc);
	return ret;
}
