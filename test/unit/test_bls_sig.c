/*
 * test_bls_sig.c - the signature scheme (src/lib/bls12_381/sig.c, bls.h):
 * every Ethereum consensus-spec-tests BLS case of test/vectors/bls/
 * (phase0 sign, verify, aggregate, fast_aggregate_verify,
 * aggregate_verify; altair eth_aggregate_pubkeys, eth_fast_aggregate_verify)
 * gives its expected output, and property tests: sign/verify round trips,
 * a tampered message, key or signature is refused, keys out of range are
 * refused, proofs of possession, aggregation against single signatures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bls.h"
#include "bls_vectors.h"
#include "ec.h"

static const struct bv_value *field(const struct bls_case *c, const char *key)
{
    const struct bv_value *v = bv_get(&c->input, key);
    if (v == NULL)
        fail_msg("%s: no input.%s", c->name, key);
    return v;
}

static int is_bytes(const struct bv_value *v, size_t len)
{
    return v->type == BV_BYTES && v->len == len;
}

static void expect_bool(const struct bls_case *c, int got)
{
    assert_int_equal(c->output.type, BV_BOOL);
    if (got != (int)c->output.b)
        fail_msg("%s: got %d, want %d", c->name, got, (int)c->output.b);
}

/* Every item of a list of fixed-size byte strings, packed; NULL (n set)
 * if one has another size, which the callee must treat as invalid. */
static uint8_t *pack(const struct bv_value *list, size_t len, size_t *n)
{
    uint8_t *out;
    assert_int_equal(list->type, BV_LIST);
    *n = list->len;
    out = malloc(list->len * len + 1);
    assert_non_null(out);
    for (size_t i = 0; i < list->len; i++) {
        if (!is_bytes(&list->items[i], len)) {
            free(out);
            return NULL;
        }
        memcpy(out + i * len, list->items[i].bytes, len);
    }
    return out;
}

static void run_sign(const struct bls_case *c, void *arg)
{
    const struct bv_value *sk = field(c, "privkey"), *msg = field(c, "message");
    uint8_t sig[BLS_SIG_LEN];
    int rc;
    (void)arg;
    assert_true(is_bytes(sk, BLS_SK_LEN));
    rc = bls_sign(sig, sk->bytes, msg->bytes, msg->len);
    if (c->output.type == BV_NULL) {
        assert_int_equal(rc, -1);
        return;
    }
    assert_int_equal(rc, 0);
    assert_true(is_bytes(&c->output, BLS_SIG_LEN));
    assert_memory_equal(sig, c->output.bytes, BLS_SIG_LEN);
}

static void run_verify(const struct bls_case *c, void *arg)
{
    const struct bv_value *pk = field(c, "pubkey"), *msg = field(c, "message"),
                          *sig = field(c, "signature");
    int got = 0;
    (void)arg;
    if (is_bytes(pk, BLS_PK_LEN) && is_bytes(sig, BLS_SIG_LEN))
        got = bls_verify(pk->bytes, msg->bytes, msg->len, sig->bytes);
    expect_bool(c, got);
}

static void run_aggregate(const struct bls_case *c, void *arg)
{
    size_t n;
    uint8_t out[BLS_SIG_LEN];
    uint8_t *sigs = pack(&c->input, BLS_SIG_LEN, &n);
    int rc = sigs ? bls_aggregate(out, (const uint8_t(*)[BLS_SIG_LEN])sigs, n) : -1;
    (void)arg;
    free(sigs);
    if (c->output.type == BV_NULL) {
        assert_int_equal(rc, -1);
        return;
    }
    assert_int_equal(rc, 0);
    assert_true(is_bytes(&c->output, BLS_SIG_LEN));
    assert_memory_equal(out, c->output.bytes, BLS_SIG_LEN);
}

static void run_eth_aggregate_pubkeys(const struct bls_case *c, void *arg)
{
    size_t n;
    uint8_t out[BLS_PK_LEN];
    uint8_t *pks = pack(&c->input, BLS_PK_LEN, &n);
    int rc = pks ? bls_aggregate_pubkeys(out, (const uint8_t(*)[BLS_PK_LEN])pks, n) : -1;
    (void)arg;
    free(pks);
    if (c->output.type == BV_NULL) {
        assert_int_equal(rc, -1);
        return;
    }
    assert_int_equal(rc, 0);
    assert_true(is_bytes(&c->output, BLS_PK_LEN));
    assert_memory_equal(out, c->output.bytes, BLS_PK_LEN);
}

/* arg: the eth_ variant */
static void run_fast_aggregate_verify(const struct bls_case *c, void *arg)
{
    const struct bv_value *msg = field(c, "message"), *sig = field(c, "signature");
    size_t n;
    uint8_t *pks = pack(field(c, "pubkeys"), BLS_PK_LEN, &n);
    int got = 0;
    if (pks && is_bytes(sig, BLS_SIG_LEN)) {
        const uint8_t(*p)[BLS_PK_LEN] = (const uint8_t(*)[BLS_PK_LEN])pks;
        got = arg ? bls_eth_fast_aggregate_verify(p, n, msg->bytes, msg->len, sig->bytes)
                  : bls_fast_aggregate_verify(p, n, msg->bytes, msg->len, sig->bytes);
    }
    free(pks);
    expect_bool(c, got);
}

static void run_aggregate_verify(const struct bls_case *c, void *arg)
{
    const struct bv_value *msgs = field(c, "messages"), *sig = field(c, "signature");
    size_t n;
    uint8_t *pks = pack(field(c, "pubkeys"), BLS_PK_LEN, &n);
    int got = 0;
    (void)arg;
    assert_int_equal(msgs->type, BV_LIST);
    if (pks && msgs->len == n && is_bytes(sig, BLS_SIG_LEN)) {
        const uint8_t **m = calloc(n + 1, sizeof *m);
        size_t *l = calloc(n + 1, sizeof *l);
        assert_non_null(m);
        assert_non_null(l);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(msgs->items[i].type, BV_BYTES);
            m[i] = msgs->items[i].bytes;
            l[i] = msgs->items[i].len;
        }
        got = bls_aggregate_verify((const uint8_t(*)[BLS_PK_LEN])pks, m, l, n, sig->bytes);
        free(m);
        free(l);
    }
    free(pks);
    expect_bool(c, got);
}

static void test_consensus_vectors(void **state)
{
    (void)state;
    static int eth = 1;
    const struct {
        const char *fork, *handler;
        void (*fn)(const struct bls_case *, void *);
        void *arg;
        int count;
    } runs[] = {
        {"phase0", "sign", run_sign, NULL, 10},
        {"phase0", "verify", run_verify, NULL, 28},
        {"phase0", "aggregate", run_aggregate, NULL, 5},
        {"phase0", "fast_aggregate_verify", run_fast_aggregate_verify, NULL, 12},
        {"phase0", "aggregate_verify", run_aggregate_verify, NULL, 5},
        {"altair", "eth_aggregate_pubkeys", run_eth_aggregate_pubkeys, NULL, 8},
        {"altair", "eth_fast_aggregate_verify", run_fast_aggregate_verify, &eth, 12},
    };
    for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++)
        assert_int_equal(bls_cases_each(runs[i].fork, runs[i].handler, runs[i].fn, runs[i].arg),
                         runs[i].count);
}

static uint64_t rng_state = 0xfeedfacecafebeefULL;

static void rand_bytes(uint8_t *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        rng_state ^= rng_state >> 12;
        rng_state ^= rng_state << 25;
        rng_state ^= rng_state >> 27;
        b[i] = (uint8_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 56);
    }
}

static void rand_sk(uint8_t sk[BLS_SK_LEN])
{
    rand_bytes(sk, BLS_SK_LEN);
    sk[0] &= 0x3f; /* below r */
}

static void test_round_trip_and_tampering(void **state)
{
    (void)state;
    uint8_t sk[BLS_SK_LEN], sk2[BLS_SK_LEN], pk[BLS_PK_LEN], pk2[BLS_PK_LEN];
    uint8_t sig[BLS_SIG_LEN], bad[BLS_SIG_LEN], msg[40];
    for (int i = 0; i < 4; i++) {
        rand_sk(sk);
        rand_sk(sk2);
        rand_bytes(msg, sizeof msg);
        assert_int_equal(bls_sk_to_pk(pk, sk), 0);
        assert_int_equal(bls_sk_to_pk(pk2, sk2), 0);
        assert_true(bls_key_validate(pk));
        assert_int_equal(bls_sign(sig, sk, msg, sizeof msg), 0);
        assert_true(bls_verify(pk, msg, sizeof msg, sig));
        /* another message (a bit flipped, a byte shorter), another key */
        msg[i] ^= 1;
        assert_false(bls_verify(pk, msg, sizeof msg, sig));
        msg[i] ^= 1;
        assert_false(bls_verify(pk, msg, sizeof msg - 1, sig));
        assert_false(bls_verify(pk2, msg, sizeof msg, sig));
        /* a tampered signature: the sort bit (the negated point), a bit of x */
        memcpy(bad, sig, sizeof bad);
        bad[0] ^= 0x20;
        assert_false(bls_verify(pk, msg, sizeof msg, bad));
        memcpy(bad, sig, sizeof bad);
        bad[BLS_SIG_LEN - 1] ^= 1;
        assert_false(bls_verify(pk, msg, sizeof msg, bad));
        /* signing is deterministic */
        assert_int_equal(bls_sign(bad, sk, msg, sizeof msg), 0);
        assert_memory_equal(bad, sig, sizeof sig);
    }
    /* the empty message */
    assert_int_equal(bls_sign(sig, sk, NULL, 0), 0);
    assert_true(bls_verify(pk, NULL, 0, sig));
    assert_int_equal(bls_sign(sig, sk, NULL, 1), -1);
}

static void test_key_range(void **state)
{
    (void)state;
    /* r, r + 1, 2^256 - 1 and 0 are refused; r - 1 and 1 are keys */
    uint8_t r[BLS_SK_LEN] = {0x73, 0xed, 0xa7, 0x53, 0x29, 0x9d, 0x7d, 0x48, 0x33, 0x39, 0xd8,
                             0x08, 0x09, 0xa1, 0xd8, 0x05, 0x53, 0xbd, 0xa4, 0x02, 0xff, 0xfe,
                             0x5b, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01};
    uint8_t k[BLS_SK_LEN], pk[BLS_PK_LEN], sig[BLS_SIG_LEN], gen[BLS_PK_LEN];
    static const uint8_t G1[BLS_PK_LEN] = {
        0x97, 0xf1, 0xd3, 0xa7, 0x31, 0x97, 0xd7, 0x94, 0x26, 0x95, 0x63, 0x8c,
        0x4f, 0xa9, 0xac, 0x0f, 0xc3, 0x68, 0x8c, 0x4f, 0x97, 0x74, 0xb9, 0x05,
        0xa1, 0x4e, 0x3a, 0x3f, 0x17, 0x1b, 0xac, 0x58, 0x6c, 0x55, 0xe8, 0x3f,
        0xf9, 0x7a, 0x1a, 0xef, 0xfb, 0x3a, 0xf0, 0x0a, 0xdb, 0x22, 0xc6, 0xbb};
    assert_int_equal(bls_sk_to_pk(pk, r), -1);
    assert_int_equal(bls_sign(sig, r, r, 1), -1);
    memcpy(k, r, sizeof k);
    k[31]++;
    assert_int_equal(bls_sk_to_pk(pk, k), -1);
    memset(k, 0xff, sizeof k);
    assert_int_equal(bls_sk_to_pk(pk, k), -1);
    memset(k, 0, sizeof k);
    assert_int_equal(bls_sk_to_pk(pk, k), -1);
    assert_int_equal(bls_pop_prove(sig, k), -1);
    k[31] = 1;
    assert_int_equal(bls_sk_to_pk(gen, k), 0);
    assert_memory_equal(gen, G1, sizeof G1);
    memcpy(k, r, sizeof k);
    k[31]--;
    assert_int_equal(bls_sk_to_pk(pk, k), 0);
    gen[0] ^= 0x20; /* (r - 1) G1 = -G1: the other sort bit */
    assert_memory_equal(pk, gen, sizeof gen);
    /* KeyValidate refuses the identity */
    memset(pk, 0, sizeof pk);
    pk[0] = 0xc0;
    assert_false(bls_key_validate(pk));
}

static void test_pop(void **state)
{
    (void)state;
    uint8_t sk[BLS_SK_LEN], sk2[BLS_SK_LEN], pk[BLS_PK_LEN], pk2[BLS_PK_LEN];
    uint8_t proof[BLS_SIG_LEN], sig[BLS_SIG_LEN];
    rand_sk(sk);
    rand_sk(sk2);
    assert_int_equal(bls_sk_to_pk(pk, sk), 0);
    assert_int_equal(bls_sk_to_pk(pk2, sk2), 0);
    assert_int_equal(bls_pop_prove(proof, sk), 0);
    assert_true(bls_pop_verify(pk, proof));
    assert_false(bls_pop_verify(pk2, proof));
    /* a proof is not a signature of the key's bytes (another DST) */
    assert_false(bls_verify(pk, pk, sizeof pk, proof));
    assert_int_equal(bls_sign(sig, sk, pk, sizeof pk), 0);
    assert_false(bls_pop_verify(pk, sig));
}

static void test_aggregation(void **state)
{
    (void)state;
    enum { N = 5 };
    uint8_t sk[N][BLS_SK_LEN], pk[N][BLS_PK_LEN], sig[N][BLS_SIG_LEN], agg[BLS_SIG_LEN];
    uint8_t msg[N][8], apk[BLS_PK_LEN];
    const uint8_t *m[N];
    size_t l[N];
    for (int i = 0; i < N; i++) {
        rand_sk(sk[i]);
        rand_bytes(msg[i], sizeof msg[i]);
        assert_int_equal(bls_sk_to_pk(pk[i], sk[i]), 0);
        m[i] = msg[i];
        l[i] = sizeof msg[i];
    }
    /* one message, N keys */
    for (int i = 0; i < N; i++)
        assert_int_equal(bls_sign(sig[i], sk[i], msg[0], sizeof msg[0]), 0);
    assert_int_equal(bls_aggregate(agg, (const uint8_t(*)[BLS_SIG_LEN])sig, N), 0);
    assert_true(
        bls_fast_aggregate_verify((const uint8_t(*)[BLS_PK_LEN])pk, N, msg[0], sizeof msg[0], agg));
    assert_false(bls_fast_aggregate_verify((const uint8_t(*)[BLS_PK_LEN])pk, N - 1, msg[0],
                                           sizeof msg[0], agg));
    assert_int_equal(bls_aggregate_pubkeys(apk, (const uint8_t(*)[BLS_PK_LEN])pk, N), 0);
    assert_true(bls_verify(apk, msg[0], sizeof msg[0], agg));
    /* N messages */
    for (int i = 0; i < N; i++)
        assert_int_equal(bls_sign(sig[i], sk[i], msg[i], sizeof msg[i]), 0);
    assert_int_equal(bls_aggregate(agg, (const uint8_t(*)[BLS_SIG_LEN])sig, N), 0);
    assert_true(bls_aggregate_verify((const uint8_t(*)[BLS_PK_LEN])pk, m, l, N, agg));
    msg[3][0] ^= 1;
    assert_false(bls_aggregate_verify((const uint8_t(*)[BLS_PK_LEN])pk, m, l, N, agg));
    msg[3][0] ^= 1;
    assert_false(bls_aggregate_verify((const uint8_t(*)[BLS_PK_LEN])pk, m, l, N - 1, agg));
    assert_false(bls_aggregate_verify((const uint8_t(*)[BLS_PK_LEN])pk, m, l, 0, agg));
    /* one signature aggregates to itself */
    assert_int_equal(bls_aggregate(agg, (const uint8_t(*)[BLS_SIG_LEN])sig, 1), 0);
    assert_memory_equal(agg, sig[0], BLS_SIG_LEN);
}

/* A key with a component outside G1: pk + T, T = r P' for P' on the curve
 * but not in G1 (ethereum/bls12-381-tests deserialization_G1
 * deserialization_fails_not_in_G1), so T is a nonzero point of order
 * dividing the cofactor.  Without the subgroup check of KeyValidate, the
 * pairing accepts a signature under pk for pk + T: every scheme function
 * must refuse it by the check itself. */
static void test_key_outside_g1_refused(void **state)
{
    (void)state;
    static const uint8_t not_in_g1[BLS_PK_LEN] = {
        0x81, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67,
        0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
        0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67,
        0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef};
    static const uint8_t msg[] = "abc";
    uint8_t sk[BLS_SK_LEN] = {0}, pk[1][BLS_PK_LEN], bad[1][BLS_PK_LEN], sig[BLS_SIG_LEN];
    uint8_t out[BLS_PK_LEN];
    const uint8_t *m[1] = {msg};
    size_t l[1] = {sizeof msg - 1};
    g1 p, t;

    sk[31] = 7;
    assert_int_equal(bls_sk_to_pk(pk[0], sk), 0);
    assert_int_equal(bls_sign(sig, sk, msg, sizeof msg - 1), 0);
    assert_int_equal(g1_decompress(&t, not_in_g1, 0), 0);
    g1_mul_vartime(&t, &t, BLS_R, 4);
    assert_false(g1_is_identity(&t));
    assert_int_equal(g1_decompress(&p, pk[0], 1), 0);
    g1_add(&p, &p, &t);
    g1_compress(bad[0], &p);
    assert_int_equal(g1_decompress(&p, bad[0], 0), 0); /* on the curve */
    assert_int_equal(g1_decompress(&p, bad[0], 1), EC_ERR_SUBGROUP);

    assert_false(bls_key_validate(bad[0]));
    assert_false(bls_verify(bad[0], msg, sizeof msg - 1, sig));
    assert_false(
        bls_fast_aggregate_verify((const uint8_t(*)[BLS_PK_LEN])bad, 1, msg, sizeof msg - 1, sig));
    assert_false(bls_aggregate_verify((const uint8_t(*)[BLS_PK_LEN])bad, m, l, 1, sig));
    assert_int_equal(bls_aggregate_pubkeys(out, (const uint8_t(*)[BLS_PK_LEN])bad, 1), -1);
    /* the same calls with the key itself are VALID */
    assert_true(bls_verify(pk[0], msg, sizeof msg - 1, sig));
    assert_true(
        bls_fast_aggregate_verify((const uint8_t(*)[BLS_PK_LEN])pk, 1, msg, sizeof msg - 1, sig));
    assert_true(bls_aggregate_verify((const uint8_t(*)[BLS_PK_LEN])pk, m, l, 1, sig));
}

/* FastAggregateVerify with keys P and -P (each passing KeyValidate) sums
 * to the identity, which CoreVerify's KeyValidate refuses: the identity
 * signature must not verify. */
static void test_fast_aggregate_identity_sum_refused(void **state)
{
    (void)state;
    uint8_t sk[BLS_SK_LEN], pks[2][BLS_PK_LEN], inf[BLS_SIG_LEN] = {0xc0}, agg[BLS_PK_LEN];
    static const uint8_t msg[] = "abc";

    rand_sk(sk);
    assert_int_equal(bls_sk_to_pk(pks[0], sk), 0);
    memcpy(pks[1], pks[0], BLS_PK_LEN);
    pks[1][0] ^= 0x20; /* -P: the other sort flag */
    assert_true(bls_key_validate(pks[1]));
    assert_int_equal(bls_aggregate_pubkeys(agg, (const uint8_t(*)[BLS_PK_LEN])pks, 2), 0);
    assert_int_equal(agg[0], 0xc0); /* the sum is the identity */
    assert_false(
        bls_fast_aggregate_verify((const uint8_t(*)[BLS_PK_LEN])pks, 2, msg, sizeof msg - 1, inf));
    assert_false(bls_eth_fast_aggregate_verify((const uint8_t(*)[BLS_PK_LEN])pks, 2, msg,
                                               sizeof msg - 1, inf));
}

/* More pairs than one Miller loop chunk takes (sig.c runs 8 at a time). */
static void test_aggregate_verify_many(void **state)
{
    (void)state;
    enum { N = 19 };
    uint8_t sk[BLS_SK_LEN], pk[N][BLS_PK_LEN], sig[N][BLS_SIG_LEN], agg[BLS_SIG_LEN];
    uint8_t msg[N][4];
    const uint8_t *m[N];
    size_t l[N];
    for (int i = 0; i < N; i++) {
        rand_sk(sk);
        rand_bytes(msg[i], sizeof msg[i]);
        assert_int_equal(bls_sk_to_pk(pk[i], sk), 0);
        assert_int_equal(bls_sign(sig[i], sk, msg[i], sizeof msg[i]), 0);
        m[i] = msg[i];
        l[i] = sizeof msg[i];
    }
    assert_int_equal(bls_aggregate(agg, (const uint8_t(*)[BLS_SIG_LEN])sig, N), 0);
    for (size_t n = 7; n <= N; n++) {
        int ok = bls_aggregate_verify((const uint8_t(*)[BLS_PK_LEN])pk, m, l, n, agg);
        assert_int_equal(ok, n == N);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_consensus_vectors),
        cmocka_unit_test(test_round_trip_and_tampering),
        cmocka_unit_test(test_key_range),
        cmocka_unit_test(test_pop),
        cmocka_unit_test(test_aggregation),
        cmocka_unit_test(test_aggregate_verify_many),
        cmocka_unit_test(test_key_outside_g1_refused),
        cmocka_unit_test(test_fast_aggregate_identity_sum_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
