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

static int run(char **argv, const char *log, const char *what)
{
	struct proc_opts po = { NULL, NULL, log, false, NULL };
	int rc = proc_run(argv, &po);

	if (rc == 0)
		return 0;
	if (rc > 0) {
		error("%s failed (exit %d); log: %s", what, rc, log);
		proc_show_log_tail(log, 20);
	}
	return -1;
}

static int compile_and_link(const struct toolchain_info *tc,
			    const struct strvec *objects, const char *work,
			    const char *tmp_out)
{
	const char *data = home_data_dir();
	char *main_c = data ? path_join(data, "embed/main.c") : NULL;
	char *main_o = path_join(work, "main.o");
	char *log = path_join(work, "link.log");
	char *inc = xasprintf("-I%s/include/python%s", tc->dir, tc->pyver);
	char *lib = path_join(tc->dir, "lib/libstickpython.a");
	char *cc[] = { tc->cc, "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror",
		       inc, "-c", main_c, "-o", main_o, NULL };
	struct strvec ld = STRVEC_INIT;
	int ret = data ? 0 : -1;

	if (!ret)
		ret = run(cc, log, "compiling embed/main.c");
	strvec_push(&ld, tc->cc);
	strvec_push(&ld, "-static");
	strvec_push(&ld, "-s");
	/* musl's 128 KiB default thread stack is too small for CPython. */
	strvec_push(&ld, "-Wl,-z,stack-size=8388608");
	strvec_push(&ld, main_o);
	for (size_t i = 0; i < objects->n; i++)
		strvec_push(&ld, objects->v[i]);
	strvec_push(&ld, lib);
	strvec_push(&ld, "-o");
	strvec_push(&ld, tmp_out);
	if (!ret)
		ret = run(ld.v, log, "linking the executable");
	strvec_clear(&ld);
	free(main_c);
	free(main_o);
	free(log);
	free(inc);
	free(lib);
	return ret;
}

int link_executable(const struct toolchain_info *tc,
		    const struct strvec *objects, const char *out)
{
	char *work = xasprintf("%s/tmp/link.%ld", home_dir(), (long)getpid());
	char *dir = path_dirname(out);
	char *tmp_out = xasprintf("%s/.%s.tmp.%ld", dir, path_basename(out),
				  (long)getpid());
	struct step st;
	int ret;

	step_begin(&st, "link %s", out);
	ret = mkdir_p(work, 0755);
	if (!ret)
		ret = compile_and_link(tc, objects, work, tmp_out);
	if (!ret && chmod(tmp_out, 0755))
		ret = error("cannot make '%s' executable:", tmp_out);
	if (!ret && rename(tmp_out, out))
		ret = error("cannot rename '%s' to '%s':", tmp_out, out);
	step_end(&st, ret == 0);
	unlink(tmp_out);
	if (!ret)
		remove_tree(work);
	free(work);
	free(dir);
	free(tmp_out);
	return ret;
}
