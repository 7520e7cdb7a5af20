/* paths.c - the default socket path. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "paths.h"

int partix_default_socket(char *out, size_t size)
{
    const char *env = getenv("PSA_SPM_SOCKET");
    const char *run = getenv("XDG_RUNTIME_DIR");
    int n;

    if (env != NULL && env[0] != '\0')
        n = snprintf(out, size, "%s", env);
    else if (run != NULL && run[0] != '\0')
        n = snprintf(out, size, "%s/partix/spm.sock", run);
    else
        n = snprintf(out, size, "/tmp/partix-%u/spm.sock", (unsigned)getuid());
    return n < 0 || (size_t)n >= size ? -1 : 0;
}
