/*
 * Stage 3, extract: unpack a tar.gz, tar.xz, tar.bz2 or zip archive with
 * libarchive into a fresh directory, refusing any entry that would land
 * outside it.
 */
#ifndef STICK_EXTRACT_H
#define STICK_EXTRACT_H

/*
 * The entry name as a clean relative path ("a/./b/" -> "a/b"), or NULL
 * when it is empty, absolute, or has a ".." component. Caller frees.
 */
char *extract_safe_path(const char *name);

/*
 * True when a symbolic link stored at entry (a clean relative path)
 * pointing to target stays inside the tree.
 */
int extract_link_is_inside(const char *entry, const char *target);

/*
 * Extracts archive into dest, which must not exist. When every entry sits
 * under one top-level directory (as in release tarballs), that directory
 * becomes dest. Works in "dest.part" and renames at the end, so dest
 * appears only complete (a cache directory, util.h: a "dest.part" a
 * killed stick left is removed). Returns 0, or -1 after a message; on
 * failure nothing is left behind.
 */
int extract_archive(const char *archive, const char *dest);

struct strvec;
/*
 * The same, extracting only the entries at or under the paths of only
 * (relative to the archive's top directory; a recipe's `extract`; NULL
 * or empty: every entry). A path that matches no entry is an error.
 */
int extract_archive_only(const char *archive, const char *dest,
			 const struct strvec *only);

#endif
