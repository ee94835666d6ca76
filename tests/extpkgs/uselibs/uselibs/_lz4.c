/* An LZ4 round trip: compress, decompress, compare. */
#include <Python.h>
#include <string.h>
#include <lz4.h>

static PyObject *roundtrip(PyObject *self, PyObject *arg)
{
	Py_buffer in;
	char comp[4096], back[4096];
	int n, m;
	PyObject *res;

	if (PyObject_GetBuffer(arg, &in, PyBUF_SIMPLE))
		return NULL;
	n = LZ4_compress_default(in.buf, comp, (int)in.len, sizeof(comp));
	m = n > 0 ? LZ4_decompress_safe(comp, back, n, sizeof(back)) : -1;
	res = Py_BuildValue("(siN)", LZ4_versionString(), n,
			    PyBool_FromLong(m == in.len && !memcmp(back, in.buf, m)));
	PyBuffer_Release(&in);
	return res;
}

static PyMethodDef methods[] = {
	{ "roundtrip", roundtrip, METH_O, NULL }, { NULL, NULL, 0, NULL },
};
static struct PyModuleDef def = {
	PyModuleDef_HEAD_INIT, "uselibs._lz4", NULL, -1, methods,
};
PyMODINIT_FUNC PyInit__lz4(void) { return PyModule_Create(&def); }
