#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

static std::string count_words(const char *text)
{
	std::map<std::string, int> n;
	std::istringstream in(text);
	std::string w;
	while (in >> w)
		n[w]++;
	if (n.empty())
		throw std::invalid_argument("no words");
	std::ostringstream out;
	for (const auto &[k, v] : n)
		out << k << '=' << v << ' ';
	return out.str();
}

static PyObject *words(PyObject *, PyObject *arg)
{
	const char *s = PyUnicode_AsUTF8(arg);
	if (!s)
		return nullptr;
	try {
		return PyUnicode_FromString(count_words(s).c_str());
	} catch (const std::exception &e) {
		PyErr_SetString(PyExc_ValueError, e.what());
		return nullptr;
	}
}

static PyMethodDef methods[] = {
	{"words", words, METH_O, nullptr},
	{nullptr, nullptr, 0, nullptr},
};

static struct PyModuleDef mod = {
	PyModuleDef_HEAD_INIT, "mesonpkg.sub._cxxmod", nullptr, -1, methods,
};

PyMODINIT_FUNC PyInit__cxxmod(void) { return PyModule_Create(&mod); }
