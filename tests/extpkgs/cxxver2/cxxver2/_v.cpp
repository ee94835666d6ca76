#include <Python.h>

#include "vlib.h"

static PyObject *get(PyObject *, PyObject *)
{
	return Py_BuildValue("(iisi)", vlib_version(), Scale<int>::apply(3),
			     vlib_name(), vlib_calls());
}

static PyMethodDef methods[] = {
	{"get", get, METH_NOARGS, NULL},
	{NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
	PyModuleDef_HEAD_INIT, "cxxver2._v", NULL, -1, methods,
	NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__v(void)
{
	return PyModule_Create(&module);
}
