/*
 * `stick cache push`: entries of $STICK_HOME uploaded to an OCI
 * registry; and the --cache options every building command shares.
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
	if (optind >= argc || strcmp(argv[optind], "push"))
		return cmd_usage_error(cache_command.name, "%s",
			optind >= argc ? "say what to do: stick cache push" :
			"the only subcommand is 'push'");
	if (ocicache_setup())
		return 1;
	if (!ocicache_enabled())
		return cmd_usage_error(cache_command.name, "no registry: give "
			"--cache oci://HOST[:PORT]/REPO or set STICK_CACHE");
	if (optind + 1 == argc)
		return ocicache_push_all() ? 1 : 0;
	for (int i = optind + 1; i < argc; i++) {
		if (ocicache_push_entry(argv[i]))
			ret = 1;
	}
	return ret;
}

const struct command cache_command = {
	.name = "cache",
	.run = cmd_cache,
	.summary = "push built toolchains and objects to an OCI registry",
	.usage =
	"usage: stick cache [--cache oci://HOST[:PORT]/REPO] [--cache-insecure]\n"
	"                   push [ENTRY...]\n\n"
	"Uploads entries of $STICK_HOME (toolchains, frozen stdlibs, compiled\n"
	"embed/ objects and tables, C libraries) to the registry, one OCI\n"
	"artifact each, tagged by its key: an ENTRY is a toolchain's key or\n"
	"directory, or a path under $STICK_HOME; none: every such entry. A\n"
	"tag the registry has with the same bytes is left as it is; with\n"
	"other bytes, it is an error and stays. A C library whose files name\n"
	"this $STICK_HOME is not pushed. Credentials: $STICK_CACHE_AUTH\n"
	"(user:password) or ~/.docker/config.json. `stick build` and `stick\n"
	"toolchain` pull what they would build from the registry given by\n"
	"--cache or $STICK_CACHE, and push what they used with --cache-push.\n",
};
