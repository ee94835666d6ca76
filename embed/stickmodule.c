/*
 * _stick: read access to the application's embedded modules, sources and
 * files, for the importer in embed/stick_importer.py. Data is returned as
 * memoryviews of the read-only table, without copies.
 */
#include "stick.h"

#include <marshal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int stick_compare(const char *kind_name, const char *key)
{
	return strcmp(kind_name, key);
}

const struct stick_entry *stick_lookup(char kind, const char *name)
{
	size_t lo = 0, hi = (size_t)stick_app_count;
	size_t n = strlen(name);
	char *want = malloc(n + 3);
	const struct stick_entry *found = NULL;

	if (!want)
		return NULL;
	want[0] = kind;
	want[1] = ':';
	memcpy(want + 2, name, n + 1);
	while (lo < hi && !found) {
		size_t mid = lo + (hi - lo) / 2;
		int c = stick_compare(want, stick_app_entries[mid].key);

		if (c == 0)
			found = &stick_app_entries[mid];
		else if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	free(want);
	return found;
}

static PyObject *stick_view(const struct stick_entry *e)
{
	return PyMemoryView_FromMemory((char *)e->data, e->size, PyBUF_READ);
}

/* get(kind, name) -> memoryview or None */
static PyObject *stick_get(PyObject *self, PyObject *args)
{
	const char *kind, *name;
	const struct stick_entry *e;

	(void)self;
	if (!PyArg_ParseTuple(args, "ss:get", &kind, &name))
		return NULL;
	e = stick_lookup(kind[0], name);
	if (!e)
		Py_RETURN_NONE;
	return stick_view(e);
}

/* names(kind) -> list of the names of every entry of that kind */
static PyObject *stick_names(PyObject *self, PyObject *args)
{
	const char *kind;
	PyObject *list;

	(void)self;
	if (!PyArg_ParseTuple(args, "s:names", &kind))
		return NULL;
	list = PyList_New(0);
	for (int i = 0; list && i < stick_app_count; i++) {
		const char *key = stick_app_entries[i].key;
		PyObject *s;

		if (key[0] != kind[0])
			continue;
		s = PyUnicode_FromString(key + 2);
		if (!s || PyList_Append(list, s)) {
			Py_XDECREF(s);
			Py_CLEAR(list);
			break;
		}
		Py_DECREF(s);
	}
	return list;
}

/* extensions() -> list of the module names of the linked C extensions */
static PyObject *stick_extensions(PyObject *self, PyObject *args)
{
	struct _inittab *table = stick_ext_inittab;
	PyObject *list = PyList_New(0);

	(void)self;
	(void)args;
	for (size_t i = 0; list && table && table[i].name; i++) {
		PyObject *s = PyUnicode_FromString(table[i].name);

		if (!s || PyList_Append(list, s))
			Py_CLEAR(list);
		Py_XDECREF(s);
	}
	return list;
}

/*
 * getenv(name) -> str or None: the process environment's value, which
 * OpenSSL reads. os.environ is a copy made during start-up, before
 * start-up pointed SSL_CERT_FILE at the host's CA bundle (startup.c).
 */
static PyObject *stick_getenv(PyObject *self, PyObject *args)
{
	const char *name, *value;

	(void)self;
	if (!PyArg_ParseTuple(args, "s:getenv", &name))
		return NULL;
	value = getenv(name);
	if (!value)
		Py_RETURN_NONE;
	return PyUnicode_DecodeFSDefault(value);
}

/*
 * The embedded files served at C level under the executable's path
 * (embed/vfs.c): linked into musl executables only, so a weak reference
 * (NULL in libraries and glibc outputs).
 */
extern int stick_vfs_set_root(const char *exe) __attribute__((weak));

/*
 * serve(path) -> bool: every file operation on a path under path + "/"
 * is answered from the embedded table from now on (embed/vfs_wrap.c);
 * False when this output has no such layer (a library) or path is not
 * the executable's.
 */
static PyObject *stick_serve(PyObject *self, PyObject *args)
{
	PyObject *path;
	int ok;

	(void)self;
	/* Bytes as the file system has them (sys.executable may not be UTF-8). */
	if (!PyArg_ParseTuple(args, "O&:serve", PyUnicode_FSConverter, &path))
		return NULL;
	ok = stick_vfs_set_root &&
	     stick_vfs_set_root(PyBytes_AS_STRING(path)) == 0;
	Py_DECREF(path);
	return PyBool_FromLong(ok);
}

static PyMethodDef stick_methods[] = {
	{ "extensions", stick_extensions, METH_NOARGS,
	  "extensions(): the names of the C extensions built from sdists" },
	{ "get", stick_get, METH_VARARGS,
	  "get(kind, name): the embedded bytes, or None" },
	{ "getenv", stick_getenv, METH_VARARGS,
	  "getenv(name): the process environment's value, or None" },
	{ "names", stick_names, METH_VARARGS,
	  "names(kind): every embedded name of that kind" },
	{ "serve", stick_serve, METH_VARARGS,
	  "serve(path): serve the embedded files under path at C level" },
	{ NULL, NULL, 0, NULL },
};

/*
 * Multi-phase, without state: every interpreter of the process may import
 * it, subinterpreters with their own GIL included.
 */
static PyModuleDef_Slot stick_slots[] = {
#ifdef Py_mod_multiple_interpreters
	{ Py_mod_multiple_interpreters, Py_MOD_PER_INTERPRETER_GIL_SUPPORTED },
#endif
	{ 0, NULL },
};

static struct PyModuleDef stick_module = {
	PyModuleDef_HEAD_INIT, "_stick",
	"The application data embedded by stick.", 0, stick_methods,
	stick_slots, NULL, NULL, NULL,
};

PyObject *stick_init_module(void)
{
	return PyModuleDef_Init(&stick_module);
}

PyObject *stick_importer_module(void)
{
	const struct stick_entry *e = stick_lookup('m', "_stick_importer");
	PyObject *code, *mod;

	if (!e) {
		PyErr_SetString(PyExc_ImportError, "stick: this output has no "
			"embedded importer; rebuild it with stick build");
		return NULL;
	}
	code = PyMarshal_ReadObjectFromString((const char *)e->data, e->size);
	mod = code ? PyImport_ExecCodeModule("_stick_importer", code) : NULL;
	Py_XDECREF(code);
	return mod;
}

/* What stick_importer_in_new_interpreters() passes to install(). */
static char *stick_new_interpreter_location;

/* _Py_stick_new_interpreter_hook: runs in the new interpreter. */
static void stick_install_in_new_interpreter(void)
{
	const char *loc = stick_new_interpreter_location;
	PyObject *mod = stick_importer_module();
	PyObject *res = NULL;

	if (mod)
		res = loc ? PyObject_CallMethod(mod, "install", "s", loc) :
			PyObject_CallMethod(mod, "install", NULL);
	if (res && PySys_SetObject("frozen", Py_True) == 0) {
		Py_DECREF(res);
		Py_DECREF(mod);
		return;
	}
	Py_XDECREF(res);
	Py_XDECREF(mod);
	fprintf(stderr, "stick: a new interpreter could not install the "
		"embedded importer; it sees the stdlib alone:\n");
	PyErr_Print();
}

int stick_importer_in_new_interpreters(const char *location)
{
	char *copy = location ? strdup(location) : NULL;

	if (location && !copy)
		return -1;
	/* A library started again after stick_finalize() comes here twice. */
	free(stick_new_interpreter_location);
	stick_new_interpreter_location = copy;
	_Py_stick_new_interpreter_hook = stick_install_in_new_interpreter;
	return 0;
}
