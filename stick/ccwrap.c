/*
 * stick cc-wrap: the C compiler and linker a package's PEP 517 backend sees
 * (stick/stickpy/pep517.py sets CC, LDSHARED, CXX to it). Compiles pass
 * through to the toolchain's compiler with -fPIC; C++ is refused. The
 * shared-object link of an extension instead writes, at the same path, one
 * relocatable object: a partial link of its objects and private static
 * libraries in which PyInit_<leaf> is the only global symbol left defined.
 * What it needs at the final link goes into its .stick.link section.
 * Configured by the environment (see ccwrap.h).
 */
#include "ccwrap.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "elfsym.h"
#include "proc.h"
#include "util.h"
#include "banned.h"

struct wrap {
	const char *cc;          /* STICK_CC */
	const char *package;     /* STICK_CC_PACKAGE */
	const char *notes;       /* STICK_CC_NOTES, or NULL */
	struct strvec provided;  /* STICK_CC_PROVIDED */
	struct strvec prefixes;  /* STICK_CC_PREFIXES */
	struct strvec libdirs;   /* their lib/ */
};

/* What a `-shared` link names. */
struct shlink {
	const char *out;
	struct strvec inputs;    /* objects and private archives */
	struct strvec ldirs;     /* -L */
	struct strvec libs;      /* -l */
	struct strvec record;    /* lines of .stick.link */
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
	return fail(w, "%s: cannot build '%s': it is C++, and this musl "
		"toolchain has no C++ runtime (libstdc++ for musl); stick "
		"builds C extensions only: use the package's pure-Python "
		"fallback or leave the package out", w->package, what);
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

/* Compiles, preprocesses and executables: the real compiler, plus -fPIC. */
static int pass_through(const struct wrap *w, int argc, char **argv)
{
	struct strvec av = STRVEC_INIT;
	int ret;

	strvec_push(&av, w->cc);
	for (int i = 0; i < argc; i++)
		strvec_push(&av, argv[i]);
	strvec_push(&av, "-fPIC");
	strvec_push(&av, "-fno-common");
	for (size_t i = 0; i < w->prefixes.n; i++) {
		strvec_pushf(&av, "-I%s/include", w->prefixes.v[i]);
		strvec_pushf(&av, "-L%s/lib", w->prefixes.v[i]);
	}
	ret = proc_run(av.v, NULL);
	strvec_clear(&av);
	return ret;
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

static bool in_list(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(v[i], s))
			return true;
	}
	return false;
}

/* Where -lNAME comes from: libc, the toolchain, stick's libraries, private. */
static int resolve_lib(const struct wrap *w, struct shlink *l, const char *name)
{
	char *path;

	if (in_list(libc_parts, ARRAY_SIZE(libc_parts), name))
		return 0;
	if (in_list((const char *const *)w->provided.v, w->provided.n, name)) {
		strvec_pushf(&l->record, "-l%s", name);
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
			"provide and no -L directory holds as lib%s.a; add a "
			"recipe of kind library to thirdparty/ for it",
			w->package, l->out, name, name);
	strvec_push(&l->inputs, path);
	free(path);
	return 0;
}

static int parse_input(const struct wrap *w, struct shlink *l, const char *a)
{
	if (ends_with(a, ".o") || ends_with(a, ".a")) {
		strvec_push(&l->inputs, a);
		return 0;
	}
	if (is_cxx_source(a))
		return refuse_cxx(w, a);
	return fail(w, "%s: cannot link '%s' into extension '%s': only objects "
		"and static archives can be linked into a static binary",
		w->package, a, l->out);
}

static int parse_shared(const struct wrap *w, int argc, char **argv,
			struct shlink *l)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-o") && i + 1 < argc)
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

static int localize(const struct wrap *w, const struct shlink *l,
		    const char *tmp, const char *rec, const char *init)
{
	struct strvec av = STRVEC_INIT;
	int ret;

	strvec_push(&av, "objcopy");
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

/* Exactly one defined global must remain: the init function. */
static int check_globals(const struct wrap *w, const char *out,
			 const char *init)
{
	struct strvec g = STRVEC_INIT;
	bool found = false;
	int ret = elfsym_defined_globals(out, &g);

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

static int link_extension(const struct wrap *w, struct shlink *l)
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
}

static int wrap_init(struct wrap *w)
{
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
	return 0;
}

static int wrap_run(struct wrap *w, int argc, char **argv)
{
	struct shlink l = { .inputs = STRVEC_INIT, .ldirs = STRVEC_INIT,
			    .libs = STRVEC_INIT, .record = STRVEC_INIT };
	bool shared = false;
	int ret;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--cxx"))
			return refuse_cxx(w, cxx_subject(argc, argv));
		if (is_cxx_source(argv[i]))
			return refuse_cxx(w, argv[i]);
		if (!strcmp(argv[i], "-shared"))
			shared = true;
	}
	if (!shared)
		return pass_through(w, argc, argv);
	ret = parse_shared(w, argc, argv, &l);
	if (!ret)
		ret = link_extension(w, &l);
	shlink_clear(&l);
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
	return ret < 0 ? 1 : ret;
}

const struct command ccwrap_command = {
	.name = "cc-wrap",
	.run = cmd_ccwrap,
	.usage = "usage: stick cc-wrap COMPILER-ARGS...\n\n"
	"Internal: the compiler and linker of extension builds (set by stick\n"
	"as CC, LDSHARED and CXX for a package's build backend).\n",
};
