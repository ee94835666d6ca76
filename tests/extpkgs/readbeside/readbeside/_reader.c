/*
 * A C extension that reads the files beside its own module with the C
 * library (fopen, stat, opendir), as C code that ships data does: in a
 * stick executable those paths are inside the binary (embed/vfs.c).
 */
#include <Python.h>

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* The directory of this module's __file__, + "/" + name, into buf. */
static int beside(PyObject *self, const char *name, char *buf, size_t size)
{
	PyObject *file = PyModule_GetFilenameObject(self);
	const char *path, *slash;

	if (!file)
		return -1;
	path = PyUnicode_AsUTF8(file);
	slash = path ? strrchr(path, '/') : NULL;
	if (!slash || (size_t)(slash - path) + strlen(name) + 2 > size) {
		Py_DECREF(file);
		PyErr_SetString(PyExc_ValueError, "bad __file__");
		return -1;
	}
	snprintf(buf, size, "%.*s/%s", (int)(slash - path), path, name);
	Py_DECREF(file);
	return 0;
}

/* read(name): the bytes of the file beside the module, through fopen. */
static PyObject *read_file(PyObject *self, PyObject *args)
{
	char path[4096], data[4096];
	const char *name;
	size_t n;
	FILE *f;

	if (!PyArg_ParseTuple(args, "s", &name) ||
	    beside(self, name, path, sizeof(path)))
		return NULL;
	f = fopen(path, "r");
	if (!f)
		return PyErr_SetFromErrnoWithFilename(PyExc_OSError, path);
	n = fread(data, 1, sizeof(data), f);
	fclose(f);
	return PyBytes_FromStringAndSize(data, (Py_ssize_t)n);
}

/* size(name): st_size from stat(). */
static PyObject *file_size(PyObject *self, PyObject *args)
{
	char path[4096];
	const char *name;
	struct stat st;

	if (!PyArg_ParseTuple(args, "s", &name) ||
	    beside(self, name, path, sizeof(path)))
		return NULL;
	if (stat(path, &st) < 0)
		return PyErr_SetFromErrnoWithFilename(PyExc_OSError, path);
	return PyLong_FromLongLong((long long)st.st_size);
}

/* count(): the entries of the module's directory, through readdir. */
static PyObject *count_dir(PyObject *self, PyObject *args)
{
	char path[4096];
	struct dirent *d;
	long n = 0;
	DIR *dir;

	if (beside(self, ".", path, sizeof(path)))
		return NULL;
	dir = opendir(path);
	if (!dir)
		return PyErr_SetFromErrnoWithFilename(PyExc_OSError, path);
	while ((d = readdir(dir)))
		n += d->d_name[0] != '.';
	closedir(dir);
	return PyLong_FromLong(n);
}

static PyMethodDef methods[] = {
	{ "read", read_file, METH_VARARGS, NULL },
	{ "size", file_size, METH_VARARGS, NULL },
	{ "count", count_dir, METH_NOARGS, NULL },
	{ NULL, NULL, 0, NULL },
};

static struct PyModuleDef def = {
	PyModuleDef_HEAD_INIT, "readbeside._reader", NULL, -1, methods,
};

PyMODINIT_FUNC PyInit__reader(void) { return PyModule_Create(&def); }
