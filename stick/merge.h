/* Stage 7, merge: one libstickpython.a and the toolchain's manifest. */
#ifndef STICK_MERGE_H
#define STICK_MERGE_H

#include "recipe.h"
#include "util.h"

/*
 * ar -M: every archive in libs, in order, into out, each member's header
 * made deterministic (time, owner 0, mode 644); log to log_path.
 */
int merge_archives(const char *out, const struct strvec *libs,
		   const char *log_path);
/*
 * The member headers of the ar archive of len bytes at ar (its file's
 * contents) made deterministic in place; it stops at the first member
 * whose header is not ar's own or that does not fit.
 */
void merge_normalize_headers(char *ar, size_t len);

struct manifest {
	const char *key;
	const char *python_version;
	const char *libc;
	const char *target;      /* "aarch64-linux-musl" */
	const char *compiler;   /* the compiler's first --version line */
	const char *optimization; /* "default", "lto" or "pgo+lto" */
	const struct recipe_set *set;
	const char *const *sources; /* the file fetched per component */
	const double *seconds;  /* build time per component */
	double total_seconds;
	const struct strvec *modules; /* sys.builtin_module_names */
	const char *patches_dir;
};

/*
 * Writes manifest.json (atomically): what the toolchain is, nothing of
 * how its build went, so that two builds of it write the same bytes.
 */
int merge_write_manifest(const char *path, const struct manifest *m);
/*
 * Writes the build's times (total and per component) to path, which is
 * build-logs/times.json: the record of one build, not part of the
 * toolchain's contents.
 */
int merge_write_times(const char *path, const struct manifest *m);
/*
 * A top-level string field of a manifest.json that merge_write_manifest
 * wrote ("key", "python", "libc", "target", "compiler",
 * "optimization"), decoded; NULL when absent.
 * Not a JSON parser: it reads back the layout written above, nothing else.
 */
char *merge_manifest_field(const char *text, const char *name);

#endif
