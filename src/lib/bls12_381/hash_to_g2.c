/*
 * hash_to_g2.c - RFC 9380 hash_to_field and hash_to_curve for
 * BLS12381G2_XMD:SHA-256_SSWU_RO_ (see hash_to_curve.h); variable time,
 * public messages only.
 */
#include "hash_to_curve.h"

#include "expand_xmd.h"

/* L = ceil((ceil(log2(p)) + k) / 8) = (381 + 128) / 8 rounded up */
#define H2F_L 64

int hash_to_field_fp2(fp2 u[2], const uint8_t *msg, size_t msg_len, const uint8_t *dst,
                      size_t dst_len)
{
    uint8_t b[2 * 2 * H2F_L];
    if (bls_expand_message_xmd(b, sizeof b, msg, msg_len, dst, dst_len) < 0)
        return -1;
    for (int i = 0; i < 2; i++) {
        fp_from_bytes_wide(&u[i].c0, b + (2 * i) * H2F_L);
        fp_from_bytes_wide(&u[i].c1, b + (2 * i + 1) * H2F_L);
    }
    return 0;
}

int hash_to_g2(g2 *r, const uint8_t *msg, size_t msg_len, const uint8_t *dst, size_t dst_len)
{
    fp2 u[2];
    g2 q0, q1;
    if (hash_to_field_fp2(u, msg, msg_len, dst, dst_len) < 0)
        return -1;
    map_to_g2(&q0, &u[0]);
    map_to_g2(&q1, &u[1]);
    g2_add(&q0, &q0, &q1);
    g2_clear_cofactor(r, &q0);
    return 0;
}
