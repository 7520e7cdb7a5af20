/*
 * tfm_builtin_key_ids.h - the ids of TF-M's built-in keys, with TF-M's
 * names and values (platform/include/tfm_builtin_key_ids.h), so that code
 * naming them ports unchanged.
 *
 * partix's Crypto service holds one: TFM_BUILTIN_KEY_ID_HUK, the device's
 * hardware unique key (the OTP's PLAT_OTP_ID_HUK), usable only as the
 * secret input of an HKDF-SHA256 key derivation
 * (psa_key_derivation_input_key).  As TF-M's built-in key loader does, the
 * service never feeds the HUK itself to the derivation but a key derived
 * from it for the caller, HKDF-SHA256(salt: none, secret: HUK, info: the
 * caller's client id as a little-endian int32_t): every partition and every
 * non-secure client derives in a space of its own, and no caller can
 * derive another's keys.  Any other use of the id (export, copy, destroy,
 * a cipher, another algorithm) is PSA_ERROR_NOT_PERMITTED
 * (docs/services.md, Crypto).
 */
#ifndef TFM_BUILTIN_KEY_IDS_H
#define TFM_BUILTIN_KEY_IDS_H

#ifdef __cplusplus
extern "C" {
#endif

/** TF-M's built-in key ids (a psa_key_id_t's value). */
enum tfm_key_id_builtin_t {
    TFM_BUILTIN_KEY_ID_MIN = 0x7FFF815Bu,
    TFM_BUILTIN_KEY_ID_HUK, /**< 0x7FFF815C: the hardware unique key, derivation only */
    TFM_BUILTIN_KEY_ID_IAK, /**< 0x7FFF815D: not held (attestation signs in its partition) */
    TFM_BUILTIN_KEY_ID_PLAT_SPECIFIC_MIN = 0x7FFF816Bu,
    TFM_BUILTIN_KEY_ID_MAX = 0x7FFF817Bu,
};

#ifdef __cplusplus
}
#endif

#endif /* TFM_BUILTIN_KEY_IDS_H */
