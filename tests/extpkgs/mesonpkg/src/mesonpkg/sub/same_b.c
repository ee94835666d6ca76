#include <Python.h>

static struct PyModuleDef mod = {
	PyModuleDef_HEAD_INIT, "_same", NULL, -1, NULL,
};

PyMODINIT_FUNC PyInit__same(void)
{
	PyObject *m = PyModule_Create(&mod);

	if (m && PyModule_AddStringConstant(m, "which", "b") < 0) {
		Py_DECREF(m);
		return NULL;
	}
	return m;
}
