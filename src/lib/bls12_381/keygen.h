/*
 * keygen.h - BLS12-381 secret keys from seeds: KeyGen of
 * draft-irtf-cfrg-bls-signature-04 section 2.3 and EIP-2333's
 * derive_master_SK / derive_child_SK, over Mbed TLS's HKDF-SHA256.
 *
 * A secret key is 32 bytes, the big-endian I2OSP(SK, 32) of an integer
 * 1 <= SK < r (r the order of G1 and G2).
 *
 * Constant time: nothing here branches on or indexes memory by a secret,
 * with one exception the specifications build in: KeyGen repeats its
 * HKDF while the reduced value is 0, which happens with probability about
 * 2^-255, so that loop's count reveals nothing in practice.  The reduction
 * mod r is branch-free limb arithmetic (keygen.c); HMAC/HKDF/SHA-256 are
 * Mbed TLS's, which do not branch on data either.  Every intermediate
 * secret (PRK, OKM, the Lamport keys, IKM's complement) is wiped before
 * return.
 */
#ifndef PARTIX_BLS_KEYGEN_H
#define PARTIX_BLS_KEYGEN_H

#include <stddef.h>
#include <stdint.h>

#define BLS_SK_LEN 32           /* a secret key, big-endian */
#define BLS_KEYGEN_MIN_IKM 32   /* KeyGen's IKM and EIP-2333's seed: at least 256 bits */
#define BLS_KEYGEN_MAX_INFO 255 /* partix's bound on KeyGen's key_info */
#define BLS_LAMPORT_PK_LEN 32   /* EIP-2333's compressed Lamport public key */

/* KeyGen(IKM, key_info) of draft-irtf-cfrg-bls-signature-04 (EIP-2333's
 * HKDF_mod_r): salt = "BLS-SIG-KEYGEN-SALT-", then until SK != 0:
 * salt = SHA-256(salt), PRK = HKDF-Extract(salt, IKM || I2OSP(0, 1)),
 * OKM = HKDF-Expand(PRK, key_info || I2OSP(48, 2), 48), SK = OS2IP(OKM)
 * mod r.  Writes SK to @p sk, which must not overlap @p ikm.  @p key_info
 * may be NULL if its length is 0.
 * Returns 0, or -1 (@p sk zeroed) if @p ikm_len is below
 * BLS_KEYGEN_MIN_IKM, @p key_info_len above BLS_KEYGEN_MAX_INFO, a pointer
 * is NULL, or Mbed TLS fails. */
int bls_keygen(uint8_t sk[BLS_SK_LEN], const uint8_t *ikm, size_t ikm_len, const uint8_t *key_info,
               size_t key_info_len);

/* EIP-2333 derive_master_SK(seed): KeyGen(seed, "").  Returns 0, or -1
 * (@p sk zeroed) for a seed shorter than BLS_KEYGEN_MIN_IKM bytes, a NULL
 * pointer, or a failure of Mbed TLS. */
int bls_derive_master_sk(uint8_t sk[BLS_SK_LEN], const uint8_t *seed, size_t seed_len);

/* EIP-2333 parent_SK_to_lamport_PK(parent_SK, index): the compressed
 * Lamport public key, SHA-256 over the SHA-256 of each of the 2 x 255
 * chunks of HKDF(salt = I2OSP(index, 4), IKM = parent_SK or its bitwise
 * complement, info = "", L = 8160) into @p pk (not overlapping
 * @p parent_sk).  Returns 0, or -1 (@p pk zeroed) if
 * @p parent_sk is not a secret key (0, or not below r), a pointer is
 * NULL, or Mbed TLS fails. */
int bls_parent_sk_to_lamport_pk(uint8_t pk[BLS_LAMPORT_PK_LEN], const uint8_t parent_sk[BLS_SK_LEN],
                                uint32_t index);

/* EIP-2333 derive_child_SK(parent_SK, index):
 * KeyGen(parent_SK_to_lamport_PK(parent_SK, index), "").  Returns 0, or -1
 * (@p child_sk zeroed) as bls_parent_sk_to_lamport_pk does.  @p child_sk
 * may be @p parent_sk. */
int bls_derive_child_sk(uint8_t child_sk[BLS_SK_LEN], const uint8_t parent_sk[BLS_SK_LEN],
                        uint32_t index);

/* @p in (48 bytes, big-endian, any value) mod r into @p out (32 bytes,
 * big-endian), in constant time. */
void bls_mod_r_384(uint8_t out[BLS_SK_LEN], const uint8_t in[48]);

/* Whether @p sk is a secret key: 1 if 1 <= SK < r, else 0; in constant
 * time. */
int bls_sk_is_valid(const uint8_t sk[BLS_SK_LEN]);

#endif
