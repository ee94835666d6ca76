/*
 * A Python project for `stick build PROJECT_DIR`: its pyproject.toml read
 * by scripts/project.py with the toolchain's own tomllib, its packages
 * staged with a generated *.dist-info, one executable per
 * [project.scripts] entry.
 */
#ifndef STICK_PROJECT_H
#define STICK_PROJECT_H

#include <stdbool.h>

#include "toolchain.h"
#include "util.h"

struct project {
	char *python;           /* [tool.stick] python, or NULL */
	struct strvec paths;    /* the staged packages, then [tool.stick] paths */
	struct strvec includes; /* [tool.stick] include */
	struct strvec excludes; /* [tool.stick] exclude */
	bool prune;             /* [tool.stick] prune */
	struct strvec names;    /* [project.scripts]: executable names */
	struct strvec entries;  /* ... and their MODULE:FUNCTION, same order */
};

void project_release(struct project *p);

/*
 * Reads the project in dir (absolute) with the toolchain's interpreter,
 * staging it under work. 0, or -1 after a message naming the file.
 */
int project_load(const struct toolchain *tc, const char *dir,
		 const char *work, struct project *p);

#endif
