/* Stage 9, link: embed/ + frozen objects + libstickpython.a -> OUT. */
#ifndef STICK_LINK_H
#define STICK_LINK_H

#include "freeze.h"
#include "util.h"

/*
 * Compiles the embed/ sources (NULL-terminated file names) in work and
 * links them with objects and the toolchain's libstickpython.a into a
 * static executable at out. The file is written under a temporary name
 * and renamed, so out is never half-written.
 */
int link_executable(const struct toolchain_info *tc,
		    const struct strvec *objects, const char *const *sources,
		    const char *work, const char *out);

#endif
