/* stick: the command line. Parses global options and runs a subcommand. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "ccwrap.h"
#include "cmd.h"
#include "log.h"
#include "util.h"
#include "version.h"
#include "banned.h"

/* Sorted by name; a NULL summary is an internal command, not listed. */
static const struct command *const commands[] = {
	&build_command,
	&cache_command,
	&ccwrap_command,
	&fetch_command,
	&info_command,
	&toolchain_command,
	&unpack_command,
};

static void print_usage(FILE *f)
{
	fprintf(f, "usage: stick [-q|-v] COMMAND [OPTIONS]\n"
		"       stick --help | --version\n\n"
		"Turn CPython and a Python application into one static "
		"executable.\n\ncommands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		if (commands[i]->summary)
			fprintf(f, "  %-10s %s\n", commands[i]->name,
				commands[i]->summary);
	}
	fprintf(f, "\n'stick COMMAND --help' describes one command.\n");
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		if (!strcmp(commands[i]->name, name))
			return commands[i];
	}
	return NULL;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const struct command *c;
	int opt;

	/* '+' stops at the first non-option: the command name. */
	while ((opt = getopt_long(argc, argv, "+hqv", longopts, NULL)) != -1) {
		switch (cmd_common_option(opt)) {
		case CMD_COMMON_HELP:
			print_usage(stdout);
			return 0;
		case CMD_COMMON_TAKEN:
			continue;
		case CMD_COMMON_NOT_MINE:
			break;
		}
		switch (opt) {
		case 'V':
			printf("stick %s\n", STICK_VERSION);
			return 0;
		default:
			print_usage(stderr);
			return 2;
		}
	}
	if (optind >= argc) {
		print_usage(stderr);
		return 2;
	}
	c = find_command(argv[optind]);
	if (!c) {
		fprintf(stderr, "stick: error: unknown command '%s'\n\n",
			argv[optind]);
		print_usage(stderr);
		return 2;
	}
	argv += optind;
	argc -= optind;
	optind = 0;
	return c->run(argc, argv);
}
