/*
 * Stages 1-4 in one call: a component's source tree, fetched, verified,
 * extracted and patched, for `stick unpack` and the toolchain build.
 */
#ifndef STICK_SOURCE_H
#define STICK_SOURCE_H

#include "fetch.h"
#include "recipe.h"

/*
 * Fetches r's source file (see fetch_recipe), extracts it into dest
 * (which must not exist) and applies patches_dir/NAME/VERSION/ in order,
 * logging patch output to log. *archive (when not NULL) is the file
 * used; caller frees. 0, or -1 after a message.
 */
int source_prepare(const struct recipe *r, const struct fetch_opts *f,
		   const char *patches_dir, const char *dest, const char *log,
		   char **archive);

#endif
