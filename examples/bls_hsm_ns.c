/*
 * bls_hsm_ns.c - the BLS HSM design's non-secure side (docs/bls-hsm.md):
 * the keygen flow (get the keystore size, secure_keygen, get_key), then a
 * signature and its verification, then the key deleted.
 *
 * Built two ways, so that the design's two sequence diagrams can be run
 * and compared (both print the same steps):
 *   bls_hsm_ns          through the partition: tfm_get_keystore_size() ->
 *                       psa_call -> PARTIX_SP_BLS_HSM -> bls_hsm_get_keystore()
 *   bls_hsm_ns_direct   -DBLS_HSM_DIRECT: the partition disabled, the same
 *                       bls_hsm_* functions called in this process (keys in
 *                       its memory only)
 * Verification is the library's bls_verify in this process either way (a
 * signature and a public key are public).
 *
 * Usage: bls_hsm_ns [MESSAGE]
 */
#include <stdio.h>
#include <string.h>

#include "bls.h"
#include "psa/error.h"

#ifdef BLS_HSM_DIRECT
#include "bls_hsm.h"
#define PATH "direct: bls_hsm_* in this process"
#define CLIENT_ID (-1) /* the one client of the in-process keystore */
#define get_keystore_size(k, f) bls_hsm_get_keystore(CLIENT_ID, k, f)
#define secure_keygen(i, n, x) bls_hsm_secure_keygen(CLIENT_ID, i, n, x)
#define get_key(x, pk) bls_hsm_get_key(CLIENT_ID, x, pk)
#define sign(x, m, n, sig) bls_hsm_sign(CLIENT_ID, x, m, n, sig)
#define delete_key(x) bls_hsm_delete_key(CLIENT_ID, x)
#else
#include "tfm_bls_hsm_api.h"
#define PATH "partition: tfm_* -> psa_call -> PARTIX_SP_BLS_HSM -> bls_hsm_*"
#define get_keystore_size(k, f) tfm_get_keystore_size(k, f)
#define secure_keygen(i, n, x) tfm_secure_keygen(i, n, x)
#define get_key(x, pk) tfm_get_key(x, pk)
#define sign(x, m, n, sig) tfm_bls_sign(x, m, n, sig)
#define delete_key(x) tfm_bls_delete_key(x)
#endif

static void hex(const char *label, const uint8_t *b, size_t n)
{
    printf("%s", label);
    for (size_t i = 0; i < n; i++)
        printf("%02x", b[i]);
    printf("\n");
}

static int failed(const char *step, psa_status_t st)
{
    fprintf(stderr, "bls_hsm_ns: %s failed: %d\n", step, (int)st);
    return 1;
}

int main(int argc, char **argv)
{
    static const uint8_t info[] = "bls_hsm_ns";
    const char *msg = argc > 1 ? argv[1] : "partix bls_hsm_ns example";
    uint8_t pk[TFM_BLS_HSM_PK_LEN], sig[TFM_BLS_HSM_SIG_LEN];
    uint32_t keys, free_slots, index;
    psa_status_t st;
    int valid;

    if (argc > 2 || strlen(msg) > TFM_BLS_HSM_MAX_MSG) {
        fprintf(stderr, "usage: bls_hsm_ns [MESSAGE of at most %d bytes]\n", TFM_BLS_HSM_MAX_MSG);
        return 2;
    }
#ifdef BLS_HSM_DIRECT
    bls_hsm_setup(NULL);
#endif
    printf("path: %s\n", PATH);
    if ((st = get_keystore_size(&keys, &free_slots)) != PSA_SUCCESS)
        return failed("get_keystore_size", st);
    printf("get_keystore_size: %u keys, %u free slots\n", (unsigned)keys, (unsigned)free_slots);
    if ((st = secure_keygen(info, sizeof(info) - 1, &index)) != PSA_SUCCESS)
        return failed("secure_keygen", st);
    printf("secure_keygen: index %u\n", (unsigned)index);
    if ((st = get_key(index, pk)) != PSA_SUCCESS)
        return failed("get_key", st);
    hex("get_key: ", pk, sizeof(pk));
    printf("message: %s\n", msg);
    if ((st = sign(index, (const uint8_t *)msg, strlen(msg), sig)) != PSA_SUCCESS)
        return failed("sign", st);
    hex("sign: ", sig, sizeof(sig));
    valid = bls_verify(pk, (const uint8_t *)msg, strlen(msg), sig);
    printf("verify: %s\n", valid ? "VALID" : "INVALID");
    if ((st = delete_key(index)) != PSA_SUCCESS)
        return failed("delete_key", st);
    printf("delete_key: index %u\n", (unsigned)index);
    return valid ? 0 : 1;
}
