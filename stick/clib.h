/*
 * C libraries built on demand for extensions: recipes of kind `library`
 * in thirdparty/ (libyaml), built with a toolchain's compiler into
 * $STICK_HOME/clibs/<toolchain key>/<name>-<version>-<digest>/ (include/,
 * lib/), a temporary directory renamed into place, so a later build finds
 * them ready. The digest covers the recipe's text and the toolchain key.
 */
#ifndef STICK_CLIB_H
#define STICK_CLIB_H

#include "fetch.h"
#include "toolchain.h"

/*
 * Builds (or finds) library recipe `name` with tc's compiler;
 * *prefix receives its install prefix. 0, or -1 after a message naming
 * the recipe and, for a failed step, its log and tail.
 */
int clib_ensure(const struct toolchain *tc, const char *name,
		const struct fetch_opts *f, char **prefix);

/* The names of every recipe of kind library in thirdparty/, sorted. */
int clib_list(struct strvec *names);

#endif
