/* What stick links into an application executable. */
#ifndef STICK_EMBED_H
#define STICK_EMBED_H

#include <Python.h>

/*
 * One embedded item, in a table sorted by key. The key's first letter
 * says what it is: "m:NAME" module code, "p:NAME" package code, "s:NAME"
 * module source, "f:PATH" a data file, "c:NAME" a start-up setting,
 * "l:NAME" the source of a stdlib module (--with-stdlib-source), "n:NAME"
 * a namespace package (PEP 420; no data).
 */
struct stick_entry {
	const char *key;
	const unsigned char *data;
	int size;
};

extern const struct stick_entry stick_app_entries[];
extern const int stick_app_count;

/*
 * C extensions built from sdists: the generated exttab.c defines this
 * table (dotted names, init functions renamed by stick). A weak reference,
 * so an output without extensions needs no table (it is then NULL); a
 * static library with extensions is compiled with STICK_EXTENSIONS, a
 * strong reference, or the host's link would never pull the table out of
 * the archive.
 */
#ifdef STICK_EXTENSIONS
extern struct _inittab stick_ext_inittab[];
#else
extern struct _inittab stick_ext_inittab[] __attribute__((weak));
#endif

/* The entry for kind and name, or NULL. */
const struct stick_entry *stick_lookup(char kind, const char *name);

/* The built-in module "_stick" the importer reads the table through. */
PyObject *stick_init_module(void);

/*
 * The embedded importer's module (embed/stick_importer.py), run as
 * _stick_importer; NULL with an exception set.
 */
PyObject *stick_importer_module(void);

/*
 * Every interpreter created from now on (subinterpreters) installs the
 * embedded importer, with install(location) when location is not NULL,
 * as the main interpreter did: it sees the application's modules too.
 * -1 when out of memory.
 */
int stick_importer_in_new_interpreters(const char *location);

#endif
