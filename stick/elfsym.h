/* Reading an ELF64 object's symbol table. */
#ifndef STICK_ELFSYM_H
#define STICK_ELFSYM_H

#include "util.h"

/*
 * Appends to out the names of the global and weak symbols path defines
 * (section index not UNDEF). 0, or -1 with a message naming the file.
 */
int elfsym_defined_globals(const char *path, struct strvec *out);

#endif
