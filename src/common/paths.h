/* paths.h - where the SPM's socket is, for both ends. */
#ifndef PARTIX_PATHS_H
#define PARTIX_PATHS_H

#include <stddef.h>

/*
 * Writes the default client socket path: $PSA_SPM_SOCKET if set, else
 * $XDG_RUNTIME_DIR/partix/spm.sock, else /tmp/partix-<uid>/spm.sock.
 * Returns 0, or -1 if it does not fit.
 */
int partix_default_socket(char *out, size_t size);

#endif
