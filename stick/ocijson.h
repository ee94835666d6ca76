/*
 * The little JSON the OCI cache reads and writes: registry manifests,
 * token answers, ~/.docker/config.json and a toolchain's manifest.json.
 * A strict parser into a tree, and a string escaper for writing.
 */
#ifndef STICK_OCIJSON_H
#define STICK_OCIJSON_H

#include <stddef.h>

#include "util.h"

enum json_type {
	JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_ARRAY, JSON_OBJECT,
};

struct json {
	enum json_type type;
	char *text;            /* a string (decoded), number or "true"/"false" */
	size_t n;              /* items of an array or object */
	char **keys;           /* an object's keys, in order */
	struct json *items;
};

/*
 * Parses len bytes of text; NULL with *why set (caller frees) on any
 * syntax error, nesting deeper than 64 or trailing bytes.
 */
struct json *json_parse(const char *text, size_t len, char **why);
void json_free(struct json *j);

/* obj's member key (the last one of that name), or NULL. */
const struct json *json_get(const struct json *obj, const char *key);
/* obj's member key when it is a string, else NULL. */
const char *json_get_str(const struct json *obj, const char *key);

/* Appends s as a JSON string, quotes included. */
void json_add_str(struct strbuf *sb, const char *s);

#endif
