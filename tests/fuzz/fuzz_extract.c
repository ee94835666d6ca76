/*
 * extract.c: the input unpacked as an archive (tar, gzip, xz, bzip2, zip)
 * by extract_archive_only(), as `stick unpack` unpacks a source or an
 * sdist, into a private sandbox ($STICK_FUZZ_TMP, else /dev/shm or /tmp;
 * `make fuzz` runs this target as an unprivileged user). Afterwards
 * nothing may exist outside the destination, no link in it may resolve
 * outside it, no set-id bit or special file may be in it, its owner must
 * be able to remove it (directories rwx, files rw), and a refused archive
 * leaves no destination and no temporary behind.
 */
#include <ftw.h>
#include <dirent.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "extract.h"
#include "util.h"

static char sandbox[PATH_MAX], archive[PATH_MAX], root[PATH_MAX];
static char dest[PATH_MAX], dest_real[PATH_MAX];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *base = getenv("STICK_FUZZ_TMP");

	if (!base)
		base = access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm";
	snprintf(sandbox, sizeof(sandbox), "%s/stick-fuzz-extract-XXXXXX", base);
	if (!mkdtemp(sandbox)) {
		perror(sandbox);
		exit(1);
	}
	snprintf(archive, sizeof(archive), "%s/in", sandbox);
	snprintf(root, sizeof(root), "%s/root", sandbox);
	snprintf(dest, sizeof(dest), "%s/dest", root);
	return 0;
}

/* Only the names in allowed (NULL-terminated) are in dir. */
static void check_listing(const char *dir, const char *const *allowed)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	FUZZ_CHECK(d);
	while ((de = readdir(d))) {
		int ok = !strcmp(de->d_name, ".") || !strcmp(de->d_name, "..");

		for (size_t i = 0; allowed[i]; i++)
			ok |= !strcmp(de->d_name, allowed[i]);
		if (!ok)
			fprintf(stderr, "fuzz: '%s' in '%s'\n", de->d_name, dir);
		FUZZ_CHECK(ok);
	}
	closedir(d);
}

static int check_entry(const char *path, const struct stat *st, int flag,
		       struct FTW *ftw)
{
	char resolved[PATH_MAX];
	size_t n = strlen(dest_real);

	FUZZ_CHECK(S_ISREG(st->st_mode) || S_ISDIR(st->st_mode) ||
		   S_ISLNK(st->st_mode));
	FUZZ_CHECK(!(st->st_mode & (S_ISUID | S_ISGID)));
	if (S_ISDIR(st->st_mode))
		FUZZ_CHECK((st->st_mode & 0700) == 0700);
	else if (S_ISREG(st->st_mode))
		FUZZ_CHECK((st->st_mode & 0600) == 0600);
	if (flag == FTW_SL && realpath(path, resolved))
		FUZZ_CHECK(!strncmp(resolved, dest_real, n) &&
			   (resolved[n] == '/' || !resolved[n]));
	return 0;
}

static int open_up(const char *path, const struct stat *st, int flag,
		   struct FTW *ftw)
{
	if (flag == FTW_D || flag == FTW_DNR)
		chmod(path, 0700);
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int flag,
		      struct FTW *ftw)
{
	return remove(path) ? -1 : 0;
}

/* Removes root whatever modes the archive gave its directories. */
static void clear_root(void)
{
	nftw(root, open_up, 16, FTW_PHYS);
	FUZZ_CHECK(!nftw(root, remove_one, 16, FTW_PHYS | FTW_DEPTH) ||
		   access(root, F_OK));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const in_sandbox[] = { "in", "root", NULL };
	static const char *const in_root[] = { ".locks", "dest", NULL };
	char *paths[] = { "src", "include/x.h" };
	struct strvec only = { paths, 2, 2 };
	FILE *f = fopen(archive, "wb");
	int ret;

	FUZZ_CHECK(f && fwrite(data, 1, size, f) == size && !fclose(f));
	FUZZ_CHECK(!mkdir(root, 0755));
	/* A recipe's `extract` paths when the last byte is odd. */
	ret = extract_archive_only(archive, dest,
				   size && data[size - 1] & 1 ? &only : NULL);
	check_listing(sandbox, in_sandbox);
	check_listing(root, in_root);
	if (ret) {
		FUZZ_CHECK(access(dest, F_OK));
	} else {
		FUZZ_CHECK(realpath(dest, dest_real));
		FUZZ_CHECK(!nftw(dest, check_entry, 16, FTW_PHYS));
	}
	clear_root();
	return 0;
}
