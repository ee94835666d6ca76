/*
 * The pinned build tools: recipes of kind tool in thirdparty/ (pip,
 * setuptools, cython, flit), pure Python, never built. Each source is
 * fetched and verified like a toolchain component's (fetch.h, so the
 * source cache, --sources and --mirror apply) and extracted once
 * (extract.h) into $STICK_HOME/tools/<name>-<version>-<digest>.tree/, a
 * temporary directory renamed into place. The helper receives them as
 * request lines (tool_add_request) and imports them from there.
 */
#ifndef STICK_TOOL_H
#define STICK_TOOL_H

#include "fetch.h"
#include "kvfile.h"
#include "recipe.h"

struct tool {
	struct recipe recipe;
	char sha256[65];        /* of the verified source; "" until fetched */
	char *root;             /* its extracted tree, or NULL until then */
};

/* Every tool, in the order of their recipes' file names. */
struct tool_set {
	struct tool *items;
	size_t n;
};

/*
 * Loads every recipe of kind (RECIPE_TOOL: the build tools; RECIPE_DATA:
 * what options embed, such as tzdata). 0, or -1 after a message.
 */
int tool_set_load(struct tool_set *set, enum recipe_kind kind);

/*
 * Fetches, verifies and extracts (once) every tool of set, filling
 * sha256 and root. 0, or -1 after a message naming the tool.
 */
int tool_set_ensure(struct tool_set *set, const struct fetch_opts *f);

/*
 * Adds `tool-provides NAME DIST` for each distribution a tool provides
 * at its version (its own name first, then its recipe's `provides`).
 */
void tool_add_provides(const struct tool_set *set, struct kvfile *req);

/*
 * Adds, per tool of an ensured set, `tool NAME VERSION SHA256 ROOT`,
 * `tool-path NAME DIR` per import root (its recipe's `pythonpath`,
 * absolute) and its `tool-provides` lines.
 */
void tool_add_request(const struct tool_set *set, struct kvfile *req);

void tool_set_release(struct tool_set *set);

#endif
