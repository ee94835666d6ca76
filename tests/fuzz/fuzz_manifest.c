/*
 * merge.c's reading of a toolchain's manifest.json (the fields stick
 * reads back: key, python, libc, compiler, optimization).
 */
#include "fuzz.h"
#include "merge.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const fields[] = {
		"key", "python", "libc", "compiler", "optimization",
	};
	char *text = fuzz_text(data, size);

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		char *value = merge_manifest_field(text, fields[i]);

		if (value)
			FUZZ_CHECK(strlen(value) <= size);
		free(value);
	}
	free(text);
	return 0;
}
