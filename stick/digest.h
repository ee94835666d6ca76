/* SHA-256 of files, through libcrypto. */
#ifndef STICK_DIGEST_H
#define STICK_DIGEST_H

#include <stdbool.h>
#include <stddef.h>

/* True when s is exactly 64 lowercase hex digits. */
bool digest_is_sha256(const char *s);
/* Hashes len bytes of data into hex (65 bytes). */
void digest_buffer(const void *data, size_t len, char hex[65]);
/* Hashes the file into hex (65 bytes); 0, or -1 with a message. */
int digest_file(const char *path, char hex[65]);
/*
 * 0 when the file's SHA-256 equals expected. Otherwise -1 after an error
 * naming the file, the expected and the actual digest. actual_out, when
 * not NULL, receives the actual digest (65 bytes).
 */
int digest_verify(const char *path, const char *expected, char *actual_out);

#endif
