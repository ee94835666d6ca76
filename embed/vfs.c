/*
 * The application's embedded files as a read-only file tree under the
 * executable's own path: <exe>/pkg/data.txt. No real file can exist
 * there (the executable is a file, so the kernel answers ENOTDIR), so the
 * C library wrappers of embed/vfs_wrap.c answer every call on such a path
 * from the embedded table (embed/stick.h) instead, for Python and C code
 * alike. Nothing is ever written to disk.
 *
 * The tree: every data file ("f:" entries) at its path; every module
 * whose source is embedded at its source path (pkg/mod.py,
 * pkg/__init__.py, the script at its name); a directory for each package,
 * namespace package and ancestor of those. Files are 0444 (0555 when
 * shipped executable), directories 0555, owned like the executable and
 * with its times.
 *
 * A file opened for reading is a sealed memfd holding a copy of its bytes,
 * so read, pread, mmap, fstat, lseek, sendfile all work on it. A
 * directory opened as a descriptor (open, dirfd) is a memfd too, marked by
 * mode 01555 and a content that names it (a magic string, a secret drawn
 * at start-up and its path), which fstat, openat and fdopendir recognise
 * even after dup() or fork().
 */
#define _GNU_SOURCE
#include "vfs.h"
#include "stick.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* The C library's own entry points (stick/link.c links with --wrap). */
int __real_stat(const char *path, struct stat *st);
int __real_statvfs(const char *path, struct statvfs *st);

/* The root: "<exe>/", set once; its length is 0 until then. */
static char stick_vfs_root[STICK_VFS_PATH_MAX];
static atomic_size_t stick_vfs_root_len;
static pthread_mutex_t stick_vfs_root_lock = PTHREAD_MUTEX_INITIALIZER;
static struct stat stick_vfs_exe_stat;
static char stick_vfs_exe_path[STICK_VFS_PATH_MAX];

/* Whether a directory descriptor was ever made (stick_vfs_fd_dir). */
static atomic_int stick_vfs_dirfds;
static unsigned char stick_vfs_secret[16];
static pthread_once_t stick_vfs_secret_once = PTHREAD_ONCE_INIT;
static const char stick_vfs_magic[16] = "stick-vfs-dir\n\n";
#define STICK_VFS_DIR_MODE (S_ISVTX | 0555)

int stick_vfs_set_root(const char *exe)
{
	size_t n = strlen(exe);
	struct stat st;
	int ret = -1;

	if (exe[0] != '/' || n + 2 > sizeof(stick_vfs_root) ||
	    __real_stat(exe, &st) < 0 || !S_ISREG(st.st_mode)) {
		errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&stick_vfs_root_lock);
	if (atomic_load(&stick_vfs_root_len) == 0) {
		memcpy(stick_vfs_root, exe, n);
		stick_vfs_root[n] = '/';
		memcpy(stick_vfs_exe_path, exe, n + 1);
		stick_vfs_exe_stat = st;
		atomic_store(&stick_vfs_root_len, n + 1);
		ret = 0;
	} else if (atomic_load(&stick_vfs_root_len) == n + 1 &&
		   !memcmp(stick_vfs_root, exe, n)) {
		ret = 0;  /* a subinterpreter installs the importer again */
	}
	pthread_mutex_unlock(&stick_vfs_root_lock);
	if (ret)
		errno = EEXIST;
	return ret;
}

const char *stick_vfs_exe(void)
{
	return stick_vfs_exe_path;
}

/* --- the table ------------------------------------------------------------ */

/* strcmp() of a table key with "kind:" followed by len bytes of name. */
static int stick_vfs_keycmp(const char *key, char kind, const char *name,
			    size_t len)
{
	int c = (unsigned char)key[0] - (unsigned char)kind;

	if (!c)
		c = (unsigned char)key[1] - ':';
	if (!c)
		c = strncmp(key + 2, name, len);
	if (!c)
		c = key[2 + len] != '\0';
	return c;
}

/* The index of the first key not below "kind:name" (len bytes). */
static size_t stick_vfs_lower(char kind, const char *name, size_t len)
{
	size_t lo = 0, hi = (size_t)stick_app_count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (stick_vfs_keycmp(stick_app_entries[mid].key, kind, name,
				     len) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct stick_entry *stick_vfs_find(char kind, const char *name,
						 size_t len)
{
	size_t i = stick_vfs_lower(kind, name, len);

	if (i < (size_t)stick_app_count &&
	    !stick_vfs_keycmp(stick_app_entries[i].key, kind, name, len))
		return &stick_app_entries[i];
	return NULL;
}

/* Whether entry i's key is "kind:" followed by prefix (len bytes). */
static int stick_vfs_has_prefix(size_t i, char kind, const char *prefix,
				size_t len)
{
	const char *key;

	if (i >= (size_t)stick_app_count)
		return 0;
	key = stick_app_entries[i].key;
	return key[0] == kind && key[1] == ':' &&
	       !strncmp(key + 2, prefix, len);
}

/* A module the tree does not show: the script's own name, the importer. */
static int stick_vfs_hidden(const char *name)
{
	return !strcmp(name, "__main__") || !strncmp(name, "_stick_", 7);
}

/*
 * The dotted module name of the directory path rel (len bytes) into out:
 * 0, or -1 when a part is empty or holds a dot (no module lives there).
 */
static int stick_vfs_modname(const char *rel, size_t len, char *out)
{
	size_t part = 0;

	if (!len || len >= STICK_VFS_PATH_MAX)
		return -1;
	for (size_t i = 0; i < len; i++) {
		char c = rel[i];

		if (c == '.' || (c == '/' && part == 0))
			return -1;
		part = c == '/' ? 0 : part + 1;
		out[i] = c == '/' ? '.' : c;
	}
	out[len] = '\0';
	return part ? 0 : -1;
}

/* The start-up setting name as a NUL-terminated copy into buf, or NULL. */
static const char *stick_vfs_config(const char *name, char *buf, size_t size)
{
	const struct stick_entry *e = stick_vfs_find('c', name, strlen(name));

	if (!e || (size_t)e->size >= size || e->size == 0)
		return NULL;
	memcpy(buf, e->data, (size_t)e->size);
	buf[e->size] = '\0';
	return buf;
}

/* The embedded source shown at rel (a .py path), or NULL. */
static const struct stick_entry *stick_vfs_source(const char *rel)
{
	char name[STICK_VFS_PATH_MAX];
	size_t len = strlen(rel);
	char kind = 'm';

	if (stick_vfs_config("script", name, sizeof(name)) &&
	    !strcmp(name, rel))
		return stick_vfs_find('m', "__main__", 8) ?
			stick_vfs_find('s', "__main__", 8) : NULL;
	if (len < 4 || strcmp(rel + len - 3, ".py"))
		return NULL;
	len -= 3;
	if (len >= 9 && !memcmp(rel + len - 9, "/__init__", 9)) {
		len -= 9;
		kind = 'p';
	}
	if (stick_vfs_modname(rel, len, name) || stick_vfs_hidden(name) ||
	    !stick_vfs_find(kind, name, len))
		return NULL;
	return stick_vfs_find('s', name, len);
}

/* Whether rel (not "") is a directory of the tree. */
static int stick_vfs_is_dir(const char *rel)
{
	char buf[STICK_VFS_PATH_MAX + 1];
	size_t len = strlen(rel);
	static const char kinds[] = "mpn";

	memcpy(buf, rel, len);
	buf[len] = '/';
	if (stick_vfs_has_prefix(stick_vfs_lower('f', buf, len + 1), 'f', buf,
				 len + 1))
		return 1;
	if (stick_vfs_modname(rel, len, buf))
		return 0;
	if (stick_vfs_find('p', buf, len) || stick_vfs_find('n', buf, len))
		return 1;
	buf[len] = '.';
	for (const char *k = kinds; *k; k++)
		if (stick_vfs_has_prefix(stick_vfs_lower(*k, buf, len + 1), *k,
					 buf, len + 1))
			return 1;
	return 0;
}

/* Whether rel is listed in the "executables" setting. */
static int stick_vfs_executable(const char *rel)
{
	const struct stick_entry *e = stick_vfs_find('c', "executables", 11);
	size_t n = strlen(rel);
	const char *p, *end;

	if (!e)
		return 0;
	p = (const char *)e->data;
	end = p + e->size;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (len == n && !memcmp(p, rel, n))
			return 1;
		p += len + 1;
	}
	return 0;
}

void stick_vfs_node(const char *rel, struct stick_vfs_node *n)
{
	const struct stick_entry *e;

	memset(n, 0, sizeof(*n));
	if (!rel[0]) {
		n->type = STICK_VFS_DIR;
		return;
	}
	e = stick_vfs_find('f', rel, strlen(rel));
	if (!e)
		e = stick_vfs_source(rel);
	if (e) {
		n->type = STICK_VFS_FILE;
		n->data = e->data;
		n->size = (size_t)e->size;
		n->executable = stick_vfs_executable(rel);
	} else if (stick_vfs_is_dir(rel)) {
		n->type = STICK_VFS_DIR;
	}
}

int stick_vfs_parent_exists(const char *rel)
{
	char parent[STICK_VFS_PATH_MAX];
	const char *slash = strrchr(rel, '/');
	struct stick_vfs_node n;

	if (!slash)
		return 1;  /* the root */
	memcpy(parent, rel, (size_t)(slash - rel));
	parent[slash - rel] = '\0';
	stick_vfs_node(parent, &n);
	return n.type == STICK_VFS_DIR;
}

/* --- paths ---------------------------------------------------------------- */

/*
 * in without "", "." and ".." parts into out: 0, 1 when it climbs above
 * the tree's root (not a path of the tree then), -1 when too long.
 */
static int stick_vfs_normalize(const char *in, char *out)
{
	size_t n = 0;

	while (*in) {
		const char *end = strchr(in, '/');
		size_t len = end ? (size_t)(end - in) : strlen(in);

		if (len == 2 && in[0] == '.' && in[1] == '.') {
			if (n == 0)
				return 1;
			while (n > 0 && out[n - 1] != '/')
				n--;
			n -= n > 0;
		} else if (len && !(len == 1 && in[0] == '.')) {
			if (n + len + 2 > STICK_VFS_PATH_MAX)
				return -1;
			if (n)
				out[n++] = '/';
			memcpy(out + n, in, len);
			n += len;
		}
		in += len + (end != NULL);
	}
	out[n] = '\0';
	return 0;
}

int stick_vfs_path(int dirfd, const char *path, char *rel, int *slash)
{
	size_t root = atomic_load(&stick_vfs_root_len);
	char joined[2 * STICK_VFS_PATH_MAX + 2];
	const char *in;
	int r;

	if (!root || !path || !path[0])
		return 0;
	if (path[0] == '/') {
		if (strncmp(path, stick_vfs_root, root))
			return 0;
		in = path + root;
	} else if (dirfd != AT_FDCWD && stick_vfs_fd_dir(dirfd, joined)) {
		size_t n = strlen(joined), len = strlen(path);

		if (n + len + 2 > sizeof(joined)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		joined[n] = '/';
		memcpy(joined + n + 1, path, len + 1);
		in = joined;
	} else {
		return 0;
	}
	r = stick_vfs_normalize(in, rel);
	if (r < 0) {
		errno = ENAMETOOLONG;
		return -1;
	}
	*slash = path[strlen(path) - 1] == '/';
	return r == 0;
}

/* --- stat ------------------------------------------------------------------ */

/* A stable inode number for rel (FNV-1a), far from the real ones. */
static ino_t stick_vfs_ino(const char *rel)
{
	uint64_t h = 14695981039346656037ULL;

	for (const unsigned char *p = (const unsigned char *)rel; *p; p++)
		h = (h ^ *p) * 1099511628211ULL;
	return (ino_t)(h | (1ULL << 62));
}

void stick_vfs_stat(const char *rel, const struct stick_vfs_node *n,
		    struct stat *st)
{
	const struct stat *exe = &stick_vfs_exe_stat;
	int dir = n->type == STICK_VFS_DIR;

	memset(st, 0, sizeof(*st));
	st->st_dev = exe->st_dev;
	st->st_ino = stick_vfs_ino(rel);
	st->st_mode = dir ? S_IFDIR | 0555 :
		S_IFREG | (n->executable ? 0555 : 0444);
	st->st_nlink = dir ? 2 : 1;
	st->st_uid = exe->st_uid;
	st->st_gid = exe->st_gid;
	st->st_size = dir ? 0 : (off_t)n->size;
	st->st_blksize = 4096;
	st->st_blocks = dir ? 0 : (blkcnt_t)((n->size + 511) / 512);
	st->st_atim = exe->st_atim;
	st->st_mtim = exe->st_mtim;
	st->st_ctim = exe->st_ctim;
}

int stick_vfs_statvfs(struct statvfs *st)
{
	if (__real_statvfs(stick_vfs_exe(), st) < 0)
		return -1;
	st->f_flag |= ST_RDONLY;
	return 0;
}

/* --- descriptors ---------------------------------------------------------- */

static void stick_vfs_init_secret(void)
{
	if (getrandom(stick_vfs_secret, sizeof(stick_vfs_secret),
		      GRND_NONBLOCK) == (ssize_t)sizeof(stick_vfs_secret))
		return;
	/* No getrandom (an old kernel): what start-up has that varies. */
	struct timespec ts;
	uint64_t mix[2];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	mix[0] = (uint64_t)ts.tv_nsec ^ ((uint64_t)getpid() << 32);
	mix[1] = (uint64_t)(uintptr_t)&ts ^ (uint64_t)ts.tv_sec;
	memcpy(stick_vfs_secret, mix, sizeof(stick_vfs_secret));
}

static int stick_vfs_write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A sealed memfd holding the n bytes at p, with mode and the exe's times. */
static int stick_vfs_memfd(const unsigned char *p, size_t n, mode_t mode,
			   int cloexec)
{
	struct timespec times[2] = { stick_vfs_exe_stat.st_atim,
				     stick_vfs_exe_stat.st_mtim };
	int fd = memfd_create("stick-embedded",
			      MFD_ALLOW_SEALING | (cloexec ? MFD_CLOEXEC : 0));
	int e;

	if (fd < 0)
		return -1;
	if (stick_vfs_write_all(fd, p, n) == 0 && fchmod(fd, mode) == 0 &&
	    futimens(fd, times) == 0 && lseek(fd, 0, SEEK_SET) == 0 &&
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW |
		  F_SEAL_WRITE | F_SEAL_SEAL) == 0)
		return fd;
	e = errno;
	close(fd);
	errno = e;
	return -1;
}

int stick_vfs_open_fd(const char *rel, const struct stick_vfs_node *n,
		      int cloexec)
{
	unsigned char buf[sizeof(stick_vfs_magic) + sizeof(stick_vfs_secret) +
			  STICK_VFS_PATH_MAX];
	size_t len = strlen(rel);

	if (n->type == STICK_VFS_FILE)
		return stick_vfs_memfd(n->data, n->size,
				       n->executable ? 0555 : 0444, cloexec);
	pthread_once(&stick_vfs_secret_once, stick_vfs_init_secret);
	memcpy(buf, stick_vfs_magic, sizeof(stick_vfs_magic));
	memcpy(buf + sizeof(stick_vfs_magic), stick_vfs_secret,
	       sizeof(stick_vfs_secret));
	memcpy(buf + sizeof(stick_vfs_magic) + sizeof(stick_vfs_secret), rel,
	       len);
	atomic_store(&stick_vfs_dirfds, 1);
	return stick_vfs_memfd(buf, sizeof(stick_vfs_magic) +
			       sizeof(stick_vfs_secret) + len,
			       STICK_VFS_DIR_MODE, cloexec);
}

/* Whether st (of fd) is a directory's memfd: 1 with rel filled. */
static int stick_vfs_st_dir(int fd, const struct stat *st, char *rel)
{
	unsigned char buf[sizeof(stick_vfs_magic) + sizeof(stick_vfs_secret) +
			  STICK_VFS_PATH_MAX];
	size_t head = sizeof(stick_vfs_magic) + sizeof(stick_vfs_secret);
	ssize_t n;

	if (!S_ISREG(st->st_mode) ||
	    (st->st_mode & 07777) != STICK_VFS_DIR_MODE ||
	    st->st_size < (off_t)head || st->st_size >= (off_t)sizeof(buf))
		return 0;
	n = pread(fd, buf, sizeof(buf), 0);
	if (n != st->st_size ||
	    memcmp(buf, stick_vfs_magic, sizeof(stick_vfs_magic)) ||
	    memcmp(buf + sizeof(stick_vfs_magic), stick_vfs_secret,
		   sizeof(stick_vfs_secret)))
		return 0;
	memcpy(rel, buf + head, (size_t)n - head);
	rel[(size_t)n - head] = '\0';
	return 1;
}

int stick_vfs_fd_dir(int fd, char *rel)
{
	struct stat st;
	int e = errno, ret;

	if (!atomic_load(&stick_vfs_dirfds) || fd < 0)
		return 0;
	/*
	 * The system call itself: musl's fstat() calls fstatat(), whose
	 * wrapper already shows a directory's descriptor as a directory.
	 */
	ret = syscall(SYS_fstat, fd, &st) == 0 &&
	      stick_vfs_st_dir(fd, &st, rel);
	errno = e;
	return ret;
}

void stick_vfs_fix_fstat(int fd, struct stat *st)
{
	char rel[STICK_VFS_PATH_MAX];
	struct stick_vfs_node n;
	int e = errno, dir;

	if (!atomic_load(&stick_vfs_dirfds))
		return;
	dir = stick_vfs_st_dir(fd, st, rel);
	errno = e;
	if (!dir)
		return;
	n.type = STICK_VFS_DIR;
	n.size = 0;
	n.executable = 0;
	stick_vfs_stat(rel, &n, st);
}

/* --- directory streams ---------------------------------------------------- */

struct stick_vfs_item {
	char *name;
	unsigned char type;  /* DT_DIR or DT_REG */
};

/* What opendir() gives for a directory of the tree, as a DIR *. */
struct stick_vfs_stream {
	struct stick_vfs_stream *next;
	int fd;  /* -1 until dirfd() asks for one, or fdopendir()'s */
	size_t pos, count, cap;
	struct stick_vfs_item *items;
	struct dirent ent;
	char rel[STICK_VFS_PATH_MAX];
};

/* The open streams, so that readdir() and the rest know theirs. */
static pthread_mutex_t stick_vfs_streams_lock = PTHREAD_MUTEX_INITIALIZER;
static struct stick_vfs_stream *stick_vfs_streams;
static atomic_int stick_vfs_nstreams;

/* Adds name (len bytes) + suffix; 0, or -1 when out of memory. */
static int stick_vfs_add(struct stick_vfs_stream *s, const char *name,
			 size_t len, const char *suffix, unsigned char type)
{
	size_t slen = strlen(suffix);
	char *copy;

	if (len + slen >= sizeof(s->ent.d_name))
		return 0;  /* no such name on Linux */
	if (s->count == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 16;
		struct stick_vfs_item *items = realloc(s->items,
						       cap * sizeof(*items));

		if (!items)
			return -1;
		s->items = items;
		s->cap = cap;
	}
	copy = malloc(len + slen + 1);
	if (!copy)
		return -1;
	memcpy(copy, name, len);
	memcpy(copy + len, suffix, slen + 1);
	s->items[s->count].name = copy;
	s->items[s->count++].type = type;
	return 0;
}

/* The data files and directories of them right under s->rel. */
static int stick_vfs_list_files(struct stick_vfs_stream *s)
{
	char prefix[STICK_VFS_PATH_MAX + 1];
	size_t plen = strlen(s->rel);

	memcpy(prefix, s->rel, plen);
	if (plen)
		prefix[plen++] = '/';
	for (size_t i = stick_vfs_lower('f', prefix, plen);
	     stick_vfs_has_prefix(i, 'f', prefix, plen); i++) {
		const char *name = stick_app_entries[i].key + 2 + plen;
		const char *sl = strchr(name, '/');

		if (stick_vfs_add(s, name, sl ? (size_t)(sl - name) :
				  strlen(name), "", sl ? DT_DIR : DT_REG))
			return -1;
	}
	return 0;
}

/* One module entry right under the prefix: a .py file or a directory. */
static int stick_vfs_list_module(struct stick_vfs_stream *s, char kind,
				 const char *name, size_t plen)
{
	const char *rest = name + plen, *dot = strchr(rest, '.');

	if (stick_vfs_hidden(name))
		return 0;
	if (dot)
		return stick_vfs_add(s, rest, (size_t)(dot - rest), "", DT_DIR);
	if (kind != 'm')
		return stick_vfs_add(s, rest, strlen(rest), "", DT_DIR);
	if (!stick_vfs_find('s', name, strlen(name)))
		return 0;
	return stick_vfs_add(s, rest, strlen(rest), ".py", DT_REG);
}

/* The modules, packages and sources right under s->rel. */
static int stick_vfs_list_modules(struct stick_vfs_stream *s)
{
	char prefix[STICK_VFS_PATH_MAX + 1];
	size_t plen = strlen(s->rel);
	static const char kinds[] = "mpn";

	if (plen && stick_vfs_modname(s->rel, plen, prefix))
		return 0;
	if (plen && stick_vfs_find('p', prefix, plen) &&
	    stick_vfs_find('s', prefix, plen) &&
	    stick_vfs_add(s, "__init__.py", 11, "", DT_REG))
		return -1;
	if (plen)
		prefix[plen++] = '.';
	for (const char *k = kinds; *k; k++) {
		for (size_t i = stick_vfs_lower(*k, prefix, plen);
		     stick_vfs_has_prefix(i, *k, prefix, plen); i++)
			if (stick_vfs_list_module(s, *k,
				stick_app_entries[i].key + 2, plen))
				return -1;
	}
	return 0;
}

static int stick_vfs_item_cmp(const void *a, const void *b)
{
	const struct stick_vfs_item *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (int)x->type - (int)y->type;
}

/* s->items: ".", "..", then every name once, sorted. */
static int stick_vfs_list(struct stick_vfs_stream *s)
{
	char script[STICK_VFS_PATH_MAX];
	size_t n = 2;

	if (stick_vfs_add(s, ".", 1, "", DT_DIR) ||
	    stick_vfs_add(s, "..", 2, "", DT_DIR) ||
	    stick_vfs_list_files(s) || stick_vfs_list_modules(s))
		return -1;
	if (!s->rel[0] && stick_vfs_config("script", script, sizeof(script)) &&
	    stick_vfs_source(script) &&
	    stick_vfs_add(s, script, strlen(script), "", DT_REG))
		return -1;
	qsort(s->items + 2, s->count - 2, sizeof(*s->items),
	      stick_vfs_item_cmp);
	/* Duplicates are adjacent, a directory first (DT_DIR < DT_REG). */
	for (size_t i = 2; i < s->count; i++) {
		if (n > 2 && !strcmp(s->items[n - 1].name, s->items[i].name)) {
			free(s->items[i].name);
			continue;
		}
		s->items[n++] = s->items[i];
	}
	s->count = n;
	return 0;
}

static void stick_vfs_free_stream(struct stick_vfs_stream *s)
{
	for (size_t i = 0; i < s->count; i++)
		free(s->items[i].name);
	free(s->items);
	free(s);
}

DIR *stick_vfs_opendir(const char *rel, int fd)
{
	struct stick_vfs_stream *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->fd = fd;
	memcpy(s->rel, rel, strlen(rel) + 1);
	if (stick_vfs_list(s)) {
		stick_vfs_free_stream(s);
		errno = ENOMEM;
		return NULL;
	}
	pthread_mutex_lock(&stick_vfs_streams_lock);
	s->next = stick_vfs_streams;
	stick_vfs_streams = s;
	atomic_fetch_add(&stick_vfs_nstreams, 1);
	pthread_mutex_unlock(&stick_vfs_streams_lock);
	return (DIR *)s;
}

int stick_vfs_is_dir_stream(DIR *dir)
{
	int found = 0;

	if (!dir || !atomic_load(&stick_vfs_nstreams))
		return 0;
	pthread_mutex_lock(&stick_vfs_streams_lock);
	for (struct stick_vfs_stream *s = stick_vfs_streams; s && !found;
	     s = s->next)
		found = (DIR *)s == dir;
	pthread_mutex_unlock(&stick_vfs_streams_lock);
	return found;
}

/* The inode of the item at i of s: the directory's, its parent's, a child's. */
static ino_t stick_vfs_item_ino(const struct stick_vfs_stream *s, size_t i)
{
	char path[2 * STICK_VFS_PATH_MAX];
	const char *name = s->items[i].name;
	char *sl;

	if (i == 0)
		return stick_vfs_ino(s->rel);
	if (i == 1) {
		memcpy(path, s->rel, strlen(s->rel) + 1);
		sl = strrchr(path, '/');
		if (sl)
			*sl = '\0';
		else
			path[0] = '\0';
		return stick_vfs_ino(path);
	}
	snprintf(path, sizeof(path), "%s%s%s", s->rel, s->rel[0] ? "/" : "",
		 name);
	return stick_vfs_ino(path);
}

struct dirent *stick_vfs_readdir(DIR *dir)
{
	struct stick_vfs_stream *s = (struct stick_vfs_stream *)dir;
	struct stick_vfs_item *item;

	if (s->pos >= s->count)
		return NULL;
	item = &s->items[s->pos];
	memset(&s->ent, 0, sizeof(s->ent));
	s->ent.d_ino = stick_vfs_item_ino(s, s->pos);
	s->ent.d_off = (off_t)++s->pos;
	s->ent.d_reclen = sizeof(s->ent);
	s->ent.d_type = item->type;
	memcpy(s->ent.d_name, item->name, strlen(item->name) + 1);
	return &s->ent;
}

int stick_vfs_closedir(DIR *dir)
{
	struct stick_vfs_stream *s = (struct stick_vfs_stream *)dir, **p;
	int ret = 0;

	pthread_mutex_lock(&stick_vfs_streams_lock);
	for (p = &stick_vfs_streams; *p; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			atomic_fetch_sub(&stick_vfs_nstreams, 1);
			break;
		}
	}
	pthread_mutex_unlock(&stick_vfs_streams_lock);
	if (s->fd >= 0)
		ret = close(s->fd);
	stick_vfs_free_stream(s);
	return ret;
}

void stick_vfs_rewinddir(DIR *dir)
{
	((struct stick_vfs_stream *)dir)->pos = 0;
}

void stick_vfs_seekdir(DIR *dir, long pos)
{
	struct stick_vfs_stream *s = (struct stick_vfs_stream *)dir;

	s->pos = pos < 0 ? 0 : (size_t)pos;
}

long stick_vfs_telldir(DIR *dir)
{
	return (long)((struct stick_vfs_stream *)dir)->pos;
}

int stick_vfs_dirfd(DIR *dir)
{
	struct stick_vfs_stream *s = (struct stick_vfs_stream *)dir;
	struct stick_vfs_node n = { STICK_VFS_DIR, NULL, 0, 0 };

	if (s->fd < 0)
		s->fd = stick_vfs_open_fd(s->rel, &n, 1);
	return s->fd;
}
