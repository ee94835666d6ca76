#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"
#include "banned.h"

extern char **environ;

/*
 * The program a spawn runs. posix_spawnp() searches the caller's PATH, but
 * a child given an environment of its own (a component's build step, with
 * the toolchain's bin/ first) must find its commands on that one's PATH.
 * NULL: let posix_spawnp() search (and report) as usual.
 */
static char *program_path(const char *name, char *const *env)
{
	if (!env || strchr(name, '/'))
		return NULL;
	for (size_t i = 0; env[i]; i++) {
		char *path;

		if (strncmp(env[i], "PATH=", 5))
			continue;
		path = path_search(env[i] + 5, name);
		if (path && path[0] != '/') { /* relative to the child's cwd */
			free(path);
			path = NULL;
		}
		return path;
	}
	return NULL;
}

pid_t proc_start(char *const argv[], const struct proc_opts *opts)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	char *prog;
	pid_t pid;
	int rc;

	posix_spawnattr_init(&attr);
	if (opts && opts->new_group) {
		posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
		posix_spawnattr_setpgroup(&attr, 0);
	}
	posix_spawn_file_actions_init(&fa);
	if (opts && opts->cwd)
		posix_spawn_file_actions_addchdir_np(&fa, opts->cwd);
	if (opts && opts->log_path) {
		posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, opts->log_path,
			O_WRONLY | O_CREAT | O_APPEND, 0644);
		posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
	}
	if (opts && (opts->stdin_path || opts->log_path))
		posix_spawn_file_actions_addopen(&fa, STDIN_FILENO,
			opts->stdin_path ? opts->stdin_path : "/dev/null",
			O_RDONLY, 0);
	prog = program_path(argv[0], opts ? opts->env : NULL);
	if (prog)
		rc = posix_spawn(&pid, prog, &fa, &attr, argv, opts->env);
	else
		rc = posix_spawnp(&pid, argv[0], &fa, &attr, argv,
			opts && opts->env ? opts->env : environ);
	free(prog);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (rc) {
		errno = rc;
		return error("cannot run '%s'%s%s:", argv[0],
			opts && opts->cwd ? " in " : "",
			opts && opts->cwd ? opts->cwd : "");
	}
	return pid;
}

/*
 * Waits for pid; returns its exit status, 128+signal when killed, or -1
 * when waiting failed.
 */
static int proc_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return error("cannot wait for process %ld:", (long)pid);
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

int proc_run(char *const argv[], const struct proc_opts *opts)
{
	pid_t pid = proc_start(argv, opts);

	return pid < 0 ? -1 : proc_wait(pid);
}

char *proc_capture(char *const argv[], char *const env[], const char *tmp)
{
	struct proc_opts po = { .env = env, .log_path = tmp };
	char *text = NULL;
	int rc;

	unlink(tmp);
	rc = proc_run(argv, &po);
	if (rc == 0)
		text = read_file(tmp, NULL);
	else if (rc > 0)
		error("'%s' failed (exit %d)", argv[0], rc);
	unlink(tmp);
	return text;
}

static int run_logged(char *const argv[], const struct proc_opts *po,
		      const char *what)
{
	int rc = proc_run(argv, po);
	const char *log = po->log_path;

	if (rc == 0)
		return 0;
	if (rc > 0) {
		error("%s failed (exit %d); log: %s", what, rc, log);
		proc_show_log_tail(log);
	}
	return -1;
}

int proc_run_logged(char *const argv[], const char *cwd, const char *log,
		    const char *what)
{
	struct proc_opts po = { .cwd = cwd, .log_path = log };

	return run_logged(argv, &po, what);
}

int proc_run_logged_env(char *const argv[], char *const env[],
			const char *log, const char *what)
{
	struct proc_opts po = { .env = env, .log_path = log };

	return run_logged(argv, &po, what);
}

void proc_show_log_tail(const char *log_path)
{
	size_t len;
	char *text = read_file(log_path, &len);
	const char *p;
	int seen = 0;

	if (!text) {
		fprintf(stderr, "  (cannot read '%s': %s)\n", log_path,
			strerror(errno));
		return;
	}
	p = text + len;
	if (p > text && p[-1] == '\n')
		p--;
	while (p > text && seen < PROC_LOG_TAIL_LINES) {
		p--;
		if (*p == '\n')
			seen++;
	}
	if (*p == '\n')
		p++;
	fprintf(stderr, "--- last lines of %s ---\n", log_path);
	for (const char *line = p; *line; ) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		fprintf(stderr, "  %.*s\n", (int)n, line);
		line += n + (nl ? 1 : 0);
	}
	free(text);
}
