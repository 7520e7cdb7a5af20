/*
 * attest_verify.c - psa-attest verify: the COSE_Sign1 envelope decoded
 * strictly (src/cbor/), its ES256 signature checked with Mbed TLS's PSA API
 * against the given public key, then every claim of the profile checked
 * for type and size and printed.  Nothing is printed from a token whose
 * signature does not verify.
 *
 * Two profiles (attest_claims.h): RFC 9783's and PSA IoT profile 1.  The
 * claim keys say which a token follows (a token that mixes them is
 * refused); its profile claim must then name that profile (IoT-1 made it
 * optional: without it, the keys alone decide).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <mbedtls/ecp.h>
#include <mbedtls/pk.h>
#include <psa/crypto.h>

#include "attest_claims.h"
#include "attest_verify.h"
#include "cbor.h"
#include "cose.h"

struct bytes {
    const uint8_t *p;
    size_t n;
};

/* What a claim means, whatever its key in either profile. */
enum claim {
    CL_NONCE,
    CL_INSTANCE_ID,
    CL_PROFILE,
    CL_BOOT_SEED,
    CL_CLIENT_ID,
    CL_LIFECYCLE,
    CL_IMPLEMENTATION_ID,
    CL_CERT_REF,
    CL_SW,
    CL_NO_SW,
    CL_VSI,
    CL_COUNT
};

/* Each profile's key for each claim (0: the profile has none); IoT-1 made
 * its profile claim optional and its boot seed mandatory, of 32 bytes. */
static const struct profile {
    const char *name;
    bool profile_optional;
    size_t boot_seed_len; /* 0: optional, 8 to 32 bytes */
    int64_t key[CL_COUNT];
} profiles[] = {
    {IAT_PROFILE_PSA_2023,
     false,
     0,
     {
         [CL_NONCE] = IAT_NONCE,
         [CL_INSTANCE_ID] = IAT_INSTANCE_ID,
         [CL_PROFILE] = IAT_PROFILE_DEFINITION,
         [CL_BOOT_SEED] = IAT_BOOT_SEED,
         [CL_CLIENT_ID] = IAT_CLIENT_ID,
         [CL_LIFECYCLE] = IAT_SECURITY_LIFECYCLE,
         [CL_IMPLEMENTATION_ID] = IAT_IMPLEMENTATION_ID,
         [CL_CERT_REF] = IAT_CERTIFICATION_REFERENCE,
         [CL_SW] = IAT_SW_COMPONENTS,
         [CL_VSI] = IAT_VERIFICATION_SERVICE,
     }},
    {IAT_PROFILE_PSA_IOT_1,
     true,
     IAT_BOOT_SEED_LEN,
     {
         [CL_NONCE] = IAT_IOT1_NONCE,
         [CL_INSTANCE_ID] = IAT_IOT1_INSTANCE_ID,
         [CL_PROFILE] = IAT_IOT1_PROFILE_DEFINITION,
         [CL_BOOT_SEED] = IAT_IOT1_BOOT_SEED,
         [CL_CLIENT_ID] = IAT_IOT1_CLIENT_ID,
         [CL_LIFECYCLE] = IAT_IOT1_SECURITY_LIFECYCLE,
         [CL_IMPLEMENTATION_ID] = IAT_IOT1_IMPLEMENTATION_ID,
         [CL_CERT_REF] = IAT_IOT1_CERTIFICATION_REFERENCE,
         [CL_SW] = IAT_IOT1_SW_COMPONENTS,
         [CL_NO_SW] = IAT_IOT1_NO_SW_COMPONENTS,
         [CL_VSI] = IAT_IOT1_VERIFICATION_SERVICE,
     }},
};
#define N_PROFILES (sizeof(profiles) / sizeof(profiles[0]))

struct claims {
    struct bytes nonce, instance_id, implementation_id, boot_seed, profile, cert_ref, vsi;
    struct bytes sw; /* the software components' array, as encoded */
    int64_t client_id;
    uint64_t lifecycle;
    bool have_client_id, have_lifecycle, no_sw, profile_by_keys;
    const struct profile *by_keys; /* the profile whose keys the token uses */
    unsigned others;               /* claims of no meaning to that profile */
};

static int fail(char *why, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
    return -1;
}

#define FAIL(...) return fail(why, why_size, __VA_ARGS__)

/* The PEM public key into Mbed TLS's key store, for ES256 verification. */
static int load_key(const char *pem, psa_key_id_t *key, char *why, size_t why_size)
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    mbedtls_pk_context pk;
    uint8_t pub[65];
    size_t n = 0;
    int rc;

    mbedtls_pk_init(&pk);
    rc = mbedtls_pk_parse_public_key(&pk, (const unsigned char *)pem, strlen(pem) + 1);
    if (rc == 0 && (mbedtls_pk_get_type(&pk) != MBEDTLS_PK_ECKEY ||
                    mbedtls_pk_ec(pk)->grp.id != MBEDTLS_ECP_DP_SECP256R1))
        rc = 1;
    if (rc == 0)
        rc = mbedtls_ecp_point_write_binary(&mbedtls_pk_ec(pk)->grp, &mbedtls_pk_ec(pk)->Q,
                                            MBEDTLS_ECP_PF_UNCOMPRESSED, &n, pub, sizeof(pub));
    mbedtls_pk_free(&pk);
    if (rc == 1)
        FAIL("the key is not a P-256 public key");
    if (rc != 0)
        FAIL("the key is not a PEM public key (Mbed TLS -0x%04x)", (unsigned)-rc);
    psa_set_key_type(&a, PSA_KEY_TYPE_ECC_PUBLIC_KEY(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_bits(&a, 256);
    psa_set_key_usage_flags(&a, PSA_KEY_USAGE_VERIFY_MESSAGE);
    psa_set_key_algorithm(&a, PSA_ALG_ECDSA(PSA_ALG_SHA_256));
    if (psa_crypto_init() != PSA_SUCCESS || psa_import_key(&a, pub, n, key) != PSA_SUCCESS)
        FAIL("Mbed TLS refuses the key");
    return 0;
}

/* The ES256 signature over the Sig_structure. */
static int check_signature(const struct cose_sign1 *s, const char *pem, char *why, size_t why_size)
{
    psa_key_id_t key = 0;
    struct cbor_enc e;
    uint8_t *tbs;
    size_t n;
    psa_status_t st;

    if (load_key(pem, &key, why, why_size) < 0)
        return -1;
    cbor_enc_init(&e, NULL, 0);
    cose_sig_structure(&e, s->prot, s->prot_len, s->payload, s->payload_len);
    tbs = malloc(e.len);
    if (tbs == NULL) {
        psa_destroy_key(key);
        FAIL("out of memory");
    }
    cbor_enc_init(&e, tbs, e.len);
    cose_sig_structure(&e, s->prot, s->prot_len, s->payload, s->payload_len);
    cbor_enc_finish(&e, &n);
    st = psa_verify_message(key, PSA_ALG_ECDSA(PSA_ALG_SHA_256), tbs, n, s->sig, s->sig_len);
    free(tbs);
    psa_destroy_key(key);
    if (st == PSA_ERROR_INVALID_SIGNATURE)
        FAIL("signature does not verify (not signed by this key, or changed since)");
    if (st != PSA_SUCCESS)
        FAIL("cannot check the signature (PSA status %d)", (int)st);
    return 0;
}

static bool hash_size(uint64_t n)
{
    return n == 32 || n == 48 || n == 64;
}

/* One software component: a map with a measurement value and a signer id. */
static int check_component(struct cbor_dec *d, uint64_t idx, char *why, size_t why_size)
{
    struct cbor_item m, k, v;
    bool value = false, signer = false;
    int64_t key;
    uint64_t i;

    if (cbor_expect(d, CBOR_MAP, &m) != CBOR_OK)
        FAIL("software component %llu is not a map", (unsigned long long)idx);
    for (i = 0; i < m.u; i++) {
        if (cbor_next(d, &k) != CBOR_OK || cbor_item_int(&k, &key) != CBOR_OK ||
            cbor_next(d, &v) != CBOR_OK)
            FAIL("software component %llu has a key that is not an integer",
                 (unsigned long long)idx);
        switch (key) {
        case IAT_SW_COMPONENT_MEASUREMENT_TYPE:
        case IAT_SW_COMPONENT_VERSION:
        case IAT_SW_COMPONENT_MEASUREMENT_DESC:
            if (v.type != CBOR_TSTR)
                FAIL("software component %llu: key %lld is not text", (unsigned long long)idx,
                     (long long)key);
            break;
        case IAT_SW_COMPONENT_MEASUREMENT_VALUE:
        case IAT_SW_COMPONENT_SIGNER_ID:
            if (v.type != CBOR_BSTR || !hash_size(v.u))
                FAIL("software component %llu: key %lld is not a 32-, 48- or 64-byte hash",
                     (unsigned long long)idx, (long long)key);
            value |= key == IAT_SW_COMPONENT_MEASUREMENT_VALUE;
            signer |= key == IAT_SW_COMPONENT_SIGNER_ID;
            break;
        default:
            FAIL("software component %llu has an unknown key %lld", (unsigned long long)idx,
                 (long long)key);
        }
    }
    if (!value || !signer)
        FAIL("software component %llu lacks its %s", (unsigned long long)idx,
             value ? "signer id" : "measurement value");
    return 0;
}

static int check_components(struct cbor_dec *d, const struct cbor_item *arr, struct claims *c,
                            char *why, size_t why_size)
{
    uint64_t i;

    if (arr->type != CBOR_ARRAY || arr->u == 0)
        FAIL("the software components are not an array of one or more");
    for (i = 0; i < arr->u; i++)
        if (check_component(d, i, why, why_size) < 0)
            return -1;
    c->sw.p = arr->at;
    c->sw.n = (size_t)(d->p - arr->at);
    return 0;
}

/* "[0-9]{13}", optionally "-[0-9]{5}": an EAN-13, or EAN-13+5. */
static bool cert_ref_ok(const uint8_t *s, size_t n)
{
    size_t i;

    if (n != 13 && n != 19)
        return false;
    for (i = 0; i < n; i++)
        if (i == 13 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return false;
    return true;
}

static int read_claim(struct cbor_dec *d, enum claim cl, int64_t key, struct claims *c, char *why,
                      size_t why_size)
{
    struct cbor_item v;
    struct bytes b;

    if (cbor_next(d, &v) != CBOR_OK)
        FAIL("claim %lld is malformed", (long long)key);
    b.p = v.ptr;
    b.n = (size_t)v.u;
    switch (cl) {
    case CL_NONCE:
        if (v.type != CBOR_BSTR || !hash_size(v.u))
            FAIL("the nonce is not 32, 48 or 64 bytes");
        c->nonce = b;
        return 0;
    case CL_INSTANCE_ID:
        if (v.type != CBOR_BSTR || v.u != IAT_INSTANCE_ID_LEN || v.ptr[0] != IAT_UEID_TYPE_RAND)
            FAIL("the instance id is not 33 bytes starting 0x01");
        c->instance_id = b;
        return 0;
    case CL_PROFILE:
        if (v.type != CBOR_TSTR)
            FAIL("the profile is not text");
        c->profile = b;
        return 0;
    case CL_BOOT_SEED:
        if (v.type != CBOR_BSTR || v.u < 8 || v.u > 32)
            FAIL("the boot seed is not 8 to 32 bytes");
        c->boot_seed = b;
        return 0;
    case CL_CLIENT_ID:
        if (cbor_item_int(&v, &c->client_id) != CBOR_OK || c->client_id < INT32_MIN ||
            c->client_id > INT32_MAX)
            FAIL("the client id is not a 32-bit integer");
        c->have_client_id = true;
        return 0;
    case CL_LIFECYCLE:
        /* a PSA state in the high byte, 0x00 to 0x60 */
        if (v.type != CBOR_UINT || v.u > 0x60ff || (v.u & 0xfff) > 0xff)
            FAIL("the security lifecycle is not a PSA state");
        c->lifecycle = v.u;
        c->have_lifecycle = true;
        return 0;
    case CL_IMPLEMENTATION_ID:
        if (v.type != CBOR_BSTR || v.u != IAT_IMPLEMENTATION_ID_LEN)
            FAIL("the implementation id is not 32 bytes");
        c->implementation_id = b;
        return 0;
    case CL_CERT_REF:
        if (v.type != CBOR_TSTR || !cert_ref_ok(v.ptr, b.n))
            FAIL("the certification reference is not an EAN-13 or EAN-13+5");
        c->cert_ref = b;
        return 0;
    case CL_SW:
        return check_components(d, &v, c, why, why_size);
    case CL_NO_SW:
        if (v.type != CBOR_UINT || v.u != IAT_IOT1_NO_SW_COMPONENTS_VALUE)
            FAIL("the no-software-components claim is not 1");
        c->no_sw = true;
        return 0;
    case CL_VSI:
        if (v.type != CBOR_TSTR || v.u == 0)
            FAIL("the verification service is not a non-empty text");
        c->vsi = b;
        return 0;
    default:
        c->others++;
        return cbor_skip_rest(d, &v) == CBOR_OK ? 0 : fail(why, why_size, "claim malformed");
    }
}

/* The claim @p key means in a profile, that profile in *p; CL_COUNT if none. */
static enum claim claim_of(int64_t key, const struct profile **p)
{
    size_t i;
    int cl;

    for (i = 0; i < N_PROFILES; i++)
        for (cl = 0; cl < CL_COUNT; cl++)
            if (profiles[i].key[cl] != 0 && profiles[i].key[cl] == key) {
                *p = &profiles[i];
                return (enum claim)cl;
            }
    return CL_COUNT;
}

static bool text_is(struct bytes b, const char *s)
{
    return b.n == strlen(s) && memcmp(b.p, s, b.n) == 0;
}

static int check_claims(const struct cose_sign1 *s, struct claims *c, char *why, size_t why_size)
{
    struct cbor_dec d;
    struct cbor_item m, k;
    const struct profile *p = NULL;
    enum claim cl;
    int64_t key;
    uint64_t i;
    int r = cbor_check(s->payload, s->payload_len);

    memset(c, 0, sizeof(*c));
    if (r != CBOR_OK)
        FAIL("the payload is not one well-formed CBOR item: %s", cbor_strerror(r));
    cbor_dec_init(&d, s->payload, s->payload_len);
    if (cbor_expect(&d, CBOR_MAP, &m) != CBOR_OK)
        FAIL("the payload is not a map of claims");
    for (i = 0; i < m.u; i++) {
        if (cbor_next(&d, &k) != CBOR_OK)
            FAIL("a claim's key is malformed");
        if (cbor_item_int(&k, &key) != CBOR_OK) {
            c->others++; /* EAT allows text keys; neither profile has any */
            if (cbor_skip_rest(&d, &k) != CBOR_OK || cbor_skip(&d) != CBOR_OK)
                FAIL("a claim is malformed");
            continue;
        }
        cl = claim_of(key, &p);
        if (cl != CL_COUNT && c->by_keys != NULL && c->by_keys != p)
            FAIL("the claims mix the keys of two profiles (%s and %s)", c->by_keys->name, p->name);
        if (cl != CL_COUNT)
            c->by_keys = p;
        if (read_claim(&d, cl, key, c, why, why_size) < 0)
            return -1;
    }
    if (c->by_keys == NULL)
        FAIL("no claim of a known profile (%s, %s)", IAT_PROFILE_PSA_2023, IAT_PROFILE_PSA_IOT_1);
    p = c->by_keys;
    if (p->profile_optional && c->profile.p == NULL) {
        c->profile.p = (const uint8_t *)p->name;
        c->profile.n = strlen(p->name);
        c->profile_by_keys = true;
    }
    if (c->profile.p == NULL || !text_is(c->profile, p->name))
        FAIL("the profile is not %s, whose claim keys the token uses", p->name);
    if (c->nonce.p == NULL || c->instance_id.p == NULL || c->implementation_id.p == NULL ||
        !c->have_client_id || !c->have_lifecycle || (c->sw.p == NULL && !c->no_sw))
        FAIL("a mandatory claim is missing (nonce, instance id, implementation id, client id, "
             "security lifecycle or software components)");
    if (c->sw.p != NULL && c->no_sw)
        FAIL("the token has software components and says it has none");
    if (p->boot_seed_len != 0 && c->boot_seed.n != p->boot_seed_len)
        FAIL("the boot seed is not %zu bytes (%s requires it)", p->boot_seed_len, p->name);
    return 0;
}

static void put_hex(FILE *out, const char *name, struct bytes b)
{
    fprintf(out, "%s: ", name);
    for (size_t i = 0; i < b.n; i++)
        fprintf(out, "%02x", b.p[i]);
    fputc('\n', out);
}

static const char *lifecycle_name(uint64_t v)
{
    static const char *const names[] = {
        "unknown",           "assembly-and-test",         "psa-rot-provisioning", "secured",
        "non-psa-rot-debug", "recoverable-psa-rot-debug", "decommissioned"};

    return names[(v >> 12) & 0x7];
}

/* The software components, walked again: they were checked. */
static void print_components(FILE *out, struct bytes sw)
{
    struct cbor_dec d;
    struct cbor_item arr, m, k, v;
    uint64_t i, j;

    cbor_dec_init(&d, sw.p, sw.n);
    cbor_next(&d, &arr);
    fprintf(out, "software-components: %llu\n", (unsigned long long)arr.u);
    for (i = 0; i < arr.u; i++) {
        cbor_next(&d, &m);
        for (j = 0; j < m.u; j++) {
            const char *name = "measurement-type";

            cbor_next(&d, &k);
            cbor_next(&d, &v);
            switch (k.u) {
            case IAT_SW_COMPONENT_MEASUREMENT_VALUE:
                name = "measurement-value";
                break;
            case IAT_SW_COMPONENT_VERSION:
                name = "version";
                break;
            case IAT_SW_COMPONENT_SIGNER_ID:
                name = "signer-id";
                break;
            case IAT_SW_COMPONENT_MEASUREMENT_DESC:
                name = "measurement-description";
                break;
            }
            fputs(j == 0 ? "  - " : "    ", out);
            if (v.type == CBOR_TSTR)
                fprintf(out, "%s: %.*s\n", name, (int)v.u, (const char *)v.ptr);
            else
                put_hex(out, name, (struct bytes){v.ptr, (size_t)v.u});
        }
    }
}

static void print_claims(FILE *out, const struct cose_sign1 *s, const struct claims *c)
{
    fprintf(out, "signature: verifies (COSE_Sign1, ES256%s)\n", s->kid ? ", with a key id" : "");
    fprintf(out, "profile: %.*s%s\n", (int)c->profile.n, (const char *)c->profile.p,
            c->profile_by_keys ? " (by its claim keys: no profile claim)" : "");
    put_hex(out, "nonce", c->nonce);
    put_hex(out, "instance-id", c->instance_id);
    put_hex(out, "implementation-id", c->implementation_id);
    fprintf(out, "client-id: %lld\n", (long long)c->client_id);
    fprintf(out, "security-lifecycle: %s (0x%04llx)\n", lifecycle_name(c->lifecycle),
            (unsigned long long)c->lifecycle);
    if (c->boot_seed.p != NULL)
        put_hex(out, "boot-seed", c->boot_seed);
    if (c->cert_ref.p != NULL)
        fprintf(out, "certification-reference: %.*s\n", (int)c->cert_ref.n,
                (const char *)c->cert_ref.p);
    if (c->vsi.p != NULL)
        fprintf(out, "verification-service: %.*s\n", (int)c->vsi.n, (const char *)c->vsi.p);
    if (c->no_sw)
        fprintf(out, "software-components: none (the token says so)\n");
    else
        print_components(out, c->sw);
    if (c->others != 0)
        fprintf(out, "other claims: %u (not of this profile; not shown)\n", c->others);
}

int attest_verify(const uint8_t *token, size_t len, const char *pem, const uint8_t *challenge,
                  size_t challenge_len, FILE *out, char *why, size_t why_size)
{
    struct cose_sign1 s;
    struct claims c;
    const char *what;

    if (cose_sign1_decode(token, len, &s, &what) < 0)
        FAIL("not a PSA attestation token: %s", what);
    if (check_signature(&s, pem, why, why_size) < 0 || check_claims(&s, &c, why, why_size) < 0)
        return -1;
    if (challenge != NULL &&
        (c.nonce.n != challenge_len || memcmp(c.nonce.p, challenge, challenge_len) != 0))
        FAIL("the token's nonce is not the challenge (a replayed or another verifier's token)");
    print_claims(out, &s, &c);
    if (challenge != NULL)
        fprintf(out, "challenge: matches the nonce\n");
    return 0;
}
