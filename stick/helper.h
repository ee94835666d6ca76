/*
 * stick's Python helper (stick/stickpy), run by the toolchain's own
 * interpreter: one request file in, one result file out (kvfile.h), one
 * process per output. The request's `kind` is stdlib, project or build;
 * stick/README.md ("The helper's request and result") lists the keys.
 */
#ifndef STICK_HELPER_H
#define STICK_HELPER_H

#include "kvfile.h"
#include "toolchain.h"
#include "util.h"

/*
 * Writes req to dir/request, runs the helper on it with its output in log
 * and reads dir/result into result. what names the step in a failure
 * message. 0, or -1 after a message naming the log.
 */
int helper_run(const struct toolchain *tc, const struct kvfile *req,
	       const char *dir, const char *log, const char *what,
	       struct kvfile *result);

/*
 * Compiles each `compile FILE.c` and assembles each `assemble FILE.S` of
 * result (paths relative to dir) with the toolchain's compiler and appends
 * the objects to objects, in the result's order (the link order), with
 * each `object PATH` and `archive PATH` (absolute: extension objects and
 * the libraries they need); each `drop-object PATH` is taken out of
 * objects again (extensions --prune leaves out). 0, or -1 after a message.
 */
int helper_compile(const struct toolchain *tc, const struct kvfile *result,
		   const char *dir, const char *log, struct strvec *objects);

/*
 * Appends the objects result's sources are compiled to (in dir), as
 * helper_compile() does; returns how many.
 */
size_t helper_objects(const struct kvfile *result, const char *dir,
		      struct strvec *objects);

#endif
