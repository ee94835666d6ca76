#include "patch.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "proc.h"
#include "banned.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int patch_list(const char *dir, struct strvec *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d) {
		if (errno == ENOENT)
			return 0;
		return error("cannot read patch directory '%s':", dir);
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] != '.' && ends_with(de->d_name, ".patch"))
			strvec_push(out, de->d_name);
	}
	closedir(d);
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_str);
	return 0;
}

static int apply_one(const char *patch, const char *tree, const char *log)
{
	/* patch -d changes directory before reading -i: pass it absolute. */
	char *abs = realpath(patch, NULL);
	char *argv[] = {
		"patch", "-p1", "--forward", "--batch", "--no-backup-if-mismatch",
		"-d", (char *)tree, "-i", abs, NULL,
	};
	struct proc_opts po = { .log_path = log };
	int rc;

	if (!abs)
		return error("cannot resolve patch '%s':", patch);
	rc = proc_run(argv, &po);
	free(abs);

	if (rc == 0)
		return 0;
	if (rc > 0) {
		error("patch '%s' does not apply to '%s' (exit %d); see '%s'",
			patch, tree, rc, log);
		proc_show_log_tail(log);
	}
	return -1;
}

int patch_apply_all(const char *patches_dir, const char *component,
		    const char *version, const char *tree,
		    const char *log_path)
{
	char *dir = xasprintf("%s/%s/%s", patches_dir, component, version);
	struct strvec names = STRVEC_INIT;
	int ret = patch_list(dir, &names);

	for (size_t i = 0; !ret && i < names.n; i++) {
		char *patch = path_join(dir, names.v[i]);
		struct step st;

		step_begin(&st, "patch %s %s: %s", component, version, names.v[i]);
		ret = apply_one(patch, tree, log_path);
		step_end(&st, ret == 0);
		free(patch);
	}
	strvec_clear(&names);
	free(dir);
	return ret;
}
