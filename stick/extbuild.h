/*
 * Stage 7b, extensions: third-party packages with C extension modules
 * (--sdist, [tool.stick] sdists) built from source by their own PEP 517
 * backend through stick's compiler wrapper (ccwrap.h), by the helper's
 * `extensions` request (scripts/stickpy/extensions.py). Before it runs:
 * the pinned build tools (recipes of kind tool) are verified in the source
 * cache and the C libraries of kind library are built for the toolchain
 * (clib.h). Builds are cached under $STICK_HOME/extensions/.
 */
#ifndef STICK_EXTBUILD_H
#define STICK_EXTBUILD_H

#include "fetch.h"
#include "kvfile.h"
#include "toolchain.h"
#include "util.h"

/*
 * Builds sdists (absolute paths: archives or source trees) for tc in dir
 * (a fresh directory). Appends to sites the site directories the build
 * request must list before the application's paths, and to objects what
 * the link needs: the compiled extension table, one object per extension
 * and the stick-built archives they use. result receives the helper's
 * result (package lines, for the description). 0, or -1 after a message
 * naming the package, the extension, the log and its tail.
 */
int extbuild_run(const struct toolchain *tc, const struct strvec *sdists,
		 const struct strvec *skip, const struct fetch_opts *f,
		 const char *dir, struct strvec *sites, struct strvec *objects,
		 struct kvfile *result);

#endif
