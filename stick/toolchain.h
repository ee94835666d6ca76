/*
 * The toolchain (stages 5-7): every dependency and CPython built statically,
 * merged into lib/libstickpython.a, cached under
 * $STICK_HOME/toolchains/<key>, where key digests everything that can
 * change its bytes.
 */
#ifndef STICK_TOOLCHAIN_H
#define STICK_TOOLCHAIN_H

#include "fetch.h"
#include "recipe.h"
#include "target.h"

/* The C libraries a toolchain can be built against. */
enum libc {
	LIBC_MUSL,   /* musl built by stick: fully static executables */
	LIBC_GLIBC,  /* the host's gcc and glibc: shared libraries */
	LIBC_UNSET,  /* options only: --libc not given (yet) */
};

struct toolchain_opts {
	const char *python;  /* "3.13" */
	enum libc libc;      /* LIBC_MUSL or LIBC_GLIBC */
	const struct target *target; /* NULL: the libc's x86_64 target */
	unsigned options;    /* RECIPE_OPT_LTO, RECIPE_OPT_PGO (--lto, --pgo) */
	int jobs;
	const struct fetch_opts *fetch;
};

/* "musl" or "glibc". */
const char *libc_name(enum libc libc);
/* Parses "musl" or "glibc" into *libc; -1 (and no message) otherwise. */
int libc_parse(const char *name, enum libc *libc);

/*
 * A musl toolchain's libc: the recipe (kind sysroot) built first, into the
 * toolchain's sysroot/ (usr/include with the kernel's headers, usr/lib,
 * and the gcc specs file its compiler wrapper names).
 */
#define TOOLCHAIN_MUSL_RECIPE "musl"
#define TOOLCHAIN_SYSROOT "sysroot"
#define TOOLCHAIN_SPECS "usr/lib/musl-gcc.specs"

/*
 * The compiler wrappers of a musl toolchain, in its bin/ directory:
 * TRIPLE-gcc ("x86_64-linux-musl-gcc") and its C++ compiler
 * TRIPLE-clang++, clang++ for the target (TOOLCHAIN_CLANGXX, Debian's
 * clang-19 package) against the sysroot. The caller frees the names.
 */
char *toolchain_cc_name(const struct target *t);
char *toolchain_cxx_name(const struct target *t);
#define TOOLCHAIN_CLANGXX "clang++-19"
/* The glibc build's wrapper (host gcc plus the common flags), build only. */
#define TOOLCHAIN_GLIBC_WRAPPER "x86_64-linux-gnu-gcc"
/*
 * What the toolchain build's directory is called in every file it writes
 * (-ffile-prefix-map, sysconfig): no output names the builder's home.
 */
#define TOOLCHAIN_MAPPED_ROOT "/usr/src/stick"
/*
 * musl's 128 KiB default thread stack is too small for CPython, so every
 * static musl link asks for 8 MiB. The python-* recipes' LDFLAGS carry
 * the same number (they are data, and changing them changes the key).
 */
#define TOOLCHAIN_STACK_SIZE "8388608"
#define TOOLCHAIN_STACK_FLAG "-Wl,-z,stack-size=" TOOLCHAIN_STACK_SIZE

/*
 * Where a toolchain keeps what later stages use, relative to its
 * directory (%s: the Python version, "3.13"). Fixed: the manifest does not
 * record them, since writing them there would change what every toolchain
 * build writes (and so the bytes of toolchains already built).
 */
#define TOOLCHAIN_PYTHON  "bin/python%s"       /* the interpreter */
#define TOOLCHAIN_INCLUDE "include/python%s"   /* Python.h */
#define TOOLCHAIN_LIB     "lib"                /* libstickpython.a */
/* A cross toolchain's copy of the build machine's interpreter. */
#define TOOLCHAIN_BUILD_PYTHON "build/bin/python%s"

/* A built toolchain, as its manifest.json describes it. */
struct toolchain {
	char *dir;       /* the toolchain directory */
	char *key;       /* "3.13-musl-1e22b7e490161ed0" */
	char *pyver;     /* "3.13" */
	char *python;    /* what later stages run: dir/bin/python3.13, or
			    for a cross toolchain the build machine's
			    (TOOLCHAIN_BUILD_PYTHON) */
	enum libc libc;
	const struct target *target;
	char *cc;        /* the C compiler later stages compile with */
	char *cxx;       /* its C++ compiler (musl: clang++ for the sysroot;
			    glibc: the host's g++ and libstdc++) */
	char *include;   /* dir/include/python3.13 */
	char *lib;       /* dir/lib: libstickpython.a */
	char *compiler;  /* its version line, "gcc version 12.2.0 (...)" */
	char *optimization; /* "default", "lto" or "pgo+lto" */
};

/*
 * Reads dir/manifest.json, written by the toolchain build (merge.c), once:
 * every later stage takes the result instead of re-deriving it. 0, or -1
 * after a message; tc is safe to release either way.
 */
int toolchain_open(struct toolchain *tc, const char *dir);
void toolchain_release(struct toolchain *tc);

/*
 * The recipes a toolchain builds, in build order: python-VER and what it
 * depends on, preceded for musl by the libc (TOOLCHAIN_MUSL_RECIPE). 0, or
 * -1 after a message.
 */
int toolchain_recipes(const char *dir, const char *python, enum libc libc,
		      unsigned options, struct recipe_set *set);

/*
 * Builds the toolchain, or finds it already built; *dir is its directory
 * (caller frees). 0, or -1 after a message.
 */
int toolchain_ensure(const struct toolchain_opts *o, char **dir);

#endif
