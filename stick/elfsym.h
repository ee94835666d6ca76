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

#endif
