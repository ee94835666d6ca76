/* Start-up settings shared by the interpreter and application mains. */
#include "startup.h"

#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

/*
 * The interpreter's home is the binary itself: sys.prefix is the binary's
 * path and the stdlib's virtual directory, <binary>/lib/python3.X, cannot
 * exist on disk, so nothing from a Python installation on the host is
 * ever picked up, and getpath has nothing to search for.
 */
PyStatus stick_set_home(PyConfig *config, const char *argv0)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n > 0) {
		exe[n] = '\0';
		return PyConfig_SetBytesString(config, &config->home, exe);
	}
	/* No /proc (an empty chroot): argv[0] is the best we have. */
	if (argv0 && realpath(argv0, exe))
		return PyConfig_SetBytesString(config, &config->home, exe);
	return PyConfig_SetBytesString(config, &config->home, "/nonexistent");
}

int stick_exit_status(PyConfig *config, PyStatus status)
{
	PyConfig_Clear(config);
	if (PyStatus_IsExit(status))
		return status.exitcode;
	Py_ExitStatusException(status);
}
