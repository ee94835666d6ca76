/* Where stick keeps its cache and finds its recipes and patches. */
#ifndef STICK_HOME_H
#define STICK_HOME_H

/* $STICK_HOME, else $XDG_CACHE_HOME/stick, else ~/.cache/stick. */
const char *home_dir(void);
/* home_dir()/sources */
const char *home_sources_dir(void);
/*
 * The directory holding thirdparty/, patches/, embed/ and scripts/:
 * $STICK_DATADIR, else the checkout bin/stick was built in, else the
 * installed share/stick. NULL after an error message when none exists.
 */
const char *home_data_dir(void);

#endif
