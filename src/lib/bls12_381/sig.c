/*
 * sig.c - the BLS signature scheme of bls.h (draft-irtf-cfrg-bls-
 * signature-04, minimal-pubkey-size, proof of possession).
 */
#include "bls.h"

#include <string.h>

#include <mbedtls/platform_util.h>

#include "hash_to_curve.h"
#include "pairing.h"

#define DST_LEN(s) (sizeof(s) - 1)

/* 1 if 1 <= sk < r, without a branch on sk's bits; its copy of sk as
 * limbs is wiped. */
static int sk_in_range(const uint8_t sk[BLS_SK_LEN])
{
    uint64_t l[4], borrow = 0, any = 0;
    for (int i = 0; i < 4; i++) {
        l[i] = 0;
        for (int j = 0; j < 8; j++)
            l[i] = (l[i] << 8) | sk[(3 - i) * 8 + j];
    }
    for (int i = 0; i < 4; i++) {
        unsigned __int128 d = (unsigned __int128)l[i] - BLS_R[i] - borrow;
        borrow = (uint64_t)(d >> 64) & 1;
        any |= l[i];
    }
    mbedtls_platform_zeroize(l, sizeof l);
    /* borrow: sk < r; any != 0: sk != 0 */
    return (int)(borrow & ((any | (0 - any)) >> 63));
}

/* pubkey_to_point + KeyValidate: in G1 and not the identity. */
static int pk_decode(g1 *p, const uint8_t pk[BLS_PK_LEN])
{
    return g1_decompress(p, pk, 1) == 0 && !g1_is_identity(p) ? 0 : -1;
}

/* signature_to_point + signature_subgroup_check */
static int sig_decode(g2 *s, const uint8_t sig[BLS_SIG_LEN])
{
    return g2_decompress(s, sig, 1) == 0 ? 0 : -1;
}

static int sign_with_dst(uint8_t sig[BLS_SIG_LEN], const uint8_t sk[BLS_SK_LEN], const uint8_t *msg,
                         size_t msg_len, const char *dst, size_t dst_len)
{
    g2 h, s;
    if (!msg && msg_len)
        return -1;
    if (!sk_in_range(sk))
        return -1;
    if (hash_to_g2(&h, msg, msg_len, (const uint8_t *)dst, dst_len) < 0)
        return -1;
    g2_mul(&s, &h, sk);
    g2_compress(sig, &s);
    return 0;
}

/* e(pk, H(msg)) * e(-G1, sig) = 1 */
static int core_verify(const g1 *pk, const uint8_t *msg, size_t msg_len, const g2 *sig,
                       const char *dst, size_t dst_len)
{
    g1 p[2];
    g2 q[2];
    if (!msg && msg_len)
        return 0;
    if (hash_to_g2(&q[0], msg, msg_len, (const uint8_t *)dst, dst_len) < 0)
        return 0;
    p[0] = *pk;
    g1_generator(&p[1]);
    g1_neg(&p[1], &p[1]);
    q[1] = *sig;
    return pairing_product_is_one(p, q, 2);
}

int bls_sk_to_pk(uint8_t pk[BLS_PK_LEN], const uint8_t sk[BLS_SK_LEN])
{
    g1 g, p;
    if (!sk_in_range(sk))
        return -1;
    g1_generator(&g);
    g1_mul(&p, &g, sk);
    g1_compress(pk, &p);
    return 0;
}

int bls_sign(uint8_t sig[BLS_SIG_LEN], const uint8_t sk[BLS_SK_LEN], const uint8_t *msg,
             size_t msg_len)
{
    return sign_with_dst(sig, sk, msg, msg_len, BLS_DST_SIG, DST_LEN(BLS_DST_SIG));
}

int bls_key_validate(const uint8_t pk[BLS_PK_LEN])
{
    g1 p;
    return pk_decode(&p, pk) == 0;
}

int bls_verify(const uint8_t pk[BLS_PK_LEN], const uint8_t *msg, size_t msg_len,
               const uint8_t sig[BLS_SIG_LEN])
{
    g1 p;
    g2 s;
    if (sig_decode(&s, sig) < 0 || pk_decode(&p, pk) < 0)
        return 0;
    return core_verify(&p, msg, msg_len, &s, BLS_DST_SIG, DST_LEN(BLS_DST_SIG));
}

int bls_aggregate(uint8_t out[BLS_SIG_LEN], const uint8_t (*sigs)[BLS_SIG_LEN], size_t n)
{
    g2 acc, s;
    if (n == 0)
        return -1;
    g2_identity(&acc);
    for (size_t i = 0; i < n; i++) {
        if (g2_decompress(&s, sigs[i], 0) != 0)
            return -1;
        g2_add(&acc, &acc, &s);
    }
    g2_compress(out, &acc);
    return 0;
}

/* The sum of n >= 1 keys that each pass KeyValidate. */
static int sum_pks(g1 *acc, const uint8_t (*pks)[BLS_PK_LEN], size_t n)
{
    g1 p;
    if (n == 0)
        return -1;
    g1_identity(acc);
    for (size_t i = 0; i < n; i++) {
        if (pk_decode(&p, pks[i]) < 0)
            return -1;
        g1_add(acc, acc, &p);
    }
    return 0;
}

int bls_aggregate_pubkeys(uint8_t out[BLS_PK_LEN], const uint8_t (*pks)[BLS_PK_LEN], size_t n)
{
    g1 acc;
    if (sum_pks(&acc, pks, n) < 0)
        return -1;
    g1_compress(out, &acc);
    return 0;
}

int bls_fast_aggregate_verify(const uint8_t (*pks)[BLS_PK_LEN], size_t n, const uint8_t *msg,
                              size_t msg_len, const uint8_t sig[BLS_SIG_LEN])
{
    g1 acc;
    g2 s;
    if (sum_pks(&acc, pks, n) < 0 || sig_decode(&s, sig) < 0)
        return 0;
    /* CoreVerify's KeyValidate of the aggregate: the identity is refused */
    if (g1_is_identity(&acc))
        return 0;
    return core_verify(&acc, msg, msg_len, &s, BLS_DST_SIG, DST_LEN(BLS_DST_SIG));
}

int bls_eth_fast_aggregate_verify(const uint8_t (*pks)[BLS_PK_LEN], size_t n, const uint8_t *msg,
                                  size_t msg_len, const uint8_t sig[BLS_SIG_LEN])
{
    static const uint8_t infinity[BLS_SIG_LEN] = {0xc0};
    if (n == 0)
        return memcmp(sig, infinity, BLS_SIG_LEN) == 0;
    return bls_fast_aggregate_verify(pks, n, msg, msg_len, sig);
}

int bls_aggregate_verify(const uint8_t (*pks)[BLS_PK_LEN], const uint8_t *const *msgs,
                         const size_t *msg_lens, size_t n, const uint8_t sig[BLS_SIG_LEN])
{
    enum { CHUNK = 8 };
    g1 p[CHUNK + 1];
    g2 q[CHUNK + 1];
    fp12 f, g;
    size_t k = 0;
    if (n == 0 || sig_decode(&q[0], sig) < 0)
        return 0;
    /* e(-G1, sig) * prod e(pk_i, H(msg_i)), Miller loops in chunks */
    g1_generator(&p[0]);
    g1_neg(&p[0], &p[0]);
    k = 1;
    fp12_one(&f);
    for (size_t i = 0; i < n; i++) {
        if (pk_decode(&p[k], pks[i]) < 0 || (!msgs[i] && msg_lens[i]))
            return 0;
        if (hash_to_g2(&q[k], msgs[i], msg_lens[i], (const uint8_t *)BLS_DST_SIG,
                       DST_LEN(BLS_DST_SIG)) < 0)
            return 0;
        if (++k == CHUNK + 1 || i == n - 1) {
            pairing_miller_loop(&g, p, q, k);
            fp12_mul(&f, &f, &g);
            k = 0;
        }
    }
    pairing_final_exp(&f, &f);
    return fp12_is_one(&f);
}

int bls_pop_prove(uint8_t proof[BLS_SIG_LEN], const uint8_t sk[BLS_SK_LEN])
{
    uint8_t pk[BLS_PK_LEN];
    if (bls_sk_to_pk(pk, sk) < 0)
        return -1;
    return sign_with_dst(proof, sk, pk, sizeof pk, BLS_DST_POP, DST_LEN(BLS_DST_POP));
}

int bls_pop_verify(const uint8_t pk[BLS_PK_LEN], const uint8_t proof[BLS_SIG_LEN])
{
    g1 p;
    g2 s;
    if (sig_decode(&s, proof) < 0 || pk_decode(&p, pk) < 0)
        return 0;
    return core_verify(&p, pk, BLS_PK_LEN, &s, BLS_DST_POP, DST_LEN(BLS_DST_POP));
}
