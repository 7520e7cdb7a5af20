/*
 * storage_file.c - whole files of a storage partition's directory:
 * replaced (src/common/durable_file.c's protocol, logged), removed, scanned
 * (see storage_shared.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "durable_file.h"
#include "storage_shared.h"
#include "tfm_sp_log.h"

int storage_file_replace(int dir, const char *name, const uint8_t *buf, size_t len)
{
    switch (partix_file_replace(dir, name, buf, len)) {
    case PARTIX_FILE_OK:
        return 0;
    case PARTIX_FILE_NOT_DURABLE:
        LOG_ERRFMT("cannot sync the directory after replacing %s: %s\n", name, strerror(errno));
        return 1;
    default:
        LOG_ERRFMT("cannot replace %s: %s\n", name, strerror(errno));
        return -1;
    }
}

int storage_file_remove(int dir, const char *name)
{
    if (unlinkat(dir, name, 0) < 0 && errno != ENOENT) {
        LOG_ERRFMT("cannot remove %s: %s\n", name, strerror(errno));
        return -1;
    }
    if (fsync(dir) < 0) {
        LOG_ERRFMT("cannot sync the directory: %s\n", strerror(errno));
        return 1;
    }
    return 0;
}

static int is_tmp(const char *name)
{
    size_t n = strlen(name), s = strlen(STORAGE_TMP_SUFFIX);

    return n > s && strcmp(name + n - s, STORAGE_TMP_SUFFIX) == 0;
}

int storage_dir_scan(int dir, void (*fn)(const char *name, void *arg), void *arg)
{
    static char buf[4096];
    long n;
    int fd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

    if (fd < 0)
        return -1;
    while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
        for (long off = 0; off < n;) {
            struct dirent64 *d = (struct dirent64 *)(void *)(buf + off);

            off += d->d_reclen;
            if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
                continue;
            if (is_tmp(d->d_name)) {
                /* a replacement that never completed: the file keeps its
                 * old contents */
                if (unlinkat(dir, d->d_name, 0) < 0)
                    LOG_ERRFMT("cannot remove stale %s: %s\n", d->d_name, strerror(errno));
                continue;
            }
            fn(d->d_name, arg);
        }
    }
    close(fd);
    if (n < 0)
        return -1;
    /* the removals of stale files are durable before anything else happens */
    fsync(dir);
    return 0;
}
