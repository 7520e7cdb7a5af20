/* paths.c - the default socket path, and making folders. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

int partix_mkdir_p(const char *path, mode_t mode)
{
    char buf[PATH_MAX];
    size_t i, n = strlen(path);

    if (n == 0 || n >= sizeof(buf)) {
        errno = n == 0 ? EINVAL : ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, path, n + 1);
    for (i = 1; i <= n; i++) {
        if (buf[i] != '/' && buf[i] != '\0')
            continue;
        buf[i] = '\0';
        if (mkdir(buf, mode) < 0 && errno != EEXIST)
            return -1;
        buf[i] = path[i];
    }
    return 0;
}
