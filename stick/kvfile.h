/*
 * `key value` files: the request stick writes for its Python helper and
 * the result the helper writes back (scripts/stickpy/request.py is the
 * other side). One pair a line: the key is the first word, the value the
 * rest of the line after one space (it may be empty or hold spaces, never
 * a line break); a key may repeat; blank lines and lines starting with '#'
 * are skipped.
 */
#ifndef STICK_KVFILE_H
#define STICK_KVFILE_H

#include <stdbool.h>
#include <stddef.h>

struct kv {
	char *key;
	char *value;
};

struct kvfile {
	struct kv *v;
	size_t n, cap;
};
#define KVFILE_INIT { NULL, 0, 0 }

/*
 * Adds a pair; 0, or -1 after a message naming the key when the value
 * holds a line break, '\n' or '\r' (which the format cannot carry).
 */
int kvfile_add(struct kvfile *kv, const char *key, const char *value);
/* kvfile_add() of each value, under the same key. */
int kvfile_add_each(struct kvfile *kv, const char *key, char *const *values,
		    size_t n);

/* The text of the pairs, one line each (caller frees). */
char *kvfile_format(const struct kvfile *kv);
/* Writes the pairs to path atomically; 0 or -1 after a message. */
int kvfile_write(const struct kvfile *kv, const char *path);

/* Parses text (named where in messages); 0 or -1 after a message. */
int kvfile_parse(const char *where, const char *text, struct kvfile *kv);
/* Reads and parses path; 0 or -1 after a message. */
int kvfile_read(const char *path, struct kvfile *kv);

/* The first value of key, or NULL. */
const char *kvfile_get(const struct kvfile *kv, const char *key);
bool kvfile_has(const struct kvfile *kv, const char *key);

void kvfile_release(struct kvfile *kv);

#endif
