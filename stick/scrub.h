/*
 * The toolchain build's last check: no file of a built toolchain names the
 * directory it was built in. Text files that record it (CPython's
 * sysconfig data and its Makefile) are rewritten to name
 * TOOLCHAIN_MAPPED_ROOT instead, their compiled .pyc files compiled again;
 * a binary that names it is an error, so two toolchains built under
 * different $STICK_HOMEs have the same bytes.
 */
#ifndef STICK_SCRUB_H
#define STICK_SCRUB_H

struct scrub {
	const char *tree;      /* the toolchain being built (work/out) */
	const char *build_dir; /* the path no file may name (work) */
	const char *python;    /* tree/bin/python3.X, to compile .pyc files */
	const char *pyprefix;  /* where tree's files install ("/usr/local") */
	const char *log;       /* where the .pyc compile writes its output */
};

/* 0, or -1 after a message naming the file. */
int scrub_build_dir(const struct scrub *s);

#endif
