#include "ocijson.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "banned.h"

#define JSON_MAX_DEPTH 64

struct parser {
	const char *start, *p, *end;
	char *why;
};

static bool fail(struct parser *ps, const char *what)
{
	if (!ps->why)
		ps->why = xasprintf("%s at byte %zu", what,
				    (size_t)(ps->p - ps->start));
	return false;
}

static void skip_ws(struct parser *ps)
{
	while (ps->p < ps->end && strchr(" \t\r\n", *ps->p) && *ps->p)
		ps->p++;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool read_u4(struct parser *ps, unsigned *u)
{
	*u = 0;
	if (ps->end - ps->p < 4)
		return fail(ps, "a short \\u escape");
	for (int i = 0; i < 4; i++) {
		int v = hexval(*ps->p++);

		if (v < 0)
			return fail(ps, "a bad \\u escape");
		*u = *u * 16 + (unsigned)v;
	}
	return true;
}

static void add_utf8(struct strbuf *sb, unsigned u)
{
	char b[4];
	size_t n;

	if (u < 0x80) {
		b[0] = (char)u; n = 1;
	} else if (u < 0x800) {
		b[0] = (char)(0xc0 | u >> 6); b[1] = (char)(0x80 | (u & 63)); n = 2;
	} else if (u < 0x10000) {
		b[0] = (char)(0xe0 | u >> 12); b[1] = (char)(0x80 | (u >> 6 & 63));
		b[2] = (char)(0x80 | (u & 63)); n = 3;
	} else {
		b[0] = (char)(0xf0 | u >> 18); b[1] = (char)(0x80 | (u >> 12 & 63));
		b[2] = (char)(0x80 | (u >> 6 & 63)); b[3] = (char)(0x80 | (u & 63));
		n = 4;
	}
	strbuf_add(sb, b, n);
}

static bool escape(struct parser *ps, struct strbuf *sb)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *at;
	unsigned u, lo;

	if (ps->p >= ps->end)
		return fail(ps, "an unterminated string");
	if ((at = strchr(from, *ps->p)) && *ps->p) {
		strbuf_add(sb, &to[at - from], 1);
		ps->p++;
		return true;
	}
	if (*ps->p++ != 'u' || !read_u4(ps, &u))
		return fail(ps, "a bad escape");
	if (u >= 0xd800 && u < 0xdc00) {
		if (ps->end - ps->p < 2 || ps->p[0] != '\\' || ps->p[1] != 'u')
			return fail(ps, "a lone surrogate");
		ps->p += 2;
		if (!read_u4(ps, &lo) || lo < 0xdc00 || lo > 0xdfff)
			return fail(ps, "a bad surrogate pair");
		u = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
	}
	if (!u)
		return fail(ps, "a NUL in a string");
	add_utf8(sb, u);
	return true;
}

static bool parse_string(struct parser *ps, char **out)
{
	struct strbuf sb = STRBUF_INIT;

	ps->p++; /* the opening quote */
	strbuf_addstr(&sb, "");
	while (ps->p < ps->end && *ps->p != '"') {
		unsigned char c = (unsigned char)*ps->p++;

		if (c < 0x20 || (c == '\\' && !escape(ps, &sb))) {
			strbuf_release(&sb);
			return fail(ps, "a bad character in a string");
		}
		if (c != '\\')
			strbuf_add(&sb, &c, 1);
	}
	if (ps->p >= ps->end) {
		strbuf_release(&sb);
		return fail(ps, "an unterminated string");
	}
	ps->p++;
	*out = strbuf_detach(&sb);
	return true;
}

static bool parse_value(struct parser *ps, struct json *j, int depth);

static void push_item(struct json *j, char *key)
{
	j->items = xrealloc(j->items, (j->n + 1) * sizeof(*j->items));
	memset(&j->items[j->n], 0, sizeof(*j->items));
	if (j->type == JSON_OBJECT) {
		j->keys = xrealloc(j->keys, (j->n + 1) * sizeof(*j->keys));
		j->keys[j->n] = key;
	}
	j->n++;
}

/* An array or an object, after its opening bracket. */
static bool parse_container(struct parser *ps, struct json *j, int depth)
{
	char close = j->type == JSON_ARRAY ? ']' : '}';

	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return true;
	}
	for (;;) {
		char *key = NULL;

		skip_ws(ps);
		if (j->type == JSON_OBJECT) {
			if (ps->p >= ps->end || *ps->p != '"' ||
			    !parse_string(ps, &key))
				return fail(ps, "an object key expected");
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p++ != ':') {
				free(key);
				return fail(ps, "':' expected");
			}
		}
		push_item(j, key);
		if (!parse_value(ps, &j->items[j->n - 1], depth + 1))
			return false;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p++ == close)
			return true;
		return fail(ps, "',' or a closing bracket expected");
	}
}

static bool parse_word(struct parser *ps, struct json *j)
{
	static const char *const words[] = { "true", "false", "null" };
	const char *start = ps->p;

	for (size_t i = 0; i < ARRAY_SIZE(words); i++) {
		size_t n = strlen(words[i]);

		if ((size_t)(ps->end - ps->p) >= n && !memcmp(ps->p, words[i], n)) {
			ps->p += n;
			j->type = i < 2 ? JSON_BOOL : JSON_NULL;
			j->text = xstrdup(words[i]);
			return true;
		}
	}
	while (ps->p < ps->end && *ps->p && strchr("+-0123456789.eE", *ps->p))
		ps->p++;
	if (ps->p == start)
		return fail(ps, "a value expected");
	j->type = JSON_NUMBER;
	j->text = xstrndup(start, (size_t)(ps->p - start));
	return true;
}

static bool parse_value(struct parser *ps, struct json *j, int depth)
{
	if (depth > JSON_MAX_DEPTH)
		return fail(ps, "nesting too deep");
	skip_ws(ps);
	if (ps->p >= ps->end)
		return fail(ps, "a value expected");
	switch (*ps->p) {
	case '"':
		j->type = JSON_STRING;
		return parse_string(ps, &j->text);
	case '[':
	case '{':
		j->type = *ps->p++ == '[' ? JSON_ARRAY : JSON_OBJECT;
		return parse_container(ps, j, depth);
	}
	return parse_word(ps, j);
}

static void json_clear(struct json *j)
{
	for (size_t i = 0; i < j->n; i++) {
		json_clear(&j->items[i]);
		if (j->keys)
			free(j->keys[i]);
	}
	free(j->items);
	free(j->keys);
	free(j->text);
}

void json_free(struct json *j)
{
	if (j)
		json_clear(j);
	free(j);
}

struct json *json_parse(const char *text, size_t len, char **why)
{
	struct parser ps = { .start = text, .p = text, .end = text + len, .why = NULL };
	struct json *j = xcalloc(1, sizeof(*j));
	bool ok = parse_value(&ps, j, 0);

	if (ok) {
		skip_ws(&ps);
		if (ps.p != ps.end)
			ok = fail(&ps, "bytes after the value");
	}
	if (ok)
		return j;
	json_free(j);
	*why = ps.why;
	return NULL;
}

const struct json *json_get(const struct json *obj, const char *key)
{
	const struct json *found = NULL;

	for (size_t i = 0; obj && obj->type == JSON_OBJECT && i < obj->n; i++) {
		if (!strcmp(obj->keys[i], key))
			found = &obj->items[i];
	}
	return found;
}

const char *json_get_str(const struct json *obj, const char *key)
{
	const struct json *v = json_get(obj, key);

	return v && v->type == JSON_STRING ? v->text : NULL;
}

void json_add_str(struct strbuf *sb, const char *s)
{
	strbuf_addstr(sb, "\"");
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			strbuf_addf(sb, "\\%c", c);
		else if (c < 0x20)
			strbuf_addf(sb, "\\u%04x", c);
		else
			strbuf_add(sb, &c, 1);
	}
	strbuf_addstr(sb, "\"");
}
