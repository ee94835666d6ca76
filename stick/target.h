/*
 * Targets: the machines an output runs on, named by the triple compilers
 * use. A musl target's toolchain is built by the host's gcc for that
 * machine (Debian's cross gcc for aarch64) against stick's own musl; a
 * target other than the build machine's is a cross build, whose CPython
 * is configured with --with-build-python (the build machine's toolchain
 * interpreter of the same version) and whose programs run under qemu-user
 * when the build must run one.
 */
#ifndef STICK_TARGET_H
#define STICK_TARGET_H

#include <stdbool.h>

#include "util.h"

struct target {
	const char *triple;      /* "aarch64-linux-musl" */
	const char *arch;        /* "aarch64": OpenSSL's linux-ARCH, musl's */
	bool musl;               /* false: the host's glibc (x86_64 only) */
	const char *gcc;         /* the host compiler driver that targets it */
	const char *kernel_include; /* holds the kernel's linux/, asm-generic/ */
	const char *kernel_asm;  /* the kernel's asm/ headers for it */
	const char *loader;      /* the dynamic loader musl's specs name */
	const char *clang;       /* clang's --target */
	const char *qemu;        /* runs its programs here; NULL: native */
	const char *objcopy;     /* binutils' objcopy for its objects */
};

/* The default target: x86_64-linux-musl. */
const struct target *target_default(void);
/* The glibc build's target, x86_64-linux-gnu (--libc glibc). */
const struct target *target_glibc(void);
/* The target named triple, or NULL. */
const struct target *target_find(const char *triple);
/* "x86_64-linux-musl, aarch64-linux-musl": the triples --target takes. */
char *target_known(void);
/* Whether t is built on another machine than the one stick runs on. */
bool target_is_cross(const struct target *t);
/* The build machine's triple as autoconf spells it. */
#define TARGET_BUILD_TRIPLE "x86_64-pc-linux-gnu"
/*
 * What a cross build adds to a configure line (recipes' @CROSS@):
 * "--build=... --host=TRIPLE"; NULL for a native target.
 */
char *target_configure_args(const struct target *t);
/*
 * Pushes onto out what runs a program of t on this machine (qemu-user),
 * before the program's own argv; nothing for a native target. 0, or -1
 * after a message saying what to install.
 */
int target_runner(const struct target *t, struct strvec *out);

#endif
