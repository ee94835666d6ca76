/* Reading an ELF64 object's symbol table. */
#ifndef STICK_ELFSYM_H
#define STICK_ELFSYM_H

#include "util.h"

/*
 * Appends to out the names of the global, weak and GNU unique symbols
 * path defines
 * (section index not UNDEF). 0, or -1 with a message naming the file.
 */
int elfsym_defined_globals(const char *path, struct strvec *out);

/* The same for the global symbols path uses but does not define. */
int elfsym_undefined(const char *path, struct strvec *out);

/*
 * *count receives how many SHT_GROUP sections (COMDAT groups) path has.
 * 0, or -1 with a message naming the file.
 */
int elfsym_count_groups(const char *path, size_t *count);

/* What elfsym_scan() reads. */
enum elfsym_what { ELFSYM_DEFINED, ELFSYM_UNDEFINED, ELFSYM_GROUPS };

/*
 * The three readings above on the size bytes of an object at buf (its
 * file's contents; tests/fuzz feeds it): symbols appended to out, or
 * *count incremented once per group. 0, or -1 without a message when buf
 * is not a well-formed ELF64 object.
 */
int elfsym_scan(const char *buf, size_t size, enum elfsym_what what,
		struct strvec *out, size_t *count);

#endif
