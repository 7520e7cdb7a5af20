/*
 * crypto_aead.h - multi-part AEAD (GCM, CCM, ChaCha20-Poly1305) with the
 * PSA Crypto API's state machine, on key bytes.  Mbed TLS 2.28 has no
 * multi-part AEAD (its GCM takes the associated data in one piece, its CCM
 * only whole messages): GCM and CCM are built here on the block cipher
 * (NIST SP 800-38D, 38C), ChaCha20-Poly1305 on mbedtls_chachapoly_*.
 * Pure: no key store, no IPC; crypto_impl.c finds the key and calls these.
 */
#ifndef PARTIX_CRYPTO_AEAD_H
#define PARTIX_CRYPTO_AEAD_H

#include <stdbool.h>
#include <stdint.h>

#include <mbedtls/chachapoly.h>
#include <mbedtls/cipher.h>
#include <psa/crypto.h>

/* One operation.  Zeroed (or after ca_abort()) it is inactive. */
struct ca_op {
    uint8_t mode; /* CA_GCM, CA_CCM, CA_CHACHAPOLY; 0: inactive */
    bool encrypt, error;
    bool nonce_set, lengths_set, ad_started, body_started, ccm_begun;
    uint8_t tag_len, nonce_len;
    uint8_t nonce[13];            /* CCM's */
    uint64_t ad_len, body_len;    /* declared by set_lengths */
    uint64_t ad_done, body_done;  /* given so far */
    mbedtls_cipher_context_t blk; /* GCM, CCM: the block cipher, ECB */
    mbedtls_chachapoly_context cp;
    uint8_t h[16];    /* GCM: the hash subkey */
    uint8_t mac[16];  /* GCM: the GHASH state; CCM: the CBC-MAC state */
    uint8_t part[16]; /* bytes of the MAC's current block */
    uint8_t part_len;
    uint8_t ctr[16]; /* the counter block of the keystream */
    uint8_t ks[16];  /* its keystream block */
    uint8_t ks_used; /* bytes of ks used (16: none left) */
    uint8_t s0[16];  /* E(J0) (GCM), E(A0) (CCM): masks the tag */
};

/*
 * Starts @p op (inactive) for @p alg with the raw key of @p type: the
 * caller has checked that the key exists and permits this use.
 * INVALID_ARGUMENT for an algorithm that is not AEAD, a key the algorithm
 * cannot use or a tag length it does not allow; NOT_SUPPORTED for an AEAD
 * algorithm other than these three.  On failure @p op stays inactive.
 */
psa_status_t ca_setup(struct ca_op *op, bool encrypt, psa_key_type_t type, const uint8_t *key,
                      size_t key_len, psa_algorithm_t alg);

/* psa_aead_generate_nonce(): a random nonce of the algorithm's default
 * length (GCM and ChaCha20-Poly1305 12 bytes, CCM 13), set and copied out. */
psa_status_t ca_generate_nonce(struct ca_op *op, uint8_t *nonce, size_t size, size_t *length);

/* psa_aead_set_nonce(): GCM 1..CA_GCM_NONCE_MAX bytes, CCM 7..13,
 * ChaCha20-Poly1305 12. */
#define CA_GCM_NONCE_MAX 64
psa_status_t ca_set_nonce(struct ca_op *op, const uint8_t *nonce, size_t length);

/* psa_aead_set_lengths(): then enforced; CCM needs it before any data. */
psa_status_t ca_set_lengths(struct ca_op *op, uint64_t ad_length, uint64_t plaintext_length);

/* psa_aead_update_ad(). */
psa_status_t ca_update_ad(struct ca_op *op, const uint8_t *input, size_t length);

/* psa_aead_update(): exactly @p length bytes out, none held back. */
psa_status_t ca_update(struct ca_op *op, const uint8_t *input, size_t length, uint8_t *output,
                       size_t size, size_t *output_length);

/* psa_aead_finish() of an encryption: no more ciphertext, then the tag. */
psa_status_t ca_finish(struct ca_op *op, uint8_t *ciphertext, size_t ciphertext_size,
                       size_t *ciphertext_length, uint8_t *tag, size_t tag_size,
                       size_t *tag_length);

/* psa_aead_verify() of a decryption: no more plaintext; the tag compared
 * in constant time (INVALID_SIGNATURE). */
psa_status_t ca_verify(struct ca_op *op, uint8_t *plaintext, size_t plaintext_size,
                       size_t *plaintext_length, const uint8_t *tag, size_t tag_length);

/* psa_aead_abort(): frees and wipes; @p op is inactive again. */
void ca_abort(struct ca_op *op);

#endif /* PARTIX_CRYPTO_AEAD_H */
