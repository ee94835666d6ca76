// cxxpkg._fast: what a C++ extension relies on from its runtime:
// exceptions across its own frames (its own, and the runtime's
// std::out_of_range), a static constructor, thread_local with a
// destructor, std::thread, std::cout and the containers.
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <algorithm>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "helpers.h"

namespace {

struct Startup {
	std::string state;
	Startup() : state("constructed before main") {}
};
Startup startup;

struct Counter {
	int n = 0;
	~Counter() { ++destroyed; }
	static int destroyed;
};
int Counter::destroyed = 0;
thread_local Counter per_thread;

struct CodeError : std::exception {
	int code;
	explicit CodeError(int c) : code(c) {}
	const char *what() const noexcept override { return "code error"; }
};

int thrower(int code) { throw CodeError(code); }

}  // namespace

static PyObject *fast_descend(PyObject *, PyObject *arg)
{
	long n = PyLong_AsLong(arg);

	if (n == -1 && PyErr_Occurred())
		return NULL;
	try {
		helpers_descend((int)n);
	} catch (const std::exception &e) {
		return PyUnicode_FromFormat("caught '%s' %ld frames down", e.what(), n);
	}
	Py_RETURN_NONE;
}

static PyObject *fast_custom(PyObject *, PyObject *)
{
	try {
		thrower(42);
	} catch (const CodeError &e) {
		return PyLong_FromLong(e.code);
	}
	Py_RETURN_NONE;
}

static PyObject *fast_at(PyObject *, PyObject *arg)
{
	std::vector<int> v{1, 2, 3};

	try {
		return PyLong_FromLong(v.at((size_t)PyLong_AsLong(arg)));
	} catch (const std::out_of_range &) {
		PyErr_SetString(PyExc_IndexError, "out_of_range from libc++");
		return NULL;
	}
}

static PyObject *fast_startup(PyObject *, PyObject *)
{
	return PyUnicode_FromString(startup.state.c_str());
}

static PyObject *fast_threads(PyObject *, PyObject *)
{
	std::vector<int> seen(4);
	std::vector<std::thread> threads;
	int before = Counter::destroyed;

	per_thread.n = 100;
	for (int i = 0; i < 4; i++)
		threads.emplace_back([i, &seen] {
			for (int k = 0; k <= i; k++)
				per_thread.n++;
			seen[i] = per_thread.n;
		});
	for (auto &t : threads)
		t.join();
	std::ostringstream out;
	for (int s : seen)
		out << s << " ";
	out << "main=" << per_thread.n << " destroyed=" << Counter::destroyed - before;
	return PyUnicode_FromString(out.str().c_str());
}

static PyObject *fast_cout(PyObject *, PyObject *arg)
{
	const char *s = PyUnicode_AsUTF8(arg);

	if (!s)
		return NULL;
	std::cout << "cout: " << s << " " << 6 * 7 << std::endl;
	Py_RETURN_NONE;
}

static PyObject *fast_words(PyObject *, PyObject *arg)
{
	const char *s = PyUnicode_AsUTF8(arg);
	std::map<std::string, int> counts;
	std::istringstream in(s ? s : "");
	std::string w;

	if (!s)
		return NULL;
	while (in >> w)
		counts[w]++;
	std::vector<std::pair<std::string, int>> v(counts.begin(), counts.end());
	std::sort(v.begin(), v.end(), [](auto &a, auto &b) {
		return a.second != b.second ? a.second > b.second : a.first < b.first;
	});
	std::string r;
	for (auto &p : v)
		r += p.first + "=" + std::to_string(p.second) + " ";
	return PyUnicode_FromString(r.c_str());
}

static PyMethodDef methods[] = {
	{"descend", fast_descend, METH_O, NULL},
	{"custom", fast_custom, METH_NOARGS, NULL},
	{"at", fast_at, METH_O, NULL},
	{"startup", fast_startup, METH_NOARGS, NULL},
	{"threads", fast_threads, METH_NOARGS, NULL},
	{"cout", fast_cout, METH_O, NULL},
	{"words", fast_words, METH_O, NULL},
	{NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
	PyModuleDef_HEAD_INIT, "cxxpkg._fast", NULL, -1, methods,
	NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__fast(void)
{
	return PyModule_Create(&module);
}
