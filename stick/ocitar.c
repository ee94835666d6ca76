#include "ocitar.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"
#include "extract.h"
#include "util.h"
#include "banned.h"

/* zstd's level: fast to write, a third of a toolchain's size. */
#define OCITAR_ZSTD_OPTIONS "zstd:compression-level=6"

/* For file systems whose readdir() leaves d_type unknown. */
static bool is_real_dir(const char *dir, const char *name)
{
	char *path = path_join(dir, name);
	struct stat st;
	bool yes = !lstat(path, &st) && S_ISDIR(st.st_mode);

	free(path);
	return yes;
}

/* Every name under dir/rel (relative to dir), depth first. */
static int list_tree(const char *dir, const char *rel, struct strvec *names)
{
	char *path = rel ? path_join(dir, rel) : xstrdup(dir);
	DIR *d = opendir(path);
	struct dirent *e;
	int ret = 0;

	if (!d) {
		ret = error("cannot read the directory '%s':", path);
		free(path);
		return ret;
	}
	while (!ret && (errno = 0, e = readdir(d))) {
		char *name;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		name = rel ? path_join(rel, e->d_name) : xstrdup(e->d_name);
		strvec_push(names, name);
		if (e->d_type == DT_DIR || (e->d_type == DT_UNKNOWN &&
					    is_real_dir(dir, name)))
			ret = list_tree(dir, name, names);
		free(name);
	}
	if (!ret && errno)
		ret = error("cannot read the directory '%s':", path);
	closedir(d);
	free(path);
	return ret;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Copies the file's bytes into the archive. */
static int add_data(struct archive *a, const char *path)
{
	char buf[65536];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;
	int ret = 0;

	if (fd < 0)
		return error("cannot open '%s':", path);
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (archive_write_data(a, buf, (size_t)n) != n) {
			ret = error("cannot archive '%s': %s", path,
				    archive_error_string(a));
			break;
		}
	}
	if (n < 0)
		ret = error("cannot read '%s':", path);
	close(fd);
	return ret;
}

/* One entry, its metadata reduced to what the tree means. */
static int add_entry(struct archive *a, const char *dir, const char *name)
{
	char *path = path_join(dir, name);
	struct archive_entry *e = archive_entry_new();
	struct stat st;
	char target[4096];
	int ret = 0;

	if (lstat(path, &st))
		ret = error("cannot stat '%s':", path);
	archive_entry_set_pathname(e, name);
	if (ret) {
	} else if (S_ISDIR(st.st_mode)) {
		archive_entry_set_filetype(e, AE_IFDIR);
		archive_entry_set_perm(e, 0755);
	} else if (S_ISREG(st.st_mode)) {
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, st.st_mode & 0111 ? 0755 : 0644);
		archive_entry_set_size(e, st.st_size);
	} else if (S_ISLNK(st.st_mode)) {
		ssize_t n = readlink(path, target, sizeof(target) - 1);

		if (n < 0)
			ret = error("cannot read the link '%s':", path);
		target[n < 0 ? 0 : n] = 0;
		archive_entry_set_filetype(e, AE_IFLNK);
		archive_entry_set_perm(e, 0777);
		archive_entry_set_symlink(e, target);
	} else {
		ret = error("'%s' is neither a file, a directory nor a symbolic "
			    "link: it cannot go into the OCI cache", path);
	}
	if (!ret && archive_write_header(a, e) != ARCHIVE_OK)
		ret = error("cannot archive '%s': %s", path,
			    archive_error_string(a));
	if (!ret && S_ISREG(st.st_mode))
		ret = add_data(a, path);
	archive_entry_free(e);
	free(path);
	return ret;
}

/* An entry is left out when its path starts with an exclude entry (a
 * whole directory), or matches one that has a '*' (fnmatch, '*' crossing
 * '/'). */
static bool excluded(const char *name, const char *const *exclude)
{
	for (size_t i = 0; exclude && exclude[i]; i++) {
		size_t n = strlen(exclude[i]);

		if (strchr(exclude[i], '*') ? !fnmatch(exclude[i], name, 0) :
		    !strncmp(name, exclude[i], n) && (!name[n] || name[n] == '/'))
			return true;
	}
	return false;
}

int ocitar_write(const char *path, const char *const *exclude,
		 const char *out, char hex[65], off_t *size)
{
	struct strvec names = STRVEC_INIT;
	struct archive *a = archive_write_new();
	struct stat st;
	bool one_file = !stat(path, &st) && S_ISREG(st.st_mode);
	char *dir = one_file ? path_dirname(path) : xstrdup(path);
	int ret = 0;

	if (one_file)
		strvec_push(&names, path_basename(path));
	else
		ret = list_tree(dir, NULL, &names);

	if (!ret)
		qsort(names.v, names.n, sizeof(*names.v), cmp_names);
	if (!ret && (archive_write_set_format_gnutar(a) != ARCHIVE_OK ||
		     archive_write_add_filter_zstd(a) != ARCHIVE_OK ||
		     archive_write_set_options(a, OCITAR_ZSTD_OPTIONS) != ARCHIVE_OK ||
		     archive_write_open_filename(a, out) != ARCHIVE_OK))
		ret = error("cannot write the archive '%s': %s", out,
			    archive_error_string(a));
	for (size_t i = 0; !ret && i < names.n; i++) {
		if (!excluded(names.v[i], exclude))
			ret = add_entry(a, dir, names.v[i]);
	}
	if (archive_write_close(a) != ARCHIVE_OK && !ret)
		ret = error("cannot write the archive '%s': %s", out,
			    archive_error_string(a));
	archive_write_free(a);
	strvec_clear(&names);
	free(dir);
	if (!ret && stat(out, &st))
		ret = error("cannot stat '%s':", out);
	if (!ret)
		*size = st.st_size;
	if (!ret)
		ret = digest_file(out, hex);
	return ret;
}

/* Why an entry is refused, or NULL; *clean is its cleaned name. */
static const char *check_entry(struct archive_entry *e, char **clean)
{
	mode_t type = archive_entry_filetype(e);
	const char *target;

	*clean = extract_safe_path(archive_entry_pathname(e));
	if (!*clean)
		return "an entry whose name leaves the directory";
	if (type != AE_IFDIR && type != AE_IFREG && type != AE_IFLNK)
		return "an entry that is not a file, directory or link";
	if (archive_entry_hardlink(e))
		return "a hard link";
	target = archive_entry_symlink(e);
	if (type == AE_IFLNK && (!target || target[0] == '/' ||
				 !extract_link_is_inside(*clean, target)))
		return "a symbolic link pointing out of the directory";
	return NULL;
}

static int copy_entry_data(struct archive *in, struct archive *out)
{
	const void *buf;
	size_t len;
	la_int64_t off;
	int r;

	while ((r = archive_read_data_block(in, &buf, &len, &off)) == ARCHIVE_OK) {
		if (archive_write_data_block(out, buf, len, off) != ARCHIVE_OK)
			return ARCHIVE_FATAL;
	}
	return r == ARCHIVE_EOF ? ARCHIVE_OK : r;
}

static int read_entries(struct archive *in, struct archive *out,
			const char *dest, char **why)
{
	struct archive_entry *e;
	int r;

	while ((r = archive_read_next_header(in, &e)) == ARCHIVE_OK) {
		char *clean, *path;
		const char *bad = check_entry(e, &clean);

		if (bad) {
			*why = xasprintf("%s ('%s')", bad,
					 archive_entry_pathname(e));
			free(clean);
			return -1;
		}
		path = path_join(dest, clean);
		archive_entry_set_pathname(e, path);
		archive_entry_set_uid(e, getuid());
		archive_entry_set_gid(e, getgid());
		free(path);
		free(clean);
		if (archive_write_header(out, e) != ARCHIVE_OK ||
		    (archive_entry_size(e) > 0 &&
		     copy_entry_data(in, out) != ARCHIVE_OK) ||
		    archive_write_finish_entry(out) != ARCHIVE_OK) {
			*why = xasprintf("cannot unpack '%s': %s / %s",
				archive_entry_pathname(e),
				archive_error_string(in) ?
				archive_error_string(in) : "",
				archive_error_string(out) ?
				archive_error_string(out) : "");
			return -1;
		}
	}
	if (r != ARCHIVE_EOF) {
		*why = xasprintf("a damaged archive: %s",
				 archive_error_string(in));
		return -1;
	}
	return 0;
}

int ocitar_read(const char *archive, const char *dest, char **why)
{
	struct archive *in = archive_read_new();
	struct archive *out = archive_write_disk_new();
	int ret = 0;

	*why = NULL;
	archive_read_support_format_tar(in);
	archive_read_support_format_gnutar(in);
	archive_read_support_filter_zstd(in);
	archive_read_support_filter_gzip(in);
	/* Names are checked relative, then made absolute under dest. */
	archive_write_disk_set_options(out, ARCHIVE_EXTRACT_PERM |
		ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT);
	if (mkdir(dest, 0755)) {
		*why = xasprintf("cannot create '%s': %s", dest, strerror(errno));
		ret = -1;
	} else if (archive_read_open_filename(in, archive, 65536) != ARCHIVE_OK) {
		*why = xasprintf("cannot read '%s': %s", archive,
				 archive_error_string(in));
		ret = -1;
	} else {
		ret = read_entries(in, out, dest, why);
	}
	if (archive_write_close(out) != ARCHIVE_OK && !ret) {
		*why = xasprintf("cannot finish unpacking into '%s': %s", dest,
				 archive_error_string(out));
		ret = -1;
	}
	archive_read_free(in);
	archive_write_free(out);
	return ret;
}
