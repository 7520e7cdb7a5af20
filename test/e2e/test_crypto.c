/*
 * test_crypto.c - the Crypto service against the real daemon, through
 * Mbed TLS's unchanged <psa/crypto.h> and libpsa-client alone: known-answer
 * tests from published vectors, RSA encryption round trips, key isolation
 * between two Linux users, export policy, and the operations a dead client
 * leaves behind.  Persistent keys: test_crypto_persist.c.
 */
#include <psa/crypto.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../vectors/aead/aead_vectors.h"
#include "fixture.h"

static struct fixture fx;

struct vec {
    const char *hex;
    uint8_t b[128];
    size_t n;
};

/* Hex to bytes, once per vector. */
static const uint8_t *H(struct vec *v)
{
    size_t i;
    unsigned x;

    v->n = strlen(v->hex) / 2;
    for (i = 0; i < v->n; i++) {
        sscanf(v->hex + 2 * i, "%2x", &x);
        v->b[i] = (uint8_t)x;
    }
    return v->b;
}

/* FIPS 180-2, appendix B.1: SHA-256("abc"). */
static struct vec sha256_abc = {
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", {0}, 0};

/* RFC 4231, test case 2: HMAC-SHA-256, key "Jefe". */
static struct vec hmac_tc2 = {
    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", {0}, 0};

/* McGrew & Viega, "The Galois/Counter Mode of Operation", test case 4 (AES-128). */
static struct vec gcm_key = {"feffe9928665731c6d6a8f9467308308", {0}, 0};
static struct vec gcm_iv = {"cafebabefacedbaddecaf888", {0}, 0};
static struct vec gcm_aad = {"feedfacedeadbeeffeedfacedeadbeefabaddad2", {0}, 0};
static struct vec gcm_pt = {"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                            "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
                            {0},
                            0};
static struct vec gcm_ct_tag = {"42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                                "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
                                "5bc94fbc3221a5db94fae95ae7121a47",
                                {0},
                                0};

/* RFC 6979, A.2.5: P-256, SHA-256, message "sample" (deterministic ECDSA). */
static struct vec p256_d = {
    "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721", {0}, 0};
static struct vec p256_q = {"0460fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
                            "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299",
                            {0},
                            0};
static struct vec p256_sig = {"efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
                              "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8",
                              {0},
                              0};

/* RFC 5869, test case 1: HKDF-SHA-256. */
static struct vec hkdf_okm = {"3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
                              "34007208d5b887185865",
                              {0},
                              0};

static int setup(void **state)
{
    (void)state;
    return fixture_start(&fx, NULL) == 0 && psa_crypto_init() == PSA_SUCCESS ? 0 : -1;
}

static psa_key_id_t import(psa_key_type_t type, psa_key_usage_t usage, psa_algorithm_t alg,
                           const uint8_t *data, size_t n)
{
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_id_t id = 0;

    psa_set_key_type(&attr, type);
    psa_set_key_usage_flags(&attr, usage);
    psa_set_key_algorithm(&attr, alg);
    assert_int_equal(psa_import_key(&attr, data, n, &id), PSA_SUCCESS);
    assert_int_not_equal(id, 0);
    return id;
}

static void test_random(void **state)
{
    uint8_t a[32] = {0}, b[32] = {0}, zero[32] = {0};

    (void)state;
    assert_int_equal(psa_generate_random(a, sizeof(a)), PSA_SUCCESS);
    assert_int_equal(psa_generate_random(b, sizeof(b)), PSA_SUCCESS);
    assert_memory_not_equal(a, zero, sizeof(a));
    assert_memory_not_equal(a, b, sizeof(a));
}

static void test_sha256(void **state)
{
    psa_hash_operation_t op = PSA_HASH_OPERATION_INIT, copy = PSA_HASH_OPERATION_INIT;
    uint8_t out[32];
    size_t n = 0;

    (void)state;
    H(&sha256_abc);
    assert_int_equal(
        psa_hash_compute(PSA_ALG_SHA_256, (const uint8_t *)"abc", 3, out, sizeof(out), &n),
        PSA_SUCCESS);
    assert_int_equal(n, 32);
    assert_memory_equal(out, sha256_abc.b, 32);
    assert_int_equal(psa_hash_compare(PSA_ALG_SHA_256, (const uint8_t *)"abc", 3, sha256_abc.b, 32),
                     PSA_SUCCESS);
    assert_int_equal(psa_hash_compare(PSA_ALG_SHA_256, (const uint8_t *)"abd", 3, sha256_abc.b, 32),
                     PSA_ERROR_INVALID_SIGNATURE);
    assert_int_equal(psa_hash_compute(PSA_ALG_SHA_256, (const uint8_t *)"abc", 3, out, 31, &n),
                     PSA_ERROR_BUFFER_TOO_SMALL);

    /* multi-part, with a clone finished separately */
    assert_int_equal(psa_hash_setup(&op, PSA_ALG_SHA_256), PSA_SUCCESS);
    assert_int_equal(psa_hash_setup(&op, PSA_ALG_SHA_256), PSA_ERROR_BAD_STATE);
    assert_int_equal(psa_hash_update(&op, (const uint8_t *)"a", 1), PSA_SUCCESS);
    assert_int_equal(psa_hash_clone(&op, &copy), PSA_SUCCESS);
    assert_int_equal(psa_hash_update(&op, (const uint8_t *)"bc", 2), PSA_SUCCESS);
    assert_int_equal(psa_hash_finish(&op, out, sizeof(out), &n), PSA_SUCCESS);
    assert_memory_equal(out, sha256_abc.b, 32);
    assert_int_equal(psa_hash_update(&op, (const uint8_t *)"a", 1), PSA_ERROR_BAD_STATE);
    assert_int_equal(psa_hash_update(&copy, (const uint8_t *)"bc", 2), PSA_SUCCESS);
    assert_int_equal(psa_hash_verify(&copy, sha256_abc.b, 32), PSA_SUCCESS);
    assert_int_equal(psa_hash_abort(&copy), PSA_SUCCESS);
}

static void test_hmac_rfc4231(void **state)
{
    static const char data[] = "what do ya want for nothing?";
    psa_mac_operation_t op = PSA_MAC_OPERATION_INIT;
    const psa_algorithm_t alg = PSA_ALG_HMAC(PSA_ALG_SHA_256);
    psa_key_id_t key;
    uint8_t mac[32];
    size_t n = 0;

    (void)state;
    H(&hmac_tc2);
    key = import(PSA_KEY_TYPE_HMAC, PSA_KEY_USAGE_SIGN_MESSAGE | PSA_KEY_USAGE_VERIFY_MESSAGE, alg,
                 (const uint8_t *)"Jefe", 4);
    assert_int_equal(
        psa_mac_compute(key, alg, (const uint8_t *)data, strlen(data), mac, sizeof(mac), &n),
        PSA_SUCCESS);
    assert_int_equal(n, 32);
    assert_memory_equal(mac, hmac_tc2.b, 32);
    assert_int_equal(psa_mac_verify(key, alg, (const uint8_t *)data, strlen(data), hmac_tc2.b, 32),
                     PSA_SUCCESS);
    mac[0] ^= 1;
    assert_int_equal(psa_mac_verify(key, alg, (const uint8_t *)data, strlen(data), mac, 32),
                     PSA_ERROR_INVALID_SIGNATURE);

    assert_int_equal(psa_mac_sign_setup(&op, key, alg), PSA_SUCCESS);
    assert_int_equal(psa_mac_update(&op, (const uint8_t *)data, 10), PSA_SUCCESS);
    assert_int_equal(psa_mac_update(&op, (const uint8_t *)data + 10, strlen(data) - 10),
                     PSA_SUCCESS);
    assert_int_equal(psa_mac_sign_finish(&op, mac, sizeof(mac), &n), PSA_SUCCESS);
    assert_memory_equal(mac, hmac_tc2.b, 32);
    assert_int_equal(psa_mac_verify_setup(&op, key, alg), PSA_SUCCESS);
    assert_int_equal(psa_mac_update(&op, (const uint8_t *)data, strlen(data)), PSA_SUCCESS);
    assert_int_equal(psa_mac_verify_finish(&op, hmac_tc2.b, 32), PSA_SUCCESS);
    assert_int_equal(psa_destroy_key(key), PSA_SUCCESS);
    assert_int_equal(psa_mac_compute(key, alg, (const uint8_t *)data, 4, mac, sizeof(mac), &n),
                     PSA_ERROR_INVALID_HANDLE);
}

static void test_aes_gcm(void **state)
{
    psa_key_id_t key;
    uint8_t out[128];
    size_t n = 0;

    (void)state;
    H(&gcm_key), H(&gcm_iv), H(&gcm_aad), H(&gcm_pt), H(&gcm_ct_tag);
    key = import(PSA_KEY_TYPE_AES, PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT, PSA_ALG_GCM,
                 gcm_key.b, gcm_key.n);
    assert_int_equal(psa_aead_encrypt(key, PSA_ALG_GCM, gcm_iv.b, gcm_iv.n, gcm_aad.b, gcm_aad.n,
                                      gcm_pt.b, gcm_pt.n, out, sizeof(out), &n),
                     PSA_SUCCESS);
    assert_int_equal(n, gcm_ct_tag.n);
    assert_memory_equal(out, gcm_ct_tag.b, n);
    assert_int_equal(psa_aead_decrypt(key, PSA_ALG_GCM, gcm_iv.b, gcm_iv.n, gcm_aad.b, gcm_aad.n,
                                      gcm_ct_tag.b, gcm_ct_tag.n, out, sizeof(out), &n),
                     PSA_SUCCESS);
    assert_int_equal(n, gcm_pt.n);
    assert_memory_equal(out, gcm_pt.b, n);
    gcm_ct_tag.b[gcm_ct_tag.n - 1] ^= 1;
    assert_int_equal(psa_aead_decrypt(key, PSA_ALG_GCM, gcm_iv.b, gcm_iv.n, gcm_aad.b, gcm_aad.n,
                                      gcm_ct_tag.b, gcm_ct_tag.n, out, sizeof(out), &n),
                     PSA_ERROR_INVALID_SIGNATURE);
    assert_int_equal(psa_destroy_key(key), PSA_SUCCESS);
}

static void test_cipher(void **state)
{
    psa_cipher_operation_t op = PSA_CIPHER_OPERATION_INIT;
    static const uint8_t k[16] = {1, 2, 3};
    uint8_t msg[40], ct[64], pt[64], iv[16];
    size_t n = 0, m = 0, ivn = 0;
    psa_key_id_t key;

    (void)state;
    memset(msg, 'x', sizeof(msg));
    key = import(PSA_KEY_TYPE_AES, PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT, PSA_ALG_CTR, k,
                 sizeof(k));
    assert_int_equal(psa_cipher_encrypt(key, PSA_ALG_CTR, msg, sizeof(msg), ct, sizeof(ct), &n),
                     PSA_SUCCESS);
    assert_int_equal(n, 16 + sizeof(msg)); /* the IV, then the ciphertext */
    assert_int_equal(psa_cipher_decrypt(key, PSA_ALG_CTR, ct, n, pt, sizeof(pt), &m), PSA_SUCCESS);
    assert_int_equal(m, sizeof(msg));
    assert_memory_equal(pt, msg, m);

    /* multi-part decryption of the same ciphertext */
    assert_int_equal(psa_cipher_decrypt_setup(&op, key, PSA_ALG_CTR), PSA_SUCCESS);
    assert_int_equal(psa_cipher_set_iv(&op, ct, 16), PSA_SUCCESS);
    assert_int_equal(psa_cipher_update(&op, ct + 16, sizeof(msg), pt, sizeof(pt), &m), PSA_SUCCESS);
    assert_int_equal(psa_cipher_finish(&op, pt + m, sizeof(pt) - m, &n), PSA_SUCCESS);
    assert_int_equal(m + n, sizeof(msg));
    assert_memory_equal(pt, msg, sizeof(msg));
    assert_int_equal(psa_cipher_encrypt_setup(&op, key, PSA_ALG_CTR), PSA_SUCCESS);
    assert_int_equal(psa_cipher_generate_iv(&op, iv, sizeof(iv), &ivn), PSA_SUCCESS);
    assert_int_equal(ivn, 16);
    assert_int_equal(psa_cipher_abort(&op), PSA_SUCCESS);
    assert_int_equal(psa_destroy_key(key), PSA_SUCCESS);
}

static void test_ecdsa_p256(void **state)
{
    const psa_algorithm_t det = PSA_ALG_DETERMINISTIC_ECDSA(PSA_ALG_SHA_256);
    const psa_algorithm_t rnd = PSA_ALG_ECDSA(PSA_ALG_SHA_256);
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    uint8_t sig[64], pub[65], hash[32];
    psa_key_id_t priv, pubkey, gen;
    size_t n = 0;

    (void)state;
    H(&p256_d), H(&p256_q), H(&p256_sig);
    /* the published signature verifies with the published public key */
    pubkey =
        import(PSA_KEY_TYPE_ECC_PUBLIC_KEY(PSA_ECC_FAMILY_SECP_R1),
               PSA_KEY_USAGE_VERIFY_MESSAGE | PSA_KEY_USAGE_VERIFY_HASH, rnd, p256_q.b, p256_q.n);
    assert_int_equal(
        psa_verify_message(pubkey, rnd, (const uint8_t *)"sample", 6, p256_sig.b, p256_sig.n),
        PSA_SUCCESS);
    assert_int_equal(
        psa_verify_message(pubkey, rnd, (const uint8_t *)"sampla", 6, p256_sig.b, p256_sig.n),
        PSA_ERROR_INVALID_SIGNATURE);
    /* RFC 6979's deterministic nonce gives exactly the published signature */
    priv = import(PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1),
                  PSA_KEY_USAGE_SIGN_MESSAGE | PSA_KEY_USAGE_SIGN_HASH, det, p256_d.b, p256_d.n);
    assert_int_equal(
        psa_sign_message(priv, det, (const uint8_t *)"sample", 6, sig, sizeof(sig), &n),
        PSA_SUCCESS);
    assert_int_equal(n, 64);
    assert_memory_equal(sig, p256_sig.b, 64);
    assert_int_equal(psa_export_public_key(priv, pub, sizeof(pub), &n), PSA_SUCCESS);
    assert_int_equal(n, 65);
    assert_memory_equal(pub, p256_q.b, 65);
    /* a generated key: sign a hash, verify it */
    psa_set_key_type(&attr, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&attr, 256);
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_SIGN_HASH | PSA_KEY_USAGE_VERIFY_HASH);
    psa_set_key_algorithm(&attr, rnd);
    assert_int_equal(psa_generate_key(&attr, &gen), PSA_SUCCESS);
    assert_int_equal(
        psa_hash_compute(PSA_ALG_SHA_256, (const uint8_t *)"abc", 3, hash, sizeof(hash), &n),
        PSA_SUCCESS);
    assert_int_equal(psa_sign_hash(gen, rnd, hash, 32, sig, sizeof(sig), &n), PSA_SUCCESS);
    assert_int_equal(psa_verify_hash(gen, rnd, hash, 32, sig, n), PSA_SUCCESS);
    hash[0] ^= 1;
    assert_int_equal(psa_verify_hash(gen, rnd, hash, 32, sig, n), PSA_ERROR_INVALID_SIGNATURE);
    /* the attributes come back in the caller's terms */
    psa_reset_key_attributes(&attr);
    assert_int_equal(psa_get_key_attributes(gen, &attr), PSA_SUCCESS);
    assert_int_equal(psa_get_key_id(&attr), gen);
    assert_int_equal(psa_get_key_lifetime(&attr), PSA_KEY_LIFETIME_VOLATILE);
    assert_int_equal(psa_get_key_bits(&attr), 256);
    assert_int_equal(psa_get_key_algorithm(&attr), rnd);
    assert_int_equal(psa_destroy_key(gen), PSA_SUCCESS);
    assert_int_equal(psa_destroy_key(priv), PSA_SUCCESS);
    assert_int_equal(psa_destroy_key(pubkey), PSA_SUCCESS);
}

/* RSA encryption with a generated 2048-bit pair and its public half
 * exported and imported: OAEP (SHA-256, with a label), and PKCS#1 v1.5 as
 * the pair's second algorithm. */
static void test_rsa_encryption(void **state)
{
    const psa_algorithm_t oaep = PSA_ALG_RSA_OAEP(PSA_ALG_SHA_256),
                          v15 = PSA_ALG_RSA_PKCS1V15_CRYPT;
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    static const uint8_t label[] = "label";
    uint8_t msg[191], pub[300], ct[256], ct2[256], pt[256];
    psa_key_id_t pair, pubkey;
    size_t n = 0, m = 0;

    (void)state;
    memset(msg, 'm', sizeof(msg));
    psa_set_key_type(&attr, PSA_KEY_TYPE_RSA_KEY_PAIR);
    psa_set_key_bits(&attr, 2048);
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT);
    psa_set_key_algorithm(&attr, oaep);
    psa_set_key_enrollment_algorithm(&attr, v15);
    assert_int_equal(psa_generate_key(&attr, &pair), PSA_SUCCESS);
    assert_int_equal(psa_export_public_key(pair, pub, sizeof(pub), &n), PSA_SUCCESS);
    pubkey = import(PSA_KEY_TYPE_RSA_PUBLIC_KEY, PSA_KEY_USAGE_ENCRYPT, oaep, pub, n);

    /* OAEP: the public key encrypts (randomised), the pair decrypts */
    assert_int_equal(psa_asymmetric_encrypt(pubkey, oaep, msg, 20, label, 5, ct, sizeof(ct), &n),
                     PSA_SUCCESS);
    assert_int_equal(n, 256);
    assert_int_equal(psa_asymmetric_encrypt(pubkey, oaep, msg, 20, label, 5, ct2, sizeof(ct2), &n),
                     PSA_SUCCESS);
    assert_memory_not_equal(ct, ct2, 256);
    assert_int_equal(psa_asymmetric_decrypt(pair, oaep, ct, 256, label, 5, pt, sizeof(pt), &m),
                     PSA_SUCCESS);
    assert_int_equal(m, 20);
    assert_memory_equal(pt, msg, 20);
    /* the label is part of the ciphertext */
    assert_int_equal(psa_asymmetric_decrypt(pair, oaep, ct, 256, label, 4, pt, sizeof(pt), &m),
                     PSA_ERROR_INVALID_PADDING);
    assert_int_equal(psa_asymmetric_decrypt(pair, oaep, ct2, 256, NULL, 0, pt, sizeof(pt), &m),
                     PSA_ERROR_INVALID_PADDING);
    /* 256 - 2 * 32 - 2 = 190 bytes at most; a whole modulus of output */
    assert_int_equal(psa_asymmetric_encrypt(pubkey, oaep, msg, 190, NULL, 0, ct, sizeof(ct), &n),
                     PSA_SUCCESS);
    assert_int_equal(psa_asymmetric_decrypt(pair, oaep, ct, n, NULL, 0, pt, sizeof(pt), &m),
                     PSA_SUCCESS);
    assert_int_equal(m, 190);
    assert_memory_equal(pt, msg, 190);
    assert_int_equal(psa_asymmetric_encrypt(pubkey, oaep, msg, 191, NULL, 0, ct, sizeof(ct), &n),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_asymmetric_encrypt(pubkey, oaep, msg, 20, NULL, 0, ct, 255, &n),
                     PSA_ERROR_BUFFER_TOO_SMALL);
    /* a public key cannot decrypt, and this one may not */
    assert_int_equal(psa_asymmetric_decrypt(pubkey, oaep, ct, 256, NULL, 0, pt, sizeof(pt), &m),
                     PSA_ERROR_NOT_PERMITTED);

    /* PKCS#1 v1.5, the pair's second algorithm: no label */
    assert_int_equal(psa_asymmetric_encrypt(pair, v15, msg, 20, NULL, 0, ct, sizeof(ct), &n),
                     PSA_SUCCESS);
    assert_int_equal(n, 256);
    assert_int_equal(psa_asymmetric_decrypt(pair, v15, ct, n, NULL, 0, pt, sizeof(pt), &m),
                     PSA_SUCCESS);
    assert_int_equal(m, 20);
    assert_memory_equal(pt, msg, 20);
    assert_int_equal(psa_asymmetric_encrypt(pair, v15, msg, 20, label, 5, ct, sizeof(ct), &n),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_asymmetric_decrypt(pair, oaep, ct2, 256, label, 5, pt, sizeof(pt), &m),
                     PSA_SUCCESS); /* the pair still holds OAEP */
    assert_int_equal(psa_asymmetric_encrypt(pubkey, v15, msg, 20, NULL, 0, ct, sizeof(ct), &n),
                     PSA_ERROR_NOT_PERMITTED); /* not the public key's algorithm */
    assert_int_equal(psa_destroy_key(pubkey), PSA_SUCCESS);
    assert_int_equal(psa_destroy_key(pair), PSA_SUCCESS);
}

static void test_ecdh_and_hkdf(void **state)
{
    psa_key_derivation_operation_t op = PSA_KEY_DERIVATION_OPERATION_INIT;
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    uint8_t pa[65], pb[65], sa[32], sb[32], ikm[22], salt[13], info[10], okm[42];
    psa_key_id_t a, b, ik;
    size_t n = 0, m = 0, cap = 0, i;

    (void)state;
    psa_set_key_type(&attr, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&attr, 256);
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_DERIVE);
    psa_set_key_algorithm(&attr, PSA_ALG_ECDH);
    assert_int_equal(psa_generate_key(&attr, &a), PSA_SUCCESS);
    assert_int_equal(psa_generate_key(&attr, &b), PSA_SUCCESS);
    assert_int_equal(psa_export_public_key(a, pa, sizeof(pa), &n), PSA_SUCCESS);
    assert_int_equal(psa_export_public_key(b, pb, sizeof(pb), &n), PSA_SUCCESS);
    assert_int_equal(psa_raw_key_agreement(PSA_ALG_ECDH, a, pb, sizeof(pb), sa, sizeof(sa), &n),
                     PSA_SUCCESS);
    assert_int_equal(psa_raw_key_agreement(PSA_ALG_ECDH, b, pa, sizeof(pa), sb, sizeof(sb), &m),
                     PSA_SUCCESS);
    assert_int_equal(n, 32);
    assert_int_equal(m, 32);
    assert_memory_equal(sa, sb, 32);
    assert_int_equal(psa_destroy_key(a), PSA_SUCCESS);
    assert_int_equal(psa_destroy_key(b), PSA_SUCCESS);

    H(&hkdf_okm);
    memset(ikm, 0x0b, sizeof(ikm));
    for (i = 0; i < sizeof(salt); i++)
        salt[i] = (uint8_t)i;
    for (i = 0; i < sizeof(info); i++)
        info[i] = (uint8_t)(0xf0 + i);
    ik = import(PSA_KEY_TYPE_DERIVE, PSA_KEY_USAGE_DERIVE, PSA_ALG_HKDF(PSA_ALG_SHA_256), ikm,
                sizeof(ikm));
    assert_int_equal(psa_key_derivation_setup(&op, PSA_ALG_HKDF(PSA_ALG_SHA_256)), PSA_SUCCESS);
    assert_int_equal(psa_key_derivation_set_capacity(&op, 42), PSA_SUCCESS);
    assert_int_equal(psa_key_derivation_get_capacity(&op, &cap), PSA_SUCCESS);
    assert_int_equal(cap, 42);
    assert_int_equal(
        psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_SALT, salt, sizeof(salt)),
        PSA_SUCCESS);
    assert_int_equal(psa_key_derivation_input_key(&op, PSA_KEY_DERIVATION_INPUT_SECRET, ik),
                     PSA_SUCCESS);
    assert_int_equal(
        psa_key_derivation_input_bytes(&op, PSA_KEY_DERIVATION_INPUT_INFO, info, sizeof(info)),
        PSA_SUCCESS);
    assert_int_equal(psa_key_derivation_output_bytes(&op, okm, sizeof(okm)), PSA_SUCCESS);
    assert_memory_equal(okm, hkdf_okm.b, 42);
    assert_int_equal(psa_key_derivation_abort(&op), PSA_SUCCESS);
    assert_int_equal(psa_destroy_key(ik), PSA_SUCCESS);
}

static void test_key_policy(void **state)
{
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    static const uint8_t k[16] = {7};
    uint8_t out[16];
    psa_key_id_t key, copy = 0;
    size_t n = 0;

    (void)state;
    /* no PSA_KEY_USAGE_EXPORT: the key never leaves the partition */
    key = import(PSA_KEY_TYPE_AES, PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_COPY, PSA_ALG_CTR, k,
                 sizeof(k));
    assert_int_equal(psa_export_key(key, out, sizeof(out), &n), PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(n, 0);
    /* a copy may not widen the policy */
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_EXPORT);
    psa_set_key_algorithm(&attr, PSA_ALG_CTR);
    assert_int_equal(psa_copy_key(key, &attr, &copy), PSA_SUCCESS);
    assert_int_equal(psa_export_key(copy, out, sizeof(out), &n), PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(psa_purge_key(copy), PSA_SUCCESS);
    assert_int_equal(psa_destroy_key(copy), PSA_SUCCESS);
    assert_int_equal(psa_destroy_key(key), PSA_SUCCESS);
    assert_int_equal(psa_destroy_key(key), PSA_ERROR_INVALID_HANDLE);

    /* a key in storage other than the partition's own */
    psa_reset_key_attributes(&attr);
    psa_set_key_lifetime(
        &attr, PSA_KEY_LIFETIME_FROM_PERSISTENCE_AND_LOCATION(PSA_KEY_PERSISTENCE_VOLATILE, 1));
    psa_set_key_type(&attr, PSA_KEY_TYPE_AES);
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_ENCRYPT);
    assert_int_equal(psa_import_key(&attr, k, sizeof(k), &copy), PSA_ERROR_NOT_SUPPORTED);
}

/* Root's key, seen from uid 65534: it does not exist there, and the same id
 * names the other user's own key.  Runs as that user; a bit per failure. */
static int other_user(void *arg)
{
    static const uint8_t other_k[16] = {0xbb};
    psa_key_id_t key = *(const psa_key_id_t *)arg, mine = 0;
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    uint8_t out[16];
    size_t n = 0;
    int bad = 0;

    bad |= (psa_export_key(key, out, sizeof(out), &n) != PSA_ERROR_INVALID_HANDLE) << 0;
    bad |= (psa_get_key_attributes(key, &attr) != PSA_ERROR_INVALID_HANDLE) << 1;
    bad |= (psa_destroy_key(key) != PSA_ERROR_INVALID_HANDLE) << 2;
    bad |= (psa_cipher_encrypt(key, PSA_ALG_CTR, out, 16, out, 16, &n) != PSA_ERROR_INVALID_HANDLE)
           << 3;
    psa_set_key_type(&attr, PSA_KEY_TYPE_AES);
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_EXPORT);
    bad |= (psa_import_key(&attr, other_k, sizeof(other_k), &mine) != PSA_SUCCESS) << 4;
    bad |= (mine != key) << 5; /* each user numbers its own keys */
    bad |=
        (psa_export_key(mine, out, sizeof(out), &n) != PSA_SUCCESS || memcmp(out, other_k, 16) != 0)
        << 6;
    bad |= (psa_destroy_key(mine) != PSA_SUCCESS) << 7;
    return bad != 0 ? 1 + (bad & 0x3f) : 0;
}

static void test_isolation_between_users(void **state)
{
    static const uint8_t root_k[16] = {0xaa};
    uint8_t out[16];
    psa_key_id_t key;
    size_t n = 0;
    int rc;

    (void)state;
    key = import(PSA_KEY_TYPE_AES, PSA_KEY_USAGE_EXPORT, PSA_ALG_CTR, root_k, sizeof(root_k));
    rc = fixture_run_as(&fx, 65534, other_user, &key);
    if (rc == -2) {
        print_message("skipped: key isolation between two users needs root\n");
        assert_int_equal(psa_destroy_key(key), PSA_SUCCESS);
        skip();
    }
    assert_int_equal(rc, 0);
    assert_int_equal(psa_export_key(key, out, sizeof(out), &n), PSA_SUCCESS);
    assert_memory_equal(out, root_k, 16);
    assert_int_equal(psa_destroy_key(key), PSA_SUCCESS);
}

/* A process that ends with operations open: the partition frees them when
 * the SPM closes the process's session. */
static void test_disconnect_frees_operations(void **state)
{
    psa_hash_operation_t ops[9];
    int status, i;
    pid_t pid;

    (void)state;
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int bad = 0;

        for (i = 0; i < 9; i++)
            ops[i] = psa_hash_operation_init();
        for (i = 0; i < 8; i++)
            bad |= psa_hash_setup(&ops[i], PSA_ALG_SHA_256) != PSA_SUCCESS;
        /* a process holds 8 at most */
        bad |= (psa_hash_setup(&ops[8], PSA_ALG_SHA_256) != PSA_ERROR_INSUFFICIENT_MEMORY) << 1;
        _exit(bad);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_true(fixture_log_has(&fx, "closed its session", "freed 8 open operation(s)"));
    /* this process still gets its own */
    ops[0] = psa_hash_operation_init();
    assert_int_equal(psa_hash_setup(&ops[0], PSA_ALG_SHA_256), PSA_SUCCESS);
    assert_int_equal(psa_hash_abort(&ops[0]), PSA_SUCCESS);
    assert_int_equal(psa_hash_abort(&ops[0]), PSA_SUCCESS); /* inactive: nothing to do */
}

/* PSA Crypto API: on failure the output key id is PSA_KEY_ID_NULL, not what
 * the caller's variable held before. */
static void test_key_id_null_on_failure(void **state)
{
    psa_key_derivation_operation_t kdf = PSA_KEY_DERIVATION_OPERATION_INIT;
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    static const uint8_t five[5] = {1, 2, 3, 4, 5};
    psa_key_id_t id;

    (void)state;
    psa_set_key_type(&attr, PSA_KEY_TYPE_AES);
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_ENCRYPT);
    psa_set_key_algorithm(&attr, PSA_ALG_GCM);
    id = 0x1234;
    assert_int_equal(psa_import_key(&attr, five, sizeof(five), &id), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(id, PSA_KEY_ID_NULL);
    id = 0x1234;
    assert_int_equal(psa_copy_key(0x7777, &attr, &id), PSA_ERROR_INVALID_HANDLE);
    assert_int_equal(id, PSA_KEY_ID_NULL);
    psa_set_key_bits(&attr, 100); /* no AES key has 100 bits */
    id = 0x1234;
    assert_int_not_equal(psa_generate_key(&attr, &id), PSA_SUCCESS);
    assert_int_equal(id, PSA_KEY_ID_NULL);
    psa_set_key_bits(&attr, 128);
    id = 0x1234; /* an inactive operation: the client answers, not the partition */
    assert_int_equal(psa_key_derivation_output_key(&attr, &kdf, &id), PSA_ERROR_BAD_STATE);
    assert_int_equal(id, PSA_KEY_ID_NULL);
    assert_int_equal(psa_key_derivation_setup(&kdf, PSA_ALG_HKDF(PSA_ALG_SHA_256)), PSA_SUCCESS);
    id = 0x1234; /* no inputs yet: Mbed TLS 2.28 says NOT_PERMITTED */
    assert_int_not_equal(psa_key_derivation_output_key(&attr, &kdf, &id), PSA_SUCCESS);
    assert_int_equal(id, PSA_KEY_ID_NULL);
    assert_int_equal(psa_key_derivation_abort(&kdf), PSA_SUCCESS);
}

struct aead_parsed {
    struct vec key, nonce, ad, pt, ct, tag;
};

static void aead_parse(const struct aead_vector *v, struct aead_parsed *p)
{
    p->key.hex = v->key, p->nonce.hex = v->nonce, p->ad.hex = v->ad;
    p->pt.hex = v->pt, p->ct.hex = v->ct, p->tag.hex = v->tag;
    H(&p->key), H(&p->nonce), H(&p->ad), H(&p->pt), H(&p->ct), H(&p->tag);
}

/* Multi-part AEAD through libpsa-client and the partition, on the published
 * vectors (test/vectors/aead/: SP 800-38D, SP 800-38C, RFC 8439 2.8.2), the
 * data in uneven pieces; a changed tag fails. */
static void test_aead_multipart_vectors(void **state)
{
    uint8_t out[160], tag[16];
    struct aead_parsed p;
    size_t v, n, m, tn, off;
    psa_key_id_t key;

    (void)state;
    for (v = 0; v < AEAD_N_VECTORS; v++) {
        const struct aead_vector *vec = &aead_vectors[v];
        psa_aead_operation_t op = PSA_AEAD_OPERATION_INIT;

        print_message("%s\n", vec->source);
        aead_parse(vec, &p);
        key = import(vec->type, PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT, vec->alg, p.key.b,
                     p.key.n);
        assert_int_equal(psa_aead_encrypt_setup(&op, key, vec->alg), PSA_SUCCESS);
        assert_int_equal(psa_aead_set_lengths(&op, p.ad.n, p.pt.n), PSA_SUCCESS);
        assert_int_equal(psa_aead_set_nonce(&op, p.nonce.b, p.nonce.n), PSA_SUCCESS);
        assert_int_equal(psa_aead_update_ad(&op, p.ad.b, 3), PSA_SUCCESS);
        assert_int_equal(psa_aead_update_ad(&op, p.ad.b + 3, p.ad.n - 3), PSA_SUCCESS);
        for (off = 0, n = 0; off < p.pt.n; off += m) {
            m = p.pt.n - off < 17 ? p.pt.n - off : 17;
            assert_int_equal(psa_aead_update(&op, p.pt.b + off, m, out + n, sizeof(out) - n, &tn),
                             PSA_SUCCESS);
            n += tn;
        }
        assert_int_equal(psa_aead_finish(&op, out + n, sizeof(out) - n, &m, tag, sizeof(tag), &tn),
                         PSA_SUCCESS);
        assert_int_equal(n + m, p.ct.n);
        assert_memory_equal(out, p.ct.b, p.ct.n);
        assert_int_equal(tn, p.tag.n);
        assert_memory_equal(tag, p.tag.b, tn);

        assert_int_equal(psa_aead_decrypt_setup(&op, key, vec->alg), PSA_SUCCESS);
        assert_int_equal(psa_aead_set_lengths(&op, p.ad.n, p.ct.n), PSA_SUCCESS);
        assert_int_equal(psa_aead_set_nonce(&op, p.nonce.b, p.nonce.n), PSA_SUCCESS);
        assert_int_equal(psa_aead_update_ad(&op, p.ad.b, p.ad.n), PSA_SUCCESS);
        assert_int_equal(psa_aead_update(&op, p.ct.b, p.ct.n, out, sizeof(out), &n), PSA_SUCCESS);
        assert_int_equal(psa_aead_verify(&op, out + n, sizeof(out) - n, &m, p.tag.b, p.tag.n),
                         PSA_SUCCESS);
        assert_int_equal(n + m, p.pt.n);
        assert_memory_equal(out, p.pt.b, p.pt.n);

        p.tag.b[0] ^= 1;
        assert_int_equal(psa_aead_decrypt_setup(&op, key, vec->alg), PSA_SUCCESS);
        assert_int_equal(psa_aead_set_lengths(&op, p.ad.n, p.ct.n), PSA_SUCCESS);
        assert_int_equal(psa_aead_set_nonce(&op, p.nonce.b, p.nonce.n), PSA_SUCCESS);
        assert_int_equal(psa_aead_update_ad(&op, p.ad.b, p.ad.n), PSA_SUCCESS);
        assert_int_equal(psa_aead_update(&op, p.ct.b, p.ct.n, out, sizeof(out), &n), PSA_SUCCESS);
        assert_int_equal(psa_aead_verify(&op, NULL, 0, &m, p.tag.b, p.tag.n),
                         PSA_ERROR_INVALID_SIGNATURE);
        assert_int_equal(psa_aead_abort(&op), PSA_SUCCESS); /* ended already */
        assert_int_equal(psa_destroy_key(key), PSA_SUCCESS);
    }
}

/* A generated nonce, then Mbed TLS's one-shot decryption in the partition
 * reads what the multi-part encryption wrote. */
static void test_aead_generate_nonce(void **state)
{
    psa_aead_operation_t op = PSA_AEAD_OPERATION_INIT;
    static const uint8_t k[16] = {9, 8, 7}, msg[40] = "forty bytes of a message, in two parts";
    uint8_t nonce[16], ct[64], back[64];
    size_t nn, n, m, tn;
    psa_key_id_t key;

    (void)state;
    key = import(PSA_KEY_TYPE_AES, PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT, PSA_ALG_GCM, k,
                 sizeof(k));
    assert_int_equal(psa_aead_encrypt_setup(&op, key, PSA_ALG_GCM), PSA_SUCCESS);
    assert_int_equal(psa_aead_generate_nonce(&op, nonce, sizeof(nonce), &nn), PSA_SUCCESS);
    assert_int_equal(nn, 12);
    assert_int_equal(psa_aead_update(&op, msg, 25, ct, sizeof(ct), &n), PSA_SUCCESS);
    assert_int_equal(psa_aead_update(&op, msg + 25, 15, ct + n, sizeof(ct) - n, &m), PSA_SUCCESS);
    n += m;
    assert_int_equal(psa_aead_finish(&op, ct + n, sizeof(ct) - n, &m, ct + n, sizeof(ct) - n, &tn),
                     PSA_SUCCESS);
    assert_int_equal(m, 0);
    assert_int_equal(tn, 16);
    assert_int_equal(
        psa_aead_decrypt(key, PSA_ALG_GCM, nonce, nn, NULL, 0, ct, n + tn, back, sizeof(back), &m),
        PSA_SUCCESS);
    assert_int_equal(m, sizeof(msg));
    assert_memory_equal(back, msg, m);
    assert_int_equal(psa_destroy_key(key), PSA_SUCCESS);
}

/* The PSA state machine and policy, through the service. */
static void test_aead_states_and_policy(void **state)
{
    psa_aead_operation_t op = PSA_AEAD_OPERATION_INIT, ops[5];
    static const uint8_t k[16] = {1}, nonce[13] = {2};
    uint8_t b[32] = {0};
    psa_key_id_t key, enc_only;
    size_t n, i;
    int status;
    pid_t pid;

    (void)state;
    key = import(PSA_KEY_TYPE_AES, PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_DECRYPT,
                 PSA_ALG_AEAD_WITH_AT_LEAST_THIS_LENGTH_TAG(PSA_ALG_CCM, 8), k, sizeof(k));
    enc_only = import(PSA_KEY_TYPE_AES, PSA_KEY_USAGE_ENCRYPT, PSA_ALG_GCM, k, sizeof(k));

    /* inactive: every call but abort */
    assert_int_equal(psa_aead_set_nonce(&op, nonce, 12), PSA_ERROR_BAD_STATE);
    assert_int_equal(psa_aead_abort(&op), PSA_SUCCESS);
    /* the algorithm, the usage, the policy (a wildcard allows longer tags only) */
    assert_int_equal(psa_aead_encrypt_setup(&op, key, PSA_ALG_CTR), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_aead_decrypt_setup(&op, enc_only, PSA_ALG_GCM), PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(psa_aead_encrypt_setup(&op, key, PSA_ALG_GCM), PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(
        psa_aead_encrypt_setup(&op, key, PSA_ALG_AEAD_WITH_SHORTENED_TAG(PSA_ALG_CCM, 6)),
        PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(psa_aead_encrypt_setup(&op, 0x7777, PSA_ALG_GCM), PSA_ERROR_INVALID_HANDLE);
    assert_int_equal(psa_aead_encrypt_setup(&op, key, PSA_ALG_CCM), PSA_SUCCESS);
    assert_int_equal(psa_aead_encrypt_setup(&op, key, PSA_ALG_CCM), PSA_ERROR_BAD_STATE);
    /* CCM: the lengths before any data; an error state until abort */
    assert_int_equal(psa_aead_set_nonce(&op, nonce, 13), PSA_SUCCESS);
    assert_int_equal(psa_aead_update_ad(&op, b, 4), PSA_ERROR_BAD_STATE);
    assert_int_equal(psa_aead_set_lengths(&op, 4, 4), PSA_ERROR_BAD_STATE);
    assert_int_equal(psa_aead_abort(&op), PSA_SUCCESS);
    assert_int_equal(psa_aead_encrypt_setup(&op, key, PSA_ALG_CCM), PSA_SUCCESS);
    assert_int_equal(psa_aead_set_lengths(&op, 4, 4), PSA_SUCCESS);
    assert_int_equal(psa_aead_set_nonce(&op, nonce, 13), PSA_SUCCESS);
    assert_int_equal(psa_aead_update_ad(&op, b, 5), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_aead_abort(&op), PSA_SUCCESS);
    /* a decryption does not finish, nor make its nonce */
    assert_int_equal(psa_aead_decrypt_setup(&op, key, PSA_ALG_CCM), PSA_SUCCESS);
    assert_int_equal(psa_aead_generate_nonce(&op, b, sizeof(b), &n), PSA_ERROR_BAD_STATE);
    assert_int_equal(psa_aead_abort(&op), PSA_SUCCESS);
    assert_int_equal(psa_aead_abort(&op), PSA_SUCCESS);

    /* each user holds CRYPTO_USER_MAX_AEAD_OPS (4) at once, over its processes */
    for (i = 0; i < 5; i++)
        ops[i] = psa_aead_operation_init();
    for (i = 0; i < 4; i++)
        assert_int_equal(psa_aead_encrypt_setup(&ops[i], enc_only, PSA_ALG_GCM), PSA_SUCCESS);
    assert_int_equal(psa_aead_encrypt_setup(&ops[4], enc_only, PSA_ALG_GCM),
                     PSA_ERROR_INSUFFICIENT_MEMORY);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0)
        _exit(psa_aead_encrypt_setup(&ops[4], enc_only, PSA_ALG_GCM) ==
                      PSA_ERROR_INSUFFICIENT_MEMORY
                  ? 0
                  : 1);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(psa_aead_abort(&ops[0]), PSA_SUCCESS);
    assert_int_equal(psa_aead_encrypt_setup(&ops[4], enc_only, PSA_ALG_GCM), PSA_SUCCESS);
    for (i = 1; i < 5; i++)
        assert_int_equal(psa_aead_abort(&ops[i]), PSA_SUCCESS);
    assert_int_equal(psa_destroy_key(key), PSA_SUCCESS);
    assert_int_equal(psa_destroy_key(enc_only), PSA_SUCCESS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_random, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_sha256, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_hmac_rfc4231, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_aes_gcm, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_cipher, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_ecdsa_p256, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_rsa_encryption, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_ecdh_and_hkdf, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_key_policy, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_isolation_between_users, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_disconnect_frees_operations, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_key_id_null_on_failure, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_aead_multipart_vectors, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_aead_generate_nonce, setup, fixture_teardown),
        cmocka_unit_test_setup_teardown(test_aead_states_and_policy, setup, fixture_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
