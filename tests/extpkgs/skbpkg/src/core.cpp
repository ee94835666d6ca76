// The machine the module was compiled for, and a sum over a list that
// throws and catches a C++ exception for a non-integer element.
#include <Python.h>

#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

static PyObject *arch(PyObject *, PyObject *)
{
#if defined(__aarch64__)
	std::string name = "aarch64";
#elif defined(__x86_64__)
	std::string name = "x86_64";
#else
	std::string name = "other";
#endif
	return PyUnicode_FromString(name.c_str());
}

static std::vector<long> to_longs(PyObject *list)
{
	std::vector<long> out;
	for (Py_ssize_t i = 0; i < PyList_Size(list); i++) {
		PyObject *item = PyList_GetItem(list, i);
		if (!PyLong_Check(item))
			throw std::invalid_argument("element " + std::to_string(i) +
						    " is not an int");
		out.push_back(PyLong_AsLong(item));
	}
	return out;
}

static PyObject *checked_sum(PyObject *, PyObject *arg)
{
	if (!PyList_Check(arg)) {
		PyErr_SetString(PyExc_TypeError, "a list is needed");
		return nullptr;
	}
	try {
		std::vector<long> v = to_longs(arg);
		return PyLong_FromLong(std::accumulate(v.begin(), v.end(), 0L));
	} catch (const std::invalid_argument &e) {
		PyErr_SetString(PyExc_ValueError, e.what());
		return nullptr;
	}
}

static PyMethodDef methods[] = {
	{"arch", arch, METH_NOARGS, nullptr},
	{"checked_sum", checked_sum, METH_O, nullptr},
	{nullptr, nullptr, 0, nullptr},
};

static struct PyModuleDef module = {
	PyModuleDef_HEAD_INIT, "_core", nullptr, -1, methods,
};

PyMODINIT_FUNC PyInit__core(void)
{
	return PyModule_Create(&module);
}
