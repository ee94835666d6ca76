/*
 * The archives of the OCI cache: a directory as one deterministic
 * tar.zst (libarchive), and such an archive unpacked safely.
 */
#ifndef STICK_OCITAR_H
#define STICK_OCITAR_H

#include <sys/types.h>

/*
 * Writes the tree under path (or the one file path, as its base name) to the new file out as a zstd-compressed tar
 * whose bytes depend only on the tree's names, contents, link targets and
 * executable bits: entries sorted by name, mtimes, owners and groups
 * zeroed, modes 0755 or 0644. Directories, regular files and symbolic
 * links only; anything else is an error. The relative paths in exclude
 * (NULL-terminated, or NULL) are left out with what is under them, and
 * the paths matching those with a '*' (fnmatch; '*' crosses '/'). hex
 * receives the archive's sha256, *size its length. 0, or -1 after a
 * message.
 */
int ocitar_write(const char *path, const char *const *exclude,
		 const char *out, char hex[65], off_t *size);

/*
 * Unpacks archive (zstd or gzip, tar) into dest, created here (its parent
 * must exist). Refuses entries that leave dest (absolute, "..", links
 * pointing out), and entries other than directories, files and symbolic
 * links. 0, or -1 with *why set (caller frees); dest may then hold part
 * of the tree (the caller removes it).
 */
int ocitar_read(const char *archive, const char *dest, char **why);

#endif
