/*
 * platform_sp.h - the Platform partition inside: the requests
 * (platform_sp.c) over the NV counter store (nv_counters.c), whose files
 * nv_counter_file.c encodes.
 *
 * The counters live in the partition's storage directory, one small file
 * per owner: nv-ns-<client id as 8 hex digits> holds a Linux user's three
 * non-secure counters, nv-secure the platform's counters that secure
 * callers use.  A file is: magic "PXNVC" version 1 (8 bytes), owner (i32),
 * count n (u32), n values (u32), CRC-32 of all before (u32), little-endian.
 * An increment replaces the whole file by partix_file_replace()
 * (durable_file.h) before it is acknowledged.  No file: every counter 0.
 * A file that fails its checks is never trusted as 0 (that would roll the
 * counters back): its counters are refused until it is repaired.
 */
#ifndef PLATFORM_SP_H
#define PLATFORM_SP_H

#include <stddef.h>
#include <stdint.h>

#include "platform_nv_counters_ids.h"
#include "tfm_platform_api.h"

/* Bytes an ioctl's input and output may have (TF-M's defaults). */
#define PLATFORM_SERVICE_INPUT_BUFFER_SIZE 64
#define PLATFORM_SERVICE_OUTPUT_BUFFER_SIZE 64

/* ---- the file format (nv_counter_file.c) ---- */

#define NV_FILE_HEADER_SIZE 16u
#define NV_FILE_SIZE(n) (NV_FILE_HEADER_SIZE + 4u * (n) + 4u)
#define NV_FILE_MAX_SIZE NV_FILE_SIZE(PLAT_NV_COUNTER_MAX)

/* Writes the file of @p owner's @p n counters into @p buf
 * (NV_FILE_SIZE(n) bytes); returns that size. */
size_t nv_file_encode(uint8_t *buf, int32_t owner, const uint32_t *values, uint32_t n);

/* Checks @p len bytes of a file as @p owner's @p n counters and takes the
 * values: 0, or -1 (wrong size, magic, owner, count or CRC). */
int nv_file_decode(const uint8_t *buf, size_t len, int32_t owner, uint32_t *values, uint32_t n);

/* ---- the store (nv_counters.c) ---- */

/* Serves the counters from directory @p dir. */
void nv_counters_init(int dir);

/* Counter @p id (checked by the caller: one @p client_id may use) into
 * *value. */
enum tfm_platform_err_t nv_counter_read(int32_t client_id, enum tfm_nv_counter_t id,
                                        uint32_t *value);

/* Counter @p id plus one, durably; TFM_PLATFORM_ERR_SYSTEM_ERROR at
 * UINT32_MAX or on a storage failure, the value unchanged. */
enum tfm_platform_err_t nv_counter_increment(int32_t client_id, enum tfm_nv_counter_t id);

#endif /* PLATFORM_SP_H */
