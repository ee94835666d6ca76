/* Fatal and recoverable errors, checked allocation, strings, files. */
#ifndef STICK_UTIL_H
#define STICK_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#define PRINTF_LIKE(a, b) __attribute__((format(printf, a, b)))
#define NORETURN __attribute__((noreturn))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/*
 * Messages go to stderr as "stick: error: ...". A format that ends in ':'
 * gets ": strerror(errno)" appended. die() exits 1; error() returns -1 so a
 * stage can write `return error(...)` and let main decide. log_info() and
 * log_verbose() print chatter that -q (or the lack of -v) silences. All
 * five live in log.c, which owns stderr's open progress line (log.h).
 */
NORETURN void die(const char *fmt, ...) PRINTF_LIKE(1, 2);
int error(const char *fmt, ...) PRINTF_LIKE(1, 2);
void warn(const char *fmt, ...) PRINTF_LIKE(1, 2);
void log_info(const char *fmt, ...) PRINTF_LIKE(1, 2);
void log_verbose(const char *fmt, ...) PRINTF_LIKE(1, 2);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);
char *xvasprintf(const char *fmt, va_list ap) PRINTF_LIKE(1, 0);

/* A growable, always NUL-terminated byte string. */
struct strbuf {
	char *buf;
	size_t len, cap;
};
#define STRBUF_INIT { NULL, 0, 0 }
void strbuf_add(struct strbuf *sb, const void *data, size_t n);
void strbuf_addstr(struct strbuf *sb, const char *s);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) PRINTF_LIKE(2, 3);
char *strbuf_detach(struct strbuf *sb);
void strbuf_release(struct strbuf *sb);

/* A NULL-terminated vector of owned strings, usable as an argv. */
struct strvec {
	char **v;
	size_t n, cap;
};
#define STRVEC_INIT { NULL, 0, 0 }
void strvec_push(struct strvec *sv, const char *s);
void strvec_pushf(struct strvec *sv, const char *fmt, ...) PRINTF_LIKE(2, 3);
void strvec_clear(struct strvec *sv);

bool starts_with(const char *s, const char *prefix);
bool ends_with(const char *s, const char *suffix);

char *path_join(const char *dir, const char *name);
char *path_dirname(const char *path);
const char *path_basename(const char *path);
bool path_exists(const char *path);
bool path_is_dir(const char *path);
/*
 * The first executable file named name in a directory of $PATH (an empty
 * entry is the current directory), or NULL; the caller frees it.
 */
char *path_find_program(const char *name);
/* The same search in the directories of search, a $PATH-style list. */
char *path_search(const char *search, const char *name);

/* mkdir -p; returns 0 or -1 after printing what failed. */
int mkdir_p(const char *path, mode_t mode);
/* rm -rf that never follows symbolic links; returns 0 or -1. */
int remove_tree(const char *path);
/* The whole file, NUL-terminated; NULL and errno set on failure. */
char *read_file(const char *path, size_t *len);
/* Writes a tempfile and commits it over path; 0 or -1 with a message. */
int write_file_atomic(const char *path, const void *data, size_t len);

/*
 * A file or directory written under a temporary name beside its final
 * one, DIR/.NAME.tmp.PID, then renamed over it in one step, so the final
 * name never holds a half-written result.
 */
struct tempfile {
	char *path;   /* write here */
	char *final;
};
void tempfile_init(struct tempfile *t, const char *final);
/*
 * Renames path over final; a directory replaces a final directory, which
 * is removed first. 0, or -1 after a message.
 */
int tempfile_commit(struct tempfile *t);
/* Removes what a failure left at path, and frees. */
void tempfile_release(struct tempfile *t);

/* Copies one file's bytes to a new file `to` (0644); 0 or -1 after a message. */
int copy_file(const char *from, const char *to);
/*
 * Copies the directories and regular files under from into to (created as
 * needed); other entries (links, devices) are skipped. 0 or -1 after a message.
 */
int copy_tree(const char *from, const char *to);

/*
 * Opens (creating it and its directory) the lock file path and holds its
 * lock; while another process holds it, says "waiting for another stick
 * WHAT" and waits. The descriptor (closing it unlocks), or -1 after a
 * message.
 */
int lock_take(const char *path, const char *what);

/*
 * A directory in a cache, made once and never seen half made: git's lock
 * file API for directories. cachedir_begin() takes the entry's lock,
 * DIR/.locks/NAME.lock (another stick making the same entry is waited
 * for), then removes the temporaries beside it that a killed stick left
 * (nobody else writes them while the lock is held). When final is there
 * it says so; else it makes an empty temporary directory, FINAL.tmp.PID,
 * for the caller to fill, and cachedir_commit() renames it to final in
 * one step or cachedir_abort() removes it. cachedir_release() unlocks and
 * frees, and must follow a begin whatever it returned.
 */
enum cachedir_state {
	CACHEDIR_ERROR = -1,	/* a message said what failed */
	CACHEDIR_READY,		/* final is there: use it */
	CACHEDIR_MAKE,		/* fill tmp, then commit or abort */
};
struct cachedir {
	/* Set before cachedir_begin to name tmp FINAL+SUFFIX instead. */
	const char *tmp_suffix;
	/*
	 * Set before cachedir_begin to a file every whole entry has: a
	 * final without it (a damaged entry) is removed and made again.
	 */
	const char *mark;
	char *final;
	char *tmp;
	char *lock;
	int lock_fd;
};
#define CACHEDIR_INIT { .tmp_suffix = NULL, .mark = NULL, .final = NULL, \
			.tmp = NULL, .lock = NULL, .lock_fd = -1 }
/* WHAT ends "waiting for another stick WHAT". */
enum cachedir_state cachedir_begin(struct cachedir *cd, const char *final,
				   const char *what);
/*
 * Renames built (NULL: tmp itself; else a directory inside tmp) to final
 * and syncs the directory that holds it, then removes what is left of
 * tmp. A final already there (made by a stick that shares no lock with
 * this one) counts as success. 0, or -1 after a message.
 */
int cachedir_commit(struct cachedir *cd, const char *built);
/*
 * Removes tmp; with CACHEDIR_KEEP_LOG leaves it, because a message named
 * a log inside it, until the next cachedir_begin of the entry.
 */
enum cachedir_abort_mode { CACHEDIR_REMOVE, CACHEDIR_KEEP_LOG };
void cachedir_abort(struct cachedir *cd, enum cachedir_abort_mode mode);
void cachedir_release(struct cachedir *cd);
/*
 * The whole cycle for the usual caller: cachedir_begin(), then, when the
 * entry is missing, make(cd, arg), which fills cd->tmp and publishes it
 * with cachedir_commit() (0) or fails after a message (-1: the temporary
 * is then aborted with on_failure); cachedir_release() in every case.
 * CACHEDIR_READY (it was there), CACHEDIR_MAKE (made now) or
 * CACHEDIR_ERROR; either way final is the caller's to use or free.
 */
typedef int (*cachedir_make_fn)(struct cachedir *cd, void *arg);
enum cachedir_state cachedir_ensure(struct cachedir *cd, const char *final,
				    const char *what, cachedir_make_fn make,
				    void *arg,
				    enum cachedir_abort_mode on_failure);
/*
 * Removes every NAME+SUFFIX in dir whose lock (dir/.locks/NAME.lock)
 * nobody holds, whatever NAME: what killed sticks left of entries that
 * no later build asked for again.
 */
void cachedir_remove_stale(const char *dir, const char *suffix);

/* Seconds on a monotonic clock. */
double now_seconds(void);
/* "0.4s", "12s", "2m51s": buf must hold 32 bytes. */
const char *format_duration(double seconds, char *buf);
/* "812 B", "1.2 MiB": buf must hold 32 bytes. */
const char *format_size(double bytes, char *buf);

#endif
