/*
 * expand_xmd.c - expand_message_xmd (RFC 9380 section 5.3.1) over Mbed
 * TLS's SHA-256 (mbedtls_sha256_*: no PSA, so that the library never
 * binds to libpsa-client's psa_* stubs).
 */
#include <string.h>

#include <mbedtls/platform_util.h>
#include <mbedtls/sha256.h>

#include "expand_xmd.h"

#define HASH_LEN 32  /* b_in_bytes */
#define BLOCK_LEN 64 /* s_in_bytes: Z_pad's length */

struct part {
    const void *p;
    size_t n;
};

/* SHA-256 of the concatenated @p parts (empty ones skipped) into @p md,
 * which may be one of the parts. */
static int sha256_parts(uint8_t md[HASH_LEN], const struct part *parts, size_t n_parts)
{
    mbedtls_sha256_context ctx;
    size_t i;
    int rc;

    mbedtls_sha256_init(&ctx);
    rc = mbedtls_sha256_starts_ret(&ctx, 0);
    for (i = 0; rc == 0 && i < n_parts; i++)
        if (parts[i].n != 0)
            rc = mbedtls_sha256_update_ret(&ctx, parts[i].p, parts[i].n);
    if (rc == 0)
        rc = mbedtls_sha256_finish_ret(&ctx, md);
    mbedtls_sha256_free(&ctx);
    return rc == 0 ? 0 : -1;
}

int bls_expand_message_xmd(uint8_t *out, size_t out_len, const uint8_t *msg, size_t msg_len,
                           const uint8_t *dst, size_t dst_len)
{
    static const uint8_t z_pad[BLOCK_LEN];
    static const char oversize[] = "H2C-OVERSIZE-DST-";
    uint8_t short_dst[HASH_LEN], b0[HASH_LEN], bi[HASH_LEN], lib_str[2], zero = 0, idx,
                                                                         dst_len_byte;
    size_t ell, i, j, n;
    int st = -1;

    if (out == NULL || out_len == 0 || out_len > BLS_XMD_MAX_OUT || dst == NULL || dst_len == 0 ||
        (msg == NULL && msg_len != 0))
        return -1;
    if (dst_len > BLS_XMD_MAX_DST) {
        /* section 5.3.3: DST = H("H2C-OVERSIZE-DST-" || a_very_long_DST) */
        const struct part p[] = {{oversize, sizeof(oversize) - 1}, {dst, dst_len}};

        if (sha256_parts(short_dst, p, 2) != 0)
            return -1;
        dst = short_dst;
        dst_len = HASH_LEN;
    }
    dst_len_byte = (uint8_t)dst_len; /* DST_prime = DST || I2OSP(len(DST), 1) */
    ell = (out_len + HASH_LEN - 1) / HASH_LEN;
    lib_str[0] = (uint8_t)(out_len >> 8);
    lib_str[1] = (uint8_t)out_len;

    /* b_0 = H(Z_pad || msg || I2OSP(len_in_bytes, 2) || I2OSP(0, 1) || DST_prime) */
    const struct part p0[] = {{z_pad, sizeof(z_pad)}, {msg, msg_len},    {lib_str, 2}, {&zero, 1},
                              {dst, dst_len},         {&dst_len_byte, 1}};
    if (sha256_parts(b0, p0, 6) != 0)
        goto out;

    /* b_1 = H(b_0 || I2OSP(1, 1) || DST_prime);
     * b_i = H(strxor(b_0, b_(i-1)) || I2OSP(i, 1) || DST_prime) */
    memcpy(bi, b0, HASH_LEN);
    for (i = 1; i <= ell; i++) {
        const struct part pi[] = {{bi, HASH_LEN}, {&idx, 1}, {dst, dst_len}, {&dst_len_byte, 1}};

        if (i > 1)
            for (j = 0; j < HASH_LEN; j++)
                bi[j] ^= b0[j];
        idx = (uint8_t)i;
        if (sha256_parts(bi, pi, 4) != 0)
            goto out;
        n = out_len - (i - 1) * HASH_LEN;
        memcpy(out + (i - 1) * HASH_LEN, bi, n < HASH_LEN ? n : HASH_LEN);
    }
    st = 0;
out:
    mbedtls_platform_zeroize(b0, sizeof(b0));
    mbedtls_platform_zeroize(bi, sizeof(bi));
    mbedtls_platform_zeroize(short_dst, sizeof(short_dst));
    return st;
}
