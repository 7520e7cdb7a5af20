/* version.h - partix's version: every tool's --version and the pkg-config
 * files (the Makefile reads it from here). */
#ifndef PARTIX_VERSION_H
#define PARTIX_VERSION_H

#define PARTIX_VERSION "0.1.0"

#endif
