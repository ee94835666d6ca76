/*
 * stick cc-wrap: the compiler/linker wrapper of extension builds, a hidden
 * subcommand. Its environment (set by stick/stickpy/pep517.py):
 *
 *   STICK_CC           the toolchain's C compiler (one path)
 *   STICK_CC_PACKAGE   "NAME VERSION" of the package, for messages
 *   STICK_CC_PROVIDED  colon-separated -l names the toolchain's link already
 *                      provides (z:ssl:crypto:ffi:...): recorded, not linked
 *   STICK_CC_PREFIXES  colon-separated prefixes of stick-built C libraries
 *                      (recipes of kind library): their include/ is added to
 *                      compiles, their lib/libNAME.a is recorded by path
 *   STICK_CC_NOTES     a file each refusal or failure is appended to (one
 *                      line), so stick sees what a backend swallowed
 *
 * A `-shared -o X.so` link writes X.so as a relocatable ELF object whose
 * only defined global symbol is PyInit_<leaf> (leaf: X's name up to its
 * first dot) and whose SHF_EXCLUDE section .stick.link holds, one a line
 * after "stick-link 1", what the final link must add: "-lNAME" or the
 * absolute path of a stick-built archive. Other -l libraries found as
 * libNAME.a in the link's -L directories are linked into the object.
 */
#ifndef STICK_CCWRAP_H
#define STICK_CCWRAP_H

#include "cmd.h"

int cmd_ccwrap(int argc, char **argv);
extern const struct command ccwrap_command;

#endif
