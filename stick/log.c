#include "log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "banned.h"

static enum log_level level = LOG_NORMAL;
static int tty = -1;
/* A step's "label ..." is on screen without its newline. */
static bool line_open;

/* "stick: PREFIX message", after closing a step line left open. */
static void vreport(const char *prefix, const char *fmt, va_list ap)
{
	int saved = errno;
	size_t n = strlen(fmt);

	log_break_line();
	fprintf(stderr, "stick: %s", prefix);
	vfprintf(stderr, fmt, ap);
	if (n && fmt[n - 1] == ':')
		fprintf(stderr, " %s", strerror(saved));
	fputc('\n', stderr);
	errno = saved;
}

void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap);
	va_end(ap);
	exit(1);
}

int error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("error: ", fmt, ap);
	va_end(ap);
	return -1;
}

void warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vreport("warning: ", fmt, ap);
	va_end(ap);
}

void log_set_level(enum log_level l)
{
	level = l;
}

bool log_is_tty(void)
{
	if (tty < 0)
		tty = isatty(STDERR_FILENO);
	return tty && level >= LOG_NORMAL;
}

void log_break_line(void)
{
	if (line_open) {
		fputs("\r\033[K", stderr);
		line_open = false;
	}
}

static void vlog(enum log_level min, const char *fmt, va_list ap)
{
	if (level < min)
		return;
	log_break_line();
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_NORMAL, fmt, ap);
	va_end(ap);
}

void log_verbose(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(LOG_VERBOSE, fmt, ap);
	va_end(ap);
}

void step_begin(struct step *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	st->label = xvasprintf(fmt, ap);
	va_end(ap);
	st->start = now_seconds();
	if (log_is_tty()) {
		fprintf(stderr, "%s ...", st->label);
		fflush(stderr);
		line_open = true;
	}
}

void step_status(struct step *st, const char *fmt, ...)
{
	va_list ap;

	if (!log_is_tty())
		return;
	fprintf(stderr, "\r\033[K%s ... ", st->label);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fflush(stderr);
	line_open = true;
}

double step_end(struct step *st, bool ok)
{
	double elapsed = now_seconds() - st->start;
	char d[32];

	log_break_line();
	format_duration(elapsed, d);
	if (!ok)
		fprintf(stderr, "%s ... failed after %s\n", st->label, d);
	else if (level >= LOG_NORMAL)
		fprintf(stderr, "%s ... %s\n", st->label, d);
	free(st->label);
	st->label = NULL;
	return elapsed;
}
