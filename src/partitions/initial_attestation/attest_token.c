/*
 * attest_token.c - the PSA attestation token (attest_claims.h): the claims
 * of the profile this build produces, as a CBOR map with its keys in
 * canonical order, in a COSE_Sign1 signed with ES256 by the attestation key.
 *
 * The profile is chosen when the partition is built, as TF-M chooses it:
 * RFC 9783's by default (TF-M's ATTEST_TOKEN_PROFILE_PSA_2_0_0), which the
 * OTP must name; PSA IoT profile 1 with ATTEST_TOKEN_PROFILE_PSA_IOT_1,
 * which writes its own name as the profile claim whatever the OTP says
 * (psa-spm provisions the OTP with RFC 9783's).
 *
 * Everything but the challenge, the caller and the signature is read once,
 * at start: the key from the OTP goes into Mbed TLS's key store (the local
 * copy is wiped) and never leaves it; the identities and the boot seed are
 * copied; the boot record psa-spm measured is checked, then put in every
 * token as it is, as TF-M puts the bootloader's.
 */
#include <string.h>

#include <psa/crypto.h>

#include "attest.h"
#include "attest_claims.h"
#include "cbor.h"
#include "cose.h"
#include "partix/boot_record.h"
#include "psa/initial_attestation.h"
#include "psa/lifecycle.h"
#include "tfm_plat_otp.h"
#include "tfm_sp_log.h"

#if ATTEST_TOKEN_PROFILE_ARM_CCA
#error "partix produces no Arm CCA platform token: PSA 2.0.0 (default) or PSA IoT 1"
#endif
#if ATTEST_TOKEN_PROFILE_PSA_IOT_1
#define ATTEST_PROFILE IAT_PROFILE_PSA_IOT_1
#else
#define ATTEST_PROFILE IAT_PROFILE_PSA_2023
#endif

static struct {
    psa_key_id_t key;
    bool profile_ok;                          /* this build may produce its profile */
    uint8_t instance_id[IAT_INSTANCE_ID_LEN]; /* 0x01, SHA-256 of the public key */
    uint8_t implementation_id[IAT_IMPLEMENTATION_ID_LEN];
    uint8_t boot_seed[IAT_BOOT_SEED_LEN];
    char profile[65], cert_ref[33], vsi[65]; /* the OTP's text fields, NUL-ended */
    const uint8_t *sw;                       /* the boot record's CBOR array, or NULL */
    size_t sw_len;
} at;

/* A text element of the OTP (NUL-padded there), NUL-ended in @p out. */
static int read_text(enum tfm_otp_element_id_t id, char *out, size_t size)
{
    memset(out, 0, size);
    return tfm_plat_otp_read(id, size - 1, (uint8_t *)out) == TFM_PLAT_ERR_SUCCESS ? 0 : -1;
}

/* The attestation key, from the OTP into Mbed TLS; the instance id. */
static psa_status_t import_key(void)
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    uint8_t iak[32], pub[65];
    uint32_t len = 0, type = 0;
    size_t n;
    psa_status_t st;

    if (tfm_plat_otp_read(PLAT_OTP_ID_IAK_LEN, sizeof(len), (uint8_t *)&len) !=
            TFM_PLAT_ERR_SUCCESS ||
        tfm_plat_otp_read(PLAT_OTP_ID_IAK_TYPE, sizeof(type), (uint8_t *)&type) !=
            TFM_PLAT_ERR_SUCCESS ||
        tfm_plat_otp_read(PLAT_OTP_ID_IAK, sizeof(iak), iak) != TFM_PLAT_ERR_SUCCESS) {
        LOG_ERRFMT("[Attest] no OTP: the manifest must grant PARTIX_OTP READ-ONLY\n");
        return PSA_ERROR_HARDWARE_FAILURE;
    }
    if (len != sizeof(iak) || type != PSA_ECC_FAMILY_SECP_R1) {
        LOG_ERRFMT("[Attest] the OTP's attestation key is not a P-256 key\n");
        return PSA_ERROR_HARDWARE_FAILURE;
    }
    psa_set_key_type(&a, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&a, 256);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_SIGN_MESSAGE);
    psa_set_key_algorithm(&a, PSA_ALG_ECDSA(PSA_ALG_SHA_256));
    st = psa_import_key(&a, iak, sizeof(iak), &at.key);
    explicit_bzero(iak, sizeof(iak));
    if (st != PSA_SUCCESS)
        return st;
    at.instance_id[0] = IAT_UEID_TYPE_RAND;
    if ((st = psa_export_public_key(at.key, pub, sizeof(pub), &n)) != PSA_SUCCESS ||
        (st = psa_hash_compute(PSA_ALG_SHA_256, pub, n, at.instance_id + 1,
                               sizeof(at.instance_id) - 1, &n)) != PSA_SUCCESS)
        return st;
    return PSA_SUCCESS;
}

/* The boot record: one well-formed array of one component or more. */
static void read_boot_record(void)
{
    struct cbor_dec d;
    struct cbor_item it;
    uint32_t count;
    size_t len;
    const uint8_t *rec = partix_boot_record(&len, &count);
    int r = CBOR_ERR_TRUNCATED;

    if (rec == NULL) {
        LOG_ERRFMT("[Attest] no boot record from psa-spm: tokens cannot be made\n");
        return;
    }
    cbor_dec_init(&d, rec, len);
    if ((r = cbor_check(rec, len)) != CBOR_OK || (r = cbor_expect(&d, CBOR_ARRAY, &it)) != 0 ||
        it.u == 0 || it.u != count) {
        LOG_ERRFMT("[Attest] the boot record is not an array of software components (%s)\n",
                   cbor_strerror(r));
        return;
    }
    at.sw = rec;
    at.sw_len = len;
}

psa_status_t attest_token_init(void)
{
    psa_status_t st = psa_crypto_init();

    if (st != PSA_SUCCESS || (st = import_key()) != PSA_SUCCESS) {
        LOG_ERRFMT("[Attest] cannot load the attestation key: %d\n", (int)st);
        return st;
    }
    if (tfm_plat_otp_read(PLAT_OTP_ID_IMPLEMENTATION_ID, sizeof(at.implementation_id),
                          at.implementation_id) != TFM_PLAT_ERR_SUCCESS ||
        tfm_plat_otp_read(PLAT_OTP_ID_BOOT_SEED, sizeof(at.boot_seed), at.boot_seed) !=
            TFM_PLAT_ERR_SUCCESS ||
        read_text(PLAT_OTP_ID_PROFILE_DEFINITION, at.profile, sizeof(at.profile)) < 0 ||
        read_text(PLAT_OTP_ID_CERT_REF, at.cert_ref, sizeof(at.cert_ref)) < 0 ||
        read_text(PLAT_OTP_ID_VERIFICATION_SERVICE_URL, at.vsi, sizeof(at.vsi)) < 0) {
        LOG_ERRFMT("[Attest] cannot read the device's identities from the OTP\n");
        return PSA_ERROR_HARDWARE_FAILURE;
    }
#if ATTEST_TOKEN_PROFILE_PSA_IOT_1
    at.profile_ok = true;
    if (strcmp(at.profile, ATTEST_PROFILE) != 0)
        LOG_INFFMT("[Attest] this build produces " ATTEST_PROFILE " tokens; the OTP's profile "
                   "\"%s\" is not used\n",
                   at.profile);
#else
    at.profile_ok = strcmp(at.profile, ATTEST_PROFILE) == 0;
    if (!at.profile_ok)
        LOG_ERRFMT("[Attest] the OTP names the profile \"%s\"; this build produces "
                   "\"" ATTEST_PROFILE "\" only%s\n",
                   at.profile,
                   strcmp(at.profile, IAT_PROFILE_PSA_IOT_1) == 0
                       ? " (make ATTEST_TOKEN_PROFILE_PSA_IOT_1=ON builds PSA IoT 1)"
                       : "");
#endif
    read_boot_record();
    if (at.profile_ok && at.sw != NULL)
        LOG_INFFMT("[Attest] ready: profile " ATTEST_PROFILE "\n");
    return PSA_SUCCESS;
}

#if ATTEST_TOKEN_PROFILE_PSA_IOT_1
/* The claims map of PSA IoT 1: keys in canonical order (RFC 8949 section
 * 4.2.1: -75000 is encoded first, then -75001, ...), the nonce and the
 * instance id last. */
static void put_claims(struct cbor_enc *e, const uint8_t *challenge, size_t challenge_len,
                       int32_t client_id)
{
    size_t cert_len = strlen(at.cert_ref), vsi_len = strlen(at.vsi);

    cbor_put_map(e, 8 + (cert_len != 0) + (vsi_len != 0));
    cbor_put_int(e, IAT_IOT1_PROFILE_DEFINITION);
    cbor_put_tstr(e, ATTEST_PROFILE, strlen(ATTEST_PROFILE));
    cbor_put_int(e, IAT_IOT1_CLIENT_ID);
    cbor_put_int(e, client_id);
    cbor_put_int(e, IAT_IOT1_SECURITY_LIFECYCLE);
    cbor_put_uint(e, psa_rot_lifecycle_state());
    cbor_put_int(e, IAT_IOT1_IMPLEMENTATION_ID);
    cbor_put_bstr(e, at.implementation_id, sizeof(at.implementation_id));
    cbor_put_int(e, IAT_IOT1_BOOT_SEED);
    cbor_put_bstr(e, at.boot_seed, sizeof(at.boot_seed));
    if (cert_len != 0) {
        cbor_put_int(e, IAT_IOT1_CERTIFICATION_REFERENCE);
        cbor_put_tstr(e, at.cert_ref, cert_len);
    }
    cbor_put_int(e, IAT_IOT1_SW_COMPONENTS);
    cbor_put_raw(e, at.sw, at.sw_len);
    cbor_put_int(e, IAT_IOT1_NONCE);
    cbor_put_bstr(e, challenge, challenge_len);
    cbor_put_int(e, IAT_IOT1_INSTANCE_ID);
    cbor_put_bstr(e, at.instance_id, sizeof(at.instance_id));
    if (vsi_len != 0) {
        cbor_put_int(e, IAT_IOT1_VERIFICATION_SERVICE);
        cbor_put_tstr(e, at.vsi, vsi_len);
    }
}
#else
/* The claims map of RFC 9783: keys in canonical order (RFC 8949 section
 * 4.2.1), as attest_claims.h lists them. */
static void put_claims(struct cbor_enc *e, const uint8_t *challenge, size_t challenge_len,
                       int32_t client_id)
{
    size_t cert_len = strlen(at.cert_ref), vsi_len = strlen(at.vsi);

    cbor_put_map(e, 8 + (cert_len != 0) + (vsi_len != 0));
    cbor_put_uint(e, IAT_NONCE);
    cbor_put_bstr(e, challenge, challenge_len);
    cbor_put_uint(e, IAT_INSTANCE_ID);
    cbor_put_bstr(e, at.instance_id, sizeof(at.instance_id));
    cbor_put_uint(e, IAT_PROFILE_DEFINITION);
    cbor_put_tstr(e, ATTEST_PROFILE, strlen(ATTEST_PROFILE));
    cbor_put_uint(e, IAT_BOOT_SEED);
    cbor_put_bstr(e, at.boot_seed, sizeof(at.boot_seed));
    cbor_put_uint(e, IAT_CLIENT_ID);
    cbor_put_int(e, client_id);
    cbor_put_uint(e, IAT_SECURITY_LIFECYCLE);
    cbor_put_uint(e, psa_rot_lifecycle_state());
    cbor_put_uint(e, IAT_IMPLEMENTATION_ID);
    cbor_put_bstr(e, at.implementation_id, sizeof(at.implementation_id));
    if (cert_len != 0) {
        cbor_put_uint(e, IAT_CERTIFICATION_REFERENCE);
        cbor_put_tstr(e, at.cert_ref, cert_len);
    }
    cbor_put_uint(e, IAT_SW_COMPONENTS);
    cbor_put_raw(e, at.sw, at.sw_len);
    if (vsi_len != 0) {
        cbor_put_uint(e, IAT_VERIFICATION_SERVICE);
        cbor_put_tstr(e, at.vsi, vsi_len);
    }
}
#endif

psa_status_t attest_token(const uint8_t *challenge, size_t challenge_len, int32_t client_id,
                          uint8_t *out, size_t cap, size_t *len)
{
    /* the payload, then what is signed: static, the partition's stack is small */
    static uint8_t payload[PSA_INITIAL_ATTEST_MAX_TOKEN_SIZE];
    static uint8_t tbs[PSA_INITIAL_ATTEST_MAX_TOKEN_SIZE + 64];
    uint8_t sig[COSE_ES256_SIG_LEN];
    struct cbor_enc e;
    size_t plen, tlen, slen;
    psa_status_t st;

    if (!at.profile_ok)
        return PSA_ERROR_NOT_SUPPORTED;
    if (at.sw == NULL)
        return PSA_ERROR_GENERIC_ERROR; /* TF-M's answer when a claim is unavailable */
    cbor_enc_init(&e, payload, sizeof(payload));
    put_claims(&e, challenge, challenge_len, client_id);
    if (cbor_enc_finish(&e, &plen) != CBOR_OK)
        return PSA_ERROR_SERVICE_FAILURE; /* cannot be: the boot record is bounded */
    /* the size first: a token that will not fit is not signed */
    memset(sig, 0, sizeof(sig));
    cbor_enc_init(&e, NULL, 0);
    cose_sign1_encode(&e, cose_es256_protected, sizeof(cose_es256_protected), NULL, 0, payload,
                      plen, sig, sizeof(sig));
    cbor_enc_finish(&e, len);
    if (out == NULL)
        return PSA_SUCCESS;
    if (*len > cap)
        return PSA_ERROR_BUFFER_TOO_SMALL;
    cbor_enc_init(&e, tbs, sizeof(tbs));
    cose_sig_structure(&e, cose_es256_protected, sizeof(cose_es256_protected), payload, plen);
    if (cbor_enc_finish(&e, &tlen) != CBOR_OK)
        return PSA_ERROR_SERVICE_FAILURE;
    st = psa_sign_message(at.key, PSA_ALG_ECDSA(PSA_ALG_SHA_256), tbs, tlen, sig, sizeof(sig),
                          &slen);
    if (st != PSA_SUCCESS || slen != sizeof(sig)) {
        LOG_ERRFMT("[Attest] signing failed: %d\n", (int)st);
        return PSA_ERROR_SERVICE_FAILURE;
    }
    cbor_enc_init(&e, out, cap);
    cose_sign1_encode(&e, cose_es256_protected, sizeof(cose_es256_protected), NULL, 0, payload,
                      plen, sig, sizeof(sig));
    return cbor_enc_finish(&e, len) == CBOR_OK ? PSA_SUCCESS : PSA_ERROR_SERVICE_FAILURE;
}
