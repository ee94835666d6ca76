/*
 * stick cc-wrap: the compiler/linker wrapper of extension builds, a hidden
 * subcommand. Its environment (set by stick/stickpy/pep517.py):
 *
 *   STICK_CC           the toolchain's C compiler (one path)
 *   STICK_CXX          its C++ compiler (musl: clang++ for the sysroot;
 *                      glibc: g++), for `cc-wrap --cxx` (CXX) and C++
 *                      sources; without it C++ is refused
 *   STICK_CC_PACKAGE   "NAME VERSION" of the package, for messages
 *   STICK_CC_PROVIDED  colon-separated -l names the toolchain's link already
 *                      provides (z:ssl:crypto:ffi:...): recorded, not linked
 *   STICK_CC_PREFIXES  colon-separated prefixes of stick-built C libraries
 *                      (recipes of kind library): their include/ is added to
 *                      compiles, their lib/libNAME.a is recorded by path
 *   STICK_CC_NOTES     a file each refusal or failure is appended to (one
 *                      line), so stick sees what a backend swallowed
 *   STICK_CC_TOOLCHAIN the toolchain directory: library recipes are built
 *                      on demand for it (clib.h), when a compile misses a
 *                      header a recipe's `headers` names, a link asks for
 *                      -lNAME of a recipe's `library libNAME.a`, or
 *                      `cc-wrap --pkg-config` (the backend's pkg-config)
 *                      is asked for a recipe's `pkgconfig` name
 *   STICK_CC_STATE     a file of the prefixes built so far for this
 *                      package (one a line): later calls add their
 *                      include/ and lib/ like STICK_CC_PREFIXES'
 *   STICK_CC_SOURCES   --sources DIR, STICK_CC_MIRRORS the --mirror URLs
 *                      (space-separated): where a library's source is found
 *   STICK_CC_LIBC      "musl" (the default) or "glibc": for musl, -I, -L,
 *                      -isystem, -idirafter and -iquote naming the build
 *                      host's directories (/usr/include, /usr/lib, /lib,
 *                      /usr/local/...) are dropped, each said on stderr
 *                      (glibc's headers must not reach a musl object)
 *
 * The first stick library found for -lNAME is recorded, so it is a
 * library recipe's own archive (libxml2's, even when libxslt's prefix
 * holds a copy built for it).
 *
 * A `-shared -o X.so` link writes X.so as a relocatable ELF object whose
 * only defined global symbol is PyInit_<leaf> (leaf: X's name up to its
 * first dot), with no COMDAT group left (its .group sections removed:
 * inline functions and templates stay private to the extension), and
 * whose SHF_EXCLUDE section .stick.link holds, one a line after
 * "stick-link 1", what the final link must add: "-lNAME" or the absolute
 * path of an archive (a stick-built library's; the C++ runtime's). Other
 * -l libraries found as libNAME.a in the link's -L directories are
 * linked into the object.
 *
 * C++: a compile with --cxx or of a C++ source uses STICK_CXX; on musl
 * with -isystem <libcxx>/include/c++/v1, the toolchain's C++ runtime
 * (library recipe libcxx: libc++, libc++abi, libunwind) built first when
 * missing. A link that was C++ (--cxx, -lstdc++, -lc++...) or whose
 * object leaves a C++ runtime symbol undefined records the runtime's
 * archives: libc++.a, libc++abi.a, libunwind.a on musl, the host's
 * libstdc++.a on glibc.
 */
#ifndef STICK_CCWRAP_H
#define STICK_CCWRAP_H

#include "cmd.h"

int cmd_ccwrap(int argc, char **argv);
extern const struct command ccwrap_command;

#endif
