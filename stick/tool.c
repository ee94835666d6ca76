#include "tool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "extract.h"
#include "home.h"
#include "banned.h"

int tool_set_load(struct tool_set *set, enum recipe_kind kind)
{
	struct strvec names = STRVEC_INIT;
	char *dir = home_recipe_dir(NULL);
	int ret = recipe_list_kind(dir, kind, &names);

	memset(set, 0, sizeof(*set));
	if (!ret)
		set->items = xcalloc(names.n ? names.n : 1, sizeof(*set->items));
	for (size_t i = 0; !ret && i < names.n; i++) {
		char *path = path_join(dir, names.v[i]);

		ret = recipe_load(path, &set->items[i].recipe);
		set->n++;
		free(path);
	}
	strvec_clear(&names);
	free(dir);
	return ret;
}

/* The digest of the source fetch_recipe chose (its file name in the cache). */
static int source_digest(struct tool *t, const char *file)
{
	const struct recipe *r = &t->recipe;

	for (size_t i = 0; i < r->nsources; i++) {
		if (!strcmp(r->sources[i].file, path_basename(file))) {
			memcpy(t->sha256, r->sources[i].sha256, sizeof(t->sha256));
			return 0;
		}
	}
	return error("'%s' is no source of recipe '%s' (stick's fetch and "
		     "tool code disagree)", file, r->path);
}

/* A cachedir_make_fn: extracts the archive arg, then publishes it. */
static int make_tree(struct cachedir *cd, void *arg)
{
	char *tree = path_join(cd->tmp, "tree");
	int ret = extract_archive(arg, tree);

	if (!ret)
		ret = cachedir_commit(cd, tree);
	free(tree);
	return ret;
}

/* Extracts archive into final once, as a cache entry. */
static int extract_once(const char *archive, const char *final)
{
	struct cachedir cd = CACHEDIR_INIT;

	return cachedir_ensure(&cd, final, "unpacking a build tool", make_tree,
			       (void *)archive, CACHEDIR_REMOVE) ==
		CACHEDIR_ERROR ? -1 : 0;
}

static int tool_ensure(struct tool *t, const struct fetch_opts *f)
{
	const struct recipe *r = &t->recipe;
	char *file = NULL, *parent = path_join(home_dir(), "tools");
	int ret = fetch_recipe(r, f, &file);

	ret = ret ? ret : source_digest(t, file);
	ret = ret ? ret : mkdir_p(parent, 0755);
	if (!ret) {
		/*
		 * ".tree": the trees the helper unpacked before, under the
		 * same names without it, sit one directory deeper.
		 */
		t->root = xasprintf("%s/%s-%s-%.16s.tree", parent, r->name,
				    r->version, t->sha256);
		ret = extract_once(file, t->root);
		if (ret)
			error("cannot extract build tool %s %s from '%s' (recipe "
			      "'%s'); remove the file to fetch it again", r->name,
			      r->version, file, r->path);
	}
	free(file);
	free(parent);
	return ret;
}

int tool_set_ensure(struct tool_set *set, const struct fetch_opts *f)
{
	int ret = 0;

	for (size_t i = 0; !ret && i < set->n; i++)
		ret = tool_ensure(&set->items[i], f);
	return ret;
}

void tool_add_provides(const struct tool_set *set, struct kvfile *req)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct recipe *r = &set->items[i].recipe;
		char *line = xasprintf("%s %s", r->name, r->name);

		kvfile_add(req, "tool-provides", line);
		free(line);
		for (size_t k = 0; k < r->provides.n; k++) {
			line = xasprintf("%s %s", r->name, r->provides.v[k]);
			kvfile_add(req, "tool-provides", line);
			free(line);
		}
	}
}

/* `tool-path NAME DIR` per import root of t (default: its tree). */
static void add_paths(const struct tool *t, struct kvfile *req)
{
	const struct strvec *pp = &t->recipe.pythonpath;

	for (size_t k = 0; k < (pp->n ? pp->n : 1); k++) {
		const char *dir = pp->n ? pp->v[k] : ".";
		char *line = strcmp(dir, ".") ?
			xasprintf("%s %s/%s", t->recipe.name, t->root, dir) :
			xasprintf("%s %s", t->recipe.name, t->root);

		kvfile_add(req, "tool-path", line);
		free(line);
	}
}

void tool_add_request(const struct tool_set *set, struct kvfile *req)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct tool *t = &set->items[i];
		char *line = xasprintf("%s %s %s %s", t->recipe.name,
				       t->recipe.version, t->sha256, t->root);

		kvfile_add(req, "tool", line);
		free(line);
		add_paths(t, req);
	}
	tool_add_provides(set, req);
}

void tool_set_release(struct tool_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		recipe_release(&set->items[i].recipe);
		free(set->items[i].root);
	}
	free(set->items);
	memset(set, 0, sizeof(*set));
}
