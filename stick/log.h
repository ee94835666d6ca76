/*
 * One way to talk to the user. Results go to stdout; chatter (progress,
 * notes) goes to stderr and obeys -q and -v.
 */
#ifndef STICK_LOG_H
#define STICK_LOG_H

#include <stdbool.h>

#include "util.h"

enum log_level {
	LOG_QUIET = 0,
	LOG_NORMAL = 1,
	LOG_VERBOSE = 2,
};

void log_set_level(enum log_level level);
/* True when stderr is a terminal and progress updates may redraw a line. */
bool log_is_tty(void);

/* Clears a step line still open on the terminal before other output. */
void log_break_line(void);

/* log_info() and log_verbose() are declared with die() in util.h. */

/*
 * A long step: step_begin() shows "label ..." on a terminal, step_end()
 * prints the finished line "label ... 2m51s" (or "... failed after 3.1s").
 */
struct step {
	char *label;
	double start;
};
void step_begin(struct step *st, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* Redraws the step's line with a transient status (terminal only). */
void step_status(struct step *st, const char *fmt, ...) PRINTF_LIKE(2, 3);
double step_end(struct step *st, bool ok);

#endif
