/*
 * psa-attest - get a PSA attestation token from a running psa-spm, and
 * verify one against the device's attestation public key
 * ("partix-ctl otp pubkey" prints it).
 *
 * Two halves in one program: "get" calls the Initial Attestation service
 * through libpsa-client; "verify" does all its cryptography in-process with
 * Mbed TLS.  Both define psa_* functions, so Mbed TLS is linked first and
 * libpsa-client's crypto client stubs are never pulled in (tools.mk).
 */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "attest_verify.h"
#include "psa/initial_attestation.h"
#include "version.h"

#define MAX_FILE (64u * 1024u) /* no token or key is larger */

static void usage(FILE *f)
{
    fputs("usage: psa-attest verify TOKEN_FILE --key PUBKEY.pem [--challenge HEX]\n"
          "       psa-attest get [--challenge HEX] -o FILE\n"
          "\n"
          "  verify  check the token's COSE_Sign1 structure, its ES256 signature with\n"
          "          the PEM public key (partix-ctl otp pubkey prints the device's), its\n"
          "          claims (RFC 9783's profile or PSA IoT profile 1, which the claim\n"
          "          keys tell apart), and that its nonce is the challenge if one is\n"
          "          given; print the claims.  Exit status 0 only if everything holds.\n"
          "  get     ask the Initial Attestation service of the psa-spm at\n"
          "          $PSA_SPM_SOCKET for a token answering the challenge (32, 48 or\n"
          "          64 bytes; a random 32 by default, printed) and write it to FILE\n",
          f);
}

/* Reads all of @p path (at most MAX_FILE bytes), NUL-terminated. */
static uint8_t *read_file(const char *path, size_t *len)
{
    uint8_t *buf = malloc(MAX_FILE + 1);
    FILE *f = fopen(path, "rb");
    size_t n;

    if (buf == NULL || f == NULL) {
        fprintf(stderr, "psa-attest: %s: %s\n", path, strerror(errno));
        free(buf);
        if (f != NULL)
            fclose(f);
        return NULL;
    }
    n = fread(buf, 1, MAX_FILE + 1, f);
    fclose(f);
    if (n > MAX_FILE) {
        fprintf(stderr, "psa-attest: %s: larger than %u bytes: not a token or key\n", path,
                MAX_FILE);
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    *len = n;
    return buf;
}

/* @p s as bytes: 0 and the count, or -1 if it is not hex of 32, 48 or 64 bytes. */
static int parse_challenge(const char *s, uint8_t out[64], size_t *n)
{
    size_t len = strlen(s), i;

    if (len != 64 && len != 96 && len != 128)
        return -1;
    for (i = 0; i < len / 2; i++) {
        unsigned v;
        char two[3] = {s[2 * i], s[2 * i + 1], 0};

        if (strspn(two, "0123456789abcdefABCDEF") != 2 || sscanf(two, "%2x", &v) != 1)
            return -1;
        out[i] = (uint8_t)v;
    }
    *n = len / 2;
    return 0;
}

static int verify(const char *token_path, const char *key_path, const uint8_t *challenge,
                  size_t challenge_len)
{
    char why[256];
    size_t token_len, key_len;
    uint8_t *token = read_file(token_path, &token_len);
    uint8_t *key = token != NULL ? read_file(key_path, &key_len) : NULL;
    int rc = 1;

    if (key != NULL) {
        if (attest_verify(token, token_len, (const char *)key, challenge, challenge_len, stdout,
                          why, sizeof(why)) == 0)
            rc = 0;
        else
            fprintf(stderr, "psa-attest: %s: %s\n", token_path, why);
    }
    free(token);
    free(key);
    return rc;
}

static int get(const char *out_path, uint8_t *challenge, size_t challenge_len, bool given)
{
    static uint8_t token[PSA_INITIAL_ATTEST_MAX_TOKEN_SIZE];
    size_t len = 0, i;
    psa_status_t st;
    FILE *f;

    if (!given && getrandom(challenge, challenge_len, 0) != (ssize_t)challenge_len) {
        fprintf(stderr, "psa-attest: no random challenge: %s\n", strerror(errno));
        return 1;
    }
    st = psa_initial_attest_get_token(challenge, challenge_len, token, sizeof(token), &len);
    if (st != PSA_SUCCESS) {
        fprintf(stderr, "psa-attest: the attestation service answered %d%s\n", (int)st,
                st == PSA_ERROR_CONNECTION_REFUSED || st == PSA_ERROR_COMMUNICATION_FAILURE
                    ? " (is psa-spm running, with Initial Attestation, at $PSA_SPM_SOCKET?)"
                    : "");
        return 1;
    }
    f = fopen(out_path, "wb");
    if (f == NULL || fwrite(token, 1, len, f) != len || fclose(f) != 0) {
        fprintf(stderr, "psa-attest: %s: %s\n", out_path, strerror(errno));
        return 1;
    }
    printf("challenge: ");
    for (i = 0; i < challenge_len; i++)
        printf("%02x", challenge[i]);
    printf("\ntoken: %s (%zu bytes)\n", out_path, len);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"key", required_argument, NULL, 'k'},
        {"challenge", required_argument, NULL, 'c'},
        {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *cmd, *key = NULL, *out = NULL;
    uint8_t challenge[64];
    size_t challenge_len = PSA_INITIAL_ATTEST_CHALLENGE_SIZE_32;
    bool have_challenge = false;
    int ch;

    if (argc == 2 && strcmp(argv[1], "--version") == 0) {
        printf("psa-attest (partix) %s\n", PARTIX_VERSION);
        return 0;
    }
    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    cmd = argv[1];
    optind = 2;
    while ((ch = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (ch) {
        case 'k':
            key = optarg;
            break;
        case 'c':
            if (parse_challenge(optarg, challenge, &challenge_len) < 0) {
                fprintf(stderr, "psa-attest: --challenge: 64, 96 or 128 hex digits (32, 48 or 64 "
                                "bytes)\n");
                return 2;
            }
            have_challenge = true;
            break;
        case 'o':
            out = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
    }
    if (strcmp(cmd, "verify") == 0 && optind == argc - 1 && key != NULL && out == NULL)
        return verify(argv[optind], key, have_challenge ? challenge : NULL, challenge_len);
    if (strcmp(cmd, "get") == 0 && optind == argc && out != NULL && key == NULL)
        return get(out, challenge, challenge_len, have_challenge);
    usage(stderr);
    return 2;
}
