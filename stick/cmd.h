/* The subcommands; main.c dispatches to them. */
#ifndef STICK_CMD_H
#define STICK_CMD_H

#include <getopt.h>

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
	const char *usage; /* full --help text */
};

int cmd_fetch(int argc, char **argv);
int cmd_unpack(int argc, char **argv);
int cmd_toolchain(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_info(int argc, char **argv);

extern const struct command fetch_command;
extern const struct command unpack_command;
extern const struct command toolchain_command;
extern const struct command build_command;
extern const struct command info_command;

/* Options shared by `stick toolchain` and `stick build`. */
struct toolchain_opts;
struct fetch_opts;
enum { OPT_LIBC = 256, OPT_LTO, OPT_MIRROR, OPT_PGO, OPT_PYTHON, OPT_SOURCES };
extern const struct option cmd_toolchain_longopts[];
void cmd_toolchain_defaults(struct toolchain_opts *o, struct fetch_opts *f);
/* Handles one toolchain option; 0, or the exit code after a message. */
int cmd_toolchain_option(const struct command *c, int opt, const char *arg,
			 struct toolchain_opts *o, struct fetch_opts *f);
/* Checks the Python version and builds or finds the toolchain. */
int cmd_toolchain_ensure(struct toolchain_opts *o, struct fetch_opts *f,
			 char **dir);

/* Prints "stick: error: ..." plus "try 'stick CMD --help'" and returns 2. */
int cmd_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Handles -q/-v/-h shared by every command; returns 1 when handled. */
int cmd_common_option(int opt, const struct command *c);

#endif
