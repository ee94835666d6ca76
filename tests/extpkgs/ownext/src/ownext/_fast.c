/* The project's own extension: triple(n) -> 3 * n. */
#include <Python.h>

static PyObject *triple(PyObject *self, PyObject *arg)
{
	long n = PyLong_AsLong(arg);

	if (n == -1 && PyErr_Occurred())
		return NULL;
	return PyLong_FromLong(3 * n);
}

static PyMethodDef methods[] = {
	{ "triple", triple, METH_O, "3 * n" },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef def = {
	PyModuleDef_HEAD_INIT, "ownext._fast", NULL, 0, methods,
};

PyMODINIT_FUNC PyInit__fast(void) { return PyModuleDef_Init(&def); }
