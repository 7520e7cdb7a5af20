/*
 * tfm_plat_otp.h - the device's one-time-programmable memory, as TF-M's
 * platform layer gives it to PSA RoT partitions: the hardware unique key,
 * the attestation key, the device's identities and lifecycle state.
 *
 * In partix the OTP is the board's "otp" MMIO region (docs/platform.md),
 * kept in <state-dir>/otp and provisioned by "partix-ctl otp provision".  A
 * partition reads it only if its manifest names that region in
 * mmio_regions, READ-ONLY; for any other partition every element is
 * TFM_PLAT_ERR_UNSUPPORTED and touching the region's address is a fault.
 */
#ifndef TFM_PLAT_OTP_H
#define TFM_PLAT_OTP_H

#include <stddef.h>
#include <stdint.h>

#include "tfm_plat_defs.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The elements of the OTP, with TF-M's names (those partix holds are
 *  marked; the others are TFM_PLAT_ERR_UNSUPPORTED). */
enum tfm_otp_element_id_t {
    PLAT_OTP_ID_HUK = 0,                  /**< held: 32 bytes */
    PLAT_OTP_ID_GUK,                      /**< not held */
    PLAT_OTP_ID_IAK,                      /**< held: 32-byte P-256 private key */
    PLAT_OTP_ID_IAK_LEN,                  /**< held: uint32_t, 32 */
    PLAT_OTP_ID_IAK_TYPE,                 /**< held: uint32_t psa_ecc_family_t */
    PLAT_OTP_ID_IAK_ID,                   /**< held: 32 bytes, text */
    PLAT_OTP_ID_BOOT_SEED,                /**< held: 32 bytes, new at each start */
    PLAT_OTP_ID_LCS,                      /**< held: uint32_t enum plat_otp_lcs_t */
    PLAT_OTP_ID_IMPLEMENTATION_ID,        /**< held: 32 bytes */
    PLAT_OTP_ID_CERT_REF,                 /**< held: 32 bytes, text */
    PLAT_OTP_ID_VERIFICATION_SERVICE_URL, /**< held: 64 bytes, text */
    PLAT_OTP_ID_PROFILE_DEFINITION,       /**< held: 64 bytes, text */
    PLAT_OTP_ID_MAX = UINT32_MAX
};

/** The lifecycle state in OTP: a transition only sets bits. */
enum plat_otp_lcs_t {
    PLAT_OTP_LCS_ASSEMBLY_AND_TEST = 0x0,
    PLAT_OTP_LCS_PSA_ROT_PROVISIONING = 0x1,
    PLAT_OTP_LCS_SECURED = 0x3,
    PLAT_OTP_LCS_DECOMMISSIONED = 0x7,
    PLAT_OTP_LCS_UNKNOWN = 0xF,
    PLAT_OTP_LCS_MAX = UINT32_MAX
};

/**
 * Prepares the OTP for reading.  In partix there is nothing to prepare:
 * always TFM_PLAT_ERR_SUCCESS.
 */
enum tfm_plat_err_t tfm_plat_otp_init(void);

/**
 * Reads element @p id into @p out: the smaller of @p out_len and the
 * element's size, as TF-M specifies.
 *
 * @return TFM_PLAT_ERR_SUCCESS; TFM_PLAT_ERR_UNSUPPORTED if partix holds no
 *         such element or this partition was not granted the OTP region;
 *         TFM_PLAT_ERR_INVALID_INPUT if @p out is NULL and @p out_len is
 *         not 0.
 */
enum tfm_plat_err_t tfm_plat_otp_read(enum tfm_otp_element_id_t id, size_t out_len, uint8_t *out);

/**
 * Writes an OTP element.  Partitions cannot program fuses in partix (the
 * region is read-only; "partix-ctl otp provision" programs them): always
 * TFM_PLAT_ERR_UNSUPPORTED, and nothing changes.
 */
enum tfm_plat_err_t tfm_plat_otp_write(enum tfm_otp_element_id_t id, size_t in_len,
                                       const uint8_t *in);

/**
 * Stores the size in bytes of element @p id in @p size.
 *
 * @return TFM_PLAT_ERR_SUCCESS, TFM_PLAT_ERR_UNSUPPORTED (as
 *         tfm_plat_otp_read), or TFM_PLAT_ERR_INVALID_INPUT if @p size is
 *         NULL.
 */
enum tfm_plat_err_t tfm_plat_otp_get_size(enum tfm_otp_element_id_t id, size_t *size);

#ifdef __cplusplus
}
#endif

#endif /* TFM_PLAT_OTP_H */
