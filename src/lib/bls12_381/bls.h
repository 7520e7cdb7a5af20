/*
 * bls.h - BLS signatures on BLS12-381 as Ethereum uses them:
 * draft-irtf-cfrg-bls-signature-04, minimal-pubkey-size variant (public
 * keys in G1, 48 bytes; signatures in G2, 96 bytes; both in the ZCash
 * compressed form), proof-of-possession scheme, ciphersuite
 * BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_ (proofs of possession use
 * BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_).  KeyGen is keygen.h's
 * bls_keygen (identical to EIP-2333 derive_master_SK).
 *
 * Secret keys are 32 bytes, big-endian, 1 <= SK < r; anything else is
 * refused.  Messages are any bytes (Ethereum signs 32-byte roots).
 *
 * Results: functions that produce something return 0, or -1 for invalid
 * input (nothing useful is written then); predicates (verify, validate)
 * return 1 for VALID and 0 for INVALID, where INVALID covers every
 * malformed input too: a bad encoding, a point not in its group, a
 * public key that fails KeyValidate, an empty list.
 *
 * Constant time (what an observer of timing, branches and memory access
 * learns): bls_sk_to_pk, bls_sign and bls_pop_prove run in time
 * independent of the secret key's value: its range check is branch-free
 * arithmetic, the scalar multiplication reads every table entry at every
 * step and uses complete addition formulas, the affine conversion is a
 * fixed exponentiation.  They branch only on whether the key was valid
 * (a key is rejected or not, once) and on the public message.  Everything
 * else here (verification, aggregation, decoding, hash_to_curve) handles
 * public data only and is variable time.
 */
#ifndef PARTIX_BLS_H
#define PARTIX_BLS_H

#include <stddef.h>
#include <stdint.h>

#define BLS_SK_LEN 32  /* a secret key, big-endian */
#define BLS_PK_LEN 48  /* a public key: compressed G1 point */
#define BLS_SIG_LEN 96 /* a signature or a proof of possession: compressed G2 point */

/* The ciphersuite's domain separation tags. */
#define BLS_DST_SIG "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_"
#define BLS_DST_POP "BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_"

/* SkToPk: pk = SK * G1, compressed.  -1 if sk is 0 or >= r. */
int bls_sk_to_pk(uint8_t pk[BLS_PK_LEN], const uint8_t sk[BLS_SK_LEN]);

/* Sign: SK * hash_to_G2(msg, BLS_DST_SIG).  -1 if sk is 0 or >= r, or
 * msg is NULL with msg_len > 0. */
int bls_sign(uint8_t sig[BLS_SIG_LEN], const uint8_t sk[BLS_SK_LEN], const uint8_t *msg,
             size_t msg_len);

/* KeyValidate: pk decodes to a point of G1 other than the identity. */
int bls_key_validate(const uint8_t pk[BLS_PK_LEN]);

/* Verify (CoreVerify): sig decodes to a point of G2, pk passes
 * KeyValidate, and e(pk, H(msg)) = e(G1, sig). */
int bls_verify(const uint8_t pk[BLS_PK_LEN], const uint8_t *msg, size_t msg_len,
               const uint8_t sig[BLS_SIG_LEN]);

/* Aggregate: the sum of n >= 1 signatures, each decoded to a point of
 * the curve (as the draft's signature_to_point: the subgroup is checked
 * when the aggregate is verified).  -1 for n = 0 or an invalid encoding. */
int bls_aggregate(uint8_t out[BLS_SIG_LEN], const uint8_t (*sigs)[BLS_SIG_LEN], size_t n);

/* Ethereum's eth_aggregate_pubkeys (consensus-specs altair): the sum of
 * n >= 1 public keys, each passing KeyValidate.  -1 otherwise. */
int bls_aggregate_pubkeys(uint8_t out[BLS_PK_LEN], const uint8_t (*pks)[BLS_PK_LEN], size_t n);

/* FastAggregateVerify: n >= 1 public keys, each passing KeyValidate, all
 * signing one message; verified against their sum. */
int bls_fast_aggregate_verify(const uint8_t (*pks)[BLS_PK_LEN], size_t n, const uint8_t *msg,
                              size_t msg_len, const uint8_t sig[BLS_SIG_LEN]);

/* Ethereum's eth_fast_aggregate_verify: as bls_fast_aggregate_verify,
 * except that no keys with the identity signature (0xc0, 95 zeros) is
 * VALID. */
int bls_eth_fast_aggregate_verify(const uint8_t (*pks)[BLS_PK_LEN], size_t n, const uint8_t *msg,
                                  size_t msg_len, const uint8_t sig[BLS_SIG_LEN]);

/* AggregateVerify (CoreAggregateVerify; the PoP scheme does not require
 * distinct messages): n >= 1 pairs (pks[i], msgs[i] of msg_lens[i]
 * bytes), e(G1, sig) = prod e(pk_i, H(msg_i)), one final exponentiation. */
int bls_aggregate_verify(const uint8_t (*pks)[BLS_PK_LEN], const uint8_t *const *msgs,
                         const size_t *msg_lens, size_t n, const uint8_t sig[BLS_SIG_LEN]);

/* PopProve: SK * hash_to_G2(SkToPk(SK), BLS_DST_POP).  -1 as bls_sign. */
int bls_pop_prove(uint8_t proof[BLS_SIG_LEN], const uint8_t sk[BLS_SK_LEN]);

/* PopVerify: the proof of possession for pk. */
int bls_pop_verify(const uint8_t pk[BLS_PK_LEN], const uint8_t proof[BLS_SIG_LEN]);

#endif
