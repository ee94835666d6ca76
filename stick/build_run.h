/*
 * `stick build` once its command line is parsed: the toolchain, the
 * `build` request for the helper, the link; one output, or one per
 * script of a project.
 */
#ifndef STICK_BUILD_RUN_H
#define STICK_BUILD_RUN_H

#include "cmd_build.h"

/* 0, or -1 after a message; a project's outputs are printed. */
int build_run(struct build_args *a);

#endif
