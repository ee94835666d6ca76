/*
 * The C API of a Python library built by stick (stick build --lib or
 * --shared). Only this header is needed: no Python header, no Python
 * type. Strings are UTF-8 and NUL-terminated; every string the library
 * returns is allocated for the caller, who frees it with stick_free().
 *
 * Start once with stick_init() (idempotent and thread-safe), then call
 * into Python from any thread, several at once if you like: each call
 * takes the interpreter lock for its duration. A Python exception comes
 * back as an error text (the traceback) and leaves the library usable.
 * The library never exits the process, installs no signal handler and
 * writes nothing to stdout or stderr unless the Python code does.
 */
#ifndef STICK_LIBRARY_API_H
#define STICK_LIBRARY_API_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define STICK_API __attribute__((visibility("default")))

/* Results; the negative ones come with an error text where one is asked. */
enum {
	STICK_OK = 0,
	STICK_EXCEPTION = -1,       /* Python raised: the text is its traceback */
	STICK_NOT_INITIALIZED = -2, /* no stick_init() yet, or after stick_finalize() */
	STICK_INVALID = -3,         /* a NULL or malformed argument */
	STICK_NO_MEMORY = -4,
	STICK_INIT_FAILED = -5,     /* the interpreter could not start */
};

/*
 * Starts the embedded interpreter: isolated (no PYTHON* variables, no
 * user site, no current directory on sys.path, no bytecode written), the
 * stdlib and the application imported from memory, UTF-8 mode. Safe to
 * call from several threads and more than once: later calls return
 * STICK_OK at once. It cannot start again after stick_finalize(). When
 * SSL_CERT_FILE and SSL_CERT_DIR are unset it sets SSL_CERT_FILE to the
 * system's CA bundle, as stick executables do. On failure, *error (when
 * error is not NULL) receives a text to free with stick_free().
 */
STICK_API int stick_init(char **error);

/*
 * Calls TARGET, "module:function" (or "module:Class.method"), with argc
 * str arguments. The return value comes back in *result: a str as UTF-8,
 * bytes or bytearray as they are, any other object as its str(), None as
 * NULL. *result_len (when result_len is not NULL) is its length without
 * the terminating NUL, which is always added. On STICK_EXCEPTION, *error
 * holds the formatted traceback; a SystemExit raised by the function is
 * an exception like any other. result and error may be NULL.
 */
STICK_API int stick_call(const char *target, int argc,
			 const char *const *argv, char **result,
			 size_t *result_len, char **error);

/*
 * Runs a module as __main__ (python -m MODULE ARGS...) with
 * sys.argv = [MODULE, argv...], restoring sys.argv afterwards; runs are
 * serialised, since sys.argv and __main__ are process-wide. Returns the
 * exit status the program would have had: 0, SystemExit's code, or 1
 * with *error holding SystemExit's message or the traceback of an
 * uncaught exception. Negative: an error of the library itself.
 */
STICK_API int stick_run_module(const char *module, int argc,
			       const char *const *argv, char **error);

/*
 * Stops the interpreter (Py_FinalizeEx), from the thread that called
 * stick_init(), once no call is running. Later calls return
 * STICK_NOT_INITIALIZED. Returns STICK_OK, or STICK_EXCEPTION when
 * flushing buffered data failed. Optional: a process may simply exit.
 */
STICK_API int stick_finalize(void);

/* Frees a string the library returned; NULL is fine. */
STICK_API void stick_free(void *p);

/* "stick library, CPython 3.13.5": a static string. */
STICK_API const char *stick_version(void);

/* A static description of a STICK_* result. */
STICK_API const char *stick_strerror(int code);

#ifdef __cplusplus
}
#endif

#endif
