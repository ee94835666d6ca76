/* The cached-directory API: begin, commit, abort, and what killed sticks leave. */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "util.h"

static char *root;

static char *at(const char *name)
{
	return path_join(root, name);
}

static void touch(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
}

static void a_new_entry_is_made_in_tmp_and_renamed(void)
{
	struct cachedir cd = CACHEDIR_INIT;
	char *final = at("made");
	char *file;

	CHECK(cachedir_begin(&cd, final, "testing") == CACHEDIR_MAKE);
	CHECK(path_is_dir(cd.tmp));
	CHECK(!path_exists(final));
	CHECK(path_exists(cd.lock));
	CHECK(ends_with(cd.lock, "/.locks/made.lock"));
	file = path_join(cd.tmp, "data");
	touch(file);
	free(file);
	CHECK(cachedir_commit(&cd, NULL) == 0);
	CHECK(!path_exists(cd.tmp));
	file = path_join(final, "data");
	CHECK(path_exists(file));
	free(file);
	cachedir_release(&cd);
	CHECK(cd.lock_fd == -1 && !cd.tmp);

	CHECK(cachedir_begin(&cd, final, "testing") == CACHEDIR_READY);
	CHECK(!path_exists(cd.tmp));
	cachedir_release(&cd);
	free(final);
}

/* A cachedir_make_fn that counts its calls and fails when told to. */
struct maker {
	int calls;
	bool fail;
	char *tmp_seen;
};

static int make_one(struct cachedir *cd, void *arg)
{
	struct maker *m = arg;
	char *file = path_join(cd->tmp, "data");

	m->calls++;
	free(m->tmp_seen);
	m->tmp_seen = xstrdup(cd->tmp);
	touch(file);
	free(file);
	return m->fail ? -1 : cachedir_commit(cd, NULL);
}

static void ensure_makes_once_then_finds_it(void)
{
	struct cachedir cd = CACHEDIR_INIT;
	struct maker m = { .calls = 0, .fail = false, .tmp_seen = NULL };
	char *final = at("ensured");
	char *file = path_join(final, "data");

	CHECK(cachedir_ensure(&cd, final, "testing", make_one, &m,
			      CACHEDIR_REMOVE) == CACHEDIR_MAKE);
	CHECK(m.calls == 1 && path_exists(file));
	CHECK(cd.lock_fd == -1 && !cd.tmp);
	CHECK(cachedir_ensure(&cd, final, "testing", make_one, &m,
			      CACHEDIR_REMOVE) == CACHEDIR_READY);
	CHECK(m.calls == 1);
	free(m.tmp_seen);
	free(file);
	free(final);
}

static void ensure_aborts_a_failed_make_as_told(void)
{
	struct cachedir cd = CACHEDIR_INIT;
	struct maker m = { .calls = 0, .fail = true, .tmp_seen = NULL };
	char *final = at("failing");

	CHECK(cachedir_ensure(&cd, final, "testing", make_one, &m,
			      CACHEDIR_REMOVE) == CACHEDIR_ERROR);
	CHECK(!path_exists(final) && !path_exists(m.tmp_seen));
	CHECK(cachedir_ensure(&cd, final, "testing", make_one, &m,
			      CACHEDIR_KEEP_LOG) == CACHEDIR_ERROR);
	CHECK(!path_exists(final) && path_is_dir(m.tmp_seen));
	/* The next try clears what the failure kept, then makes it. */
	m.fail = false;
	CHECK(cachedir_ensure(&cd, final, "testing", make_one, &m,
			      CACHEDIR_KEEP_LOG) == CACHEDIR_MAKE);
	CHECK(path_is_dir(final) && m.calls == 3);
	free(m.tmp_seen);
	free(final);
}

static void a_directory_inside_tmp_can_be_the_entry(void)
{
	struct cachedir cd = CACHEDIR_INIT;
	char *final = at("inner");
	char *built, *work;

	CHECK(cachedir_begin(&cd, final, "testing") == CACHEDIR_MAKE);
	built = path_join(cd.tmp, "prefix");
	work = path_join(cd.tmp, "work");
	CHECK(mkdir_p(built, 0755) == 0 && mkdir_p(work, 0755) == 0);
	CHECK(cachedir_commit(&cd, built) == 0);
	CHECK(path_is_dir(final));
	CHECK(!path_exists(cd.tmp));
	cachedir_release(&cd);
	free(built);
	free(work);
	free(final);
}

static void abort_removes_tmp_or_keeps_it_for_the_log(void)
{
	struct cachedir cd = CACHEDIR_INIT;
	char *final = at("failed");
	char *kept;

	CHECK(cachedir_begin(&cd, final, "testing") == CACHEDIR_MAKE);
	cachedir_abort(&cd, CACHEDIR_REMOVE);
	CHECK(!path_exists(cd.tmp));
	cachedir_release(&cd);

	CHECK(cachedir_begin(&cd, final, "testing") == CACHEDIR_MAKE);
	cachedir_abort(&cd, CACHEDIR_KEEP_LOG);
	kept = xstrdup(cd.tmp);
	CHECK(path_is_dir(kept));
	cachedir_release(&cd);
	CHECK(path_is_dir(kept));
	CHECK(!path_exists(final));
	free(kept);
	free(final);
}

static void the_next_begin_removes_what_a_killed_stick_left(void)
{
	struct cachedir cd = CACHEDIR_INIT;
	char *final = at("killed");
	char *stale = at("killed.tmp.99999");
	char *file = path_join(stale, "half-written.o");
	char *other = at("killed-other.tmp.99999");

	CHECK(mkdir_p(stale, 0755) == 0 && mkdir_p(other, 0755) == 0);
	touch(file);
	CHECK(cachedir_begin(&cd, final, "testing") == CACHEDIR_MAKE);
	CHECK(!path_exists(stale));
	CHECK(path_is_dir(other));
	CHECK(!path_exists(final));
	cachedir_abort(&cd, CACHEDIR_REMOVE);
	cachedir_release(&cd);
	free(final);
	free(stale);
	free(file);
	free(other);
}

static void a_tmp_suffix_names_the_temporary(void)
{
	struct cachedir cd = CACHEDIR_INIT;
	char *final = at("key");
	char *stale = at("key.build");
	char *file = path_join(stale, "half-written.o");

	CHECK(mkdir_p(stale, 0755) == 0);
	touch(file);
	cd.tmp_suffix = ".build";
	CHECK(cachedir_begin(&cd, final, "testing") == CACHEDIR_MAKE);
	CHECK_STR(cd.tmp, stale);
	CHECK(path_is_dir(cd.tmp) && !path_exists(file));
	CHECK(cachedir_commit(&cd, NULL) == 0);
	CHECK(path_is_dir(final) && !path_exists(stale));
	cachedir_release(&cd);
	free(final);
	free(stale);
	free(file);
}

static void a_final_without_its_mark_is_made_again(void)
{
	struct cachedir cd = CACHEDIR_INIT;
	char *final = at("marked");
	char *stray = path_join(final, "stray");
	char *mark = path_join(final, "manifest.json");

	CHECK(mkdir_p(final, 0755) == 0);
	touch(stray);
	cd.mark = "manifest.json";
	CHECK(cachedir_begin(&cd, final, "testing") == CACHEDIR_MAKE);
	CHECK(!path_exists(final));
	CHECK(cachedir_commit(&cd, NULL) == 0);
	cachedir_release(&cd);
	touch(mark);
	cd.mark = "manifest.json";
	CHECK(cachedir_begin(&cd, final, "testing") == CACHEDIR_READY);
	CHECK(path_exists(mark));
	cachedir_release(&cd);
	free(final);
	free(stray);
	free(mark);
}

/* A child holds the lock of root/busy until it is killed. */
static pid_t hold_lock(const char *final)
{
	int p[2];
	pid_t pid;
	char c;

	CHECK(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		struct cachedir cd = CACHEDIR_INIT;

		cachedir_begin(&cd, final, "testing");
		if (write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	CHECK(read(p[0], &c, 1) == 1);
	close(p[0]);
	return pid;
}

static void remove_stale_spares_temporaries_whose_lock_is_held(void)
{
	char *busy = at("busy"), *busy_tmp = at("busy.build");
	char *dead_tmp = at("dead.build");
	pid_t pid;

	CHECK(mkdir_p(busy_tmp, 0755) == 0 && mkdir_p(dead_tmp, 0755) == 0);
	pid = hold_lock(busy);
	cachedir_remove_stale(root, ".build");
	CHECK(path_is_dir(busy_tmp));
	CHECK(!path_exists(dead_tmp));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	cachedir_remove_stale(root, ".build");
	CHECK(!path_exists(busy_tmp));
	free(busy);
	free(busy_tmp);
	free(dead_tmp);
}

int main(void)
{
	char tmpl[] = "/tmp/stick-test-cachedir.XXXXXX";
	int ret;

	root = mkdtemp(tmpl);
	if (!root)
		die("cannot create a temporary directory:");
	TEST(a_new_entry_is_made_in_tmp_and_renamed);
	TEST(ensure_makes_once_then_finds_it);
	TEST(ensure_aborts_a_failed_make_as_told);
	TEST(a_directory_inside_tmp_can_be_the_entry);
	TEST(abort_removes_tmp_or_keeps_it_for_the_log);
	TEST(the_next_begin_removes_what_a_killed_stick_left);
	TEST(a_tmp_suffix_names_the_temporary);
	TEST(a_final_without_its_mark_is_made_again);
	TEST(remove_stale_spares_temporaries_whose_lock_is_held);
	ret = CHECK_DONE();
	remove_tree(root);
	return ret;
}
