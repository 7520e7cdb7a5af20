/*
 * tinymaix_seal.c - the model keys and the sealed model's format
 * (docs/model-encryption.md).
 *
 * Keys: HKDF-SHA256 with the Crypto service's built-in hardware unique key
 * (TFM_BUILTIN_KEY_ID_HUK) as the secret, which the service first binds to
 * the caller, this partition's id (tfm_builtin_key_ids.h), and the guide's
 * label as the info.  Its first 16 bytes are the AES-128 key, the next 32
 * the HMAC-SHA256 key.  Both are volatile keys in the Crypto service, made
 * for one call and destroyed before it ends; neither is exportable but in a
 * DEV_MODE build.
 *
 * Sealed model: IV (16) || AES-128-CBC(PKCS#7(model)) || HMAC-SHA256(IV ||
 * ciphertext) (32): encrypt-then-MAC, the tag checked (in constant time, by
 * the Crypto service) before anything is decrypted.
 */
#include <string.h>

#include "psa/crypto.h"

#include "tfm_builtin_key_ids.h"
#include "tinymaix_inference.h"

#define TI_CIPHER PSA_ALG_CBC_PKCS7
#define TI_MAC PSA_ALG_HMAC(PSA_ALG_SHA_256)

void ti_wipe(void *p, size_t n)
{
    volatile uint8_t *v = p;

    while (n-- > 0)
        *v++ = 0;
}

static psa_status_t derive(psa_key_id_t *enc, psa_key_id_t *mac, bool exportable)
{
    psa_key_derivation_operation_t op = PSA_KEY_DERIVATION_OPERATION_INIT;
    psa_key_attributes_t ea = PSA_KEY_ATTRIBUTES_INIT, ma = PSA_KEY_ATTRIBUTES_INIT;
    psa_status_t st;

    *enc = *mac = 0;
    psa_set_key_type(&ea, PSA_KEY_TYPE_AES);
    psa_set_key_bits(&ea, 128);
    psa_set_key_usage_flags(&ea, PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT |
                                     (exportable ? PSA_KEY_USAGE_EXPORT : 0));
    psa_set_key_algorithm(&ea, TI_CIPHER);
    psa_set_key_type(&ma, PSA_KEY_TYPE_HMAC);
    psa_set_key_bits(&ma, 256);
    psa_set_key_usage_flags(&ma, PSA_KEY_USAGE_SIGN_MESSAGE | PSA_KEY_USAGE_VERIFY_MESSAGE);
    psa_set_key_algorithm(&ma, TI_MAC);

    st = psa_key_derivation_setup(&op, PSA_ALG_HKDF(PSA_ALG_SHA_256));
    if (st == PSA_SUCCESS)
        st = psa_key_derivation_input_key(&op, PSA_KEY_DERIVATION_INPUT_SECRET,
                                          TFM_BUILTIN_KEY_ID_HUK);
    if (st == PSA_SUCCESS)
        st =
            psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_INFO,
                                           (const uint8_t *)TI_KEY_LABEL, sizeof(TI_KEY_LABEL) - 1);
    if (st == PSA_SUCCESS)
        st = psa_key_derivation_output_key(&ea, &op, enc);
    if (st == PSA_SUCCESS)
        st = psa_key_derivation_output_key(&ma, &op, mac);
    psa_key_derivation_abort(&op);
    if (st != PSA_SUCCESS) {
        psa_destroy_key(*enc);
        psa_destroy_key(*mac);
        *enc = *mac = 0;
    }
    return st;
}

static void forget(psa_key_id_t enc, psa_key_id_t mac)
{
    psa_destroy_key(enc);
    psa_destroy_key(mac);
}

psa_status_t ti_unseal(const uint8_t *sealed, size_t len, uint8_t *plain, size_t size,
                       size_t *plain_len)
{
    psa_key_id_t enc, mac;
    size_t body;
    psa_status_t st;

    *plain_len = 0;
    if (len < TFM_TINYMAIX_IV_SIZE + 16 + TFM_TINYMAIX_TAG_SIZE)
        return PSA_ERROR_INVALID_ARGUMENT;
    body = len - TFM_TINYMAIX_TAG_SIZE; /* IV || ciphertext */
    if ((body - TFM_TINYMAIX_IV_SIZE) % 16 != 0 || body - TFM_TINYMAIX_IV_SIZE > size)
        return PSA_ERROR_INVALID_ARGUMENT;
    if ((st = derive(&enc, &mac, false)) != PSA_SUCCESS)
        return st;
    st = psa_mac_verify(mac, TI_MAC, sealed, body, sealed + body, TFM_TINYMAIX_TAG_SIZE);
    if (st == PSA_SUCCESS)
        st = psa_cipher_decrypt(enc, TI_CIPHER, sealed, body, plain, size, plain_len);
    forget(enc, mac);
    if (st != PSA_SUCCESS) {
        ti_wipe(plain, size);
        *plain_len = 0;
    }
    return st;
}

psa_status_t ti_seal(const uint8_t *plain, size_t len, uint8_t *sealed, size_t size,
                     size_t *sealed_len)
{
    size_t need = TFM_TINYMAIX_SEALED_SIZE(len), body = 0, tag = 0;
    psa_key_id_t enc, mac;
    psa_status_t st;

    *sealed_len = 0;
    if (size < need)
        return PSA_ERROR_BUFFER_TOO_SMALL;
    if ((st = derive(&enc, &mac, false)) != PSA_SUCCESS)
        return st;
    /* Mbed TLS draws the IV and writes it first, as the sealed format has it */
    st =
        psa_cipher_encrypt(enc, TI_CIPHER, plain, len, sealed, size - TFM_TINYMAIX_TAG_SIZE, &body);
    if (st == PSA_SUCCESS && body + TFM_TINYMAIX_TAG_SIZE != need)
        st = PSA_ERROR_CORRUPTION_DETECTED;
    if (st == PSA_SUCCESS)
        st = psa_mac_compute(mac, TI_MAC, sealed, body, sealed + body, TFM_TINYMAIX_TAG_SIZE, &tag);
    if (st == PSA_SUCCESS && tag != TFM_TINYMAIX_TAG_SIZE)
        st = PSA_ERROR_CORRUPTION_DETECTED;
    forget(enc, mac);
    if (st == PSA_SUCCESS)
        *sealed_len = need;
    return st;
}

#ifdef DEV_MODE
psa_status_t ti_export_key(uint8_t key[TFM_TINYMAIX_KEY_SIZE])
{
    psa_key_id_t enc, mac;
    size_t n = 0;
    psa_status_t st = derive(&enc, &mac, true);

    if (st == PSA_SUCCESS)
        st = psa_export_key(enc, key, TFM_TINYMAIX_KEY_SIZE, &n);
    if (st == PSA_SUCCESS && n != TFM_TINYMAIX_KEY_SIZE)
        st = PSA_ERROR_CORRUPTION_DETECTED;
    forget(enc, mac);
    return st;
}
#endif
