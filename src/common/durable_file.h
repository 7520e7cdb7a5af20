/*
 * durable_file.h - small files of a partition's storage directory that
 * survive a crash whole: the write protocol Internal Trusted Storage and
 * Protected Storage and the Platform service's NV counters share, and the
 * OTP file.
 *
 * A replacement goes to <name>.tmp, which is fsync'ed, renamed over <name>,
 * and then the directory is fsync'ed: after kill -9 (or, on a file system
 * that honours fsync, a power loss) at any moment, <name> holds the old
 * bytes or the new ones, never a mix, and once the call has returned
 * PARTIX_FILE_OK the new ones stay.  A leftover <name>.tmp is a replacement
 * that never completed: its owner removes it at start.
 */
#ifndef PARTIX_DURABLE_FILE_H
#define PARTIX_DURABLE_FILE_H

#include <stddef.h>
#include <stdint.h>

#define PARTIX_TMP_SUFFIX ".tmp"

/* What partix_file_replace() achieved. */
enum partix_file_result {
    PARTIX_FILE_OK,          /* replaced, and durable */
    PARTIX_FILE_UNCHANGED,   /* failed before the rename: the old file (if any) stays */
    PARTIX_FILE_NOT_DURABLE, /* renamed, but the directory could not be synced */
};

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32()) of @p n bytes. */
uint32_t partix_crc32(const void *p, size_t n);

/* Little-endian fields of the files' headers. */
void partix_put_le32(uint8_t *p, uint32_t v);
uint32_t partix_get_le32(const uint8_t *p);
void partix_put_le64(uint8_t *p, uint64_t v);
uint64_t partix_get_le64(const uint8_t *p);

/*
 * Replaces regular file @p name of directory @p dir with the @p len bytes
 * of @p buf by the protocol above.  @p name holds no '/' and leaves room
 * for the suffix within NAME_MAX.  On failure errno says why.
 */
enum partix_file_result partix_file_replace(int dir, const char *name, const void *buf, size_t len);

/*
 * Reads all of regular file @p name of @p dir (never following a symbolic
 * link, never waiting on a FIFO) into @p buf: its size, or -1 with errno
 * (ENOENT: there is none; EINVAL: not a regular file; EFBIG: it holds more
 * than @p cap bytes).
 */
long partix_file_read(int dir, const char *name, void *buf, size_t cap);

#endif /* PARTIX_DURABLE_FILE_H */
