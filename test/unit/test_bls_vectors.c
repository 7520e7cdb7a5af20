/*
 * test_bls_vectors.c - the consensus-spec-tests reader of bls_vectors.h:
 * every data.yaml under test/vectors/bls/consensus-spec-tests loads and
 * has the input and output its handler's format (consensus-specs
 * tests/formats/bls/<handler>.md) gives, the case counts are those the
 * vectors' README lists, a few known values read back, and malformed
 * files are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bls_vectors.h"

enum field_kind { F_BYTES, F_BYTES_LIST };
enum out_kind { OUT_BOOL, OUT_BYTES_OR_NULL };

struct field {
    const char *key;
    enum field_kind kind;
    size_t len; /* of the bytes, or of each list item */
};

struct shape {
    const char *fork, *handler;
    int cases;       /* the README's count */
    size_t list_len; /* not 0: the input is a list of bytes of this length */
    struct field fields[3];
    enum out_kind out;
    size_t out_len;
};

static const struct shape shapes[] = {
    {"phase0",
     "sign",
     10,
     0,
     {{"privkey", F_BYTES, 32}, {"message", F_BYTES, 32}},
     OUT_BYTES_OR_NULL,
     96},
    {"phase0",
     "verify",
     28,
     0,
     {{"pubkey", F_BYTES, 48}, {"message", F_BYTES, 32}, {"signature", F_BYTES, 96}},
     OUT_BOOL,
     0},
    {"phase0", "aggregate", 5, 96, {{NULL, 0, 0}}, OUT_BYTES_OR_NULL, 96},
    {"phase0",
     "fast_aggregate_verify",
     12,
     0,
     {{"pubkeys", F_BYTES_LIST, 48}, {"message", F_BYTES, 32}, {"signature", F_BYTES, 96}},
     OUT_BOOL,
     0},
    {"phase0",
     "aggregate_verify",
     5,
     0,
     {{"pubkeys", F_BYTES_LIST, 48}, {"messages", F_BYTES_LIST, 32}, {"signature", F_BYTES, 96}},
     OUT_BOOL,
     0},
    {"altair", "eth_aggregate_pubkeys", 8, 48, {{NULL, 0, 0}}, OUT_BYTES_OR_NULL, 48},
    {"altair",
     "eth_fast_aggregate_verify",
     12,
     0,
     {{"pubkeys", F_BYTES_LIST, 48}, {"message", F_BYTES, 32}, {"signature", F_BYTES, 96}},
     OUT_BOOL,
     0},
};

/* Where a file departs from its format on purpose (the vectors' README):
 * the generator's 8-byte tampered signature, which must be refused. */
static const struct quirk {
    const char *name, *key;
    size_t len;
} quirks[] = {
    {"aggregate_verify_tampered_signature", "signature", 8},
};

static size_t expected_len(const struct bls_case *c, const struct field *f)
{
    size_t i;

    for (i = 0; i < sizeof(quirks) / sizeof(quirks[0]); i++)
        if (strcmp(c->name, quirks[i].name) == 0 && strcmp(f->key, quirks[i].key) == 0)
            return quirks[i].len;
    return f->len;
}

static void assert_bytes(const struct bls_case *c, const struct bv_value *v, size_t len)
{
    if (v == NULL || v->type != BV_BYTES || v->len != len || v->bytes == NULL)
        fail_msg("%s: expected %zu bytes", c->path, len);
}

static void check_shape(const struct bls_case *c, void *arg)
{
    const struct shape *s = arg;
    size_t i, j, n_fields = 0;

    if (s->list_len != 0) {
        assert_int_equal(c->input.type, BV_LIST);
        for (i = 0; i < c->input.len; i++)
            assert_bytes(c, &c->input.items[i], s->list_len);
    } else {
        assert_int_equal(c->input.type, BV_MAP);
        for (i = 0; i < 3 && s->fields[i].key != NULL; i++) {
            const struct field *f = &s->fields[i];
            const struct bv_value *v = bv_get(&c->input, f->key);

            n_fields++;
            if (v == NULL)
                fail_msg("%s: no input.%s", c->path, f->key);
            if (f->kind == F_BYTES) {
                assert_bytes(c, v, expected_len(c, f));
                continue;
            }
            assert_int_equal(v->type, BV_LIST);
            for (j = 0; j < v->len; j++)
                assert_bytes(c, &v->items[j], f->len);
        }
        assert_int_equal(c->input.len, n_fields); /* nothing else */
    }
    if (s->out == OUT_BOOL)
        assert_int_equal(c->output.type, BV_BOOL);
    else if (c->output.type != BV_NULL)
        assert_bytes(c, &c->output, s->out_len);
    /* aggregate_verify pairs pubkeys[i] with messages[i] */
    if (bv_get(&c->input, "messages") != NULL)
        assert_int_equal(bv_get(&c->input, "messages")->len, bv_get(&c->input, "pubkeys")->len);
}

static void test_every_case_has_its_shape(void **state)
{
    size_t i;
    int total = 0;

    (void)state;
    for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        int n = bls_cases_each(shapes[i].fork, shapes[i].handler, check_shape,
                               (void *)(uintptr_t)&shapes[i]);

        if (n != shapes[i].cases)
            fail_msg("%s/%s: %d cases, expected %d", shapes[i].fork, shapes[i].handler, n,
                     shapes[i].cases);
        total += n;
    }
    assert_int_equal(total, 80);
}

static void count_case(const struct bls_case *c, void *arg)
{
    (void)c;
    ++*(int *)arg;
}

/* No handler directory outside the table above. */
static void test_no_other_handler(void **state)
{
    int n = 0;

    (void)state;
    assert_int_equal(bls_cases_each("*", "*", count_case, &n), 80);
    assert_int_equal(n, 80);
}

/* Loads one case by its path under consensus-spec-tests/. */
static void load(struct bls_case *c, const char *rel)
{
    char path[512], full[300];

    snprintf(full, sizeof(full), "consensus-spec-tests/%s/data.yaml", rel);
    assert_int_equal(bv_path(path, sizeof(path), full), 0);
    assert_int_equal(bls_case_load(c, path), 0);
}

static void test_known_values(void **state)
{
    struct bls_case c;
    const struct bv_value *sig;

    (void)state;
    load(&c, "phase0/bls/sign/bls/sign_case_zero_privkey");
    assert_string_equal(c.name, "sign_case_zero_privkey");
    assert_int_equal(c.output.type, BV_NULL);
    assert_int_equal(bv_get(&c.input, "privkey")->bytes[31], 0x00);
    assert_int_equal(bv_get(&c.input, "message")->bytes[0], 0xab);
    bls_case_free(&c);

    load(&c, "phase0/bls/aggregate/bls/aggregate_na_signatures");
    assert_int_equal(c.input.type, BV_LIST);
    assert_int_equal(c.input.len, 0);
    assert_int_equal(c.output.type, BV_NULL);
    bls_case_free(&c);

    load(&c, "phase0/bls/aggregate/bls/aggregate_infinity_signature");
    assert_int_equal(c.input.len, 1);
    assert_int_equal(c.output.bytes[0], 0xc0); /* the compressed infinity */
    bls_case_free(&c);

    load(&c, "phase0/bls/verify/bls/verify_infinity_pubkey_and_infinity_signature");
    assert_int_equal(c.output.type, BV_BOOL);
    assert_false(c.output.b);
    bls_case_free(&c);

    load(&c, "phase0/bls/verify/bls/verify_valid_case_e8a50c445c855360");
    assert_true(c.output.b);
    sig = bv_get(&c.input, "signature");
    assert_int_equal(sig->len, 96);
    bls_case_free(&c);

    /* the one case where phase0 and altair differ */
    load(&c, "phase0/bls/fast_aggregate_verify/bls/"
             "fast_aggregate_verify_na_pubkeys_and_infinity_signature");
    assert_false(c.output.b);
    bls_case_free(&c);
    load(&c, "altair/bls/eth_fast_aggregate_verify/bls/"
             "eth_fast_aggregate_verify_na_pubkeys_and_infinity_signature");
    assert_true(c.output.b);
    assert_int_equal(bv_get(&c.input, "pubkeys")->len, 0);
    bls_case_free(&c);
}

/* Writes @p text to a file in a fresh directory and loads it. */
static int load_text(const char *text, struct bls_case *c)
{
    char dir[] = "/tmp/bls-vectors-XXXXXX", path[64];
    FILE *f;
    int rc;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/data.yaml", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
    rc = bls_case_load(c, path);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(rmdir(dir), 0);
    return rc;
}

static void test_malformed(void **state)
{
    static const char *const bad[] = {
        "input: 'null'\noutput: null\n",          /* a quoted null is a string */
        "input: '0xabc'\noutput: null\n",         /* odd hex */
        "input: '0xzz'\noutput: null\n",          /* not hex */
        "input: abc\noutput: null\n",             /* a plain word */
        "input: []\n",                            /* no output */
        "input: []\noutput: null\nextra: null\n", /* a third key */
        "input: []\ninput: []\noutput: null\n",
        "input: {a: '0x00', a: '0x01'}\noutput: null\n",
        "- null\n- null\n",
        "input: [\noutput: null\n",                /* not YAML */
        "input: [[[[['0x00']]]]]\noutput: null\n", /* nested too deep */
    };
    struct bls_case c;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        if (load_text(bad[i], &c) != -1)
            fail_msg("accepted: %s", bad[i]);
    assert_int_equal(bls_case_load(&c, "/nonexistent/data.yaml"), -1);

    assert_int_equal(load_text("input: {m: '0x', l: ['0xFF', '0x01']}\noutput: ~\n", &c), 0);
    assert_int_equal(bv_get(&c.input, "m")->type, BV_BYTES);
    assert_int_equal(bv_get(&c.input, "m")->len, 0);
    assert_non_null(bv_get(&c.input, "m")->bytes);
    assert_int_equal(bv_get(&c.input, "l")->items[0].bytes[0], 0xff);
    assert_null(bv_get(&c.input, "x"));
    assert_int_equal(c.output.type, BV_NULL);
    bls_case_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_case_has_its_shape),
        cmocka_unit_test(test_no_other_handler),
        cmocka_unit_test(test_known_values),
        cmocka_unit_test(test_malformed),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
