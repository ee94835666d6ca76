#include "freeze.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digest.h"
#include "helper.h"
#include "home.h"
#include "log.h"
#include "ocicache.h"
#include "banned.h"

/*
 * The cache key: the toolchain and the helper's code that freezes the
 * stdlib and writes its result.
 */
static char *stdlib_key(const struct toolchain *tc, const char *package)
{
	static const char *const files[] = { "freeze.py", "helper.py" };
	struct strbuf sb = STRBUF_INIT;
	char hex[65];

	strbuf_addf(&sb, "stick-stdlib-2\n%s\n", path_basename(tc->dir));
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char *path = path_join(package, files[i]);
		size_t len;
		char *text = read_file(path, &len);

		if (text)
			strbuf_add(&sb, text, len);
		free(text);
		free(path);
	}
	digest_buffer(sb.buf, sb.len, hex);
	strbuf_release(&sb);
	return xasprintf("%s-%.16s", tc->pyver, hex);
}

/* Freezes and compiles into dir (a fresh temporary directory). */
static int build_stdlib(const struct toolchain *tc, const char *dir)
{
	char *stdlib = xasprintf("%s/python%s", tc->lib, tc->pyver);
	char *log = path_join(dir, "freeze.log");
	char *blob = path_join(dir, "blob.bin");
	struct kvfile req = KVFILE_INIT, result = KVFILE_INIT;
	struct strvec objects = STRVEC_INIT;
	int ret;

	kvfile_add(&req, "kind", "stdlib");
	kvfile_add(&req, "stdlib", stdlib);
	kvfile_add(&req, "work", dir);
	ret = helper_run(tc, &req, dir, log, "freezing the stdlib",
				 &result);
	if (!ret)
		ret = helper_compile(tc, &result, dir, log, &objects);
	/* The objects are all that is needed from now on. */
	if (!ret)
		unlink(blob);
	kvfile_release(&req);
	kvfile_release(&result);
	strvec_clear(&objects);
	free(stdlib);
	free(log);
	free(blob);
	return ret;
}

/* The objects and the module count of the stdlib cached in dir. */
static int cached_stdlib(const char *dir, struct strvec *objects,
			 long *modules)
{
	struct kvfile result = KVFILE_INIT;
	char *path = path_join(dir, "result");
	const char *count;
	int ret = kvfile_read(path, &result);

	count = ret ? NULL : kvfile_get(&result, "stdlib-modules");
	if (!ret && (!count || !helper_objects(&result, dir, objects)))
		ret = error("'%s' names no objects or module count; remove "
			    "'%s' to freeze the stdlib again", path, dir);
	if (!ret)
		*modules = strtol(count, NULL, 10);
	kvfile_release(&result);
	free(path);
	return ret;
}

/* A cachedir_make_fn: freezes the stdlib of the toolchain arg. */
static int make_stdlib(struct cachedir *cd, void *arg)
{
	const struct toolchain *tc = arg;
	struct step st;
	int ret;

	step_begin(&st, "freeze the Python %s stdlib", tc->pyver);
	ret = build_stdlib(tc, cd->tmp);
	if (!ret)
		ret = cachedir_commit(cd, NULL);
	step_end(&st, ret == 0);
	return ret;
}

int freeze_stdlib(const struct toolchain *tc, struct strvec *objects,
		  long *modules)
{
	char *package = path_join(home_data_dir(), "stick/stickpy");
	struct cachedir cd = CACHEDIR_INIT;
	char *key, *final;
	int ret = 0;

	key = stdlib_key(tc, package);
	final = xasprintf("%s/stdlib/%s", home_dir(), key);
	ocicache_pull(OCICACHE_STDLIB, final);
	/* The failure's message names the log in the directory: keep it. */
	if (cachedir_ensure(&cd, final, "freezing the stdlib", make_stdlib,
			    (void *)tc, CACHEDIR_KEEP_LOG) == CACHEDIR_ERROR)
		ret = -1;
	if (!ret)
		ret = cached_stdlib(final, objects, modules);
	free(package);
	free(key);
	free(final);
	return ret;
}

void app_spec_release(struct app_spec *app)
{
	strvec_clear(&app->paths);
	strvec_clear(&app->includes);
	strvec_clear(&app->excludes);
	strvec_clear(&app->sdists);
	strvec_clear(&app->skip_requirements);
	strvec_clear(&app->traces);
	free((char *)app->script);
	free((char *)app->ca_bundle);
	memset(app, 0, sizeof(*app));
}

int freeze_build(const struct toolchain *tc, const struct kvfile *req,
		 const char *step, const char *dir, struct strvec *objects,
		 struct kvfile *result)
{
	char *log = path_join(dir, "helper.log");
	struct step st;
	int ret;

	if (step)
		step_begin(&st, "%s", step);
	ret = helper_run(tc, req, dir, log, "freezing and describing the "
			 "build (stick/stickpy)", result);
	if (!ret)
		ret = helper_compile(tc, result, dir, log, objects);
	if (step)
		step_end(&st, ret == 0);
	for (size_t i = 0; !ret && i < result->n; i++) {
		if (!strcmp(result->v[i].key, "note"))
			log_info("%s", result->v[i].value);
	}
	free(log);
	return ret;
}
