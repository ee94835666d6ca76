#include "link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "embedcache.h"
#include "log.h"
#include "proc.h"
#include "banned.h"

static int compile_and_link(const struct toolchain *tc,
			    const struct strvec *objects,
			    const char *const *sources, const char *work,
			    const char *tmp_out)
{
	char *log = path_join(work, "link.log");
	char *lib = path_join(tc->dir, "lib/libstickpython.a");
	struct strvec ld = STRVEC_INIT;
	int ret;

	strvec_push(&ld, tc->cc);
	strvec_push(&ld, "-static");
	strvec_push(&ld, "-s");
	strvec_push(&ld, TOOLCHAIN_STACK_FLAG);
	strvec_push(&ld, LINK_GC_FLAG);
	ret = embedcache_objects(tc, sources, NULL, log, &ld);
	for (size_t i = 0; i < objects->n; i++)
		strvec_push(&ld, objects->v[i]);
	strvec_push(&ld, lib);
	strvec_push(&ld, "-o");
	strvec_push(&ld, tmp_out);
	if (!ret)
		ret = proc_run_logged(ld.v, NULL, log, "linking the executable");
	strvec_clear(&ld);
	free(log);
	free(lib);
	return ret;
}

int link_executable(const struct toolchain *tc,
		    const struct strvec *objects, const char *const *sources,
		    const char *work, const char *out)
{
	char *dir = path_dirname(out);
	struct tempfile t;
	struct step st;
	int ret;

	step_begin(&st, "link %s", out);
	ret = mkdir_p(work, 0755);
	if (!ret)
		ret = mkdir_p(dir, 0755);
	tempfile_init(&t, out);
	if (!ret)
		ret = compile_and_link(tc, objects, sources, work, t.path);
	if (!ret && chmod(t.path, 0755))
		ret = error("cannot make '%s' executable:", t.path);
	if (!ret)
		ret = tempfile_commit(&t);
	step_end(&st, ret == 0);
	tempfile_release(&t);
	free(dir);
	return ret;
}
