/*
 * A C host of a stick library (tests/t5000-library.sh): it includes only
 * the generated mylib.h, no Python header. "basic" walks through the API
 * (a call before stick_init, calls, an exception, bytes, run_module,
 * stick_finalize); "threads" starts the library from several threads at
 * once and then calls it concurrently. Built with -DHOST_DLOPEN it loads
 * the shared library given as its second argument with dlopen.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mylib.h"

#ifdef HOST_DLOPEN
#include <dlfcn.h>
#define API(f) static __typeof__(f) *p_##f;
API(stick_init) API(stick_call) API(stick_run_module) API(stick_finalize)
API(stick_free) API(stick_version) API(stick_strerror)
#define CALL(f) p_##f
static int load(const char *path)
{
	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);

	if (!h) {
		printf("dlopen: %s\n", dlerror());
		return -1;
	}
#define LOAD(f) if (!(p_##f = (__typeof__(f) *)dlsym(h, #f))) return -1;
	LOAD(stick_init) LOAD(stick_call) LOAD(stick_run_module)
	LOAD(stick_finalize) LOAD(stick_free) LOAD(stick_version)
	LOAD(stick_strerror)
	return 0;
}
#else
#define CALL(f) f
#endif

static void show(const char *what, int rc, char *result, size_t len,
		 char *error)
{
	printf("%s: rc=%d (%s) len=%zu\n", what, rc, CALL(stick_strerror)(rc), len);
	if (result)
		printf("%s: result=%s\n", what, result);
	if (error)
		printf("%s: error=%s\n", what, error);
	CALL(stick_free)(result);
	CALL(stick_free)(error);
}

static int basic(void)
{
	const char *args[] = { "héllo", "100" };
	const char *cli[] = { "3", "x y" };
	char *result, *error;
	size_t len;
	int rc;

	rc = CALL(stick_call)("mylib:work", 2, args, &result, &len, &error);
	show("before init", rc, result, len, error);
	rc = CALL(stick_init)(&error);
	printf("init: rc=%d %s\n", rc, error ? error : "");
	CALL(stick_free)(error);
	printf("init again: rc=%d\n", CALL(stick_init)(NULL));
	printf("version: %s\n", CALL(stick_version)());
	rc = CALL(stick_call)("mylib:work", 2, args, &result, &len, &error);
	show("work", rc, result, len, error);
	rc = CALL(stick_call)("mylib:boom", 1, args, &result, &len, &error);
	show("boom", rc, result, len, error);
	rc = CALL(stick_call)("nosuch.module:f", 0, NULL, &result, &len, &error);
	show("missing", rc, result, len, error);
	rc = CALL(stick_call)("mylib:square", 1, args + 1, &result, &len, &error);
	show("after exception", rc, result, len, error);
	rc = CALL(stick_call)("mylib:raw", 0, NULL, &result, &len, &error);
	printf("raw: rc=%d len=%zu bytes=%d,%d,%d\n", rc, len, result[0],
	       result[1], result[2]);
	CALL(stick_free)(result);
	rc = CALL(stick_call)("mylib:nothing", 0, NULL, &result, &len, &error);
	printf("none: rc=%d result=%s\n", rc, result ? "set" : "NULL");
	rc = CALL(stick_call)(NULL, 0, NULL, &result, &len, &error);
	show("null target", rc, result, len, error);
	fflush(stdout);
	rc = CALL(stick_run_module)("mylib.cli", 2, cli, &error);
	printf("run_module: status=%d error=%s\n", rc, error ? error : "(none)");
	CALL(stick_free)(error);
	printf("finalize: rc=%d\n", CALL(stick_finalize)());
	rc = CALL(stick_call)("mylib:square", 1, args + 1, &result, &len, &error);
	show("after finalize", rc, result, len, error);
	return 0;
}

#define THREADS 8
#define CALLS 200

static void *worker(void *arg)
{
	long id = (long)arg, bad = 0;

	for (long i = 0; i < CALLS; i++) {
		char in[32], want[32], *result = NULL, *error = NULL;
		const char *argv[] = { in };
		long x = id * 1000 + i;
		int rc;

		snprintf(in, sizeof(in), "%ld", x);
		snprintf(want, sizeof(want), "%ld", x * x);
		if (i % 10 == 0) {
			rc = CALL(stick_call)("mylib:boom", 1, argv, &result,
					      NULL, &error);
			if (rc != STICK_EXCEPTION || !strstr(error, "ValueError"))
				bad++;
		} else {
			rc = CALL(stick_call)("mylib:square", 1, argv, &result,
					      NULL, &error);
			if (rc != STICK_OK || strcmp(result, want))
				bad++;
		}
		CALL(stick_free)(result);
		CALL(stick_free)(error);
	}
	return (void *)bad;
}

static void *starter(void *arg)
{
	(void)arg;
	return (void *)(long)CALL(stick_init)(NULL);
}

static int threads(void)
{
	pthread_t t[THREADS];
	long bad = 0;
	void *r;

	/* Every thread starts the library at once: one start-up wins. */
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, starter, NULL);
	for (long i = 0; i < THREADS; i++) {
		pthread_join(t[i], &r);
		bad += (long)r != 0;
	}
	for (long i = 0; i < THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (long i = 0; i < THREADS; i++) {
		pthread_join(t[i], &r);
		bad += (long)r;
	}
	printf("threads: %d x %d calls, %ld wrong\n", THREADS, CALLS, bad);
	return bad != 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "basic";

#ifdef HOST_DLOPEN
	if (argc < 3 || load(argv[2]))
		return 2;
#endif
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(mode, "threads"))
		return threads();
	return basic();
}
