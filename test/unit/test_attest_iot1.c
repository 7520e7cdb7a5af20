/*
 * test_attest_iot1.c - the PSA IoT profile 1 token in-process: the Initial
 * Attestation partition's token code built with ATTEST_TOKEN_PROFILE_PSA_IOT_1
 * (test.mk), on an OTP, boot record and lifecycle stubbed here, its token
 * decoded key by key and verified; then psa-attest's verifier on tokens of
 * both profiles built here and signed with this test's key, and on what it
 * must refuse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <mbedtls/base64.h>
#include <psa/crypto.h>

#include "attest.h"
#include "attest_claims.h"
#include "attest_verify.h"
#include "cbor.h"
#include "cose.h"
#include "partix/boot_record.h"
#include "psa/initial_attestation.h"
#include "psa/lifecycle.h"
#include "tfm_plat_otp.h"
#include "tfm_sp_log.h"

/* A P-256 private key: any scalar below the group order. */
static const uint8_t iak[32] = {0x51, 0x9b, 0x42, 0x3d, 0x71, 0x5f, 0x8b, 0x58, 0x1f, 0x4f, 0xa8,
                                0xee, 0x59, 0xf4, 0x77, 0x1a, 0x5b, 0x44, 0xc8, 0x13, 0x0b, 0x4e,
                                0x3e, 0xac, 0xca, 0x54, 0xa5, 0x6d, 0xda, 0x72, 0xb4, 0x64};
static const char cert_ref[] = "0604565272829-10010";
static const char vsi[] = "https://verifier.example/v1/challenge-response";
static uint8_t boot_record[128];
static size_t boot_record_len;
static uint8_t measurement[32], signer[32], seed[32], impl_id[32];

/* ---- what the partition's runtime gives it, stubbed ---- */

enum tfm_plat_err_t tfm_plat_otp_read(enum tfm_otp_element_id_t id, size_t out_len, uint8_t *out)
{
    uint32_t u32 = 0;
    const void *p = &u32;
    size_t n = sizeof(u32);

    switch (id) {
    case PLAT_OTP_ID_IAK:
        p = iak, n = sizeof(iak);
        break;
    case PLAT_OTP_ID_IAK_LEN:
        u32 = sizeof(iak);
        break;
    case PLAT_OTP_ID_IAK_TYPE:
        u32 = PSA_ECC_FAMILY_SECP_R1;
        break;
    case PLAT_OTP_ID_IMPLEMENTATION_ID:
        p = impl_id, n = sizeof(impl_id);
        break;
    case PLAT_OTP_ID_BOOT_SEED:
        p = seed, n = sizeof(seed);
        break;
    case PLAT_OTP_ID_CERT_REF:
        p = cert_ref, n = sizeof(cert_ref);
        break;
    case PLAT_OTP_ID_VERIFICATION_SERVICE_URL:
        p = vsi, n = sizeof(vsi);
        break;
    case PLAT_OTP_ID_PROFILE_DEFINITION: /* what psa-spm provisions */
        p = IAT_PROFILE_PSA_2023, n = sizeof(IAT_PROFILE_PSA_2023);
        break;
    default:
        return TFM_PLAT_ERR_UNSUPPORTED;
    }
    memset(out, 0, out_len);
    memcpy(out, p, n < out_len ? n : out_len);
    return TFM_PLAT_ERR_SUCCESS;
}

const uint8_t *partix_boot_record(size_t *len, uint32_t *count)
{
    *len = boot_record_len;
    *count = 1;
    return boot_record;
}

uint32_t psa_rot_lifecycle_state(void)
{
    return PSA_LIFECYCLE_SECURED;
}

int partix_log_at(const char *file, int line, int level, const char *fmt, ...)
{
    va_list ap;
    int n;

    (void)file, (void)line, (void)level;
    va_start(ap, fmt);
    n = vfprintf(stderr, fmt, ap);
    va_end(ap);
    return n;
}

/* ---- helpers ---- */

static psa_key_id_t key_pair;
static char pem[256];

/* The key pair in Mbed TLS, its public half as PEM (SubjectPublicKeyInfo). */
static int setup(void **st)
{
    static const uint8_t spki_p256[] = {0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48,
                                        0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48,
                                        0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    uint8_t der[sizeof(spki_p256) + 65], b64[160];
    size_t n = 0, b64_len = 0;
    struct cbor_enc e;

    (void)st;
    for (size_t i = 0; i < 32; i++) {
        measurement[i] = (uint8_t)(0xa0 + i);
        signer[i] = (uint8_t)(0x10 + i);
        seed[i] = (uint8_t)(0x70 ^ i);
        impl_id[i] = (uint8_t)(0xc0 + i);
    }
    cbor_enc_init(&e, boot_record, sizeof(boot_record));
    cbor_put_array(&e, 1);
    cbor_put_map(&e, 4);
    cbor_put_uint(&e, IAT_SW_COMPONENT_MEASUREMENT_TYPE);
    cbor_put_tstr(&e, "BL", 2);
    cbor_put_uint(&e, IAT_SW_COMPONENT_MEASUREMENT_VALUE);
    cbor_put_bstr(&e, measurement, sizeof(measurement));
    cbor_put_uint(&e, IAT_SW_COMPONENT_VERSION);
    cbor_put_tstr(&e, "1.2.3", 5);
    cbor_put_uint(&e, IAT_SW_COMPONENT_SIGNER_ID);
    cbor_put_bstr(&e, signer, sizeof(signer));
    if (cbor_enc_finish(&e, &boot_record_len) != CBOR_OK || psa_crypto_init() != PSA_SUCCESS)
        return -1;
    psa_set_key_type(&a, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&a, 256);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_SIGN_MESSAGE);
    psa_set_key_algorithm(&a, PSA_ALG_ECDSA(PSA_ALG_SHA_256));
    memcpy(der, spki_p256, sizeof(spki_p256));
    if (psa_import_key(&a, iak, sizeof(iak), &key_pair) != PSA_SUCCESS ||
        psa_export_public_key(key_pair, der + sizeof(spki_p256), 65, &n) != PSA_SUCCESS ||
        n != 65 || mbedtls_base64_encode(b64, sizeof(b64), &b64_len, der, sizeof(der)) != 0)
        return -1;
    snprintf(pem, sizeof(pem), "-----BEGIN PUBLIC KEY-----\n%.64s\n%s\n-----END PUBLIC KEY-----\n",
             (const char *)b64, (const char *)b64 + 64);
    return 0;
}

/* verify() runs psa-attest's verifier; its output in out. */
static char out[8192], why[256];

static int verify(const uint8_t *token, size_t len, const uint8_t *challenge, size_t clen)
{
    FILE *f;
    int r;

    out[0] = why[0] = '\0';
    f = fmemopen(out, sizeof(out), "w");
    assert_non_null(f);
    r = attest_verify(token, len, pem, challenge, clen, f, why, sizeof(why));
    fclose(f);
    return r;
}

/* A COSE_Sign1 of @p payload, signed with the test's key. */
static size_t sign1(const uint8_t *payload, size_t plen, uint8_t *token, size_t cap)
{
    static uint8_t tbs[2048];
    uint8_t sig[COSE_ES256_SIG_LEN];
    struct cbor_enc e;
    size_t tlen, slen, len;

    cbor_enc_init(&e, tbs, sizeof(tbs));
    cose_sig_structure(&e, cose_es256_protected, sizeof(cose_es256_protected), payload, plen);
    assert_int_equal(cbor_enc_finish(&e, &tlen), CBOR_OK);
    assert_int_equal(psa_sign_message(key_pair, PSA_ALG_ECDSA(PSA_ALG_SHA_256), tbs, tlen, sig,
                                      sizeof(sig), &slen),
                     PSA_SUCCESS);
    cbor_enc_init(&e, token, cap);
    cose_sign1_encode(&e, cose_es256_protected, sizeof(cose_es256_protected), NULL, 0, payload,
                      plen, sig, sizeof(sig));
    assert_int_equal(cbor_enc_finish(&e, &len), CBOR_OK);
    return len;
}

/* ---- the IoT-1 token from the partition's code ---- */

static void test_iot1_token(void **st)
{
    static const int64_t order[] = {IAT_IOT1_PROFILE_DEFINITION, IAT_IOT1_CLIENT_ID,
                                    IAT_IOT1_SECURITY_LIFECYCLE, IAT_IOT1_IMPLEMENTATION_ID,
                                    IAT_IOT1_BOOT_SEED,          IAT_IOT1_CERTIFICATION_REFERENCE,
                                    IAT_IOT1_SW_COMPONENTS,      IAT_IOT1_NONCE,
                                    IAT_IOT1_INSTANCE_ID,        IAT_IOT1_VERIFICATION_SERVICE};
    static uint8_t token[PSA_INITIAL_ATTEST_MAX_TOKEN_SIZE];
    uint8_t challenge[48], pub[65], iid[33] = {IAT_UEID_TYPE_RAND};
    struct cose_sign1 s;
    struct cbor_dec d;
    struct cbor_item m, k, v;
    const char *what = NULL;
    size_t len = 0, size = 0, n;
    int64_t key, i64;

    (void)st;
    for (size_t i = 0; i < sizeof(challenge); i++)
        challenge[i] = (uint8_t)(3 * i + 1);
    assert_int_equal(psa_export_public_key(key_pair, pub, sizeof(pub), &n), PSA_SUCCESS);
    assert_int_equal(psa_hash_compute(PSA_ALG_SHA_256, pub, n, iid + 1, 32, &n), PSA_SUCCESS);

    assert_int_equal(attest_token_init(), PSA_SUCCESS);
    assert_int_equal(attest_token(challenge, sizeof(challenge), -7, NULL, 0, &size), PSA_SUCCESS);
    assert_int_equal(attest_token(challenge, sizeof(challenge), -7, token, sizeof(token), &len),
                     PSA_SUCCESS);
    assert_int_equal(len, size);

    /* every claim under IoT-1's key, in canonical order */
    assert_int_equal(cose_sign1_decode(token, len, &s, &what), 0);
    cbor_dec_init(&d, s.payload, s.payload_len);
    assert_int_equal(cbor_expect(&d, CBOR_MAP, &m), CBOR_OK);
    assert_int_equal(m.u, sizeof(order) / sizeof(order[0]));
    for (size_t i = 0; i < m.u; i++) {
        assert_int_equal(cbor_next(&d, &k), CBOR_OK);
        assert_int_equal(cbor_item_int(&k, &key), CBOR_OK);
        assert_int_equal(key, order[i]);
        assert_int_equal(cbor_next(&d, &v), CBOR_OK);
        switch (key) {
        case IAT_IOT1_PROFILE_DEFINITION:
            assert_int_equal(v.type, CBOR_TSTR);
            assert_int_equal(v.u, strlen(IAT_PROFILE_PSA_IOT_1));
            assert_memory_equal(v.ptr, IAT_PROFILE_PSA_IOT_1, v.u);
            break;
        case IAT_IOT1_CLIENT_ID:
            assert_int_equal(cbor_item_int(&v, &i64), CBOR_OK);
            assert_int_equal(i64, -7);
            break;
        case IAT_IOT1_SECURITY_LIFECYCLE:
            assert_int_equal(v.type, CBOR_UINT);
            assert_int_equal(v.u, PSA_LIFECYCLE_SECURED);
            break;
        case IAT_IOT1_IMPLEMENTATION_ID:
            assert_int_equal(v.u, sizeof(impl_id));
            assert_memory_equal(v.ptr, impl_id, sizeof(impl_id));
            break;
        case IAT_IOT1_BOOT_SEED:
            assert_int_equal(v.u, sizeof(seed));
            assert_memory_equal(v.ptr, seed, sizeof(seed));
            break;
        case IAT_IOT1_CERTIFICATION_REFERENCE:
            assert_int_equal(v.type, CBOR_TSTR);
            assert_int_equal(v.u, strlen(cert_ref));
            assert_memory_equal(v.ptr, cert_ref, v.u);
            break;
        case IAT_IOT1_SW_COMPONENTS:
            assert_int_equal(v.type, CBOR_ARRAY);
            assert_memory_equal(v.at, boot_record, boot_record_len);
            break;
        case IAT_IOT1_NONCE:
            assert_int_equal(v.type, CBOR_BSTR);
            assert_int_equal(v.u, sizeof(challenge));
            assert_memory_equal(v.ptr, challenge, sizeof(challenge));
            break;
        case IAT_IOT1_INSTANCE_ID:
            assert_int_equal(v.u, sizeof(iid));
            assert_memory_equal(v.ptr, iid, sizeof(iid));
            break;
        case IAT_IOT1_VERIFICATION_SERVICE:
            assert_int_equal(v.u, strlen(vsi));
            assert_memory_equal(v.ptr, vsi, v.u);
            break;
        }
        assert_int_equal(cbor_skip_rest(&d, &v), CBOR_OK);
    }
    assert_int_equal(cbor_dec_end(&d), CBOR_OK);

    /* and psa-attest's verifier reads it */
    if (verify(token, len, challenge, sizeof(challenge)) != 0)
        fail_msg("%s", why);
    assert_non_null(strstr(out, "profile: " IAT_PROFILE_PSA_IOT_1 "\n"));
    assert_non_null(strstr(out, "client-id: -7\n"));
    assert_non_null(strstr(out, "certification-reference: 0604565272829-10010\n"));
    assert_non_null(strstr(out, "measurement-type: BL\n"));
    assert_non_null(strstr(out, "challenge: matches the nonce\n"));
    assert_null(strstr(out, "other claims"));
}

/* ---- the verifier on tokens built here ---- */

/* What a claim of a vector holds. */
enum val { V_NONCE, V_IID, V_TEXT, V_SEED, V_INT, V_LCS, V_IMPL, V_SW, V_UINT };

struct claim {
    int64_t key;
    enum val val;
    const char *text; /* V_TEXT */
    int64_t num;      /* V_INT, V_UINT */
};

static const uint8_t nonce[32] = {0x42};

static size_t token_of(const struct claim *c, size_t n, uint8_t *token, size_t cap)
{
    static uint8_t payload[1024];
    struct cbor_enc e;
    uint8_t iid[33] = {IAT_UEID_TYPE_RAND};
    size_t plen;

    cbor_enc_init(&e, payload, sizeof(payload));
    cbor_put_map(&e, n);
    for (size_t i = 0; i < n; i++) {
        cbor_put_int(&e, c[i].key);
        switch (c[i].val) {
        case V_NONCE:
            cbor_put_bstr(&e, nonce, sizeof(nonce));
            break;
        case V_IID:
            cbor_put_bstr(&e, iid, sizeof(iid));
            break;
        case V_TEXT:
            cbor_put_tstr(&e, c[i].text, strlen(c[i].text));
            break;
        case V_SEED:
            cbor_put_bstr(&e, seed, sizeof(seed));
            break;
        case V_INT:
        case V_UINT:
            cbor_put_int(&e, c[i].num);
            break;
        case V_LCS:
            cbor_put_uint(&e, PSA_LIFECYCLE_SECURED);
            break;
        case V_IMPL:
            cbor_put_bstr(&e, impl_id, sizeof(impl_id));
            break;
        case V_SW:
            cbor_put_raw(&e, boot_record, boot_record_len);
            break;
        }
    }
    assert_int_equal(cbor_enc_finish(&e, &plen), CBOR_OK);
    return sign1(payload, plen, token, cap);
}

#define PROFILE_2023                                                                               \
    {                                                                                              \
        IAT_PROFILE_DEFINITION, V_TEXT, IAT_PROFILE_PSA_2023, 0                                    \
    }
#define PROFILE_IOT1                                                                               \
    {                                                                                              \
        IAT_IOT1_PROFILE_DEFINITION, V_TEXT, IAT_PROFILE_PSA_IOT_1, 0                              \
    }

/* IoT-1's claims, in canonical order, with one of them at @p at replaced
 * by @p with (key 0: dropped) */
static size_t iot1_with(size_t at, struct claim with, bool profile, uint8_t *token, size_t cap)
{
    struct claim c[] = {
        PROFILE_IOT1,
        {IAT_IOT1_CLIENT_ID, V_INT, NULL, -3},
        {IAT_IOT1_SECURITY_LIFECYCLE, V_LCS, NULL, 0},
        {IAT_IOT1_IMPLEMENTATION_ID, V_IMPL, NULL, 0},
        {IAT_IOT1_BOOT_SEED, V_SEED, NULL, 0},
        {IAT_IOT1_SW_COMPONENTS, V_SW, NULL, 0},
        {IAT_IOT1_NONCE, V_NONCE, NULL, 0},
        {IAT_IOT1_INSTANCE_ID, V_IID, NULL, 0},
    };
    struct claim kept[9];
    size_t n = 0, i;

    for (i = profile ? 0 : 1; i < sizeof(c) / sizeof(c[0]); i++) {
        if (i == at && with.key == 0)
            continue;
        kept[n++] = i == at ? with : c[i];
    }
    return token_of(kept, n, token, cap);
}

#define NONE ((size_t)-1)

static void test_verify_both_profiles(void **st)
{
    static uint8_t token[1024];
    static const struct claim psa2023[] = {
        {IAT_NONCE, V_NONCE, NULL, 0},
        {IAT_INSTANCE_ID, V_IID, NULL, 0},
        PROFILE_2023,
        {IAT_CLIENT_ID, V_INT, NULL, -3},
        {IAT_SECURITY_LIFECYCLE, V_LCS, NULL, 0},
        {IAT_IMPLEMENTATION_ID, V_IMPL, NULL, 0},
        {IAT_SW_COMPONENTS, V_SW, NULL, 0},
    };
    size_t len;

    (void)st;
    /* RFC 9783's: as before */
    len = token_of(psa2023, sizeof(psa2023) / sizeof(psa2023[0]), token, sizeof(token));
    if (verify(token, len, nonce, sizeof(nonce)) != 0)
        fail_msg("%s", why);
    assert_non_null(strstr(out, "profile: " IAT_PROFILE_PSA_2023 "\n"));
    assert_non_null(strstr(out, "client-id: -3\n"));

    /* IoT-1's, with its profile claim */
    len = iot1_with(NONE, (struct claim){0}, true, token, sizeof(token));
    if (verify(token, len, nonce, sizeof(nonce)) != 0)
        fail_msg("%s", why);
    assert_non_null(strstr(out, "profile: " IAT_PROFILE_PSA_IOT_1 "\n"));
    assert_non_null(strstr(out, "client-id: -3\n"));
    assert_non_null(strstr(out, "security-lifecycle: secured (0x3000)\n"));
    assert_non_null(strstr(out, "measurement-type: BL\n"));
    assert_non_null(strstr(out, "version: 1.2.3\n"));
    assert_non_null(strstr(out, "challenge: matches the nonce\n"));

    /* without it (optional in IoT-1): the keys say which profile */
    len = iot1_with(NONE, (struct claim){0}, false, token, sizeof(token));
    if (verify(token, len, nonce, sizeof(nonce)) != 0)
        fail_msg("%s", why);
    assert_non_null(strstr(out, "profile: " IAT_PROFILE_PSA_IOT_1 " (by its claim keys"));

    /* no software components, and saying so */
    len = iot1_with(5, (struct claim){IAT_IOT1_NO_SW_COMPONENTS, V_UINT, NULL, 1}, true, token,
                    sizeof(token));
    if (verify(token, len, nonce, sizeof(nonce)) != 0)
        fail_msg("%s", why);
    assert_non_null(strstr(out, "software-components: none"));
}

static void test_verify_refusals(void **st)
{
    static uint8_t token[1024];
    static const struct {
        size_t at;
        struct claim with;
        const char *why;
    } bad[] = {
        /* a key of the other profile among IoT-1's */
        {6, {IAT_NONCE, V_NONCE, NULL, 0}, "mix the keys of two profiles"},
        {1, {IAT_CLIENT_ID, V_INT, NULL, -3}, "mix the keys of two profiles"},
        /* the profile claim names the other profile */
        {0,
         {IAT_IOT1_PROFILE_DEFINITION, V_TEXT, IAT_PROFILE_PSA_2023, 0},
         "the profile is not " IAT_PROFILE_PSA_IOT_1},
        {0, PROFILE_2023, "mix the keys of two profiles"},
        {0, {IAT_IOT1_PROFILE_DEFINITION, V_TEXT, "PSA_IOT_PROFILE_2", 0}, "the profile is not"},
        /* a mandatory claim missing, or of the wrong type */
        {6, {0, V_INT, NULL, 0}, "a mandatory claim is missing"},
        {7, {0, V_INT, NULL, 0}, "a mandatory claim is missing"},
        {5, {0, V_INT, NULL, 0}, "a mandatory claim is missing"},
        {4, {0, V_INT, NULL, 0}, "the boot seed is not 32 bytes"},
        {7, {IAT_IOT1_INSTANCE_ID, V_NONCE, NULL, 0}, "instance id"},
        {2, {IAT_IOT1_SECURITY_LIFECYCLE, V_TEXT, "secured", 0}, "security lifecycle"},
        {5, {IAT_IOT1_NO_SW_COMPONENTS, V_UINT, NULL, 2}, "no-software-components claim is not 1"},
    };
    static const struct claim both_sw[] = {
        PROFILE_IOT1,
        {IAT_IOT1_CLIENT_ID, V_INT, NULL, -3},
        {IAT_IOT1_SECURITY_LIFECYCLE, V_LCS, NULL, 0},
        {IAT_IOT1_IMPLEMENTATION_ID, V_IMPL, NULL, 0},
        {IAT_IOT1_BOOT_SEED, V_SEED, NULL, 0},
        {IAT_IOT1_SW_COMPONENTS, V_SW, NULL, 0},
        {IAT_IOT1_NO_SW_COMPONENTS, V_UINT, NULL, 1},
        {IAT_IOT1_NONCE, V_NONCE, NULL, 0},
        {IAT_IOT1_INSTANCE_ID, V_IID, NULL, 0},
    };
    static const struct claim psa2023_named_iot1[] = {
        {IAT_NONCE, V_NONCE, NULL, 0},
        {IAT_INSTANCE_ID, V_IID, NULL, 0},
        {IAT_PROFILE_DEFINITION, V_TEXT, IAT_PROFILE_PSA_IOT_1, 0},
        {IAT_CLIENT_ID, V_INT, NULL, -3},
        {IAT_SECURITY_LIFECYCLE, V_LCS, NULL, 0},
        {IAT_IMPLEMENTATION_ID, V_IMPL, NULL, 0},
        {IAT_SW_COMPONENTS, V_SW, NULL, 0},
    };
    static const struct claim unknown[] = {{-74999, V_INT, NULL, 1}, {9, V_INT, NULL, 1}};
    size_t len, i;

    (void)st;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        len = iot1_with(bad[i].at, bad[i].with, true, token, sizeof(token));
        if (verify(token, len, NULL, 0) == 0)
            fail_msg("vector %zu verifies:\n%s", i, out);
        if (strstr(why, bad[i].why) == NULL)
            fail_msg("vector %zu: \"%s\", not \"%s\"", i, why, bad[i].why);
        assert_int_equal(out[0], '\0'); /* nothing printed */
    }
    len = token_of(both_sw, sizeof(both_sw) / sizeof(both_sw[0]), token, sizeof(token));
    assert_int_equal(verify(token, len, NULL, 0), -1);
    assert_non_null(strstr(why, "says it has none"));
    len = token_of(psa2023_named_iot1, sizeof(psa2023_named_iot1) / sizeof(psa2023_named_iot1[0]),
                   token, sizeof(token));
    assert_int_equal(verify(token, len, NULL, 0), -1);
    assert_non_null(strstr(why, "the profile is not " IAT_PROFILE_PSA_2023));
    len = token_of(unknown, 2, token, sizeof(token));
    assert_int_equal(verify(token, len, NULL, 0), -1);
    assert_non_null(strstr(why, "no claim of a known profile"));
    /* another challenge */
    len = iot1_with(NONE, (struct claim){0}, true, token, sizeof(token));
    assert_int_equal(verify(token, len, seed, sizeof(seed)), -1);
    assert_non_null(strstr(why, "nonce is not the challenge"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_iot1_token),
        cmocka_unit_test(test_verify_both_profiles),
        cmocka_unit_test(test_verify_refusals),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
