/* Start-up shared by embed/main.c (interpreter) and embed/app.c. */
#ifndef STICK_STARTUP_H
#define STICK_STARTUP_H

#include <Python.h>

extern const struct _frozen stick_stdlib_frozen[];

/*
 * The running binary's absolute path into buf (of size bytes): from
 * /proc/self/exe, or argv0 resolved where there is no /proc. 0, or -1
 * when neither gives one.
 */
int stick_executable_path(char *buf, size_t size, const char *argv0);
/*
 * The start-up both mains share: the frozen stdlib, CA certificates,
 * argv, the binary as home (unless config->home is set already), then
 * Py_InitializeFromConfig.
 */
PyStatus stick_initialize(PyConfig *config, int argc, char **argv);
/*
 * The rest of start-up for a config whose _init_main was 0, without
 * zipimport (the importer installs it lazily).
 */
PyStatus stick_initialize_main_without_zipimport(void);
/* Clears config and turns a failed status into an exit code (or exits). */
int stick_exit_status(PyConfig *config, PyStatus status);

#endif
