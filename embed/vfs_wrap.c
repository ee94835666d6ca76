/*
 * The C library's file entry points for a musl executable: stick/link.c
 * links with lld's --wrap=NAME for each of them (LINK_VFS_WRAPPED), so
 * every call, CPython's, OpenSSL's, SQLite's, an extension's and musl's
 * own internal ones (stat() calls fstatat(), opendir() open(), glob()
 * opendir() and stat()), comes here first. A path outside the
 * executable's tree (embed/vfs.c) goes on to the C library unchanged; one
 * inside it is answered from the embedded table: reads work, writes fail
 * with EROFS, a missing name gives ENOENT, chdir() there EACCES.
 *
 * The __wrap_ and __real_ names are lld's convention (the one exception
 * to embed/'s stick_ prefix); each wrapper only decides and forwards.
 */
#define _GNU_SOURCE
#include "vfs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>

int __real_open(const char *path, int flags, ...);
int __real_openat(int dirfd, const char *path, int flags, ...);
FILE *__real_fopen(const char *path, const char *mode);
int __real_stat(const char *path, struct stat *st);
int __real_lstat(const char *path, struct stat *st);
int __real_fstat(int fd, struct stat *st);
int __real_fstatat(int dirfd, const char *path, struct stat *st, int flags);
int __real_access(const char *path, int mode);
int __real_faccessat(int dirfd, const char *path, int mode, int flags);
DIR *__real_opendir(const char *path);
DIR *__real_fdopendir(int fd);
struct dirent *__real_readdir(DIR *dir);
int __real_readdir_r(DIR *dir, struct dirent *ent, struct dirent **res);
int __real_closedir(DIR *dir);
void __real_rewinddir(DIR *dir);
void __real_seekdir(DIR *dir, long pos);
long __real_telldir(DIR *dir);
int __real_dirfd(DIR *dir);
ssize_t __real_readlink(const char *path, char *buf, size_t size);
ssize_t __real_readlinkat(int dirfd, const char *path, char *buf,
			  size_t size);
int __real_chdir(const char *path);
int __real_fchdir(int fd);
int __real_mkdir(const char *path, mode_t mode);
int __real_mkdirat(int dirfd, const char *path, mode_t mode);
int __real_rmdir(const char *path);
int __real_unlink(const char *path);
int __real_unlinkat(int dirfd, const char *path, int flags);
int __real_remove(const char *path);
int __real_rename(const char *old, const char *new);
int __real_renameat(int olddirfd, const char *old, int newdirfd,
		    const char *new);
int __real_link(const char *old, const char *new);
int __real_linkat(int olddirfd, const char *old, int newdirfd,
		  const char *new, int flags);
int __real_symlink(const char *target, const char *path);
int __real_symlinkat(const char *target, int dirfd, const char *path);
int __real_chmod(const char *path, mode_t mode);
int __real_fchmodat(int dirfd, const char *path, mode_t mode, int flags);
int __real_chown(const char *path, uid_t uid, gid_t gid);
int __real_lchown(const char *path, uid_t uid, gid_t gid);
int __real_fchownat(int dirfd, const char *path, uid_t uid, gid_t gid,
		    int flags);
int __real_utime(const char *path, const struct utimbuf *times);
int __real_utimensat(int dirfd, const char *path,
		     const struct timespec times[2], int flags);
int __real_truncate(const char *path, off_t length);
int __real_mknod(const char *path, mode_t mode, dev_t dev);
int __real_mknodat(int dirfd, const char *path, mode_t mode, dev_t dev);
int __real_mkfifo(const char *path, mode_t mode);
int __real_mkfifoat(int dirfd, const char *path, mode_t mode);
int __real_statvfs(const char *path, struct statvfs *st);
int __real_statfs(const char *path, struct statfs *st);
long __real_pathconf(const char *path, int name);
ssize_t __real_getxattr(const char *path, const char *name, void *value,
			size_t size);
ssize_t __real_lgetxattr(const char *path, const char *name, void *value,
			 size_t size);
ssize_t __real_listxattr(const char *path, char *list, size_t size);
ssize_t __real_llistxattr(const char *path, char *list, size_t size);
int __real_setxattr(const char *path, const char *name, const void *value,
		    size_t size, int flags);
int __real_lsetxattr(const char *path, const char *name, const void *value,
		     size_t size, int flags);
int __real_removexattr(const char *path, const char *name);
int __real_lremovexattr(const char *path, const char *name);

/* A path of the tree, resolved: what stick_vfs_path() and _node() say. */
struct stick_wrap_path {
	char rel[STICK_VFS_PATH_MAX];
	int slash;
	struct stick_vfs_node node;
};

/*
 * 1 when path (relative to dirfd) is in the tree, with p filled; 0 when
 * the C library should answer; -1 with errno set.
 */
static int stick_wrap_resolve(int dirfd, const char *path,
			      struct stick_wrap_path *p)
{
	int r = stick_vfs_path(dirfd, path, p->rel, &p->slash);

	if (r == 1)
		stick_vfs_node(p->rel, &p->node);
	return r;
}

static int stick_wrap_fail(int error)
{
	errno = error;
	return -1;
}

/* The error of looking p up: 0 when it exists as named, else an errno. */
static int stick_wrap_lookup_errno(const struct stick_wrap_path *p)
{
	if (p->node.type == STICK_VFS_NONE)
		return ENOENT;
	if (p->node.type == STICK_VFS_FILE && p->slash)
		return ENOTDIR;
	return 0;
}

/* A change to an existing p: ENOENT when missing, else EROFS. */
static int stick_wrap_change(const struct stick_wrap_path *p)
{
	int e = stick_wrap_lookup_errno(p);

	return stick_wrap_fail(e ? e : EROFS);
}

/* Removing or renaming p: ENOENT without its directory, else EROFS. */
static int stick_wrap_remove(const struct stick_wrap_path *p)
{
	return stick_wrap_fail(stick_vfs_parent_exists(p->rel) ? EROFS :
			       ENOENT);
}

/* Creating p: EEXIST, ENOENT without its directory, else EROFS. */
static int stick_wrap_create(const struct stick_wrap_path *p)
{
	if (p->node.type != STICK_VFS_NONE)
		return stick_wrap_fail(EEXIST);
	return stick_wrap_fail(stick_vfs_parent_exists(p->rel) ? EROFS :
			       ENOENT);
}

/* --- open ------------------------------------------------------------------ */

static int stick_wrap_open_node(const struct stick_wrap_path *p, int flags)
{
	/* musl's O_ACCMODE includes O_PATH (O_SEARCH): the access mode is
	 * the two low bits; an O_PATH open ignores them and O_TRUNC. */
	int acc = flags & (O_RDONLY | O_WRONLY | O_RDWR);
	int tmpfile = (flags & O_TMPFILE) == O_TMPFILE;
	int writing = !(flags & O_PATH) &&
		      (acc != O_RDONLY || (flags & O_TRUNC) || tmpfile);

	if (p->node.type == STICK_VFS_NONE)
		return stick_wrap_fail((flags & O_CREAT) && !p->slash &&
				       stick_vfs_parent_exists(p->rel) ?
				       EROFS : ENOENT);
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return stick_wrap_fail(EEXIST);
	if (p->node.type == STICK_VFS_DIR) {
		if (tmpfile)
			return stick_wrap_fail(EROFS);
		if (writing)
			return stick_wrap_fail(EISDIR);
	} else {
		if ((flags & O_DIRECTORY) || p->slash)
			return stick_wrap_fail(ENOTDIR);
		if (writing)
			return stick_wrap_fail(EROFS);
	}
	return stick_vfs_open_fd(p->rel, &p->node, !!(flags & O_CLOEXEC));
}

static mode_t stick_wrap_mode(int flags, va_list ap)
{
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		return va_arg(ap, mode_t);
	return 0;
}

int __wrap_open(const char *path, int flags, ...)
{
	struct stick_wrap_path p;
	va_list ap;
	mode_t mode;
	int r = stick_wrap_resolve(AT_FDCWD, path, &p);

	va_start(ap, flags);
	mode = stick_wrap_mode(flags, ap);
	va_end(ap);
	if (r == 0)
		return __real_open(path, flags, mode);
	return r < 0 ? -1 : stick_wrap_open_node(&p, flags);
}

int __wrap_openat(int dirfd, const char *path, int flags, ...)
{
	struct stick_wrap_path p;
	va_list ap;
	mode_t mode;
	int r = stick_wrap_resolve(dirfd, path, &p);

	va_start(ap, flags);
	mode = stick_wrap_mode(flags, ap);
	va_end(ap);
	if (r == 0)
		return __real_openat(dirfd, path, flags, mode);
	return r < 0 ? -1 : stick_wrap_open_node(&p, flags);
}

/* fopen()'s mode as open() flags. */
static int stick_wrap_fopen_flags(const char *mode)
{
	int flags = strchr(mode, '+') ? O_RDWR :
		mode[0] == 'r' ? O_RDONLY : O_WRONLY;

	if (mode[0] == 'w')
		flags |= O_CREAT | O_TRUNC;
	if (mode[0] == 'a')
		flags |= O_CREAT | O_APPEND;
	if (strchr(mode, 'x'))
		flags |= O_EXCL;
	if (strchr(mode, 'e'))
		flags |= O_CLOEXEC;
	return flags;
}

FILE *__wrap_fopen(const char *path, const char *mode)
{
	struct stick_wrap_path p;
	int r = stick_wrap_resolve(AT_FDCWD, path, &p), fd, e;
	FILE *f;

	if (r == 0)
		return __real_fopen(path, mode);
	if (r < 0)
		return NULL;
	if (p.node.type == STICK_VFS_DIR && mode[0] == 'r' &&
	    !strchr(mode, '+')) {
		errno = EISDIR;  /* a directory's descriptor has no bytes */
		return NULL;
	}
	fd = stick_wrap_open_node(&p, stick_wrap_fopen_flags(mode));
	if (fd < 0)
		return NULL;
	f = fdopen(fd, mode);
	if (!f) {
		e = errno;
		close(fd);
		errno = e;
	}
	return f;
}

/* --- stat, access, readlink ------------------------------------------------ */

static int stick_wrap_stat_node(const struct stick_wrap_path *p,
				struct stat *st)
{
	int e = stick_wrap_lookup_errno(p);

	if (e)
		return stick_wrap_fail(e);
	stick_vfs_stat(p->rel, &p->node, st);
	return 0;
}

int __wrap_stat(const char *path, struct stat *st)
{
	struct stick_wrap_path p;
	int r = stick_wrap_resolve(AT_FDCWD, path, &p);

	if (r == 0)
		return __real_stat(path, st);
	return r < 0 ? -1 : stick_wrap_stat_node(&p, st);
}

int __wrap_lstat(const char *path, struct stat *st)
{
	struct stick_wrap_path p;
	int r = stick_wrap_resolve(AT_FDCWD, path, &p);

	if (r == 0)
		return __real_lstat(path, st);
	return r < 0 ? -1 : stick_wrap_stat_node(&p, st);
}

int __wrap_fstat(int fd, struct stat *st)
{
	int r = __real_fstat(fd, st);

	if (r == 0)
		stick_vfs_fix_fstat(fd, st);
	return r;
}

int __wrap_fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	struct stick_wrap_path p;
	int r = stick_wrap_resolve(dirfd, path, &p);

	if (r == 0) {
		r = __real_fstatat(dirfd, path, st, flags);
		if (r == 0 && path && !path[0] && (flags & AT_EMPTY_PATH))
			stick_vfs_fix_fstat(dirfd, st);
		return r;
	}
	return r < 0 ? -1 : stick_wrap_stat_node(&p, st);
}

static int stick_wrap_access_node(const struct stick_wrap_path *p, int mode)
{
	int e = stick_wrap_lookup_errno(p);

	if (e)
		return stick_wrap_fail(e);
	if (mode & W_OK)
		return stick_wrap_fail(EROFS);
	if ((mode & X_OK) && p->node.type == STICK_VFS_FILE &&
	    !p->node.executable)
		return stick_wrap_fail(EACCES);
	return 0;
}

int __wrap_access(const char *path, int mode)
{
	struct stick_wrap_path p;
	int r = stick_wrap_resolve(AT_FDCWD, path, &p);

	if (r == 0)
		return __real_access(path, mode);
	return r < 0 ? -1 : stick_wrap_access_node(&p, mode);
}

int __wrap_faccessat(int dirfd, const char *path, int mode, int flags)
{
	struct stick_wrap_path p;
	int r = stick_wrap_resolve(dirfd, path, &p);

	if (r == 0)
		return __real_faccessat(dirfd, path, mode, flags);
	return r < 0 ? -1 : stick_wrap_access_node(&p, mode);
}

/* Nothing in the tree is a symbolic link. */
static ssize_t stick_wrap_readlink_node(const struct stick_wrap_path *p)
{
	int e = stick_wrap_lookup_errno(p);

	return stick_wrap_fail(e ? e : EINVAL);
}

ssize_t __wrap_readlink(const char *path, char *buf, size_t size)
{
	struct stick_wrap_path p;
	int r = stick_wrap_resolve(AT_FDCWD, path, &p);

	if (r == 0)
		return __real_readlink(path, buf, size);
	return r < 0 ? -1 : stick_wrap_readlink_node(&p);
}

ssize_t __wrap_readlinkat(int dirfd, const char *path, char *buf,
			  size_t size)
{
	struct stick_wrap_path p;
	int r = stick_wrap_resolve(dirfd, path, &p);

	if (r == 0)
		return __real_readlinkat(dirfd, path, buf, size);
	return r < 0 ? -1 : stick_wrap_readlink_node(&p);
}

/* --- directories ------------------------------------------------------------ */

DIR *__wrap_opendir(const char *path)
{
	struct stick_wrap_path p;
	int r = stick_wrap_resolve(AT_FDCWD, path, &p), e;

	if (r == 0)
		return __real_opendir(path);
	if (r < 0)
		return NULL;
	e = stick_wrap_lookup_errno(&p);
	if (!e && p.node.type != STICK_VFS_DIR)
		e = ENOTDIR;
	if (e) {
		errno = e;
		return NULL;
	}
	return stick_vfs_opendir(p.rel, -1);
}

DIR *__wrap_fdopendir(int fd)
{
	char rel[STICK_VFS_PATH_MAX];

	if (stick_vfs_fd_dir(fd, rel))
		return stick_vfs_opendir(rel, fd);
	return __real_fdopendir(fd);
}

struct dirent *__wrap_readdir(DIR *dir)
{
	if (stick_vfs_is_dir_stream(dir))
		return stick_vfs_readdir(dir);
	return __real_readdir(dir);
}

int __wrap_readdir_r(DIR *dir, struct dirent *ent, struct dirent **res)
{
	struct dirent *d;

	if (!stick_vfs_is_dir_stream(dir))
		return __real_readdir_r(dir, ent, res);
	d = stick_vfs_readdir(dir);
	if (d)
		memcpy(ent, d, sizeof(*ent));
	*res = d ? ent : NULL;
	return 0;
}

int __wrap_closedir(DIR *dir)
{
	if (stick_vfs_is_dir_stream(dir))
		return stick_vfs_closedir(dir);
	return __real_closedir(dir);
}

void __wrap_rewinddir(DIR *dir)
{
	if (stick_vfs_is_dir_stream(dir))
		stick_vfs_rewinddir(dir);
	else
		__real_rewinddir(dir);
}

void __wrap_seekdir(DIR *dir, long pos)
{
	if (stick_vfs_is_dir_stream(dir))
		stick_vfs_seekdir(dir, pos);
	else
		__real_seekdir(dir, pos);
}

long __wrap_telldir(DIR *dir)
{
	if (stick_vfs_is_dir_stream(dir))
		return stick_vfs_telldir(dir);
	return __real_telldir(dir);
}

int __wrap_dirfd(DIR *dir)
{
	if (stick_vfs_is_dir_stream(dir))
		return stick_vfs_dirfd(dir);
	return __real_dirfd(dir);
}

/*
 * The working directory must be a directory the kernel knows: chdir()
 * into the tree fails as it does for a directory without search
 * permission.
 */
int __wrap_chdir(const char *path)
{
	struct stick_wrap_path p;
	int r = stick_wrap_resolve(AT_FDCWD, path, &p), e;

	if (r == 0)
		return __real_chdir(path);
	if (r < 0)
		return -1;
	e = stick_wrap_lookup_errno(&p);
	if (!e)
		e = p.node.type == STICK_VFS_DIR ? EACCES : ENOTDIR;
	return stick_wrap_fail(e);
}

int __wrap_fchdir(int fd)
{
	char rel[STICK_VFS_PATH_MAX];

	if (stick_vfs_fd_dir(fd, rel))
		return stick_wrap_fail(EACCES);
	return __real_fchdir(fd);
}

/* --- changes: every one fails ---------------------------------------------- */

/*
 * A wrapper of a call whose path argument "path" (relative to dirfd) is
 * changed, removed or created: the tree's answer is refuse(&p), which
 * fails with the errno a read-only file system gives (measured on a
 * read-only bind mount: EROFS; EEXIST, ENOENT, as the kernel orders
 * them).
 */
#define STICK_WRAP_REFUSE(ret, name, dirfd, refuse, params, args)           \
	ret __wrap_##name params                                            \
	{                                                                   \
		struct stick_wrap_path p;                                   \
		int r = stick_wrap_resolve(dirfd, path, &p);                \
                                                                            \
		if (r == 0)                                                 \
			return __real_##name args;                          \
		return r < 0 ? -1 : refuse(&p);                             \
	}

STICK_WRAP_REFUSE(int, mkdir, AT_FDCWD, stick_wrap_create,
		  (const char *path, mode_t mode), (path, mode))
STICK_WRAP_REFUSE(int, mkdirat, dirfd, stick_wrap_create,
		  (int dirfd, const char *path, mode_t mode),
		  (dirfd, path, mode))
STICK_WRAP_REFUSE(int, mknod, AT_FDCWD, stick_wrap_create,
		  (const char *path, mode_t mode, dev_t dev), (path, mode, dev))
STICK_WRAP_REFUSE(int, mknodat, dirfd, stick_wrap_create,
		  (int dirfd, const char *path, mode_t mode, dev_t dev),
		  (dirfd, path, mode, dev))
STICK_WRAP_REFUSE(int, mkfifo, AT_FDCWD, stick_wrap_create,
		  (const char *path, mode_t mode), (path, mode))
STICK_WRAP_REFUSE(int, mkfifoat, dirfd, stick_wrap_create,
		  (int dirfd, const char *path, mode_t mode),
		  (dirfd, path, mode))
STICK_WRAP_REFUSE(int, symlink, AT_FDCWD, stick_wrap_create,
		  (const char *target, const char *path), (target, path))
STICK_WRAP_REFUSE(int, symlinkat, dirfd, stick_wrap_create,
		  (const char *target, int dirfd, const char *path),
		  (target, dirfd, path))
STICK_WRAP_REFUSE(int, rmdir, AT_FDCWD, stick_wrap_remove,
		  (const char *path), (path))
STICK_WRAP_REFUSE(int, unlink, AT_FDCWD, stick_wrap_remove,
		  (const char *path), (path))
STICK_WRAP_REFUSE(int, unlinkat, dirfd, stick_wrap_remove,
		  (int dirfd, const char *path, int flags),
		  (dirfd, path, flags))
STICK_WRAP_REFUSE(int, remove, AT_FDCWD, stick_wrap_remove,
		  (const char *path), (path))
STICK_WRAP_REFUSE(int, chmod, AT_FDCWD, stick_wrap_change,
		  (const char *path, mode_t mode), (path, mode))
STICK_WRAP_REFUSE(int, fchmodat, dirfd, stick_wrap_change,
		  (int dirfd, const char *path, mode_t mode, int flags),
		  (dirfd, path, mode, flags))
STICK_WRAP_REFUSE(int, chown, AT_FDCWD, stick_wrap_change,
		  (const char *path, uid_t uid, gid_t gid), (path, uid, gid))
STICK_WRAP_REFUSE(int, lchown, AT_FDCWD, stick_wrap_change,
		  (const char *path, uid_t uid, gid_t gid), (path, uid, gid))
STICK_WRAP_REFUSE(int, fchownat, dirfd, stick_wrap_change,
		  (int dirfd, const char *path, uid_t uid, gid_t gid,
		   int flags), (dirfd, path, uid, gid, flags))
STICK_WRAP_REFUSE(int, utime, AT_FDCWD, stick_wrap_change,
		  (const char *path, const struct utimbuf *times),
		  (path, times))
STICK_WRAP_REFUSE(int, truncate, AT_FDCWD, stick_wrap_change,
		  (const char *path, off_t length), (path, length))
STICK_WRAP_REFUSE(int, setxattr, AT_FDCWD, stick_wrap_change,
		  (const char *path, const char *name, const void *value,
		   size_t size, int flags), (path, name, value, size, flags))
STICK_WRAP_REFUSE(int, lsetxattr, AT_FDCWD, stick_wrap_change,
		  (const char *path, const char *name, const void *value,
		   size_t size, int flags), (path, name, value, size, flags))
STICK_WRAP_REFUSE(int, removexattr, AT_FDCWD, stick_wrap_change,
		  (const char *path, const char *name), (path, name))
STICK_WRAP_REFUSE(int, lremovexattr, AT_FDCWD, stick_wrap_change,
		  (const char *path, const char *name), (path, name))

/* futimens(fd) is utimensat(fd, NULL, ...): not a path. */
int __wrap_utimensat(int dirfd, const char *path,
		     const struct timespec times[2], int flags)
{
	struct stick_wrap_path p;
	int r = stick_wrap_resolve(dirfd, path, &p);

	if (r == 0)
		return __real_utimensat(dirfd, path, times, flags);
	return r < 0 ? -1 : stick_wrap_change(&p);
}

/*
 * rename() and link() between two paths: EROFS inside the tree, EXDEV
 * between it and the rest (as between two mounts), ENOENT without the
 * source's directory.
 */
static int stick_wrap_two(int olddirfd, const char *old, int newdirfd,
			  const char *new)
{
	struct stick_wrap_path a, b;
	int ra = stick_wrap_resolve(olddirfd, old, &a);
	int rb = ra < 0 ? 0 : stick_wrap_resolve(newdirfd, new, &b);

	if (ra < 0 || rb < 0)
		return -1;
	if (ra == 1 && !stick_vfs_parent_exists(a.rel))
		return stick_wrap_fail(ENOENT);
	if (rb == 1 && !stick_vfs_parent_exists(b.rel))
		return stick_wrap_fail(ENOENT);
	return stick_wrap_fail(ra == rb ? EROFS : EXDEV);
}

/* Whether either path is in the tree (then stick_wrap_two answers). */
static int stick_wrap_either(int olddirfd, const char *old, int newdirfd,
			     const char *new)
{
	char rel[STICK_VFS_PATH_MAX];
	int slash;

	return stick_vfs_path(olddirfd, old, rel, &slash) != 0 ||
	       stick_vfs_path(newdirfd, new, rel, &slash) != 0;
}

int __wrap_rename(const char *old, const char *new)
{
	if (stick_wrap_either(AT_FDCWD, old, AT_FDCWD, new))
		return stick_wrap_two(AT_FDCWD, old, AT_FDCWD, new);
	return __real_rename(old, new);
}

int __wrap_renameat(int olddirfd, const char *old, int newdirfd,
		    const char *new)
{
	if (stick_wrap_either(olddirfd, old, newdirfd, new))
		return stick_wrap_two(olddirfd, old, newdirfd, new);
	return __real_renameat(olddirfd, old, newdirfd, new);
}

int __wrap_link(const char *old, const char *new)
{
	if (stick_wrap_either(AT_FDCWD, old, AT_FDCWD, new))
		return stick_wrap_two(AT_FDCWD, old, AT_FDCWD, new);
	return __real_link(old, new);
}

int __wrap_linkat(int olddirfd, const char *old, int newdirfd,
		  const char *new, int flags)
{
	if (stick_wrap_either(olddirfd, old, newdirfd, new))
		return stick_wrap_two(olddirfd, old, newdirfd, new);
	return __real_linkat(olddirfd, old, newdirfd, new, flags);
}

/* --- the file system's properties ------------------------------------------- */

int __wrap_statvfs(const char *path, struct statvfs *st)
{
	struct stick_wrap_path p;
	int r = stick_wrap_resolve(AT_FDCWD, path, &p), e;

	if (r == 0)
		return __real_statvfs(path, st);
	if (r < 0)
		return -1;
	e = stick_wrap_lookup_errno(&p);
	return e ? stick_wrap_fail(e) : stick_vfs_statvfs(st);
}

int __wrap_statfs(const char *path, struct statfs *st)
{
	struct stick_wrap_path p;
	int r = stick_wrap_resolve(AT_FDCWD, path, &p), e;

	if (r == 0)
		return __real_statfs(path, st);
	if (r < 0)
		return -1;
	e = stick_wrap_lookup_errno(&p);
	if (e)
		return stick_wrap_fail(e);
	if (__real_statfs(stick_vfs_exe(), st) < 0)
		return -1;
	st->f_flags |= ST_RDONLY;
	return 0;
}

long __wrap_pathconf(const char *path, int name)
{
	struct stick_wrap_path p;
	int r = stick_wrap_resolve(AT_FDCWD, path, &p), e;

	if (r == 0)
		return __real_pathconf(path, name);
	if (r < 0)
		return -1;
	e = stick_wrap_lookup_errno(&p);
	return e ? stick_wrap_fail(e) : __real_pathconf(stick_vfs_exe(), name);
}

/* No extended attributes in the tree. */
static ssize_t stick_wrap_no_xattr(const struct stick_wrap_path *p, int list)
{
	int e = stick_wrap_lookup_errno(p);

	if (e)
		return stick_wrap_fail(e);
	return list ? 0 : stick_wrap_fail(ENODATA);
}

ssize_t __wrap_getxattr(const char *path, const char *name, void *value,
			size_t size)
{
	struct stick_wrap_path p;
	int r = stick_wrap_resolve(AT_FDCWD, path, &p);

	if (r == 0)
		return __real_getxattr(path, name, value, size);
	return r < 0 ? -1 : stick_wrap_no_xattr(&p, 0);
}

ssize_t __wrap_lgetxattr(const char *path, const char *name, void *value,
			 size_t size)
{
	struct stick_wrap_path p;
	int r = stick_wrap_resolve(AT_FDCWD, path, &p);

	if (r == 0)
		return __real_lgetxattr(path, name, value, size);
	return r < 0 ? -1 : stick_wrap_no_xattr(&p, 0);
}

ssize_t __wrap_listxattr(const char *path, char *list, size_t size)
{
	struct stick_wrap_path p;
	int r = stick_wrap_resolve(AT_FDCWD, path, &p);

	if (r == 0)
		return __real_listxattr(path, list, size);
	return r < 0 ? -1 : stick_wrap_no_xattr(&p, 1);
}

ssize_t __wrap_llistxattr(const char *path, char *list, size_t size)
{
	struct stick_wrap_path p;
	int r = stick_wrap_resolve(AT_FDCWD, path, &p);

	if (r == 0)
		return __real_llistxattr(path, list, size);
	return r < 0 ? -1 : stick_wrap_no_xattr(&p, 1);
}
