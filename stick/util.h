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
 * stage can write `return error(...)` and let main decide.
 */
NORETURN void die(const char *fmt, ...) PRINTF_LIKE(1, 2);
int error(const char *fmt, ...) PRINTF_LIKE(1, 2);
void warn(const char *fmt, ...) PRINTF_LIKE(1, 2);

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

/* mkdir -p; returns 0 or -1 after printing what failed. */
int mkdir_p(const char *path, mode_t mode);
/* rm -rf that never follows symbolic links; returns 0 or -1. */
int remove_tree(const char *path);
/* The whole file, NUL-terminated; NULL and errno set on failure. */
char *read_file(const char *path, size_t *len);
/* Writes to "path.tmp.PID" and renames over path; 0 or -1 with a message. */
int write_file_atomic(const char *path, const void *data, size_t len);

/* Seconds on a monotonic clock. */
double now_seconds(void);
/* "0.4s", "12s", "2m51s": buf must hold 32 bytes. */
const char *format_duration(double seconds, char *buf);
/* "812 B", "1.2 MiB": buf must hold 32 bytes. */
const char *format_size(double bytes, char *buf);

#endif
