/*
 * Stage 7b, extensions: third-party packages with C extension modules
 * (--sdist, [tool.stick] sdists) built from source by their own PEP 517
 * backend through stick's compiler wrapper (ccwrap.h), by the helper's
 * `extensions` request (stick/stickpy/extensions.py). Before it runs:
 * the pinned build tools (recipes of kind tool) are fetched, verified and
 * extracted (tool.h); the C libraries of kind library are only named:
 * stick cc-wrap builds one for the toolchain when a package first needs
 * it (clib.h, ccwrap.h); the request hands the helper these facts and the
 * toolchain's (compiler, interpreter, headers, libraries), so it derives
 * none of them. Builds are cached under $STICK_HOME/extensions/.
 */
#ifndef STICK_EXTBUILD_H
#define STICK_EXTBUILD_H

#include <stdbool.h>

#include "fetch.h"
#include "kvfile.h"
#include "toolchain.h"
#include "util.h"

/*
 * The requirements to install (issue 12): a project's dependencies, each
 * option as pip spells it. The helper resolves them with the pinned pip
 * (stick/stickpy/deps.py), locks them in PROJECT_DIR/pylock.toml,
 * unpacks the pure wheels into a site and builds the sdists like --sdist.
 */
struct deps_opts {
	const char *project;            /* PROJECT_DIR, or NULL */
	bool project_deps;              /* it declares dependencies */
	struct strvec requirements;     /* --with REQ */
	struct strvec extras;           /* --extra NAME */
	const char *index_url;          /* --index-url URL, or NULL */
	struct strvec extra_index_urls; /* --extra-index-url URL */
	struct strvec find_links;       /* --find-links DIR|URL */
	bool no_index;                  /* --no-index */
	bool upgrade;                   /* --upgrade: resolve, rewrite the lock */
};

void deps_opts_release(struct deps_opts *d);

/* Whether d asks for anything to be installed. */
bool deps_opts_any(const struct deps_opts *d);

/*
 * Builds sdists (absolute paths: archives or source trees) and installs
 * what deps asks for, for tc in dir (a fresh directory). Appends to sites
 * the site directories the build request must list before the
 * application's paths, and to objects what the link needs: the compiled
 * extension table, one object per extension and the stick-built archives
 * they use. result receives the helper's result (package and dist lines,
 * for the description; its note lines, one per distribution downloaded
 * or built, are shown). 0, or -1 after a message naming the package, the
 * extension, the log and its tail.
 */
int extbuild_run(const struct toolchain *tc, const struct strvec *sdists,
		 const struct strvec *skip, const struct deps_opts *deps,
		 const struct fetch_opts *f, const char *dir,
		 struct strvec *sites, struct strvec *objects,
		 struct kvfile *result);

#endif
