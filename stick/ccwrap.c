/*
 * stick cc-wrap: the C and C++ compiler and linker a package's PEP 517
 * backend sees (stick/stickpy/pep517.py sets CC, CXX, LDSHARED to it).
 * Compiles pass through to the toolchain's compiler with -fPIC (C++: its
 * C++ compiler, with libc++'s headers on musl); Fortran is refused. The shared-object link of
 * an extension instead writes, at the same path, one relocatable object: a
 * partial link of its objects and private static libraries in which
 * PyInit_<leaf> is the only global symbol left defined and no COMDAT group
 * is left. What it needs at the final link (C libraries, the C++ runtime)
 * goes into its .stick.link section. Configured by the environment (see
 * ccwrap.h).
 */
#include "ccwrap.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clib.h"
#include "cmd.h"
#include "elfsym.h"
#include "home.h"
#include "proc.h"
#include "toolchain.h"
#include "util.h"
#include "banned.h"

extern char **environ;

struct wrap {
	const char *cc;          /* STICK_CC */
	const char *package;     /* STICK_CC_PACKAGE */
	const char *notes;       /* STICK_CC_NOTES, or NULL */
	struct strvec provided;  /* STICK_CC_PROVIDED */
	struct strvec prefixes;  /* STICK_CC_PREFIXES, then STICK_CC_STATE's */
	struct strvec libdirs;   /* STICK_CC_PREFIXES' lib/ */
	const char *toolchain;   /* STICK_CC_TOOLCHAIN: libraries on demand */
	const char *state;       /* STICK_CC_STATE, or NULL */
	const char *sources;     /* STICK_CC_SOURCES, or NULL */
	const char *mirrors;     /* STICK_CC_MIRRORS, or NULL */
	bool musl;               /* STICK_CC_LIBC is not glibc */
	const char *objcopy;     /* STICK_CC_TARGET's objcopy */
	const char *cxx;         /* STICK_CXX: the C++ compiler, or NULL */
	bool cxx_mode;           /* --cxx (CXX, LDCXXSHARED) or a C++ source */
	bool cxx_lib;            /* links a C++ library recipe's archive */
	char *cxx_include;       /* musl: libc++'s include/c++/v1, once built */
	char *cxx_prefix;        /* musl: the C++ runtime's prefix, once built */
};

/* What a `-shared` link names. */
struct shlink {
	const char *out;
	struct strvec inputs;    /* objects and private archives */
	struct strvec ldirs;     /* -L */
	struct strvec libs;      /* -l */
	struct strvec record;    /* lines of .stick.link */
	struct strvec sources;   /* assembly sources named in the link */
	struct strvec temps;     /* their objects, assembled here */
	bool cxx;                /* -lstdc++, -lc++...: the C++ runtime */
};

/* Its archives, in link order (thirdparty/libcxx's `library` line). */
static const char *const cxx_archives[] = {
	"libc++.a", "libc++abi.a", "libunwind.a",
};

/* -l names that ask for a C++ runtime: the toolchain's is linked instead. */
static const char *const cxx_runtime_libs[] = {
	"stdc++", "c++", "c++abi", "unwind", "supc++",
};

/* Libraries that are part of the C library: nothing to link or record. */
static const char *const libc_parts[] = {
	"c", "m", "pthread", "dl", "rt", "util", "crypt", "resolv",
};

/*
 * An error, also appended to the notes file: a backend that catches the
 * failure and builds without the extension (a pure-Python fallback) must
 * not hide it from stick.
 */
static int PRINTF_LIKE(2, 3) fail(const struct wrap *w, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	FILE *f;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	error("%s", msg);
	f = w->notes ? fopen(w->notes, "a") : NULL;
	if (f) {
		fprintf(f, "%s\n", msg);
		fclose(f);
	}
	free(msg);
	return -1;
}

static void split_colons(const char *s, struct strvec *out)
{
	while (s && *s) {
		size_t n = strcspn(s, ":");

		if (n) {
			char *item = xstrndup(s, n);

			strvec_push(out, item);
			free(item);
		}
		s += n + (s[n] ? 1 : 0);
	}
}

static bool is_cxx_source(const char *a)
{
	static const char *const ext[] = { ".cpp", ".cc", ".cxx", ".C", ".c++" };

	for (size_t i = 0; i < ARRAY_SIZE(ext); i++) {
		if (ends_with(a, ext[i]))
			return true;
	}
	return false;
}

static int refuse_cxx(const struct wrap *w, const char *what)
{
	return fail(w, "%s: cannot build '%s': it is C++, and this toolchain "
		"has no C++ compiler ('%s'); rebuild the toolchain with this "
		"stick and install clang-19 (scripts/setup does)", w->package,
		what, w->cxx ? w->cxx : "STICK_CXX is not set");
}

/* A Fortran source file (fixed or free form, preprocessed or not). */
static bool is_fortran_source(const char *a)
{
	static const char *const ext[] = {
		".f", ".F", ".for", ".FOR", ".ftn", ".f77", ".F77", ".f90",
		".F90", ".f95", ".F95", ".f03", ".F03", ".f08", ".F08",
	};

	for (size_t i = 0; a[0] != '-' && i < ARRAY_SIZE(ext); i++) {
		if (ends_with(a, ext[i]))
			return true;
	}
	return false;
}

static int refuse_fortran(const struct wrap *w, const char *what)
{
	return fail(w, "%s: cannot build '%s': it is Fortran, and stick has no "
		"Fortran compiler or runtime (gfortran, libgfortran) for static "
		"musl binaries; stick builds C and C++ extensions only: use the "
		"package's pure-Python fallback or leave the package out",
		w->package, what);
}

/* What a C++ compiler call was about: its first source or its output. */
static const char *cxx_subject(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (is_cxx_source(argv[i]) || ends_with(argv[i], ".c"))
			return argv[i];
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			return argv[i + 1];
	}
	return "a C++ source";
}

/*
 * The build host's own header and library directories: their headers are
 * glibc's (and its libraries' builds for glibc), so for a musl target a
 * -I or -L naming one is dropped (Pillow adds -I/usr/include).
 */
static bool is_host_dir(const char *dir)
{
	static const char *const host[] = {
		"/usr/include", "/usr/local/include", "/usr/lib", "/usr/lib64",
		"/usr/local/lib", "/lib", "/lib64",
	};

	for (size_t i = 0; i < ARRAY_SIZE(host); i++) {
		size_t n = strlen(host[i]);

		if (!strncmp(dir, host[i], n) && (!dir[n] || dir[n] == '/'))
			return true;
	}
	return false;
}

/* Options whose value is a directory searched for headers or libraries. */
static const char *dir_option(const char *a)
{
	static const char *const opts[] = { "-isystem", "-idirafter",
					    "-iquote", "-I", "-L" };

	for (size_t i = 0; i < ARRAY_SIZE(opts); i++) {
		if (starts_with(a, opts[i]))
			return opts[i];
	}
	return NULL;
}

/*
 * How many arguments from argv[i] on name a host directory (1: "-I/usr/
 * include", 2: "-I" "/usr/include"), said on stderr (the build's log);
 * 0 for any other argument or a glibc target.
 */
static int host_dir_args(const struct wrap *w, int argc, char **argv, int i)
{
	const char *opt = w->musl ? dir_option(argv[i]) : NULL;
	const char *dir = opt ? argv[i] + strlen(opt) : NULL;
	int n = 1;

	if (dir && !*dir) {
		if (i + 1 >= argc)
			return 0;
		dir = argv[i + 1];
		n = 2;
	}
	if (!dir || !is_host_dir(dir))
		return 0;
	fprintf(stderr, "stick cc-wrap: %s: dropped the build host's "
		"directory '%s%s%s': its headers and libraries are for glibc, "
		"not this musl target\n", w->package, opt,
		strlen(opt) == 2 ? "" : " ", dir);
	return n;
}

/*
 * -flto, -flto=thin...: an LTO object is compiler IR, which the partial
 * link into one relocatable object (ld -r) cannot take (CMake projects
 * turn it on with INTERPROCEDURAL_OPTIMIZATION: RapidFuzz).
 */
static bool is_lto_flag(const char *a)
{
	return !strcmp(a, "-flto") || starts_with(a, "-flto=") ||
		!strcmp(a, "-ffat-lto-objects");
}

/* argv without the host directories and the LTO flags. */
static void drop_host_dirs(const struct wrap *w, int argc, char **argv,
			   struct strvec *out)
{
	for (int i = 0; i < argc; i++) {
		int n = host_dir_args(w, argc, argv, i);

		if (n)
			i += n - 1;
		else if (!is_lto_flag(argv[i]))
			strvec_push(out, argv[i]);
	}
}

static bool have_prefix(const struct wrap *w, const char *prefix)
{
	for (size_t i = 0; i < w->prefixes.n; i++) {
		if (!strcmp(w->prefixes.v[i], prefix))
			return true;
	}
	return false;
}

/* Remembers prefix for this package's later compiler calls. */
static void add_prefix(struct wrap *w, const char *prefix)
{
	int fd;

	if (have_prefix(w, prefix))
		return;
	strvec_push(&w->prefixes, prefix);
	fd = w->state ? open(w->state, O_WRONLY | O_APPEND | O_CREAT, 0644) : -1;
	if (fd >= 0) {
		char *line = xasprintf("%s\n", prefix);

		if (write(fd, line, strlen(line)) < 0)
			warn("cannot write '%s':", w->state);
		free(line);
		close(fd);
	}
}

static void fetch_opts_from_env(const struct wrap *w, struct fetch_opts *f)
{
	const char *m = w->mirrors;

	f->cache_dir = home_sources_dir();
	f->sources_dir = w->sources && *w->sources ? w->sources : NULL;
	while (m && *m) {
		size_t n = strcspn(m, " ");

		if (n) {
			char *url = xstrndup(m, n);

			strvec_push(&f->mirrors, url);
			free(url);
		}
		m += n + (m[n] ? 1 : 0);
	}
}

/*
 * The library recipe providing what (clib.h), built for this toolchain
 * (cached) and its prefix remembered: 1 when one was, 0 when no recipe
 * provides it (or no toolchain is set), -1 when its build failed.
 * *prefix (may be NULL) receives its prefix.
 */
static int need_library(struct wrap *w, enum clib_need need,
			const char *what, char **prefix)
{
	struct fetch_opts f = FETCH_OPTS_INIT;
	struct toolchain tc;
	char *name = w->toolchain ? clib_provider(need, what) : NULL;
	char *dir = NULL;
	int ret;

	if (!name)
		return 0;
	memset(&tc, 0, sizeof(tc));
	fetch_opts_from_env(w, &f);
	fprintf(stderr, "stick cc-wrap: %s: '%s' is in C library %s: "
		"using it (built once per toolchain, then cached)\n", w->package, what,
		name);
	ret = toolchain_open(&tc, w->toolchain);
	if (!ret)
		ret = clib_ensure(&tc, name, &f, &dir);
	if (ret)
		fail(w, "%s: cannot build C library %s, which provides '%s'",
		     w->package, name, what);
	else
		add_prefix(w, dir);
	if (!ret && clib_is_cxx(name) > 0)
		w->cxx_lib = true;
	if (prefix && !ret)
		*prefix = xstrdup(dir);
	toolchain_release(&tc);
	fetch_opts_release(&f);
	free(dir);
	free(name);
	return ret ? -1 : 1;
}

/*
 * The musl toolchain's C++ runtime (thirdparty/libcxx), built for it the
 * first time (cached): *prefix receives its prefix. 0, or -1 after a
 * message.
 */
static int cxx_runtime(const struct wrap *w, char **prefix)
{
	struct fetch_opts f = FETCH_OPTS_INIT;
	struct toolchain tc;
	int ret;

	if (!w->toolchain)
		return fail(w, "%s: C++ needs the toolchain's C++ runtime, and "
			"STICK_CC_TOOLCHAIN is not set", w->package);
	memset(&tc, 0, sizeof(tc));
	fetch_opts_from_env(w, &f);
	ret = toolchain_open(&tc, w->toolchain);
	if (!ret)
		ret = clib_ensure(&tc, CLIB_CXX_RUNTIME, &f, prefix);
	if (ret)
		fail(w, "%s: cannot build the C++ runtime (library recipe %s) "
		     "for toolchain '%s'", w->package, CLIB_CXX_RUNTIME,
		     w->toolchain);
	toolchain_release(&tc);
	fetch_opts_release(&f);
	return ret;
}

/*
 * Before a C++ compile: the toolchain must have a C++ compiler; on musl,
 * libc++'s headers (its runtime built first) go before the C library's.
 */
static int cxx_prepare(struct wrap *w, const char *subject)
{
	char *prefix = NULL;

	if (!w->cxx || !*w->cxx || (w->musl && access(w->cxx, X_OK)))
		return refuse_cxx(w, subject);
	if (!w->musl || w->cxx_include)
		return 0;
	if (cxx_runtime(w, &prefix))
		return -1;
	w->cxx_include = xasprintf("%s/include/c++/v1", prefix);
	w->cxx_prefix = prefix;
	return 0;
}

static bool in_list(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(v[i], s))
			return true;
	}
	return false;
}

/*
 * Whether a call links an executable: no -c, -E, -S or -M, and an input
 * (a source, object or archive). Meson's and CMake's configure checks
 * compile and link small C++ programs and run them.
 */
static bool is_exe_link(int argc, char **argv)
{
	static const char *const stop[] = { "-c", "-E", "-S", "-M", "-MM",
					    "-shared", "-r" };
	bool input = false;

	for (int i = 0; i < argc; i++) {
		if (in_list(stop, ARRAY_SIZE(stop), argv[i]))
			return false;
		input = input || is_cxx_source(argv[i]) ||
			ends_with(argv[i], ".c") || ends_with(argv[i], ".o") ||
			ends_with(argv[i], ".a");
	}
	return input;
}

/*
 * A musl C++ executable (a configure check) links statically against
 * the toolchain's libc++, libc++abi and libunwind, with the crt files and
 * libgcc of the gcc that the C wrapper runs (the target's: the host's, or
 * the cross gcc), with lld (the host's ld knows no other target), and an
 * .eh_frame_hdr for libunwind.
 */
static void cxx_exe_link_args(const struct wrap *w, struct strvec *av)
{
	char *argv[] = { (char *)w->cc, "-print-libgcc-file-name", NULL };
	const char *tmpdir = getenv("TMPDIR");
	char *out = xasprintf("%s/stick-libgcc-%ld", tmpdir && *tmpdir ?
			      tmpdir : "/tmp", (long)getpid());
	char *libgcc = proc_capture(argv, NULL, out);
	char *dir;

	free(out);
	if (libgcc)
		libgcc[strcspn(libgcc, "\n")] = '\0';
	dir = libgcc && *libgcc == '/' ? path_dirname(libgcc) : NULL;
	strvec_push(av, "-static");
	strvec_push(av, "-fuse-ld=lld");
	strvec_push(av, "-nostdlib++");
	strvec_push(av, "-Wl,--eh-frame-hdr");
	if (dir) {
		strvec_pushf(av, "-B%s", dir);
		strvec_pushf(av, "-L%s", dir);
	}
	strvec_pushf(av, "-L%s/lib", w->cxx_prefix);
	strvec_push(av, "-lc++");
	strvec_push(av, "-lc++abi");
	strvec_push(av, "-lunwind");
	free(dir);
	free(libgcc);
}

/*
 * "yaml.h" of gcc's "x.c:1:10: fatal error: yaml.h: No such file..." or
 * clang's "x.cpp:1:10: fatal error: 'yaml.h' file not found".
 */
static char *missing_header(const char *out)
{
	static const char tag[] = "fatal error: ";
	const char *p = out ? strstr(out, tag) : NULL;
	const char *end;
	bool clang;

	if (!p)
		return NULL;
	p += strlen(tag);
	clang = *p == '\'';
	p += clang;
	end = strstr(p, clang ? "' file not found" :
		     ": No such file or directory");
	if (!end || memchr(p, '\n', (size_t)(end - p)))
		return NULL;
	return xstrndup(p, (size_t)(end - p));
}

static bool is_compile(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "-c"))
			return true;
	}
	return false;
}

static void compiler_argv(const struct wrap *w, int argc, char **argv,
			  struct strvec *av)
{
	strvec_push(av, w->cxx_mode ? w->cxx : w->cc);
	if (w->cxx_include) {
		strvec_push(av, "-isystem");
		strvec_push(av, w->cxx_include);
		/* Its place in $STICK_HOME reaches no object (__FILE__). */
		strvec_pushf(av, "-ffile-prefix-map=%s=/usr/src/stick/libcxx",
			     w->cxx_include);
	}
	drop_host_dirs(w, argc, argv, av);
	strvec_push(av, "-fPIC");
	strvec_push(av, "-fno-common");
	/* g++ would make inline functions' statics global (STB_GNU_UNIQUE). */
	if (w->cxx_mode && !w->musl)
		strvec_push(av, "-fno-gnu-unique");
	for (size_t i = 0; i < w->prefixes.n; i++) {
		strvec_pushf(av, "-I%s/include", w->prefixes.v[i]);
		strvec_pushf(av, "-L%s/lib", w->prefixes.v[i]);
	}
	if (w->cxx_mode && w->cxx_prefix && is_exe_link(argc, argv))
		cxx_exe_link_args(w, av);
}

/* One compile, its output (stdout and stderr) in *out. */
static int compile_once(const struct wrap *w, int argc, char **argv,
			char **out)
{
	struct strvec av = STRVEC_INIT;
	char tmp[] = "/tmp/stick-cc-XXXXXX";
	const char *dir = getenv("TMPDIR");
	char *path = dir && *dir ? xasprintf("%s/stick-cc-XXXXXX", dir) :
		xstrdup(tmp);
	int fd = mkstemp(path);
	struct proc_opts po = { .log_path = path, .stdin_path = "/dev/null" };
	int ret;

	compiler_argv(w, argc, argv, &av);
	if (fd < 0) {
		*out = NULL;
		ret = proc_run(av.v, NULL);
	} else {
		close(fd);
		ret = proc_run(av.v, &po);
		*out = read_file(path, NULL);
		unlink(path);
	}
	strvec_clear(&av);
	free(path);
	return ret;
}

/*
 * Compiles: the real compiler with -fPIC and the prefixes of the stick
 * libraries this package needs. A compile that misses a header a library
 * recipe provides builds that library and compiles again.
 */
static int pass_through(struct wrap *w, int argc, char **argv)
{
	char *out = NULL, *header;
	int ret, built = 0, tries = 0;

	if (!w->toolchain || !is_compile(argc, argv)) {
		struct strvec av = STRVEC_INIT;

		compiler_argv(w, argc, argv, &av);
		ret = proc_run(av.v, NULL);
		strvec_clear(&av);
		return ret;
	}
	for (;;) {
		ret = compile_once(w, argc, argv, &out);
		header = ret ? missing_header(out) : NULL;
		built = header && tries++ < 8 ?
			need_library(w, CLIB_HEADER, header, NULL) : 0;
		free(header);
		if (built <= 0)
			break;
		free(out);
		out = NULL;
	}
	if (out)
		fputs(out, stderr);
	free(out);
	return built < 0 ? 1 : ret;
}

static char *find_archive(const struct strvec *dirs, const char *name)
{
	for (size_t i = 0; i < dirs->n; i++) {
		char *p = xasprintf("%s/lib%s.a", dirs->v[i], name);

		if (path_exists(p))
			return p;
		free(p);
	}
	return NULL;
}

/*
 * Where -lNAME comes from: libc, the toolchain, a library recipe (built
 * now if it was not), stick's prefixes, the package's own -L directories.
 */
static int resolve_lib(struct wrap *w, struct shlink *l, const char *name)
{
	char *path, *prefix = NULL;
	int got;

	if (in_list(libc_parts, ARRAY_SIZE(libc_parts), name))
		return 0;
	if (in_list(cxx_runtime_libs, ARRAY_SIZE(cxx_runtime_libs), name)) {
		l->cxx = true;
		return 0;
	}
	if (in_list((const char *const *)w->provided.v, w->provided.n, name)) {
		strvec_pushf(&l->record, "-l%s", name);
		return 0;
	}
	got = need_library(w, CLIB_LINK, name, &prefix);
	if (got < 0)
		return -1;
	if (got) {
		strvec_pushf(&l->record, "%s/lib/lib%s.a", prefix, name);
		free(prefix);
		return 0;
	}
	path = find_archive(&w->libdirs, name);
	if (path) {
		strvec_push(&l->record, path);
		free(path);
		return 0;
	}
	path = find_archive(&l->ldirs, name);
	if (!path)
		return fail(w, "%s: '%s' links -l%s, which the toolchain does not "
			"provide, no library recipe in thirdparty/ builds, and "
			"no -L directory of the package holds as lib%s.a; add a "
			"recipe of kind library to thirdparty/ for lib%s",
			w->package, l->out, name, name, name);
	strvec_push(&l->inputs, path);
	free(path);
	return 0;
}

/*
 * An assembly source named in the link itself (numpy's SVML .s files
 * go straight into meson's link of _multiarray_umath): assembled here
 * into an object beside the output, which the partial link takes.
 */
static int assemble_input(const struct wrap *w, struct shlink *l,
			  const char *src)
{
	char *obj = xasprintf("%s.stick-as%zu.o", l->out, l->temps.n);
	char *argv[] = { (char *)w->cc, "-c", "-fPIC", (char *)src, "-o",
			 obj, NULL };
	int ret = proc_run(argv, NULL);

	strvec_push(&l->temps, obj);
	if (!ret)
		strvec_push(&l->inputs, obj);
	else
		fail(w, "%s: assembling '%s' for '%s' failed (exit %d)",
		     w->package, src, l->out, ret);
	free(obj);
	return ret ? -1 : 0;
}

/* path without "." and "dir/.." parts (pkg-config's ${pcfiledir}/../..). */
static char *lexical_path(const char *path)
{
	struct strvec parts = STRVEC_INIT;
	struct strbuf sb = STRBUF_INIT;
	char *copy = xstrdup(path), *save = NULL;

	for (char *p = strtok_r(copy, "/", &save); p;
	     p = strtok_r(NULL, "/", &save)) {
		bool up = parts.n && strcmp(parts.v[parts.n - 1], "..");

		if (!strcmp(p, "..") && up) {
			free(parts.v[--parts.n]);
			parts.v[parts.n] = NULL;
		} else if (strcmp(p, ".")) {
			strvec_push(&parts, p);
		}
	}
	for (size_t i = 0; i < parts.n; i++)
		strbuf_addf(&sb, "%s%s", i || *path == '/' ? "/" : "",
			    parts.v[i]);
	free(copy);
	strvec_clear(&parts);
	return strbuf_detach(&sb);
}

/*
 * An archive of a stick-built C library (in $STICK_HOME/clibs/) named by
 * its path, as CMake links what pkg-config found: recorded for the final
 * link like -lNAME (one copy in the binary, listed in the SBOM), not
 * linked into the extension. 1 when it was one.
 */
static int clib_archive_input(struct wrap *w, struct shlink *l, const char *a)
{
	char *clibs = path_join(home_dir(), "clibs/");
	char *path = lexical_path(a), *lib, *entry, *name;
	int found = starts_with(path, clibs);

	if (found) {
		strvec_push(&l->record, path);
		lib = path_dirname(path);
		entry = path_dirname(lib);
		name = xstrdup(path_basename(entry));
		/* NAME-VERSION-DIGEST: the entry of recipe NAME. */
		for (int dashes = 0; dashes < 2 && strrchr(name, '-'); dashes++)
			*strrchr(name, '-') = '\0';
		if (clib_is_cxx(name) > 0)
			w->cxx_lib = true;
		free(name);
		free(entry);
		free(lib);
	}
	free(path);
	free(clibs);
	return found;
}

static int parse_input(struct wrap *w, struct shlink *l, const char *a)
{
	if (ends_with(a, ".a") && clib_archive_input(w, l, a))
		return 0;
	if (ends_with(a, ".o") || ends_with(a, ".a")) {
		strvec_push(&l->inputs, a);
		return 0;
	}
	if (ends_with(a, ".s") || ends_with(a, ".S")) {
		strvec_push(&l->sources, a);
		return 0;
	}
	return fail(w, "%s: cannot link '%s' into extension '%s': only objects, "
		"assembly sources and static archives can be linked into a "
		"static binary",
		w->package, a, l->out);
}

static int parse_shared(struct wrap *w, int argc, char **argv,
			struct shlink *l)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int host = host_dir_args(w, argc, argv, i);

		if (host)
			i += host - 1;
		else if (!strcmp(a, "-o") && i + 1 < argc)
			l->out = argv[++i];
		else if (starts_with(a, "-L"))
			strvec_push(&l->ldirs, a[2] ? a + 2 : i + 1 < argc ?
				    argv[++i] : "");
		else if (starts_with(a, "-l"))
			strvec_push(&l->libs, a[2] ? a + 2 : i + 1 < argc ?
				    argv[++i] : "");
		else if (a[0] != '-' && parse_input(w, l, a))
			return -1;
	}
	if (!l->out)
		return error("%s: shared link without -o", w->package);
	for (size_t i = 0; i < l->sources.n; i++) {
		if (assemble_input(w, l, l->sources.v[i]))
			return -1;
	}
	for (size_t i = 0; i < l->libs.n; i++) {
		if (resolve_lib(w, l, l->libs.v[i]))
			return -1;
	}
	return 0;
}

/* The module's leaf name: the output's file name up to its first dot. */
static char *leaf_name(const char *out)
{
	const char *base = path_basename(out);

	return xstrndup(base, strcspn(base, "."));
}

static int write_record(const struct shlink *l, const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return error("cannot write '%s':", path);
	fprintf(f, "stick-link 1\n");
	for (size_t i = 0; i < l->record.n; i++)
		fprintf(f, "%s\n", l->record.v[i]);
	if (fclose(f))
		return error("cannot write '%s':", path);
	return 0;
}

static int partial_link(const struct wrap *w, const struct shlink *l,
			const char *tmp)
{
	struct strvec av = STRVEC_INIT;
	int ret;

	strvec_push(&av, w->cc);
	strvec_push(&av, "-nostdlib");
	strvec_push(&av, "-r");
	strvec_push(&av, "-Wl,-d");
	strvec_push(&av, "-o");
	strvec_push(&av, tmp);
	for (size_t i = 0; i < l->inputs.n; i++)
		strvec_push(&av, l->inputs.v[i]);
	ret = proc_run(av.v, NULL);
	strvec_clear(&av);
	if (ret)
		return fail(w, "%s: partial link of '%s' failed (exit %d)",
			w->package, l->out, ret);
	return 0;
}

/* Whether the partial link uses the C++ runtime (new, __cxa_throw...). */
static int uses_cxx_runtime(const char *obj, bool *yes)
{
	static const char *const prefixes[] = {
		"_Z", "__cxa_", "__gxx_personality", "__dynamic_cast",
		"_Unwind_",
	};
	struct strvec undef = STRVEC_INIT;
	int ret = elfsym_undefined(obj, &undef);

	for (size_t i = 0; !ret && !*yes && i < undef.n; i++) {
		for (size_t k = 0; k < ARRAY_SIZE(prefixes); k++)
			*yes = *yes || starts_with(undef.v[i], prefixes[k]);
	}
	strvec_clear(&undef);
	return ret;
}

/* The host's static libstdc++ (glibc): `g++ -print-file-name`. */
static int host_libstdcxx(const struct wrap *w, struct shlink *l,
			  const char *tmp)
{
	char *out = xasprintf("%s.cxx-lib", tmp);
	char *argv[] = { (char *)w->cxx, "-print-file-name=libstdc++.a", NULL };
	char *text = proc_capture(argv, NULL, out);
	int ret = 0;

	if (text)
		text[strcspn(text, "\n")] = '\0';
	if (!text || *text != '/' || !path_exists(text))
		ret = fail(w, "%s: '%s' needs the C++ runtime, and '%s' knows "
			"no libstdc++.a; install g++ (scripts/setup does)",
			w->package, l->out, w->cxx);
	else
		strvec_push(&l->record, text);
	free(text);
	free(out);
	return ret;
}

/*
 * An extension that uses the C++ runtime records its archives for the
 * final link: on musl the toolchain's libc++, libc++abi and libunwind
 * (thirdparty/libcxx), on glibc the host's libstdc++.a.
 */
static int record_cxx_runtime(struct wrap *w, struct shlink *l,
			      const char *tmp)
{
	bool yes = l->cxx || w->cxx_mode || w->cxx_lib;
	char *prefix = NULL;

	if (!yes && uses_cxx_runtime(tmp, &yes))
		return -1;
	if (!yes)
		return 0;
	if (!w->cxx || !*w->cxx)
		return refuse_cxx(w, l->out);
	if (!w->musl)
		return host_libstdcxx(w, l, tmp);
	if (cxx_runtime(w, &prefix))
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(cxx_archives); i++)
		strvec_pushf(&l->record, "%s/lib/%s", prefix, cxx_archives[i]);
	free(prefix);
	return 0;
}

/*
 * One global symbol (the init function) and no COMDAT group: inline
 * functions and templates are grouped by their symbol's name, which the
 * final link would keep once across every extension even when the
 * symbol is local, so two extensions built with different versions of
 * one header-only library would share one copy. Removing the .group
 * sections dissolves the groups (their sections stay, private to this
 * object); the partial link already kept one copy of each group among
 * this extension's own objects.
 */
static int localize(const struct wrap *w, const struct shlink *l,
		    const char *tmp, const char *rec, const char *init)
{
	struct strvec av = STRVEC_INIT;
	int ret;

	strvec_push(&av, w->objcopy);
	strvec_push(&av, "--remove-section=.group");
	strvec_pushf(&av, "--keep-global-symbol=%s", init);
	strvec_push(&av, "--add-section");
	strvec_pushf(&av, ".stick.link=%s", rec);
	strvec_push(&av, "--set-section-flags");
	strvec_push(&av, ".stick.link=exclude,readonly");
	strvec_push(&av, tmp);
	strvec_push(&av, l->out);
	ret = proc_run(av.v, NULL);
	strvec_clear(&av);
	if (ret)
		return fail(w, "%s: objcopy of '%s' failed (exit %d)", w->package,
			l->out, ret);
	return 0;
}

/*
 * Exactly one defined global must remain, the init function, and no
 * COMDAT group.
 */
static int check_globals(const struct wrap *w, const char *out,
			 const char *init)
{
	struct strvec g = STRVEC_INIT;
	bool found = false;
	size_t groups = 0;
	int ret = elfsym_defined_globals(out, &g);

	if (!ret)
		ret = elfsym_count_groups(out, &groups);
	if (!ret && groups)
		ret = fail(w, "%s: '%s' still has %zu COMDAT group(s) after "
			"removing its .group sections", w->package, out, groups);

	for (size_t i = 0; !ret && i < g.n; i++) {
		if (!strcmp(g.v[i], init))
			found = true;
		else
			ret = fail(w, "%s: '%s' still defines global '%s' after "
				"localizing", w->package, out, g.v[i]);
	}
	if (!ret && !found)
		ret = fail(w, "%s: extension '%s' defines no '%s' (is the "
			"file named after its module?)", w->package, out, init);
	strvec_clear(&g);
	return ret;
}

static int link_extension(struct wrap *w, struct shlink *l)
{
	char *leaf = leaf_name(l->out);
	char *init = xasprintf("PyInit_%s", leaf);
	char *tmp = xasprintf("%s.stick-r.o", l->out);
	char *rec = xasprintf("%s.stick-link", l->out);
	int ret;

	fprintf(stderr, "stick cc-wrap: %s: relocatable object, only %s "
		"global\n", l->out, init);
	ret = partial_link(w, l, tmp);
	if (!ret)
		ret = record_cxx_runtime(w, l, tmp);
	if (!ret)
		ret = write_record(l, rec);
	if (!ret)
		ret = localize(w, l, tmp, rec, init);
	if (!ret)
		ret = check_globals(w, l->out, init);
	if (ret)
		unlink(l->out);
	unlink(tmp);
	unlink(rec);
	free(leaf);
	free(init);
	free(tmp);
	free(rec);
	return ret;
}

static void shlink_clear(struct shlink *l)
{
	strvec_clear(&l->inputs);
	strvec_clear(&l->ldirs);
	strvec_clear(&l->libs);
	strvec_clear(&l->record);
	strvec_clear(&l->sources);
	for (size_t i = 0; i < l->temps.n; i++)
		unlink(l->temps.v[i]);
	strvec_clear(&l->temps);
}

/* The prefixes earlier calls for this package built (STICK_CC_STATE). */
static void read_state(struct wrap *w)
{
	char *text = w->state ? read_file(w->state, NULL) : NULL;

	if (!text)
		return;
	for (char *p = text; *p; ) {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);

		if (*line && !have_prefix(w, line))
			strvec_push(&w->prefixes, line);
		free(line);
		p += n + (p[n] ? 1 : 0);
	}
	free(text);
}

static int wrap_init(struct wrap *w)
{
	const char *libc = getenv("STICK_CC_LIBC");
	const struct target *target;

	memset(w, 0, sizeof(*w));
	w->cc = getenv("STICK_CC");
	w->package = getenv("STICK_CC_PACKAGE");
	if (!w->package)
		w->package = "(unknown package)";
	w->notes = getenv("STICK_CC_NOTES");
	if (!w->cc || !*w->cc)
		return error("stick cc-wrap: STICK_CC is not set; this command "
			"is run by stick's extension builds, not by hand");
	split_colons(getenv("STICK_CC_PROVIDED"), &w->provided);
	split_colons(getenv("STICK_CC_PREFIXES"), &w->prefixes);
	for (size_t i = 0; i < w->prefixes.n; i++)
		strvec_pushf(&w->libdirs, "%s/lib", w->prefixes.v[i]);
	w->toolchain = getenv("STICK_CC_TOOLCHAIN");
	if (w->toolchain && !*w->toolchain)
		w->toolchain = NULL;
	w->state = getenv("STICK_CC_STATE");
	w->sources = getenv("STICK_CC_SOURCES");
	w->mirrors = getenv("STICK_CC_MIRRORS");
	w->musl = !libc || strcmp(libc, "glibc");
	target = target_find(getenv("STICK_CC_TARGET"));
	w->objcopy = (target ? target : target_default())->objcopy;
	w->cxx = getenv("STICK_CXX");
	read_state(w);
	return 0;
}

/* A note for stick (the notes file) that is no error: what the build
 * looked for and did not find, which stick reports if the build fails
 * or goes on without it. */
static void note(const struct wrap *w, const char *msg)
{
	FILE *f = w->notes ? fopen(w->notes, "a") : NULL;

	fprintf(stderr, "stick cc-wrap: %s\n", msg);
	if (f) {
		fprintf(f, "%s\n", msg);
		fclose(f);
	}
}

static bool is_pkg_name(const char *a)
{
	return *a && *a != '-' && !strchr("<>=!0123456789", *a);
}

/* After a failed query: a note when name is missing, which no library
 * recipe provides (the toolchain's own .pc files may). */
static void pkg_config_unknown(const struct wrap *w, const char *name,
			       char **env)
{
	char *av[] = { "/usr/bin/pkg-config", "--exists", (char *)name, NULL };
	struct proc_opts po = { .env = env };
	char *msg;

	if (proc_run(av, &po) == 0)
		return;
	msg = xasprintf("%s: pkg-config found no '%s': neither the toolchain "
			"nor a stick library recipe provides it", w->package,
			name);
	note(w, msg);
	free(msg);
}

/*
 * stick cc-wrap --pkg-config ARGS: pkg-config (first on the backend's
 * PATH) over the toolchain's .pc files and those of the library recipes
 * the package asks for, each built first (cached).
 */
static int pkg_config(struct wrap *w, int argc, char **argv)
{
	const char *libdir = getenv("PKG_CONFIG_LIBDIR");
	struct strvec av = STRVEC_INIT, env = STRVEC_INIT;
	struct strvec unknown = STRVEC_INIT;
	struct strbuf dirs = STRBUF_INIT;
	int ret = 0;

	for (int i = 0; !ret && i < argc; i++) {
		int r = is_pkg_name(argv[i]) ?
			need_library(w, CLIB_PKGCONFIG, argv[i], NULL) : 1;

		if (r < 0)
			ret = 1;
		else if (r == 0)
			strvec_push(&unknown, argv[i]);
	}
	strbuf_addstr(&dirs, libdir ? libdir : "");
	for (size_t i = 0; i < w->prefixes.n; i++)
		strbuf_addf(&dirs, "%s%s/lib/pkgconfig", dirs.len ? ":" : "",
			    w->prefixes.v[i]);
	for (char **e = environ; *e; e++) {
		if (!starts_with(*e, "PKG_CONFIG_LIBDIR=") &&
		    !starts_with(*e, "PKG_CONFIG_PATH="))
			strvec_push(&env, *e);
	}
	strvec_pushf(&env, "PKG_CONFIG_LIBDIR=%s", dirs.buf ? dirs.buf : "");
	strvec_push(&av, "/usr/bin/pkg-config");
	for (int i = 0; i < argc; i++)
		strvec_push(&av, argv[i]);
	if (!ret) {
		struct proc_opts po = { .env = env.v };

		ret = proc_run(av.v, &po);
		for (size_t i = 0; ret && i < unknown.n; i++)
			pkg_config_unknown(w, unknown.v[i], env.v);
	}
	strvec_clear(&unknown);
	strvec_clear(&av);
	strvec_clear(&env);
	strbuf_release(&dirs);
	return ret;
}

static int wrap_run(struct wrap *w, int argc, char **argv)
{
	struct shlink l = { .inputs = STRVEC_INIT, .ldirs = STRVEC_INIT,
			    .libs = STRVEC_INIT, .record = STRVEC_INIT,
			    .sources = STRVEC_INIT, .temps = STRVEC_INIT };
	struct strvec args = STRVEC_INIT;
	bool shared = false;
	int ret;

	if (argc && !strcmp(argv[0], "--pkg-config"))
		return pkg_config(w, argc - 1, argv + 1);
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--cxx")) {
			w->cxx_mode = true;
			continue;
		}
		if (is_fortran_source(argv[i])) {
			strvec_clear(&args);
			return refuse_fortran(w, argv[i]);
		}
		w->cxx_mode = w->cxx_mode || is_cxx_source(argv[i]);
		shared = shared || !strcmp(argv[i], "-shared");
		strvec_push(&args, argv[i]);
	}
	if (!shared) {
		ret = w->cxx_mode ? cxx_prepare(w, cxx_subject(argc, argv)) : 0;
		if (!ret)
			ret = pass_through(w, (int)args.n, args.v);
	} else {
		ret = parse_shared(w, (int)args.n, args.v, &l);
		if (!ret)
			ret = link_extension(w, &l);
	}
	shlink_clear(&l);
	strvec_clear(&args);
	return ret;
}

int cmd_ccwrap(int argc, char **argv)
{
	struct wrap w;
	int ret;

	if (wrap_init(&w))
		return 1;
	ret = wrap_run(&w, argc - 1, argv + 1);
	strvec_clear(&w.provided);
	strvec_clear(&w.prefixes);
	strvec_clear(&w.libdirs);
	free(w.cxx_include);
	free(w.cxx_prefix);
	return ret < 0 ? 1 : ret;
}

const struct command ccwrap_command = {
	.name = "cc-wrap",
	.run = cmd_ccwrap,
	.usage = "usage: stick cc-wrap COMPILER-ARGS...\n\n"
	"Internal: the compiler and linker of extension builds (set by stick\n"
	"as CC, LDSHARED and CXX for a package's build backend).\n",
};
