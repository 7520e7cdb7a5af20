/*
 * test_bls_h2c.c - RFC 9380 hash_to_curve for G2 (src/lib/bls12_381/
 * map_to_g2.c, hash_to_g2.c) on every vector of
 * test/vectors/bls/hash_to_curve/BLS12381G2_XMD_SHA-256_SSWU_RO_.json
 * (RFC 9380 appendix J.10.1; source in test/vectors/bls/README.md):
 * map_to_curve of the vector's field elements gives its Q0 and Q1
 * (simplified SWU and the 3-isogeny), clearing the cofactor of Q0 + Q1
 * gives its P, which is in G2; from the message, hash_to_field
 * (expand_message_xmd, SHA-256) gives its field elements and
 * hash_to_curve its P.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "bls_vectors.h"
#include "hash_to_curve.h"

#define RO_FILE "hash_to_curve/BLS12381G2_XMD_SHA-256_SSWU_RO_.json"
#define N_VECTORS 5

static void fp_hex(fp *r, const char *hex, size_t n)
{
    uint8_t b[FP_BYTES];
    char buf[2 * FP_BYTES + 3];
    size_t len;
    assert_true(n < sizeof buf);
    memcpy(buf, hex, n);
    buf[n] = 0;
    assert_int_equal(bv_unhex(buf, b, sizeof b, &len), 0);
    assert_int_equal(len, FP_BYTES);
    assert_int_equal(fp_from_bytes(r, b), 0);
}

/* "0x<c0>,0x<c1>" */
static void fp2_hex(fp2 *r, const char *s)
{
    const char *comma;
    assert_non_null(s);
    comma = strchr(s, ',');
    assert_non_null(comma);
    fp_hex(&r->c0, s, (size_t)(comma - s));
    fp_hex(&r->c1, comma + 1, strlen(comma + 1));
}

static void point_hex(g2 *r, struct bv_doc *d, yaml_node_t *pt)
{
    fp2 x, y;
    fp2_hex(&x, bv_scalar(bv_map_get(d, pt, "x")));
    fp2_hex(&y, bv_scalar(bv_map_get(d, pt, "y")));
    g2_from_affine(r, &x, &y);
    assert_true(g2_is_on_curve(r));
}

static void test_ro_vectors(void **state)
{
    (void)state;
    char path[512];
    struct bv_doc d;
    yaml_node_t *root, *vectors;
    const char *dst;
    assert_int_equal(bv_path(path, sizeof path, RO_FILE), 0);
    assert_int_equal(bv_doc_load(&d, path), 0);
    root = bv_doc_root(&d);
    dst = bv_scalar(bv_map_get(&d, root, "dst"));
    assert_string_equal(bv_scalar(bv_map_get(&d, root, "ciphersuite")),
                        "BLS12381G2_XMD:SHA-256_SSWU_RO_");
    vectors = bv_map_get(&d, root, "vectors");
    assert_int_equal(bv_seq_len(vectors), N_VECTORS);
    for (size_t i = 0; i < N_VECTORS; i++) {
        yaml_node_t *v = bv_seq_at(&d, vectors, i), *us = bv_map_get(&d, v, "u");
        const char *msg = bv_scalar(bv_map_get(&d, v, "msg"));
        fp2 u[2], h[2];
        g2 q0, q1, p, want;

        assert_non_null(msg);
        assert_int_equal(bv_seq_len(us), 2);
        fp2_hex(&u[0], bv_scalar(bv_seq_at(&d, us, 0)));
        fp2_hex(&u[1], bv_scalar(bv_seq_at(&d, us, 1)));

        /* map_to_curve, then clear_cofactor */
        map_to_g2(&q0, &u[0]);
        map_to_g2(&q1, &u[1]);
        point_hex(&want, &d, bv_map_get(&d, v, "Q0"));
        assert_true(g2_eq(&q0, &want));
        point_hex(&want, &d, bv_map_get(&d, v, "Q1"));
        assert_true(g2_eq(&q1, &want));
        assert_false(g2_in_subgroup(&q0)); /* not before clearing */
        g2_add(&p, &q0, &q1);
        g2_clear_cofactor(&p, &p);
        point_hex(&want, &d, bv_map_get(&d, v, "P"));
        assert_true(g2_eq(&p, &want));
        assert_true(g2_in_subgroup(&p));

        /* the whole of it from the message */
        assert_int_equal(hash_to_field_fp2(h, (const uint8_t *)msg, strlen(msg),
                                           (const uint8_t *)dst, strlen(dst)),
                         0);
        assert_true(fp2_eq(&h[0], &u[0]));
        assert_true(fp2_eq(&h[1], &u[1]));
        assert_int_equal(
            hash_to_g2(&p, (const uint8_t *)msg, strlen(msg), (const uint8_t *)dst, strlen(dst)),
            0);
        assert_true(g2_eq(&p, &want));
    }
    bv_doc_free(&d);
    /* an empty DST is refused (RFC 9380 section 3.1) */
    g2 p;
    assert_int_equal(hash_to_g2(&p, (const uint8_t *)"a", 1, (const uint8_t *)"D", 0), -1);
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
        cmocka_unit_test(test_ro_vectors),
        cmocka_unit_test(test_map_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
