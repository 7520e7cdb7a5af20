/* paths.h - where the SPM's socket is, for both ends; making folders. */
#ifndef PARTIX_PATHS_H
#define PARTIX_PATHS_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Writes the default client socket path: $PSA_SPM_SOCKET if set, else
 * $XDG_RUNTIME_DIR/partix/spm.sock, else /tmp/partix-<uid>/spm.sock.
 * Returns 0, or -1 if it does not fit.
 */
int partix_default_socket(char *out, size_t size);

/*
 * mkdir -p: creates @p path and any missing parent, each new one with
 * @p mode (existing ones are left as they are).  Returns 0, or -1 with errno.
 */
int partix_mkdir_p(const char *path, mode_t mode);

#endif
