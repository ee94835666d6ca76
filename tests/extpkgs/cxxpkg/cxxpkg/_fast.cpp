extern "C" int f() { return 1; }
