#include "build.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "proc.h"
#include "source.h"
#include "banned.h"

enum job_state { JOB_WAITING, JOB_RUNNING, JOB_DONE };

struct job {
	const struct recipe *r;
	char *tree;             /* work/src/NAME */
	char *log;              /* work/logs/NAME.log */
	char *source;           /* the file it was extracted from */
	struct strvec cmds;     /* the source's prepare lines, then the steps */
	struct strvec env;
	size_t next;            /* index of the command running or to run */
	pid_t pid;
	enum job_state state;
	double start, end, step_start;
};

struct sched {
	const struct build_ctx *b;
	struct job *jobs;
	size_t n, running, done, steps_total, steps_done;
};

/*
 * Replaces every @NAME@ in text with its value from the context; -1 after
 * a message naming the recipe when a name is unknown.
 */
static int build_expand(const struct build_ctx *b, const char *src_dir,
			const struct recipe *r, const char *text, char **out)
{
	const struct { const char *name, *value; } vars[] = {
		{ "CC", b->cc }, { "INSTALL", b->install },
		{ "PREFIX", b->prefix }, { "PYPREFIX", b->pyprefix },
		{ "SRC", src_dir }, { "CXX", b->cxx },
		{ "SYSROOT", b->sysroot }, { "ARCH", b->arch },
		{ "TRIPLE", b->triple }, { "LIBCXX", b->libcxx },
	};
	struct strbuf sb = STRBUF_INIT;
	const char *p = text;

	while (*p) {
		const char *at = strchr(p, '@'), *end;
		size_t i, n;

		end = at ? strchr(at + 1, '@') : NULL;
		if (!end) {
			strbuf_addstr(&sb, p);
			break;
		}
		strbuf_add(&sb, p, (size_t)(at - p));
		n = (size_t)(end - at - 1);
		if (n == 4 && !strncmp(at + 1, "JOBS", 4)) {
			strbuf_addf(&sb, "%d", b->jobs);
			p = end + 1;
			continue;
		}
		for (i = 0; i < ARRAY_SIZE(vars); i++) {
			if (strlen(vars[i].name) == n && !strncmp(at + 1, vars[i].name, n))
				break;
		}
		if (i == ARRAY_SIZE(vars) || !vars[i].value) {
			error("%s: %s variable '%.*s' in '%s'%s", r->path,
				i == ARRAY_SIZE(vars) ? "unknown" : "unavailable",
				(int)(n + 2), at, text, i == ARRAY_SIZE(vars) ? "" :
				" (@CXX@ and @SYSROOT@ exist only for library "
				"recipes built for a musl toolchain, @LIBCXX@ "
				"only for those of language c++)");
			strbuf_release(&sb);
			return -1;
		}
		strbuf_addstr(&sb, vars[i].value);
		p = end + 1;
	}
	*out = strbuf_detach(&sb);
	return 0;
}

/*
 * The whole-word variables whose value is zero or more words: what a cross
 * build adds to a configure line, nothing in a native build.
 */
static const char *word_list(const struct build_ctx *b, const char *word,
			     bool *is_list)
{
	*is_list = true;
	if (!strcmp(word, "@CROSS@"))
		return b->cross;
	if (!strcmp(word, "@CROSS_PYTHON@"))
		return b->cross_python;
	*is_list = false;
	return NULL;
}

/*
 * The date the components record in place of their build time (gcc's
 * __DATE__ and __TIME__, CPython's build info, OpenSSL's "built on"), so
 * that two builds at the same path differ in no byte: 2025-01-01 UTC.
 */
#define BUILD_SOURCE_DATE_EPOCH "1735689600"

/* A hermetic environment: nothing of the user's CFLAGS or pkg-config. */
static int job_env(const struct build_ctx *b, struct job *j)
{
	const char *home = getenv("HOME");

	strvec_pushf(&j->env, "PATH=%s:/usr/local/bin:/usr/bin:/bin", b->bindir);
	strvec_pushf(&j->env, "HOME=%s", home ? home : "/");
	strvec_push(&j->env, "LC_ALL=C");
	strvec_push(&j->env, "TZ=UTC");
	strvec_push(&j->env, "SOURCE_DATE_EPOCH=" BUILD_SOURCE_DATE_EPOCH);
	strvec_pushf(&j->env, "CC=%s", b->cc);
	for (size_t i = 0; b->env && b->env[i]; i++)
		strvec_push(&j->env, b->env[i]);
	strvec_push(&j->env, "AR=ar");
	strvec_push(&j->env, "RANLIB=ranlib");
	strvec_pushf(&j->env, "PKG_CONFIG_LIBDIR=%s/lib/pkgconfig", b->prefix);
	for (size_t i = 0; i < j->r->env.n; i++) {
		char *v;

		if (build_expand(b, j->tree, j->r, j->r->env.v[i], &v))
			return -1;
		strvec_push(&j->env, v);
		free(v);
	}
	return 0;
}

static const struct recipe_source *which_source(const struct recipe *r,
					     const char *path)
{
	for (size_t i = 0; i < r->nsources; i++) {
		if (!strcmp(r->sources[i].file, path_basename(path)))
			return &r->sources[i];
	}
	return NULL;
}

/* Fetch, extract, patch: the tree a job builds in. */
static int job_prepare(const struct build_ctx *b, struct job *j)
{
	const struct recipe_source *s;
	char *archive = NULL;

	if (source_prepare(j->r, b->fetch, b->patches_dir, j->tree, j->log,
			   &archive)) {
		free(archive);
		return -1;
	}
	s = which_source(j->r, archive);
	j->source = xstrdup(path_basename(archive));
	free(archive);
	for (size_t i = 0; s && i < s->prepare.n; i++)
		strvec_push(&j->cmds, s->prepare.v[i]);
	for (size_t i = 0; i < j->r->steps.n; i++)
		strvec_push(&j->cmds, j->r->steps.v[i]);
	return job_env(b, j);
}

static int append_to_log(const char *log, const char *fmt, const char *arg)
{
	FILE *f = fopen(log, "a");

	if (!f)
		return error("cannot write build log '%s':", log);
	fprintf(f, fmt, arg);
	fclose(f);
	return 0;
}

static int job_start_step(struct sched *s, struct job *j)
{
	struct strvec words = STRVEC_INIT, argv = STRVEC_INIT;
	struct proc_opts po = { .cwd = j->tree, .log_path = j->log,
				.new_group = true };
	const char *line = j->cmds.v[j->next];
	int ret = 0;

	if (recipe_split(line, &words) || !words.n)
		ret = error("%s: cannot split command '%s'", j->r->path, line);
	for (size_t i = 0; !ret && i < words.n; i++) {
		bool is_list;
		const char *list = word_list(s->b, words.v[i], &is_list);
		char *w;

		if (is_list) {
			if (list)
				ret = recipe_split(list, &argv);
			continue;
		}
		ret = build_expand(s->b, j->tree, j->r, words.v[i], &w);
		if (!ret) {
			strvec_push(&argv, w);
			free(w);
		}
	}
	if (!ret)
		ret = append_to_log(j->log, "\n$ %s\n", line);
	po.env = j->env.v;
	if (!ret) {
		log_verbose("%s %s: %s", j->r->name, j->r->version, line);
		j->step_start = now_seconds();
		j->pid = proc_start(argv.v, &po);
		ret = j->pid < 0 ? -1 : 0;
	}
	strvec_clear(&words);
	strvec_clear(&argv);
	return ret;
}

static bool job_ready(const struct sched *s, const struct job *j)
{
	for (size_t d = 0; d < j->r->depends.n; d++) {
		for (size_t k = 0; k < s->n; k++) {
			if (!strcmp(path_basename(s->jobs[k].r->path),
				    j->r->depends.v[d]) &&
			    s->jobs[k].state != JOB_DONE)
				return false;
		}
	}
	return true;
}

static int start_ready(struct sched *s)
{
	for (size_t i = 0; i < s->n && s->running < (size_t)s->b->jobs; i++) {
		struct job *j = &s->jobs[i];

		if (j->state != JOB_WAITING || !job_ready(s, j))
			continue;
		j->state = JOB_RUNNING;
		j->start = now_seconds();
		s->running++;
		if (j->cmds.n == 0) {
			j->state = JOB_DONE;
			j->end = j->start;
			s->running--;
			s->done++;
			continue;
		}
		if (job_start_step(s, j))
			return -1;
	}
	return 0;
}

static void kill_running(struct sched *s)
{
	for (size_t i = 0; i < s->n; i++) {
		if (s->jobs[i].pid > 0) {
			kill(-s->jobs[i].pid, SIGTERM);
			waitpid(s->jobs[i].pid, NULL, 0);
			s->jobs[i].pid = 0;
		}
	}
}

static struct job *job_by_pid(struct sched *s, pid_t pid)
{
	for (size_t i = 0; i < s->n; i++) {
		if (s->jobs[i].pid == pid)
			return &s->jobs[i];
	}
	return NULL;
}

static int step_failed(struct job *j, int rc)
{
	error("building %s %s failed at '%s' (exit %d); log: %s", j->r->name,
		j->r->version, j->cmds.v[j->next], rc, j->log);
	proc_show_log_tail(j->log);
	return -1;
}

/* One child exited: report it and start what can run next. */
static int step_finished(struct sched *s, struct job *j, int status)
{
	int rc = WIFEXITED(status) ? WEXITSTATUS(status) :
		128 + WTERMSIG(status);
	char d[32];

	j->pid = 0;
	s->steps_done++;
	format_duration(now_seconds() - j->step_start, d);
	if (rc)
		return step_failed(j, rc);
	log_info("[%zu/%zu] %s %s: %.60s ... %s", s->steps_done, s->steps_total,
		j->r->name, j->r->version, j->cmds.v[j->next], d);
	if (++j->next < j->cmds.n)
		return job_start_step(s, j);
	j->state = JOB_DONE;
	j->end = now_seconds();
	s->running--;
	s->done++;
	return 0;
}

/*
 * Each step runs in its own process group so a failure can stop a whole
 * make tree; a Ctrl-C or kill of stick must reach those groups as well.
 */
static struct sched *signalled;

static void forward_signal(int sig)
{
	for (size_t i = 0; signalled && i < signalled->n; i++) {
		if (signalled->jobs[i].pid > 0)
			kill(-signalled->jobs[i].pid, sig);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void catch_signals(struct sched *s)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };

	signalled = s;
	for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
		signal(sigs[i], s ? forward_signal : SIG_DFL);
}

static int run_jobs(struct sched *s)
{
	while (s->done < s->n) {
		struct job *j;
		int status;
		pid_t pid;

		if (start_ready(s))
			return -1;
		if (s->done == s->n)
			break;
		pid = waitpid(-1, &status, 0);
		if (pid < 0 && errno == EINTR)
			continue;
		if (pid < 0)
			return error("cannot wait for the build:");
		j = job_by_pid(s, pid);
		if (j && step_finished(s, j, status))
			return -1;
	}
	return 0;
}

static void job_release(struct job *j)
{
	free(j->tree);
	free(j->log);
	free(j->source);
	strvec_clear(&j->cmds);
	strvec_clear(&j->env);
}

static int setup_jobs(struct sched *s, const struct recipe_set *set)
{
	char *src = path_join(s->b->work, "src");
	char *logs = path_join(s->b->work, "logs");
	int ret = mkdir_p(src, 0755) || mkdir_p(logs, 0755) ? -1 : 0;

	for (size_t i = 0; !ret && i < set->n; i++) {
		struct job *j = &s->jobs[i];

		j->r = &set->items[i];
		j->tree = path_join(src, path_basename(j->r->path));
		j->log = xasprintf("%s/%s.log", logs, path_basename(j->r->path));
		ret = job_prepare(s->b, j);
		s->steps_total += j->cmds.n;
	}
	free(src);
	free(logs);
	return ret;
}

int build_components(const struct build_ctx *b, const struct recipe_set *set,
		     struct build_times *times)
{
	struct sched s = { .b = b, .n = set->n,
			   .jobs = xcalloc(set->n, sizeof(struct job)) };
	double start = now_seconds();
	int ret = setup_jobs(&s, set);

	catch_signals(&s);
	if (!ret)
		ret = run_jobs(&s);
	if (ret)
		kill_running(&s);
	catch_signals(NULL);
	for (size_t i = 0; i < s.n; i++) {
		if (times) {
			times->seconds[i] = s.jobs[i].end - s.jobs[i].start;
			times->sources[i] = s.jobs[i].source;
			s.jobs[i].source = NULL;
		}
		job_release(&s.jobs[i]);
	}
	if (times)
		times->total = now_seconds() - start;
	free(s.jobs);
	return ret;
}
