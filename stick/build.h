/*
 * Stages 5 and 6, deps and python: run each component's recipe steps in
 * its source tree, independent components concurrently.
 */
#ifndef STICK_BUILD_H
#define STICK_BUILD_H

#include "fetch.h"
#include "recipe.h"

struct build_ctx {
	const char *work;        /* the build directory; logs and trees in it */
	const char *prefix;      /* where dependencies install (@PREFIX@) */
	const char *install;     /* DESTDIR for the interpreter (@INSTALL@) */
	const char *pyprefix;    /* the interpreter's --prefix (@PYPREFIX@) */
	const char *cc;          /* the C compiler (@CC@) */
	const char *cxx;         /* library recipes: the C++ compiler (@CXX@) */
	const char *sysroot;     /* library recipes, musl: its sysroot (@SYSROOT@) */
	const char *libcxx;      /* C++ library recipes: libc++ (@LIBCXX@) */
	const char *bindir;      /* put first on PATH (compiler wrapper) */
	const char *arch;        /* the target's machine, "aarch64" (@ARCH@) */
	const char *triple;      /* the target, "aarch64-linux-musl" (@TRIPLE@) */
	const char *cross;       /* a cross build's configure arguments
				    (@CROSS@), NULL for a native build */
	const char *cross_python; /* its CPython's (@CROSS_PYTHON@), or NULL */
	const char *patches_dir; /* patches/ */
	int jobs;                /* -j: make jobs and concurrent components */
	const struct fetch_opts *fetch;
	const char *const *env;  /* more VAR=VALUE for every step, or NULL */
};

struct build_times {
	double *seconds;         /* per component, in set order */
	char **sources;          /* the source file each one was built from */
	double total;
};

/*
 * Fetches, extracts and patches every component of set under work/src,
 * then runs their steps, starting a component once everything it depends
 * on is built. On failure: the component, step, log and the log's tail.
 */
int build_components(const struct build_ctx *b, const struct recipe_set *set,
		     struct build_times *times);

#endif
