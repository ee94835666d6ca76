/*
 * C libraries built on demand for extensions: recipes of kind `library`
 * in thirdparty/ (libyaml, libxml2, libxslt, libjpeg-turbo, libzstd, lz4,
 * libzmq), built when an extension first needs one (stick cc-wrap asks:
 * ccwrap.h) with a toolchain's compiler into
 * $STICK_HOME/clibs/<toolchain key>/<name>-<version>-<digest>/ (include/,
 * lib/), a temporary directory renamed into place, so a later build finds
 * them ready. The digest covers the recipe's text and the toolchain key.
 * A recipe's `depends` (libxslt on libxml2) are built into its prefix too;
 * a C++ one (`language c++`: libzmq) builds against libcxx's prefix.
 */
#ifndef STICK_CLIB_H
#define STICK_CLIB_H

#include "fetch.h"
#include "toolchain.h"

/*
 * Builds (or finds) library recipe `name` with tc's compiler;
 * *prefix receives its install prefix. 0, or -1 after a message naming
 * the recipe and, for a failed step, its log and tail.
 */
int clib_ensure(const struct toolchain *tc, const char *name,
		const struct fetch_opts *f, char **prefix);

/*
 * The cache directory library recipe name has (or would have) for tc,
 * without building it; NULL after a message.
 */
char *clib_entry(const struct toolchain *tc, const char *name);

/* The library recipe of the musl toolchains' C++ runtime. */
#define CLIB_CXX_RUNTIME "libcxx"

/*
 * Whether library recipe name (or one it depends on) is C++ (`language
 * c++`): what links it needs the C++ runtime. -1 after a message.
 */
int clib_is_cxx(const char *name);

/* The names of every recipe of kind library in thirdparty/, sorted. */
int clib_list(struct strvec *names);

/* What an extension build asks a library for. */
enum clib_need {
	CLIB_LINK,       /* -lNAME: a recipe's `library libNAME.a` */
	CLIB_HEADER,     /* an #include: a recipe's `headers` (FILE, DIR/) */
	CLIB_PKGCONFIG,  /* a pkg-config name: a recipe's `pkgconfig` */
};

/*
 * The name of the library recipe that provides what (a -l name without
 * "-l", a header as the #include spells it, a pkg-config name), or NULL
 * when none does (or the recipes cannot be read, after a message).
 */
char *clib_provider(enum clib_need need, const char *what);

#endif
