/*
 * main() of the single-file interpreter: CPython with the whole stdlib
 * frozen inside the binary. It behaves like python3 (-c, -m, a script,
 * the REPL, -I/-E/-S/-X, PYTHONPATH); only where the stdlib lives differs.
 */
#include "startup.h"

int main(int argc, char **argv)
{
	PyConfig config;
	PyStatus status;

	PyImport_FrozenModules = stick_stdlib_frozen;
	stick_find_ca_certificates();
	PyConfig_InitPythonConfig(&config);
	status = PyConfig_SetBytesArgv(&config, argc, argv);
	if (!PyStatus_Exception(status))
		status = stick_set_home(&config, argc > 0 ? argv[0] : NULL);
	if (!PyStatus_Exception(status))
		status = Py_InitializeFromConfig(&config);
	if (PyStatus_Exception(status))
		return stick_exit_status(&config, status);
	PyConfig_Clear(&config);
	return Py_RunMain();
}
