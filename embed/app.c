/*
 * main() of an application executable: an isolated interpreter (no
 * PYTHON* variables, no user site, no current directory on sys.path,
 * unless built with --allow-env) whose
 * sys.argv is exactly the command line, running the embedded script or
 * MODULE:FUNCTION with console_scripts exit rules.
 */
#include "startup.h"
#include "stick.h"

#include <signal.h>
#include <unistd.h>

/* run() ended with Ctrl-C: die by SIGINT after finalizing, as python does. */
#define STICK_INTERRUPTED (-1)

/* True when the app was built with --allow-env. */
static int stick_app_allows_env(void)
{
	const struct stick_entry *e = stick_lookup('c', "allow_env");

	return e && e->size == 1 && e->data[0] == '1';
}

/*
 * Flushes sys.stderr and sys.stdout keeping the pending exception, as
 * python does when the main module ends, before it prints an uncaught
 * exception: output the program wrote comes before the traceback, also
 * when both go to one file.
 */
static void stick_flush_io(void)
{
	static const char *const names[] = { "stderr", "stdout" };
#if PY_VERSION_HEX >= 0x030C0000
	PyObject *exc = PyErr_GetRaisedException();
#else
	PyObject *type, *value, *tb;

	PyErr_Fetch(&type, &value, &tb);
#endif
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		PyObject *f = PySys_GetObject(names[i]);
		PyObject *r = f && f != Py_None ?
			PyObject_CallMethod(f, "flush", NULL) : NULL;

		if (!r)
			PyErr_Clear();
		Py_XDECREF(r);
	}
#if PY_VERSION_HEX >= 0x030C0000
	PyErr_SetRaisedException(exc);
#else
	PyErr_Restore(type, value, tb);
#endif
}

/*
 * Imports the embedded importer and calls its run(); interpreters the
 * application creates install the importer too.
 */
static int stick_run_app(void)
{
	PyObject *mod, *res = NULL;

	if (stick_importer_in_new_interpreters(NULL) < 0) {
		fprintf(stderr, "stick: out of memory\n");
		return 1;
	}
	mod = stick_importer_module();
	if (mod)
		res = PyObject_CallMethod(mod, "run", NULL);
	Py_XDECREF(mod);
	stick_flush_io();
	if (res) {
		Py_DECREF(res);
		return 0;
	}
	if (PyErr_ExceptionMatches(PyExc_KeyboardInterrupt)) {
		PyErr_Print();
		return STICK_INTERRUPTED;
	}
	/* A SystemExit ends the process here with its status, as python does. */
	PyErr_Print();
	return 1;
}

int main(int argc, char **argv)
{
	PyConfig config;
	PyStatus status;
	int rc;

	if (PyImport_AppendInittab("_stick", stick_init_module) < 0)
		return 1;
	if (stick_app_allows_env()) {
		PyConfig_InitPythonConfig(&config);
		config.parse_argv = 0; /* sys.argv stays the command line */
	} else {
		PyConfig_InitIsolatedConfig(&config);
		/*
		 * site finds nothing for an isolated application (its prefix
		 * is the binary, with no site-packages) but costs about a
		 * third of the start-up, importing os on the way. The
		 * importer gives builtins the few names site would add.
		 */
		config.site_import = 0;
	}
	/* Ctrl-C raises KeyboardInterrupt, as in a normal python program. */
	config.install_signal_handlers = 1;
	/*
	 * The core first, then the rest without zipimport (startup.c);
	 * stdio from _io, without importing io and abc (a patch of the
	 * toolchain's CPython), which an application imports if it uses them.
	 */
	config._init_main = 0;
	_Py_stick_stdio_imports_io = 0;
	/*
	 * Py_FinalizeEx stops once the modules are finalized and the streams
	 * flushed (patch 0021): freeing the interpreter's memory just before
	 * the process exits was a twentieth of a small application's run.
	 */
	_Py_stick_finalize_frees_interp = 0;
	status = stick_initialize(&config, argc, argv);
	if (!PyStatus_Exception(status))
		status = stick_initialize_main_without_zipimport();
	if (PyStatus_Exception(status))
		return stick_exit_status(&config, status);
	PyConfig_Clear(&config);
	rc = stick_run_app();
	if (Py_FinalizeEx() < 0 && rc == 0)
		rc = 120;
	if (rc == STICK_INTERRUPTED) {
		signal(SIGINT, SIG_DFL);
		kill(getpid(), SIGINT);
		rc = 130;
	}
	return rc;
}
