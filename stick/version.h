/* stick's version, printed by --version and recorded in every output. */
#ifndef STICK_VERSION_H
#define STICK_VERSION_H

#ifndef STICK_VERSION
#define STICK_VERSION "0.1.0"
#endif

#endif
