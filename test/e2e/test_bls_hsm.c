/*
 * test_bls_hsm.c - the BLS HSM partition against the real daemon: keygen,
 * get_key, sign (verified here with the library's bls_verify), imports
 * checked against published vectors, the keystore's limits and errors,
 * keys across a daemon restart, a second Linux user, and the bls_hsm_ns
 * example both ways.
 */
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bls.h"
#include "bls_hsm_config.h"
#include "bls_hsm_defs.h"
#include "fixture.h"
#include "psa/client.h"
#include "psa_manifest/sid.h"
#include "tfm_bls_hsm_api.h"

static struct fixture fx;
static char state_dir[64]; /* outlives one daemon */
static const char *const keep_state[] = {"--state-dir", state_dir, NULL};

/* ethereum/consensus-spec-tests, tests/general/phase0/bls/sign/bls/
 * sign_case_84d45c9c7cca6b92 (privkey, message, output), and the public key
 * of that privkey from verify/bls/verify_valid_case_195246ee3bd3b6ec
 * (the same files as test/vectors/bls/consensus-spec-tests/phase0/). */
static const char cst_sk[] = "328388aff0d4a5b7dc9205abd374e7e98f3cd9f3418edb4eafda5fb16473d216";
static const char cst_msg[] = "abababababababababababababababababababababababababababababababab";
static const char cst_pk[] = "b53d21a4cfd562c469cc81514d4ce5a6b577d8403d32a394dc265dd190b47fa9f829"
                             "fdd7963afdf972e5e77854051f6f";
static const char cst_sig[] = "ae82747ddeefe4fd64cf9cedb9b04ae3e8a43420cd255e3c7cd06a8d88b7c7f863"
                              "8543719981c5d16fa3527c468c25f0026704a6951bde891360c7e8d12ddee0559"
                              "004ccdbe6046b55bae1b257ee97f7cdb955773d7cf29adf3ccbb9975e4eb9";

/* EIP-2333 "Test Cases", test case 1 (test/vectors/bls/eip2333.yaml):
 * seed and master_SK. */
static const char eip_seed[] = "3141592653589793238462643383279502884197169399375105820974944592";
static const char eip_master_sk[] =
    "41c9e07822b092a93fd6797396338c3ada4170cc81829fdfce6b5d34bd5e7ec7";

/* The order r of G1 and G2, big-endian: not a secret key. */
static const char order_r[] = "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001";

static size_t unhex(const char *hex, uint8_t *out)
{
    size_t i, n = strlen(hex) / 2;
    unsigned x;

    for (i = 0; i < n; i++) {
        if (sscanf(hex + 2 * i, "%2x", &x) != 1)
            return 0;
        out[i] = (uint8_t)x;
    }
    return n;
}

static int setup(void **state)
{
    (void)state;
    return fixture_dir_new(state_dir, sizeof(state_dir), "bls");
}

static int teardown(void **state)
{
    fixture_teardown(state);
    return fixture_dir_remove(state_dir);
}

/* A fresh state directory per test, so each starts with an empty keystore. */
static void start_fresh(void)
{
    char cmd[128];

    snprintf(cmd, sizeof(cmd), "rm -rf %s/*", state_dir);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(fixture_start(&fx, keep_state), 0);
}

static void assert_signs(uint32_t index, const uint8_t *msg, size_t len, uint8_t pk_out[48])
{
    uint8_t pk[TFM_BLS_HSM_PK_LEN], sig[TFM_BLS_HSM_SIG_LEN];

    assert_int_equal(tfm_get_key(index, pk), PSA_SUCCESS);
    assert_int_equal(tfm_bls_sign(index, msg, len, sig), PSA_SUCCESS);
    assert_int_equal(bls_verify(pk, msg, len, sig), 1);
    sig[95] ^= 1;
    assert_int_equal(bls_verify(pk, msg, len, sig), 0);
    if (pk_out != NULL)
        memcpy(pk_out, pk, sizeof(pk));
}

static void test_keygen_sign_verify(void **state)
{
    static const uint8_t root[32] = {0x5a, 1, 2, 3};
    static const uint8_t info[] = "validator 0";
    uint8_t long_msg[TFM_BLS_HSM_MAX_MSG], pk0[48], pk1[48], sig[96];
    uint32_t keys = 99, free_slots = 99, a = 99, b = 99;

    (void)state;
    start_fresh();
    assert_int_equal(tfm_get_keystore_size(&keys, &free_slots), PSA_SUCCESS);
    assert_int_equal(keys, 0);
    assert_int_equal(free_slots, TFM_BLS_HSM_KEYSTORE_SIZE);
    assert_int_equal(tfm_secure_keygen(NULL, 0, &a), PSA_SUCCESS);
    assert_int_equal(tfm_secure_keygen(info, sizeof(info) - 1, &b), PSA_SUCCESS);
    assert_int_not_equal(a, b);
    assert_true(a < TFM_BLS_HSM_KEYSTORE_SIZE && b < TFM_BLS_HSM_KEYSTORE_SIZE);
    assert_int_equal(tfm_get_keystore_size(&keys, &free_slots), PSA_SUCCESS);
    assert_int_equal(keys, 2);
    assert_int_equal(free_slots, TFM_BLS_HSM_KEYSTORE_SIZE - 2);

    /* a 32-byte signing root, an empty message, the longest message */
    assert_signs(a, root, sizeof(root), pk0);
    assert_signs(b, root, sizeof(root), pk1);
    assert_memory_not_equal(pk0, pk1, 48);
    assert_int_equal(bls_key_validate(pk0), 1);
    assert_signs(a, NULL, 0, NULL);
    memset(long_msg, 'm', sizeof(long_msg));
    assert_signs(a, long_msg, sizeof(long_msg), NULL);

    /* a signature from one key does not verify under the other */
    assert_int_equal(tfm_bls_sign(a, root, sizeof(root), sig), PSA_SUCCESS);
    assert_int_equal(bls_verify(pk1, root, sizeof(root), sig), 0);
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_import_vectors(void **state)
{
    uint8_t sk[32], msg[32], pk[48], want_pk[48], sig[96], want_sig[96], seed[32], master[32];
    uint8_t eip_pk[48];
    uint32_t i = 99, j = 99;

    (void)state;
    assert_int_equal(unhex(cst_sk, sk), 32);
    assert_int_equal(unhex(cst_msg, msg), 32);
    assert_int_equal(unhex(cst_pk, want_pk), 48);
    assert_int_equal(unhex(cst_sig, want_sig), 96);
    assert_int_equal(unhex(eip_seed, seed), 32);
    assert_int_equal(unhex(eip_master_sk, master), 32);
    assert_int_equal(bls_sk_to_pk(eip_pk, master), 0);

    start_fresh();
    assert_int_equal(tfm_bls_import_key(sk, &i), PSA_SUCCESS);
    assert_int_equal(tfm_get_key(i, pk), PSA_SUCCESS);
    assert_memory_equal(pk, want_pk, 48);
    assert_int_equal(tfm_bls_sign(i, msg, sizeof(msg), sig), PSA_SUCCESS);
    assert_memory_equal(sig, want_sig, 96); /* BLS signatures are deterministic */

    assert_int_equal(tfm_bls_import_seed(seed, sizeof(seed), &j), PSA_SUCCESS);
    assert_int_not_equal(i, j);
    assert_int_equal(tfm_get_key(j, pk), PSA_SUCCESS);
    assert_memory_equal(pk, eip_pk, 48);
    assert_signs(j, msg, sizeof(msg), NULL);
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_bad_input(void **state)
{
    uint8_t sk[32], pk[48], sig[96], seed[TFM_BLS_HSM_MAX_SEED + 1], info[TFM_BLS_HSM_MAX_INFO + 1];
    uint8_t big[TFM_BLS_HSM_MAX_MSG + 1];
    uint32_t i = 99, keys, free_slots;

    (void)state;
    memset(seed, 7, sizeof(seed));
    memset(info, 'i', sizeof(info));
    memset(big, 'b', sizeof(big));
    start_fresh();
    /* secret keys 0, r and above r are not keys */
    memset(sk, 0, sizeof(sk));
    assert_int_equal(tfm_bls_import_key(sk, &i), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(unhex(order_r, sk), 32);
    assert_int_equal(tfm_bls_import_key(sk, &i), PSA_ERROR_INVALID_ARGUMENT);
    memset(sk, 0xff, sizeof(sk));
    assert_int_equal(tfm_bls_import_key(sk, &i), PSA_ERROR_INVALID_ARGUMENT);
    /* seeds too short or too long, key_info too long */
    assert_int_equal(tfm_bls_import_seed(seed, TFM_BLS_HSM_MIN_SEED - 1, &i),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tfm_bls_import_seed(seed, sizeof(seed), &i), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tfm_secure_keygen(info, sizeof(info), &i), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tfm_get_keystore_size(&keys, &free_slots), PSA_SUCCESS);
    assert_int_equal(keys, 0); /* nothing was stored by the refusals */

    /* indexes: empty, out of range */
    assert_int_equal(tfm_get_key(0, pk), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(tfm_bls_sign(0, big, 32, sig), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(tfm_bls_delete_key(0), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(tfm_get_key(TFM_BLS_HSM_KEYSTORE_SIZE, pk), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tfm_bls_sign(UINT32_MAX, big, 32, sig), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(tfm_bls_delete_key(TFM_BLS_HSM_KEYSTORE_SIZE), PSA_ERROR_INVALID_ARGUMENT);

    /* a message too long; vectors of the wrong size, sent raw */
    assert_int_equal(tfm_secure_keygen(NULL, 0, &i), PSA_SUCCESS);
    assert_int_equal(tfm_bls_sign(i, big, sizeof(big), sig), PSA_ERROR_INVALID_ARGUMENT);
    {
        uint16_t short_index = (uint16_t)i;
        psa_invec in[] = {{&short_index, sizeof(short_index)}, {big, 32}};
        psa_outvec out[] = {{sig, 95}};

        assert_int_equal(psa_call(PARTIX_BLS_HSM_HANDLE, BLS_HSM_SIGN, in, 2, out, 1),
                         PSA_ERROR_INVALID_ARGUMENT);
        in[0].base = &i;
        in[0].len = sizeof(i);
        assert_int_equal(psa_call(PARTIX_BLS_HSM_HANDLE, BLS_HSM_SIGN, in, 2, out, 1),
                         PSA_ERROR_BUFFER_TOO_SMALL);
        assert_int_equal(psa_call(PARTIX_BLS_HSM_HANDLE, BLS_HSM_IMPORT_KEY, in + 1, 1, NULL, 0),
                         PSA_ERROR_BUFFER_TOO_SMALL);
        assert_int_equal(psa_call(PARTIX_BLS_HSM_HANDLE, 99, NULL, 0, NULL, 0),
                         PSA_ERROR_NOT_SUPPORTED);
        /* a vector the call type does not have is refused, not ignored
         * (psa_call left out[0].len at what was written: 0) */
        out[0].len = 95;
        assert_int_equal(psa_call(PARTIX_BLS_HSM_HANDLE, BLS_HSM_DELETE_KEY, in, 1, out, 1),
                         PSA_ERROR_INVALID_ARGUMENT);
        assert_int_equal(psa_call(PARTIX_BLS_HSM_HANDLE, BLS_HSM_GET_KEY, in, 2, out, 1),
                         PSA_ERROR_INVALID_ARGUMENT);
    }
    assert_int_equal(fixture_stop(&fx), 0);
}

/* One user's quota of keys (the keystore full, every user together:
 * test_quota.c). */
static void test_full_and_delete(void **state)
{
    uint8_t pk[48], msg[32] = {1};
    uint32_t i, idx[BLS_HSM_USER_MAX_KEYS], again, keys, free_slots;

    (void)state;
    start_fresh();
    for (i = 0; i < BLS_HSM_USER_MAX_KEYS; i++)
        assert_int_equal(tfm_secure_keygen(NULL, 0, &idx[i]), PSA_SUCCESS);
    assert_int_equal(tfm_secure_keygen(NULL, 0, &again), PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(tfm_get_keystore_size(&keys, &free_slots), PSA_SUCCESS);
    assert_int_equal(keys, BLS_HSM_USER_MAX_KEYS);
    assert_int_equal(free_slots, TFM_BLS_HSM_KEYSTORE_SIZE - BLS_HSM_USER_MAX_KEYS);

    /* delete one: it is gone, its slot is reused, the others still sign */
    assert_int_equal(tfm_bls_delete_key(idx[1]), PSA_SUCCESS);
    assert_int_equal(tfm_get_key(idx[1], pk), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(tfm_bls_delete_key(idx[1]), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(tfm_get_keystore_size(&keys, &free_slots), PSA_SUCCESS);
    assert_int_equal(free_slots, TFM_BLS_HSM_KEYSTORE_SIZE - BLS_HSM_USER_MAX_KEYS + 1);
    assert_int_equal(tfm_secure_keygen(NULL, 0, &again), PSA_SUCCESS);
    assert_int_equal(again, idx[1]);
    assert_signs(idx[2], msg, sizeof(msg), NULL);
    for (i = 0; i < BLS_HSM_USER_MAX_KEYS; i++)
        assert_int_equal(tfm_bls_delete_key(idx[i]), PSA_SUCCESS);
    assert_int_equal(tfm_get_keystore_size(&keys, &free_slots), PSA_SUCCESS);
    assert_int_equal(free_slots, TFM_BLS_HSM_KEYSTORE_SIZE);
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_restart(void **state)
{
    static const uint8_t root[32] = {0xee};
    uint8_t pk_a[48], pk_b[48], pk[48], sig[96];
    uint32_t a, b, gone, keys, free_slots;

    (void)state;
    start_fresh();
    assert_int_equal(tfm_secure_keygen(NULL, 0, &a), PSA_SUCCESS);
    assert_int_equal(tfm_secure_keygen(NULL, 0, &gone), PSA_SUCCESS);
    assert_int_equal(tfm_secure_keygen(NULL, 0, &b), PSA_SUCCESS);
    assert_int_equal(tfm_get_key(a, pk_a), PSA_SUCCESS);
    assert_int_equal(tfm_get_key(b, pk_b), PSA_SUCCESS);
    assert_int_equal(tfm_bls_delete_key(gone), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);

    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(tfm_get_keystore_size(&keys, &free_slots), PSA_SUCCESS);
    assert_int_equal(keys, 2);
    assert_int_equal(tfm_get_key(a, pk), PSA_SUCCESS);
    assert_memory_equal(pk, pk_a, 48);
    assert_int_equal(tfm_get_key(b, pk), PSA_SUCCESS);
    assert_memory_equal(pk, pk_b, 48);
    assert_int_equal(tfm_get_key(gone, pk), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(tfm_bls_sign(b, root, sizeof(root), sig), PSA_SUCCESS);
    assert_int_equal(bls_verify(pk_b, root, sizeof(root), sig), 1);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* Run as uid 65534: root's key (index *arg) is, to this user, an empty
 * slot; it makes a key of its own, which root cannot use either. */
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        step++;                                                                                    \
        if (!(cond))                                                                               \
            return step;                                                                           \
    } while (0)

static int other_user(void *arg)
{
    const uint32_t *idx = arg;
    uint32_t mine, keys, free_slots;
    uint8_t pk[48], sig[96], msg[32] = {2};
    int step = 0;

    CHECK(tfm_get_key(idx[0], pk) == PSA_ERROR_DOES_NOT_EXIST);
    CHECK(tfm_bls_sign(idx[0], msg, sizeof(msg), sig) == PSA_ERROR_DOES_NOT_EXIST);
    CHECK(tfm_bls_delete_key(idx[0]) == PSA_ERROR_DOES_NOT_EXIST);
    CHECK(tfm_get_keystore_size(&keys, &free_slots) == PSA_SUCCESS && keys == 0);
    CHECK(tfm_secure_keygen(NULL, 0, &mine) == PSA_SUCCESS && mine != idx[0]);
    CHECK(tfm_get_key(mine, pk) == PSA_SUCCESS);
    CHECK(tfm_bls_sign(mine, msg, sizeof(msg), sig) == PSA_SUCCESS);
    CHECK(bls_verify(pk, msg, sizeof(msg), sig) == 1);
    return 0;
}

static void test_two_users(void **state)
{
    uint32_t idx[1] = {0}, i, keys, free_slots;
    uint8_t pk[48], msg[32] = {3}, sig[96];
    int rc;

    (void)state;
    start_fresh();
    assert_int_equal(tfm_secure_keygen(NULL, 0, &idx[0]), PSA_SUCCESS);
    rc = fixture_run_as(&fx, 65534, other_user, idx);
    if (rc == -2) {
        print_message("skipped: key ownership between two users needs root\n");
        skip();
    }
    assert_int_equal(rc, 0);
    /* root still signs with its key; the other user's key is not root's */
    assert_signs(idx[0], msg, sizeof(msg), NULL);
    assert_int_equal(tfm_get_keystore_size(&keys, &free_slots), PSA_SUCCESS);
    assert_int_equal(keys, 1);
    assert_int_equal(free_slots, TFM_BLS_HSM_KEYSTORE_SIZE - 2);
    for (i = 0; i < TFM_BLS_HSM_KEYSTORE_SIZE; i++) {
        if (i == idx[0])
            continue;
        assert_int_equal(tfm_get_key(i, pk), PSA_ERROR_DOES_NOT_EXIST);
        assert_int_equal(tfm_bls_sign(i, msg, sizeof(msg), sig), PSA_ERROR_DOES_NOT_EXIST);
        assert_int_equal(tfm_bls_delete_key(i), PSA_ERROR_DOES_NOT_EXIST);
    }
    assert_int_equal(fixture_stop(&fx), 0);
}

/* Runs @p exe, and checks that its output has every step and that the
 * signature it printed verifies under the public key it printed. */
static void check_example(const char *exe, const char *path_word)
{
    char cmd[256], line[512], out[4096] = "";
    uint8_t pk[48], sig[96];
    bool have_pk = false, have_sig = false;
    const char *msg = "checked by test_bls_hsm";
    FILE *p;

    snprintf(cmd, sizeof(cmd), "%s '%s'", exe, msg);
    p = popen(cmd, "r");
    assert_non_null(p);
    while (fgets(line, sizeof(line), p) != NULL) {
        strncat(out, line, sizeof(out) - strlen(out) - 1);
        if (strncmp(line, "get_key: ", 9) == 0)
            have_pk = unhex(strtok(line + 9, "\n"), pk) == 48;
        if (strncmp(line, "sign: ", 6) == 0)
            have_sig = unhex(strtok(line + 6, "\n"), sig) == 96;
    }
    assert_int_equal(pclose(p), 0);
    assert_non_null(strstr(out, path_word));
    assert_non_null(strstr(out, "get_keystore_size: "));
    assert_non_null(strstr(out, "secure_keygen: index "));
    assert_non_null(strstr(out, "verify: VALID"));
    assert_non_null(strstr(out, "delete_key: index "));
    assert_true(have_pk && have_sig);
    assert_int_equal(bls_verify(pk, (const uint8_t *)msg, strlen(msg), sig), 1);
}

static void test_example_both_ways(void **state)
{
    uint32_t keys, free_slots;

    (void)state;
    start_fresh();
    check_example(BLS_HSM_NS_BIN, "path: partition");
    /* the example deleted its key */
    assert_int_equal(tfm_get_keystore_size(&keys, &free_slots), PSA_SUCCESS);
    assert_int_equal(free_slots, TFM_BLS_HSM_KEYSTORE_SIZE);
    assert_int_equal(fixture_stop(&fx), 0);
    check_example(BLS_HSM_NS_BIN "_direct", "path: direct");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_keygen_sign_verify, fixture_teardown),
        cmocka_unit_test_teardown(test_import_vectors, fixture_teardown),
        cmocka_unit_test_teardown(test_bad_input, fixture_teardown),
        cmocka_unit_test_teardown(test_full_and_delete, fixture_teardown),
        cmocka_unit_test_teardown(test_restart, fixture_teardown),
        cmocka_unit_test_teardown(test_two_users, fixture_teardown),
        cmocka_unit_test_teardown(test_example_both_ways, fixture_teardown),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}
