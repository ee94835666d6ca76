/*
 * Stage 9 for libraries: embed/api.c + the frozen stdlib and application
 * + libstickpython.a -> libNAME.a or libNAME.so, with NAME.h (the C API,
 * embed/stick_api.h) and NAME.pc beside it.
 */
#ifndef STICK_LIBRARY_H
#define STICK_LIBRARY_H

#include "toolchain.h"
#include "util.h"

enum library_kind {
	LIBRARY_STATIC,  /* libNAME.a: every object, for static hosts */
	LIBRARY_SHARED,  /* libNAME.so: only the API exported */
};

/*
 * NAME for an output path: "libNAME.a" (or "NAME.a") for a static
 * library, "libNAME.so" for a shared one. NULL after a message when out
 * has the wrong suffix. Caller frees.
 */
char *library_name(const char *out, enum library_kind kind);

/*
 * Compiles the API in work and writes out, plus NAME.h and NAME.pc in
 * the same directory; a static library also gets CPython's headers in
 * NAME-include/pythonX.Y for hosts that want the full C API. Each file is
 * written under a temporary name and renamed, the library last, so a
 * failed build leaves no half-written output. 0, or -1 after a message.
 */
int library_link(const struct toolchain *tc,
		 const struct strvec *objects, enum library_kind kind,
		 const char *work, const char *out);

#endif
