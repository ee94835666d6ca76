/* Helpers shared by the subcommands' option parsing. */
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "log.h"
#include "util.h"
#include "banned.h"

/* getopt_long's value for the long option at index i of a table. */
#define CMD_LONG_BASE 256

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

enum cmd_common cmd_common_option(int opt)
{
	switch (opt) {
	case 'q':
		log_set_level(LOG_QUIET);
		return CMD_COMMON_TAKEN;
	case 'v':
		log_set_level(LOG_VERBOSE);
		return CMD_COMMON_TAKEN;
	case 'h':
		return CMD_COMMON_HELP;
	}
	return CMD_COMMON_NOT_MINE;
}

enum cmd_set cmd_set_common(const char *cmd, void *args,
			    const struct cmd_option *o, const char *arg)
{
	return cmd_common_option(o->short_name) == CMD_COMMON_HELP ?
		CMD_SET_HELP : CMD_SET_OK;
}

enum cmd_set cmd_set_bits(const char *cmd, void *args,
			  const struct cmd_option *o, const char *arg)
{
	*CMD_FIELD(args, o, unsigned) |= (unsigned)o->value;
	return CMD_SET_OK;
}

/* Stores an option by its type, or by its setter. */
static enum cmd_set set_option(const char *cmd, void *args,
			       const struct cmd_option *o, const char *arg)
{
	enum cmd_set r = CMD_SET_OK;

	if (o->set)
		r = o->set(cmd, args, o, arg);
	else if (o->type == CMD_BOOL)
		*CMD_FIELD(args, o, bool) = true;
	else if (o->type == CMD_STRING)
		*CMD_FIELD(args, o, const char *) = arg;
	else if (o->type == CMD_LIST)
		strvec_push(CMD_FIELD(args, o, struct strvec), arg);
	if (r == CMD_SET_OK && o->also)
		*(bool *)((char *)args + o->also) = true;
	return r;
}

static size_t count_options(const struct cmd_option *opts)
{
	size_t n = 0;

	while (opts[n].name || opts[n].short_name)
		n++;
	return n;
}

/* getopt_long's tables for opts: longopts (caller frees) and shortopts. */
static struct option *getopt_tables(const struct cmd_option *opts,
				    struct strbuf *shortopts)
{
	size_t n = count_options(opts), k = 0;
	struct option *longopts = xcalloc(n + 1, sizeof(*longopts));

	strbuf_addstr(shortopts, "");
	for (size_t i = 0; i < n; i++) {
		const struct cmd_option *o = &opts[i];
		int val = o->short_name ? o->short_name :
			CMD_LONG_BASE + (int)i;

		if (o->short_name)
			strbuf_addf(shortopts, "%c%s", o->short_name,
				    o->metavar ? ":" : "");
		if (o->name)
			longopts[k++] = (struct option){
				.name = o->name,
				.has_arg = o->metavar ? required_argument :
					no_argument,
				.flag = NULL,
				.val = val,
			};
	}
	return longopts;
}

/* The entry getopt_long's opt stands for, or NULL ('?': a bad option). */
static const struct cmd_option *find_option(const struct cmd_option *opts,
					    int opt)
{
	size_t n = count_options(opts);

	if (opt >= CMD_LONG_BASE && (size_t)(opt - CMD_LONG_BASE) < n)
		return &opts[opt - CMD_LONG_BASE];
	for (size_t i = 0; opt != '?' && i < n; i++) {
		if (opts[i].short_name == opt)
			return &opts[i];
	}
	return NULL;
}

enum cmd_parse cmd_options_parse(const struct command *c,
				 const struct cmd_option *opts, void *args,
				 int argc, char **argv)
{
	struct strbuf shortopts = STRBUF_INIT;
	struct option *longopts = getopt_tables(opts, &shortopts);
	enum cmd_parse ret = CMD_PARSE_RUN;
	const struct cmd_option *o;
	int opt;

	while (ret == CMD_PARSE_RUN && (opt = getopt_long(argc, argv,
			shortopts.buf, longopts, NULL)) != -1) {
		if (!(o = find_option(opts, opt))) {
			cmd_usage_error(c->name, "bad option");
			ret = CMD_PARSE_USAGE;
			break;
		}
		switch (set_option(c->name, args, o, optarg)) {
		case CMD_SET_OK:
			break;
		case CMD_SET_USAGE:
			ret = CMD_PARSE_USAGE;
			break;
		case CMD_SET_HELP:
			cmd_options_help(stdout, c, opts);
			ret = CMD_PARSE_DONE;
			break;
		}
	}
	free(longopts);
	strbuf_release(&shortopts);
	return ret;
}

/* "  -j, --jobs N     make jobs ..." and the help's further lines. */
static void option_help(FILE *f, const struct cmd_option *o)
{
	struct strbuf names = STRBUF_INIT;
	const char *line = o->help, *nl;

	if (o->short_name)
		strbuf_addf(&names, "-%c%s", o->short_name, o->name ? ", " : "");
	if (o->name)
		strbuf_addf(&names, "--%s", o->name);
	if (o->metavar)
		strbuf_addf(&names, " %s", o->metavar);
	fprintf(f, "  %-16s%s", names.buf, names.len > 16 ? "  " : " ");
	while ((nl = strchr(line, '\n'))) {
		fprintf(f, "%.*s\n%19s", (int)(nl - line), line, "");
		line = nl + 1;
	}
	fprintf(f, "%s\n", line);
	strbuf_release(&names);
}

void cmd_options_help(FILE *f, const struct command *c,
		      const struct cmd_option *opts)
{
	fputs(c->usage, f);
	fputs("\noptions:\n", f);
	for (size_t i = 0; opts[i].name || opts[i].short_name; i++)
		option_help(f, &opts[i]);
}
