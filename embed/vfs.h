/*
 * The embedded files as a read-only file tree inside the executable's own
 * path (embed/vfs.c), for the C library wrappers of embed/vfs_wrap.c.
 * Linked into musl executables only (stick/link.c wraps the C library's
 * entry points for them); libraries and glibc outputs have neither file.
 */
#ifndef STICK_VFS_H
#define STICK_VFS_H

#include <dirent.h>
#include <stddef.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

/* The longest path inside the tree (the root's part left out). */
#define STICK_VFS_PATH_MAX 4096

enum stick_vfs_type { STICK_VFS_NONE, STICK_VFS_FILE, STICK_VFS_DIR };

struct stick_vfs_node {
	enum stick_vfs_type type;
	const unsigned char *data; /* a file's bytes */
	size_t size;
	int executable;            /* a file shipped with x bits (0555) */
};

/*
 * Serves the tree under exe + "/" from now on: exe is the absolute path
 * of the running executable (a regular file). 0, or -1 (errno set) when
 * exe is not one or another root was set before.
 */
int stick_vfs_set_root(const char *exe);

/*
 * Whether path, relative to dirfd as for openat(), names something in the
 * tree: 1 with rel (STICK_VFS_PATH_MAX bytes) the normalized path inside
 * it ("" for its root) and *slash set when path ended in '/'; 0 when it
 * does not (the caller passes the call on); -1 with errno set.
 */
int stick_vfs_path(int dirfd, const char *path, char *rel, int *slash);

/* What rel is: type NONE when the tree has no such name. */
void stick_vfs_node(const char *rel, struct stick_vfs_node *node);

/* 1 when the directory that holds rel exists in the tree, else 0. */
int stick_vfs_parent_exists(const char *rel);

/* The stat of rel, of type n (not NONE). */
void stick_vfs_stat(const char *rel, const struct stick_vfs_node *n,
		    struct stat *st);

/*
 * A read-only descriptor of rel, of type n (not NONE): a sealed memfd
 * holding a file's bytes, or one that stands for a directory (fstat,
 * openat, fdopendir know it). -1 with errno set.
 */
int stick_vfs_open_fd(const char *rel, const struct stick_vfs_node *n,
		      int cloexec);

/*
 * Whether fd stands for a directory of the tree: 1 with rel filled, else
 * 0 (cheap while no such descriptor was ever made).
 */
int stick_vfs_fd_dir(int fd, char *rel);

/* After a successful fstat of fd: a directory's descriptor says so. */
void stick_vfs_fix_fstat(int fd, struct stat *st);

/* statvfs of the file system holding the executable, read-only. */
int stick_vfs_statvfs(struct statvfs *st);

/* The executable's path (the root without its '/'). */
const char *stick_vfs_exe(void);

/* Directory streams of the tree (opendir, fdopendir). */
DIR *stick_vfs_opendir(const char *rel, int fd);
/* 1 when dir is one of those streams. */
int stick_vfs_is_dir_stream(DIR *dir);
struct dirent *stick_vfs_readdir(DIR *dir);
int stick_vfs_closedir(DIR *dir);
void stick_vfs_rewinddir(DIR *dir);
void stick_vfs_seekdir(DIR *dir, long pos);
long stick_vfs_telldir(DIR *dir);
int stick_vfs_dirfd(DIR *dir);

#endif
