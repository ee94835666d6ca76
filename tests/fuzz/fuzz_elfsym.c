/*
 * elfsym.c: an ELF64 object's defined and undefined global symbols and
 * its COMDAT groups (what `stick cc-wrap` reads from every object an
 * extension build makes), on the input's bytes.
 */
#include "fuzz.h"
#include "elfsym.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct strvec syms = STRVEC_INIT;
	size_t groups = 0;
	int defined = elfsym_scan(buf, size, ELFSYM_DEFINED, &syms, NULL);
	int undefined = elfsym_scan(buf, size, ELFSYM_UNDEFINED, &syms, NULL);
	int grouped = elfsym_scan(buf, size, ELFSYM_GROUPS, NULL, &groups);

	/* Groups fail only on a bad header, which fails every reading. */
	if (grouped)
		FUZZ_CHECK(defined && undefined);
	for (size_t i = 0; i < syms.n; i++)
		FUZZ_CHECK(strlen(syms.v[i]) < size);
	strvec_clear(&syms);
	return 0;
}
