/*
 * test_bls_h2c.c - RFC 9380 hash_to_curve for G2 (src/lib/bls12_381/
 * map_to_g2.c): on each BLS12381G2_XMD:SHA-256_SSWU_RO_ vector of the RFC
 * (bls_h2c_vectors.h), map_to_curve of the vector's field elements gives
 * its Q0 and Q1 (simplified SWU and the 3-isogeny), and clearing the
 * cofactor of Q0 + Q1 gives its P, which is in G2; from the message,
 * hash_to_field (expand_message_xmd, SHA-256) gives its field elements
 * and hash_to_curve its P.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bls_h2c_vectors.h"
#include "hash_to_curve.h"

static void fp_hex(fp *r, const char *hex)
{
    uint8_t b[FP_BYTES];
    assert_int_equal(strlen(hex), 2 * FP_BYTES);
    for (int i = 0; i < FP_BYTES; i++) {
        unsigned v;
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        b[i] = (uint8_t)v;
    }
    assert_int_equal(fp_from_bytes(r, b), 0);
}

static void fp2_hex(fp2 *r, const struct h2c_fp2 *h)
{
    fp_hex(&r->c0, h->c0);
    fp_hex(&r->c1, h->c1);
}

static void point_hex(g2 *r, const struct h2c_point *h)
{
    fp2 x, y;
    fp2_hex(&x, &h->x);
    fp2_hex(&y, &h->y);
    g2_from_affine(r, &x, &y);
    assert_true(g2_is_on_curve(r));
}

static void test_map_and_clear(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof H2C_G2_RO / sizeof H2C_G2_RO[0]; i++) {
        const struct h2c_case *c = &H2C_G2_RO[i];
        fp2 u0, u1;
        g2 q0, q1, p, want;
        fp2_hex(&u0, &c->u[0]);
        fp2_hex(&u1, &c->u[1]);
        map_to_g2(&q0, &u0);
        map_to_g2(&q1, &u1);
        point_hex(&want, &c->q0);
        assert_true(g2_eq(&q0, &want));
        point_hex(&want, &c->q1);
        assert_true(g2_eq(&q1, &want));
        assert_false(g2_in_subgroup(&q0)); /* not before clearing */
        g2_add(&p, &q0, &q1);
        g2_clear_cofactor(&p, &p);
        point_hex(&want, &c->p);
        assert_true(g2_eq(&p, &want));
        assert_true(g2_in_subgroup(&p));
    }
}

static void test_hash_to_curve(void **state)
{
    (void)state;
    const uint8_t *dst = (const uint8_t *)H2C_DST;
    for (size_t i = 0; i < sizeof H2C_G2_RO / sizeof H2C_G2_RO[0]; i++) {
        const struct h2c_case *c = &H2C_G2_RO[i];
        const uint8_t *msg = (const uint8_t *)c->msg;
        fp2 u[2], want;
        g2 p, wp;
        assert_int_equal(hash_to_field_fp2(u, msg, strlen(c->msg), dst, strlen(H2C_DST)), 0);
        fp2_hex(&want, &c->u[0]);
        assert_true(fp2_eq(&u[0], &want));
        fp2_hex(&want, &c->u[1]);
        assert_true(fp2_eq(&u[1], &want));
        assert_int_equal(hash_to_g2(&p, msg, strlen(c->msg), dst, strlen(H2C_DST)), 0);
        point_hex(&wp, &c->p);
        assert_true(g2_eq(&p, &wp));
    }
    /* an empty DST is refused (RFC 9380 section 3.1) */
    g2 p;
    assert_int_equal(hash_to_g2(&p, dst, 1, dst, 0), -1);
}

/* u = 0 takes the exceptional branch of simplified SWU (tv1 = 0). */
static void test_map_zero(void **state)
{
    (void)state;
    fp2 u;
    g2 q;
    fp2_zero(&u);
    map_to_g2(&q, &u);
    assert_true(g2_is_on_curve(&q));
    assert_false(g2_is_identity(&q));
    g2_clear_cofactor(&q, &q);
    assert_true(g2_in_subgroup(&q));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_and_clear),
        cmocka_unit_test(test_map_zero),
        cmocka_unit_test(test_hash_to_curve),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
