#include <Python.h>
#include <nothere.h>

static struct PyModuleDef def = { PyModuleDef_HEAD_INIT, "_m", NULL, -1, NULL };

PyMODINIT_FUNC PyInit__m(void)
{
	return PyModule_Create(&def);
}
