/*
 * The C API of a stick library (embed/stick_api.h, installed as NAME.h).
 * The interpreter starts once, isolated, and then runs with its lock
 * released: each call takes it with PyGILState_Ensure, so host threads
 * may call in at any time. Python-level work (finding the target,
 * runpy, formatting tracebacks) is in embed/stick_api.py.
 */
#include "startup.h"
#include "stick.h"
#include "stick_api.h"

#include <dlfcn.h>
#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { STICK_STATE_NEW, STICK_STATE_READY, STICK_STATE_FAILED,
       STICK_STATE_FINALIZED };

static pthread_mutex_t stick_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int stick_state = STICK_STATE_NEW;
/* _stick_api, owned while the interpreter runs. */
static PyObject *stick_api;

/* *out = a copy of text (when out is not NULL); returns code. */
static int stick_report(char **out, int code, const char *text)
{
	if (out && text)
		*out = strdup(text);
	return code;
}

static int stick_not_ready(char **error)
{
	return stick_report(error, STICK_NOT_INITIALIZED,
		atomic_load(&stick_state) == STICK_STATE_FINALIZED ?
		"stick: the library was finalized (stick_finalize)" :
		"stick: the library is not initialized; call stick_init first");
}

/* A copy of data with a NUL after it. */
static int stick_copy(const char *data, size_t len, char **out,
		      size_t *out_len)
{
	char *copy = malloc(len + 1);

	if (!copy)
		return STICK_NO_MEMORY;
	memcpy(copy, data, len);
	copy[len] = '\0';
	if (out)
		*out = copy;
	else
		free(copy);
	if (out_len)
		*out_len = len;
	return STICK_OK;
}

/* The current exception, normalized; clears it (3.11 has no
 * PyErr_GetRaisedException). */
static PyObject *stick_take_exception(void)
{
#if PY_VERSION_HEX >= 0x030C0000
	return PyErr_GetRaisedException();
#else
	PyObject *type, *value, *tb;

	PyErr_Fetch(&type, &value, &tb);
	PyErr_NormalizeException(&type, &value, &tb);
	if (value && tb)
		PyException_SetTraceback(value, tb);
	Py_XDECREF(type);
	Py_XDECREF(tb);
	return value;
#endif
}

/* The current exception as a traceback text in *error; clears it. */
static int stick_exception(char **error)
{
	PyObject *exc = stick_take_exception();
	PyObject *text = NULL;
	const char *utf8 = NULL;
	int ret = STICK_EXCEPTION;

	if (exc && stick_api)
		text = PyObject_CallMethod(stick_api, "format_exception", "O", exc);
	if (text && PyUnicode_Check(text))
		utf8 = PyUnicode_AsUTF8(text);
	PyErr_Clear();
	if (error) {
		*error = strdup(utf8 ? utf8 :
			"stick: a Python exception could not be formatted");
		if (!*error)
			ret = STICK_NO_MEMORY;
	}
	Py_XDECREF(text);
	Py_XDECREF(exc);
	return ret;
}

/* The result of a call as bytes: str in UTF-8, bytes as they are. */
static int stick_result(PyObject *obj, char **result, size_t *result_len,
			char **error)
{
	PyObject *bytes;
	int ret;

	if (obj == Py_None)
		return STICK_OK;
	if (PyBytes_Check(obj))
		return stick_copy(PyBytes_AS_STRING(obj), PyBytes_GET_SIZE(obj),
				  result, result_len);
	if (PyByteArray_Check(obj))
		return stick_copy(PyByteArray_AS_STRING(obj),
				  PyByteArray_GET_SIZE(obj), result, result_len);
	if (PyUnicode_Check(obj)) {
		bytes = PyUnicode_AsEncodedString(obj, "utf-8", "surrogateescape");
	} else {
		PyObject *str = PyObject_Str(obj);

		bytes = str ? PyUnicode_AsEncodedString(str, "utf-8",
							"surrogateescape") : NULL;
		Py_XDECREF(str);
	}
	if (!bytes)
		return stick_exception(error);
	ret = stick_copy(PyBytes_AS_STRING(bytes), PyBytes_GET_SIZE(bytes),
			 result, result_len);
	Py_DECREF(bytes);
	return ret;
}

/* A tuple of str from C strings (undecodable bytes as surrogates). */
static PyObject *stick_args(int argc, const char *const *argv)
{
	PyObject *args = PyTuple_New(argc);

	for (int i = 0; args && i < argc; i++) {
		PyObject *s = PyUnicode_DecodeUTF8(argv[i], strlen(argv[i]),
						   "surrogateescape");

		if (!s) {
			Py_CLEAR(args);
			break;
		}
		PyTuple_SET_ITEM(args, i, s);
	}
	return args;
}

static int stick_check_args(int argc, const char *const *argv)
{
	if (argc < 0 || (argc > 0 && !argv))
		return -1;
	for (int i = 0; i < argc; i++) {
		if (!argv[i])
			return -1;
	}
	return 0;
}

/* Where the library lives: the .so itself, else the executable. */
static void stick_location(char *path, size_t size)
{
	Dl_info info;
	ssize_t n;

	if (dladdr((void *)stick_init, &info) && info.dli_fname &&
	    info.dli_fname[0] && realpath(info.dli_fname, path))
		return;
	n = readlink("/proc/self/exe", path, size - 1);
	if (n > 0) {
		path[n] = '\0';
		return;
	}
	snprintf(path, size, "/nonexistent/stick-library");
}

/* Imports the embedded importer and the API module; the GIL is held. */
static int stick_install(const char *location, char **error)
{
	PyObject *mod, *res = NULL;

	if (stick_importer_in_new_interpreters(location) < 0)
		return stick_report(error, STICK_NO_MEMORY,
			"stick: out of memory");
	mod = stick_importer_module();
	if (mod)
		res = PyObject_CallMethod(mod, "install", "s", location);
	if (res && !PySys_SetObject("frozen", Py_True))
		stick_api = PyImport_ImportModule("_stick_api");
	Py_XDECREF(mod);
	Py_XDECREF(res);
	if (!stick_api)
		return stick_exception(error) == STICK_NO_MEMORY ?
			STICK_NO_MEMORY : STICK_INIT_FAILED;
	return STICK_OK;
}

static int stick_status_error(PyStatus status, char **error)
{
	char text[512];

	snprintf(text, sizeof(text), "stick: cannot start Python: %s%s%s",
		 status.func ? status.func : "", status.func ? ": " : "",
		 status.err_msg ? status.err_msg : "unknown error");
	return stick_report(error, STICK_INIT_FAILED, text);
}

static PyStatus stick_configure(PyConfig *config, const char *location)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	PyStatus status;

	PyConfig_InitIsolatedConfig(config);
	config->site_import = 0;
	config->write_bytecode = 0;
	config->install_signal_handlers = 0;
	config->configure_c_stdio = 0;
	config->parse_argv = 0;
	/* The stdlib's virtual home is inside the library (see startup.c). */
	status = PyConfig_SetBytesString(config, &config->home, location);
	if (!PyStatus_Exception(status))
		status = PyConfig_SetBytesString(config, &config->executable,
			n > 0 ? (exe[n] = '\0', exe) : location);
	return status;
}

/* Starts the interpreter; stick_lock is held. */
static int stick_start(char **error)
{
	char location[PATH_MAX];
	PyPreConfig preconfig;
	PyConfig config;
	PyStatus status;
	int ret;

	if (Py_IsInitialized())
		return stick_report(error, STICK_INIT_FAILED, "stick: Python "
			"is already initialized in this process by its host");
	PyPreConfig_InitIsolatedConfig(&preconfig);
	preconfig.utf8_mode = 1;
	status = Py_PreInitialize(&preconfig);
	if (PyStatus_Exception(status))
		return stick_status_error(status, error);
	if (PyImport_AppendInittab("_stick", stick_init_module) < 0)
		return stick_report(error, STICK_NO_MEMORY,
			"stick: cannot register the _stick module");
	stick_location(location, sizeof(location));
	status = stick_configure(&config, location);
	if (!PyStatus_Exception(status))
		status = stick_initialize(&config, 0, NULL);
	PyConfig_Clear(&config);
	if (PyStatus_Exception(status))
		return stick_status_error(status, error);
	ret = stick_install(location, error);
	/* From now on each call takes the GIL for itself. */
	PyEval_SaveThread();
	return ret;
}

int stick_init(char **error)
{
	int ret = STICK_OK;

	if (error)
		*error = NULL;
	if (atomic_load(&stick_state) == STICK_STATE_READY)
		return STICK_OK;
	pthread_mutex_lock(&stick_lock);
	switch (atomic_load(&stick_state)) {
	case STICK_STATE_NEW:
		ret = stick_start(error);
		atomic_store(&stick_state, ret == STICK_OK ?
			STICK_STATE_READY : STICK_STATE_FAILED);
		break;
	case STICK_STATE_FAILED:
		ret = stick_report(error, STICK_INIT_FAILED,
			"stick: an earlier stick_init failed");
		break;
	case STICK_STATE_FINALIZED:
		ret = stick_report(error, STICK_NOT_INITIALIZED, "stick: the "
			"library was finalized and cannot start again");
		break;
	}
	pthread_mutex_unlock(&stick_lock);
	return ret;
}

int stick_call(const char *target, int argc, const char *const *argv,
	       char **result, size_t *result_len, char **error)
{
	PyGILState_STATE gil;
	PyObject *args, *res = NULL;
	int ret;

	if (result)
		*result = NULL;
	if (result_len)
		*result_len = 0;
	if (error)
		*error = NULL;
	if (!target || stick_check_args(argc, argv))
		return stick_report(error, STICK_INVALID, "stick_call: target "
			"and every argument must be non-NULL strings");
	if (atomic_load(&stick_state) != STICK_STATE_READY)
		return stick_not_ready(error);
	gil = PyGILState_Ensure();
	args = stick_args(argc, argv);
	if (args)
		res = PyObject_CallMethod(stick_api, "call", "sO", target, args);
	ret = res ? stick_result(res, result, result_len, error) :
		stick_exception(error);
	Py_XDECREF(args);
	Py_XDECREF(res);
	PyGILState_Release(gil);
	return ret;
}

/* (status, message) from _stick_api.run_module into a C result. */
static int stick_run_status(PyObject *res, char **error)
{
	int status;
	PyObject *msg;

	if (!PyArg_ParseTuple(res, "iO", &status, &msg))
		return stick_exception(error);
	if (msg != Py_None && error) {
		const char *utf8 = PyUnicode_AsUTF8(msg);

		*error = strdup(utf8 ? utf8 : "");
		PyErr_Clear();
	}
	return status;
}

int stick_run_module(const char *module, int argc, const char *const *argv,
		     char **error)
{
	PyGILState_STATE gil;
	PyObject *args, *res = NULL;
	int ret;

	if (error)
		*error = NULL;
	if (!module || stick_check_args(argc, argv))
		return stick_report(error, STICK_INVALID, "stick_run_module: "
			"module and every argument must be non-NULL strings");
	if (atomic_load(&stick_state) != STICK_STATE_READY)
		return stick_not_ready(error);
	gil = PyGILState_Ensure();
	args = stick_args(argc, argv);
	if (args)
		res = PyObject_CallMethod(stick_api, "run_module", "sO", module,
					  args);
	if (res)
		ret = stick_run_status(res, error);
	else
		ret = stick_exception(error) == STICK_NO_MEMORY ?
			STICK_NO_MEMORY : 1;
	Py_XDECREF(args);
	Py_XDECREF(res);
	PyGILState_Release(gil);
	return ret;
}

int stick_finalize(void)
{
	int ret = STICK_OK;

	pthread_mutex_lock(&stick_lock);
	if (atomic_load(&stick_state) == STICK_STATE_READY) {
		atomic_store(&stick_state, STICK_STATE_FINALIZED);
		PyGILState_Ensure();
		Py_CLEAR(stick_api);
		if (Py_FinalizeEx() < 0)
			ret = STICK_EXCEPTION;
	}
	pthread_mutex_unlock(&stick_lock);
	return ret;
}

void stick_free(void *p)
{
	free(p);
}

const char *stick_version(void)
{
	return "stick library, CPython " PY_VERSION;
}

const char *stick_strerror(int code)
{
	switch (code) {
	case STICK_OK: return "success";
	case STICK_EXCEPTION: return "the Python code raised an exception";
	case STICK_NOT_INITIALIZED: return "the library is not initialized";
	case STICK_INVALID: return "invalid argument";
	case STICK_NO_MEMORY: return "out of memory";
	case STICK_INIT_FAILED: return "the interpreter could not start";
	}
	return "unknown stick result";
}
