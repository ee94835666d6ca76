/* Same leaf name, same non-static C names as the other collide package. */
#include <Python.h>

int shared_value(void) { return 2; }
const char *shared_name = "collide_b";

static PyObject *value(PyObject *self, PyObject *args)
{
	return PyLong_FromLong(shared_value());
}

static PyObject *where(PyObject *self, PyObject *args)
{
	return PyUnicode_FromString(shared_name);
}

static PyMethodDef methods[] = {
	{ "value", value, METH_NOARGS, NULL },
	{ "where", where, METH_NOARGS, NULL },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef def = {
	PyModuleDef_HEAD_INIT, "collide_b._speedups", NULL, -1, methods,
};

PyMODINIT_FUNC PyInit__speedups(void) { return PyModule_Create(&def); }
