/* What stick links into an application executable. */
#ifndef STICK_EMBED_H
#define STICK_EMBED_H

#include <Python.h>

/*
 * One embedded item, in a table sorted by key. The key's first letter
 * says what it is: "m:NAME" module code, "p:NAME" package code, "s:NAME"
 * module source, "f:PATH" a data file, "c:NAME" a start-up setting,
 * "l:NAME" the source of a stdlib module (--with-stdlib-source).
 */
struct stick_entry {
	const char *key;
	const unsigned char *data;
	int size;
};

extern const struct stick_entry stick_app_entries[];
extern const int stick_app_count;

/* The entry for kind and name, or NULL. */
const struct stick_entry *stick_lookup(char kind, const char *name);

/* The built-in module "_stick" the importer reads the table through. */
PyObject *stick_init_module(void);

#endif
