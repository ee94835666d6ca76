/* libjpeg: encode a WxH gray gradient in memory; the JPEG's bytes. */
#include <Python.h>
#include <stdio.h>
#include <jpeglib.h>

static PyObject *encode(PyObject *self, PyObject *args)
{
	int w, h;
	struct jpeg_compress_struct c;
	struct jpeg_error_mgr err;
	unsigned char *out = NULL, row[256];
	unsigned long size = 0;
	PyObject *res;

	if (!PyArg_ParseTuple(args, "ii", &w, &h) || w > 256)
		return NULL;
	c.err = jpeg_std_error(&err);
	jpeg_create_compress(&c);
	jpeg_mem_dest(&c, &out, &size);
	c.image_width = w;
	c.image_height = h;
	c.input_components = 1;
	c.in_color_space = JCS_GRAYSCALE;
	jpeg_set_defaults(&c);
	jpeg_start_compress(&c, TRUE);
	while (c.next_scanline < c.image_height) {
		JSAMPROW r = row;

		for (int x = 0; x < w; x++)
			row[x] = (unsigned char)(x + c.next_scanline);
		jpeg_write_scanlines(&c, &r, 1);
	}
	jpeg_finish_compress(&c);
	jpeg_destroy_compress(&c);
	res = PyBytes_FromStringAndSize((const char *)out, (Py_ssize_t)size);
	free(out);
	return res;
}

static PyMethodDef methods[] = {
	{ "encode", encode, METH_VARARGS, NULL }, { NULL, NULL, 0, NULL },
};
static struct PyModuleDef def = {
	PyModuleDef_HEAD_INIT, "uselibs._jpeg", NULL, -1, methods,
};
PyMODINIT_FUNC PyInit__jpeg(void) { return PyModule_Create(&def); }
