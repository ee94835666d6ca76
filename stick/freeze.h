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
int freeze_stdlib(const struct toolchain_info *tc, struct strvec *objects);

/* What an application executable is made of. */
struct app_spec {
	const char *script;      /* --script FILE (absolute), or NULL */
	const char *entry;       /* --entry MODULE:FUNCTION, or NULL */
	struct strvec paths;     /* --path DIRs (absolute) */
	bool allow_env;          /* --allow-env: honour PYTHON* variables */
	bool library;            /* a library: embed the API module too */
};

/*
 * Freezes the application into dir (a fresh work directory): its modules,
 * sources, package data and dist-info, the importer and the start-up
 * settings, and appends the object files to objects. A syntax error or a
 * missing entry is an error naming the file and line.
 */
int freeze_app(const struct toolchain_info *tc, const struct app_spec *app,
	       const char *dir, struct strvec *objects);

#endif
