/* Where stick keeps its cache and finds its recipes and patches. */
#ifndef STICK_HOME_H
#define STICK_HOME_H

/* $STICK_HOME, else $XDG_CACHE_HOME/stick, else ~/.cache/stick. */
const char *home_dir(void);
/* home_dir()/sources */
const char *home_sources_dir(void);
/*
 * The directory holding thirdparty/, patches/, embed/ and scripts/:
 * $STICK_DATADIR, else the checkout bin/stick was built in, else
 * ../share/stick from the binary (`make install`). Never NULL: without
 * one, stick cannot do anything that needs it, so this dies saying what
 * to do.
 */
const char *home_data_dir(void);
/*
 * home_data_dir()/thirdparty, caller frees; with a Python version (NULL
 * when the user named components), NULL after a message listing the
 * known versions when no recipe for it exists.
 */
char *home_recipe_dir(const char *python);

#endif
