/*
 * ps_crypto.c - the PS key and AEAD, with Mbed TLS 2.28's PSA core inside
 * the partition.
 *
 * PS key = HKDF-SHA256(salt: none, secret: the 32-byte hardware unique key
 * from the OTP, info: PS_KEY_LABEL), 32 bytes, an AES-256 key for GCM.  The
 * HUK is in Mbed TLS only while the key is derived; the PS key never leaves
 * this process.  Changing the label (or the HUK: a new device) makes every
 * stored object unreadable.
 */
#include <string.h>

#include "psa/crypto.h"

#include "ps.h"
#include "tfm_plat_otp.h"
#include "tfm_sp_log.h"

/* The HKDF info: fixed, documented (docs/services.md). */
#define PS_KEY_LABEL "partix protected storage key v1"
#define PS_HUK_LEN 32u
#define PS_ALG PSA_ALG_GCM

static psa_key_id_t ps_key;

/* Best effort, but not optimised away: the HUK must not linger. */
static void wipe(void *p, size_t n)
{
    volatile uint8_t *v = p;

    while (n-- > 0)
        *v++ = 0;
}

static psa_status_t derive(psa_key_id_t huk)
{
    psa_key_derivation_operation_t op = PSA_KEY_DERIVATION_OPERATION_INIT;
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_status_t st;

    psa_set_key_type(&a, PSA_KEY_TYPE_AES);
    psa_set_key_bits(&a, 256);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT);
    psa_set_key_algorithm(&a, PS_ALG);
    st = psa_key_derivation_setup(&op, PSA_ALG_HKDF(PSA_ALG_SHA_256));
    if (st == PSA_SUCCESS)
        st = psa_key_derivation_input_key(&op, PSA_KEY_DERIVATION_INPUT_SECRET, huk);
    if (st == PSA_SUCCESS)
        st =
            psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_INFO,
                                           (const uint8_t *)PS_KEY_LABEL, sizeof(PS_KEY_LABEL) - 1);
    if (st == PSA_SUCCESS)
        st = psa_key_derivation_output_key(&a, &op, &ps_key);
    psa_key_derivation_abort(&op);
    return st;
}

psa_status_t ps_crypto_init(void)
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    uint8_t huk[PS_HUK_LEN];
    psa_key_id_t huk_key = 0;
    size_t len = 0;
    psa_status_t st;

    /* entropy for the nonces: Mbed TLS reads getrandom(), which the sandbox
     * allows */
    if ((st = psa_crypto_init()) != PSA_SUCCESS) {
        LOG_ERRFMT("psa_crypto_init failed: %d\n", (int)st);
        return st;
    }
    if (tfm_plat_otp_get_size(PLAT_OTP_ID_HUK, &len) != TFM_PLAT_ERR_SUCCESS || len != PS_HUK_LEN ||
        tfm_plat_otp_read(PLAT_OTP_ID_HUK, sizeof(huk), huk) != TFM_PLAT_ERR_SUCCESS) {
        LOG_ERRFMT("cannot read the hardware unique key: the manifest must grant PARTIX_OTP "
                   "(READ-ONLY)\n");
        return PSA_ERROR_HARDWARE_FAILURE;
    }
    psa_set_key_type(&a, PSA_KEY_TYPE_DERIVE);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_DERIVE);
    psa_set_key_algorithm(&a, PSA_ALG_HKDF(PSA_ALG_SHA_256));
    st = psa_import_key(&a, huk, sizeof(huk), &huk_key);
    wipe(huk, sizeof(huk));
    if (st == PSA_SUCCESS)
        st = derive(huk_key);
    psa_destroy_key(huk_key);
    if (st != PSA_SUCCESS)
        LOG_ERRFMT("cannot derive the PS key: %d\n", (int)st);
    return st;
}

psa_status_t ps_seal(const uint8_t *ad, size_t ad_len, const uint8_t *in, size_t len,
                     uint8_t *nonce, uint8_t *out)
{
    size_t out_len = 0;
    psa_status_t st = psa_generate_random(nonce, PS_NONCE_LEN);

    if (st == PSA_SUCCESS)
        st = psa_aead_encrypt(ps_key, PS_ALG, nonce, PS_NONCE_LEN, ad, ad_len, in, len, out,
                              len + PS_TAG_LEN, &out_len);
    if (st == PSA_SUCCESS && out_len != len + PS_TAG_LEN)
        st = PSA_ERROR_CORRUPTION_DETECTED;
    if (st != PSA_SUCCESS)
        LOG_ERRFMT("cannot encrypt: %d\n", (int)st);
    return st;
}

psa_status_t ps_open(const uint8_t *ad, size_t ad_len, const uint8_t *nonce, const uint8_t *in,
                     size_t len, uint8_t *out)
{
    size_t out_len = 0;
    psa_status_t st;

    if (len < PS_TAG_LEN)
        return PSA_ERROR_INVALID_SIGNATURE;
    st = psa_aead_decrypt(ps_key, PS_ALG, nonce, PS_NONCE_LEN, ad, ad_len, in, len, out,
                          len - PS_TAG_LEN, &out_len);
    if (st == PSA_SUCCESS && out_len != len - PS_TAG_LEN)
        st = PSA_ERROR_CORRUPTION_DETECTED;
    return st;
}
