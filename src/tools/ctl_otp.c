/*
 * ctl_otp.c - "partix-ctl otp show|pubkey|provision": reads and programs
 * the simulated OTP of a state directory (otp_file.c), as a device's
 * provisioning station would.  Fuse semantics: provisioning only sets what
 * is unset, and the lifecycle state only moves forward (its bits are only
 * ever set).  Programming takes the state directory's lock, so never under
 * a running psa-spm.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <psa/crypto.h>

#include "ctl.h"
#include "otp_file.h"
#include "spm.h"

static void put_hex(FILE *f, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%02x", p[i]);
    fputc('\n', f);
}

static int parse_hex(const char *s, uint8_t *out, size_t n)
{
    if (strlen(s) != 2 * n)
        return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned v;

        if (sscanf(s + 2 * i, "%2x", &v) != 1 || !isxdigit((unsigned char)s[2 * i]) ||
            !isxdigit((unsigned char)s[2 * i + 1]))
            return -1;
        out[i] = (uint8_t)v;
    }
    return 0;
}

/* The PSA instance id: 0x01 (a random UEID) then SHA-256 of the public key. */
static int instance_id(const struct partix_otp *o, uint8_t id[33])
{
    size_t n;

    id[0] = 0x01;
    return psa_crypto_init() == PSA_SUCCESS &&
                   psa_hash_compute(PSA_ALG_SHA_256, o->iak_pub, PARTIX_OTP_IAK_PUB_LEN, id + 1, 32,
                                    &n) == PSA_SUCCESS
               ? 0
               : -1;
}

static void show(const char *path, const struct partix_otp *o)
{
    uint8_t id[33];
    int i = otp_lcs_index(o->lcs);

    printf("otp: %s\n", path);
    printf("lifecycle: %s (0x%x)\n", otp_lcs_names[i].name, (unsigned)o->lcs);
    printf("implementation-id: ");
    put_hex(stdout, o->implementation_id, sizeof(o->implementation_id));
    if (instance_id(o, id) == 0) {
        printf("instance-id: ");
        put_hex(stdout, id, sizeof(id));
    }
    printf("iak-id: %.32s\n", (const char *)o->iak_id);
    printf("iak-public-key: ");
    put_hex(stdout, o->iak_pub, PARTIX_OTP_IAK_PUB_LEN);
    printf("cert-ref: %.32s\n", (const char *)o->cert_ref);
    printf("verification-service-url: %.64s\n", (const char *)o->verification_service_url);
    printf("profile: %.64s\n", (const char *)o->profile_definition);
}

/* The attestation public key as PEM (SubjectPublicKeyInfo), for verifiers. */
static int print_pem(const struct partix_otp *o)
{
    mbedtls_pk_context pk;
    unsigned char pem[512];
    int rc;

    mbedtls_pk_init(&pk);
    rc = mbedtls_pk_setup(&pk, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY));
    if (rc == 0)
        rc = mbedtls_ecp_group_load(&mbedtls_pk_ec(pk)->grp, MBEDTLS_ECP_DP_SECP256R1);
    if (rc == 0)
        rc = mbedtls_ecp_point_read_binary(&mbedtls_pk_ec(pk)->grp, &mbedtls_pk_ec(pk)->Q,
                                           o->iak_pub, PARTIX_OTP_IAK_PUB_LEN);
    if (rc == 0)
        rc = mbedtls_pk_write_pubkey_pem(&pk, pem, sizeof(pem));
    mbedtls_pk_free(&pk);
    if (rc != 0) {
        fprintf(stderr, "partix-ctl otp: cannot encode the public key (Mbed TLS -0x%04x)\n",
                (unsigned)-rc);
        return 1;
    }
    fputs((const char *)pem, stdout);
    return 0;
}

static int set_text(const char *opt, uint8_t *field, size_t size, const char *value)
{
    size_t i;

    for (i = 0; i < size && field[i] == 0; i++)
        ;
    if (i < size) {
        fprintf(stderr, "partix-ctl otp provision: %s is already programmed (%.*s)\n", opt,
                (int)size, (const char *)field);
        return -1;
    }
    if (strlen(value) >= size || value[0] == '\0') {
        fprintf(stderr, "partix-ctl otp provision: %s: 1 to %zu characters\n", opt, size - 1);
        return -1;
    }
    memcpy(field, value, strlen(value));
    return 0;
}

/* RFC 9783's certification reference, as psa-attest checks it: an EAN-13
 * ("[0-9]{13}"), or an EAN-13+5 ("[0-9]{13}-[0-9]{5}"). */
static bool cert_ref_ok(const char *s)
{
    size_t n = strlen(s);

    if (n != 13 && n != 19)
        return false;
    for (size_t i = 0; i < n; i++)
        if (i == 13 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
            return false;
    return true;
}

/* A URL as RFC 3986 writes it: visible ASCII only.  Anything else (a byte
 * that is not UTF-8, above all) would make every token's
 * verification-service claim text psa-attest refuses. */
static bool url_ok(const char *s)
{
    for (; *s != '\0'; s++)
        if (*s < 0x21 || *s > 0x7e)
            return false;
    return true;
}

static void otp_usage(FILE *f)
{
    fputs("usage: partix-ctl otp show [--state-dir DIR]\n"
          "       partix-ctl otp pubkey [--state-dir DIR]     (the attestation key, PEM)\n"
          "       partix-ctl otp provision [--state-dir DIR] [--lifecycle STATE]\n"
          "               [--implementation-id HEX64] [--cert-ref EAN13[-NNNNN]]\n"
          "               [--verification-service-url URL]\n"
          "  STATE: assembly-and-test, psa-rot-provisioning, secured, decommissioned\n"
          "  (forward only).  The implementation id is set only when the OTP is made;\n"
          "  text fields only while unset.  psa-spm reads the OTP when it starts.\n",
          f);
}

int ctl_otp_command(int argc, char **argv, const char *default_state)
{
    enum { O_STATE = 256, O_LCS, O_IMPL, O_CERT, O_URL };
    static const struct option opts[] = {
        {"state-dir", required_argument, NULL, O_STATE},
        {"lifecycle", required_argument, NULL, O_LCS},
        {"implementation-id", required_argument, NULL, O_IMPL},
        {"cert-ref", required_argument, NULL, O_CERT},
        {"verification-service-url", required_argument, NULL, O_URL},
        {NULL, 0, NULL, 0},
    };
    const char *state = default_state, *lcs = NULL, *cert = NULL, *url = NULL, *verb;
    uint8_t impl[32];
    bool have_impl = false;
    struct partix_otp o;
    char path[PATH_MAX];
    int ch, r, want = -1;

    if (argc < 3) {
        otp_usage(stderr);
        return 2;
    }
    verb = argv[2];
    optind = 3;
    while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (ch) {
        case O_STATE:
            state = optarg;
            break;
        case O_LCS:
            lcs = optarg;
            break;
        case O_IMPL:
            if (parse_hex(optarg, impl, sizeof(impl)) < 0) {
                fprintf(stderr, "partix-ctl otp: --implementation-id: 64 hex digits\n");
                return 2;
            }
            have_impl = true;
            break;
        case O_CERT:
            cert = optarg;
            break;
        case O_URL:
            url = optarg;
            break;
        default:
            otp_usage(stderr);
            return 2;
        }
    }
    if (optind != argc || state == NULL ||
        (strcmp(verb, "provision") != 0 && (lcs || have_impl || cert || url)) ||
        otp_path(state, path, sizeof(path)) < 0) {
        otp_usage(stderr);
        return 2;
    }
    if (cert != NULL && !cert_ref_ok(cert)) {
        fprintf(stderr, "partix-ctl otp: --cert-ref: 13 digits, or 13 digits, '-' and 5 digits "
                        "(an EAN-13 or EAN-13+5, as the attestation token carries it)\n");
        return 2;
    }
    if (url != NULL && !url_ok(url)) {
        fprintf(stderr, "partix-ctl otp: --verification-service-url: visible ASCII characters "
                        "only (a URL)\n");
        return 2;
    }
    for (size_t i = 0; lcs != NULL && i < otp_n_lcs; i++)
        if (strcmp(lcs, otp_lcs_names[i].name) == 0)
            want = (int)i;
    if (lcs != NULL && want < 0) {
        fprintf(stderr, "partix-ctl otp: '%s' is not a lifecycle state the OTP holds\n", lcs);
        return 2;
    }
    /* a write under a running daemon would be lost, or half seen, by it */
    if (strcmp(verb, "provision") == 0 && spm_state_lock(state, "partix-ctl otp") < 0)
        return 1;
    r = otp_read(path, &o);
    if (r < 0)
        return 1;
    if (strcmp(verb, "show") == 0 || strcmp(verb, "pubkey") == 0) {
        if (r == 1) {
            fprintf(stderr,
                    "partix-ctl otp: %s: not provisioned yet (partix-ctl otp provision, or "
                    "start psa-spm)\n",
                    path);
            return 1;
        }
        if (strcmp(verb, "pubkey") == 0)
            return print_pem(&o);
        show(path, &o);
        return 0;
    }
    if (strcmp(verb, "provision") != 0) {
        otp_usage(stderr);
        return 2;
    }
    if (r == 1) {
        if (otp_generate(&o, want < 0 ? PARTIX_OTP_LCS_SECURED : otp_lcs_names[want].lcs,
                         have_impl ? impl : NULL) < 0)
            return 1;
        if (cert != NULL) /* instead of the default */
            memset(o.cert_ref, 0, sizeof(o.cert_ref));
    } else {
        if (have_impl) {
            fprintf(stderr, "partix-ctl otp provision: the implementation id is already "
                            "programmed\n");
            return 1;
        }
        if (want >= 0 && (o.lcs & otp_lcs_names[want].lcs) != o.lcs) {
            fprintf(stderr,
                    "partix-ctl otp provision: the lifecycle cannot go back from %s to %s "
                    "(OTP bits are only ever set)\n",
                    otp_lcs_names[otp_lcs_index(o.lcs)].name, otp_lcs_names[want].name);
            return 1;
        }
        if (want >= 0)
            o.lcs = otp_lcs_names[want].lcs;
    }
    if ((cert != NULL && set_text("--cert-ref", o.cert_ref, sizeof(o.cert_ref), cert) < 0) ||
        (url != NULL && set_text("--verification-service-url", o.verification_service_url,
                                 sizeof(o.verification_service_url), url) < 0))
        return 1;
    otp_seal(&o);
    if (otp_write(state, path, &o) < 0)
        return 1;
    show(path, &o);
    explicit_bzero(&o, sizeof(o));
    return 0;
}
