/*
 * crypto_impl.c - each row of CRYPTO_CALLS as a call of Mbed TLS's function
 * of that name.  Arguments arrive decoded, key ids mapped, operations
 * resolved and buffers mapped (crypto_main.c); a CW_OUT's written length goes
 * to its `length` (preset to its whole size, for the functions that fill it).
 */
#include "crypto_sp.h"

#define IMPL(name) static psa_status_t do_##name(struct cw_arg *a)
#define OUT(x) a[x].out, a[x].len, a[x].length
#define IN(x) a[x].in, a[x].len

IMPL(GENERATE_RANDOM)
{
    return psa_generate_random(a[0].out, a[0].len);
}

IMPL(GET_KEY_ATTRIBUTES)
{
    return psa_get_key_attributes(a[0].u32, a[1].attr);
}

IMPL(IMPORT_KEY)
{
    return psa_import_key(a[0].attr, IN(1), &a[2].u32);
}

IMPL(DESTROY_KEY)
{
    return psa_destroy_key(a[0].u32);
}

IMPL(EXPORT_KEY)
{
    return psa_export_key(a[0].u32, OUT(1));
}

IMPL(EXPORT_PUBLIC_KEY)
{
    return psa_export_public_key(a[0].u32, OUT(1));
}

/* A persistent key that is not in memory: Mbed TLS 2.28 says
 * DOES_NOT_EXIST, but it exists (the caller's map found it) and nothing is
 * left to purge. */
IMPL(PURGE_KEY)
{
    psa_status_t st = psa_purge_key(a[0].u32);

    return st == PSA_ERROR_DOES_NOT_EXIST ? PSA_SUCCESS : st;
}

IMPL(COPY_KEY)
{
    return psa_copy_key(a[0].u32, a[1].attr, &a[2].u32);
}

IMPL(GENERATE_KEY)
{
    return psa_generate_key(a[0].attr, &a[1].u32);
}

IMPL(HASH_COMPUTE)
{
    return psa_hash_compute(a[0].u32, IN(1), OUT(2));
}

IMPL(HASH_COMPARE)
{
    return psa_hash_compare(a[0].u32, IN(1), IN(2));
}

IMPL(HASH_SETUP)
{
    return psa_hash_setup(a[0].slot, a[1].u32);
}

IMPL(HASH_UPDATE)
{
    return psa_hash_update(a[0].slot, IN(1));
}

IMPL(HASH_CLONE)
{
    return psa_hash_clone(a[0].slot, a[1].slot);
}

IMPL(HASH_FINISH)
{
    return psa_hash_finish(a[0].slot, OUT(1));
}

IMPL(HASH_VERIFY)
{
    return psa_hash_verify(a[0].slot, IN(1));
}

IMPL(HASH_ABORT)
{
    return psa_hash_abort(a[0].slot);
}

IMPL(MAC_COMPUTE)
{
    return psa_mac_compute(a[0].u32, a[1].u32, IN(2), OUT(3));
}

IMPL(MAC_VERIFY)
{
    return psa_mac_verify(a[0].u32, a[1].u32, IN(2), IN(3));
}

IMPL(MAC_SIGN_SETUP)
{
    return psa_mac_sign_setup(a[0].slot, a[1].u32, a[2].u32);
}

IMPL(MAC_VERIFY_SETUP)
{
    return psa_mac_verify_setup(a[0].slot, a[1].u32, a[2].u32);
}

IMPL(MAC_UPDATE)
{
    return psa_mac_update(a[0].slot, IN(1));
}

IMPL(MAC_SIGN_FINISH)
{
    return psa_mac_sign_finish(a[0].slot, OUT(1));
}

IMPL(MAC_VERIFY_FINISH)
{
    return psa_mac_verify_finish(a[0].slot, IN(1));
}

IMPL(MAC_ABORT)
{
    return psa_mac_abort(a[0].slot);
}

IMPL(CIPHER_ENCRYPT)
{
    return psa_cipher_encrypt(a[0].u32, a[1].u32, IN(2), OUT(3));
}

IMPL(CIPHER_DECRYPT)
{
    return psa_cipher_decrypt(a[0].u32, a[1].u32, IN(2), OUT(3));
}

IMPL(CIPHER_ENCRYPT_SETUP)
{
    return psa_cipher_encrypt_setup(a[0].slot, a[1].u32, a[2].u32);
}

IMPL(CIPHER_DECRYPT_SETUP)
{
    return psa_cipher_decrypt_setup(a[0].slot, a[1].u32, a[2].u32);
}

IMPL(CIPHER_GENERATE_IV)
{
    return psa_cipher_generate_iv(a[0].slot, OUT(1));
}

IMPL(CIPHER_SET_IV)
{
    return psa_cipher_set_iv(a[0].slot, IN(1));
}

IMPL(CIPHER_UPDATE)
{
    return psa_cipher_update(a[0].slot, IN(1), OUT(2));
}

IMPL(CIPHER_FINISH)
{
    return psa_cipher_finish(a[0].slot, OUT(1));
}

IMPL(CIPHER_ABORT)
{
    return psa_cipher_abort(a[0].slot);
}

IMPL(AEAD_ENCRYPT)
{
    return psa_aead_encrypt(a[0].u32, a[1].u32, IN(2), IN(3), IN(4), OUT(5));
}

IMPL(AEAD_DECRYPT)
{
    return psa_aead_decrypt(a[0].u32, a[1].u32, IN(2), IN(3), IN(4), OUT(5));
}

/* Multi-part AEAD: crypto_aead.c, not Mbed TLS 2.28, which has none. */
IMPL(AEAD_ENCRYPT_SETUP)
{
    return ckb_aead_setup(a[0].slot, true, a[1].u32, a[2].u32);
}

IMPL(AEAD_DECRYPT_SETUP)
{
    return ckb_aead_setup(a[0].slot, false, a[1].u32, a[2].u32);
}

IMPL(AEAD_GENERATE_NONCE)
{
    return ca_generate_nonce(a[0].slot, OUT(1));
}

IMPL(AEAD_SET_NONCE)
{
    return ca_set_nonce(a[0].slot, IN(1));
}

IMPL(AEAD_SET_LENGTHS)
{
    return ca_set_lengths(a[0].slot, a[1].size, a[2].size);
}

IMPL(AEAD_UPDATE_AD)
{
    return ca_update_ad(a[0].slot, IN(1));
}

IMPL(AEAD_UPDATE)
{
    return ca_update(a[0].slot, IN(1), OUT(2));
}

IMPL(AEAD_FINISH)
{
    return ca_finish(a[0].slot, OUT(1), OUT(2));
}

IMPL(AEAD_VERIFY)
{
    return ca_verify(a[0].slot, OUT(1), IN(2));
}

IMPL(AEAD_ABORT)
{
    ca_abort(a[0].slot);
    return PSA_SUCCESS;
}

IMPL(SIGN_MESSAGE)
{
    return psa_sign_message(a[0].u32, a[1].u32, IN(2), OUT(3));
}

IMPL(VERIFY_MESSAGE)
{
    return psa_verify_message(a[0].u32, a[1].u32, IN(2), IN(3));
}

IMPL(SIGN_HASH)
{
    return psa_sign_hash(a[0].u32, a[1].u32, IN(2), OUT(3));
}

IMPL(VERIFY_HASH)
{
    return psa_verify_hash(a[0].u32, a[1].u32, IN(2), IN(3));
}

IMPL(ASYMMETRIC_ENCRYPT)
{
    return psa_asymmetric_encrypt(a[0].u32, a[1].u32, IN(2), IN(3), OUT(4));
}

IMPL(ASYMMETRIC_DECRYPT)
{
    return psa_asymmetric_decrypt(a[0].u32, a[1].u32, IN(2), IN(3), OUT(4));
}

IMPL(RAW_KEY_AGREEMENT)
{
    return psa_raw_key_agreement(a[0].u32, a[1].u32, IN(2), OUT(3));
}

IMPL(KEY_DERIVATION_SETUP)
{
    return psa_key_derivation_setup(a[0].slot, a[1].u32);
}

IMPL(KEY_DERIVATION_GET_CAPACITY)
{
    size_t capacity = 0;
    psa_status_t st = psa_key_derivation_get_capacity(a[0].slot, &capacity);

    a[1].size = capacity;
    return st;
}

IMPL(KEY_DERIVATION_SET_CAPACITY)
{
    if (a[1].size > SIZE_MAX)
        return PSA_ERROR_INVALID_ARGUMENT;
    return psa_key_derivation_set_capacity(a[0].slot, (size_t)a[1].size);
}

IMPL(KEY_DERIVATION_INPUT_BYTES)
{
    return psa_key_derivation_input_bytes(a[0].slot, a[1].u32, IN(2));
}

IMPL(KEY_DERIVATION_INPUT_KEY)
{
    return psa_key_derivation_input_key(a[0].slot, a[1].u32, a[2].u32);
}

IMPL(KEY_DERIVATION_KEY_AGREEMENT)
{
    return psa_key_derivation_key_agreement(a[0].slot, a[1].u32, a[2].u32, IN(3));
}

IMPL(KEY_DERIVATION_OUTPUT_BYTES)
{
    return psa_key_derivation_output_bytes(a[0].slot, a[1].out, a[1].len);
}

IMPL(KEY_DERIVATION_OUTPUT_KEY)
{
    return psa_key_derivation_output_key(a[0].attr, a[1].slot, &a[2].u32);
}

IMPL(KEY_DERIVATION_ABORT)
{
    return psa_key_derivation_abort(a[0].slot);
}

/* A row without its do_ function does not compile. */
static const struct {
    uint16_t id;
    crypto_impl_fn fn;
} impls[] = {
#define CW_IMPL(nm, fid, ...) {fid, do_##nm},
    CRYPTO_CALLS(CW_IMPL)
#undef CW_IMPL
};

crypto_impl_fn crypto_impl(uint16_t id)
{
    size_t i;

    for (i = 0; i < sizeof(impls) / sizeof(impls[0]); i++)
        if (impls[i].id == id)
            return impls[i].fn;
    return NULL;
}
