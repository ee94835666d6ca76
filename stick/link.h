/* Stage 9, link: embed/ + frozen objects + libstickpython.a -> OUT. */
#ifndef STICK_LINK_H
#define STICK_LINK_H

#include "toolchain.h"
#include "util.h"

/*
 * Every output link drops the sections nothing reaches: the toolchain is
 * compiled with a section per function and per object (toolchain.c), so
 * an application keeps only the functions of CPython, its modules and
 * libraries that it can call.
 */
#define LINK_GC_FLAG "-Wl,--gc-sections"

/*
 * Executables link with LLVM's lld (Debian's lld package), not GNU ld:
 * with a section per function, libstickpython.a holds some 97,000
 * sections, and GNU ld reads and writes each with its own lseek and
 * read or write (about 470,000 system calls), 0.6 s where lld takes 0.2 s
 * for the same output, within bytes. -O2 merges string tails as GNU ld
 * does. musl-gcc asks for /lib/ld-musl-x86_64.so.1 even with -static,
 * which GNU ld ignores and lld would write into a PT_INTERP header
 * (the kernel would then run the program under a loader that is not
 * there): --no-dynamic-linker leaves it out.
 */
#define LINK_LINKER "ld.lld"
#define LINK_LINKER_FLAGS "-fuse-ld=lld", "-Wl,-O2", "-Wl,--no-dynamic-linker"

/*
 * --shared libraries link with lld as well: a warm --shared build took
 * 1.1-1.5 s with GNU ld and 0.4-0.6 s with lld (three runs each, beside a
 * toolchain build), with the same exported and imported symbols.
 */
#define LINK_SHARED_FLAGS "-fuse-ld=lld", "-Wl,-O2"

/*
 * An extension's C++ runtime among the objects (libunwind.a on musl,
 * libstdc++.a on glibc: stick/ccwrap.h) finds the unwind tables through
 * the PT_GNU_EH_FRAME header, which gcc asks the linker for in dynamic
 * links only: the flag that adds it when one is there, else NULL.
 */
#define LINK_EH_FRAME_HDR_FLAG "-Wl,--eh-frame-hdr"
const char *link_unwind_flag(const struct strvec *objects);

/*
 * The C library functions whose every call in a musl executable with an
 * embedded table goes to embed/vfs_wrap.c first (lld's --wrap=NAME):
 * paths under the executable's own path are the embedded files, served
 * read-only from the table (embed/vfs.c). The list is every function
 * musl has that takes a path or a directory stream and that CPython,
 * OpenSSL, SQLite or musl itself calls by name (nm -u of
 * libstickpython.a and of musl's libc.a); tests/t6700 checks that each
 * one has its wrapper.
 */
#define LINK_VFS_WRAPPED                                                   \
	"open", "openat", "fopen", "stat", "lstat", "fstat", "fstatat",    \
	"access", "faccessat", "readlink", "readlinkat", "opendir",         \
	"fdopendir", "readdir", "readdir_r", "closedir", "rewinddir",      \
	"seekdir", "telldir", "dirfd", "chdir", "fchdir", "mkdir",         \
	"mkdirat", "mknod", "mknodat", "mkfifo", "mkfifoat", "symlink",    \
	"symlinkat", "rmdir", "unlink", "unlinkat", "remove", "chmod",     \
	"fchmodat", "chown", "lchown", "fchownat", "utime", "utimensat",   \
	"truncate", "setxattr", "lsetxattr", "removexattr",                \
	"lremovexattr", "rename", "renameat", "link", "linkat", "statvfs", \
	"statfs", "pathconf", "getxattr", "lgetxattr", "listxattr",        \
	"llistxattr"

/*
 * Whether the linker the compiler runs with -fuse-ld=lld is on PATH: 0,
 * or -1 after an error saying to install lld.
 */
int link_check_linker(void);

/*
 * The first line of `ld.lld --version` ("Debian LLD 14.0.6 (compatible
 * with GNU linkers)"), which `stick info` and the SBOM record: the bytes
 * of an executable or --shared library depend on it. Runs it in work;
 * NULL after an error message.
 */
char *link_linker_version(const char *work);

/*
 * Links the embed/ objects of sources (NULL-terminated file names,
 * compiled once per toolchain: embedcache.h), objects and the
 * toolchain's libstickpython.a into a static executable at out, working
 * in work. The file is written under a temporary name
 * and renamed, so out is never half-written.
 */
int link_executable(const struct toolchain *tc,
		    const struct strvec *objects, const char *const *sources,
		    const char *work, const char *out);

#endif
