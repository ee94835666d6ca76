/*
 * `stick cache push` and `stick cache pull`: entries of $STICK_HOME
 * uploaded to an OCI registry and fetched from it; and the --cache
 * options every building command shares.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ocicache.h"
#include "banned.h"

enum cmd_set cmd_set_cache(const char *cmd, void *args,
			   const struct cmd_option *o, const char *arg)
{
	char *why = NULL;

	switch (o->value) {
	case CMD_CACHE_URL:
		/* Loopback or not is checked once --cache-insecure is known. */
		why = ocicache_check_url(arg, false);
		if (why) {
			cmd_usage_error(cmd, "--cache: %s", why);
			free(why);
			return CMD_SET_USAGE;
		}
		free(why);
		ocicache_set_url(arg);
		break;
	case CMD_CACHE_INSECURE:
		ocicache_set_insecure();
		break;
	case CMD_CACHE_PUSH:
		ocicache_set_push();
		break;
	}
	return CMD_SET_OK;
}

static const struct cmd_option cache_options[] = {
	CMD_CACHE_OPTIONS,
	CMD_COMMON_OPTIONS,
	{ 0 },
};

int cmd_cache(int argc, char **argv)
{
	int dummy = 0, ret = 0;
	enum cmd_parse r = cmd_options_parse(&cache_command, cache_options,
					     &dummy, argc, argv);

	if (r != CMD_PARSE_RUN)
		return r == CMD_PARSE_USAGE ? 2 : 0;
	bool push = optind < argc && !strcmp(argv[optind], "push");
	bool pull = optind < argc && !strcmp(argv[optind], "pull");

	if (!push && !pull)
		return cmd_usage_error(cache_command.name, "%s",
			optind >= argc ? "say what to do: stick cache push or "
			"stick cache pull ENTRY..." :
			"the subcommands are 'push' and 'pull'");
	if (pull && optind + 1 == argc)
		return cmd_usage_error(cache_command.name, "stick cache pull "
			"wants the entries to pull");
	if (ocicache_setup())
		return 1;
	if (!ocicache_enabled())
		return cmd_usage_error(cache_command.name, "no registry: give "
			"--cache oci://HOST[:PORT]/REPO or set STICK_CACHE");
	if (push && optind + 1 == argc)
		return ocicache_push_all() ? 1 : 0;
	for (int i = optind + 1; i < argc; i++) {
		if (push ? ocicache_push_entry(argv[i]) :
			   ocicache_pull_entry(argv[i]))
			ret = 1;
	}
	return ret;
}

const struct command cache_command = {
	.name = "cache",
	.run = cmd_cache,
	.summary = "push built toolchains and objects to an OCI registry, or pull them",
	.usage =
	"usage: stick cache [--cache oci://HOST[:PORT]/REPO] [--cache-insecure]\n"
	"                   push [ENTRY...] | pull ENTRY...\n\n"
	"push uploads entries of $STICK_HOME (toolchains, frozen stdlibs,\n"
	"compiled embed/ objects and tables, C libraries, extension builds)\n"
	"to the registry, one OCI artifact each, tagged by its key: an ENTRY\n"
	"is a toolchain's key or directory, or a path under $STICK_HOME;\n"
	"none: every such entry. A tag the registry has with the same bytes\n"
	"is left as it is; with other bytes, it is an error and stays. An\n"
	"entry whose files name this $STICK_HOME is not pushed. pull fetches\n"
	"the entries named that are missing here, each checked as a build\n"
	"would check it (exit 1 when one is neither here nor pulled).\n"
	"Credentials: $STICK_CACHE_AUTH (user:password) or\n"
	"~/.docker/config.json. `stick build` and `stick toolchain` pull what\n"
	"they would build from the registry given by --cache or $STICK_CACHE,\n"
	"and push what they used with --cache-push.\n",
};
