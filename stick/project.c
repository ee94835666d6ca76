#include "project.h"

#include <stdlib.h>
#include <string.h>

#include "home.h"
#include "log.h"
#include "proc.h"
#include "banned.h"

void project_release(struct project *p)
{
	free(p->python);
	strvec_clear(&p->paths);
	strvec_clear(&p->includes);
	strvec_clear(&p->excludes);
	strvec_clear(&p->names);
	strvec_clear(&p->entries);
	memset(p, 0, sizeof(*p));
}

/* One "key value" line of the plan scripts/project.py wrote. */
static int plan_line(struct project *p, char *line)
{
	char *value = strchr(line, ' ');
	char *entry;

	if (!value)
		return -1;
	*value++ = '\0';
	if (!strcmp(line, "python")) {
		free(p->python);
		p->python = xstrdup(value);
	} else if (!strcmp(line, "path")) {
		strvec_push(&p->paths, value);
	} else if (!strcmp(line, "include")) {
		strvec_push(&p->includes, value);
	} else if (!strcmp(line, "exclude")) {
		strvec_push(&p->excludes, value);
	} else if (!strcmp(line, "prune")) {
		p->prune = true;
	} else if (!strcmp(line, "script") && (entry = strchr(value, ' '))) {
		*entry++ = '\0';
		strvec_push(&p->names, value);
		strvec_push(&p->entries, entry);
	} else {
		return -1;
	}
	return 0;
}

static int read_plan(const char *path, struct project *p)
{
	size_t len;
	char *text = read_file(path, &len);
	char *line, *next;
	int ret = 0;

	if (!text)
		return -1;
	for (line = text; !ret && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (*line && plan_line(p, line))
			ret = error("'%s': unexpected line '%s' (stick and "
				    "scripts/project.py disagree)", path, line);
	}
	free(text);
	return ret;
}

int project_load(const struct toolchain *tc, const char *dir,
		 const char *work, struct project *p)
{
	const char *data = home_data_dir();
	char *script = data ? path_join(data, "scripts/project.py") : NULL;
	char *stage = path_join(work, "project");
	char *log = path_join(work, "project.log");
	char *plan = path_join(stage, "plan");
	char *argv[] = { tc->python, "-I", "-S", script, (char *)dir, stage,
			 NULL };
	struct step st;
	int ret = data ? mkdir_p(stage, 0755) : -1;

	step_begin(&st, "read %s/pyproject.toml", dir);
	if (!ret)
		ret = proc_run_logged(argv, NULL, log, "reading the project");
	if (!ret)
		ret = read_plan(plan, p);
	step_end(&st, ret == 0);
	free(script);
	free(stage);
	free(log);
	free(plan);
	return ret;
}
