/*
 * The toolchain (stages 5-7): every dependency and CPython built statically,
 * merged into lib/libstickpython.a, cached under
 * $STICK_HOME/toolchains/<key>, where key digests everything that can
 * change its bytes.
 */
#ifndef STICK_TOOLCHAIN_H
#define STICK_TOOLCHAIN_H

#include "fetch.h"

struct toolchain_opts {
	const char *python;  /* "3.13" */
	const char *libc;    /* "musl" or "glibc" */
	int jobs;
	const struct fetch_opts *fetch;
};

/* The compiler wrapper of a musl toolchain, in its bin/ directory. */
#define TOOLCHAIN_CC_WRAPPER "x86_64-linux-musl-gcc"

/* What later stages need to know about a built toolchain. */
struct toolchain_info {
	char *dir;     /* the toolchain directory */
	char *pyver;   /* "3.13" */
	char *python;  /* dir/bin/python3.13 */
	char *cc;      /* the C compiler the toolchain was built with */
};

/* Fills info from a toolchain directory and its Python version. */
void toolchain_info_init(struct toolchain_info *info, const char *dir,
			 const char *pyver);
void toolchain_info_release(struct toolchain_info *info);

/*
 * Builds the toolchain, or finds it already built; *dir is its directory
 * (caller frees). 0, or -1 after a message.
 */
int toolchain_ensure(const struct toolchain_opts *o, char **dir);

#endif
