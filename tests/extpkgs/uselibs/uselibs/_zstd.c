/* A zstd round trip: compress, decompress, compare. */
#include <Python.h>
#include <string.h>
#include <zstd.h>

static PyObject *roundtrip(PyObject *self, PyObject *arg)
{
	Py_buffer in;
	char comp[4096], back[4096];
	size_t n, m;
	PyObject *res;

	if (PyObject_GetBuffer(arg, &in, PyBUF_SIMPLE))
		return NULL;
	n = ZSTD_compress(comp, sizeof(comp), in.buf, in.len, 19);
	m = ZSTD_isError(n) ? 0 : ZSTD_decompress(back, sizeof(back), comp, n);
	res = Py_BuildValue("(sNN)", ZSTD_versionString(), PyLong_FromSize_t(n),
			    PyBool_FromLong(!ZSTD_isError(m) && m == (size_t)in.len &&
					    !memcmp(back, in.buf, m)));
	PyBuffer_Release(&in);
	return res;
}

static PyMethodDef methods[] = {
	{ "roundtrip", roundtrip, METH_O, NULL }, { NULL, NULL, 0, NULL },
};
static struct PyModuleDef def = {
	PyModuleDef_HEAD_INIT, "uselibs._zstd", NULL, -1, methods,
};
PyMODINIT_FUNC PyInit__zstd(void) { return PyModule_Create(&def); }
