/*
 * storage_file.c - whole files of a storage partition's directory: read,
 * replaced atomically and durably, removed, scanned (see storage_shared.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "storage_shared.h"
#include "tfm_sp_log.h"

void storage_put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

void storage_put64(uint8_t *p, uint64_t v)
{
    storage_put32(p, (uint32_t)v);
    storage_put32(p + 4, (uint32_t)(v >> 32));
}

uint32_t storage_get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint64_t storage_get64(const uint8_t *p)
{
    return (uint64_t)storage_get32(p + 4) << 32 | storage_get32(p);
}

static int read_all(int fd, uint8_t *buf, size_t n)
{
    while (n > 0) {
        ssize_t r = read(fd, buf, n);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        buf += r;
        n -= (size_t)r;
    }
    return 0;
}

static int write_all(int fd, const uint8_t *buf, size_t n)
{
    while (n > 0) {
        ssize_t r = write(fd, buf, n);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        buf += r;
        n -= (size_t)r;
    }
    return 0;
}

ssize_t storage_file_read(int dir, const char *name, uint8_t *buf, size_t max)
{
    struct stat st;
    ssize_t rc = -1;
    int fd = openat(dir, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

    if (fd < 0)
        return -1;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        errno = EINVAL;
        goto out;
    }
    if (st.st_size > (off_t)max) {
        errno = EFBIG;
        goto out;
    }
    if (read_all(fd, buf, (size_t)st.st_size) < 0) {
        errno = EIO;
        goto out;
    }
    rc = (ssize_t)st.st_size;
out:
    close(fd);
    return rc;
}

int storage_file_replace(int dir, const char *name, const uint8_t *buf, size_t len)
{
    char tmp[STORAGE_NAME_MAX + 1];
    int fd;

    snprintf(tmp, sizeof(tmp), "%s%s", name, STORAGE_TMP_SUFFIX);
    fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        LOG_ERRFMT("cannot create %s: %s\n", tmp, strerror(errno));
        return -1;
    }
    /* the new file is complete on disk before it replaces the old one, and
     * the rename is on disk before the caller hears of success */
    if (write_all(fd, buf, len) < 0 || fsync(fd) < 0) {
        LOG_ERRFMT("cannot write %s: %s\n", tmp, strerror(errno));
        close(fd);
        unlinkat(dir, tmp, 0);
        return -1;
    }
    close(fd);
    if (renameat(dir, tmp, dir, name) < 0) {
        LOG_ERRFMT("cannot rename %s: %s\n", tmp, strerror(errno));
        unlinkat(dir, tmp, 0);
        return -1;
    }
    if (fsync(dir) < 0) {
        LOG_ERRFMT("cannot sync the directory: %s\n", strerror(errno));
        return 1;
    }
    return 0;
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
