/* sandbox_int.h - between the files of the sandbox. */
#ifndef PARTIX_SANDBOX_INT_H
#define PARTIX_SANDBOX_INT_H

/* Loads the partition allowlist, with the storage profile's file calls
 * relative to @p storage_fd when it is not -1; every other call traps.
 * 0 or -1. */
int sandbox_seccomp_load(int storage_fd);

#endif
