/* Includes what glibc and musl both have; with glibc's headers first
 * this would be glibc's <features.h> in a musl object. */
#include <Python.h>
#include <stdio.h>
#include <string.h>

static PyObject *hello(PyObject *self, PyObject *args)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%s %zu", "hostinc", strlen("abc"));
	return PyUnicode_FromString(buf);
}

static PyMethodDef methods[] = {
	{ "hello", hello, METH_NOARGS, NULL }, { NULL, NULL, 0, NULL },
};
static struct PyModuleDef def = {
	PyModuleDef_HEAD_INIT, "hostinc._fast", NULL, -1, methods,
};
PyMODINIT_FUNC PyInit__fast(void) { return PyModule_Create(&def); }
