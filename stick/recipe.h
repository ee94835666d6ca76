/*
 * Recipes: one file per component in thirdparty/, plain "key value" lines.
 * The format is documented in thirdparty/README.md.
 */
#ifndef STICK_RECIPE_H
#define STICK_RECIPE_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

/* One acceptable source artifact of a component. */
struct recipe_source {
	char *file;             /* plain file name, the cache key */
	char sha256[65];        /* lowercase hex */
	struct strvec urls;     /* upstream download locations, in order */
	char *debian_package;   /* Debian source package, or NULL */
	char *debian_version;   /* its version, e.g. 1:1.3.dfsg+really1.3.1-1 */
	struct strvec prepare;  /* command lines run in the tree after extraction */
	int line;               /* where it was declared */
};

/* What a recipe is for (thirdparty/README.md, key `kind`). */
enum recipe_kind {
	RECIPE_TOOLCHAIN,       /* built into a toolchain (the default) */
	RECIPE_TOOL,            /* a pure-Python build tool: unpacked, never built */
	RECIPE_LIBRARY,         /* a C library built on demand for extensions */
	RECIPE_DATA,            /* data an option embeds (tzdata): unpacked only */
	RECIPE_SYSROOT,         /* the libc a musl toolchain is built against */
};

struct recipe {
	char *path;             /* the recipe file, for messages */
	enum recipe_kind kind;
	char *name;
	char *version;
	char *license;
	struct recipe_source *sources;
	size_t nsources;
	struct strvec depends;  /* components built before this one */
	struct strvec env;      /* NAME=VALUE templates for build steps */
	struct strvec steps;    /* build command lines (templates), in order */
	struct strvec modules;  /* built-in modules a Python recipe promises */
	struct strvec test_modules; /* test-only ones: bin/python only */
	struct strvec libraries; /* static archives merged into libstickpython.a */
	struct strvec provides; /* distributions a tool provides at its version */
	struct strvec pythonpath; /* a tool's import roots, relative to its tree */
	struct strvec headers;  /* a library's headers (FILE.h, DIR/) under include/ */
	struct strvec pkgconfig; /* a library's pkg-config names */
	struct strvec extract;  /* only these paths (relative to the archive's
				   top directory) are extracted; empty: all */
	unsigned conditions;    /* RECIPE_OPT_* named by its conditional lines */
	bool cxx;               /* `language c++`: a C++ library (libcxx) */
};

/*
 * Toolchain build options a recipe line can depend on ("lto: env ...",
 * "!pgo: step ..."; thirdparty/README.md).
 */
#define RECIPE_OPT_LTO 1u  /* link-time optimisation */
#define RECIPE_OPT_PGO 2u  /* profile-guided optimisation */
#define RECIPE_OPT_CROSS 4u /* built for another machine (stick/target.h) */
/* The option named "lto", "pgo" or "cross"; 0 for any other name. */
unsigned recipe_option(const char *name);

/*
 * Splits a line into words: blanks separate them and double quotes group
 * ("a b" is one word, quotes removed; no escapes). -1 on an unterminated
 * quote. Build commands are stored unsplit and split with this when run.
 */
int recipe_split(const char *text, struct strvec *out);

/*
 * Parses text read from path; 0, or -1 after a "path:line: ..." error.
 * Conditional lines count as for a toolchain built without options.
 */
int recipe_parse(const char *path, const char *text, struct recipe *r);
/* The same, for a toolchain built with options (RECIPE_OPT_*). */
int recipe_parse_with(const char *path, const char *text, unsigned options,
		      struct recipe *r);
/* Reads and parses a recipe file. */
int recipe_load(const char *path, struct recipe *r);
void recipe_release(struct recipe *r);

/*
 * The file names of every recipe of kind in dir (thirdparty/), sorted.
 * 0, or -1 after a message.
 */
int recipe_list_kind(const char *dir, enum recipe_kind kind,
		     struct strvec *names);

/* A component and everything it depends on, dependencies first. */
struct recipe_set {
	struct recipe *items;
	size_t n;
};

/*
 * Loads dir/top and, recursively, every component named by a `depends`
 * line (dir/<name>); refuses cycles and missing recipes.
 */
int recipe_set_load(const char *dir, const char *top, struct recipe_set *set);
int recipe_set_load_with(const char *dir, const char *top, unsigned options,
			 struct recipe_set *set);
/*
 * Loads dir/file, which depends on nothing, as the set's first item (the
 * sysroot a musl toolchain builds before everything else).
 */
int recipe_set_prepend(const char *dir, const char *file, unsigned options,
		       struct recipe_set *set);
void recipe_set_release(struct recipe_set *set);

#endif
