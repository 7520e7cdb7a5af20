/*
 * test_crypto_aead.c - the Crypto partition's multi-part AEAD engine
 * (src/partitions/crypto/crypto_aead.c) on key bytes, without the daemon:
 * the published vectors of test/vectors/aead/ fed in every chunk size,
 * both ways, and the PSA state machine's order rules and error state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../vectors/aead/aead_vectors.h"
#include "crypto_aead.h"

struct bytes {
    uint8_t b[160];
    size_t n;
};

static void hex(const char *s, struct bytes *o)
{
    unsigned x;
    size_t i;

    o->n = strlen(s) / 2;
    assert_true(o->n <= sizeof(o->b));
    for (i = 0; i < o->n; i++) {
        assert_int_equal(sscanf(s + 2 * i, "%2x", &x), 1);
        o->b[i] = (uint8_t)x;
    }
}

struct parsed {
    struct bytes key, nonce, ad, pt, ct, tag;
};

static void parse(const struct aead_vector *v, struct parsed *p)
{
    hex(v->key, &p->key);
    hex(v->nonce, &p->nonce);
    hex(v->ad, &p->ad);
    hex(v->pt, &p->pt);
    hex(v->ct, &p->ct);
    hex(v->tag, &p->tag);
}

/* Feeds @p in to update in pieces of @p step bytes; returns what came out. */
static size_t feed(struct ca_op *op, const struct bytes *in, size_t step, uint8_t *out)
{
    size_t off, n, got, total = 0;

    for (off = 0; off < in->n; off += n) {
        n = in->n - off < step ? in->n - off : step;
        assert_int_equal(ca_update(op, in->b + off, n, out + total, n, &got), PSA_SUCCESS);
        assert_int_equal(got, n); /* nothing held back */
        total += got;
    }
    return total;
}

static void start(struct ca_op *op, const struct aead_vector *v, const struct parsed *p,
                  bool encrypt, size_t step, bool lengths)
{
    size_t off, n;

    assert_int_equal(ca_setup(op, encrypt, v->type, p->key.b, p->key.n, v->alg), PSA_SUCCESS);
    if (lengths) /* before the nonce here, after it below: either order */
        assert_int_equal(ca_set_lengths(op, p->ad.n, p->pt.n), PSA_SUCCESS);
    assert_int_equal(ca_set_nonce(op, p->nonce.b, p->nonce.n), PSA_SUCCESS);
    for (off = 0; off < p->ad.n; off += n) {
        n = p->ad.n - off < step ? p->ad.n - off : step;
        assert_int_equal(ca_update_ad(op, p->ad.b + off, n), PSA_SUCCESS);
    }
}

static void test_vectors_every_chunking(void **state)
{
    static const size_t steps[] = {1, 2, 3, 7, 15, 16, 17, 31, 64, 1000};
    uint8_t out[160], tag[16];
    struct parsed p;
    struct ca_op op;
    size_t v, s, n, tn;

    (void)state;
    for (v = 0; v < AEAD_N_VECTORS; v++) {
        const struct aead_vector *vec = &aead_vectors[v];
        bool ccm = PSA_ALG_AEAD_WITH_DEFAULT_LENGTH_TAG(vec->alg) == PSA_ALG_CCM;

        parse(vec, &p);
        for (s = 0; s < sizeof(steps) / sizeof(steps[0]); s++) {
            print_message("%s, pieces of %zu\n", vec->source, steps[s]);
            start(&op, vec, &p, true, steps[s], ccm || s % 2 == 1);
            n = feed(&op, &p.pt, steps[s], out);
            assert_int_equal(ca_finish(&op, out + n, 0, &tn, tag, sizeof(tag), &tn), PSA_SUCCESS);
            assert_int_equal(n, p.ct.n);
            assert_memory_equal(out, p.ct.b, n);
            assert_int_equal(tn, p.tag.n);
            assert_memory_equal(tag, p.tag.b, tn);
            ca_abort(&op);

            start(&op, vec, &p, false, steps[s], ccm || s % 2 == 0);
            n = feed(&op, &p.ct, steps[s], out);
            assert_memory_equal(out, p.pt.b, n);
            assert_int_equal(ca_verify(&op, NULL, 0, &tn, p.tag.b, p.tag.n), PSA_SUCCESS);
            ca_abort(&op);

            start(&op, vec, &p, false, steps[s], ccm);
            feed(&op, &p.ct, steps[s], out);
            p.tag.b[steps[s] % p.tag.n] ^= 0x80;
            assert_int_equal(ca_verify(&op, NULL, 0, &tn, p.tag.b, p.tag.n),
                             PSA_ERROR_INVALID_SIGNATURE);
            p.tag.b[steps[s] % p.tag.n] ^= 0x80;
            ca_abort(&op);
        }
    }
}

static const uint8_t key16[16] = {1, 2, 3, 4}, nonce13[13] = {5, 6, 7};

/* After any error, every call but abort is BAD_STATE. */
static void assert_error_state(struct ca_op *op)
{
    uint8_t b[16] = {0};
    size_t n;

    assert_int_equal(ca_update_ad(op, b, 1), PSA_ERROR_BAD_STATE);
    assert_int_equal(ca_update(op, b, 1, b, sizeof(b), &n), PSA_ERROR_BAD_STATE);
    assert_int_equal(ca_finish(op, NULL, 0, &n, b, sizeof(b), &n), PSA_ERROR_BAD_STATE);
    ca_abort(op);
    assert_int_equal(op->mode, 0);
}

static void test_state_machine(void **state)
{
    uint8_t b[32] = {0}, tag[16];
    struct ca_op op;
    size_t n, tn;

    (void)state;
    /* not an AEAD algorithm, a wildcard, a key of the wrong type, a bad tag */
    assert_int_equal(ca_setup(&op, true, PSA_KEY_TYPE_AES, key16, 16, PSA_ALG_CTR),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(ca_setup(&op, true, PSA_KEY_TYPE_AES, key16, 16,
                              PSA_ALG_AEAD_WITH_AT_LEAST_THIS_LENGTH_TAG(PSA_ALG_GCM, 8)),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(ca_setup(&op, true, PSA_KEY_TYPE_AES, key16, 16, PSA_ALG_CHACHA20_POLY1305),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(ca_setup(&op, true, PSA_KEY_TYPE_AES, key16, 16,
                              PSA_ALG_AEAD_WITH_SHORTENED_TAG(PSA_ALG_CCM, 5)),
                     PSA_ERROR_INVALID_ARGUMENT);

    /* data before the nonce; a second nonce */
    assert_int_equal(ca_setup(&op, true, PSA_KEY_TYPE_AES, key16, 16, PSA_ALG_GCM), PSA_SUCCESS);
    assert_int_equal(ca_update_ad(&op, b, 1), PSA_ERROR_BAD_STATE);
    assert_error_state(&op);
    assert_int_equal(ca_setup(&op, true, PSA_KEY_TYPE_AES, key16, 16, PSA_ALG_GCM), PSA_SUCCESS);
    assert_int_equal(ca_generate_nonce(&op, b, 11, &n), PSA_ERROR_BUFFER_TOO_SMALL);
    assert_error_state(&op);
    assert_int_equal(ca_setup(&op, true, PSA_KEY_TYPE_AES, key16, 16, PSA_ALG_GCM), PSA_SUCCESS);
    assert_int_equal(ca_generate_nonce(&op, b, sizeof(b), &n), PSA_SUCCESS);
    assert_int_equal(n, 12);
    assert_int_equal(ca_set_nonce(&op, nonce13, 12), PSA_ERROR_BAD_STATE);
    assert_error_state(&op);

    /* a decryption generates no nonce and does not finish; an encryption does not verify */
    assert_int_equal(ca_setup(&op, false, PSA_KEY_TYPE_AES, key16, 16, PSA_ALG_GCM), PSA_SUCCESS);
    assert_int_equal(ca_generate_nonce(&op, b, sizeof(b), &n), PSA_ERROR_BAD_STATE);
    assert_error_state(&op);
    assert_int_equal(ca_setup(&op, false, PSA_KEY_TYPE_AES, key16, 16, PSA_ALG_GCM), PSA_SUCCESS);
    assert_int_equal(ca_set_nonce(&op, nonce13, 12), PSA_SUCCESS);
    assert_int_equal(ca_finish(&op, NULL, 0, &n, tag, sizeof(tag), &tn), PSA_ERROR_BAD_STATE);
    assert_error_state(&op);
    assert_int_equal(ca_setup(&op, true, PSA_KEY_TYPE_AES, key16, 16, PSA_ALG_GCM), PSA_SUCCESS);
    assert_int_equal(ca_set_nonce(&op, nonce13, 12), PSA_SUCCESS);
    assert_int_equal(ca_verify(&op, NULL, 0, &n, tag, 16), PSA_ERROR_BAD_STATE);
    assert_error_state(&op);

    /* associated data after the text; lengths after data */
    assert_int_equal(ca_setup(&op, true, PSA_KEY_TYPE_AES, key16, 16, PSA_ALG_GCM), PSA_SUCCESS);
    assert_int_equal(ca_set_nonce(&op, nonce13, 12), PSA_SUCCESS);
    assert_int_equal(ca_update_ad(&op, b, 3), PSA_SUCCESS);
    assert_int_equal(ca_set_lengths(&op, 3, 0), PSA_ERROR_BAD_STATE);
    assert_error_state(&op);
    assert_int_equal(ca_setup(&op, true, PSA_KEY_TYPE_AES, key16, 16, PSA_ALG_GCM), PSA_SUCCESS);
    assert_int_equal(ca_set_nonce(&op, nonce13, 12), PSA_SUCCESS);
    assert_int_equal(ca_update(&op, b, 3, b, sizeof(b), &n), PSA_SUCCESS);
    assert_int_equal(ca_update_ad(&op, b, 3), PSA_ERROR_BAD_STATE);
    assert_error_state(&op);

    /* declared lengths are enforced: too much, too little, output too small */
    assert_int_equal(ca_setup(&op, true, PSA_KEY_TYPE_AES, key16, 16, PSA_ALG_GCM), PSA_SUCCESS);
    assert_int_equal(ca_set_lengths(&op, 2, 4), PSA_SUCCESS);
    assert_int_equal(ca_set_lengths(&op, 2, 4), PSA_ERROR_BAD_STATE);
    assert_error_state(&op);
    assert_int_equal(ca_setup(&op, true, PSA_KEY_TYPE_AES, key16, 16, PSA_ALG_GCM), PSA_SUCCESS);
    assert_int_equal(ca_set_lengths(&op, 2, 4), PSA_SUCCESS);
    assert_int_equal(ca_set_nonce(&op, nonce13, 12), PSA_SUCCESS);
    assert_int_equal(ca_update_ad(&op, b, 3), PSA_ERROR_INVALID_ARGUMENT);
    assert_error_state(&op);
    assert_int_equal(ca_setup(&op, true, PSA_KEY_TYPE_AES, key16, 16, PSA_ALG_GCM), PSA_SUCCESS);
    assert_int_equal(ca_set_lengths(&op, 2, 4), PSA_SUCCESS);
    assert_int_equal(ca_set_nonce(&op, nonce13, 12), PSA_SUCCESS);
    assert_int_equal(ca_update_ad(&op, b, 1), PSA_SUCCESS);
    assert_int_equal(ca_update(&op, b, 1, b, sizeof(b), &n), PSA_ERROR_INVALID_ARGUMENT);
    assert_error_state(&op);
    assert_int_equal(ca_setup(&op, true, PSA_KEY_TYPE_AES, key16, 16, PSA_ALG_GCM), PSA_SUCCESS);
    assert_int_equal(ca_set_lengths(&op, 0, 4), PSA_SUCCESS);
    assert_int_equal(ca_set_nonce(&op, nonce13, 12), PSA_SUCCESS);
    assert_int_equal(ca_update(&op, b, 3, b, sizeof(b), &n), PSA_SUCCESS);
    assert_int_equal(ca_finish(&op, NULL, 0, &n, tag, sizeof(tag), &tn),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_error_state(&op);
    assert_int_equal(ca_setup(&op, true, PSA_KEY_TYPE_AES, key16, 16, PSA_ALG_GCM), PSA_SUCCESS);
    assert_int_equal(ca_set_nonce(&op, nonce13, 12), PSA_SUCCESS);
    assert_int_equal(ca_update(&op, b, 3, b, 2, &n), PSA_ERROR_BUFFER_TOO_SMALL);
    assert_error_state(&op);
    assert_int_equal(ca_setup(&op, true, PSA_KEY_TYPE_AES, key16, 16, PSA_ALG_GCM), PSA_SUCCESS);
    assert_int_equal(ca_set_nonce(&op, nonce13, 12), PSA_SUCCESS);
    assert_int_equal(ca_finish(&op, NULL, 0, &n, tag, 15, &tn), PSA_ERROR_BUFFER_TOO_SMALL);
    assert_error_state(&op);

    /* CCM: lengths before any data; nonce lengths 7..13; the length must fit */
    assert_int_equal(ca_setup(&op, true, PSA_KEY_TYPE_AES, key16, 16, PSA_ALG_CCM), PSA_SUCCESS);
    assert_int_equal(ca_set_nonce(&op, nonce13, 12), PSA_SUCCESS);
    assert_int_equal(ca_update(&op, b, 1, b, sizeof(b), &n), PSA_ERROR_BAD_STATE);
    assert_error_state(&op);
    assert_int_equal(ca_setup(&op, true, PSA_KEY_TYPE_AES, key16, 16, PSA_ALG_CCM), PSA_SUCCESS);
    assert_int_equal(ca_set_nonce(&op, nonce13, 6), PSA_ERROR_INVALID_ARGUMENT);
    assert_error_state(&op);
    assert_int_equal(ca_setup(&op, true, PSA_KEY_TYPE_AES, key16, 16, PSA_ALG_CCM), PSA_SUCCESS);
    assert_int_equal(ca_set_nonce(&op, nonce13, 13), PSA_SUCCESS); /* 2 length bytes */
    assert_int_equal(ca_set_lengths(&op, 0, 65536), PSA_ERROR_INVALID_ARGUMENT);
    assert_error_state(&op);

    /* ChaCha20-Poly1305: a 12-byte nonce only */
    assert_int_equal(ca_setup(&op, true, PSA_KEY_TYPE_CHACHA20, b, 32, PSA_ALG_CHACHA20_POLY1305),
                     PSA_SUCCESS);
    assert_int_equal(ca_set_nonce(&op, nonce13, 8), PSA_ERROR_INVALID_ARGUMENT);
    assert_error_state(&op);
}

static int init(void **state)
{
    (void)state;
    return psa_crypto_init() == PSA_SUCCESS ? 0 : -1; /* generate_nonce's random */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors_every_chunking),
        cmocka_unit_test(test_state_machine),
    };

    return cmocka_run_group_tests(tests, init, NULL);
}
