#define PY_SSIZE_T_CLEAN
#include <Python.h>

int helper_triple(int x);
int answer_asm(void);

static PyObject *triple(PyObject *self, PyObject *arg)
{
	long v = PyLong_AsLong(arg);

	if (v == -1 && PyErr_Occurred())
		return NULL;
	return PyLong_FromLong(helper_triple((int)v) + answer_asm() - 14);
}

static PyMethodDef methods[] = {
	{"triple", triple, METH_O, NULL},
	{NULL, NULL, 0, NULL},
};

static struct PyModuleDef mod = {
	PyModuleDef_HEAD_INIT, "mesonpkg._cmod", NULL, -1, methods,
};

PyMODINIT_FUNC PyInit__cmod(void) { return PyModule_Create(&mod); }
