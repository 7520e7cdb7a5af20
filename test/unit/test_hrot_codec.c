/*
 * test_hrot_codec.c - the HRoT partition's pure parts in-process: the
 * TPM 2.0 codec (tpm2_codec.c) on commands whose bytes the specification
 * fixes and on responses swtpm really sent (fuzz/seeds_tpm2/, the fuzzer's
 * seeds) and their broken variants; the key and capability table
 * (hrot_caps.c) without storage: minting, the client binding, grants,
 * revocation down the chain, its file format.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "hrot_caps.h"
#include "tpm2_codec.h"

/* the runtime's log, which hrot_caps.c calls on a damaged table */
int partix_log_at(const char *file, int line, int level, const char *fmt, ...);
int partix_log_at(const char *file, int line, int level, const char *fmt, ...)
{
    (void)file;
    (void)line;
    (void)level;
    (void)fmt;
    return 0;
}

/* A seed: its selector byte dropped. */
static size_t seed(const char *name, uint8_t *buf, size_t cap)
{
    char path[128];
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "fuzz/seeds_tpm2/%s", name);
    f = fopen(path, "rb");
    assert_non_null(f);
    n = fread(buf, 1, cap, f);
    fclose(f);
    assert_true(n > 1);
    memmove(buf, buf + 1, n - 1);
    return n - 1;
}

static void test_commands(void **state)
{
    static const uint8_t startup[] = {0x80, 0x01, 0, 0, 0, 12, 0, 0, 0x01, 0x44, 0, 0};
    static const uint8_t random[] = {0x80, 0x01, 0, 0, 0, 12, 0, 0, 0x01, 0x7b, 0, 64};
    static struct tpm2_cmd c;
    uint8_t big[TPM2_MAX_BUF];

    (void)state;
    assert_int_equal(tpm2_cmd_startup(&c), 0);
    assert_int_equal(c.len, sizeof(startup));
    assert_memory_equal(c.b, startup, sizeof(startup));
    assert_int_equal(tpm2_cmd_get_random(&c, 64), 0);
    assert_memory_equal(c.b, random, sizeof(random));
    /* Sign: header, the key handle, a 9-byte password session, the digest */
    assert_int_equal(tpm2_cmd_sign(&c, 0x80000001u, big), 0);
    assert_int_equal(c.b[1], 0x02); /* TPM_ST_SESSIONS */
    assert_int_equal(c.len, 10 + 4 + 4 + 9 + 2 + 32 + 4 + 2 + 4 + 2);
    assert_int_equal(c.b[2] << 24 | c.b[3] << 16 | c.b[4] << 8 | c.b[5], c.len);
    assert_int_equal((uint32_t)c.b[18] << 24 | c.b[19] << 16 | c.b[20] << 8 | c.b[21], TPM2_RS_PW);
    assert_int_equal(c.b[25] << 8 | c.b[26], 0); /* an empty password */
    /* what does not fit is refused, not truncated */
    memset(big, 0, sizeof(big));
    assert_int_equal(tpm2_cmd_rsa_decrypt(&c, 0x80000001u, big, sizeof(big)), -1);
}

static void test_frames(void **state)
{
    uint8_t r[TPM2_MAX_BUF];
    struct tpm2_slice p, bytes;
    uint32_t rc, h[2];
    size_t n;

    (void)state;
    n = seed("random", r, sizeof(r));
    assert_int_equal(tpm2_rsp_frame(r, n, 0, 0, &rc, h, &p), 0);
    assert_int_equal(rc, 0);
    assert_int_equal(tpm2_parse_random(p, 64, &bytes), 0);
    assert_int_equal(bytes.len, 64);
    assert_int_equal(tpm2_parse_random(p, 63, &bytes), -1);           /* more than asked */
    assert_int_equal(tpm2_rsp_frame(r, n - 1, 0, 0, &rc, h, &p), -1); /* the size field lies */
    r[1] = 0x02;                                                      /* a tag it did not send */
    assert_int_equal(tpm2_rsp_frame(r, n, 0, 0, &rc, h, &p), -1);

    /* an error: a bare header, and nothing after it */
    n = seed("decrypt_error", r, sizeof(r));
    assert_int_equal(n, 10);
    assert_int_equal(tpm2_rsp_frame(r, n, 1, 0, &rc, h, &p), 0);
    assert_int_not_equal(rc, 0);
    r[5] = 11;
    r[10] = 0;
    assert_int_equal(tpm2_rsp_frame(r, 11, 1, 0, &rc, h, &p), -1);

    /* a session response: the handle, the parameters, one session */
    n = seed("load", r, sizeof(r));
    assert_int_equal(tpm2_rsp_frame(r, n, 1, 1, &rc, h, &p), 0);
    assert_int_equal(h[0] >> 24, 0x80); /* a transient handle */
    assert_int_equal(tpm2_parse_load(p), 0);
    assert_int_equal(tpm2_rsp_frame(r, n, 2, 1, &rc, h, &p), -1); /* a session missing */
    r[5]++;
    r[n] = 0;
    assert_int_equal(tpm2_rsp_frame(r, n + 1, 1, 1, &rc, h, &p), -1); /* a byte past it */
}

static void test_parameters(void **state)
{
    uint8_t r[TPM2_MAX_BUF], rs[64];
    struct tpm2_slice p, a, b;
    struct tpm2_public pub;
    uint32_t rc, h[2];
    size_t n;

    (void)state;
    n = seed("create_ecc", r, sizeof(r));
    assert_int_equal(tpm2_rsp_frame(r, n, 1, 0, &rc, h, &p), 0);
    assert_int_equal(tpm2_parse_create(p, &a, &b), 0);
    assert_int_equal(tpm2_parse_public(b, &pub), 0);
    assert_int_equal(pub.type, TPM2_ALG_ECC);
    assert_int_equal(pub.x.len, 32);
    assert_int_equal(pub.y.len, 32);
    assert_true(pub.attributes & (1u << 18));  /* sign */
    assert_false(pub.attributes & (1u << 16)); /* not restricted */
    b.len--;                                   /* a byte short */
    assert_int_equal(tpm2_parse_public(b, &pub), -1);

    n = seed("create_rsa", r, sizeof(r));
    assert_int_equal(tpm2_rsp_frame(r, n, 1, 0, &rc, h, &p), 0);
    assert_int_equal(tpm2_parse_create(p, &a, &b), 0);
    assert_int_equal(tpm2_parse_public(b, &pub), 0);
    assert_int_equal(pub.type, TPM2_ALG_RSA);
    assert_int_equal(pub.bits, 2048);
    assert_int_equal(pub.n.len, 256);

    n = seed("sign", r, sizeof(r));
    assert_int_equal(tpm2_rsp_frame(r, n, 1, 0, &rc, h, &p), 0);
    assert_int_equal(tpm2_parse_sign(p, rs), 0);
    /* r of 33 bytes: no P-256 scalar */
    {
        uint8_t q[128];

        memcpy(q, p.p, p.len);
        q[4] = 0;
        q[5] = 33;
        p.p = q;
        assert_int_equal(tpm2_parse_sign(p, rs), -1);
    }

    n = seed("certify", r, sizeof(r));
    assert_int_equal(tpm2_rsp_frame(r, n, 2, 0, &rc, h, &p), 0);
    assert_int_equal(tpm2_parse_certify(p, &a, rs), 0);
    assert_memory_equal(a.p,
                        "\xff"
                        "TCG",
                        4);
}

static void test_caps(void **state)
{
    static uint8_t file[65536];
    static const uint8_t blob[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    uint8_t owner[HROT_CAP_SIZE], mid[HROT_CAP_SIZE], leaf[HROT_CAP_SIZE];
    uint32_t s_owner, s_mid, s_leaf;
    struct hrot_cap *c;
    struct hrot_key *k;
    size_t n;
    int i;

    (void)state;
    assert_int_equal(hrot_caps_load(-1), PSA_SUCCESS);
    assert_int_equal(hrot_caps_add_key(-1001, HROT_KEY_ECC_P256_SIGN, blob, sizeof(blob), blob,
                                       sizeof(blob), owner, &s_owner),
                     PSA_SUCCESS);
    /* bound to its client: another gets what a value never minted gets */
    assert_int_equal(hrot_caps_find(owner, -1001, &c, &k), PSA_SUCCESS);
    assert_int_equal(c->rights, HROT_RIGHTS_ALL);
    assert_int_equal(hrot_caps_find(owner, -1002, &c, &k), PSA_ERROR_INVALID_HANDLE);
    owner[0] ^= 1;
    assert_int_equal(hrot_caps_find(owner, -1001, &c, &k), PSA_ERROR_INVALID_HANDLE);
    owner[0] ^= 1;
    /* a chain: owner -> mid (sign, grant) -> leaf (sign) */
    assert_int_equal(hrot_caps_find(owner, -1001, &c, &k), PSA_SUCCESS);
    assert_int_equal(hrot_caps_grant(c, -1002, HROT_RIGHT_SIGN | HROT_RIGHT_GRANT, mid, &s_mid),
                     PSA_SUCCESS);
    assert_int_equal(hrot_caps_find(mid, -1002, &c, &k), PSA_SUCCESS);
    assert_int_equal(hrot_caps_grant(c, -1003, HROT_RIGHT_DECRYPT, leaf, &s_leaf),
                     PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(hrot_caps_grant(c, -1003, HROT_RIGHT_SIGN, leaf, &s_leaf), PSA_SUCCESS);
    assert_true(s_owner < s_mid && s_mid < s_leaf);
    /* the table's file: back whole, refused with any byte changed */
    n = hrot_caps_encode(file, sizeof(file));
    assert_true(n > 0);
    assert_int_equal(hrot_caps_decode(file, n), 0);
    assert_int_equal(hrot_caps_find(leaf, -1003, &c, &k), PSA_SUCCESS);
    for (i = 0; i < (int)n; i += 7) {
        file[i] ^= 0x40;
        assert_int_equal(hrot_caps_decode(file, n), -1);
        file[i] ^= 0x40;
    }
    assert_int_equal(hrot_caps_decode(file, n - 1), -1);
    /* the leaf cannot revoke; the mid revokes what it granted; the owner
     * revokes the mid, and with it anything below */
    assert_int_equal(hrot_caps_find(leaf, -1003, &c, &k), PSA_SUCCESS);
    assert_int_equal(hrot_caps_revoke(c, k, s_leaf), PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(hrot_caps_find(owner, -1001, &c, &k), PSA_SUCCESS);
    assert_int_equal(hrot_caps_revoke(c, k, s_owner), PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(hrot_caps_revoke(c, k, s_mid), PSA_SUCCESS);
    assert_int_equal(hrot_caps_find(mid, -1002, &c, &k), PSA_ERROR_INVALID_HANDLE);
    assert_int_equal(hrot_caps_find(leaf, -1003, &c, &k), PSA_ERROR_INVALID_HANDLE);
    /* the owner's quota of keys */
    for (i = 1; i < HROT_USER_MAX_KEYS; i++)
        assert_int_equal(hrot_caps_add_key(-1001, HROT_KEY_ECC_P256_SIGN, blob, sizeof(blob), blob,
                                           sizeof(blob), mid, &s_mid),
                         PSA_SUCCESS);
    assert_int_equal(hrot_caps_add_key(-1001, HROT_KEY_ECC_P256_SIGN, blob, sizeof(blob), blob,
                                       sizeof(blob), mid, &s_mid),
                     PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(hrot_caps_add_key(-1002, HROT_KEY_RSA2048_DECRYPT, blob, sizeof(blob), blob,
                                       sizeof(blob), mid, &s_mid),
                     PSA_SUCCESS);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commands),
        cmocka_unit_test(test_frames),
        cmocka_unit_test(test_parameters),
        cmocka_unit_test(test_caps),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
