/*
 * kvfile.c: the `key value` files stick and its helper exchange (requests,
 * results; the stdlib cache keeps both). What parses must format back to
 * text that parses to the same pairs.
 */
#include "fuzz.h"
#include "kvfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_text(data, size);
	struct kvfile kv = KVFILE_INIT, again = KVFILE_INIT;

	if (!kvfile_parse("fuzz", text, &kv)) {
		char *out = kvfile_format(&kv);

		FUZZ_CHECK(!kvfile_parse("fuzz-again", out, &again));
		FUZZ_CHECK(again.n == kv.n);
		for (size_t i = 0; i < kv.n; i++) {
			FUZZ_CHECK(!strcmp(kv.v[i].key, again.v[i].key));
			FUZZ_CHECK(!strcmp(kv.v[i].value, again.v[i].value));
		}
		if (kv.n)
			FUZZ_CHECK(kvfile_get(&kv, kv.v[0].key) == kv.v[0].value);
		free(out);
	}
	kvfile_release(&again);
	kvfile_release(&kv);
	free(text);
	return 0;
}
