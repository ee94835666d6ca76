/*
 * The ar member walks: merge.c's header normalization of the merged
 * libstickpython.a, and `stick info`'s search for its metadata section in
 * an ELF file or in the members of an archive (cmd_info.c).
 */
#include "fuzz.h"
#include "cmd.h"
#include "describe.h"
#include "merge.h"

static void check_section(const uint8_t *data, size_t size, const char *name)
{
	size_t n = 0;
	const char *s = info_find_section((const char *)data, size, name, &n);

	if (s)
		FUZZ_CHECK(s >= (const char *)data &&
			   n <= size - (size_t)(s - (const char *)data));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *once = fuzz_copy(data, size);
	char *twice;

	merge_normalize_headers(once, size);
	/* Normalizing a normalized archive changes nothing. */
	twice = fuzz_copy((const uint8_t *)once, size);
	merge_normalize_headers(twice, size);
	FUZZ_CHECK(!memcmp(once, twice, size));
	free(twice);
	free(once);
	check_section(data, size, DESCRIBE_SECTION_JSON);
	check_section(data, size, DESCRIBE_SECTION_TEXT);
	return 0;
}
