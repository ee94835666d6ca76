/* Stage 4, patch: apply patches/<component>/<version>/NNNN-*.patch. */
#ifndef STICK_PATCH_H
#define STICK_PATCH_H

#include "util.h"

/* The .patch files of dir, sorted by name; 0, or -1 after a message. */
int patch_list(const char *dir, struct strvec *out);

/*
 * Applies every patch of patches_dir/component/version (none is fine) to
 * tree with `patch -p1`, in name order, logging to log_path. A patch that
 * does not apply cleanly is an error naming it and showing the log's tail.
 */
int patch_apply_all(const char *patches_dir, const char *component,
		    const char *version, const char *tree,
		    const char *log_path);

#endif
