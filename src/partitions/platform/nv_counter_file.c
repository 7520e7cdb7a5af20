/* nv_counter_file.c - the bytes of an NV counter file (see platform_sp.h). */
#include <string.h>

#include "durable_file.h"
#include "platform_sp.h"

static const uint8_t magic[8] = {'P', 'X', 'N', 'V', 'C', 0, 0, 1};

size_t nv_file_encode(uint8_t *buf, int32_t owner, const uint32_t *values, uint32_t n)
{
    size_t crc_at = NV_FILE_HEADER_SIZE + 4u * n;

    memcpy(buf, magic, sizeof(magic));
    partix_put_le32(buf + 8, (uint32_t)owner);
    partix_put_le32(buf + 12, n);
    for (uint32_t i = 0; i < n; i++)
        partix_put_le32(buf + NV_FILE_HEADER_SIZE + 4u * i, values[i]);
    partix_put_le32(buf + crc_at, partix_crc32(buf, crc_at));
    return crc_at + 4u;
}

int nv_file_decode(const uint8_t *buf, size_t len, int32_t owner, uint32_t *values, uint32_t n)
{
    size_t crc_at = NV_FILE_HEADER_SIZE + 4u * n;

    if (len != crc_at + 4u || memcmp(buf, magic, sizeof(magic)) != 0 ||
        (int32_t)partix_get_le32(buf + 8) != owner || partix_get_le32(buf + 12) != n ||
        partix_get_le32(buf + crc_at) != partix_crc32(buf, crc_at))
        return -1;
    for (uint32_t i = 0; i < n; i++)
        values[i] = partix_get_le32(buf + NV_FILE_HEADER_SIZE + 4u * i);
    return 0;
}
