/*
 * otp_layout.h - the simulated one-time-programmable memory (OTP): the
 * device secrets and identities a TF-M platform keeps in fuses.  psa-spm
 * keeps them in <state-dir>/otp (0600) and maps a read-only copy, at the
 * address the platform description gives its "otp" region, into each
 * partition whose manifest names that region; tfm_plat_otp_read() reads
 * from that copy.  The file and the region hold this structure, little
 * endian (partix runs on little-endian hosts only).
 *
 * The file is written whole (temporary file, fsync, rename) by first start
 * or by "partix-ctl otp provision"; partitions never write it.  The boot seed
 * is zero in the file: psa-spm draws a new one at each start and puts it
 * only in the copy partitions see.
 */
#ifndef PARTIX_OTP_LAYOUT_H
#define PARTIX_OTP_LAYOUT_H

#include <stddef.h>
#include <stdint.h>

#define PARTIX_OTP_MAGIC "PARTIXOT" /* 8 bytes, no NUL */
#define PARTIX_OTP_VERSION 1u

/* enum plat_otp_lcs_t's values (TF-M's tfm_plat_otp.h): a transition only
 * sets bits, as blowing a fuse does. */
#define PARTIX_OTP_LCS_ASSEMBLY_AND_TEST 0x0u
#define PARTIX_OTP_LCS_PSA_ROT_PROVISIONING 0x1u
#define PARTIX_OTP_LCS_SECURED 0x3u
#define PARTIX_OTP_LCS_DECOMMISSIONED 0x7u

struct partix_otp {
    char magic[8];
    uint32_t version;
    uint32_t lcs;                         /* a PARTIX_OTP_LCS_* value */
    uint8_t huk[32];                      /* hardware unique key */
    uint8_t iak[32];                      /* attestation key: P-256 private scalar */
    uint32_t iak_len;                     /* bytes of iak: 32 */
    uint32_t iak_type;                    /* psa_ecc_family_t: PSA_ECC_FAMILY_SECP_R1 */
    uint8_t iak_pub[68];                  /* 65 bytes: 0x04 || x || y, then zeros */
    uint8_t iak_id[32];                   /* the key's id ("kid"), text, NUL-padded */
    uint8_t implementation_id[32];        /* the implementation's id (all devices alike) */
    uint8_t cert_ref[32];                 /* certification reference, text, NUL-padded */
    uint8_t verification_service_url[64]; /* text, NUL-padded */
    uint8_t profile_definition[64];       /* the attestation token profile, text */
    uint8_t boot_seed[32];                /* zero in the file; new at each start */
    uint32_t crc;                         /* partix_crc32 of the bytes before it */
};

_Static_assert(sizeof(struct partix_otp) == 416, "the OTP layout has no holes");
_Static_assert(offsetof(struct partix_otp, crc) == 412, "the CRC ends the OTP");

#define PARTIX_OTP_IAK_PUB_LEN 65u

/*
 * The boot record: in the region only (never in the file), after the OTP
 * image.  What psa-spm measured when it started, itself and each partition
 * executable, for the Initial Attestation partition, as a bootloader hands
 * its measurements to TF-M's through the shared data area: this header,
 * then the CBOR-encoded array of software components the attestation token
 * carries (src/partitions/initial_attestation/attest_claims.h).  A region
 * too small for it, or a measurement that failed, leaves it all zero.
 */
#define PARTIX_BOOT_RECORD_OFFSET 512u
#define PARTIX_BOOT_RECORD_MAGIC "PARTIXBR" /* 8 bytes, no NUL */
#define PARTIX_BOOT_RECORD_MAX 3072u        /* bytes of CBOR at most */

struct partix_boot_record {
    char magic[8];
    uint32_t len;   /* bytes of CBOR that follow */
    uint32_t count; /* software components in it */
};

#endif /* PARTIX_OTP_LAYOUT_H */
