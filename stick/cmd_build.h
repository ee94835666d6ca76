/*
 * `stick build`'s command line: its option table (cmd_build.c), parsed
 * and checked into struct build_args, which build_run.h runs.
 */
#ifndef STICK_CMD_BUILD_H
#define STICK_CMD_BUILD_H

#include <stdbool.h>

#include "cmd.h"
#include "extbuild.h"
#include "fetch.h"
#include "freeze.h"
#include "library.h"
#include "toolchain.h"

struct build_args {
	struct toolchain_opts tc;
	struct fetch_opts fetch;
	const char *out;     /* -o OUT */
	struct app_spec app;
	bool is_app;         /* an application: --entry, --script, ... */
	char *project;       /* PROJECT_DIR (absolute), or NULL */
	bool project_backend; /* its own PEP 517 backend builds it */
	bool python_given;   /* --python on the command line */
	bool is_lib;         /* --lib or --shared */
	enum library_kind lib;
	struct deps_opts deps;  /* the requirements to install */
	bool include_tests;  /* --include-tests: the stdlib's test packages */
};

/* Nothing given yet. */
void build_args_init(struct build_args *a);
void build_args_release(struct build_args *a);

/*
 * Parses `stick build`'s command line (argv[0] is "build") into a and
 * checks what the options add up to, filling the defaults: every usage
 * error is shown here. Starts getopt afresh (optind = 0).
 */
enum cmd_parse build_args_parse(struct build_args *a, int argc, char **argv);

/*
 * Adds the options that have a request key (the option table's
 * .request) to a `build` request, each under its option's name.
 */
void build_args_request(const struct build_args *a, struct kvfile *req);

#endif
