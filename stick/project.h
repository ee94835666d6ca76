/*
 * A Python project for `stick build PROJECT_DIR`: its pyproject.toml read
 * by the helper (stick/stickpy/project.py) with the toolchain's own
 * tomllib, one executable per [project.scripts] entry. This is the
 * `project` request: what stick needs before the builds (the Python
 * version, whether to prune, the scripts); each script's `build` request
 * then names the project and the script, and the helper reads the rest.
 */
#ifndef STICK_PROJECT_H
#define STICK_PROJECT_H

#include <stdbool.h>

#include "toolchain.h"
#include "util.h"

struct project {
	char *python;           /* [tool.stick] python, or NULL */
	bool prune;             /* [tool.stick] prune */
	bool dependencies;      /* [project.dependencies] or a pylock.toml */
	bool backend;           /* its pinned PEP 517 backend builds it */
	struct strvec names;    /* [project.scripts]: executable names */
	struct strvec sdists;   /* [tool.stick] sdists, and the project itself
				   when its build compiles C extensions */
};

void project_release(struct project *p);

/*
 * Reads the project in dir (absolute) with the toolchain's interpreter,
 * working under work. 0, or -1 after a message naming the file.
 */
int project_load(const struct toolchain *tc, const char *dir,
		 const char *work, struct project *p);

#endif
