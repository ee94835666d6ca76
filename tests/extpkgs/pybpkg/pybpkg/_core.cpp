#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace py = pybind11;

struct Pet {
	std::string name;
	explicit Pet(std::string n) : name(std::move(n)) {}
	std::string greet() const { return "hi " + name; }
};

static int add(int a, int b) { return a + b; }
static std::map<std::string, int> count(const std::vector<std::string> &v)
{
	std::map<std::string, int> m;
	for (auto &s : v)
		m[s]++;
	return m;
}
static void fail(const std::string &what) { throw std::invalid_argument(what); }

PYBIND11_MODULE(_core, m) {
	m.def("add", &add);
	m.def("count", &count);
	m.def("fail", &fail);
	py::class_<Pet>(m, "Pet").def(py::init<std::string>()).def("greet", &Pet::greet)
		.def_readwrite("name", &Pet::name);
}
