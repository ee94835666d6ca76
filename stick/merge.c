#include "merge.h"

#include <ar.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ocijson.h"
#include "patch.h"
#include "proc.h"
#include "banned.h"

/*
 * ar -M copies each member's header as it finds it, and some components
 * archive their objects with their build time, owner and mode (ncurses'
 * ARFLAGS are -curvU): the fields become what `ar D` (binutils' default)
 * writes, 0 for the time, owner and group and 644 for the mode, so that
 * two builds of a toolchain give the same archive. The symbol table and
 * the long-name table keep their headers.
 */
/*
 * A member's size: the decimal number in its header's 10-byte field
 * (digits, then blanks). False for anything else.
 */
static bool member_size(const struct ar_hdr *h, unsigned long *size)
{
	char field[sizeof(h->ar_size) + 1];
	char *end;

	memcpy(field, h->ar_size, sizeof(h->ar_size));
	field[sizeof(h->ar_size)] = '\0';
	if (field[0] < '0' || field[0] > '9')
		return false;
	*size = strtoul(field, &end, 10);
	return !end[strspn(end, " ")];
}

void merge_normalize_headers(char *ar, size_t len)
{
	const size_t hdr = sizeof(struct ar_hdr);
	size_t at = SARMAG;

	while (at + hdr <= len) {
		struct ar_hdr *h = (struct ar_hdr *)(void *)(ar + at);
		unsigned long size;

		if (!member_size(h, &size) || size > len - at - hdr)
			break;	/* not ar's own output: leave the rest */
		if (h->ar_name[0] != '/' ||
		    (h->ar_name[1] >= '0' && h->ar_name[1] <= '9')) {
			memcpy(h->ar_date, "0           ", sizeof(h->ar_date));
			memcpy(h->ar_uid, "0     ", sizeof(h->ar_uid));
			memcpy(h->ar_gid, "0     ", sizeof(h->ar_gid));
			memcpy(h->ar_mode, "644     ", sizeof(h->ar_mode));
		}
		at += hdr + size + (size & 1);
	}
}

static int normalize_archive(const char *path)
{
	size_t len;
	char *ar = read_file(path, &len);
	int ret;

	if (!ar)
		return error("cannot read the merged archive '%s':", path);
	if (len < SARMAG || memcmp(ar, ARMAG, SARMAG)) {
		free(ar);
		return error("'%s' is not an ar archive; ar -M wrote something "
			     "else", path);
	}
	merge_normalize_headers(ar, len);
	ret = write_file_atomic(path, ar, len);
	free(ar);
	return ret;
}

int merge_archives(const char *out, const struct strvec *libs,
		   const char *log_path)
{
	struct strbuf script = STRBUF_INIT;
	char *script_path = xasprintf("%s.mri", out);
	char *argv[] = { "ar", "-M", NULL };
	struct proc_opts po = { .log_path = log_path };
	int ret;

	strbuf_addf(&script, "CREATE %s\n", out);
	for (size_t i = 0; i < libs->n; i++)
		strbuf_addf(&script, "ADDLIB %s\n", libs->v[i]);
	strbuf_addstr(&script, "SAVE\nEND\n");
	po.stdin_path = script_path;
	ret = write_file_atomic(script_path, script.buf, script.len);
	if (!ret && proc_run(argv, &po) != 0) {
		ret = error("cannot merge the static libraries into '%s'; log: %s",
			out, log_path);
		proc_show_log_tail(log_path);
	}
	if (!ret)
		ret = normalize_archive(out);
	unlink(script_path);
	free(script_path);
	strbuf_release(&script);
	return ret;
}

static void json_strvec(struct strbuf *sb, const struct strvec *sv)
{
	strbuf_addstr(sb, "[");
	for (size_t i = 0; i < sv->n; i++) {
		if (i)
			strbuf_addstr(sb, ", ");
		json_add_str(sb, sv->v[i]);
	}
	strbuf_addstr(sb, "]");
}

static void json_component(struct strbuf *sb, const struct manifest *m,
			   size_t i)
{
	const struct recipe *r = &m->set->items[i];
	char *dir = xasprintf("%s/%s/%s", m->patches_dir, r->name, r->version);
	struct strvec patches = STRVEC_INIT;
	const char *sha = "";

	patch_list(dir, &patches);
	for (size_t k = 0; k < r->nsources; k++) {
		if (!strcmp(r->sources[k].file, m->sources[i]))
			sha = r->sources[k].sha256;
	}
	strbuf_addstr(sb, "    {\"name\": ");
	json_add_str(sb, r->name);
	strbuf_addstr(sb, ", \"version\": ");
	json_add_str(sb, r->version);
	strbuf_addstr(sb, ", \"license\": ");
	json_add_str(sb, r->license);
	strbuf_addstr(sb, ",\n     \"source\": ");
	json_add_str(sb, m->sources[i]);
	strbuf_addstr(sb, ", \"sha256\": ");
	json_add_str(sb, sha);
	strbuf_addstr(sb, ",\n     \"patches\": ");
	json_strvec(sb, &patches);
	strbuf_addstr(sb, ",\n     \"env\": ");
	json_strvec(sb, &r->env);
	strbuf_addstr(sb, ",\n     \"steps\": ");
	json_strvec(sb, &r->steps);
	strbuf_addstr(sb, "}");
	strvec_clear(&patches);
	free(dir);
}

int merge_write_manifest(const char *path, const struct manifest *m)
{
	struct strbuf sb = STRBUF_INIT;
	int ret;

	strbuf_addstr(&sb, "{\n  \"stick_toolchain\": 1,\n  \"key\": ");
	json_add_str(&sb, m->key);
	strbuf_addstr(&sb, ",\n  \"python\": ");
	json_add_str(&sb, m->python_version);
	strbuf_addstr(&sb, ",\n  \"libc\": ");
	json_add_str(&sb, m->libc);
	strbuf_addstr(&sb, ",\n  \"target\": ");
	json_add_str(&sb, m->target);
	strbuf_addstr(&sb, ",\n  \"compiler\": ");
	json_add_str(&sb, m->compiler);
	strbuf_addstr(&sb, ",\n  \"optimization\": ");
	json_add_str(&sb, m->optimization);
	strbuf_addstr(&sb, ",\n  \"components\": [\n");
	for (size_t i = 0; i < m->set->n; i++) {
		json_component(&sb, m, i);
		strbuf_addstr(&sb, i + 1 < m->set->n ? ",\n" : "\n");
	}
	strbuf_addstr(&sb, "  ],\n  \"builtin_modules\": ");
	json_strvec(&sb, m->modules);
	strbuf_addstr(&sb, "\n}\n");
	ret = write_file_atomic(path, sb.buf, sb.len);
	strbuf_release(&sb);
	return ret;
}

int merge_write_times(const char *path, const struct manifest *m)
{
	struct strbuf sb = STRBUF_INIT;
	int ret;

	strbuf_addstr(&sb, "{\n  \"key\": ");
	json_add_str(&sb, m->key);
	strbuf_addf(&sb, ",\n  \"build_seconds\": %.1f,\n  \"components\": [\n",
		m->total_seconds);
	for (size_t i = 0; i < m->set->n; i++) {
		strbuf_addstr(&sb, "    {\"name\": ");
		json_add_str(&sb, m->set->items[i].name);
		strbuf_addf(&sb, ", \"build_seconds\": %.1f}%s\n", m->seconds[i],
			i + 1 < m->set->n ? "," : "");
	}
	strbuf_addstr(&sb, "  ]\n}\n");
	ret = write_file_atomic(path, sb.buf, sb.len);
	strbuf_release(&sb);
	return ret;
}

#define HEX_DIGITS "0123456789abcdefABCDEF"

/*
 * The JSON string at s (after its opening quote), as json_str wrote it; a
 * "\u" escape takes exactly four hex digits (fewer: the 'u' is kept).
 */
static char *json_unquote(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	unsigned int c;

	for (; *s && *s != '"'; s++) {
		if (*s != '\\') {
			strbuf_add(&sb, s, 1);
		} else if (s[1] == 'u' && strspn(s + 2, HEX_DIGITS) >= 4 &&
			   sscanf(s + 2, "%4x", &c) == 1) {
			strbuf_addf(&sb, "%c", (char)c);
			s += 5;
		} else if (s[1]) {
			strbuf_add(&sb, ++s, 1);
		}
	}
	if (*s != '"') {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

char *merge_manifest_field(const char *text, const char *name)
{
	/* Top-level fields alone are indented by two spaces. */
	char *pattern = xasprintf("\n  \"%s\": \"", name);
	const char *at = strstr(text, pattern);
	char *value = at ? json_unquote(at + strlen(pattern)) : NULL;

	free(pattern);
	return value;
}
