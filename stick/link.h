/* Stage 9, link: embed/ + frozen objects + libstickpython.a -> OUT. */
#ifndef STICK_LINK_H
#define STICK_LINK_H

#include "toolchain.h"
#include "util.h"

/*
 * Every output link drops the sections nothing reaches: the toolchain is
 * compiled with a section per function and per object (toolchain.c), so
 * an application keeps only the functions of CPython, its modules and
 * libraries that it can call.
 */
#define LINK_GC_FLAG "-Wl,--gc-sections"

/*
 * Links the embed/ objects of sources (NULL-terminated file names,
 * compiled once per toolchain: embedcache.h), objects and the
 * toolchain's libstickpython.a into a static executable at out, working
 * in work. The file is written under a temporary name
 * and renamed, so out is never half-written.
 */
int link_executable(const struct toolchain *tc,
		    const struct strvec *objects, const char *const *sources,
		    const char *work, const char *out);

#endif
