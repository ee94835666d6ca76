/*
 * main() of the single-file interpreter: CPython with the whole stdlib
 * frozen inside the binary. It behaves like python3 (-c, -m, a script,
 * the REPL, -I/-E/-S/-X, PYTHONPATH); only where the stdlib lives differs.
 */
#include <Python.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

extern const struct _frozen stick_stdlib_frozen[];

/*
 * The interpreter's home is the binary itself: sys.prefix is the binary's
 * path and the stdlib's virtual directory, <binary>/lib/python3.X, cannot
 * exist on disk, so nothing from a Python installation on the host is
 * ever picked up, and getpath has nothing to search for.
 */
static PyStatus stick_set_home(PyConfig *config, const char *argv0)
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

static int stick_fail(PyConfig *config, PyStatus status)
{
	PyConfig_Clear(config);
	if (PyStatus_IsExit(status))
		return status.exitcode;
	Py_ExitStatusException(status);
}

int main(int argc, char **argv)
{
	PyConfig config;
	PyStatus status;

	PyImport_FrozenModules = stick_stdlib_frozen;
	PyConfig_InitPythonConfig(&config);
	status = PyConfig_SetBytesArgv(&config, argc, argv);
	if (PyStatus_Exception(status))
		return stick_fail(&config, status);
	status = stick_set_home(&config, argc > 0 ? argv[0] : NULL);
	if (PyStatus_Exception(status))
		return stick_fail(&config, status);
	status = Py_InitializeFromConfig(&config);
	if (PyStatus_Exception(status))
		return stick_fail(&config, status);
	PyConfig_Clear(&config);
	return Py_RunMain();
}
