/* Stage 9, link: embed/ + frozen objects + libstickpython.a -> OUT. */
#ifndef STICK_LINK_H
#define STICK_LINK_H

#include "toolchain.h"
#include "util.h"

/*
 * Compiles each embed/ source (a NULL-terminated list of file names) into
 * work/NAME.o with the toolchain's compiler, the extra flags (NULL, or a
 * NULL-terminated list) and -Werror, and appends the objects to objs.
 * 0, or -1 after a message naming log.
 */
int link_compile_embed(const struct toolchain *tc,
		       const char *const *sources, const char *const *flags,
		       const char *work, const char *log, struct strvec *objs);

/*
 * Compiles the embed/ sources (NULL-terminated file names) in work and
 * links them with objects and the toolchain's libstickpython.a into a
 * static executable at out. The file is written under a temporary name
 * and renamed, so out is never half-written.
 */
int link_executable(const struct toolchain *tc,
		    const struct strvec *objects, const char *const *sources,
		    const char *work, const char *out);

#endif
