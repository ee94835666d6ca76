/* Helpers shared by the subcommands' option parsing. */
#include <stdarg.h>
#include <stdio.h>

#include "cmd.h"
#include "log.h"
#include "banned.h"

int cmd_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fputs("stick: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\ntry 'stick %s%s--help'\n", cmd ? cmd : "",
		cmd ? " " : "");
	return 2;
}

int cmd_common_option(int opt, const struct command *c)
{
	switch (opt) {
	case 'q':
		log_set_level(LOG_QUIET);
		return 1;
	case 'v':
		log_set_level(LOG_VERBOSE);
		return 1;
	case 'h':
		fputs(c->usage, stdout);
		return 1;
	}
	return 0;
}
