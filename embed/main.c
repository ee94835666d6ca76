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

	PyConfig_InitPythonConfig(&config);
	status = stick_initialize(&config, argc, argv);
	if (PyStatus_Exception(status))
		return stick_exit_status(&config, status);
	PyConfig_Clear(&config);
	return Py_RunMain();
}
