#include "kvfile.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"
#include "banned.h"

void kvfile_add(struct kvfile *kv, const char *key, const char *value)
{
	if (kv->failed)
		return;
	if (!*key || key[strcspn(key, " \r\n")]) {
		error("key '%s' is not one word on one line, which stick "
		      "cannot pass to its helper", key);
		kv->failed = true;
		return;
	}
	if (value[strcspn(value, "\r\n")]) {
		error("'%s' for '%s' holds a line break, which stick cannot "
		      "pass to its helper; rename it", value, key);
		kv->failed = true;
		return;
	}
	if (kv->n == kv->cap) {
		kv->cap = kv->cap ? 2 * kv->cap : 16;
		kv->v = xrealloc(kv->v, kv->cap * sizeof(*kv->v));
	}
	kv->v[kv->n].key = xstrdup(key);
	kv->v[kv->n].value = xstrdup(value);
	kv->n++;
}

void kvfile_add_each(struct kvfile *kv, const char *key, char *const *values,
		     size_t n)
{
	for (size_t i = 0; i < n; i++)
		kvfile_add(kv, key, values[i]);
}

void kvfile_add_flag(struct kvfile *kv, const char *key, bool on)
{
	if (on)
		kvfile_add(kv, key, "");
}

void kvfile_add_opt(struct kvfile *kv, const char *key, const char *value)
{
	if (value)
		kvfile_add(kv, key, value);
}

char *kvfile_format(const struct kvfile *kv)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_addstr(&sb, "");
	for (size_t i = 0; i < kv->n; i++) {
		strbuf_addstr(&sb, kv->v[i].key);
		if (*kv->v[i].value)
			strbuf_addf(&sb, " %s", kv->v[i].value);
		strbuf_addstr(&sb, "\n");
	}
	return strbuf_detach(&sb);
}

int kvfile_write(const struct kvfile *kv, const char *path)
{
	char *text;
	int ret;

	if (kv->failed)
		return error("'%s' not written: a value above cannot be "
			     "passed", path);
	text = kvfile_format(kv);
	ret = write_file_atomic(path, text, strlen(text));

	free(text);
	return ret;
}

/* One line (without its newline); 0 or -1 after a message. */
static int parse_line(const char *where, int number, char *line,
		      struct kvfile *kv)
{
	size_t n = strlen(line);
	char *value;

	while (n && line[n - 1] == '\r')
		line[--n] = '\0';
	if (!line[strspn(line, " \t")] || line[strspn(line, " \t")] == '#')
		return 0;
	if (line[0] == ' ' || line[0] == '\t')
		return error("'%s' line %d: a line must start with a key",
			     where, number);
	value = strchr(line, ' ');
	if (value)
		*value++ = '\0';
	kvfile_add(kv, line, value ? value : "");
	return kv->failed ? -1 : 0;
}

int kvfile_parse(const char *where, const char *text, struct kvfile *kv)
{
	int number = 0;

	while (*text) {
		size_t n = strcspn(text, "\n");
		char *line = xstrndup(text, n);
		int ret = parse_line(where, ++number, line, kv);

		free(line);
		if (ret)
			return -1;
		text += n + (text[n] ? 1 : 0);
	}
	return 0;
}

int kvfile_read(const char *path, struct kvfile *kv)
{
	char *text = read_file(path, NULL);
	int ret;

	if (!text)
		return error("cannot read '%s':", path);
	ret = kvfile_parse(path, text, kv);
	free(text);
	return ret;
}

const char *kvfile_get(const struct kvfile *kv, const char *key)
{
	for (size_t i = 0; i < kv->n; i++) {
		if (!strcmp(kv->v[i].key, key))
			return kv->v[i].value;
	}
	return NULL;
}

bool kvfile_has(const struct kvfile *kv, const char *key)
{
	return kvfile_get(kv, key) != NULL;
}

void kvfile_release(struct kvfile *kv)
{
	for (size_t i = 0; i < kv->n; i++) {
		free(kv->v[i].key);
		free(kv->v[i].value);
	}
	free(kv->v);
	memset(kv, 0, sizeof(*kv));
}
