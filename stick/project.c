#include "project.h"

#include <stdlib.h>
#include <string.h>

#include "helper.h"
#include "log.h"
#include "tool.h"
#include "banned.h"

void project_release(struct project *p)
{
	free(p->python);
	strvec_clear(&p->names);
	strvec_clear(&p->sdists);
	memset(p, 0, sizeof(*p));
}

/*
 * The `project` result: python, prune, dependencies, backend NAME,
 * project-script NAME ENTRY, sdist.
 */
static int read_result(const struct kvfile *result, const char *work,
		       struct project *p)
{
	const char *python = kvfile_get(result, "python");

	p->python = python ? xstrdup(python) : NULL;
	p->prune = kvfile_has(result, "prune");
	p->dependencies = kvfile_has(result, "dependencies");
	p->backend = kvfile_has(result, "backend");
	for (size_t i = 0; i < result->n; i++) {
		const struct kv *kv = &result->v[i];

		if (!strcmp(kv->key, "sdist"))
			strvec_push(&p->sdists, kv->value);
		if (!strcmp(kv->key, "project-script")) {
			char *name = xstrndup(kv->value,
					      strcspn(kv->value, " "));

			strvec_push(&p->names, name);
			free(name);
		}
	}
	if (!p->names.n)
		return error("the helper's result in '%s' names no script "
			     "(stick and stick/stickpy disagree)", work);
	return 0;
}

int project_load(const struct toolchain *tc, const char *dir,
		 const char *work, struct project *p)
{
	char *stage = path_join(work, "project");
	char *log = path_join(work, "project.log");
	struct kvfile req = KVFILE_INIT, result = KVFILE_INIT;
	struct tool_set tools = { NULL, 0 };
	struct step st;
	int ret = mkdir_p(stage, 0755);

	step_begin(&st, "read %s/pyproject.toml", dir);
	kvfile_add(&req, "kind", "project");
	kvfile_add(&req, "project", dir);
	/* Which backends are pinned: names only, no source is fetched. */
	ret = ret ? ret : tool_set_load(&tools, RECIPE_TOOL);
	if (!ret)
		tool_add_provides(&tools, &req);
	tool_set_release(&tools);
	if (!ret)
		ret = helper_run(tc, &req, stage, log, "reading the project",
				 &result);
	if (!ret)
		ret = read_result(&result, stage, p);
	step_end(&st, ret == 0);
	kvfile_release(&req);
	kvfile_release(&result);
	free(stage);
	free(log);
	return ret;
}
