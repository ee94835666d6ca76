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

/*
 * Builds the toolchain, or finds it already built; *dir is its directory
 * (caller frees). 0, or -1 after a message.
 */
int toolchain_ensure(const struct toolchain_opts *o, char **dir);

#endif
