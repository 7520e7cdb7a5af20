/*
 * keygen.c - KeyGen and EIP-2333 (keygen.h).
 *
 * The reduction mod r of KeyGen's 48-byte OKM: the value as six 64-bit
 * limbs x < 2^384 <= r * 2^130 is reduced by 130 conditional subtractions
 * of r * 2^k, k = 129 .. 0, each keeping x < r * 2^k.  Every step always
 * computes t = x - r * 2^k and then keeps t or x through a mask made from
 * the borrow: no branch, no secret-dependent index.  The borrow comes
 * from bitwise formulas rather than comparisons, so that the compiler has
 * no reason to branch either.
 */
#include <string.h>

#include <mbedtls/hkdf.h>
#include <mbedtls/md.h>
#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>

#include "keygen.h"

#define OKM_LEN 48         /* L = ceil(3 * ceil(log2(r)) / 16) */
#define LAMPORT_CHUNKS 255 /* EIP-2333: K * 255 bytes of HKDF */
#define LAMPORT_OKM (32 * LAMPORT_CHUNKS)

/* r, the order of G1 and G2, little-endian limbs. */
static const uint64_t r_limbs[4] = {0xffffffff00000001, 0x53bda402fffe5bfe, 0x3339d80809a1d805,
                                    0x73eda753299d7d48};

static const char keygen_salt[] = "BLS-SIG-KEYGEN-SALT-";

/* d = a - b over n limbs; the borrow out (0 or 1).  d may alias a. */
static uint64_t sub_limbs(uint64_t *d, const uint64_t *a, const uint64_t *b, size_t n)
{
    uint64_t borrow = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        uint64_t ai = a[i], bi = b[i], di = ai - bi - borrow;

        /* Hacker's Delight 2-13: the borrow of ai - bi - borrow */
        borrow = ((~ai & bi) | (~(ai ^ bi) & di)) >> 63;
        d[i] = di;
    }
    return borrow;
}

/* n limbs from 8n big-endian bytes. */
static void load_be(uint64_t *l, size_t n, const uint8_t *b)
{
    size_t i, j;

    for (i = 0; i < n; i++) {
        uint64_t v = 0;

        for (j = 0; j < 8; j++)
            v = v << 8 | b[8 * (n - 1 - i) + j];
        l[i] = v;
    }
}

/* n limbs as 8n big-endian bytes. */
static void store_be(uint8_t *b, size_t n, const uint64_t *l)
{
    size_t i, j;

    for (i = 0; i < n; i++)
        for (j = 0; j < 8; j++)
            b[8 * (n - 1 - i) + j] = (uint8_t)(l[i] >> (56 - 8 * j));
}

void bls_mod_r_384(uint8_t out[BLS_SK_LEN], const uint8_t in[48])
{
    uint64_t x[6], t[6], rs[6] = {0, 0, 0, 0, 0, 0};
    size_t i;
    int k;

    load_be(x, 6, in);
    /* rs = r << 129: r << 1 (r < 2^255, so 4 limbs) at limb 2 */
    for (i = 0; i < 4; i++)
        rs[2 + i] = r_limbs[i] << 1 | (i > 0 ? r_limbs[i - 1] >> 63 : 0);
    for (k = 129; k >= 0; k--) {
        uint64_t keep_t = sub_limbs(t, x, rs, 6) - 1; /* all ones if x >= rs */

        for (i = 0; i < 6; i++)
            x[i] = (t[i] & keep_t) | (x[i] & ~keep_t);
        for (i = 0; i < 5; i++)
            rs[i] = rs[i] >> 1 | rs[i + 1] << 63;
        rs[5] >>= 1;
    }
    store_be(out, 4, x);
    mbedtls_platform_zeroize(x, sizeof(x));
    mbedtls_platform_zeroize(t, sizeof(t));
}

int bls_sk_is_valid(const uint8_t sk[BLS_SK_LEN])
{
    uint64_t x[4], t[4], any;
    uint64_t below_r;

    load_be(x, 4, sk);
    below_r = sub_limbs(t, x, r_limbs, 4);
    any = x[0] | x[1] | x[2] | x[3];
    mbedtls_platform_zeroize(x, sizeof(x));
    mbedtls_platform_zeroize(t, sizeof(t));
    return (int)(below_r & ((any | (0 - any)) >> 63));
}

/* 1 if the 32 bytes are all zero; reads all of them. */
static int all_zero(const uint8_t *b)
{
    uint8_t acc = 0;
    size_t i;

    for (i = 0; i < BLS_SK_LEN; i++)
        acc |= b[i];
    return acc == 0;
}

int bls_keygen(uint8_t sk[BLS_SK_LEN], const uint8_t *ikm, size_t ikm_len, const uint8_t *key_info,
               size_t key_info_len)
{
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    uint8_t salt[32], prk[32], okm[OKM_LEN], info[BLS_KEYGEN_MAX_INFO + 2], zero = 0;
    mbedtls_md_context_t hmac;
    int st = -1;

    if (sk == NULL)
        return -1;
    memset(sk, 0, BLS_SK_LEN);
    if (ikm == NULL || ikm_len < BLS_KEYGEN_MIN_IKM || key_info_len > BLS_KEYGEN_MAX_INFO ||
        (key_info == NULL && key_info_len != 0) || md == NULL)
        return -1;
    if (key_info_len != 0)
        memcpy(info, key_info, key_info_len);
    info[key_info_len] = 0; /* I2OSP(L, 2) */
    info[key_info_len + 1] = OKM_LEN;
    mbedtls_md_init(&hmac);
    if (mbedtls_md_setup(&hmac, md, 1) != 0 ||
        mbedtls_sha256_ret((const uint8_t *)keygen_salt, sizeof(keygen_salt) - 1, salt, 0) != 0)
        goto out;
    for (;;) {
        /* HKDF-Extract(salt, IKM || I2OSP(0, 1)) is HMAC(salt, ...),
         * streamed so that the secret IKM is never copied */
        if (mbedtls_md_hmac_starts(&hmac, salt, sizeof(salt)) != 0 ||
            mbedtls_md_hmac_update(&hmac, ikm, ikm_len) != 0 ||
            mbedtls_md_hmac_update(&hmac, &zero, 1) != 0 ||
            mbedtls_md_hmac_finish(&hmac, prk) != 0 ||
            mbedtls_hkdf_expand(md, prk, sizeof(prk), info, key_info_len + 2, okm, OKM_LEN) != 0)
            goto out;
        bls_mod_r_384(sk, okm);
        if (!all_zero(sk)) /* the one branch on a secret: keygen.h */
            break;
        if (mbedtls_sha256_ret(salt, sizeof(salt), salt, 0) != 0)
            goto out;
    }
    st = 0;
out:
    if (st != 0)
        memset(sk, 0, BLS_SK_LEN);
    mbedtls_md_free(&hmac);
    mbedtls_platform_zeroize(prk, sizeof(prk));
    mbedtls_platform_zeroize(okm, sizeof(okm));
    return st;
}

int bls_derive_master_sk(uint8_t sk[BLS_SK_LEN], const uint8_t *seed, size_t seed_len)
{
    return bls_keygen(sk, seed, seed_len, NULL, 0);
}

/* IKM_to_lamport_SK(IKM, salt), each chunk's SHA-256 fed to @p pk_hash
 * (parent_SK_to_lamport_PK's loops 6 and 7). */
static int hash_lamport_sks(mbedtls_sha256_context *pk_hash, const uint8_t ikm[BLS_SK_LEN],
                            const uint8_t salt[4], uint8_t okm[LAMPORT_OKM])
{
    static const uint8_t no_info[1];
    const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
    uint8_t h[32];
    size_t i;

    if (md == NULL || mbedtls_hkdf(md, salt, 4, ikm, BLS_SK_LEN, no_info, 0, okm, LAMPORT_OKM) != 0)
        return -1;
    for (i = 0; i < LAMPORT_CHUNKS; i++)
        if (mbedtls_sha256_ret(okm + 32 * i, 32, h, 0) != 0 ||
            mbedtls_sha256_update_ret(pk_hash, h, sizeof(h)) != 0)
            return -1;
    return 0;
}

int bls_parent_sk_to_lamport_pk(uint8_t pk[BLS_LAMPORT_PK_LEN], const uint8_t parent_sk[BLS_SK_LEN],
                                uint32_t index)
{
    uint8_t okm[LAMPORT_OKM], salt[4], not_ikm[BLS_SK_LEN];
    mbedtls_sha256_context pk_hash;
    size_t i;
    int st = -1;

    if (pk == NULL)
        return -1;
    memset(pk, 0, BLS_LAMPORT_PK_LEN);
    if (parent_sk == NULL || !bls_sk_is_valid(parent_sk))
        return -1;
    salt[0] = (uint8_t)(index >> 24);
    salt[1] = (uint8_t)(index >> 16);
    salt[2] = (uint8_t)(index >> 8);
    salt[3] = (uint8_t)index;
    for (i = 0; i < BLS_SK_LEN; i++)
        not_ikm[i] = (uint8_t)~parent_sk[i];
    mbedtls_sha256_init(&pk_hash);
    if (mbedtls_sha256_starts_ret(&pk_hash, 0) == 0 &&
        hash_lamport_sks(&pk_hash, parent_sk, salt, okm) == 0 &&
        hash_lamport_sks(&pk_hash, not_ikm, salt, okm) == 0 &&
        mbedtls_sha256_finish_ret(&pk_hash, pk) == 0)
        st = 0;
    if (st != 0)
        memset(pk, 0, BLS_LAMPORT_PK_LEN);
    mbedtls_sha256_free(&pk_hash);
    mbedtls_platform_zeroize(okm, sizeof(okm));
    mbedtls_platform_zeroize(not_ikm, sizeof(not_ikm));
    return st;
}

int bls_derive_child_sk(uint8_t child_sk[BLS_SK_LEN], const uint8_t parent_sk[BLS_SK_LEN],
                        uint32_t index)
{
    uint8_t lamport_pk[BLS_LAMPORT_PK_LEN];
    int st;

    if (child_sk == NULL)
        return -1;
    st = bls_parent_sk_to_lamport_pk(lamport_pk, parent_sk, index);
    if (st == 0)
        st = bls_keygen(child_sk, lamport_pk, sizeof(lamport_pk), NULL, 0);
    else
        memset(child_sk, 0, BLS_SK_LEN);
    mbedtls_platform_zeroize(lamport_pk, sizeof(lamport_pk));
    return st;
}
