/*
 * Stage 8, freeze: the toolchain's stdlib and the application compiled to
 * code objects by the toolchain's own interpreter (so marshal formats
 * match), through the helper (helper.h), as blobs linked in with .incbin
 * plus generated C tables. The whole stdlib is frozen once per toolchain
 * and cached under $STICK_HOME/stdlib/<key>, with its result file.
 */
#ifndef STICK_FREEZE_H
#define STICK_FREEZE_H

#include <stdbool.h>

#include "kvfile.h"
#include "toolchain.h"
#include "util.h"

/*
 * Appends the object files of the frozen stdlib to objects and sets
 * *modules to its module count, freezing and compiling it first (a
 * `stdlib` request) when it is not cached. 0, or -1 after a message.
 */
int freeze_stdlib(const struct toolchain *tc, struct strvec *objects,
		  long *modules);

/*
 * What an application executable is made of: the fields of `stick
 * build`'s options (cmd_build.c's table names their request keys).
 */
struct app_spec {
	const char *script;      /* --script FILE (absolute), or NULL */
	const char *entry;       /* --entry MODULE:FUNCTION, or NULL */
	struct strvec paths;     /* --path DIRs (absolute) */
	bool allow_env;          /* --allow-env: honour PYTHON* variables */
	bool without_source;     /* --without-source: no app sources */
	bool stdlib_source;      /* --with-stdlib-source */
	const char *ca_bundle;   /* --ca-bundle FILE (absolute), or NULL */
	const char *sys_executable; /* --sys-executable python|app, or NULL */
	bool tzdata;             /* --tzdata: the IANA time zone database */
	bool prune;              /* --prune: only what the app imports */
	struct strvec includes;  /* --include MODULE (with --prune) */
	struct strvec excludes;  /* --exclude MODULE (with --prune) */
	struct strvec sdists;    /* --sdist PATHs (absolute): built, linked in */
	struct strvec skip_requirements; /* --skip-requirement NAMEs */
	struct strvec traces;    /* --prune-trace ARGS: run it with these */
};

void app_spec_release(struct app_spec *app);

/*
 * Runs the helper on the `build` request req in dir (a fresh work
 * directory), showing step (or nothing when NULL): it freezes the
 * application (with prune, the stdlib modules it reaches and an inittab
 * of the built-in modules they need too) and describes the build. Then
 * compiles the sources it generated and appends their objects to objects.
 * result is the helper's result (describe.h reads it). A syntax error or
 * a missing entry is an error naming the file and line.
 */
int freeze_build(const struct toolchain *tc, const struct kvfile *req,
		 const char *step, const char *dir, struct strvec *objects,
		 struct kvfile *result);

#endif
