#include "digest.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util.h"
#include "banned.h"

bool digest_is_sha256(const char *s)
{
	size_t i;

	for (i = 0; s[i]; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return i == 64;
}

static int hash_fd(int fd, unsigned char md[32])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char buf[1 << 16];
	unsigned int mdlen = 0;
	ssize_t n;
	int ret = 0;

	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		ret = -1;
	while (!ret && (n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || !EVP_DigestUpdate(ctx, buf, (size_t)n))
			ret = -1;
	}
	if (!ret && !EVP_DigestFinal_ex(ctx, md, &mdlen))
		ret = -1;
	EVP_MD_CTX_free(ctx);
	return ret;
}

static void to_hex(const unsigned char md[32], char hex[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
}

void digest_buffer(const void *data, size_t len, char hex[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;

	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL))
		die("libcrypto cannot compute a sha256");
	to_hex(md, hex);
}

int digest_file(const char *path, char hex[65])
{
	unsigned char md[32];
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return error("cannot open '%s' to check its sha256:", path);
	if (hash_fd(fd, md)) {
		close(fd);
		return error("cannot compute the sha256 of '%s':", path);
	}
	close(fd);
	to_hex(md, hex);
	return 0;
}

int digest_verify(const char *path, const char *expected, char *actual_out)
{
	char actual[65];

	if (digest_file(path, actual))
		return -1;
	if (actual_out)
		memcpy(actual_out, actual, sizeof(actual));
	if (strcmp(actual, expected) == 0)
		return 0;
	return error("sha256 mismatch for '%s'\n"
		"  expected: %s\n"
		"  actual:   %s\n"
		"  the file is corrupt or not the pinned release; "
		"remove it or fix the recipe", path, expected, actual);
}
