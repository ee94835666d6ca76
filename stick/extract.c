#include "extract.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"
#include "banned.h"

char *extract_safe_path(const char *name)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = name;

	if (!name || !*name || *name == '/')
		return NULL;
	while (*p) {
		size_t n = strcspn(p, "/");

		if (n == 2 && !strncmp(p, "..", 2)) {
			strbuf_release(&sb);
			return NULL;
		}
		if (n && !(n == 1 && *p == '.')) {
			if (sb.len)
				strbuf_addstr(&sb, "/");
			strbuf_add(&sb, p, n);
		}
		p += n + (p[n] ? 1 : 0);
	}
	if (!sb.len)
		return NULL;
	return strbuf_detach(&sb);
}

/*
 * Walks target's components from the directory holding entry; the link
 * escapes when ".." would climb above the tree's root. Links through other
 * links are caught at write time by ARCHIVE_EXTRACT_SECURE_SYMLINKS.
 */
int extract_link_is_inside(const char *entry, const char *target)
{
	int depth = 0;
	const char *p;

	if (!*target || *target == '/')
		return 0;
	for (p = entry; *p; p++)
		depth += *p == '/';
	for (p = target; *p; ) {
		size_t n = strcspn(p, "/");

		if (n == 2 && !strncmp(p, "..", 2)) {
			if (--depth < 0)
				return 0;
		} else if (n && !(n == 1 && *p == '.')) {
			depth++;
		}
		p += n + (p[n] ? 1 : 0);
	}
	return 1;
}

static int refuse(const char *archive, const char *name, const char *why)
{
	return error("refusing to extract '%s': entry '%s' %s; the archive is "
		"corrupt or malicious", archive, name, why);
}

/* Checks one entry and points it into dir; 0 or -1 after a message. */
static int prepare_entry(struct archive_entry *e, const char *archive,
			 const char *dir)
{
	const char *name = archive_entry_pathname(e);
	const char *hard = archive_entry_hardlink(e);
	const char *sym = archive_entry_symlink(e);
	mode_t type = archive_entry_filetype(e);
	char *clean = extract_safe_path(name);
	char *full;

	if (!clean)
		return refuse(archive, name ? name : "", name && *name == '/' ?
			"has an absolute path" : "escapes the destination (..)");
	if (type != AE_IFREG && type != AE_IFDIR && type != AE_IFLNK) {
		free(clean);
		return refuse(archive, name, "is a device, fifo or socket");
	}
	if (sym && type == AE_IFLNK && !extract_link_is_inside(clean, sym)) {
		free(clean);
		return refuse(archive, name, "is a link pointing outside the tree");
	}
	full = path_join(dir, clean);
	archive_entry_set_pathname(e, full);
	free(full);
	free(clean);
	if (hard) {
		char *hclean = extract_safe_path(hard);

		if (!hclean)
			return refuse(archive, name, "is a hard link to outside the tree");
		full = path_join(dir, hclean);
		archive_entry_set_hardlink(e, full);
		free(full);
		free(hclean);
	}
	/*
	 * No set-id bits from a downloaded archive, and the owner may always
	 * read and write what it extracts (and enter its directories), so a
	 * failed extraction and the cache entry can be removed.
	 */
	archive_entry_set_perm(e, (archive_entry_perm(e) & 0777) |
			       (type == AE_IFDIR ? 0700 : 0600));
	return 0;
}

/*
 * Which entries an extraction keeps: with paths (a recipe's `extract`),
 * those at or under one of them, relative to the archive's top directory,
 * and the top directory itself; each path must match something.
 */
struct extract_filter {
	const struct strvec *paths; /* NULL: every entry */
	bool *matched;
};

static bool filter_keeps(struct extract_filter *f, const char *name)
{
	char *clean = f->paths ? extract_safe_path(name) : NULL;
	const char *rest = clean ? clean + strcspn(clean, "/") : "";
	bool keep = !f->paths || !clean || !*rest;

	rest += *rest == '/';
	for (size_t i = 0; !keep && i < f->paths->n; i++) {
		const char *p = f->paths->v[i];
		size_t n = strlen(p);

		if (!strncmp(rest, p, n) && (!rest[n] || rest[n] == '/'))
			keep = f->matched[i] = true;
	}
	free(clean);
	return keep;
}

static int filter_check(const struct extract_filter *f, const char *archive)
{
	for (size_t i = 0; f->paths && i < f->paths->n; i++) {
		if (!f->matched[i])
			return error("'%s' holds no '%s' under its top "
				"directory, which the recipe's `extract` line "
				"names; fix the recipe", archive, f->paths->v[i]);
	}
	return 0;
}

static int copy_entries(struct archive *in, struct archive *out,
			const char *archive, const char *dir,
			struct extract_filter *f)
{
	struct archive_entry *e;
	int r;

	while ((r = archive_read_next_header(in, &e)) == ARCHIVE_OK ||
	       r == ARCHIVE_WARN) {
		const void *buf;
		size_t size;
		la_int64_t off;

		if (!filter_keeps(f, archive_entry_pathname(e))) {
			if (archive_read_data_skip(in) != ARCHIVE_OK)
				return error("cannot read '%s': %s; the file is "
					"corrupt", archive, archive_error_string(in));
			continue;
		}
		if (prepare_entry(e, archive, dir))
			return -1;
		if (archive_write_header(out, e) < ARCHIVE_WARN)
			return error("cannot extract '%s' from '%s': %s",
				archive_entry_pathname(e), archive,
				archive_error_string(out));
		while ((r = archive_read_data_block(in, &buf, &size, &off)) ==
		       ARCHIVE_OK) {
			if (archive_write_data_block(out, buf, size, off) < ARCHIVE_WARN)
				return error("cannot write '%s': %s",
					archive_entry_pathname(e),
					archive_error_string(out));
		}
		if (r != ARCHIVE_EOF)
			return error("cannot read '%s': %s; the file is corrupt",
				archive, archive_error_string(in));
		if (archive_write_finish_entry(out) < ARCHIVE_WARN)
			return error("cannot finish '%s': %s",
				archive_entry_pathname(e), archive_error_string(out));
	}
	if (r != ARCHIVE_EOF)
		return error("cannot read '%s': %s; the file is corrupt or not "
			"an archive", archive, archive_error_string(in));
	return filter_check(f, archive);
}

/*
 * Why archive could not be opened. libarchive's errno for a file it does
 * not recognise, ARCHIVE_ERRNO_FILE_FORMAT, is EILSEQ on Linux.
 */
static int open_error(struct archive *in, const char *archive)
{
	if (archive_errno(in) == EILSEQ)
		return error("'%s' is neither a tar nor a zip archive (%s)",
			archive, archive_error_string(in));
	return error("cannot open '%s': %s", archive, archive_error_string(in));
}

static int unpack_into(const char *archive, const char *dir,
		       const struct strvec *only)
{
	struct extract_filter f = { .paths = only && only->n ? only : NULL };
	struct archive *in = archive_read_new();
	struct archive *out = archive_write_disk_new();
	int ret;

	archive_read_support_filter_gzip(in);
	archive_read_support_filter_xz(in);
	archive_read_support_filter_bzip2(in);
	archive_read_support_format_tar(in);
	archive_read_support_format_gnutar(in);
	archive_read_support_format_zip(in);
	/*
	 * Entry names were checked and joined to dir (which may be absolute)
	 * by prepare_entry; libarchive still refuses to write through links.
	 */
	archive_write_disk_set_options(out, ARCHIVE_EXTRACT_TIME |
		ARCHIVE_EXTRACT_PERM | ARCHIVE_EXTRACT_SECURE_SYMLINKS |
		ARCHIVE_EXTRACT_SECURE_NODOTDOT);
	f.matched = f.paths ? xcalloc(f.paths->n, sizeof(bool)) : NULL;
	if (archive_read_open_filename(in, archive, 1 << 16) != ARCHIVE_OK)
		ret = open_error(in, archive);
	else
		ret = copy_entries(in, out, archive, dir, &f);
	free(f.matched);
	if (!ret && archive_write_close(out) != ARCHIVE_OK)
		ret = error("cannot finish extracting '%s': %s", archive,
			archive_error_string(out));
	archive_read_free(in);
	archive_write_free(out);
	return ret;
}

/* The name of dir's only entry when it is a directory, else NULL. */
static char *single_subdir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char *only = NULL;
	int count = 0;

	if (!d)
		return NULL;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (++count == 1)
			only = xstrdup(de->d_name);
	}
	closedir(d);
	if (count == 1) {
		char *full = path_join(dir, only);
		struct stat st;
		int isdir = !lstat(full, &st) && S_ISDIR(st.st_mode);

		free(full);
		if (isdir)
			return only;
	}
	free(only);
	return NULL;
}

/*
 * The lexical check in prepare_entry cannot see links through other links
 * ("s -> ." then "t -> s/.."), so every link is resolved once the tree is
 * on disk and must still land inside it.
 */
static const char *links_root;
static const char *links_archive;

static int check_link(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	char resolved[PATH_MAX];
	size_t n = strlen(links_root);

	if (flag != FTW_SL)
		return 0;
	if (!realpath(path, resolved))
		return 0; /* dangling: its lexical target was checked */
	if (!strncmp(resolved, links_root, n) &&
	    (resolved[n] == '/' || resolved[n] == '\0'))
		return 0;
	refuse(links_archive, path + n + 1, "is a link pointing outside the tree");
	return 1;
}

static int verify_links(const char *archive, const char *work)
{
	char root[PATH_MAX];
	int ret;

	if (!realpath(work, root))
		return error("cannot resolve '%s':", work);
	links_root = root;
	links_archive = archive;
	ret = nftw(root, check_link, 32, FTW_PHYS);
	links_root = links_archive = NULL;
	return ret ? -1 : 0;
}

/* Publishes work's single top-level directory, or work itself, as dest. */
static int move_into_place(struct cachedir *cd)
{
	char *top = single_subdir(cd->tmp);
	char *inner = top ? path_join(cd->tmp, top) : NULL;
	int ret = cachedir_commit(cd, inner);

	free(inner);
	free(top);
	return ret;
}

/*
 * Unpacks into work by its real path: libarchive's check against links
 * in the way (ARCHIVE_EXTRACT_SECURE_SYMLINKS) looks at every component
 * of the path it is given, so a link above the tree (a STICK_HOME or a
 * cache directory reached through a symlink) would refuse every entry.
 */
static int unpack_resolved(const char *archive, const char *work,
			   const struct strvec *only)
{
	char *real = realpath(work, NULL);
	int ret;

	if (!real)
		return error("cannot resolve '%s':", work);
	ret = unpack_into(archive, real, only);
	free(real);
	return ret;
}

int extract_archive(const char *archive, const char *dest)
{
	return extract_archive_only(archive, dest, NULL);
}

int extract_archive_only(const char *archive, const char *dest,
			 const struct strvec *only)
{
	struct cachedir cd = CACHEDIR_INIT;
	char *what = xasprintf("extracting into '%s'", dest);
	int ret = 0;

	cd.tmp_suffix = ".part";
	switch (cachedir_begin(&cd, dest, what)) {
	case CACHEDIR_ERROR:
		ret = -1;
		break;
	case CACHEDIR_READY:
		ret = error("cannot extract into '%s': it already exists", dest);
		break;
	case CACHEDIR_MAKE:
		ret = unpack_resolved(archive, cd.tmp, only);
		if (!ret)
			ret = verify_links(archive, cd.tmp);
		if (!ret)
			ret = move_into_place(&cd);
		if (ret)
			cachedir_abort(&cd, CACHEDIR_REMOVE);
		break;
	}
	cachedir_release(&cd);
	free(what);
	return ret;
}
