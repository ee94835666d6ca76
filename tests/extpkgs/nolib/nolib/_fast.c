#include <Python.h>
static struct PyModuleDef def = { PyModuleDef_HEAD_INIT, "nolib._fast", NULL, -1, NULL };
PyMODINIT_FUNC PyInit__fast(void) { return PyModule_Create(&def); }
