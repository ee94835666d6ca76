/*
 * main() for a fuzz target without libFuzzer: runs every file named on
 * the command line (a directory: every file in it) through
 * LLVMFuzzerTestOneInput once. Built with ASan and UBSan, it is how
 * t0950 replays the regression corpus in `make test`.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

__attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static int run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (!f) {
		fprintf(stderr, "standalone: cannot open '%s'\n", path);
		return -1;
	}
	do {
		if (n == cap) {
			cap = cap ? 2 * cap : 4096;
			buf = realloc(buf, cap);
			if (!buf)
				abort();
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	/* An exact-size copy, as libFuzzer passes it: overreads show. */
	uint8_t *exact = malloc(n ? n : 1);
	memcpy(exact, buf, n);
	free(buf);
	fprintf(stderr, "standalone: %s (%zu bytes)\n", path, n);
	LLVMFuzzerTestOneInput(exact, n);
	free(exact);
	return 0;
}

static int run_path(const char *path, int *count)
{
	struct stat st;
	struct dirent **names;
	int n, ret = 0;

	if (stat(path, &st) || !S_ISDIR(st.st_mode)) {
		++*count;
		return run_file(path);
	}
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "standalone: cannot list '%s'\n", path);
		return -1;
	}
	for (int i = 0; i < n; i++) {
		char *full;

		if (names[i]->d_name[0] != '.' && !ret) {
			full = malloc(strlen(path) + strlen(names[i]->d_name) + 2);
			sprintf(full, "%s/%s", path, names[i]->d_name);
			ret = run_path(full, count);
			free(full);
		}
		free(names[i]);
	}
	free(names);
	return ret;
}

int main(int argc, char **argv)
{
	int count = 0;

	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		if (run_path(argv[i], &count))
			return 1;
	}
	printf("standalone: %d inputs ran\n", count);
	return 0;
}
