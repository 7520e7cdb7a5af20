/*
 * hrot_client.c - the hardware root of trust from a Linux app (make demo,
 * docs/hrot.md): random bytes from the TPM, a signing key made in the TPM
 * and a signature checked with its public key (Mbed TLS, in this process),
 * a decryption key and a message only the TPM can read, and a capability
 * granted to a second Linux user (nobody, uid 65534), used by it, revoked,
 * refused.  Links libpsa-client (and Mbed TLS for the public-key side).
 * The second user needs root; without it that step is skipped.
 */
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>

#include "partix/hrot.h"

#define SECOND_USER 65534

static const char *name_of(psa_status_t st)
{
    switch (st) {
    case PSA_SUCCESS:
        return "PSA_SUCCESS";
    case PSA_ERROR_INVALID_HANDLE:
        return "PSA_ERROR_INVALID_HANDLE";
    case PSA_ERROR_NOT_PERMITTED:
        return "PSA_ERROR_NOT_PERMITTED";
    case PSA_ERROR_HARDWARE_FAILURE:
        return "PSA_ERROR_HARDWARE_FAILURE";
    case PSA_ERROR_CONNECTION_REFUSED:
        return "PSA_ERROR_CONNECTION_REFUSED (can this user reach psa-spm's socket?)";
    default:
        return "another status";
    }
}

static void hex(const char *label, const uint8_t *p, size_t n)
{
    size_t i;

    printf("%s", label);
    for (i = 0; i < n; i++)
        printf("%02x", p[i]);
    printf("\n");
}

static int verify(const uint8_t pub[65], const uint8_t *msg, size_t len, const uint8_t rs[64])
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

/* OAEP (SHA-256) under the exported DER RSAPublicKey (270 bytes). */
static int encrypt(const uint8_t *der, size_t der_len, const char *msg, uint8_t ct[256])
{
    mbedtls_rsa_context rsa;
    int rc = -1;

    if (der_len != 270)
        return -1;
    mbedtls_rsa_init(&rsa, MBEDTLS_RSA_PKCS_V21, MBEDTLS_MD_SHA256);
    if (mbedtls_rsa_import_raw(&rsa, der + 9, 256, NULL, 0, NULL, 0, NULL, 0, der + 267, 3) == 0 &&
        mbedtls_rsa_complete(&rsa) == 0)
        rc = mbedtls_rsa_rsaes_oaep_encrypt(&rsa, rng, NULL, MBEDTLS_RSA_PUBLIC, NULL, 0,
                                            strlen(msg), (const uint8_t *)msg, ct);
    mbedtls_rsa_free(&rsa);
    return rc;
}

/* In a child that is @p uid from its first call: sign with @p cap. */
static int sign_as(uid_t uid, const hrot_cap_t *cap, const uint8_t pub[65])
{
    const uint8_t msg[] = "signed by the second user";
    int status;
    pid_t pid;

    fflush(stdout); /* the child's copy of the buffer is not printed twice */
    pid = fork();

    if (pid == 0) {
        uint8_t sig[64];
        size_t n;
        psa_status_t st;

        if (setgroups(0, NULL) < 0 || setresgid(uid, uid, uid) < 0 || setresuid(uid, uid, uid) < 0)
            _exit(2);
        st = hrot_sign_data(cap, msg, sizeof(msg), sig, sizeof(sig), &n);
        printf("   uid %u signs with the capability: %s%s\n", (unsigned)uid, name_of(st),
               st == PSA_SUCCESS && verify(pub, msg, sizeof(msg), sig) ? " (signature verified)"
                                                                       : "");
        fflush(stdout);
        _exit(st == PSA_SUCCESS ? 0 : 1);
    }
    if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return -1;
    return WEXITSTATUS(status);
}

int main(void)
{
    const uint8_t msg[] = "firmware image v1.2.3";
    const char *secret = "the disk key, for the TPM's eyes only";
    uint8_t rnd[32], pub[65], sig[64], der[HROT_RSA_PUBLIC_MAX], ct[256], pt[256];
    size_t n, m;
    hrot_cap_t sign_cap, dec_cap, granted;
    uint32_t serial;
    psa_status_t st;

    if ((st = hrot_init()) != PSA_SUCCESS) {
        printf("hrot_init: %s (%d): no TPM\n", name_of(st), (int)st);
        return 1;
    }
    if (hrot_trng_get_random_bytes(sizeof(rnd), rnd, sizeof(rnd), &n) != PSA_SUCCESS)
        return 1;
    hex("HROT_TRNG_METHOD_GET_RANDOM_BYTES(32): ", rnd, n);

    if (hrot_generate_key(HROT_KEY_ECC_P256_SIGN, &sign_cap) != PSA_SUCCESS ||
        hrot_get_public_key(&sign_cap, pub, sizeof(pub), &n) != PSA_SUCCESS)
        return 1;
    hex("ECC P-256 key made in the TPM; public key: ", pub, n);
    hex("   my capability: ", sign_cap.bytes, sizeof(sign_cap.bytes));
    if (hrot_sign_data(&sign_cap, msg, sizeof(msg), sig, sizeof(sig), &n) != PSA_SUCCESS)
        return 1;
    hex("HROT_SIGN_DATA: ", sig, n);
    printf("   verified with the public key (Mbed TLS): %s\n",
           verify(pub, msg, sizeof(msg), sig) ? "valid" : "INVALID");

    if (hrot_generate_key(HROT_KEY_RSA2048_DECRYPT, &dec_cap) != PSA_SUCCESS ||
        hrot_get_public_key(&dec_cap, der, sizeof(der), &n) != PSA_SUCCESS ||
        encrypt(der, n, secret, ct) != 0)
        return 1;
    printf("RSA-2048 key made in the TPM; a message encrypted to its public key (%zu-byte DER)\n",
           n);
    if (hrot_decrypt_data(&dec_cap, ct, sizeof(ct), pt, sizeof(pt), &m) != PSA_SUCCESS)
        return 1;
    printf("HROT_DECRYPT_DATA: \"%.*s\"\n", (int)m, pt);

    if (getuid() != 0) {
        printf("a second user: skipped (needs root)\n");
        return 0;
    }
    printf("a second Linux user (uid %u), before any grant:\n", SECOND_USER);
    if (sign_as(SECOND_USER, &sign_cap, pub) != 1)
        return 1;
    if (hrot_grant(&sign_cap, HROT_CLIENT_ID_OF_UID(SECOND_USER), HROT_RIGHT_SIGN, &granted,
                   &serial) != PSA_SUCCESS)
        return 1;
    printf("granted sign-only to client id %d (serial %u):\n", HROT_CLIENT_ID_OF_UID(SECOND_USER),
           (unsigned)serial);
    if (sign_as(SECOND_USER, &granted, pub) != 0)
        return 1;
    st = hrot_sign_data(&granted, msg, sizeof(msg), sig, sizeof(sig), &n);
    printf("   I use the value granted to uid %u: %s\n", SECOND_USER, name_of(st));
    if (hrot_revoke(&sign_cap, serial) != PSA_SUCCESS)
        return 1;
    printf("revoked serial %u:\n", (unsigned)serial);
    if (sign_as(SECOND_USER, &granted, pub) != 1)
        return 1;
    hrot_destroy_key(&sign_cap);
    hrot_destroy_key(&dec_cap);
    return 0;
}
