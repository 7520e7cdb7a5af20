/*
 * test_crypto_wire.c - the Crypto service's codec (src/common/crypto_wire.c)
 * on every row of CRYPTO_CALLS: the table fits FF-M's vectors and the
 * header buffers, requests and replies go there and back unchanged, and a
 * header a byte short, a byte long, or with a short input longer than its
 * limit or than what follows is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "crypto_wire.h"

static const uint16_t ids[] = {
#define ID(nm, fid, ...) fid,
    CRYPTO_CALLS(ID)
#undef ID
};
#define N_ROWS (sizeof(ids) / sizeof(ids[0]))

static const uint8_t nonce[CW_IN_HDR_MAX + 1] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};

/* Attributes with every field the wire carries set, a persistent key's. */
static psa_key_attributes_t full_attr(void)
{
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;

    psa_set_key_id(&attr, 0x1234);
    psa_set_key_lifetime(&attr, PSA_KEY_LIFETIME_PERSISTENT);
    psa_set_key_type(&attr, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&attr, 256);
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_SIGN_HASH | PSA_KEY_USAGE_EXPORT);
    psa_set_key_algorithm(&attr, PSA_ALG_ECDSA(PSA_ALG_SHA_256));
    psa_set_key_enrollment_algorithm(&attr, PSA_ALG_ECDH);
    return attr;
}

static void assert_attr_equal(const psa_key_attributes_t *a, const psa_key_attributes_t *b)
{
    assert_int_equal(psa_get_key_type(a), psa_get_key_type(b));
    assert_int_equal(psa_get_key_bits(a), psa_get_key_bits(b));
    assert_int_equal(psa_get_key_lifetime(a), psa_get_key_lifetime(b));
    assert_int_equal(MBEDTLS_SVC_KEY_ID_GET_KEY_ID(psa_get_key_id(a)),
                     MBEDTLS_SVC_KEY_ID_GET_KEY_ID(psa_get_key_id(b)));
    assert_int_equal(psa_get_key_usage_flags(a), psa_get_key_usage_flags(b));
    assert_int_equal(psa_get_key_algorithm(a), psa_get_key_algorithm(b));
    assert_int_equal(psa_get_key_enrollment_algorithm(a), psa_get_key_enrollment_algorithm(b));
}

/* A request's arguments, each field of its kind set to something of its own. */
static void fill(const struct cw_call *c, struct cw_arg *a, psa_key_attributes_t *attr)
{
    size_t i;

    memset(a, 0, sizeof(struct cw_arg) * CW_MAX_ARGS);
    *attr = full_attr();
    for (i = 0; c->kind[i] != CW_END; i++) {
        a[i].u32 = 0xa0b0c000u + (uint32_t)i;
        a[i].size = 0x1122334455667700ull + i;
        a[i].attr = attr;
        if (c->kind[i] == CW_IN_HDR) {
            a[i].in = nonce;
            a[i].len = 12;
        }
    }
}

/* The longest request header a row can have. */
static size_t max_request(const struct cw_call *c)
{
    size_t n = 0, i;

    for (i = 0; c->kind[i] != CW_END; i++) {
        if (c->kind[i] == CW_U32 || c->kind[i] == CW_KEY || c->kind[i] == CW_OP)
            n += 4;
        else if (c->kind[i] == CW_SIZE)
            n += 8;
        else if (c->kind[i] == CW_ATTR)
            n += CW_ATTR_LEN;
        else if (c->kind[i] == CW_IN_HDR)
            n += 4 + CW_IN_HDR_MAX;
    }
    return n;
}

static void test_table(void **state)
{
    static const int32_t unknown[] = {0, -1, 0x0201, 0x0202, 0x0906, 0x7fff, 0x10000};
    size_t r, i, j;

    (void)state;
    assert_true(N_ROWS > 50);
    for (r = 0; r < N_ROWS; r++) {
        const struct cw_call *c = cw_find(ids[r]);
        struct cw_layout l;
        size_t n_args = 0;

        assert_non_null(c);
        assert_int_equal(c->id, ids[r]);
        for (j = r + 1; j < N_ROWS; j++)
            assert_int_not_equal(ids[r], ids[j]);
        for (i = 0; c->kind[i] != CW_END; i++) {
            n_args++;
            if (c->kind[i] == CW_OP || c->kind[i] == CW_OP_NEW)
                assert_int_not_equal(c->op_kind, CW_OPK_NONE);
        }
        assert_true(n_args <= CW_MAX_ARGS);
        cw_layout(c, &l);
        assert_true(l.n_in <= PSA_MAX_IOVEC);
        assert_true(l.n_out <= PSA_MAX_IOVEC);
        assert_true(max_request(c) <= CW_HDR_MAX);
        assert_true(l.reply_len <= CW_HDR_MAX);
        assert_int_equal(l.has_reply, l.reply_len > 0);
        /* only psa_destroy_key() makes a key go away, and the key is its
         * only argument (the partition unmaps a persistent key first) */
        assert_int_equal((c->flags & CW_F_GONE) != 0, c->id == CW_DESTROY_KEY);
        if (c->flags & CW_F_GONE)
            assert_true(c->kind[0] == CW_KEY && c->kind[1] == CW_END);
    }
    for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
        assert_null(cw_find(unknown[i]));
}

static void test_request_round_trip(void **state)
{
    size_t r, i;

    (void)state;
    for (r = 0; r < N_ROWS; r++) {
        const struct cw_call *c = cw_find(ids[r]);
        struct cw_arg a[CW_MAX_ARGS], b[CW_MAX_ARGS];
        psa_key_attributes_t attr, attrs[2];
        uint8_t hdr[CW_HDR_MAX], again[CW_HDR_MAX];
        int n;

        fill(c, a, &attr);
        n = cw_encode_request(c, a, hdr);
        assert_true(n >= 0 && (size_t)n <= max_request(c));
        memset(b, 0, sizeof(b));
        assert_int_equal(cw_decode_request(c, b, attrs, hdr, (size_t)n), 0);
        for (i = 0; c->kind[i] != CW_END; i++) {
            switch (c->kind[i]) {
            case CW_U32:
            case CW_KEY:
            case CW_OP:
                assert_int_equal(b[i].u32, a[i].u32);
                break;
            case CW_SIZE:
                assert_int_equal(b[i].size, a[i].size);
                break;
            case CW_ATTR:
                assert_attr_equal(b[i].attr, &attr);
                break;
            case CW_IN_HDR:
                assert_int_equal(b[i].len, 12);
                assert_memory_equal(b[i].in, nonce, 12);
                break;
            case CW_ATTR_OUT: /* the partition's, cleared */
                assert_non_null(b[i].attr);
                assert_int_equal(psa_get_key_type(b[i].attr), 0);
                break;
            default:
                break;
            }
        }
        assert_int_equal(cw_encode_request(c, b, again), n);
        assert_memory_equal(again, hdr, (size_t)n);
    }
}

/* Every length but the exact one is refused. */
static void test_request_wrong_length(void **state)
{
    size_t r, len;

    (void)state;
    for (r = 0; r < N_ROWS; r++) {
        const struct cw_call *c = cw_find(ids[r]);
        struct cw_arg a[CW_MAX_ARGS], b[CW_MAX_ARGS];
        psa_key_attributes_t attr, attrs[2];
        uint8_t hdr[CW_HDR_MAX + 1];
        int n;

        fill(c, a, &attr);
        n = cw_encode_request(c, a, hdr);
        hdr[n] = 0;
        for (len = 0; len <= (size_t)n + 1; len++)
            if (len != (size_t)n)
                assert_int_equal(cw_decode_request(c, b, attrs, hdr, len), -1);
    }
}

/* AEAD's nonce travels in the header: at most CW_IN_HDR_MAX bytes, its
 * length no more than what follows it. */
static void test_short_input_limits(void **state)
{
    const struct cw_call *c = cw_find(CW_AEAD_ENCRYPT);
    struct cw_arg a[CW_MAX_ARGS], b[CW_MAX_ARGS];
    psa_key_attributes_t attr, attrs[2];
    uint8_t hdr[CW_HDR_MAX];
    int n;

    (void)state;
    fill(c, a, &attr);
    a[2].len = CW_IN_HDR_MAX;
    n = cw_encode_request(c, a, hdr);
    assert_int_equal(n, 4 + 4 + 4 + CW_IN_HDR_MAX);
    assert_int_equal(cw_decode_request(c, b, attrs, hdr, (size_t)n), 0);
    assert_int_equal(b[2].len, CW_IN_HDR_MAX);
    a[2].len = CW_IN_HDR_MAX + 1;
    assert_int_equal(cw_encode_request(c, a, hdr), -1);

    /* a declared length past the limit, or past the header's end */
    a[2].len = 0;
    n = cw_encode_request(c, a, hdr);
    assert_int_equal(n, 12);
    memset(hdr + 12, 0, CW_IN_HDR_MAX + 1);
    hdr[8] = CW_IN_HDR_MAX + 1;
    assert_int_equal(cw_decode_request(c, b, attrs, hdr, 12 + CW_IN_HDR_MAX + 1), -1);
    memset(hdr + 8, 0xff, 4);
    assert_int_equal(cw_decode_request(c, b, attrs, hdr, 12), -1);
    memset(hdr + 8, 0, 4);
    hdr[8] = 5;
    assert_int_equal(cw_decode_request(c, b, attrs, hdr, 12 + 4), -1);
    assert_int_equal(cw_decode_request(c, b, attrs, hdr, 12 + 5), 0);
    assert_int_equal(b[2].len, 5);
}

static void test_reply(void **state)
{
    size_t r, i;

    (void)state;
    for (r = 0; r < N_ROWS; r++) {
        const struct cw_call *c = cw_find(ids[r]);
        struct cw_arg a[CW_MAX_ARGS], b[CW_MAX_ARGS];
        psa_key_attributes_t attr, got[CW_MAX_ARGS];
        uint8_t reply[CW_HDR_MAX + 1];
        struct cw_layout l;
        size_t n;

        cw_layout(c, &l);
        fill(c, a, &attr);
        n = cw_encode_reply(c, a, reply);
        assert_int_equal(n, l.reply_len);
        memset(b, 0, sizeof(b));
        for (i = 0; i < CW_MAX_ARGS; i++)
            b[i].attr = &got[i];
        assert_int_equal(cw_decode_reply(c, b, reply, n), 0);
        for (i = 0; c->kind[i] != CW_END; i++) {
            if (c->kind[i] == CW_KEY_OUT || c->kind[i] == CW_OP_NEW)
                assert_int_equal(b[i].u32, a[i].u32);
            else if (c->kind[i] == CW_SIZE_OUT)
                assert_int_equal(b[i].size, a[i].size);
            else if (c->kind[i] == CW_ATTR_OUT)
                assert_attr_equal(b[i].attr, &attr);
        }
        assert_int_equal(cw_decode_reply(c, b, reply, n + 1), -1);
        if (n > 0)
            assert_int_equal(cw_decode_reply(c, b, reply, n - 1), -1);
    }
}

/* What the wire does to attributes: a volatile key's id survives (the
 * partition reports it), and a size no key can have arrives as
 * PSA_KEY_BITS_TOO_LARGE, which Mbed TLS refuses. */
static void test_attributes(void **state)
{
    psa_key_attributes_t in = full_attr(), out;
    uint8_t b[CW_ATTR_LEN];

    (void)state;
    cw_put_attr(b, &in);
    cw_get_attr(b, &out);
    assert_attr_equal(&out, &in);

    cw_set_attr_id(&in, 0x40000001u, PSA_KEY_LIFETIME_VOLATILE);
    cw_put_attr(b, &in);
    cw_get_attr(b, &out);
    assert_int_equal(psa_get_key_lifetime(&out), PSA_KEY_LIFETIME_VOLATILE);
    assert_int_equal(MBEDTLS_SVC_KEY_ID_GET_KEY_ID(psa_get_key_id(&out)), 0x40000001u);

    b[2] = 0xf9; /* bits 0xfff9 */
    b[3] = 0xff;
    cw_get_attr(b, &out);
    assert_int_equal(psa_get_key_bits(&out), PSA_KEY_BITS_TOO_LARGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_request_round_trip),
        cmocka_unit_test(test_request_wrong_length),
        cmocka_unit_test(test_short_input_limits),
        cmocka_unit_test(test_reply),
        cmocka_unit_test(test_attributes),
    };

    return cmocka_run_group_tests_name("crypto_wire", tests, NULL, NULL);
}
