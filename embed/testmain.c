/*
 * main() of the single-file interpreter built with --include-tests:
 * main.c's interpreter, plus a table (embed/stick.h) holding the stdlib's
 * test packages, served by the embedded importer from start-up on, and
 * CPython's test-only C modules built in. So
 * `OUT -m test` runs CPython's test suite, and the children it starts
 * with `sys.executable -I ...` find the test package too. Test data files
 * are read inside the binary (embed/vfs.c), as an application's are.
 */
#include "startup.h"
#include "stick.h"

/*
 * CPython's test-only C modules, from the toolchain's
 * lib/libstick-testmodules.a, which stick links into this interpreter
 * alone (patch 0030).
 */
extern struct _inittab stick_test_inittab[];

/*
 * Runs the embedded importer's install(): its finders on sys.meta_path,
 * in this interpreter and in each one created later.
 */
static int stick_install_importer(void)
{
	PyObject *mod, *res = NULL;

	if (stick_importer_in_new_interpreters(NULL) < 0) {
		fprintf(stderr, "stick: out of memory\n");
		return -1;
	}
	mod = stick_importer_module();
	if (mod)
		res = PyObject_CallMethod(mod, "install", NULL);
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

	if (PyImport_AppendInittab("_stick", stick_init_module) < 0 ||
	    PyImport_ExtendInittab(stick_test_inittab) < 0)
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
