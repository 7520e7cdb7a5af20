/*
 * partix/boot_record.h - what was measured at boot (partix only).
 *
 * psa-spm, the bootloader of the simulated board, measures itself and each
 * partition executable (SHA-256 of the file) when it starts, and writes the
 * measurements after the OTP image in the board's otp region, as an M33's
 * bootloader hands them to TF-M's Initial Attestation partition in the
 * shared data area.  A partition granted that region READ-ONLY reads them
 * here: the CBOR-encoded array of software components that the PSA
 * attestation token carries (docs/services.md lists the keys).
 */
#ifndef PARTIX_BOOT_RECORD_H
#define PARTIX_BOOT_RECORD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The boot record's CBOR (read-only), its length in *len and its number of
 * software components in *count; NULL (and 0s) if this partition was not
 * granted the otp region or psa-spm wrote no record (the log says why).
 * The bytes come from psa-spm: check them before use. */
const uint8_t *partix_boot_record(size_t *len, uint32_t *count);

#ifdef __cplusplus
}
#endif

#endif /* PARTIX_BOOT_RECORD_H */
