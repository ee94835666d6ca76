/*
 * main() of an application executable: an isolated interpreter (no
 * PYTHON* variables, no user site, no current directory on sys.path,
 * unless built with --allow-env) whose
 * sys.argv is exactly the command line, running the embedded script or
 * MODULE:FUNCTION with console_scripts exit rules. A command line that
 * asks for a Python (-c CODE, -m MODULE) runs as python3 would, unless
 * the app was built with --sys-executable app.
 */
#include "startup.h"
#include "stick.h"

#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
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
 * True when the app was built with --sys-executable app: -c and -m are
 * its own options, so sys.executable never runs Python code.
 */
static int stick_app_owns_c_and_m(void)
{
	const struct stick_entry *e = stick_lookup('c', "sys_executable");

	return e && e->size == 3 && !memcmp(e->data, "app", 3);
}

/*
 * Whether argv, after argv[0], is a command line with which python3 runs
 * code: python3's interpreter options, clustered as python3 allows
 * (-IS, -Wd, -OO), then -c CODE or -m MODULE (also -cCODE, -mMODULE).
 * Options python3 prints and exits on (-h, -V, --help...), a script path,
 * "-" and no argument at all are not: an application reads them as its
 * own. On a match, *code is CODE (NULL for -m).
 */
static int stick_python_argv(int argc, char **argv, const char **code)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--check-hash-based-pycs")) {
			i++;
			continue;
		}
		if (a[0] != '-' || !a[1] || a[1] == '-')
			return 0;
		for (const char *p = a + 1; *p; p++) {
			const char *arg = p[1] ? p + 1 :
				i + 1 < argc ? argv[i + 1] : NULL;

			if (*p == 'c' || *p == 'm') {
				*code = *p == 'c' ? arg : NULL;
				return arg != NULL;
			}
			if (*p == 'W' || *p == 'X') {
				i += !p[1];
				break;
			}
			if (!strchr("bBdEiIOPqRsSuvx", *p))
				return 0;
		}
	}
	return 0;
}

/*
 * Runs the Python that the command line asks for, as python3 would (its
 * options parsed, PYTHON* variables honoured unless -I or -E), with the
 * application's modules importable: sys.executable behaves like a
 * Python, and such a child never starts the application again.
 */
static int stick_run_python(int argc, char **argv)
{
	PyConfig config;
	PyStatus status;
	PyObject *mod, *res = NULL;

	PyConfig_InitPythonConfig(&config);
	status = stick_initialize(&config, argc, argv);
	if (PyStatus_Exception(status))
		return stick_exit_status(&config, status);
	PyConfig_Clear(&config);
	if (stick_importer_in_new_interpreters(NULL) == 0) {
		mod = stick_importer_module();
		if (mod)
			res = PyObject_CallMethod(mod, "install", NULL);
		Py_XDECREF(mod);
	} else {
		PyErr_NoMemory();
	}
	if (!res) {
		PyErr_Print();
		Py_Finalize();
		return 1;
	}
	Py_DECREF(res);
	return Py_RunMain();
}

/*
 * The environment variable with which an app built with --sys-executable
 * app tells the copies of itself it starts how many of its starts in a
 * row asked for a Python: "N PATH", PATH the binary.
 */
#define STICK_SELF_STARTS "STICK_SELF_STARTS"

/*
 * With --sys-executable app, -c and -m run the application's main, so an
 * app that starts [sys.executable, "-c", CODE] at start-up would start
 * itself for ever. A copy started that way by itself may run (the app
 * re-running itself with its own -c option); the next one in the same
 * chain is refused with a message. 0 to run main, or 1 when refused.
 */
static int stick_check_self_start(int python_argv, const char *argv0)
{
	char exe[PATH_MAX], mark[PATH_MAX + 32];
	const char *env = getenv(STICK_SELF_STARTS), *path;
	char *end;
	long n = -1;

	if (stick_executable_path(exe, sizeof(exe), argv0) < 0)
		return 0;
	if (env) {
		n = strtol(env, &end, 10);
		path = end + (*end == ' ');
		if (end == env || *end != ' ' || strcmp(path, exe))
			n = -1;
	}
	n = python_argv && n >= 0 ? n + 1 : 0;
	if (n >= 2) {
		fprintf(stderr, "%s: refusing to start this application again: "
			"it started itself with -c or -m twice in a row, which "
			"would not end (it was built with --sys-executable app, "
			"so -c and -m run the application, not Python code; "
			"build it with --sys-executable python to run "
			"sys.executable -c/-m as python3)\n", argv0);
		return 1;
	}
	snprintf(mark, sizeof(mark), "%ld %s", n, exe);
	setenv(STICK_SELF_STARTS, mark, 1);
	return 0;
}

/*
 * What the command line asks for: 0 to run the application, 1 to run
 * Python code (stick_run_python), -1 when refused (a message said why).
 * The programs multiprocessing starts with -c (its forkserver and
 * resource tracker) run as the application, whose importer recognises
 * them (stick_importer.py), so they work whichever the build chose.
 */
static int stick_start_kind(int argc, char **argv)
{
	const char *code = NULL;
	int python_argv = stick_python_argv(argc, argv, &code);

	if (!stick_app_owns_c_and_m())
		return python_argv;
	if (code && (!strncmp(code, "from multiprocessing.", 21) ||
		     !strncmp(code, "import sys; from multiprocessing.", 33)))
		return 0;
	return stick_check_self_start(python_argv, argc ? argv[0] : "app") ?
		-1 : 0;
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
	rc = stick_start_kind(argc, argv);
	if (rc)
		return rc > 0 ? stick_run_python(argc, argv) : 1;
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
