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

/*
 * The directory of the real ld.lld (Debian's /usr/lib/llvm-14/bin), or
 * NULL. A cross gcc's -fuse-ld=lld looks for TARGET-ld.lld on PATH, and
 * for ld.lld only in its own program directories: -B names this one,
 * which holds no assembler or GNU ld that could stand in for the
 * cross tools.
 */
static char *linker_dir(void)
{
	char *path = path_find_program(LINK_LINKER);
	char *real = path ? realpath(path, NULL) : NULL;
	char *dir = real ? path_dirname(real) : NULL;

	free(path);
	free(real);
	return dir;
}

int link_check_linker(void)
{
	char *path = path_find_program(LINK_LINKER);

	if (path) {
		free(path);
		return 0;
	}
	return error("cannot find the linker '%s' on PATH; install lld "
		     "(scripts/setup does)", LINK_LINKER);
}

char *link_linker_version(const char *work)
{
	char *argv[] = { LINK_LINKER, "--version", NULL };
	char *tmp = path_join(work, "linker-version.txt");
	char *text = NULL, *nl;

	if (link_check_linker()) {
		free(tmp);
		return NULL;
	}
	if (mkdir_p(work, 0755) == 0)
		text = proc_capture(argv, NULL, tmp);
	free(tmp);
	if (!text) {
		error("cannot read the version of '%s'; reinstall lld "
		      "(scripts/setup does)", LINK_LINKER);
		return NULL;
	}
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	return text;
}

const char *link_unwind_flag(const struct strvec *objects)
{
	for (size_t i = 0; i < objects->n; i++) {
		const char *base = path_basename(objects->v[i]);

		if (!strcmp(base, "libunwind.a") || !strcmp(base, "libstdc++.a"))
			return LINK_EH_FRAME_HDR_FLAG;
	}
	return NULL;
}

/*
 * Whether the output serves its embedded files at C level: a musl
 * executable with an embedded table (stickmodule.c). glibc's static
 * functions have other names (open64, stat64, readdir64) and call each
 * other internally by names --wrap does not see, so glibc executables
 * serve them through the importer only, as libraries do.
 */
static bool serves_files(const struct toolchain *tc,
			 const char *const *sources)
{
	for (size_t i = 0; tc->libc == LIBC_MUSL && sources[i]; i++)
		if (!strcmp(sources[i], "stickmodule.c"))
			return true;
	return false;
}

/* sources, plus embed/vfs.c and vfs_wrap.c when the output serves files. */
static void link_sources(const struct toolchain *tc,
			 const char *const *sources, struct strvec *out,
			 struct strvec *ld)
{
	static const char *const wrapped[] = { LINK_VFS_WRAPPED };
	bool vfs = serves_files(tc, sources);

	for (size_t i = 0; sources[i]; i++)
		strvec_push(out, sources[i]);
	if (!vfs)
		return;
	strvec_push(out, "vfs.c");
	strvec_push(out, "vfs_wrap.c");
	for (size_t i = 0; i < ARRAY_SIZE(wrapped); i++) {
		char *flag = xasprintf("-Wl,--wrap=%s", wrapped[i]);

		strvec_push(ld, flag);
		free(flag);
	}
}

static int compile_and_link(const struct toolchain *tc,
			    const struct strvec *objects,
			    const char *const *sources, const char *work,
			    const char *tmp_out)
{
	char *log = path_join(work, "link.log");
	char *lib = path_join(tc->lib, "libstickpython.a");
	static const char *const linker[] = { LINK_LINKER_FLAGS };
	const char *unwind = link_unwind_flag(objects);
	struct strvec ld = STRVEC_INIT, srcs = STRVEC_INIT;
	int ret;

	strvec_push(&ld, tc->cc);
	strvec_push(&ld, "-static");
	strvec_push(&ld, "-s");
	for (size_t i = 0; i < ARRAY_SIZE(linker); i++)
		strvec_push(&ld, linker[i]);
	if (target_is_cross(tc->target)) {
		char *dir = linker_dir();

		if (dir)
			strvec_pushf(&ld, "-B%s/", dir);
		free(dir);
	}
	strvec_push(&ld, TOOLCHAIN_STACK_FLAG);
	strvec_push(&ld, LINK_GC_FLAG);
	if (unwind)
		strvec_push(&ld, unwind);
	link_sources(tc, sources, &srcs, &ld);
	ret = embedcache_objects(tc, (const char *const *)srcs.v, NULL, log,
				 &ld);
	strvec_clear(&srcs);
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
	ret = link_check_linker();
	if (!ret)
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
