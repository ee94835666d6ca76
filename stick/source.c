#include "source.h"

#include <stdlib.h>

#include "extract.h"
#include "log.h"
#include "patch.h"
#include "banned.h"

int source_prepare(const struct recipe *r, const struct fetch_opts *f,
		   const char *patches_dir, const char *dest, const char *log,
		   char **archive)
{
	char *file = NULL;
	struct step st;
	int ret;

	if (fetch_recipe(r, f, &file))
		return -1;
	step_begin(&st, "extract %s %s", r->name, r->version);
	ret = extract_archive_only(file, dest, &r->extract);
	step_end(&st, ret == 0);
	if (!ret)
		ret = patch_apply_all(patches_dir, r->name, r->version, dest, log);
	if (archive)
		*archive = file;
	else
		free(file);
	return ret;
}
