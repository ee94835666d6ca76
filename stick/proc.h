/* The one way stick starts a process: posix_spawn of an argv array. */
#ifndef STICK_PROC_H
#define STICK_PROC_H

#include <stdbool.h>
#include <sys/types.h>

struct proc_opts {
	const char *cwd;      /* NULL: the current directory */
	char *const *env;     /* NULL: inherit stick's environment */
	const char *log_path; /* NULL: inherit stdout/stderr; else append both */
	bool new_group;       /* own process group, so kill(-pid) reaches all */
	const char *stdin_path; /* NULL: /dev/null with a log, else inherit */
};

/*
 * Starts argv[0] (searched in opts->env's PATH when it has one, else in
 * stick's); returns the pid or -1 with a message.
 */
pid_t proc_start(char *const argv[], const struct proc_opts *opts);
/*
 * proc_start, then waits: its exit status, 128+signal when killed, or -1
 * when starting or waiting failed.
 */
int proc_run(char *const argv[], const struct proc_opts *opts);
/*
 * Runs argv (env: NULL inherits) with its stdout and stderr in the file
 * tmp, which is removed after; returns what it printed (malloc'd), or
 * NULL after a message.
 */
char *proc_capture(char *const argv[], char *const env[], const char *tmp);
/*
 * Runs argv in cwd (NULL: here) with its output appended to log. On
 * failure: "WHAT failed (exit N); log: LOG", the log's tail, and -1.
 */
int proc_run_logged(char *const argv[], const char *cwd, const char *log,
		    const char *what);
/* The same, with env as the whole environment (NULL: stick's own). */
int proc_run_logged_env(char *const argv[], char *const env[],
			const char *log, const char *what);
/* How much of a log a failure shows: enough for a compiler's error. */
#define PROC_LOG_TAIL_LINES 20
/* Prints the last PROC_LOG_TAIL_LINES lines of a log to stderr, indented. */
void proc_show_log_tail(const char *log_path);

#endif
