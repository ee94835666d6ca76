#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "banned.h"

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die("out of memory allocating %zu bytes", n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die("out of memory allocating %zu x %zu bytes", n, size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die("out of memory allocating %zu bytes", n);
	return p;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xvasprintf(const char *fmt, va_list ap)
{
	va_list copy;
	char *buf;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		die("bad format string '%s'", fmt);
	buf = xmalloc((size_t)n + 1);
	vsnprintf(buf, (size_t)n + 1, fmt, ap);
	return buf;
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	return s;
}

static void strbuf_grow(struct strbuf *sb, size_t extra)
{
	if (sb->len + extra + 1 <= sb->cap)
		return;
	sb->cap = (sb->len + extra + 1) * 2;
	sb->buf = xrealloc(sb->buf, sb->cap);
}

void strbuf_add(struct strbuf *sb, const void *data, size_t n)
{
	strbuf_grow(sb, n);
	memcpy(sb->buf + sb->len, data, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
}

void strbuf_addstr(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	strbuf_addstr(sb, s);
	free(s);
}

char *strbuf_detach(struct strbuf *sb)
{
	char *s = sb->buf ? sb->buf : xstrdup("");

	sb->buf = NULL;
	sb->len = sb->cap = 0;
	return s;
}

void strbuf_release(struct strbuf *sb)
{
	free(sb->buf);
	sb->buf = NULL;
	sb->len = sb->cap = 0;
}

void strvec_push(struct strvec *sv, const char *s)
{
	if (sv->n + 2 > sv->cap) {
		sv->cap = sv->cap ? sv->cap * 2 : 8;
		sv->v = xrealloc(sv->v, sv->cap * sizeof(*sv->v));
	}
	sv->v[sv->n++] = xstrdup(s);
	sv->v[sv->n] = NULL;
}

void strvec_pushf(struct strvec *sv, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	strvec_push(sv, s);
	free(s);
}

void strvec_clear(struct strvec *sv)
{
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

char *path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	if (n && dir[n - 1] == '/')
		return xasprintf("%s%s", dir, name);
	return xasprintf("%s/%s", dir, name);
}

char *path_dirname(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

const char *path_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

bool path_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

bool path_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

char *path_find_program(const char *name)
{
	return path_search(getenv("PATH"), name);
}

char *path_search(const char *search, const char *name)
{
	const char *p = search;

	while (p && *p) {
		size_t n = strcspn(p, ":");
		char *path = xasprintf("%.*s/%s", (int)n, n ? p : ".", name);

		if (access(path, X_OK) == 0)
			return path;
		free(path);
		p += n + (p[n] == ':');
	}
	return NULL;
}

int mkdir_p(const char *path, mode_t mode)
{
	char *copy = xstrdup(path);
	int ret = 0;

	for (char *p = copy + 1; ; p++) {
		char c = *p;

		if (c != '/' && c != '\0')
			continue;
		*p = '\0';
		if (mkdir(copy, mode) && errno != EEXIST) {
			ret = error("cannot create directory '%s':", copy);
			break;
		}
		*p = c;
		if (!c)
			break;
	}
	if (!ret && !path_is_dir(path))
		ret = error("'%s' exists and is not a directory", path);
	free(copy);
	return ret;
}

static int remove_dir_entries(int dirfd, const char *path);

static int remove_at(int dirfd, const char *name, const char *path)
{
	struct stat st;
	int fd, ret;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return errno == ENOENT ? 0 : error("cannot stat '%s':", path);
	if (!S_ISDIR(st.st_mode)) {
		if (unlinkat(dirfd, name, 0) && errno != ENOENT)
			return error("cannot remove '%s':", path);
		return 0;
	}
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
	if (fd < 0)
		return error("cannot open directory '%s':", path);
	/* A directory we cannot list may still be writable by its owner. */
	fchmod(fd, st.st_mode | S_IRWXU);
	ret = remove_dir_entries(fd, path);
	if (!ret && unlinkat(dirfd, name, AT_REMOVEDIR) && errno != ENOENT)
		ret = error("cannot remove directory '%s':", path);
	return ret;
}

static int remove_dir_entries(int dirfd, const char *path)
{
	DIR *d = fdopendir(dirfd);
	struct dirent *de;
	int ret = 0;

	if (!d) {
		close(dirfd);
		return error("cannot read directory '%s':", path);
	}
	while (!ret && (de = readdir(d))) {
		char *child;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		child = path_join(path, de->d_name);
		ret = remove_at(dirfd, de->d_name, child);
		free(child);
	}
	closedir(d);
	return ret;
}

int remove_tree(const char *path)
{
	return remove_at(AT_FDCWD, path, path);
}

char *read_file(const char *path, size_t *len)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return NULL;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			int saved = errno;
			close(fd);
			strbuf_release(&sb);
			errno = saved;
			return NULL;
		}
		strbuf_add(&sb, buf, (size_t)n);
	}
	close(fd);
	if (len)
		*len = sb.len;
	return strbuf_detach(&sb);
}

static int write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int write_file_atomic(const char *path, const void *data, size_t len)
{
	struct tempfile t;
	int fd, ret = 0;

	tempfile_init(&t, path);
	fd = open(t.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		ret = error("cannot create '%s':", t.path);
	} else if (write_all(fd, data, len) || fsync(fd)) {
		ret = error("cannot write '%s':", t.path);
		close(fd);
	} else if (close(fd)) {
		ret = error("cannot write '%s':", t.path);
	}
	if (!ret)
		ret = tempfile_commit(&t);
	tempfile_release(&t);
	return ret;
}

void tempfile_init(struct tempfile *t, const char *final)
{
	char *dir = path_dirname(final);

	t->final = xstrdup(final);
	t->path = xasprintf("%s/.%s.tmp.%ld", dir, path_basename(final),
			    (long)getpid());
	free(dir);
	remove_tree(t->path);
}

int tempfile_commit(struct tempfile *t)
{
	if (path_is_dir(t->path) && path_is_dir(t->final) &&
	    remove_tree(t->final))
		return -1;
	if (rename(t->path, t->final))
		return error("cannot rename '%s' to '%s':", t->path, t->final);
	return 0;
}

void tempfile_release(struct tempfile *t)
{
	struct stat st;

	if (t->path && !lstat(t->path, &st))
		remove_tree(t->path);
	free(t->path);
	free(t->final);
	t->path = t->final = NULL;
}

static int copy_fd(int in, int out)
{
	char buf[1 << 16];
	ssize_t n;

	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || write_all(out, buf, (size_t)n))
			return -1;
	}
	return 0;
}

int copy_file(const char *from, const char *to)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	int out, ret = 0;

	if (in < 0)
		return error("cannot open '%s':", from);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0) {
		ret = error("cannot create '%s':", to);
		close(in);
		return ret;
	}
	if (copy_fd(in, out) || fsync(out))
		ret = error("cannot copy '%s' to '%s':", from, to);
	close(in);
	if (close(out) && !ret)
		ret = error("cannot write '%s':", to);
	return ret;
}

static int copy_entry(const char *from, const char *to)
{
	struct stat st;

	if (lstat(from, &st))
		return error("cannot stat '%s':", from);
	if (S_ISDIR(st.st_mode))
		return copy_tree(from, to);
	return S_ISREG(st.st_mode) ? copy_file(from, to) : 0;
}

int copy_tree(const char *from, const char *to)
{
	DIR *d = opendir(from);
	struct dirent *de;
	int ret = 0;

	if (!d)
		return error("cannot read directory '%s':", from);
	ret = mkdir_p(to, 0755);
	while (!ret && (de = readdir(d))) {
		char *src, *dest;

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		src = path_join(from, de->d_name);
		dest = path_join(to, de->d_name);
		ret = copy_entry(src, dest);
		free(src);
		free(dest);
	}
	closedir(d);
	return ret;
}

static int lock_open(const char *path)
{
	char *dir = path_dirname(path);
	int fd = -1;

	if (!mkdir_p(dir, 0755))
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		error("cannot open lock file '%s':", path);
	free(dir);
	return fd;
}

int lock_take(const char *path, const char *what)
{
	int fd = lock_open(path);
	int ret;

	if (fd < 0)
		return -1;
	ret = flock(fd, LOCK_EX | LOCK_NB);
	if (ret && errno == EWOULDBLOCK) {
		log_info("waiting for another stick %s", what);
		while ((ret = flock(fd, LOCK_EX)) && errno == EINTR)
			;
	}
	if (ret) {
		error("cannot lock '%s':", path);
		close(fd);
		return -1;
	}
	return fd;
}

/* The lock's descriptor when nobody held it, else -1. */
static int lock_try(const char *path)
{
	int fd = lock_open(path);

	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* DIR/.locks/NAME.lock for the entry DIR/NAME. */
static char *cachedir_lock_path(const char *final)
{
	char *dir = path_dirname(final);
	char *lock = xasprintf("%s/.locks/%s.lock", dir, path_basename(final));

	free(dir);
	return lock;
}

static void remove_left_over(const char *path)
{
	log_verbose("removing '%s', left by an interrupted stick", path);
	remove_tree(path);
}

/*
 * Removes the entries of dir named name, or (with prefix) whose names
 * start with it.
 */
static void remove_temporaries(const char *dir, const char *name, bool prefix)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		char *path;

		if (prefix ? !starts_with(de->d_name, name) :
		    strcmp(de->d_name, name) != 0)
			continue;
		path = path_join(dir, de->d_name);
		remove_left_over(path);
		free(path);
	}
	if (d)
		closedir(d);
}

/* True when final lacks cd's mark file. */
static bool cachedir_damaged(const struct cachedir *cd)
{
	char *mark;
	bool damaged;

	if (!cd->mark)
		return false;
	mark = path_join(cd->final, cd->mark);
	damaged = !path_exists(mark);
	free(mark);
	return damaged;
}

enum cachedir_state cachedir_begin(struct cachedir *cd, const char *final,
				   const char *what)
{
	char *dir = path_dirname(final);
	const char *suffix = cd->tmp_suffix;
	enum cachedir_state state = CACHEDIR_ERROR;
	char *name;

	cd->final = xstrdup(final);
	cd->lock = cachedir_lock_path(final);
	if (suffix) {
		cd->tmp = xasprintf("%s%s", final, suffix);
		name = xstrdup(path_basename(cd->tmp));
	} else {
		cd->tmp = xasprintf("%s.tmp.%ld", final, (long)getpid());
		name = xasprintf("%s.tmp.", path_basename(final));
	}
	cd->lock_fd = lock_take(cd->lock, what);
	if (cd->lock_fd >= 0) {
		/* Holding the lock, no temporary of the entry is in use. */
		remove_temporaries(dir, name, !suffix);
		if (path_exists(final) && !cachedir_damaged(cd))
			state = CACHEDIR_READY;
		else if (!remove_tree(final) && !mkdir_p(cd->tmp, 0755))
			state = CACHEDIR_MAKE;
	}
	free(name);
	free(dir);
	return state;
}

/*
 * Makes a rename in dir last through a crash. The entry is in place
 * whatever happens here, so a failure is only a warning.
 */
static void sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || fsync(fd))
		warn("cannot sync directory '%s':", dir);
	if (fd >= 0)
		close(fd);
}

int cachedir_commit(struct cachedir *cd, const char *built)
{
	const char *from = built ? built : cd->tmp;
	char *dir;

	if (rename(from, cd->final) &&
	    !((errno == EEXIST || errno == ENOTEMPTY) && path_exists(cd->final)))
		return error("cannot rename '%s' to '%s':", from, cd->final);
	dir = path_dirname(cd->final);
	sync_dir(dir);
	free(dir);
	if (path_exists(cd->tmp))
		remove_tree(cd->tmp);
	return 0;
}

void cachedir_abort(struct cachedir *cd, enum cachedir_abort_mode mode)
{
	if (mode == CACHEDIR_REMOVE && cd->tmp && path_exists(cd->tmp))
		remove_tree(cd->tmp);
}

void cachedir_release(struct cachedir *cd)
{
	if (cd->lock_fd >= 0)
		close(cd->lock_fd);
	free(cd->final);
	free(cd->tmp);
	free(cd->lock);
	cd->final = cd->tmp = cd->lock = NULL;
	cd->lock_fd = -1;
}

enum cachedir_state cachedir_ensure(struct cachedir *cd, const char *final,
				    const char *what, cachedir_make_fn make,
				    void *arg,
				    enum cachedir_abort_mode on_failure)
{
	enum cachedir_state state = cachedir_begin(cd, final, what);

	if (state == CACHEDIR_MAKE && make(cd, arg)) {
		cachedir_abort(cd, on_failure);
		state = CACHEDIR_ERROR;
	}
	cachedir_release(cd);
	return state;
}

void cachedir_remove_stale(const char *dir, const char *suffix)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		size_t n = strlen(de->d_name);
		char *name, *final, *lock;
		int fd;

		if (de->d_name[0] == '.' || !ends_with(de->d_name, suffix))
			continue;
		name = xstrndup(de->d_name, n - strlen(suffix));
		final = path_join(dir, name);
		lock = cachedir_lock_path(final);
		fd = lock_try(lock);
		if (fd >= 0) {
			char *path = path_join(dir, de->d_name);

			remove_left_over(path);
			free(path);
			close(fd);
		}
		free(lock);
		free(final);
		free(name);
	}
	if (d)
		closedir(d);
}

double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *format_duration(double s, char *buf)
{
	if (s < 10)
		snprintf(buf, 32, "%.1fs", s);
	else if (s < 60)
		snprintf(buf, 32, "%.0fs", s);
	else
		snprintf(buf, 32, "%dm%02ds", (int)s / 60, (int)s % 60);
	return buf;
}

const char *format_size(double bytes, char *buf)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB" };
	size_t i = 0;

	while (bytes >= 1024 && i + 1 < ARRAY_SIZE(units)) {
		bytes /= 1024;
		i++;
	}
	if (i == 0)
		snprintf(buf, 32, "%.0f B", bytes);
	else
		snprintf(buf, 32, "%.1f %s", bytes, units[i]);
	return buf;
}
