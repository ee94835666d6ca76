/*
 * Build metadata: what went into an output, generated at every build by
 * the helper (stick/stickpy/describe.py, from the entries it froze). It
 * is linked into the output (the sections .stick_info, JSON, and
 * .stick_summary, text) for `stick info`, and written next to the output
 * as an SPDX 2.3 SBOM, OUT.sbom.json.
 */
#ifndef STICK_DESCRIBE_H
#define STICK_DESCRIBE_H

#include "kvfile.h"
#include "toolchain.h"
#include "util.h"

/* The ELF sections holding the metadata. */
#define DESCRIBE_SECTION_JSON ".stick_info"
#define DESCRIBE_SECTION_TEXT ".stick_summary"

/*
 * Assembles the files the helper's result names as info-json and
 * info-txt (relative to work) into work/stickinfo.o and appends it to
 * objects. 0, or -1 after a message.
 */
int describe_assemble(const struct toolchain *tc,
		      const struct kvfile *result, const char *work,
		      struct strvec *objects);

/*
 * Writes OUT.sbom.json from the result's sbom-draft with the digest of the
 * finished output in place of the result's sbom-output-digest (the one
 * place the draft holds it: the digest is known only after the link).
 * 0, or -1 after a message.
 */
int describe_write_sbom(const struct kvfile *result, const char *work,
			const char *out);

#endif
