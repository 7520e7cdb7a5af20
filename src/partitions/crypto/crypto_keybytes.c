/*
 * crypto_keybytes.c - the one place that reads a key's bytes out of Mbed
 * TLS's key store: multi-part AEAD (crypto_aead.c) runs outside Mbed TLS
 * 2.28, which has none, yet the key stays in the store and is used as
 * psa_aead_*_setup() would use it, after the same checks.
 *
 * Mbed TLS 2.28 exports psa_get_and_lock_key_slot() and
 * psa_unlock_key_slot() but does not install their header
 * (library/psa_crypto_core.h); the partition links its static library, so
 * the slot's layout is that version's, mirrored below and checked against
 * the key's public attributes before use.
 */
#include "crypto_sp.h"

/* Mbed TLS 2.28's psa_key_slot_t. */
struct mbedtls_228_slot {
    psa_core_key_attributes_t attr;
    size_t lock_count;
    struct {
        uint8_t *data;
        size_t bytes;
    } key;
};

psa_status_t psa_get_and_lock_key_slot(mbedtls_svc_key_id_t key, struct mbedtls_228_slot **p_slot);
psa_status_t psa_unlock_key_slot(struct mbedtls_228_slot *slot);

/* Whether a key whose policy is @p policy may be used for @p alg: the same
 * algorithm, or an AEAD wildcard of the same mode with a tag no longer. */
static bool permits(psa_algorithm_t policy, psa_algorithm_t alg)
{
    if (policy == alg)
        return true;
    return PSA_ALG_IS_AEAD(policy) && (policy & PSA_ALG_AEAD_AT_LEAST_THIS_LENGTH_FLAG) &&
           PSA_ALG_AEAD_WITH_DEFAULT_LENGTH_TAG(policy) ==
               PSA_ALG_AEAD_WITH_DEFAULT_LENGTH_TAG(alg) &&
           PSA_ALG_AEAD_GET_TAG_LENGTH(alg) >= PSA_ALG_AEAD_GET_TAG_LENGTH(policy);
}

psa_status_t ckb_aead_setup(struct ca_op *op, bool encrypt, uint32_t key, psa_algorithm_t alg)
{
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    struct mbedtls_228_slot *slot = NULL;
    psa_key_type_t type;
    size_t bits;
    psa_status_t st;

    if (!PSA_ALG_IS_AEAD(alg) || (alg & PSA_ALG_AEAD_AT_LEAST_THIS_LENGTH_FLAG))
        return PSA_ERROR_INVALID_ARGUMENT;
    if ((st = psa_get_key_attributes(mbedtls_svc_key_id_make(0, key), &attr)) != PSA_SUCCESS)
        return st;
    type = psa_get_key_type(&attr);
    bits = psa_get_key_bits(&attr);
    if (!(psa_get_key_usage_flags(&attr) &
          (encrypt ? PSA_KEY_USAGE_ENCRYPT : PSA_KEY_USAGE_DECRYPT)) ||
        !(permits(psa_get_key_algorithm(&attr), alg) ||
          permits(psa_get_key_enrollment_algorithm(&attr), alg)))
        return PSA_ERROR_NOT_PERMITTED;
    if ((st = psa_get_and_lock_key_slot(mbedtls_svc_key_id_make(0, key), &slot)) != PSA_SUCCESS)
        return st;
    if (slot->attr.type != type || slot->attr.bits != bits ||
        slot->key.bytes != PSA_BITS_TO_BYTES(bits) || slot->key.data == NULL)
        st = PSA_ERROR_CORRUPTION_DETECTED; /* not the layout this file mirrors */
    else
        st = ca_setup(op, encrypt, type, slot->key.data, slot->key.bytes, alg);
    psa_unlock_key_slot(slot);
    return st;
}
