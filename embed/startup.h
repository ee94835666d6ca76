/* Start-up shared by embed/main.c (interpreter) and embed/app.c. */
#ifndef STICK_STARTUP_H
#define STICK_STARTUP_H

#include <Python.h>

extern const struct _frozen stick_stdlib_frozen[];

/*
 * The start-up both mains share: the frozen stdlib, CA certificates,
 * argv, the binary as home (unless config->home is set already), then
 * Py_InitializeFromConfig.
 */
PyStatus stick_initialize(PyConfig *config, int argc, char **argv);
/* Clears config and turns a failed status into an exit code (or exits). */
int stick_exit_status(PyConfig *config, PyStatus status);

#endif
