/*
 * test_cbor.c - the strict CBOR encoder/decoder and the COSE_Sign1
 * envelope (src/cbor/).
 *
 * Data: the examples of RFC 8949 Appendix A (as cbor/test-vectors'
 * appendix_a.json carries them), each decoded, checked and, where the
 * encoder can write it, written again byte for byte; the not-well-formed
 * examples of RFC 8949 Appendix F.1; and the strict rules of cbor.h
 * (indefinite lengths, overlong heads, UTF-8, duplicate keys, nesting,
 * trailing bytes), each at its boundary.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cbor.h"
#include "cose.h"

/* @p hex as bytes in @p out; the count. */
static size_t unhex(const char *hex, uint8_t *out, size_t max)
{
    size_t n = 0;
    unsigned v;

    while (hex[0] != '\0' && hex[0] != ' ') {
        assert_true(n < max);
        assert_int_equal(sscanf(hex, "%2x", &v), 1);
        out[n++] = (uint8_t)v;
        hex += 2;
    }
    return n;
}

/* ---- RFC 8949 Appendix A ---- */

/* Writes the item at @p d again with the encoder: false if it has a value
 * the encoder cannot write (a float, a negative integer beyond int64_t). */
static bool reencode(struct cbor_dec *d, struct cbor_enc *e)
{
    struct cbor_item it;
    int64_t v;
    uint64_t i, n;

    assert_int_equal(cbor_next(d, &it), CBOR_OK);
    switch (it.type) {
    case CBOR_UINT:
        cbor_put_uint(e, it.u);
        return true;
    case CBOR_NINT:
        if (cbor_item_int(&it, &v) != CBOR_OK)
            return false;
        cbor_put_int(e, v);
        return true;
    case CBOR_BSTR:
        cbor_put_bstr(e, it.ptr, (size_t)it.u);
        return true;
    case CBOR_TSTR:
        cbor_put_tstr(e, (const char *)it.ptr, (size_t)it.u);
        return true;
    case CBOR_SIMPLE:
        cbor_put_simple(e, (uint8_t)it.u);
        return true;
    case CBOR_FLOAT:
        return false;
    case CBOR_TAG:
        cbor_put_tag(e, it.u);
        return reencode(d, e);
    case CBOR_ARRAY:
    case CBOR_MAP:
        n = it.type == CBOR_MAP ? 2 * it.u : it.u;
        if (it.type == CBOR_MAP)
            cbor_put_map(e, (size_t)it.u);
        else
            cbor_put_array(e, (size_t)it.u);
        for (i = 0; i < n; i++)
            if (!reencode(d, e))
                return false;
        return true;
    }
    return false;
}

/* Every well-formed example of Appendix A (simple(24), "f818", which RFC
 * 7049 listed, is not well-formed under RFC 8949 section 3.3: see below). */
static const char *const appendix_a[] = {
    "00",
    "01",
    "0a",
    "17",
    "1818",
    "1819",
    "1864",
    "1903e8",
    "1a000f4240",
    "1b000000e8d4a51000",
    "1bffffffffffffffff",
    "c249010000000000000000",
    "3bffffffffffffffff",
    "c349010000000000000000",
    "20",
    "29",
    "3863",
    "3903e7",
    "f90000",
    "f98000",
    "f93c00",
    "fb3ff199999999999a",
    "f93e00",
    "f97bff",
    "fa47c35000",
    "fa7f7fffff",
    "fb7e37e43c8800759c",
    "f90001",
    "f90400",
    "f9c400",
    "fbc010666666666666",
    "f97c00",
    "f97e00",
    "f9fc00",
    "fa7f800000",
    "fa7fc00000",
    "faff800000",
    "fb7ff0000000000000",
    "fb7ff8000000000000",
    "fbfff0000000000000",
    "f4",
    "f5",
    "f6",
    "f7",
    "f0",
    "f8ff",
    "c074323031332d30332d32315432303a30343a30305a",
    "c11a514b67b0",
    "c1fb41d452d9ec200000",
    "d74401020304",
    "d818456449455446",
    "d82076687474703a2f2f7777772e6578616d706c652e636f6d",
    "40",
    "4401020304",
    "60",
    "6161",
    "6449455446",
    "62225c",
    "62c3bc",
    "63e6b0b4",
    "64f0908591",
    "80",
    "83010203",
    "8301820203820405",
    "98190102030405060708090a0b0c0d0e0f101112131415161718181819",
    "a0",
    "a201020304",
    "a26161016162820203",
    "826161a161626163",
    "a56161614161626142616361436164614461656145"};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_appendix_a_roundtrip(void **state)
{
    uint8_t in[64], out[64];
    size_t i, n, m, written = 0;

    (void)state;
    for (i = 0; i < N(appendix_a); i++) {
        struct cbor_dec d;
        struct cbor_enc e;

        n = unhex(appendix_a[i], in, sizeof(in));
        if (cbor_check(in, n) != CBOR_OK)
            fail_msg("%s: %s", appendix_a[i], cbor_strerror(cbor_check(in, n)));
        cbor_dec_init(&d, in, n);
        cbor_enc_init(&e, out, sizeof(out));
        if (!reencode(&d, &e))
            continue;
        assert_int_equal(cbor_dec_end(&d), CBOR_OK);
        assert_int_equal(cbor_enc_finish(&e, &m), CBOR_OK);
        assert_int_equal(m, n);
        assert_memory_equal(out, in, n);
        written++;
    }
    /* all but the 22 floats, the tagged float and -2^64 */
    assert_int_equal(written, N(appendix_a) - 22 - 1 - 1);
}

/* The first head of @p hex. */
static struct cbor_item first(const char *hex, uint8_t *buf)
{
    struct cbor_dec d;
    struct cbor_item it;
    size_t n = unhex(hex, buf, 64);

    assert_int_equal(cbor_check(buf, n), CBOR_OK);
    cbor_dec_init(&d, buf, n);
    assert_int_equal(cbor_next(&d, &it), CBOR_OK);
    return it;
}

static void test_appendix_a_values(void **state)
{
    static const struct {
        const char *hex;
        int64_t v;
    } ints[] = {{"00", 0},
                {"17", 23},
                {"1818", 24},
                {"1903e8", 1000},
                {"20", -1},
                {"3863", -100},
                {"3903e7", -1000},
                {"1a000f4240", 1000000},
                {"1b000000e8d4a51000", 1000000000000}};
    static const struct {
        const char *hex;
        double v;
    } floats[] = {{"f93c00", 1.0},
                  {"fb3ff199999999999a", 1.1},
                  {"f93e00", 1.5},
                  {"f97bff", 65504.0},
                  {"fa47c35000", 100000.0},
                  {"fa7f7fffff", 3.4028234663852886e+38},
                  {"fb7e37e43c8800759c", 1.0e+300},
                  {"f90001", 5.960464477539063e-8},
                  {"f90400", 0.00006103515625},
                  {"f9c400", -4.0},
                  {"fbc010666666666666", -4.1}};
    uint8_t buf[64];
    struct cbor_item it;
    int64_t v;
    size_t i;

    (void)state;
    for (i = 0; i < N(ints); i++) {
        it = first(ints[i].hex, buf);
        assert_int_equal(cbor_item_int(&it, &v), CBOR_OK);
        assert_true(v == ints[i].v);
    }
    /* 2^64 - 1 and -2^64 are well-formed, but not int64_t */
    it = first("1bffffffffffffffff", buf);
    assert_true(it.type == CBOR_UINT && it.u == UINT64_MAX);
    assert_int_equal(cbor_item_int(&it, &v), CBOR_ERR_TYPE);
    it = first("3bffffffffffffffff", buf);
    assert_true(it.type == CBOR_NINT && it.u == UINT64_MAX);
    assert_int_equal(cbor_item_int(&it, &v), CBOR_ERR_TYPE);
    it = first("3b7fffffffffffffff", buf);
    assert_int_equal(cbor_item_int(&it, &v), CBOR_OK);
    assert_true(v == INT64_MIN);
    for (i = 0; i < N(floats); i++) {
        it = first(floats[i].hex, buf);
        assert_int_equal(it.type, CBOR_FLOAT);
        assert_true(cbor_item_double(&it) == floats[i].v);
    }
    it = first("f98000", buf);
    assert_true(cbor_item_double(&it) == 0.0 && signbit(cbor_item_double(&it)));
    it = first("f97c00", buf);
    assert_true(isinf(cbor_item_double(&it)) && cbor_item_double(&it) > 0);
    it = first("f9fc00", buf);
    assert_true(isinf(cbor_item_double(&it)) && cbor_item_double(&it) < 0);
    it = first("f97e00", buf);
    assert_true(isnan(cbor_item_double(&it)));
    it = first("fa7fc00000", buf);
    assert_true(isnan(cbor_item_double(&it)));
    it = first("f5", buf);
    assert_true(it.type == CBOR_SIMPLE && it.u == CBOR_TRUE);
    it = first("f8ff", buf);
    assert_true(it.type == CBOR_SIMPLE && it.u == 255);
    it = first("c11a514b67b0", buf);
    assert_true(it.type == CBOR_TAG && it.u == 1);
    it = first("64f0908591", buf);
    assert_true(it.type == CBOR_TSTR && it.u == 4 && memcmp(it.ptr, "\xf0\x90\x85\x91", 4) == 0);
    it = first("98190102030405060708090a0b0c0d0e0f101112131415161718181819", buf);
    assert_true(it.type == CBOR_ARRAY && it.u == 25);
}

/* Appendix A's indefinite-length examples: refused, every one. */
static void test_indefinite_refused(void **state)
{
    static const char *const indefinite[] = {
        "5f42010243030405ff",
        "7f657374726561646d696e67ff",
        "9fff",
        "9f018202039f0405ffff",
        "9f01820203820405ff",
        "83018202039f0405ff",
        "83019f0203ff820405",
        "9f0102030405060708090a0b0c0d0e0f101112131415161718181819ff",
        "bf61610161629f0203ffff",
        "826161bf61626163ff",
        "bf6346756ef563416d7421ff",
        "ff" /* a break on its own */};
    uint8_t buf[64];
    size_t i, n;

    (void)state;
    for (i = 0; i < N(indefinite); i++) {
        n = unhex(indefinite[i], buf, sizeof(buf));
        assert_int_equal(cbor_check(buf, n), CBOR_ERR_INDEFINITE);
    }
}

/* Every proper prefix of every example is truncated (CBOR is prefix-free);
 * every example with a byte after it has trailing bytes. */
static void test_truncated_and_trailing(void **state)
{
    uint8_t buf[65];
    size_t i, k, n;

    (void)state;
    for (i = 0; i < N(appendix_a); i++) {
        n = unhex(appendix_a[i], buf, 64);
        for (k = 0; k < n; k++)
            if (cbor_check(buf, k) != CBOR_ERR_TRUNCATED)
                fail_msg("%s cut to %zu bytes: %s", appendix_a[i], k,
                         cbor_strerror(cbor_check(buf, k)));
        buf[n] = 0x00;
        assert_int_equal(cbor_check(buf, n + 1), CBOR_ERR_TRAILING);
    }
}

static void expect_all(const char *const *hex, size_t count, int err)
{
    uint8_t buf[64];
    size_t i, n;

    for (i = 0; i < count; i++) {
        n = unhex(hex[i], buf, sizeof(buf));
        if (cbor_check(buf, n) != err)
            fail_msg("%s: %s, not %s", hex[i], cbor_strerror(cbor_check(buf, n)),
                     cbor_strerror(err));
    }
}

/* RFC 8949 Appendix F.1: not well-formed.  Each is refused; which rule it
 * breaks first decides the error, so only "not OK" is asserted. */
static void test_appendix_f_not_well_formed(void **state)
{
    static const char *const bad[] = {
        /* end of input in a head */
        "18", "19", "1a", "1b", "1901", "1a0102", "1b01020304050607", "38", "58", "78", "98",
        "9a01ff00", "b8", "d8", "f8", "f900", "fa0000", "fb000000",
        /* definite-length strings with short data */
        "41", "61", "5affffffff00", "5bffffffffffffffff010203", "7affffffff00",
        "7b7fffffffffffffff010203",
        /* definite-length maps and arrays not closed with enough items */
        "81", "818181818181818181", "8200", "a1", "a20102", "a100", "a2000000",
        /* a tag number not followed by tag content */
        "c0",
        /* indefinite-length items not closed by a break */
        "5f4100", "7f6100", "9f", "9f0102", "bf", "bf01020102", "819f", "9f8000",
        "9f9f9f9f9fffffffff", "9f819f819f9fffffff",
        /* reserved additional information */
        "1c", "1d", "1e", "3c", "3d", "3e", "5c", "5d", "5e", "7c", "7d", "7e", "9c", "9d", "9e",
        "bc", "bd", "be", "dc", "dd", "de", "fc", "fd", "fe",
        /* reserved two-byte simple values */
        "f800", "f801", "f818", "f81f",
        /* a break in a definite-length item */
        "81ff", "8200ff", "a1ff", "a1ff00", "a100ff", "a20000ff", "9f81ff",
        /* additional information 31 on major types 0, 1 and 6 */
        "1f", "3f", "df"};
    uint8_t buf[64];
    size_t i, n;

    (void)state;
    for (i = 0; i < N(bad); i++) {
        n = unhex(bad[i], buf, sizeof(buf));
        if (cbor_check(buf, n) == CBOR_OK)
            fail_msg("%s was accepted", bad[i]);
    }
}

static void test_strict_rules(void **state)
{
    static const char *const overlong[] = {
        "1800", "1817", "190000", "1900ff", "1a0000ffff", "1b00000000ffffffff", "3800",
        "5800", "7800", "9800",   "b800",   "d80000",     "9a00000001" /* count in 4 bytes */};
    static const char *const shortest[] = {
        "1818",   "18ff", "190100", "19ffff", "1a00010000", "1affffffff", "1b0000000100000000",
        "d81800", "f820"};
    static const char *const reserved[] = {"1c", "3d", "5e", "fc", "f800", "f81f", "1f", "df"};
    static const char *const not_utf8[] = {"6180",       /* a lone continuation byte */
                                           "62c328",     /* a lead byte without its continuation */
                                           "62c080",     /* NUL in two bytes: an overlong form */
                                           "63eda080",   /* a surrogate, U+D800 */
                                           "64f4908080", /* past U+10FFFF */
                                           "61ff"};
    static const char *const dup[] = {"a201020103", "a2616101616102",
                                      "a1018201a200010000" /* {1: [1, {0: 1, 0: 0}]} */,
                                      "a2c1010ac10102"};
    static const char *const unique[] = {"a201020203", "a2616101616202",
                                         "a20102c10103" /* 1 and 1(1) differ */};
    static const char *const huge[] = {"5bffffffffffffffff", "7bffffffffffffffff",
                                       "9bffffffffffffffff", "bbffffffffffffffff",
                                       "9b000000010000000000"};

    (void)state;
    expect_all(overlong, N(overlong), CBOR_ERR_OVERLONG);
    expect_all(shortest, N(shortest), CBOR_OK);
    expect_all(reserved, N(reserved), CBOR_ERR_MALFORMED);
    expect_all(not_utf8, N(not_utf8), CBOR_ERR_UTF8);
    expect_all(dup, N(dup), CBOR_ERR_DUPLICATE);
    expect_all(unique, N(unique), CBOR_OK);
    expect_all(huge, N(huge), CBOR_ERR_TRUNCATED);
}

/* CBOR_MAX_DEPTH nested containers, and one more. */
static void test_nesting_limit(void **state)
{
    static uint8_t deep[100000];
    uint8_t buf[CBOR_MAX_DEPTH + 2];
    struct cbor_dec d;

    (void)state;
    memset(buf, 0x81, sizeof(buf)); /* [[[...]]] */
    buf[CBOR_MAX_DEPTH - 1] = 0x80;
    assert_int_equal(cbor_check(buf, CBOR_MAX_DEPTH), CBOR_OK);
    buf[CBOR_MAX_DEPTH - 1] = 0x81;
    buf[CBOR_MAX_DEPTH] = 0x80;
    assert_int_equal(cbor_check(buf, CBOR_MAX_DEPTH + 1), CBOR_ERR_DEPTH);
    cbor_dec_init(&d, buf, CBOR_MAX_DEPTH + 1);
    assert_int_equal(cbor_skip(&d), CBOR_ERR_DEPTH);
    /* tags count as nesting; a scalar at the bottom does not */
    memset(buf, 0xc1, sizeof(buf));
    buf[CBOR_MAX_DEPTH] = 0x00;
    assert_int_equal(cbor_check(buf, CBOR_MAX_DEPTH + 1), CBOR_OK);
    buf[CBOR_MAX_DEPTH] = 0xc1;
    buf[CBOR_MAX_DEPTH + 1] = 0x00;
    assert_int_equal(cbor_check(buf, CBOR_MAX_DEPTH + 2), CBOR_ERR_DEPTH);
    /* far deeper input ends at the limit, not in a stack overflow */
    memset(deep, 0x81, sizeof(deep));
    assert_int_equal(cbor_check(deep, sizeof(deep)), CBOR_ERR_DEPTH);
    memset(deep, 0xa1, sizeof(deep)); /* {{{...: */
    assert_int_equal(cbor_check(deep, sizeof(deep)), CBOR_ERR_DEPTH);
}

static void test_map_size_limit(void **state)
{
    static uint8_t buf[8 + 4 * (CBOR_MAX_MAP + 1)];
    struct cbor_enc e;
    size_t n, i, pairs;

    (void)state;
    for (pairs = CBOR_MAX_MAP; pairs <= CBOR_MAX_MAP + 1; pairs++) {
        cbor_enc_init(&e, buf, sizeof(buf));
        cbor_put_map(&e, pairs);
        for (i = 0; i < pairs; i++) {
            cbor_put_uint(&e, i);
            cbor_put_uint(&e, 0);
        }
        assert_int_equal(cbor_enc_finish(&e, &n), CBOR_OK);
        assert_int_equal(cbor_check(buf, n), pairs == CBOR_MAX_MAP ? CBOR_OK : CBOR_ERR_TOO_LARGE);
    }
}

/* ---- encoder ---- */

static void expect_encoding(void (*put)(struct cbor_enc *, uint64_t), uint64_t v, const char *hex)
{
    uint8_t want[16], got[16];
    struct cbor_enc e;
    size_t n = unhex(hex, want, sizeof(want)), m;

    cbor_enc_init(&e, got, sizeof(got));
    put(&e, v);
    assert_int_equal(cbor_enc_finish(&e, &m), CBOR_OK);
    assert_int_equal(m, n);
    assert_memory_equal(got, want, n);
}

static void put_tag(struct cbor_enc *e, uint64_t v)
{
    cbor_put_tag(e, v);
}

static void put_array(struct cbor_enc *e, uint64_t v)
{
    cbor_put_array(e, (size_t)v);
}

static void test_encoder_shortest_heads(void **state)
{
    uint8_t buf[16];
    struct cbor_enc e;
    size_t n;

    (void)state;
    expect_encoding(cbor_put_uint, 23, "17");
    expect_encoding(cbor_put_uint, 24, "1818");
    expect_encoding(cbor_put_uint, 255, "18ff");
    expect_encoding(cbor_put_uint, 256, "190100");
    expect_encoding(cbor_put_uint, 65535, "19ffff");
    expect_encoding(cbor_put_uint, 65536, "1a00010000");
    expect_encoding(cbor_put_uint, 0xffffffffu, "1affffffff");
    expect_encoding(cbor_put_uint, 0x100000000u, "1b0000000100000000");
    expect_encoding(cbor_put_uint, UINT64_MAX, "1bffffffffffffffff");
    expect_encoding(put_tag, 18, "d2");
    expect_encoding(put_tag, 2399, "d9095f");
    expect_encoding(put_array, 4, "84");
    expect_encoding(put_array, 25, "9819");
    cbor_enc_init(&e, buf, sizeof(buf));
    cbor_put_int(&e, INT64_MIN);
    cbor_put_int(&e, -7);
    assert_int_equal(cbor_enc_finish(&e, &n), CBOR_OK);
    assert_int_equal(n, 10);
    assert_memory_equal(buf, "\x3b\x7f\xff\xff\xff\xff\xff\xff\xff\x26", 10);
}

static void test_encoder_no_room(void **state)
{
    uint8_t buf[8];
    struct cbor_enc e;
    size_t n;

    (void)state;
    /* counting: no buffer, the length it would take */
    cbor_enc_init(&e, NULL, 0);
    cbor_put_bstr(&e, "0123456789", 10);
    assert_int_equal(cbor_enc_finish(&e, &n), CBOR_OK);
    assert_int_equal(n, 11);
    /* too small: refused, with the length it needs */
    memset(buf, 0xee, sizeof(buf));
    cbor_enc_init(&e, buf, 4);
    cbor_put_bstr(&e, "0123456789", 10);
    assert_int_equal(cbor_enc_finish(&e, &n), CBOR_ERR_NO_ROOM);
    assert_int_equal(n, 11);
    assert_int_equal(buf[4], 0xee); /* nothing written past the end */
    /* exactly enough */
    cbor_enc_init(&e, buf, 3);
    cbor_put_tstr(&e, "ab", 2);
    assert_int_equal(cbor_enc_finish(&e, &n), CBOR_OK);
    assert_memory_equal(buf,
                        "\x62"
                        "ab",
                        3);
}

/* ---- COSE_Sign1 ---- */

static size_t sign1(uint8_t *out, size_t cap, const uint8_t *prot, size_t prot_len, const char *kid,
                    size_t sig_len)
{
    static const uint8_t payload[] = {0xa1, 0x0a, 0x41, 0x00}; /* {10: h'00'} */
    uint8_t sig[80];
    struct cbor_enc e;
    size_t n;

    memset(sig, 0x5a, sizeof(sig));
    cbor_enc_init(&e, out, cap);
    cose_sign1_encode(&e, prot, prot_len, (const uint8_t *)kid, kid ? strlen(kid) : 0, payload,
                      sizeof(payload), sig, sig_len);
    assert_int_equal(cbor_enc_finish(&e, &n), CBOR_OK);
    return n;
}

static void test_cose_roundtrip(void **state)
{
    uint8_t buf[256], tbs[256];
    struct cose_sign1 s;
    struct cbor_enc e;
    const char *why = NULL;
    size_t n;

    (void)state;
    n = sign1(buf, sizeof(buf), cose_es256_protected, 3, NULL, 64);
    /* tag 18, [h'a10126', {}, h'a10a4100', h'5a5a...'] */
    assert_memory_equal(buf, "\xd2\x84\x43\xa1\x01\x26\xa0\x44\xa1\x0a\x41\x00\x58\x40", 14);
    assert_int_equal(n, 14 + 64);
    assert_int_equal(cose_sign1_decode(buf, n, &s, &why), 0);
    assert_true(s.alg == COSE_ALG_ES256 && s.kid == NULL && s.payload_len == 4 && s.sig_len == 64 &&
                s.prot == buf + 3 && s.prot_len == 3);
    n = sign1(buf, sizeof(buf), cose_es256_protected, 3, "partix-iak", 64);
    assert_int_equal(cose_sign1_decode(buf, n, &s, &why), 0);
    assert_true(s.kid != NULL && s.kid_len == 10 && memcmp(s.kid, "partix-iak", 10) == 0);
    /* the Sig_structure, RFC 9052 section 4.4 */
    cbor_enc_init(&e, tbs, sizeof(tbs));
    cose_sig_structure(&e, s.prot, s.prot_len, s.payload, s.payload_len);
    assert_int_equal(cbor_enc_finish(&e, &n), CBOR_OK);
    assert_int_equal(n, 22);
    assert_memory_equal(tbs, "\x84\x6aSignature1\x43\xa1\x01\x26\x40\x44\xa1\x0a\x41\x00", 22);
}

static void expect_refused(const uint8_t *buf, size_t n, const char *reason)
{
    struct cose_sign1 s;
    const char *why = NULL;

    assert_int_equal(cose_sign1_decode(buf, n, &s, &why), -1);
    assert_non_null(why);
    if (strstr(why, reason) == NULL)
        fail_msg("refused for \"%s\", not \"%s\"", why, reason);
}

static void test_cose_refusals(void **state)
{
    static const uint8_t es384[] = {0xa1, 0x01, 0x38, 0x22};            /* {1: -35} */
    static const uint8_t crit[] = {0xa2, 0x01, 0x26, 0x02, 0x81, 0x01}; /* {1: -7, 2: [1]} */
    static const uint8_t no_alg[] = {0xa1, 0x03, 0x00};                 /* {3: 0} */
    uint8_t buf[256];
    size_t n;

    (void)state;
    n = sign1(buf, sizeof(buf), cose_es256_protected, 3, NULL, 64);
    expect_refused(buf + 1, n - 1, "tag 18"); /* untagged */
    buf[0] = 0xd1;                            /* COSE_Mac0's tag */
    expect_refused(buf, n, "tag 18");
    buf[0] = 0xd2;
    buf[1] = 0x83;
    expect_refused(buf, n, "trailing"); /* three items, then the signature */
    buf[1] = 0x84;
    expect_refused(buf, n - 1, "truncated");
    n = sign1(buf, sizeof(buf), cose_es256_protected, 3, NULL, 63);
    expect_refused(buf, n, "64 bytes");
    n = sign1(buf, sizeof(buf), es384, sizeof(es384), NULL, 64);
    expect_refused(buf, n, "not ES256");
    n = sign1(buf, sizeof(buf), crit, sizeof(crit), NULL, 64);
    expect_refused(buf, n, "critical");
    n = sign1(buf, sizeof(buf), no_alg, sizeof(no_alg), NULL, 64);
    expect_refused(buf, n, "no algorithm");
    n = sign1(buf, sizeof(buf), NULL, 0, NULL, 64);
    expect_refused(buf, n, "protected header");
    /* a detached payload (nil) */
    memcpy(buf, "\xd2\x84\x43\xa1\x01\x26\xa0\xf6\x58\x40", 10);
    memset(buf + 10, 0, 64);
    expect_refused(buf, 74, "detached");
    /* the algorithm in the unprotected header */
    memcpy(buf, "\xd2\x84\x43\xa1\x01\x26\xa1\x01\x26\x40\x58\x40", 12);
    memset(buf + 12, 0, 64);
    expect_refused(buf, 76, "must be protected");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_appendix_a_roundtrip),
        cmocka_unit_test(test_appendix_a_values),
        cmocka_unit_test(test_indefinite_refused),
        cmocka_unit_test(test_truncated_and_trailing),
        cmocka_unit_test(test_appendix_f_not_well_formed),
        cmocka_unit_test(test_strict_rules),
        cmocka_unit_test(test_nesting_limit),
        cmocka_unit_test(test_map_size_limit),
        cmocka_unit_test(test_encoder_shortest_heads),
        cmocka_unit_test(test_encoder_no_room),
        cmocka_unit_test(test_cose_roundtrip),
        cmocka_unit_test(test_cose_refusals),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
