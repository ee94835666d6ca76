#include <Python.h>
#include <vector>

PyMODINIT_FUNC PyInit__broken(void)
{
	std::vector<int> v = this_is_not_declared_in_cxx;
	return NULL;
}
