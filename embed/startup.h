#ifndef STICK_STARTUP_H
#define STICK_STARTUP_H

#include <Python.h>

extern const struct _frozen stick_stdlib_frozen[];

/* Makes the running binary the interpreter's home (see startup.c). */
PyStatus stick_set_home(PyConfig *config, const char *argv0);
/* Sets SSL_CERT_FILE to this system's CA bundle unless the user chose. */
void stick_find_ca_certificates(void);
/* Clears config and turns a failed status into an exit code (or exits). */
int stick_exit_status(PyConfig *config, PyStatus status);

#endif
