/*
 * extract.c's entry checks, on the input as "NAME\0TARGET": the cleaned
 * entry path and whether a symbolic link NAME -> TARGET stays inside the
 * tree, compared with a separate implementation of the same rules.
 */
#include "fuzz.h"
#include "extract.h"
#include "util.h"

/* Whether name has a component equal to what (n bytes). */
static int has_component(const char *name, const char *what, size_t n)
{
	for (const char *p = name; ; p++) {
		size_t len = strcspn(p, "/");

		if (len == n && !strncmp(p, what, n))
			return 1;
		p += len;
		if (!*p)
			return 0;
	}
}

/* The lexical rule: from entry's directory, ".." never above the root. */
static int ref_inside(const char *entry, const char *target)
{
	size_t depth = 0;

	if (!*target || *target == '/')
		return 0;
	for (const char *p = strchr(entry, '/'); p; p = strchr(p + 1, '/'))
		depth++;
	for (const char *p = target; *p; ) {
		size_t len = strcspn(p, "/");

		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (!depth)
				return 0;
			depth--;
		} else if (len && !(len == 1 && *p == '.')) {
			depth++;
		}
		p += len + (p[len] == '/');
	}
	return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	size_t n = strlen(text);
	const char *target = n < size ? text + n + 1 : "";
	char *clean = extract_safe_path(text);
	int refused = !*text || *text == '/' || has_component(text, "..", 2);

	if (clean) {
		FUZZ_CHECK(!refused);
		FUZZ_CHECK(*clean && *clean != '/' && !strstr(clean, "//"));
		FUZZ_CHECK(clean[strlen(clean) - 1] != '/');
		FUZZ_CHECK(!has_component(clean, ".", 1));
		FUZZ_CHECK(!has_component(clean, "..", 2));
		FUZZ_CHECK(extract_link_is_inside(clean, target) ==
			   ref_inside(clean, target));
	}
	free(clean);
	free(text);
	return 0;
}
