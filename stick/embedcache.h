/*
 * The embed/ objects of stage 9, compiled once per toolchain: every
 * output links the same main.c or app.c, startup.c, stickmodule.c and
 * malloc.c (api.c for libraries), so they are compiled into
 * $STICK_HOME/embed/<toolchain key>/<digest>/ and reused. The digest
 * covers the toolchain key, the compiler command lines and the content of
 * every file in embed/, so an edited embed/ file or other flags compile a
 * new entry.
 */
#ifndef STICK_EMBEDCACHE_H
#define STICK_EMBEDCACHE_H

#include "toolchain.h"
#include "util.h"

/*
 * Appends to objs the cached objects of the embed/ sources (a
 * NULL-terminated list of file names, each compiled to NAME.o) compiled
 * with the toolchain's compiler, the extra flags (NULL, or a
 * NULL-terminated list) and -Werror, compiling them first, under a lock
 * and into a temporary directory renamed into place, when the cache lacks
 * them. 0, or -1 after a message naming log.
 */
int embedcache_objects(const struct toolchain *tc,
		       const char *const *sources, const char *const *flags,
		       const char *log, struct strvec *objs);

/*
 * Runs argv, a compiler command that compiles the generated table src into
 * obj (both relative to cwd; a table includes embed/stick.h), through the
 * cache: an object made before by the same toolchain and command from the
 * same bytes of src and embed/ is linked (or copied) to obj instead, and
 * a new one is added to $STICK_HOME/embed/<toolchain key>/tables/ under a
 * temporary name renamed into place. A warm build of an unchanged
 * application compiles nothing. 0, or -1 after a message naming log.
 */
int embedcache_compile_table(const struct toolchain *tc, char *const argv[],
			     const char *cwd, const char *src,
			     const char *obj, const char *log);

#endif
