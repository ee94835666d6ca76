#include "link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "home.h"
#include "log.h"
#include "proc.h"
#include "banned.h"

/* Compiles each embed/ source into work and appends the objects. */
int link_compile_embed(const struct toolchain *tc,
		       const char *const *sources, const char *const *flags,
		       const char *work, const char *log, struct strvec *objs)
{
	const char *data = home_data_dir();
	char *inc = xasprintf("-I%s/include/python%s", tc->dir, tc->pyver);
	char *embed = xasprintf("-I%s/embed", data);
	/* Where the checkout lives must not change the output's bytes. */
	char *map = xasprintf("-ffile-prefix-map=%s=stick", data);
	int ret = 0;

	for (size_t i = 0; !ret && sources[i]; i++) {
		struct strvec cc = STRVEC_INIT;
		char *obj = xasprintf("%s/%s.o", work, sources[i]);

		strvec_push(&cc, tc->cc);
		strvec_push(&cc, "-std=c11");
		strvec_push(&cc, "-O2");
		for (size_t j = 0; flags && flags[j]; j++)
			strvec_push(&cc, flags[j]);
		strvec_push(&cc, "-Wall");
		strvec_push(&cc, "-Wextra");
		strvec_push(&cc, "-Werror");
		strvec_push(&cc, map);
		strvec_push(&cc, inc);
		strvec_push(&cc, embed);
		strvec_push(&cc, "-c");
		strvec_pushf(&cc, "%s/embed/%s", data, sources[i]);
		strvec_push(&cc, "-o");
		strvec_push(&cc, obj);
		ret = proc_run_logged(cc.v, NULL, log, "compiling embed/");
		strvec_push(objs, obj);
		strvec_clear(&cc);
		free(obj);
	}
	free(inc);
	free(embed);
	free(map);
	return ret;
}

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
	ret = link_compile_embed(tc, sources, NULL, work, log, &ld);
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
