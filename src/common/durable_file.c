/* durable_file.c - see durable_file.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "durable_file.h"

uint32_t partix_crc32(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint32_t c = 0xffffffffu;

    for (size_t i = 0; i < n; i++) {
        c ^= b[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1u)));
    }
    return ~c;
}

void partix_put_le32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

uint32_t partix_get_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void partix_put_le64(uint8_t *p, uint64_t v)
{
    partix_put_le32(p, (uint32_t)v);
    partix_put_le32(p + 4, (uint32_t)(v >> 32));
}

uint64_t partix_get_le64(const uint8_t *p)
{
    return (uint64_t)partix_get_le32(p + 4) << 32 | partix_get_le32(p);
}

static int write_all(int fd, const uint8_t *buf, size_t n)
{
    while (n > 0) {
        ssize_t r = write(fd, buf, n);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r == 0)
                errno = EIO;
            return -1;
        }
        buf += r;
        n -= (size_t)r;
    }
    return 0;
}

enum partix_file_result partix_file_replace(int dir, const char *name, const void *buf, size_t len)
{
    char tmp[NAME_MAX + 1];
    int fd, err;

    if ((size_t)snprintf(tmp, sizeof(tmp), "%s" PARTIX_TMP_SUFFIX, name) >= sizeof(tmp)) {
        errno = ENAMETOOLONG;
        return PARTIX_FILE_UNCHANGED;
    }
    /* O_NONBLOCK: a FIFO in its place fails (ENXIO) instead of blocking
     * the service for good; on a regular file it changes nothing */
    fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
    if (fd < 0)
        return PARTIX_FILE_UNCHANGED;
    /* the new file is complete on disk before it replaces the old one, and
     * the rename is on disk before the caller hears of success */
    if (write_all(fd, buf, len) < 0 || fsync(fd) < 0) {
        err = errno;
        close(fd);
        unlinkat(dir, tmp, 0);
        errno = err;
        return PARTIX_FILE_UNCHANGED;
    }
    close(fd);
    if (renameat(dir, tmp, dir, name) < 0) {
        err = errno;
        unlinkat(dir, tmp, 0);
        errno = err;
        return PARTIX_FILE_UNCHANGED;
    }
    return fsync(dir) < 0 ? PARTIX_FILE_NOT_DURABLE : PARTIX_FILE_OK;
}

long partix_file_read(int dir, const char *name, void *buf, size_t cap)
{
    uint8_t *p = buf;
    struct stat st;
    size_t n, got = 0;
    long rc = -1;
    /* O_NONBLOCK: opening a FIFO would otherwise wait for a writer forever;
     * it is then refused below as not a regular file */
    int fd = openat(dir, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);

    if (fd < 0)
        return -1;
    /* the raw fstat: glibc's is newfstatat, which a partition's sandbox
     * refuses (it could name a path) */
    if (syscall(SYS_fstat, fd, &st) < 0)
        goto out;
    if (!S_ISREG(st.st_mode)) {
        errno = EINVAL;
        goto out;
    }
    if (st.st_size < 0 || (uint64_t)st.st_size > cap) {
        errno = EFBIG;
        goto out;
    }
    n = (size_t)st.st_size;
    while (got < n) {
        ssize_t r = read(fd, p + got, n - got);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r == 0)
                errno = EIO; /* it shrank under us */
            goto out;
        }
        got += (size_t)r;
    }
    rc = (long)n;
out:
    close(fd);
    return rc;
}
