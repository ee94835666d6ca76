// vlib 2: a header-only library. Every name here is the same in both
// versions; what they return differs. Inline functions, a template and an
// inline function's static are COMDAT groups in an object file.
#pragma once
inline int vlib_version() { return 2; }
template <class T> struct Scale {
	static T apply(T x) { return x * 20; }
};
inline const char *vlib_name()
{
	static const char name[] = "vlib two";
	return name;
}
inline int &vlib_calls()
{
	static int calls = 0;
	return ++calls, calls;
}
