// A second translation unit: exceptions thrown here are caught in
// _fast.cpp, across this file's frames.
#include <stdexcept>
#include <string>

#include "helpers.h"

int helpers_descend(int n)
{
	if (n == 0)
		throw std::runtime_error("bottom of " + std::to_string(helpers_depth()));
	return helpers_descend(n - 1) + 1;
}

int helpers_depth()
{
	static int calls = 0;
	return ++calls;
}
