/* The subcommands; main.c dispatches to them. */
#ifndef STICK_CMD_H
#define STICK_CMD_H

#include <getopt.h>
#include <stddef.h>
#include <stdio.h>

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	/*
	 * The --help text; for a command parsed from an option table
	 * (cmd_options_parse), the part before the table's options.
	 */
	const char *usage;
};

int cmd_fetch(int argc, char **argv);
int cmd_unpack(int argc, char **argv);
int cmd_toolchain(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_info(int argc, char **argv);
int cmd_cache(int argc, char **argv);

extern const struct command fetch_command;
extern const struct command unpack_command;
extern const struct command toolchain_command;
extern const struct command build_command;
extern const struct command info_command;
extern const struct command cache_command;

/*
 * cmd_info.c's reading of a file (len bytes at data): section name of
 * the ELF file, or of the first member of the ar archive that has it;
 * NULL when none does. *n receives its size. For tests/fuzz.
 */
const char *info_find_section(const char *data, size_t len, const char *name,
			      size_t *n);

/* Prints "stick: error: ..." plus "try 'stick CMD --help'" and returns 2. */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* What -h, -q or -v (of stick itself or of any command) asks for. */
enum cmd_common {
	CMD_COMMON_NOT_MINE,  /* another option */
	CMD_COMMON_TAKEN,     /* -q or -v: the log level is set */
	CMD_COMMON_HELP,      /* -h: the caller shows its help and exits 0 */
};
/* The one place -h, -q and -v are understood. */
enum cmd_common cmd_common_option(int opt);

/*
 * An option table: one entry per option, with everything about it (its
 * names, its value, its --help lines, the field it sets and the `build`
 * request key it goes to), parsed by cmd_options_parse() into a
 * command's argument struct; a zeroed entry ends it. An option is
 * stored by its .set function, or by its .type alone when .set is NULL.
 */
enum cmd_type {
	CMD_BOOL,    /* bool: true when given */
	CMD_STRING,  /* const char *: the last value given (argv's) */
	CMD_LIST,    /* struct strvec: each value given, in order */
	CMD_OTHER,   /* whatever .set makes of it (no request key) */
};

/* What storing an option did. */
enum cmd_set {
	CMD_SET_OK,
	CMD_SET_USAGE,  /* a usage error was shown: exit 2 */
	CMD_SET_HELP,   /* -h: show the help, exit 0 */
};

struct cmd_option;
/* Stores arg (NULL for a flag) into args for o; cmd names the command. */
typedef enum cmd_set cmd_set_fn(const char *cmd, void *args,
				const struct cmd_option *o, const char *arg);

struct cmd_option {
	const char *name;      /* the long name, or NULL (-o alone) */
	int short_name;        /* 'o', or 0 */
	const char *metavar;   /* the value's name ("FILE"), or NULL: a flag */
	const char *help;      /* its --help lines, separated by '\n' */
	enum cmd_type type;    /* what the field is */
	size_t field;          /* its offset in the command's arguments */
	size_t also;           /* a bool field set too (its offset), or 0 */
	int value;             /* for .set: what the option stands for */
	cmd_set_fn *set;       /* stores the value; NULL: by .type */
	const char *request;   /* the field's key in a `build` request */
};

/* A pointer to o's field in args. */
#define CMD_FIELD(args, o, ctype) ((ctype *)((char *)(args) + (o)->field))

/* What parsing a command line decided. */
enum cmd_parse {
	CMD_PARSE_RUN,    /* go on; optind is the first argument */
	CMD_PARSE_DONE,   /* the help was shown: exit 0 */
	CMD_PARSE_USAGE,  /* a usage error was shown: exit 2 */
};

/*
 * Parses argv's options (up to the first argument) with c's table opts
 * into args; -h shows c->usage and the table's options.
 */
enum cmd_parse cmd_options_parse(const struct command *c,
				 const struct cmd_option *opts, void *args,
				 int argc, char **argv);
/* c->usage, then "options:" and one entry per option of opts. */
void cmd_options_help(FILE *f, const struct command *c,
		      const struct cmd_option *opts);

/* Setters for .set: -h, -q and -v; an option that ORs .value in. */
cmd_set_fn cmd_set_common, cmd_set_bits;

/* Every command's last entries: -q, -v and -h. */
#define CMD_COMMON_OPTIONS \
	{ .name = "quiet", .short_name = 'q', .type = CMD_OTHER, \
	  .set = cmd_set_common, .help = "print only errors" }, \
	{ .name = "verbose", .short_name = 'v', .type = CMD_OTHER, \
	  .set = cmd_set_common, .help = "print every command" }, \
	{ .name = "help", .short_name = 'h', .type = CMD_OTHER, \
	  .set = cmd_set_common, .help = "show this help" }

/*
 * The options of `stick toolchain`, shared by `stick build`: entries of
 * an option table whose struct type has the members `struct
 * toolchain_opts tc` and `struct fetch_opts fetch`. A value not given
 * stays unset (NULL, LIBC_UNSET, 0) until cmd_toolchain_defaults().
 */
#define CMD_TOOLCHAIN_OPTIONS(args_type) \
	{ .name = "python", .metavar = "VER", .type = CMD_STRING, \
	  .field = offsetof(args_type, tc.python), \
	  .help = "3.13 (default) or 3.11" }, \
	{ .name = "libc", .metavar = "LIBC", .type = CMD_OTHER, \
	  .field = offsetof(args_type, tc.libc), .set = cmd_set_libc, \
	  .help = "musl (default: stick's own musl, fully static) or glibc" }, \
	{ .name = "target", .metavar = "TRIPLE", .type = CMD_OTHER, \
	  .field = offsetof(args_type, tc.target), .set = cmd_set_target, \
	  .help = "x86_64-linux-musl (default) or aarch64-linux-musl\n" \
		  "(cross-built here, run under qemu-user in tests)" }, \
	{ .name = "pgo", .type = CMD_OTHER, .set = cmd_set_bits, \
	  .field = offsetof(args_type, tc.options), \
	  .value = RECIPE_OPT_LTO | RECIPE_OPT_PGO, \
	  .help = "optimise CPython with profile-guided and link-time\n" \
		  "optimisation, trained on CPython's own --pgo tests\n" \
		  "(a toolchain of its own; about 15 minutes on 2 cores)" }, \
	{ .name = "lto", .type = CMD_OTHER, .set = cmd_set_bits, \
	  .field = offsetof(args_type, tc.options), .value = RECIPE_OPT_LTO, \
	  .help = "link-time optimisation of CPython's core alone" }, \
	{ .name = "jobs", .short_name = 'j', .metavar = "N", \
	  .type = CMD_OTHER, .field = offsetof(args_type, tc.jobs), \
	  .set = cmd_set_jobs, \
	  .help = "make jobs and components built at once (default: CPUs)" }, \
	{ .name = "sources", .metavar = "DIR", .type = CMD_STRING, \
	  .field = offsetof(args_type, fetch.sources_dir), \
	  .help = "take source files from DIR when present there" }, \
	{ .name = "mirror", .metavar = "URL", .type = CMD_LIST, \
	  .field = offsetof(args_type, fetch.mirrors), \
	  .help = "try URL/FILE first (repeatable)" }, \
	CMD_CACHE_OPTIONS, \
	{ .name = "cache-push", .type = CMD_OTHER, .set = cmd_set_cache, \
	  .value = CMD_CACHE_PUSH, \
	  .help = "push what the command used to the --cache registry" }

/*
 * The shared cache's options (stick/ocicache.h, cmd_cache.c), stored by
 * cmd_set_cache() in ocicache.c's one configuration.
 */
enum { CMD_CACHE_URL, CMD_CACHE_INSECURE, CMD_CACHE_PUSH };
#define CMD_CACHE_OPTIONS \
	{ .name = "cache", .metavar = "URL", .type = CMD_OTHER, \
	  .set = cmd_set_cache, .value = CMD_CACHE_URL, \
	  .help = "an OCI registry, oci://HOST[:PORT]/REPO, to pull\n" \
		  "toolchains and objects from (default: $STICK_CACHE)" }, \
	{ .name = "cache-insecure", .type = CMD_OTHER, .set = cmd_set_cache, \
	  .value = CMD_CACHE_INSECURE, \
	  .help = "speak plain http to a registry on this machine" }

/* The setters of CMD_TOOLCHAIN_OPTIONS: --libc; --target; -j; the cache. */
cmd_set_fn cmd_set_libc, cmd_set_target, cmd_set_jobs, cmd_set_cache;

struct toolchain_opts;
struct fetch_opts;
/* Toolchain options none of which is given yet; fetch is f. */
void cmd_toolchain_unset(struct toolchain_opts *o, struct fetch_opts *f);
/* Fills what no option set with the defaults. */
void cmd_toolchain_defaults(struct toolchain_opts *o, struct fetch_opts *f);
/* Checks the Python version and builds or finds the toolchain. */
int cmd_toolchain_ensure(struct toolchain_opts *o, struct fetch_opts *f,
			 char **dir);

#endif
