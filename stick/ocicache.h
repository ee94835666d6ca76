/*
 * The shared cache: entries of $STICK_HOME (toolchains, frozen stdlibs,
 * embed/ objects, compiled tables, C libraries, extension builds) pulled
 * from and pushed to an OCI
 * registry (--cache oci://HOST[:PORT]/REPO or $STICK_CACHE), one OCI
 * artifact per entry tagged by its key. A pulled entry is used only when
 * its blob's sha256 and size match the manifest and its content passes
 * the kind's own check; it is published by the cache API's rename like a
 * local build. Any failure is a warning naming the key and the registry,
 * and the caller builds the entry itself.
 */
#ifndef STICK_OCICACHE_H
#define STICK_OCICACHE_H

#include <stdbool.h>

#include "recipe.h"

/* What an artifact holds: one row of ocicache.c's kind table. */
enum ocicache_kind {
	OCICACHE_TOOLCHAIN,  /* toolchains/KEY */
	OCICACHE_STDLIB,     /* stdlib/KEY */
	OCICACHE_EMBED,      /* embed/TOOLCHAIN/DIGEST */
	OCICACHE_TABLE,      /* embed/TOOLCHAIN/tables/DIGEST.o (one file) */
	OCICACHE_CLIB,       /* clibs/TOOLCHAIN/NAME-VERSION-DIGEST */
	OCICACHE_EXTENSION,  /* extensions/TOOLCHAIN/KEY (stickpy.extensions) */
};

/* The options (cmd_cache.c's setters): --cache URL, --cache-insecure, --cache-push. */
void ocicache_set_url(const char *url);
void ocicache_set_insecure(void);
void ocicache_set_push(void);
/* Checks a URL as --cache would take it: NULL, or why not (caller frees). */
char *ocicache_check_url(const char *url, bool insecure);

/*
 * Settles the configuration: --cache, else $STICK_CACHE (checked
 * here), and the other options' consistency. 0, or -1 after a message.
 */
int ocicache_setup(void);
bool ocicache_enabled(void);
bool ocicache_push_wanted(void);

/*
 * Before an entry final (a path under $STICK_HOME) of kind is built:
 * when a cache is set and final is missing, pulls it into place under
 * the entry's lock. Never fails: whatever goes wrong is a warning, and
 * final is then still missing for the caller to build. Each entry asked
 * for is remembered for ocicache_push_used().
 */
void ocicache_pull(enum ocicache_kind kind, const char *final);
/* The same for a toolchain, whose content must come from set's recipes. */
void ocicache_pull_toolchain(const char *final, const struct recipe_set *set);
/*
 * `stick cache pull ENTRY`: ocicache_pull() of the entry at a path under
 * $STICK_HOME (or a toolchain's key). 0 when it is there afterwards; -1
 * after a message (not an entry, or neither here nor pulled).
 */
int ocicache_pull_entry(const char *entry);
/* Remembers an entry a helper process used, for ocicache_push_used(). */
void ocicache_note_used(enum ocicache_kind kind, const char *final);

/*
 * Pushes one entry (a path under $STICK_HOME, or a toolchain's key):
 * blob and manifest uploaded unless the registry has them; a tag whose
 * manifest differs is an error. 0, or -1 after a message.
 */
int ocicache_push_entry(const char *entry);
/* Pushes every complete entry of every kind in $STICK_HOME. */
int ocicache_push_all(void);
/*
 * Pushes the entries this run asked for (--cache-push), and the C
 * libraries of its toolchains (stick cc-wrap builds them in processes of
 * their own).
 */
int ocicache_push_used(void);

#endif
