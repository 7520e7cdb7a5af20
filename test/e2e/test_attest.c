/*
 * test_attest.c - Initial Attestation against the real daemon: a token for
 * each challenge size, the sizes and buffers it refuses, its size as
 * psa_initial_attest_get_token_size() says, a signature that verifies with
 * "partix-ctl otp pubkey"'s key (psa-attest verify) and with no other, a
 * tampered token refused, and the claims: the challenge, the instance id
 * "partix-ctl otp show" prints, the lifecycle, this process's client id, the
 * boot seed (the same within a run, new at each start) and the measured
 * partition executables.
 *
 * The claims are read twice: from the token itself, with the strict
 * decoder (src/cbor/), and from psa-attest's output.
 *
 * Then the same service built for PSA IoT profile 1 (test.mk's
 * tfm_initial_attestation_iot1, in the system of
 * $PARTIX_TEST_ATTEST_IOT1_LIST): its token carries the claim keys
 * -75000..-75010 and verifies with psa-attest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "attest_claims.h"
#include "cbor.h"
#include "cose.h"
#include "fixture.h"
#include "psa/client.h"
#include "psa/initial_attestation.h"
#include "psa_manifest/sid.h"
#include "tfm_attest_defs.h"

#define ATTEST_HANDLE TFM_ATTESTATION_SERVICE_HANDLE
#define MAX_TOKEN PSA_INITIAL_ATTEST_MAX_TOKEN_SIZE

static struct fixture fx;
static char top[64], state[128], other[128];
static const char *args[] = {"--state-dir", state, NULL};
static const char *debug_args[] = {"--state-dir", state, "--lifecycle", "non-psa-rot-debug", NULL};

/* A fresh state directory (and a second device's) for each test. */
static int setup(void **st)
{
    (void)st;
    snprintf(top, sizeof(top), "/tmp/partix-attest-XXXXXX");
    if (mkdtemp(top) == NULL)
        return -1;
    snprintf(state, sizeof(state), "%s/state", top);
    snprintf(other, sizeof(other), "%s/other", top);
    return 0;
}

static int teardown(void **st)
{
    char cmd[96];

    fixture_teardown(st);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", top);
    return system(cmd) == 0 ? 0 : -1;
}

/* psa-attest, next to psa-spm. */
static const char *psa_attest(void)
{
    static char path[512];

    fixture_beside_spm(path, sizeof(path), "psa-attest");
    return path;
}

static void write_file(const char *path, const uint8_t *p, size_t n)
{
    FILE *f = fopen(path, "wb");

    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void hex(const uint8_t *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
    out[2 * n] = '\0';
}

/* The value of the line "@p key: ..." in @p text, up to the line's end. */
static void field(const char *text, const char *key, char *out, size_t size)
{
    char pat[64];
    const char *at;
    size_t n;

    snprintf(pat, sizeof(pat), "%s: ", key);
    at = strstr(text, pat);
    if (at == NULL)
        fail_msg("no \"%s\" in:\n%s", key, text);
    at += strlen(pat);
    n = strcspn(at, "\n");
    assert_true(n < size);
    memcpy(out, at, n);
    out[n] = '\0';
}

/* The claims of a token, read with the strict decoder. */
struct claims {
    struct cbor_item nonce, instance_id, boot_seed, profile, sw;
    int64_t client_id, lifecycle;
    uint64_t n_sw;
};

static void decode(const uint8_t *token, size_t len, struct claims *c)
{
    struct cose_sign1 s;
    struct cbor_dec d;
    struct cbor_item m, k, v;
    const char *why = NULL;
    int64_t key;

    memset(c, 0, sizeof(*c));
    if (cose_sign1_decode(token, len, &s, &why) != 0)
        fail_msg("not a COSE_Sign1: %s", why);
    assert_int_equal(s.alg, COSE_ALG_ES256);
    assert_null(s.kid); /* TF-M's default: no key id */
    assert_int_equal(cbor_check(s.payload, s.payload_len), CBOR_OK);
    cbor_dec_init(&d, s.payload, s.payload_len);
    assert_int_equal(cbor_expect(&d, CBOR_MAP, &m), CBOR_OK);
    for (uint64_t i = 0; i < m.u; i++) {
        assert_int_equal(cbor_next(&d, &k), CBOR_OK);
        assert_int_equal(cbor_item_int(&k, &key), CBOR_OK);
        assert_int_equal(cbor_next(&d, &v), CBOR_OK);
        switch (key) {
        case IAT_NONCE:
            c->nonce = v;
            break;
        case IAT_INSTANCE_ID:
            c->instance_id = v;
            break;
        case IAT_BOOT_SEED:
            c->boot_seed = v;
            break;
        case IAT_PROFILE_DEFINITION:
            c->profile = v;
            break;
        case IAT_CLIENT_ID:
            assert_int_equal(cbor_item_int(&v, &c->client_id), CBOR_OK);
            break;
        case IAT_SECURITY_LIFECYCLE:
            assert_int_equal(cbor_item_int(&v, &c->lifecycle), CBOR_OK);
            break;
        case IAT_SW_COMPONENTS:
            c->sw = v;
            c->n_sw = v.u;
            break;
        }
        assert_int_equal(cbor_skip_rest(&d, &v), CBOR_OK);
    }
    assert_int_equal(cbor_dec_end(&d), CBOR_OK);
}

static void challenge_of(uint8_t *c, size_t n, uint8_t seed)
{
    for (size_t i = 0; i < n; i++)
        c[i] = (uint8_t)(seed + 7 * i);
}

static void test_token_for_each_challenge_size(void **st)
{
    static const size_t sizes[] = {PSA_INITIAL_ATTEST_CHALLENGE_SIZE_32,
                                   PSA_INITIAL_ATTEST_CHALLENGE_SIZE_48,
                                   PSA_INITIAL_ATTEST_CHALLENGE_SIZE_64};
    static uint8_t token[MAX_TOKEN];
    uint8_t challenge[64];
    struct claims c;
    size_t i, len, size;

    (void)st;
    assert_int_equal(fixture_start(&fx, args), 0);
    for (i = 0; i < 3; i++) {
        challenge_of(challenge, sizes[i], (uint8_t)i);
        len = 0;
        assert_int_equal(
            psa_initial_attest_get_token(challenge, sizes[i], token, sizeof(token), &len),
            PSA_SUCCESS);
        assert_int_equal(psa_initial_attest_get_token_size(sizes[i], &size), PSA_SUCCESS);
        assert_int_equal(size, len);
        decode(token, len, &c);
        assert_int_equal(c.nonce.type, CBOR_BSTR);
        assert_int_equal(c.nonce.u, sizes[i]);
        assert_memory_equal(c.nonce.ptr, challenge, sizes[i]);
        assert_int_equal(c.profile.u, strlen(IAT_PROFILE_PSA_2023));
        assert_memory_equal(c.profile.ptr, IAT_PROFILE_PSA_2023, c.profile.u);
        /* a non-secure caller's client id: -1 - uid (docs/architecture.md) */
        assert_true(c.client_id == -1 - (int64_t)getuid());
        assert_true(c.lifecycle == 0x3000);
    }
    /* each token is signed anew: the same challenge, another signature */
    {
        static uint8_t again[MAX_TOKEN];
        size_t len2 = 0;

        assert_int_equal(psa_initial_attest_get_token(challenge, 64, again, sizeof(again), &len2),
                         PSA_SUCCESS);
        assert_int_equal(len2, len);
        assert_memory_not_equal(again + len - 64, token + len - 64, 64);
        assert_memory_equal(again, token, len - 64);
    }
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_refusals(void **st)
{
    static const size_t bad[] = {0, 1, 16, 31, 33, 47, 49, 63, 65, 128};
    static uint8_t token[MAX_TOKEN];
    uint8_t challenge[128] = {0}, extra = 0;
    uint32_t size32 = 32;
    size_t i, len = 77, size = 0, small;
    psa_invec in[2] = {{challenge, 32}, {&extra, 1}};
    psa_outvec out[2] = {{token, sizeof(token)}, {&size, sizeof(size)}};

    (void)st;
    assert_int_equal(fixture_start(&fx, args), 0);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(
            psa_initial_attest_get_token(challenge, bad[i], token, sizeof(token), &len),
            PSA_ERROR_INVALID_ARGUMENT);
        assert_int_equal(len, 0);
        assert_int_equal(psa_initial_attest_get_token_size(bad[i], &size),
                         PSA_ERROR_INVALID_ARGUMENT);
    }
    assert_int_equal(psa_initial_attest_get_token(challenge, 32, token, sizeof(token), NULL),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_initial_attest_get_token_size(32, NULL), PSA_ERROR_INVALID_ARGUMENT);

    /* a buffer one byte short: too small; none at all: INVALID_ARGUMENT (TF-M's
     * answer, and the conformance suite's); exactly right: fine */
    assert_int_equal(psa_initial_attest_get_token_size(32, &size), PSA_SUCCESS);
    small = size - 1;
    assert_int_equal(psa_initial_attest_get_token(challenge, 32, token, small, &len),
                     PSA_ERROR_BUFFER_TOO_SMALL);
    assert_int_equal(psa_initial_attest_get_token(challenge, 32, NULL, 0, &len),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_initial_attest_get_token(challenge, 32, token, 0, &len),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(len, 0);
    out[0] = (psa_outvec){token, 0}; /* from the service itself, whoever calls it */
    assert_int_equal(psa_call(ATTEST_HANDLE, TFM_ATTEST_GET_TOKEN, in, 1, out, 1),
                     PSA_ERROR_INVALID_ARGUMENT);
    out[0] = (psa_outvec){token, sizeof(token)};
    assert_int_equal(psa_initial_attest_get_token(challenge, 32, token, size, &len), PSA_SUCCESS);
    assert_int_equal(len, size);

    /* the service checks the vectors itself, whoever calls it */
    assert_int_equal(psa_call(ATTEST_HANDLE, TFM_ATTEST_GET_TOKEN, in, 2, out, 1),
                     PSA_ERROR_INVALID_ARGUMENT); /* a second input */
    assert_int_equal(psa_call(ATTEST_HANDLE, TFM_ATTEST_GET_TOKEN, in, 1, out, 2),
                     PSA_ERROR_INVALID_ARGUMENT); /* a second output */
    in[0].len = 2;                                /* a challenge size in 2 bytes */
    out[0] = (psa_outvec){&size, sizeof(size)};
    assert_int_equal(psa_call(ATTEST_HANDLE, TFM_ATTEST_GET_TOKEN_SIZE, in, 1, out, 1),
                     PSA_ERROR_INVALID_ARGUMENT);
    /* a 32-bit caller's size_t: the size comes back in 4 bytes */
    in[0] = (psa_invec){&size32, sizeof(size32)};
    out[0] = (psa_outvec){&size32, sizeof(size32)};
    assert_int_equal(psa_call(ATTEST_HANDLE, TFM_ATTEST_GET_TOKEN_SIZE, in, 1, out, 1),
                     PSA_SUCCESS);
    assert_int_equal(size32, size);
    assert_int_equal(psa_call(ATTEST_HANDLE, 1003, NULL, 0, NULL, 0), PSA_ERROR_NOT_SUPPORTED);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* The token verifies with the device's key, and shows the device's claims;
 * it fails with another device's key, changed, or for another challenge. */
static void test_verify(void **st)
{
    static uint8_t token[MAX_TOKEN];
    static char out[16384];
    char path[192], bad[192], key[192], wrong_key[192], challenge_hex[129], instance[80];
    char value[160], cmd_ctl[256];
    uint8_t challenge[48];
    struct claims c;
    size_t len;

    (void)st;
    assert_int_equal(fixture_start(&fx, args), 0);
    challenge_of(challenge, sizeof(challenge), 0x40);
    assert_int_equal(
        psa_initial_attest_get_token(challenge, sizeof(challenge), token, sizeof(token), &len),
        PSA_SUCCESS);
    decode(token, len, &c);
    snprintf(path, sizeof(path), "%s/token.cbor", top);
    write_file(path, token, len);
    hex(challenge, sizeof(challenge), challenge_hex);
    snprintf(cmd_ctl, sizeof(cmd_ctl), "%s", fixture_ctl());

    /* the device's public key, as a verifier gets it */
    snprintf(key, sizeof(key), "%s/iak.pem", top);
    assert_int_equal(
        fixture_sh(out, sizeof(out), "%s otp pubkey --state-dir %s > %s", cmd_ctl, state, key), 0);
    assert_int_equal(fixture_sh(out, sizeof(out), "%s verify %s --key %s --challenge %s",
                                psa_attest(), path, key, challenge_hex),
                     0);
    assert_non_null(strstr(out, "signature: verifies (COSE_Sign1, ES256)"));
    assert_non_null(strstr(out, "challenge: matches the nonce"));
    field(out, "nonce", value, sizeof(value));
    assert_string_equal(value, challenge_hex);
    field(out, "security-lifecycle", value, sizeof(value));
    assert_string_equal(value, "secured (0x3000)");
    field(out, "client-id", value, sizeof(value));
    assert_int_equal(atoll(value), -1 - (long long)getuid());
    field(out, "profile", value, sizeof(value));
    assert_string_equal(value, IAT_PROFILE_PSA_2023);
    field(out, "instance-id", instance, sizeof(instance));
    hex(c.instance_id.ptr, (size_t)c.instance_id.u, value);
    assert_string_equal(instance, value);
    /* what the daemon says of this process: its client id */
    snprintf(value, sizeof(value), "(uid %u, client id %lld) connected", (unsigned)getuid(),
             (long long)c.client_id);
    assert_true(fixture_log_has(&fx, value, ""));

    /* the instance id "partix-ctl otp show" prints: 0x01, SHA-256 of the public key */
    {
        static char shown[4096];

        assert_int_equal(
            fixture_sh(shown, sizeof(shown), "%s otp show --state-dir %s", cmd_ctl, state), 0);
        field(shown, "instance-id", value, sizeof(value));
        assert_string_equal(value, instance);
        assert_int_equal(strncmp(instance, "01", 2), 0);
        assert_int_equal(strlen(instance), 66);
    }

    /* another challenge: refused */
    challenge_hex[0] = challenge_hex[0] == '0' ? '1' : '0';
    assert_int_equal(fixture_sh(out, sizeof(out), "%s verify %s --key %s --challenge %s",
                                psa_attest(), path, key, challenge_hex),
                     1);
    assert_non_null(strstr(out, "nonce is not the challenge"));

    /* another device's key: refused */
    snprintf(wrong_key, sizeof(wrong_key), "%s/other.pem", top);
    assert_int_equal(fixture_sh(out, sizeof(out),
                                "%s otp provision --state-dir %s && %s otp pubkey "
                                "--state-dir %s > %s",
                                cmd_ctl, other, cmd_ctl, other, wrong_key),
                     0);
    assert_int_equal(
        fixture_sh(out, sizeof(out), "%s verify %s --key %s", psa_attest(), path, wrong_key), 1);
    assert_non_null(strstr(out, "signature does not verify"));
    assert_null(strstr(out, "nonce:")); /* nothing of an unverified token is shown */

    /* tampered: a byte of the challenge in the payload, a byte of the
     * signature, the token cut short, a byte after it */
    snprintf(bad, sizeof(bad), "%s/bad.cbor", top);
    token[c.nonce.ptr - token] ^= 0x01;
    write_file(bad, token, len);
    token[c.nonce.ptr - token] ^= 0x01;
    assert_int_equal(fixture_sh(out, sizeof(out), "%s verify %s --key %s", psa_attest(), bad, key),
                     1);
    assert_non_null(strstr(out, "signature does not verify"));
    token[len - 1] ^= 0x80;
    write_file(bad, token, len);
    token[len - 1] ^= 0x80;
    assert_int_equal(fixture_sh(out, sizeof(out), "%s verify %s --key %s", psa_attest(), bad, key),
                     1);
    assert_non_null(strstr(out, "signature does not verify"));
    write_file(bad, token, len - 1);
    assert_int_equal(fixture_sh(out, sizeof(out), "%s verify %s --key %s", psa_attest(), bad, key),
                     1);
    assert_non_null(strstr(out, "truncated"));
    token[len] = 0x00;
    write_file(bad, token, len + 1);
    assert_int_equal(fixture_sh(out, sizeof(out), "%s verify %s --key %s", psa_attest(), bad, key),
                     1);
    assert_non_null(strstr(out, "trailing"));
    /* and the untouched token still verifies */
    assert_int_equal(fixture_sh(out, sizeof(out), "%s verify %s --key %s", psa_attest(), path, key),
                     0);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* The software components are psa-spm and each partition executable, each
 * measured as the SHA-256 of its file. */
static void test_software_components(void **st)
{
    static uint8_t token[MAX_TOKEN];
    static char out[16384];
    char path[192], key[192], want[160], exe[512], *at;
    uint8_t challenge[32] = {1};
    struct claims c;
    size_t len;
    int n_sw = 0;

    (void)st;
    assert_int_equal(fixture_start(&fx, args), 0);
    assert_true(fixture_log_has(&fx, "boot record: psa-spm and ", "partition executable(s)"));
    assert_int_equal(psa_initial_attest_get_token(challenge, 32, token, sizeof(token), &len),
                     PSA_SUCCESS);
    decode(token, len, &c);
    snprintf(path, sizeof(path), "%s/token.cbor", top);
    write_file(path, token, len);
    snprintf(key, sizeof(key), "%s/iak.pem", top);
    assert_int_equal(fixture_sh(out, sizeof(out), "%s otp pubkey --state-dir %s > %s",
                                fixture_ctl(), state, key),
                     0);
    assert_int_equal(fixture_sh(out, sizeof(out), "%s verify %s --key %s", psa_attest(), path, key),
                     0);
    for (at = out; (at = strstr(at, "measurement-type: ")) != NULL; at++)
        n_sw++;
    assert_int_equal(n_sw, c.n_sw);
    assert_true(c.n_sw >= 2);
    field(out, "software-components", want, sizeof(want));
    assert_int_equal(atoi(want), n_sw);

    /* this partition's measurement is its executable's SHA-256 */
    snprintf(exe, sizeof(exe), "sha256sum -b %s/tfm_initial_attestation | cut -c1-64",
             getenv("PARTIX_TEST_PARTITIONS"));
    assert_int_equal(fixture_sh(want, sizeof(want), "%s", exe), 0);
    want[64] = '\0';
    at = strstr(out, "measurement-type: TFM_SP_INITIAL_ATTESTATION\n");
    assert_non_null(at);
    field(at, "measurement-value", exe, sizeof(exe));
    assert_string_equal(exe, want);
    /* and psa-spm's, its own */
    snprintf(exe, sizeof(exe), "sha256sum -b %s | cut -c1-64", getenv("PARTIX_SPM"));
    assert_int_equal(fixture_sh(want, sizeof(want), "%s", exe), 0);
    want[64] = '\0';
    at = strstr(out, "measurement-type: psa-spm\n");
    assert_non_null(at);
    field(at, "measurement-value", exe, sizeof(exe));
    assert_string_equal(exe, want);
    field(at, "signer-id", exe, sizeof(exe));
    assert_int_equal(strspn(exe, "0"), 64); /* no signer: partix signs nothing */
    assert_int_equal(fixture_stop(&fx), 0);
}

/* The boot seed: the same in every token of one run, new at the next
 * start; the device (instance id) stays the same. */
static void test_boot_seed(void **st)
{
    static uint8_t t1[MAX_TOKEN], t2[MAX_TOKEN], t3[MAX_TOKEN];
    uint8_t challenge[32] = {2};
    struct claims c1, c2, c3;
    size_t l1, l2, l3;

    (void)st;
    assert_int_equal(fixture_start(&fx, args), 0);
    assert_int_equal(psa_initial_attest_get_token(challenge, 32, t1, sizeof(t1), &l1), PSA_SUCCESS);
    challenge[0] = 3;
    assert_int_equal(psa_initial_attest_get_token(challenge, 32, t2, sizeof(t2), &l2), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
    assert_int_equal(fixture_start(&fx, args), 0);
    assert_int_equal(psa_initial_attest_get_token(challenge, 32, t3, sizeof(t3), &l3), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
    decode(t1, l1, &c1);
    decode(t2, l2, &c2);
    decode(t3, l3, &c3);
    assert_int_equal(c1.boot_seed.u, IAT_BOOT_SEED_LEN);
    assert_memory_equal(c1.boot_seed.ptr, c2.boot_seed.ptr, IAT_BOOT_SEED_LEN);
    assert_memory_not_equal(c1.boot_seed.ptr, c3.boot_seed.ptr, IAT_BOOT_SEED_LEN);
    assert_memory_equal(c1.instance_id.ptr, c3.instance_id.ptr, IAT_INSTANCE_ID_LEN);
}

/* The lifecycle claim is the state partitions are told (here --lifecycle's). */
static void test_lifecycle_claim(void **st)
{
    static uint8_t token[MAX_TOKEN];
    uint8_t challenge[64] = {4};
    struct claims c;
    size_t len;

    (void)st;
    assert_int_equal(fixture_start(&fx, debug_args), 0);
    assert_int_equal(psa_initial_attest_get_token(challenge, 64, token, sizeof(token), &len),
                     PSA_SUCCESS);
    decode(token, len, &c);
    assert_true(c.lifecycle == 0x4000);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* psa-attest get: a token from the daemon, which then verifies. */
static void test_psa_attest_get(void **st)
{
    static char out[16384];
    char path[192], key[192], value[160];
    const char *hexc = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    (void)st;
    assert_int_equal(fixture_start(&fx, args), 0);
    snprintf(path, sizeof(path), "%s/got.cbor", top);
    snprintf(key, sizeof(key), "%s/iak.pem", top);
    assert_int_equal(
        fixture_sh(out, sizeof(out), "%s get --challenge %s -o %s", psa_attest(), hexc, path), 0);
    field(out, "challenge", value, sizeof(value));
    assert_string_equal(value, hexc);
    assert_int_equal(
        fixture_sh(out, sizeof(out), "%s get --challenge 0011 -o %s", psa_attest(), path), 2);
    assert_non_null(strstr(out, "32, 48 or 64 bytes"));
    assert_int_equal(fixture_stop(&fx), 0);
    /* verifying needs no daemon: its cryptography is Mbed TLS's, in-process */
    assert_int_equal(fixture_sh(out, sizeof(out), "%s otp pubkey --state-dir %s > %s",
                                fixture_ctl(), state, key),
                     0);
    assert_int_equal(fixture_sh(out, sizeof(out),
                                "PSA_SPM_SOCKET=/nonexistent %s verify %s --key %s "
                                "--challenge %s",
                                psa_attest(), path, key, hexc),
                     0);
    assert_non_null(strstr(out, "challenge: matches the nonce"));
    /* a daemon that is gone: a clear message */
    assert_int_equal(fixture_sh(out, sizeof(out), "%s get -o %s", psa_attest(), path), 1);
    assert_non_null(strstr(out, "is psa-spm running"));
}

/* The claims of a PSA IoT profile 1 token: every key in -75010..-75000,
 * each at most once (the strict decoder refuses duplicates). */
struct iot1_claims {
    struct cbor_item v[11]; /* by -75000 - key; type 0 (CBOR_UINT) and ptr NULL: absent */
    bool have[11];
};

static void decode_iot1(const uint8_t *token, size_t len, struct iot1_claims *c)
{
    struct cose_sign1 s;
    struct cbor_dec d;
    struct cbor_item m, k, v;
    const char *why = NULL;
    int64_t key, prev = 0;

    memset(c, 0, sizeof(*c));
    if (cose_sign1_decode(token, len, &s, &why) != 0)
        fail_msg("not a COSE_Sign1: %s", why);
    assert_int_equal(cbor_check(s.payload, s.payload_len), CBOR_OK);
    cbor_dec_init(&d, s.payload, s.payload_len);
    assert_int_equal(cbor_expect(&d, CBOR_MAP, &m), CBOR_OK);
    for (uint64_t i = 0; i < m.u; i++) {
        assert_int_equal(cbor_next(&d, &k), CBOR_OK);
        assert_int_equal(cbor_item_int(&k, &key), CBOR_OK);
        if (key > IAT_IOT1_PROFILE_DEFINITION || key < IAT_IOT1_VERIFICATION_SERVICE)
            fail_msg("claim key %lld is not PSA IoT profile 1's", (long long)key);
        /* canonical order: -75000 is encoded first, then -75001, ... */
        assert_true(i == 0 || key < prev);
        prev = key;
        assert_int_equal(cbor_next(&d, &v), CBOR_OK);
        c->v[IAT_IOT1_PROFILE_DEFINITION - key] = v;
        c->have[IAT_IOT1_PROFILE_DEFINITION - key] = true;
        assert_int_equal(cbor_skip_rest(&d, &v), CBOR_OK);
    }
    assert_int_equal(cbor_dec_end(&d), CBOR_OK);
}

#define IOT1(c, key) ((c)->v[IAT_IOT1_PROFILE_DEFINITION - (key)])
#define IOT1_HAS(c, key) ((c)->have[IAT_IOT1_PROFILE_DEFINITION - (key)])

static int setup_iot1(void **st)
{
    const char *list = getenv("PARTIX_TEST_ATTEST_IOT1_LIST");

    if (list == NULL) {
        fprintf(stderr, "set PARTIX_TEST_ATTEST_IOT1_LIST (test/test.mk's E2E_ENV)\n");
        return -1;
    }
    /* the IoT-1 build instead of the shipped one: a system of its own */
    setenv("PARTIX_TEST_SAVED_LIST", getenv("PARTIX_TEST_LIST"), 1);
    setenv("PARTIX_TEST_LIST", list, 1);
    if (getenv("PARTIX_TEST_EXTRA_LIST") != NULL) {
        setenv("PARTIX_TEST_SAVED_EXTRA", getenv("PARTIX_TEST_EXTRA_LIST"), 1);
        unsetenv("PARTIX_TEST_EXTRA_LIST");
    }
    return setup(st);
}

static int teardown_iot1(void **st)
{
    setenv("PARTIX_TEST_LIST", getenv("PARTIX_TEST_SAVED_LIST"), 1);
    if (getenv("PARTIX_TEST_SAVED_EXTRA") != NULL)
        setenv("PARTIX_TEST_EXTRA_LIST", getenv("PARTIX_TEST_SAVED_EXTRA"), 1);
    return teardown(st);
}

/* The IoT-1 build: its token from the real daemon has IoT-1's keys and
 * values, names PSA_IOT_PROFILE_1 itself (the OTP names RFC 9783's), and
 * verifies with psa-attest, which prints its claims. */
static void test_iot1_profile(void **st)
{
    static uint8_t token[MAX_TOKEN];
    static char out[16384];
    char path[192], key[192], challenge_hex[129], value[160], exe[512], *at;
    uint8_t challenge[64];
    struct iot1_claims c;
    struct cbor_item v;
    int64_t n;
    size_t len, size;

    (void)st;
    assert_int_equal(fixture_start(&fx, args), 0);
    assert_true(fixture_log_has(&fx, "this build produces " IAT_PROFILE_PSA_IOT_1 " tokens", ""));
    challenge_of(challenge, sizeof(challenge), 0x90);
    assert_int_equal(
        psa_initial_attest_get_token(challenge, sizeof(challenge), token, sizeof(token), &len),
        PSA_SUCCESS);
    assert_int_equal(psa_initial_attest_get_token_size(sizeof(challenge), &size), PSA_SUCCESS);
    assert_int_equal(size, len);
    decode_iot1(token, len, &c);

    /* the mandatory claims, with IoT-1's keys */
    v = IOT1(&c, IAT_IOT1_PROFILE_DEFINITION);
    assert_int_equal(v.type, CBOR_TSTR);
    assert_int_equal(v.u, strlen(IAT_PROFILE_PSA_IOT_1));
    assert_memory_equal(v.ptr, IAT_PROFILE_PSA_IOT_1, v.u);
    v = IOT1(&c, IAT_IOT1_NONCE);
    assert_int_equal(v.type, CBOR_BSTR);
    assert_int_equal(v.u, sizeof(challenge));
    assert_memory_equal(v.ptr, challenge, sizeof(challenge));
    v = IOT1(&c, IAT_IOT1_INSTANCE_ID);
    assert_int_equal(v.type, CBOR_BSTR);
    assert_int_equal(v.u, IAT_INSTANCE_ID_LEN);
    assert_int_equal(v.ptr[0], IAT_UEID_TYPE_RAND);
    assert_true(IOT1_HAS(&c, IAT_IOT1_CLIENT_ID));
    assert_int_equal(cbor_item_int(&IOT1(&c, IAT_IOT1_CLIENT_ID), &n), CBOR_OK);
    assert_true(n == -1 - (int64_t)getuid());
    assert_int_equal(cbor_item_int(&IOT1(&c, IAT_IOT1_SECURITY_LIFECYCLE), &n), CBOR_OK);
    assert_true(n == 0x3000);
    assert_int_equal(IOT1(&c, IAT_IOT1_IMPLEMENTATION_ID).type, CBOR_BSTR);
    assert_int_equal(IOT1(&c, IAT_IOT1_IMPLEMENTATION_ID).u, IAT_IMPLEMENTATION_ID_LEN);
    assert_int_equal(IOT1(&c, IAT_IOT1_BOOT_SEED).type, CBOR_BSTR);
    assert_int_equal(IOT1(&c, IAT_IOT1_BOOT_SEED).u, IAT_BOOT_SEED_LEN);
    assert_int_equal(IOT1(&c, IAT_IOT1_SW_COMPONENTS).type, CBOR_ARRAY);
    assert_true(IOT1(&c, IAT_IOT1_SW_COMPONENTS).u >= 2);
    assert_false(IOT1_HAS(&c, IAT_IOT1_NO_SW_COMPONENTS));

    /* psa-attest verifies it and prints IoT-1's claims */
    snprintf(path, sizeof(path), "%s/iot1.cbor", top);
    write_file(path, token, len);
    snprintf(key, sizeof(key), "%s/iak.pem", top);
    assert_int_equal(fixture_sh(out, sizeof(out), "%s otp pubkey --state-dir %s > %s",
                                fixture_ctl(), state, key),
                     0);
    hex(challenge, sizeof(challenge), challenge_hex);
    assert_int_equal(fixture_sh(out, sizeof(out), "%s verify %s --key %s --challenge %s",
                                psa_attest(), path, key, challenge_hex),
                     0);
    assert_non_null(strstr(out, "signature: verifies (COSE_Sign1, ES256)"));
    assert_non_null(strstr(out, "challenge: matches the nonce"));
    field(out, "profile", value, sizeof(value));
    assert_string_equal(value, IAT_PROFILE_PSA_IOT_1);
    field(out, "client-id", value, sizeof(value));
    assert_int_equal(atoll(value), -1 - (long long)getuid());
    field(out, "security-lifecycle", value, sizeof(value));
    assert_string_equal(value, "secured (0x3000)");
    field(out, "instance-id", value, sizeof(value));
    assert_int_equal(strncmp(value, "01", 2), 0);
    /* the partition measured is the IoT-1 build's executable */
    snprintf(exe, sizeof(exe), "sha256sum -b %s/tfm_initial_attestation_iot1 | cut -c1-64",
             getenv("PARTIX_TEST_PARTITIONS"));
    assert_int_equal(fixture_sh(value, sizeof(value), "%s", exe), 0);
    value[64] = '\0';
    at = strstr(out, "measurement-type: TFM_SP_INITIAL_ATTESTATION\n");
    assert_non_null(at);
    field(at, "measurement-value", exe, sizeof(exe));
    assert_string_equal(exe, value);

    /* changed, it does not verify */
    token[IOT1(&c, IAT_IOT1_NONCE).ptr - token] ^= 0x01;
    write_file(path, token, len);
    assert_int_equal(fixture_sh(out, sizeof(out), "%s verify %s --key %s", psa_attest(), path, key),
                     1);
    assert_non_null(strstr(out, "signature does not verify"));
    assert_int_equal(fixture_stop(&fx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_token_for_each_challenge_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verify, setup, teardown),
        cmocka_unit_test_setup_teardown(test_software_components, setup, teardown),
        cmocka_unit_test_setup_teardown(test_boot_seed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lifecycle_claim, setup, teardown),
        cmocka_unit_test_setup_teardown(test_psa_attest_get, setup, teardown),
        cmocka_unit_test_setup_teardown(test_iot1_profile, setup_iot1, teardown_iot1),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
