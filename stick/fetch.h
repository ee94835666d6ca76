/*
 * Stage 1, fetch: make one source artifact of a component present and
 * verified in the source cache, downloading it with libcurl when needed.
 */
#ifndef STICK_FETCH_H
#define STICK_FETCH_H

#include "recipe.h"
#include "util.h"

struct fetch_opts {
	const char *cache_dir;    /* the source cache, created if missing */
	const char *sources_dir;  /* --sources DIR, or NULL */
	struct strvec mirrors;    /* base URLs tried before the recipe's URLs */
	int retries;              /* further attempts per URL after a failure */
	long connect_timeout;     /* seconds */
	long low_speed_time;      /* abort when under 1 KiB/s for this long */
};
#define FETCH_OPTS_INIT { .mirrors = STRVEC_INIT, .retries = 3, \
			  .connect_timeout = 30, .low_speed_time = 60 }

/*
 * Finds a verified copy of one of r's sources: first in opts->sources_dir
 * and the cache (no network), then by downloading each source from every
 * mirror (mirror/FILE) and then its own URLs. On success *path is the
 * verified file in the cache (caller frees) and 0 is returned; otherwise
 * -1 after a message saying what was tried.
 */
int fetch_recipe(const struct recipe *r, const struct fetch_opts *opts,
		 char **path);

void fetch_opts_release(struct fetch_opts *opts);

#endif
