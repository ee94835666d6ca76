/*
 * recipe.c: a recipe (thirdparty/, tests/projects, tests/sdists), parsed
 * for a toolchain with the options the input's length picks. The file
 * name is the input's first `name` line, so whole recipes can pass.
 */
#include "fuzz.h"
#include "digest.h"
#include "recipe.h"

/* "fuzz/NAME" for the first "name NAME" line (NAME at most 64 bytes). */
static void recipe_path(const char *text, char *path, size_t len)
{
	const char *at = !strncmp(text, "name ", 5) ? text :
		strstr(text, "\nname ");

	snprintf(path, len, "fuzz/recipe");
	if (at) {
		at += *at == '\n';
		snprintf(path, len, "fuzz/%.*s", (int)strcspn(at + 5, " \t\r\n"),
			 at + 5);
	}
}

static void check_recipe(const struct recipe *r)
{
	FUZZ_CHECK(r->name && r->version && r->license && r->nsources);
	for (size_t i = 0; i < r->nsources; i++) {
		const struct recipe_source *s = &r->sources[i];

		FUZZ_CHECK(digest_is_sha256(s->sha256));
		FUZZ_CHECK(*s->file && !strchr(s->file, '/'));
		for (size_t k = 0; k < s->urls.n; k++)
			FUZZ_CHECK(!strncmp(s->urls.v[k], "http", 4));
	}
	for (size_t i = 0; i < r->steps.n; i++) {
		struct strvec words = STRVEC_INIT;

		recipe_split(r->steps.v[i], &words);
		strvec_clear(&words);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	char path[80];
	struct recipe r;

	recipe_path(text, path, sizeof(path));
	if (!recipe_parse_with(path, text, (unsigned)(size & 3), &r))
		check_recipe(&r);
	recipe_release(&r);
	free(text);
	return 0;
}
