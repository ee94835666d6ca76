/* `stick build`'s options: the table, the rules between them, the request. */
#include <stdlib.h>

#include "check.h"
#include "cmd_build.h"
#include "kvfile.h"
#include "log.h"

#define A_FILE TOP_DIR "/Makefile"
#define A_DIR TOP_DIR "/stick"

static struct build_args args;
static char words[32][512];
static char *argv_[33];
static const char *err;

/*
 * Parses `stick build LINE`, its words split at spaces, FILE and DIR
 * standing for an existing file and directory; err is what it printed
 * on stderr. The words live until the next call (the args borrow them).
 */
static enum cmd_parse parse(const char *line)
{
	struct check_stderr cs;
	enum cmd_parse r;
	int argc = 0;
	char *copy = strdup(line), *save = NULL;

	snprintf(words[0], sizeof(words[0]), "build");
	argv_[argc++] = words[0];
	for (char *w = strtok_r(copy, " ", &save); w;
	     w = strtok_r(NULL, " ", &save)) {
		const char *word = !strcmp(w, "FILE") ? A_FILE :
			!strcmp(w, "DIR") ? A_DIR : w;

		argv_[argc] = words[argc];
		snprintf(words[argc], sizeof(words[argc]), "%s", word);
		argc++;
	}
	argv_[argc] = NULL;
	free(copy);
	build_args_release(&args);
	build_args_init(&args);
	check_stderr_begin(&cs);
	r = build_args_parse(&args, argc, argv_);
	err = check_stderr_end(&cs);
	return r;
}

/* A usage error: exit 2, the message, the pointer to --help. */
#define CHECK_USAGE(line, message) do { \
	CHECK(parse(line) == CMD_PARSE_USAGE); \
	CHECK(strstr(err, message) != NULL); \
	CHECK(strstr(err, "try 'stick build --help'") != NULL); \
} while (0)

static void an_unknown_option_is_a_usage_error(void)
{
	CHECK_USAGE("--no-such-option -o out", "stick: error: bad option");
	CHECK(strstr(err, "unrecognized option '--no-such-option'"));
	CHECK_USAGE("-x -o out", "bad option");
}

static void a_missing_value_is_a_usage_error(void)
{
	CHECK_USAGE("-o out --script", "bad option");
	CHECK(strstr(err, "option '--script' requires an argument"));
	CHECK_USAGE("-o", "bad option");
	CHECK_USAGE("--python", "bad option");
}

static void bad_values_are_refused_at_the_option(void)
{
	CHECK_USAGE("--entry greet -o out",
		    "--entry 'greet' must be MODULE:FUNCTION");
	CHECK_USAGE("--script DIR -o out", "is not a file");
	CHECK_USAGE("--path FILE --entry m:f -o out", "is not a directory");
	CHECK_USAGE("--ca-bundle /no/such/file --entry m:f -o out",
		    "--ca-bundle '/no/such/file' is not a file");
	CHECK_USAGE("-j 0 -o out", "-j '0' must be a number from 1 to 256");
	CHECK_USAGE("--jobs 257 -o out", "-j '257' must be a number");
	CHECK_USAGE("--libc uclibc -o out",
		    "--libc must be musl or glibc, not 'uclibc'");
}

static void sys_executable_is_python_or_app_for_applications(void)
{
	CHECK_USAGE("--sys-executable pyhton --entry m:f -o out",
		    "--sys-executable 'pyhton' must be python or app");
	CHECK_USAGE("--sys-executable app -o out",
		    "--sys-executable is for applications");
	CHECK_USAGE("--lib --path DIR --sys-executable app -o libx.a",
		    "--sys-executable is for applications");
	CHECK(parse("--entry m:f --sys-executable app -o out") ==
	      CMD_PARSE_RUN);
	CHECK_STR(args.app.sys_executable, "app");
	CHECK(parse("--entry m:f --sys-executable python -o out") ==
	      CMD_PARSE_RUN);
	CHECK_STR(args.app.sys_executable, "python");
}

static void tzdata_needs_an_application(void)
{
	CHECK_USAGE("--tzdata -o out", "need an application");
	CHECK(parse("--entry m:f --tzdata -o out") == CMD_PARSE_RUN);
	CHECK(args.app.tzdata);
	CHECK(parse("--lib --path DIR --tzdata -o libx.a") == CMD_PARSE_RUN);
}

static void script_and_entry_exclude_each_other(void)
{
	CHECK_USAGE("--script FILE --entry m:f -o out",
		    "--script and --entry exclude each other");
}

static void lib_and_shared_exclude_each_other(void)
{
	CHECK_USAGE("--lib --shared -o libx.a",
		    "give one of --lib and --shared");
	CHECK_USAGE("--lib --lib -o libx.a", "give one of --lib and --shared");
}

static void shared_needs_glibc(void)
{
	CHECK_USAGE("--shared --libc musl -o libx.so",
		    "--shared needs --libc glibc");
	CHECK(parse("--shared -o libx.so") == CMD_PARSE_RUN);
	CHECK(args.tc.libc == LIBC_GLIBC);
	CHECK(args.lib == LIBRARY_SHARED);
}

static void a_library_has_no_entry_point(void)
{
	CHECK_USAGE("--lib --entry m:f -o libx.a", "are for executables");
	CHECK_USAGE("--lib --allow-env -o libx.a", "are for executables");
	CHECK_USAGE("--lib DIR", "are for executables");
	CHECK_USAGE("--lib --prune -o libx.a", "--prune needs an entry point");
	CHECK(parse("--lib --path DIR -o libx.a") == CMD_PARSE_RUN);
	CHECK(args.is_lib && args.is_app && args.tc.libc == LIBC_MUSL);
}

static void include_and_exclude_need_prune(void)
{
	CHECK_USAGE("--entry m:f --include json -o out",
		    "--include and --exclude need --prune");
	CHECK_USAGE("--entry m:f --exclude json -o out",
		    "--include and --exclude need --prune");
	CHECK(parse("--entry m:f --prune --include json -o out") ==
	      CMD_PARSE_RUN);
}

static void application_options_need_an_application(void)
{
	CHECK_USAGE("--path DIR -o out", "need --entry or --script");
	CHECK_USAGE("--allow-env -o out", "need --entry or --script");
	CHECK_USAGE("--with requests -o out", "need --entry or --script");
	CHECK_USAGE("--prune -o out", "need an application");
	CHECK_USAGE("--with-stdlib-source -o out", "need an application");
	CHECK_USAGE("--extra cli --entry m:f -o out",
		    "--extra 'cli' needs a project directory");
	CHECK_USAGE("--skip-requirement cython --entry m:f -o out",
		    "--skip-requirement 'cython' is for packages built");
	CHECK_USAGE("--include-tests --entry m:f -o out",
		    "--include-tests is for the interpreter");
}

static void a_project_takes_no_script_or_entry(void)
{
	CHECK_USAGE("DIR --script FILE", "--script and --entry do not go");
	CHECK_USAGE("DIR --entry m:f", "--script and --entry do not go");
	CHECK_USAGE("DIR DIR", "unexpected argument");
	CHECK_USAGE("/no/such/project", "the project '/no/such/project' is "
		    "not a directory");
	CHECK_USAGE("DIR -o FILE", "must be a directory for a project");
	CHECK(parse("DIR") == CMD_PARSE_RUN);
	CHECK_STR(args.out, "dist");
	CHECK_STR(args.project, A_DIR);
	CHECK(args.is_app);
}

static void the_output_is_needed_and_not_a_directory(void)
{
	CHECK_USAGE("", "missing -o OUT");
	CHECK_USAGE("-o DIR", "is a directory");
}

static void repeatable_options_accumulate(void)
{
	CHECK(parse("--entry m:f --path DIR --path DIR --with a --with b "
		    "--prune --include x --include y --exclude z "
		    "--mirror http://a --mirror http://b -o out") ==
	      CMD_PARSE_RUN);
	CHECK(args.app.paths.n == 2);
	CHECK_STR(args.app.paths.v[1], A_DIR);
	CHECK(args.deps.requirements.n == 2);
	CHECK_STR(args.deps.requirements.v[1], "b");
	CHECK(args.app.includes.n == 2 && args.app.excludes.n == 1);
	CHECK(args.fetch.mirrors.n == 2);
	CHECK_STR(args.fetch.mirrors.v[0], "http://a");
}

static void single_options_take_the_last_value(void)
{
	CHECK(parse("--script FILE --script FILE -o a -o b --python 3.11 "
		    "--python 3.13 --libc glibc --libc musl -j 2 -j 3 "
		    "--index-url x --index-url y") == CMD_PARSE_RUN);
	CHECK_STR(args.app.script, A_FILE);
	CHECK_STR(args.out, "b");
	CHECK_STR(args.tc.python, "3.13");
	CHECK(args.python_given);
	CHECK(args.tc.libc == LIBC_MUSL);
	CHECK(args.tc.jobs == 3);
	CHECK_STR(args.deps.index_url, "y");
	CHECK(parse("--entry a:b --entry c:d -o out") == CMD_PARSE_RUN);
	CHECK_STR(args.app.entry, "c:d");
}

static void defaults_fill_what_is_not_given(void)
{
	CHECK(parse("-o out") == CMD_PARSE_RUN);
	CHECK(!args.is_app && !args.is_lib);
	CHECK_STR(args.tc.python, "3.13");
	CHECK(!args.python_given);
	CHECK(args.tc.libc == LIBC_MUSL);
	CHECK(args.tc.jobs >= 1);
	CHECK(args.tc.fetch == &args.fetch);
	CHECK(args.tc.options == 0);
}

static void options_that_set_more_than_their_field(void)
{
	CHECK(parse("--entry m:f --prune-trace a --prune-trace b -o out")
	      == CMD_PARSE_RUN);
	CHECK(args.app.prune && args.app.traces.n == 2);
	CHECK(parse("--pgo -o out") == CMD_PARSE_RUN);
	CHECK(args.tc.options == (RECIPE_OPT_LTO | RECIPE_OPT_PGO));
	CHECK(parse("--lto -o out") == CMD_PARSE_RUN);
	CHECK(args.tc.options == RECIPE_OPT_LTO);
	CHECK(parse("--entry m:f --without-source --with-source -o out") ==
	      CMD_PARSE_RUN);
	CHECK(!args.app.without_source);
	CHECK(parse("--entry m:f --with-source --without-source -o out") ==
	      CMD_PARSE_RUN);
	CHECK(args.app.without_source);
}

static void help_is_shown_and_nothing_else(void)
{
	struct check_stderr cs;
	int saved;

	/* The help goes to stdout: keep it out of the TAP stream. */
	fflush(stdout);
	saved = dup(1);
	check_stderr_begin(&cs);
	dup2(2, 1);
	CHECK(parse("--script FILE -h --no-such-option") == CMD_PARSE_DONE);
	fflush(stdout);
	dup2(saved, 1);
	close(saved);
	check_stderr_end(&cs);
}

static void the_request_names_each_option_by_its_key(void)
{
	struct kvfile req = KVFILE_INIT;
	char *text;

	CHECK(parse("--entry m:f --path DIR --allow-env --prune --include x "
		    "--prune-trace t --exclude y --ca-bundle FILE "
		    "--with-stdlib-source --without-source -o out --with r "
		    "--sys-executable app --tzdata")
	      == CMD_PARSE_RUN);
	build_args_request(&args, &req);
	text = kvfile_format(&req);
	CHECK_STR(text, "entry m:f\npath " A_DIR "\nallow-env\n"
		  "without-source\nwith-stdlib-source\nsys-executable app\n"
		  "tzdata\nca-bundle " A_FILE
		  "\nprune\ninclude x\nprune-trace t\nexclude y\n");
	free(text);
	kvfile_release(&req);
}

int main(void)
{
	build_args_init(&args);
	TEST(an_unknown_option_is_a_usage_error);
	TEST(a_missing_value_is_a_usage_error);
	TEST(bad_values_are_refused_at_the_option);
	TEST(sys_executable_is_python_or_app_for_applications);
	TEST(tzdata_needs_an_application);
	TEST(script_and_entry_exclude_each_other);
	TEST(lib_and_shared_exclude_each_other);
	TEST(shared_needs_glibc);
	TEST(a_library_has_no_entry_point);
	TEST(include_and_exclude_need_prune);
	TEST(application_options_need_an_application);
	TEST(a_project_takes_no_script_or_entry);
	TEST(the_output_is_needed_and_not_a_directory);
	TEST(repeatable_options_accumulate);
	TEST(single_options_take_the_last_value);
	TEST(defaults_fill_what_is_not_given);
	TEST(options_that_set_more_than_their_field);
	TEST(help_is_shown_and_nothing_else);
	TEST(the_request_names_each_option_by_its_key);
	build_args_release(&args);
	log_set_level(LOG_NORMAL);
	return CHECK_DONE();
}
