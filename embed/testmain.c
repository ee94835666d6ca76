/*
 * main() of the single-file interpreter built with --include-tests:
 * main.c's interpreter, plus a table (embed/stick.h) holding the stdlib's
 * test packages, served by the embedded importer from start-up on. So
 * `OUT -m test` runs CPython's test suite, and the children it starts
 * with `sys.executable -I ...` find the test package too. Test data files
 * are written to the user's cache on first import (stick_importer.py).
 */
#include "startup.h"
#include "stick.h"

#include <marshal.h>

/* Runs the embedded importer's install(): its finders on sys.meta_path. */
static int stick_install_importer(void)
{
	const struct stick_entry *e = stick_lookup('m', "_stick_importer");
	PyObject *code, *mod, *res = NULL;

	if (!e) {
		fprintf(stderr, "stick: this interpreter has no importer; "
			"rebuild it with stick build --include-tests\n");
		return -1;
	}
	code = PyMarshal_ReadObjectFromString((const char *)e->data, e->size);
	mod = code ? PyImport_ExecCodeModule("_stick_importer", code) : NULL;
	if (mod)
		res = PyObject_CallMethod(mod, "install", NULL);
	Py_XDECREF(code);
	Py_XDECREF(mod);
	if (!res) {
		PyErr_Print();
		return -1;
	}
	Py_DECREF(res);
	return 0;
}

int main(int argc, char **argv)
{
	PyConfig config;
	PyStatus status;

	if (PyImport_AppendInittab("_stick", stick_init_module) < 0)
		return 1;
	PyConfig_InitPythonConfig(&config);
	status = stick_initialize(&config, argc, argv);
	if (PyStatus_Exception(status))
		return stick_exit_status(&config, status);
	PyConfig_Clear(&config);
	if (stick_install_importer() < 0) {
		Py_Finalize();
		return 1;
	}
	return Py_RunMain();
}
