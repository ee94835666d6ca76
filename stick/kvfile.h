/*
 * `key value` files: the request stick writes for its Python helper and
 * the result the helper writes back (stick/stickpy/request.py is the
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

/*
 * A value that cannot be written (it holds a line break) is reported when
 * it is added and leaves the file failed: every later add is ignored and
 * kvfile_write refuses it, as a FILE's error indicator stays set until
 * fclose. So building a request is straight-line code with one check.
 */
struct kvfile {
	struct kv *v;
	size_t n, cap;
	bool failed;
};
#define KVFILE_INIT { .v = NULL, .n = 0, .cap = 0, .failed = false }

/*
 * Adds a pair; a value holding a line break, '\n' or '\r' (which the
 * format cannot carry), is reported naming the key and fails the file.
 */
void kvfile_add(struct kvfile *kv, const char *key, const char *value);
/* kvfile_add() of each value, under the same key. */
void kvfile_add_each(struct kvfile *kv, const char *key, char *const *values,
		     size_t n);
/* kvfile_add(key, "") when on: a flag. */
void kvfile_add_flag(struct kvfile *kv, const char *key, bool on);
/* kvfile_add() when value is not NULL. */
void kvfile_add_opt(struct kvfile *kv, const char *key, const char *value);

/* The text of the pairs, one line each (caller frees). */
char *kvfile_format(const struct kvfile *kv);
/*
 * Writes the pairs to path atomically; 0, or -1 after a message (also when
 * an add failed: nothing is written then).
 */
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
