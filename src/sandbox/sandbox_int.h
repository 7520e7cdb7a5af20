/* sandbox_int.h - between the files of the sandbox. */
#ifndef PARTIX_SANDBOX_INT_H
#define PARTIX_SANDBOX_INT_H

/* Loads the partition allowlist; every other call traps.  0 or -1. */
int sandbox_seccomp_load(void);

#endif
