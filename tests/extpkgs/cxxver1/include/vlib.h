// vlib 1: a header-only library. Every name here is the same in both
// versions; what they return differs. Inline functions, a template and an
// inline function's static are COMDAT groups in an object file.
#pragma once
inline int vlib_version() { return 1; }
template <class T> struct Scale {
	static T apply(T x) { return x * 10; }
};
inline const char *vlib_name()
{
	static const char name[] = "vlib one";
	return name;
}
inline int &vlib_calls()
{
	static int calls = 0;
	return ++calls, calls;
}
