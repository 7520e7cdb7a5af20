/* crc32.h - the CRC-32 of stored records (ITS entries, the OTP file). */
#ifndef PARTIX_CRC32_H
#define PARTIX_CRC32_H

#include <stddef.h>
#include <stdint.h>

/*
 * The CRC-32 of @p n bytes at @p p (IEEE 802.3: reflected polynomial
 * 0xEDB88320, initial value and final XOR 0xFFFFFFFF; "123456789" gives
 * 0xCBF43926).  It detects a torn or damaged record, not a deliberate
 * change: whoever can rewrite the record can rewrite its CRC.
 */
uint32_t partix_crc32(const uint8_t *p, size_t n);

#endif
