/* Calls into each library the toolchain links, through its own headers. */
#include <Python.h>
#include <stdio.h>
#include <stdlib.h>
#include <bzlib.h>
#include <editline/readline.h>
#include <ffi.h>
#include <lzma.h>
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <zlib.h>

static int add(int a, int b) { return a + b; }

static PyObject *crc(PyObject *self, PyObject *arg)
{
	Py_buffer in;
	unsigned long c;

	if (PyObject_GetBuffer(arg, &in, PyBUF_SIMPLE))
		return NULL;
	c = crc32(0L, in.buf, (uInt)in.len);
	PyBuffer_Release(&in);
	return PyLong_FromUnsignedLong(c);
}

/* add(40, 2) through libffi. */
static PyObject *ffi_add(PyObject *self, PyObject *unused)
{
	ffi_cif cif;
	ffi_type *args[2] = { &ffi_type_sint, &ffi_type_sint };
	int a = 40, b = 2;
	void *values[2] = { &a, &b };
	ffi_arg r;

	if (ffi_prep_cif(&cif, FFI_DEFAULT_ABI, 2, &ffi_type_sint, args) != FFI_OK)
		return PyErr_Format(PyExc_RuntimeError, "ffi_prep_cif failed");
	ffi_call(&cif, FFI_FN(add), &r, values);
	return PyLong_FromLong((long)r);
}

static PyObject *versions(PyObject *self, PyObject *unused)
{
	return Py_BuildValue("{s:s,s:s,s:s,s:s,s:s,s:s}",
		"zlib", zlibVersion(), "sqlite", sqlite3_libversion(),
		"lzma", lzma_version_string(), "bz2", BZ2_bzlibVersion(),
		"openssl", OpenSSL_version(OPENSSL_VERSION),
		"readline", rl_library_version ? rl_library_version : "");
}

static PyMethodDef methods[] = {
	{ "crc32", crc, METH_O, NULL },
	{ "ffi_add", ffi_add, METH_NOARGS, NULL },
	{ "versions", versions, METH_NOARGS, NULL },
	{ NULL, NULL, 0, NULL },
};
static struct PyModuleDef def = {
	PyModuleDef_HEAD_INIT, "usezlib._native", NULL, -1, methods,
};
PyMODINIT_FUNC PyInit__native(void) { return PyModule_Create(&def); }
