/*
 * Stage 8, freeze: the toolchain's stdlib compiled to code objects by the
 * toolchain's own interpreter (so marshal formats match), as one blob
 * linked in with .incbin plus a generated C table. Frozen once per
 * toolchain and cached under $STICK_HOME/stdlib/<key>.
 */
#ifndef STICK_FREEZE_H
#define STICK_FREEZE_H

#include <stdbool.h>

#include "toolchain.h"
#include "util.h"

/*
 * Appends the object files of the frozen stdlib to objects, freezing and
 * compiling it first when it is not cached. 0, or -1 after a message.
 */
int freeze_stdlib(const struct toolchain *tc, struct strvec *objects);

/* What an application executable is made of. */
struct app_spec {
	const char *script;      /* --script FILE (absolute), or NULL */
	const char *entry;       /* --entry MODULE:FUNCTION, or NULL */
	struct strvec paths;     /* --path DIRs (absolute) */
	bool allow_env;          /* --allow-env: honour PYTHON* variables */
	bool without_source;     /* --without-source: no app sources */
	bool stdlib_source;      /* --with-stdlib-source */
	const char *ca_bundle;   /* --ca-bundle FILE (absolute), or NULL */
	bool prune;              /* --prune: only what the app imports */
	struct strvec includes;  /* --include MODULE (with --prune) */
	struct strvec excludes;  /* --exclude MODULE (with --prune) */
	bool library;            /* a library: embed the API module too */
};

void app_spec_release(struct app_spec *app);

/*
 * Freezes the application into dir (a fresh work directory): its modules,
 * sources, package data and dist-info, the importer and the start-up
 * settings, and appends the object files to objects. With app->prune, the
 * stdlib modules the application reaches and an inittab of the built-in
 * modules they need are frozen there too (instead of freeze_stdlib()). A
 * syntax error or a missing entry is an error naming the file and line.
 */
int freeze_app(const struct toolchain *tc, const struct app_spec *app,
	       const char *dir, struct strvec *objects);

#endif
