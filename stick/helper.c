#include "helper.h"

#include <stdlib.h>
#include <string.h>

#include "embedcache.h"
#include "home.h"
#include "proc.h"
#include "banned.h"

extern char **environ;

/*
 * A cross toolchain's interpreter is the build machine's, inside the
 * target's tree: sysconfig (and so pip, the build backends and stick's
 * own import analysis) reads the target's data and platform tag, as
 * CPython's own cross build has its build interpreter do. NULL: stick's
 * own environment.
 */
static char **helper_env(const struct toolchain *tc, struct strvec *env)
{
	if (!target_is_cross(tc->target))
		return NULL;
	for (char **e = environ; *e; e++) {
		if (strncmp(*e, "_PYTHON_", 8))
			strvec_push(env, *e);
	}
	strvec_pushf(env, "_PYTHON_SYSCONFIGDATA_NAME=_sysconfigdata__linux_%s",
		     tc->target->triple);
	strvec_pushf(env, "_PYTHON_HOST_PLATFORM=linux-%s", tc->target->arch);
	return env->v;
}

int helper_run(const struct toolchain *tc, const struct kvfile *req,
	       const char *dir, const char *log, const char *what,
	       struct kvfile *result)
{
	char *request = path_join(dir, "request");
	char *out = path_join(dir, "result");
	char *package = path_join(home_data_dir(), "stick/stickpy");
	char *argv[] = { tc->python, "-I", "-S", package, request, out, NULL };
	struct strvec env = STRVEC_INIT;
	char **envp = helper_env(tc, &env);
	int ret = kvfile_write(req, request);

	if (!ret)
		ret = proc_run_logged_env(argv, envp, log, what);
	strvec_clear(&env);
	if (!ret)
		ret = kvfile_read(out, result);
	free(request);
	free(out);
	free(package);
	return ret;
}

/* FILE.o beside FILE.c or FILE.S (caller frees). */
static char *object_of(const char *source)
{
	const char *dot = strrchr(source, '.');
	size_t n = dot ? (size_t)(dot - source) : strlen(source);

	return xasprintf("%.*s.o", (int)n, source);
}

/*
 * Compiles a generated table with the toolchain's and embed/'s headers,
 * or assembles a blob's .S (which links it in with .incbin: a fraction of
 * a second where a C initializer of the same bytes takes far longer to
 * compile); a table's object comes from the cache when the same table
 * was compiled before (embedcache.h). Runs in the source's directory:
 * the .S names its blob by a relative path, and the object keeps only the
 * file's base name.
 */
static int compile_one(const struct toolchain *tc, const char *cwd,
		       const char *src, bool table, const char *log)
{
	const char *data = home_data_dir();
	char *inc = xasprintf("-I%s", tc->include);
	char *embed = xasprintf("-I%s/embed", data);
	/* As for embed/ (embedcache.c): the checkout's path is no input. */
	char *map = xasprintf("-ffile-prefix-map=%s=stick", data);
	char *obj = object_of(src);
	char *cc[] = { tc->cc, "-O2", "-fPIC", map, inc, embed, "-c",
		       (char *)src, "-o", obj, NULL };
	/*
	 * The blobs' .S hold plain assembler (GNU as reads their C comment):
	 * -x assembler skips the preprocessor run, the same object sooner.
	 */
	char *as[] = { tc->cc, "-x", "assembler", "-c", (char *)src, "-o",
		       obj, NULL };
	int ret = table ?
		embedcache_compile_table(tc, cc, cwd, src, obj, log) :
		proc_run_logged(as, cwd, log, "assembling an embedded blob");

	free(inc);
	free(embed);
	free(map);
	free(obj);
	return ret;
}

int helper_compile(const struct toolchain *tc, const struct kvfile *result,
		   const char *dir, const char *log, struct strvec *objects)
{
	int ret = 0;

	helper_objects(result, dir, objects);
	for (size_t i = 0; !ret && i < result->n; i++) {
		const struct kv *kv = &result->v[i];
		bool table = !strcmp(kv->key, "compile");
		char *path, *cwd;

		if (!table && strcmp(kv->key, "assemble"))
			continue;
		path = path_join(dir, kv->value);
		cwd = path_dirname(path);
		ret = compile_one(tc, cwd, path_basename(path), table, log);
		free(path);
		free(cwd);
	}
	return ret;
}

/* Takes each `drop-object PATH` of result out of objects. */
static void drop_objects(const struct kvfile *result, struct strvec *objects)
{
	struct strvec kept = STRVEC_INIT;

	for (size_t i = 0; i < objects->n; i++) {
		bool drop = false;

		for (size_t j = 0; j < result->n && !drop; j++)
			drop = !strcmp(result->v[j].key, "drop-object") &&
				!strcmp(result->v[j].value, objects->v[i]);
		if (!drop)
			strvec_push(&kept, objects->v[i]);
	}
	strvec_clear(objects);
	*objects = kept;
}

size_t helper_objects(const struct kvfile *result, const char *dir,
		      struct strvec *objects)
{
	size_t before = objects->n, added;

	for (size_t i = 0; i < result->n; i++) {
		const struct kv *kv = &result->v[i];

		if (!strcmp(kv->key, "compile") || !strcmp(kv->key, "assemble")) {
			char *obj = object_of(kv->value);

			strvec_pushf(objects, "%s/%s", dir, obj);
			free(obj);
		} else if (!strcmp(kv->key, "object") ||
			   !strcmp(kv->key, "archive")) {
			/* built elsewhere (extensions): absolute paths */
			strvec_push(objects, kv->value);
		}
	}
	added = objects->n - before;
	if (kvfile_has(result, "drop-object"))
		drop_objects(result, objects);
	return added;
}
