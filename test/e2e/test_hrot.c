/*
 * test_hrot.c - the hardware root of trust (issue 16, docs/hrot.md) through
 * the real daemon against swtpm: every method of partix/hrot.h, signatures
 * verified and ciphertexts made with Mbed TLS from the exported public
 * keys, the capabilities between two Linux users (root and uid 65534),
 * keys across a restart of psa-spm and of swtpm, a board without a TPM,
 * and swtpm killed in the middle of a call.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>

#include "fixture.h"
#include "partix/hrot.h"
#include "psa/client.h"
#include "psa_manifest/sid.h"
#include "tfm_echo_api.h"
#include "tpm2_codec.h"

#define USER_B 65534
#define USER_C 65533

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        step++;                                                                                    \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "check %d failed: %s\n", step, #cond);                                 \
            return step;                                                                           \
        }                                                                                          \
    } while (0)

static struct fixture fx;
static char state_dir[64];

/* psa-spm with the HRoT (a third manifest list) and a state directory
 * that outlives it; @p platform and @p option (with its value) if set. */
static void start_with(const char *platform, const char *option, const char *value)
{
    const char *extra[] = {"--manifest-list",
                           "test/manifests/hrot/manifest_list.yaml",
                           "--state-dir",
                           state_dir,
                           NULL,
                           NULL,
                           NULL,
                           NULL,
                           NULL};
    int n = 4;

    if (platform != NULL) {
        extra[n++] = "--platform";
        extra[n++] = platform;
    }
    if (option != NULL) {
        extra[n++] = option;
        extra[n++] = value;
    }
    assert_int_equal(fixture_start(&fx, extra), 0);
}

static void start(const char *platform)
{
    start_with(platform, NULL, NULL);
}

static int setup(void **state)
{
    (void)state;
    return fixture_dir_new(state_dir, sizeof(state_dir), "hrot");
}

static int teardown(void **state)
{
    fixture_teardown(state);
    fixture_dir_remove(state_dir);
    return fixture_dir_new(state_dir, sizeof(state_dir), "hrot");
}

static int final_teardown(void **state)
{
    (void)state;
    return fixture_dir_remove(state_dir);
}

static void as_user(uid_t uid, int (*fn)(void *), void *arg)
{
    int rc = fixture_run_as(&fx, uid, fn, arg);

    if (rc == -2) {
        print_message("skipped: a second user needs root\n");
        skip();
    }
    assert_int_equal(rc, 0);
}

/* ---- verification with Mbed TLS ---- */

static int ecdsa_ok(const uint8_t pub[65], const uint8_t *msg, size_t len, const uint8_t rs[64])
{
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
    mbedtls_mpi r, s;
    uint8_t hash[32];
    int ok;

    mbedtls_sha256_ret(msg, len, hash, 0);
    mbedtls_ecp_group_init(&grp);
    mbedtls_ecp_point_init(&q);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    ok = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1) == 0 &&
         mbedtls_ecp_point_read_binary(&grp, &q, pub, 65) == 0 &&
         mbedtls_mpi_read_binary(&r, rs, 32) == 0 &&
         mbedtls_mpi_read_binary(&s, rs + 32, 32) == 0 &&
         mbedtls_ecdsa_verify(&grp, hash, 32, &q, &r, &s) == 0;
    mbedtls_ecp_group_free(&grp);
    mbedtls_ecp_point_free(&q);
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    return ok;
}

static int rng(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    return getrandom(out, len, 0) == (ssize_t)len ? 0 : -1;
}

/* RSA-OAEP (SHA-256) encryption under the DER RSAPublicKey @p der, whose
 * layout (a 2048-bit modulus, e = 65537) is checked on the way. */
static int oaep_encrypt(const uint8_t *der, size_t der_len, const uint8_t *msg, size_t len,
                        uint8_t ct[256])
{
    static const uint8_t head[] = {0x30, 0x82, 0x01, 0x0a, 0x02, 0x82, 0x01, 0x01, 0x00};
    static const uint8_t tail[] = {0x02, 0x03, 0x01, 0x00, 0x01};
    mbedtls_rsa_context rsa;
    int rc;

    if (der_len != 270 || memcmp(der, head, sizeof(head)) != 0 ||
        memcmp(der + 265, tail, sizeof(tail)) != 0)
        return -1;
    mbedtls_rsa_init(&rsa, MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA256);
    rc = mbedtls_rsa_import_raw(&rsa, der + 9, 256, NULL, 0, NULL, 0, NULL, 0, der + 267, 3);
    if (rc == 0)
        rc = mbedtls_rsa_complete(&rsa);
    if (rc == 0)
        rc = mbedtls_rsa_rsaes_oaep_encrypt(&rsa, rng, NULL, MBEDTLS_RSA_PUBLIC, NULL, 0, len, msg,
                                            ct);
    mbedtls_rsa_free(&rsa);
    return rc;
}

/* ---- the TRNG ---- */

static void test_trng(void **state)
{
    static uint8_t a[HROT_MAX_RANDOM_CALL], b[HROT_MAX_RANDOM_CALL];
    uint8_t small[16];
    size_t n = 1;
    uint32_t ask = HROT_MAX_RANDOM_CALL + 1;
    psa_invec in[] = {{&ask, sizeof(ask)}};
    psa_outvec out[] = {{a, sizeof(a)}};
    size_t i, zeros = 0;

    (void)state;
    start(NULL);
    assert_int_equal(hrot_init(), PSA_SUCCESS);
    assert_int_equal(hrot_trng_get_random_bytes(0, a, sizeof(a), &n), PSA_SUCCESS);
    assert_int_equal(n, 0);
    assert_int_equal(hrot_trng_get_random_bytes(33, a, sizeof(a), &n), PSA_SUCCESS);
    assert_int_equal(n, 33);
    /* the most one call takes: the partition asks the TPM 1,024 times */
    assert_int_equal(hrot_trng_get_random_bytes(sizeof(a), a, sizeof(a), &n), PSA_SUCCESS);
    assert_int_equal(n, sizeof(a));
    assert_int_equal(hrot_trng_get_random_bytes(sizeof(b), b, sizeof(b), &n), PSA_SUCCESS);
    assert_memory_not_equal(a, b, sizeof(a));
    for (i = 0; i < sizeof(a); i++)
        zeros += a[i] == 0;
    assert_true(zeros < sizeof(a) / 128); /* about 1/256 of bytes are 0 */
    assert_int_equal(hrot_trng_get_random_bytes(17, small, sizeof(small), &n),
                     PSA_ERROR_BUFFER_TOO_SMALL);
    /* past one call's bound, and an output vector shorter than asked */
    assert_int_equal(psa_call(PARTIX_HROT_HANDLE, HROT_TRNG_METHOD_GET_RANDOM_BYTES, in, 1, out, 1),
                     PSA_ERROR_INVALID_ARGUMENT);
    ask = 64;
    out[0].len = 63;
    assert_int_equal(psa_call(PARTIX_HROT_HANDLE, HROT_TRNG_METHOD_GET_RANDOM_BYTES, in, 1, out, 1),
                     PSA_ERROR_BUFFER_TOO_SMALL);
    /* a malformed request: a 2-byte count, an unknown call type */
    in[0].len = 2;
    assert_int_equal(psa_call(PARTIX_HROT_HANDLE, HROT_TRNG_METHOD_GET_RANDOM_BYTES, in, 1, out, 1),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_call(PARTIX_HROT_HANDLE, 99, NULL, 0, NULL, 0), PSA_ERROR_NOT_SUPPORTED);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* ---- signing ---- */

static void test_sign(void **state)
{
    static uint8_t big[HROT_MAX_SIGN_DATA + 1];
    const uint8_t msg[] = "a message the TPM signs";
    uint8_t pub[100], sig[64], pt[256], ct[256] = {0};
    size_t n, m;
    hrot_cap_t cap;

    (void)state;
    start(NULL);
    assert_int_equal(hrot_generate_key(HROT_KEY_ECC_P256_SIGN, &cap), PSA_SUCCESS);
    assert_int_equal(hrot_get_public_key(&cap, pub, sizeof(pub), &n), PSA_SUCCESS);
    assert_int_equal(n, HROT_ECC_PUBLIC_SIZE);
    assert_int_equal(pub[0], 0x04);
    assert_int_equal(hrot_sign_data(&cap, msg, sizeof(msg), sig, sizeof(sig), &m), PSA_SUCCESS);
    assert_int_equal(m, 64);
    assert_true(ecdsa_ok(pub, msg, sizeof(msg), sig));
    assert_false(ecdsa_ok(pub, msg, sizeof(msg) - 1, sig));
    /* a message of the largest size, an empty one */
    memset(big, 0xa5, sizeof(big));
    assert_int_equal(hrot_sign_data(&cap, big, HROT_MAX_SIGN_DATA, sig, sizeof(sig), &m),
                     PSA_SUCCESS);
    assert_true(ecdsa_ok(pub, big, HROT_MAX_SIGN_DATA, sig));
    assert_int_equal(hrot_sign_data(&cap, big, 0, sig, sizeof(sig), &m), PSA_SUCCESS);
    assert_true(ecdsa_ok(pub, (const uint8_t *)"", 0, sig));
    /* oversized input, a short output buffer, the wrong key kind */
    assert_int_equal(hrot_sign_data(&cap, big, sizeof(big), sig, sizeof(sig), &m),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(hrot_sign_data(&cap, msg, sizeof(msg), sig, 63, &m),
                     PSA_ERROR_BUFFER_TOO_SMALL);
    assert_int_equal(hrot_get_public_key(&cap, pub, 64, &n), PSA_ERROR_BUFFER_TOO_SMALL);
    assert_int_equal(hrot_decrypt_data(&cap, ct, sizeof(ct), pt, sizeof(pt), &n),
                     PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(hrot_generate_key(77, &cap), PSA_ERROR_NOT_SUPPORTED);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* ---- decryption ---- */

static void test_decrypt(void **state)
{
    const uint8_t msg[] = "a secret only the TPM can read";
    uint8_t der[HROT_RSA_PUBLIC_MAX], ct[256], pt[256], sig[64];
    size_t n, m;
    hrot_cap_t cap;

    (void)state;
    start(NULL);
    assert_int_equal(hrot_generate_key(HROT_KEY_RSA2048_DECRYPT, &cap), PSA_SUCCESS);
    assert_int_equal(hrot_get_public_key(&cap, der, sizeof(der), &n), PSA_SUCCESS);
    assert_int_equal(oaep_encrypt(der, n, msg, sizeof(msg), ct), 0);
    assert_int_equal(hrot_decrypt_data(&cap, ct, sizeof(ct), pt, sizeof(pt), &m), PSA_SUCCESS);
    assert_int_equal(m, sizeof(msg));
    assert_memory_equal(pt, msg, sizeof(msg));
    assert_int_equal(hrot_decrypt_data(&cap, ct, sizeof(ct), pt, sizeof(msg) - 1, &m),
                     PSA_ERROR_BUFFER_TOO_SMALL);
    ct[100] ^= 1;
    assert_int_equal(hrot_decrypt_data(&cap, ct, sizeof(ct), pt, sizeof(pt), &m),
                     PSA_ERROR_INVALID_PADDING);
    assert_int_equal(hrot_decrypt_data(&cap, ct, 255, pt, sizeof(pt), &m),
                     PSA_ERROR_INVALID_ARGUMENT);
    /* the TPM goes on: the block as it was decrypts again */
    ct[100] ^= 1;
    assert_int_equal(hrot_decrypt_data(&cap, ct, sizeof(ct), pt, sizeof(pt), &m), PSA_SUCCESS);
    assert_memory_equal(pt, msg, sizeof(msg));
    assert_int_equal(hrot_sign_data(&cap, msg, sizeof(msg), sig, sizeof(sig), &m),
                     PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* ---- capabilities between users ---- */

struct caps {
    hrot_cap_t owner, granted, sub;
    uint32_t serial, sub_serial;
    uint8_t pub[65];
    psa_status_t expect; /* what a use of @granted gives */
};

/* User B uses what it was handed: root's own capability, then its own. */
static int b_uses(void *arg)
{
    struct caps *c = arg;
    const uint8_t msg[] = "signed by B";
    uint8_t sig[64], pub[65];
    size_t n;
    int step = 0;

    CHECK(hrot_sign_data(&c->owner, msg, sizeof(msg), sig, sizeof(sig), &n) ==
          PSA_ERROR_INVALID_HANDLE);
    CHECK(hrot_get_public_key(&c->owner, pub, sizeof(pub), &n) == PSA_ERROR_INVALID_HANDLE);
    CHECK(hrot_sign_data(&c->granted, msg, sizeof(msg), sig, sizeof(sig), &n) == c->expect);
    if (c->expect == PSA_SUCCESS) {
        CHECK(ecdsa_ok(c->pub, msg, sizeof(msg), sig));
        /* sign and grant only: no public key, no wider grant */
        CHECK(hrot_get_public_key(&c->granted, pub, sizeof(pub), &n) == PSA_ERROR_NOT_PERMITTED);
        CHECK(hrot_grant(&c->granted, HROT_CLIENT_ID_OF_UID(USER_C),
                         HROT_RIGHT_SIGN | HROT_RIGHT_GET_PUBLIC, &c->sub,
                         &c->sub_serial) == PSA_ERROR_NOT_PERMITTED);
        CHECK(hrot_revoke(&c->granted, c->serial) == PSA_ERROR_NOT_PERMITTED);
        CHECK(hrot_destroy_key(&c->granted) == PSA_ERROR_NOT_PERMITTED);
    }
    return 0;
}

/* User B passes sign-only on to user C. */
static int b_grants(void *arg)
{
    struct caps *c = arg;
    int step = 0;
    int fd;

    CHECK(hrot_grant(&c->granted, HROT_CLIENT_ID_OF_UID(USER_C), HROT_RIGHT_SIGN, &c->sub,
                     &c->sub_serial) == PSA_SUCCESS);
    /* hand it to the test through a file: the child's memory is its own */
    fd = open(getenv("HROT_SUB_FILE"), O_WRONLY | O_CREAT | O_TRUNC, 0666);
    CHECK(fd >= 0);
    CHECK(write(fd, c, sizeof(*c)) == (ssize_t)sizeof(*c));
    close(fd);
    return 0;
}

static int c_uses(void *arg)
{
    struct caps *c = arg;
    uint8_t sig[64];
    size_t n;
    int step = 0;

    CHECK(hrot_sign_data(&c->sub, (const uint8_t *)"c", 1, sig, sizeof(sig), &n) == c->expect);
    return 0;
}

static void test_capabilities(void **state)
{
    static struct caps c;
    char path[128];
    uint8_t sig[64];
    hrot_cap_t forged;
    size_t n;
    int fd;

    (void)state;
    start(NULL);
    assert_int_equal(hrot_generate_key(HROT_KEY_ECC_P256_SIGN, &c.owner), PSA_SUCCESS);
    assert_int_equal(hrot_get_public_key(&c.owner, c.pub, sizeof(c.pub), &n), PSA_SUCCESS);
    /* a value never minted, one bit off a real one */
    memcpy(&forged, &c.owner, sizeof(forged));
    forged.bytes[7] ^= 0x10;
    assert_int_equal(hrot_sign_data(&forged, (const uint8_t *)"x", 1, sig, sizeof(sig), &n),
                     PSA_ERROR_INVALID_HANDLE);
    assert_int_equal(hrot_get_public_key(&forged, sig, sizeof(sig), &n), PSA_ERROR_INVALID_HANDLE);
    /* rights beyond the granter's own, none at all */
    assert_int_equal(
        hrot_grant(&c.owner, HROT_CLIENT_ID_OF_UID(USER_B), 0x10, &c.granted, &c.serial),
        PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(hrot_grant(&c.owner, HROT_CLIENT_ID_OF_UID(USER_B), 0, &c.granted, &c.serial),
                     PSA_ERROR_INVALID_ARGUMENT);
    /* B: nothing with root's capability */
    c.expect = PSA_ERROR_INVALID_HANDLE;
    as_user(USER_B, b_uses, &c);
    /* granted: B signs, root cannot use B's value */
    assert_int_equal(hrot_grant(&c.owner, HROT_CLIENT_ID_OF_UID(USER_B),
                                HROT_RIGHT_SIGN | HROT_RIGHT_GRANT, &c.granted, &c.serial),
                     PSA_SUCCESS);
    c.expect = PSA_SUCCESS;
    as_user(USER_B, b_uses, &c);
    assert_int_equal(hrot_sign_data(&c.granted, (const uint8_t *)"x", 1, sig, sizeof(sig), &n),
                     PSA_ERROR_INVALID_HANDLE);
    /* B passes sign-only to C, C signs */
    snprintf(path, sizeof(path), "%s/sub", state_dir);
    chmod(state_dir, 0777);
    setenv("HROT_SUB_FILE", path, 1);
    as_user(USER_B, b_grants, &c);
    fd = open(path, O_RDONLY);
    assert_true(fd >= 0);
    assert_int_equal(read(fd, &c, sizeof(c)), sizeof(c));
    close(fd);
    unlink(path);
    as_user(USER_C, c_uses, &c);
    /* revocation: the owner's own capability stays; an unknown serial;
     * then B's, and with it what B granted */
    assert_int_equal(hrot_revoke(&c.owner, 1), PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(hrot_revoke(&c.owner, 9999), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(hrot_revoke(&c.owner, c.serial), PSA_SUCCESS);
    assert_int_equal(hrot_revoke(&c.owner, c.serial), PSA_ERROR_DOES_NOT_EXIST);
    c.expect = PSA_ERROR_INVALID_HANDLE;
    as_user(USER_B, b_uses, &c);
    as_user(USER_C, c_uses, &c);
    /* the owner still signs; destroying the key ends its capabilities */
    assert_int_equal(hrot_sign_data(&c.owner, (const uint8_t *)"x", 1, sig, sizeof(sig), &n),
                     PSA_SUCCESS);
    assert_int_equal(hrot_destroy_key(&c.owner), PSA_SUCCESS);
    assert_int_equal(hrot_sign_data(&c.owner, (const uint8_t *)"x", 1, sig, sizeof(sig), &n),
                     PSA_ERROR_INVALID_HANDLE);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* ---- across restarts ---- */

static int b_signs_after_restart(void *arg)
{
    struct caps *c = arg;
    uint8_t sig[64];
    size_t n;
    int step = 0;

    CHECK(hrot_sign_data(&c->granted, (const uint8_t *)"b", 1, sig, sizeof(sig), &n) == c->expect);
    if (c->expect == PSA_SUCCESS)
        CHECK(ecdsa_ok(c->pub, (const uint8_t *)"b", 1, sig));
    return 0;
}

static void test_restart(void **state)
{
    static struct caps c;
    const uint8_t msg[] = "after a restart of psa-spm and swtpm";
    uint8_t der[HROT_RSA_PUBLIC_MAX], der2[HROT_RSA_PUBLIC_MAX], ct[256], pt[256], sig[64];
    hrot_cap_t rsa;
    size_t n, n2, m;

    (void)state;
    start(NULL);
    assert_int_equal(hrot_generate_key(HROT_KEY_ECC_P256_SIGN, &c.owner), PSA_SUCCESS);
    assert_int_equal(hrot_get_public_key(&c.owner, c.pub, sizeof(c.pub), &n), PSA_SUCCESS);
    assert_int_equal(hrot_generate_key(HROT_KEY_RSA2048_DECRYPT, &rsa), PSA_SUCCESS);
    assert_int_equal(hrot_get_public_key(&rsa, der, sizeof(der), &n), PSA_SUCCESS);
    assert_int_equal(
        hrot_grant(&c.owner, HROT_CLIENT_ID_OF_UID(USER_B), HROT_RIGHT_SIGN, &c.granted, &c.serial),
        PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);

    start(NULL); /* a new psa-spm, a new swtpm on the same state */
    assert_int_equal(hrot_sign_data(&c.owner, msg, sizeof(msg), sig, sizeof(sig), &m), PSA_SUCCESS);
    assert_true(ecdsa_ok(c.pub, msg, sizeof(msg), sig));
    assert_int_equal(hrot_get_public_key(&rsa, der2, sizeof(der2), &n2), PSA_SUCCESS);
    assert_int_equal(n2, n);
    assert_memory_equal(der, der2, n);
    assert_int_equal(oaep_encrypt(der, n, msg, sizeof(msg), ct), 0);
    assert_int_equal(hrot_decrypt_data(&rsa, ct, sizeof(ct), pt, sizeof(pt), &m), PSA_SUCCESS);
    assert_memory_equal(pt, msg, sizeof(msg));
    c.expect = PSA_SUCCESS;
    as_user(USER_B, b_signs_after_restart, &c);
    /* a revocation lasts too */
    assert_int_equal(hrot_revoke(&c.owner, c.serial), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
    start(NULL);
    c.expect = PSA_ERROR_INVALID_HANDLE;
    as_user(USER_B, b_signs_after_restart, &c);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* ---- attestation ---- */

static void test_attest(void **state)
{
    static uint8_t out[HROT_ATTEST_MAX];
    const uint8_t nonce[] = "fresh nonce 0123456789";
    uint8_t name[34], rs[64], hash[32], point[65], pub[65];
    struct tpm2_public ak, key;
    struct tpm2_slice s;
    size_t n, at, alen, kn;
    hrot_cap_t cap;

    (void)state;
    start(NULL);
    assert_int_equal(hrot_generate_key(HROT_KEY_ECC_P256_SIGN, &cap), PSA_SUCCESS);
    assert_int_equal(hrot_get_public_key(&cap, pub, sizeof(pub), &kn), PSA_SUCCESS);
    assert_int_equal(hrot_attest_key(&cap, nonce, sizeof(nonce), out, sizeof(out), &n),
                     PSA_SUCCESS);
    alen = (size_t)out[0] << 8 | out[1];
    assert_true(2 + alen + 64 < n);
    memcpy(rs, out + 2 + alen, 64);
    at = 2 + alen + 64;
    s.p = out + at;
    s.len = 2 + ((size_t)out[at] << 8 | out[at + 1]);
    assert_true(at + s.len < n);
    assert_int_equal(tpm2_parse_public(s, &ak), 0);
    at += s.len;
    s.p = out + at;
    s.len = n - at;
    assert_int_equal(tpm2_parse_public(s, &key), 0);
    /* the certified key is the one whose public key we have */
    assert_int_equal(key.x.len, 32);
    assert_memory_equal(key.x.p, pub + 1, 32);
    /* the attestation key signed SHA-256 of certifyInfo */
    point[0] = 0x04;
    memcpy(point + 1, ak.x.p, 32);
    memcpy(point + 33, ak.y.p, 32);
    assert_true(ecdsa_ok(point, out + 2, alen, rs));
    /* certifyInfo: TPM_GENERATED, TPM_ST_ATTEST_CERTIFY, the nonce, the key's name */
    assert_int_equal(out[2], 0xff);
    assert_memory_equal(out + 2,
                        "\xff"
                        "TCG",
                        4);
    assert_int_equal(out[6] << 8 | out[7], TPM2_ST_ATTEST_CERTIFY);
    assert_non_null(memmem(out + 2, alen, nonce, sizeof(nonce)));
    mbedtls_sha256_ret(key.area.p, key.area.len, hash, 0);
    name[0] = 0x00;
    name[1] = 0x0b;
    memcpy(name + 2, hash, 32);
    assert_non_null(memmem(out + 2, alen, name, sizeof(name)));
    /* a tampered certifyInfo does not verify */
    out[10] ^= 1;
    assert_false(ecdsa_ok(point, out + 2, alen, rs));
    assert_int_equal(hrot_attest_key(&cap, out, HROT_MAX_NONCE + 1, out, sizeof(out), &n),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* ---- the device: granted to the HRoT alone, absent, gone ---- */

static pid_t swtpm_pid(void)
{
    char path[128], buf[32] = {0};
    int fd;

    snprintf(path, sizeof(path), "%s/tpm/swtpm.pid", state_dir);
    fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    if (read(fd, buf, sizeof(buf) - 1) <= 0)
        buf[0] = '\0';
    close(fd);
    return (pid_t)atoi(buf);
}

static void test_device_granted_once(void **state)
{
    char out[256];
    pid_t hrot, echo;

    (void)state;
    start(NULL);
    hrot = fixture_partition_pid(&fx, "PARTIX_SP_HROT");
    echo = fixture_partition_pid(&fx, "TFM_SP_ECHO_SERVICE");
    assert_true(hrot > 0 && echo > 0);
    /* fd 7 of the HRoT partition is a socket, the other end swtpm's; no
     * other partition has one there */
    assert_int_equal(fixture_sh(out, sizeof(out), "readlink /proc/%d/fd/7", (int)hrot), 0);
    assert_non_null(strstr(out, "socket:"));
    assert_int_not_equal(fixture_sh(out, sizeof(out), "readlink /proc/%d/fd/7", (int)echo), 0);
    assert_true(swtpm_pid() > 0);
    assert_true(kill(swtpm_pid(), 0) == 0);
    assert_int_equal(fixture_stop(&fx), 0);
    /* swtpm ends with psa-spm */
    assert_true(fixture_sh(out, sizeof(out), "test -d /proc/%d", (int)swtpm_pid()) != 0);
}

static void test_no_tpm(void **state)
{
    uint8_t buf[8];
    size_t n;
    hrot_cap_t cap;

    char plat[128], out[256];

    (void)state;
    /* the test board, without a TPM */
    snprintf(plat, sizeof(plat), "%s/no_tpm.yaml", state_dir);
    assert_int_equal(fixture_sh(out, sizeof(out), "{ cat %s; echo 'tpm: none'; } > %s",
                                getenv("PARTIX_TEST_PLATFORM"), plat),
                     0);
    start(plat);
    assert_true(fixture_log_has(&fx, "no TPM on this board", NULL));
    assert_int_equal(hrot_init(), PSA_ERROR_HARDWARE_FAILURE);
    assert_int_equal(hrot_trng_get_random_bytes(8, buf, sizeof(buf), &n),
                     PSA_ERROR_HARDWARE_FAILURE);
    assert_int_equal(hrot_generate_key(HROT_KEY_ECC_P256_SIGN, &cap), PSA_ERROR_HARDWARE_FAILURE);
    /* the rest of the system is unaffected */
    assert_int_equal(tfm_echo_service((const uint8_t *)"hi", 2, buf, sizeof(buf), &n), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
}

static int call_random(void *arg)
{
    uint8_t buf[64];
    size_t n;

    (void)arg;
    return hrot_trng_get_random_bytes(sizeof(buf), buf, sizeof(buf), &n) ==
                   PSA_ERROR_HARDWARE_FAILURE
               ? 0
               : 1;
}

static void test_device_gone(void **state)
{
    struct timespec pause = {0, 300 * 1000 * 1000};
    uint8_t buf[8], sig[64];
    size_t n;
    hrot_cap_t cap;
    pid_t tpm, child;
    int status;

    (void)state;
    start(NULL);
    assert_int_equal(hrot_generate_key(HROT_KEY_ECC_P256_SIGN, &cap), PSA_SUCCESS);
    tpm = swtpm_pid();
    assert_true(tpm > 0);
    /* the device stops answering; a call waits on it; then it dies */
    assert_int_equal(kill(tpm, SIGSTOP), 0);
    child = fixture_spawn_as(&fx, getuid(), call_random, NULL);
    assert_true(child > 0);
    nanosleep(&pause, NULL);
    assert_int_equal(kill(tpm, SIGKILL), 0);
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_true(fixture_log_has(&fx, "the device is gone", NULL));
    /* every later call says so; psa-spm and the other services carry on */
    assert_int_equal(hrot_sign_data(&cap, (const uint8_t *)"x", 1, sig, sizeof(sig), &n),
                     PSA_ERROR_HARDWARE_FAILURE);
    assert_int_equal(hrot_init(), PSA_ERROR_HARDWARE_FAILURE);
    assert_true(fixture_alive(&fx));
    assert_int_equal(tfm_echo_service((const uint8_t *)"hi", 2, buf, sizeof(buf), &n), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
    /* a new psa-spm starts a new swtpm: the key is there */
    start(NULL);
    assert_int_equal(hrot_sign_data(&cap, (const uint8_t *)"x", 1, sig, sizeof(sig), &n),
                     PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* The partition restarts (its fault, fault policy restart): a new swtpm
 * on the same state, the old one ended first; keys and capabilities work. */
static void test_partition_restart(void **state)
{
    const uint8_t msg[] = "after the partition's restart";
    uint8_t pub[65], sig[64];
    size_t n;
    hrot_cap_t cap;
    pid_t part, tpm;

    (void)state;
    start_with(NULL, "--fault-policy", "restart");
    assert_int_equal(hrot_generate_key(HROT_KEY_ECC_P256_SIGN, &cap), PSA_SUCCESS);
    assert_int_equal(hrot_get_public_key(&cap, pub, sizeof(pub), &n), PSA_SUCCESS);
    part = fixture_partition_pid(&fx, "PARTIX_SP_HROT");
    tpm = swtpm_pid();
    assert_true(part > 0 && tpm > 0);
    assert_int_equal(kill(part, SIGKILL), 0);
    assert_true(fixture_restarted(&fx, "PARTIX_SP_HROT", part) > 0);
    assert_int_equal(hrot_sign_data(&cap, msg, sizeof(msg), sig, sizeof(sig), &n), PSA_SUCCESS);
    assert_true(ecdsa_ok(pub, msg, sizeof(msg), sig));
    assert_true(swtpm_pid() > 0);
    assert_int_not_equal(swtpm_pid(), tpm);
    assert_int_equal(fixture_log_count(&fx, "partition PARTIX_SP_HROT: TPM swtpm", NULL), 2);
    assert_int_equal(fixture_stop(&fx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_trng, teardown),
        cmocka_unit_test_teardown(test_sign, teardown),
        cmocka_unit_test_teardown(test_decrypt, teardown),
        cmocka_unit_test_teardown(test_capabilities, teardown),
        cmocka_unit_test_teardown(test_restart, teardown),
        cmocka_unit_test_teardown(test_attest, teardown),
        cmocka_unit_test_teardown(test_device_granted_once, teardown),
        cmocka_unit_test_teardown(test_no_tpm, teardown),
        cmocka_unit_test_teardown(test_device_gone, teardown),
        cmocka_unit_test_teardown(test_partition_restart, teardown),
    };

    if (access("/usr/bin/swtpm", X_OK) != 0 && system("command -v swtpm >/dev/null") != 0) {
        printf("SKIP: no swtpm (install it: sh mk/deps.sh, as root)\n");
        return 0;
    }
    return cmocka_run_group_tests(tests, setup, final_teardown);
}
