/*
 * rot_client.c - a Linux app using the PSA Root of Trust services through
 * the standard headers, linking only libpsa-client:
 *
 *   rot_client [--token-out FILE]   one pass: a persistent signing key (made
 *                                   by the first run, found by the next),
 *                                   sign + verify, data in Internal Trusted
 *                                   and Protected Storage, an attestation
 *                                   token (written to FILE for psa-attest)
 *   rot_client --stream             counts up in ITS and PS uid 2, printing
 *                                   "acked N" after each acknowledged write
 *   rot_client --counters           prints the counters --stream left
 *
 * What each step found is printed, so that a second run (the same user, or
 * another one) shows what is kept and whose it is.
 * Build: cc rot_client.c $(pkg-config --cflags --libs psa-client)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <psa/crypto.h>
#include <psa/initial_attestation.h>
#include <psa/internal_trusted_storage.h>
#include <psa/protected_storage.h>

#define KEY_ID ((psa_key_id_t)0x100) /* in the caller's own namespace */
#define DATA_UID 1
#define COUNTER_UID 2

static int failed(const char *what, psa_status_t st)
{
    fprintf(stderr, "rot_client: %s failed: status %d\n", what, (int)st);
    return 1;
}

static void put_hex(const char *label, const uint8_t *p, size_t n)
{
    printf("%s", label);
    for (size_t i = 0; i < n; i++)
        printf("%02x", p[i]);
    printf("\n");
}

/* The persistent key KEY_ID: found, or made now. */
static int signing_key(void)
{
    psa_key_attributes_t a = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_id_t id = KEY_ID;
    psa_status_t st = psa_get_key_attributes(KEY_ID, &a);
    uint8_t pub[65];
    size_t n;

    if (st == PSA_SUCCESS) {
        printf("crypto: persistent key 0x%x found (made by an earlier run)\n", (unsigned)KEY_ID);
    } else if (st == PSA_ERROR_INVALID_HANDLE || st == PSA_ERROR_DOES_NOT_EXIST) {
        psa_set_key_id(&a, KEY_ID);
        psa_set_key_lifetime(&a, PSA_KEY_LIFETIME_PERSISTENT);
        psa_set_key_type(&a, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
        psa_set_key_bits(&a, 256);
        psa_set_key_usage_flags(&a, PSA_KEY_USAGE_SIGN_MESSAGE | PSA_KEY_USAGE_VERIFY_MESSAGE);
        psa_set_key_algorithm(&a, PSA_ALG_ECDSA(PSA_ALG_SHA_256));
        if ((st = psa_generate_key(&a, &id)) != PSA_SUCCESS)
            return failed("psa_generate_key (persistent)", st);
        printf("crypto: persistent key 0x%x generated\n", (unsigned)id);
    } else {
        return failed("psa_get_key_attributes", st);
    }
    psa_reset_key_attributes(&a);
    if ((st = psa_export_public_key(KEY_ID, pub, sizeof(pub), &n)) != PSA_SUCCESS)
        return failed("psa_export_public_key", st);
    put_hex("crypto: public key ", pub, n);
    return 0;
}

static int sign_and_verify(void)
{
    static const uint8_t msg[] = "a message signed inside the Crypto partition";
    uint8_t sig[PSA_SIGNATURE_MAX_SIZE];
    size_t n;
    psa_status_t st;

    st = psa_sign_message(KEY_ID, PSA_ALG_ECDSA(PSA_ALG_SHA_256), msg, sizeof(msg), sig,
                          sizeof(sig), &n);
    if (st != PSA_SUCCESS)
        return failed("psa_sign_message", st);
    st = psa_verify_message(KEY_ID, PSA_ALG_ECDSA(PSA_ALG_SHA_256), msg, sizeof(msg), sig, n);
    if (st != PSA_SUCCESS)
        return failed("psa_verify_message", st);
    sig[n / 2] ^= 1;
    if (psa_verify_message(KEY_ID, PSA_ALG_ECDSA(PSA_ALG_SHA_256), msg, sizeof(msg), sig, n) !=
        PSA_ERROR_INVALID_SIGNATURE) {
        fprintf(stderr, "rot_client: a damaged signature verified\n");
        return 1;
    }
    printf("crypto: signed %zu bytes (%zu-byte ECDSA signature), verified; a damaged one is "
           "refused\n",
           sizeof(msg), n);
    return 0;
}

/* One storage service, through its four functions. */
struct store {
    const char *name;
    psa_status_t (*set)(psa_storage_uid_t, size_t, const void *, psa_storage_create_flags_t);
    psa_status_t (*get)(psa_storage_uid_t, size_t, size_t, void *, size_t *);
};

static const struct store its = {"its", psa_its_set, psa_its_get};
static const struct store ps = {"ps", psa_ps_set, psa_ps_get};

static int store_round_trip(const struct store *s)
{
    char data[64], back[64];
    size_t n = 0;
    psa_status_t st = s->get(DATA_UID, 0, sizeof(back) - 1, back, &n);

    if (st == PSA_SUCCESS)
        printf("%s: uid %d held \"%.*s\"\n", s->name, DATA_UID, (int)n, back);
    else if (st == PSA_ERROR_DOES_NOT_EXIST)
        printf("%s: uid %d empty\n", s->name, DATA_UID);
    else
        return failed("get", st);
    snprintf(data, sizeof(data), "stored by uid %u through %s", (unsigned)getuid(), s->name);
    if ((st = s->set(DATA_UID, strlen(data), data, PSA_STORAGE_FLAG_NONE)) != PSA_SUCCESS)
        return failed("set", st);
    if ((st = s->get(DATA_UID, 0, sizeof(back), back, &n)) != PSA_SUCCESS)
        return failed("get", st);
    if (n != strlen(data) || memcmp(back, data, n) != 0) {
        fprintf(stderr, "rot_client: %s gave back other data\n", s->name);
        return 1;
    }
    printf("%s: uid %d now \"%s\", read back\n", s->name, DATA_UID, data);
    return 0;
}

static int attest(const char *token_out)
{
    uint8_t challenge[PSA_INITIAL_ATTEST_CHALLENGE_SIZE_32];
    uint8_t token[PSA_INITIAL_ATTEST_MAX_TOKEN_SIZE];
    size_t size = 0, n = 0;
    psa_status_t st;
    FILE *f;

    if ((st = psa_generate_random(challenge, sizeof(challenge))) != PSA_SUCCESS)
        return failed("psa_generate_random", st);
    if ((st = psa_initial_attest_get_token_size(sizeof(challenge), &size)) != PSA_SUCCESS)
        return failed("psa_initial_attest_get_token_size", st);
    st = psa_initial_attest_get_token(challenge, sizeof(challenge), token, sizeof(token), &n);
    if (st != PSA_SUCCESS)
        return failed("psa_initial_attest_get_token", st);
    printf("attestation: a %zu-byte token (get_token_size said %zu)\n", n, size);
    put_hex("attestation: challenge ", challenge, sizeof(challenge));
    if (token_out != NULL) {
        f = fopen(token_out, "wb");
        if (f == NULL || fwrite(token, 1, n, f) != n || fclose(f) != 0) {
            perror(token_out);
            return 1;
        }
        printf("attestation: token written to %s (psa-attest verify %s --key ...)\n", token_out,
               token_out);
    }
    return 0;
}

static uint32_t counter(const struct store *s)
{
    uint32_t v = 0;
    size_t n = 0;

    return s->get(COUNTER_UID, 0, sizeof(v), &v, &n) == PSA_SUCCESS && n == sizeof(v) ? v : 0;
}

/* Counts up in both stores until killed or until a write fails. */
static int stream(void)
{
    uint32_t v = counter(&its);
    psa_status_t st;

    setvbuf(stdout, NULL, _IOLBF, 0);
    for (;;) {
        v++;
        if ((st = psa_its_set(COUNTER_UID, sizeof(v), &v, PSA_STORAGE_FLAG_NONE)) != PSA_SUCCESS ||
            (st = psa_ps_set(COUNTER_UID, sizeof(v), &v, PSA_STORAGE_FLAG_NONE)) != PSA_SUCCESS) {
            printf("failed at %u: status %d\n", (unsigned)v, (int)st);
            return 1;
        }
        printf("acked %u\n", (unsigned)v);
    }
}

int main(int argc, char **argv)
{
    const char *token_out = NULL;
    psa_status_t st;

    if (argc == 2 && strcmp(argv[1], "--stream") == 0)
        return stream();
    if (argc == 2 && strcmp(argv[1], "--counters") == 0) {
        printf("its %u\nps %u\n", (unsigned)counter(&its), (unsigned)counter(&ps));
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "--token-out") == 0)
        token_out = argv[2];
    else if (argc != 1) {
        fputs("usage: rot_client [--token-out FILE | --stream | --counters]\n", stderr);
        return 2;
    }
    if ((st = psa_crypto_init()) != PSA_SUCCESS)
        return failed("psa_crypto_init", st);
    if (signing_key() || sign_and_verify() || store_round_trip(&its) || store_round_trip(&ps) ||
        attest(token_out))
        return 1;
    printf("rot_client: done\n");
    return 0;
}
