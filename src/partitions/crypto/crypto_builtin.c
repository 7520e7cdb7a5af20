/*
 * crypto_builtin.c - TF-M's built-in hardware unique key
 * (TFM_BUILTIN_KEY_ID_HUK, tfm_builtin_key_ids.h) as the secret of a key
 * derivation, bound to the caller.
 *
 * As TF-M's built-in key loader, the derivation never sees the HUK itself:
 * for the one call that may name it, psa_key_derivation_input_key, the
 * partition reads the HUK from the OTP, derives the caller's own secret
 * HKDF-SHA256(salt: none, IKM: HUK, info: client id, int32 little endian),
 * imports that as a volatile derivation key for the call, and destroys it
 * once the call is over (Mbed TLS has copied it into the operation).  Two
 * callers (two partitions, a partition and an app) get different secrets
 * from one HUK, and another device's HUK gives other secrets again.
 */
#include <string.h>

#include "mbedtls/hkdf.h"
#include "mbedtls/md.h"

#include "crypto_sp.h"
#include "tfm_builtin_key_ids.h"
#include "tfm_plat_otp.h"

#define CB_HUK_LEN 32u

/* Best effort, but not optimised away: neither key may linger. */
static void wipe(void *p, size_t n)
{
    volatile uint8_t *v = p;

    while (n-- > 0)
        *v++ = 0;
}

bool cb_is_builtin(uint32_t app)
{
    return app >= TFM_BUILTIN_KEY_ID_MIN && app <= TFM_BUILTIN_KEY_ID_MAX;
}

psa_status_t cb_open(int32_t client, uint16_t fn, uint32_t app, uint32_t *internal)
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    uint8_t huk[CB_HUK_LEN], mine[CB_HUK_LEN];
    uint8_t info[4] = {(uint8_t)client, (uint8_t)((uint32_t)client >> 8),
                       (uint8_t)((uint32_t)client >> 16), (uint8_t)((uint32_t)client >> 24)};
    mbedtls_svc_key_id_t id = 0;
    size_t len = 0;
    psa_status_t st;

    *internal = 0;
    if (app != TFM_BUILTIN_KEY_ID_HUK)
        return PSA_ERROR_INVALID_HANDLE; /* a built-in key partix does not hold */
    if (fn != CW_KEY_DERIVATION_INPUT_KEY)
        return PSA_ERROR_NOT_PERMITTED; /* derivation only: never exported, copied, destroyed */
    if (tfm_plat_otp_get_size(PLAT_OTP_ID_HUK, &len) != TFM_PLAT_ERR_SUCCESS || len != CB_HUK_LEN ||
        tfm_plat_otp_read(PLAT_OTP_ID_HUK, sizeof(huk), huk) != TFM_PLAT_ERR_SUCCESS)
        return PSA_ERROR_HARDWARE_FAILURE; /* the manifest must grant PARTIX_OTP */
    st = mbedtls_hkdf(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), NULL, 0, huk, sizeof(huk), info,
                      sizeof(info), mine, sizeof(mine)) == 0
             ? PSA_SUCCESS
             : PSA_ERROR_HARDWARE_FAILURE;
    wipe(huk, sizeof(huk));
    if (st == PSA_SUCCESS) {
        psa_set_key_type(&a, PSA_KEY_TYPE_DERIVE);
        psa_set_key_usage_flags(&a, PSA_KEY_USAGE_DERIVE);
        psa_set_key_algorithm(&a, PSA_ALG_HKDF(PSA_ALG_SHA_256));
        st = psa_import_key(&a, mine, sizeof(mine), &id);
    }
    wipe(mine, sizeof(mine));
    if (st == PSA_SUCCESS)
        *internal = MBEDTLS_SVC_KEY_ID_GET_KEY_ID(id);
    return st;
}

void cb_close(uint32_t internal)
{
    if (internal != 0)
        psa_destroy_key(internal);
}
