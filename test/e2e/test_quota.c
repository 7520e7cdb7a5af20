/*
 * test_quota.c - each Linux user's quota of what the services hold, against
 * the real daemon (issue 12): ITS and PS entries and bytes, Crypto's
 * volatile and persistent keys and multi-part operations, BLS HSM keys,
 * connections.  Root (user A) fills its quota and gets the status a full
 * service gives; uid 65534 (user B) and more uids are still served; the
 * count of what is stored holds across a replacement, a remove, a restart
 * and kill -9.
 */
#include <psa/crypto.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "bls_hsm_config.h"
#include "crypto_config.h"
#include "fixture.h"
#include "its_config.h"
#include "ps_config.h"
#include "psa/client.h"
#include "psa/internal_trusted_storage.h"
#include "psa/protected_storage.h"
#include "psa_manifest/sid.h"
#include "tfm_bls_hsm_api.h"

#define USER_B 65534
#define USER_C 65533
#define USER_D 65532
#define USER_E 65531
#define VOLATILE_KEYS 28  /* the Crypto partition's, all users (crypto_sp.h's CK_MAX_KEYS) */
#define OPS_PER_PROCESS 8 /* crypto_sp.h's CO_MAX_PER_CONN */
#define OPS_IN_ALL 32     /* crypto_sp.h's CO_MAX_OPS */
#define OP_FILLERS 4      /* user A's processes that try to fill the operation table */

/* the test works at the defaults' proportions: a user fills a quarter */
_Static_assert(ITS_USER_MAX_ENTRIES < ITS_MAX_ENTRIES, "a user's ITS quota is below the capacity");
_Static_assert(ITS_USER_MAX_TOTAL_SIZE / ITS_MAX_ASSET_SIZE < ITS_USER_MAX_ENTRIES,
               "the byte quota is reached before the entry quota with full-size entries");
_Static_assert(PS_USER_MAX_TOTAL_SIZE / PS_MAX_ASSET_SIZE < PS_USER_MAX_OBJECTS,
               "the byte quota is reached before the object quota with full-size objects");
_Static_assert(CRYPTO_USER_MAX_OPS > 2 && CRYPTO_USER_MAX_OPS + 2 <= OP_FILLERS * OPS_PER_PROCESS &&
                   OP_FILLERS * OPS_PER_PROCESS + 2 > OPS_IN_ALL,
               "user A's processes would fill the operation table but for the quota");
_Static_assert(4 * BLS_HSM_USER_MAX_KEYS == TFM_BLS_HSM_KEYSTORE_SIZE,
               "four users fill the BLS keystore");

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        step++;                                                                                    \
        if (!(cond))                                                                               \
            return step;                                                                           \
    } while (0)

static struct fixture fx;
static char state_dir[64]; /* outlives one daemon */
static const char *const keep_state[] = {"--state-dir", state_dir, NULL};
static uint8_t big[ITS_MAX_ASSET_SIZE > PS_MAX_ASSET_SIZE ? ITS_MAX_ASSET_SIZE : PS_MAX_ASSET_SIZE];

static int setup(void **state)
{
    (void)state;
    memset(big, 0x5a, sizeof(big));
    return fixture_dir_new(state_dir, sizeof(state_dir), "quota");
}

static int teardown(void **state)
{
    fixture_teardown(state);
    fixture_dir_remove(state_dir);
    return fixture_dir_new(state_dir, sizeof(state_dir), "quota");
}

static int final_teardown(void **state)
{
    (void)state;
    return fixture_dir_remove(state_dir);
}

/* Runs @p fn as @p uid; skips the test when not root. */
static void as_user(uid_t uid, int (*fn)(void *), void *arg)
{
    int rc = fixture_run_as(&fx, uid, fn, arg);

    if (rc == -2) {
        print_message("skipped: a second user needs root\n");
        skip();
    }
    assert_int_equal(rc, 0);
}

/* ---- Internal Trusted Storage ---- */

/* Fills the caller's entry quota with 1-byte entries 1..N: 0, or the step
 * that failed. */
static int its_fill_entries(void *arg)
{
    psa_storage_uid_t uid;
    int step = 0;

    (void)arg;
    for (uid = 1; uid <= ITS_USER_MAX_ENTRIES; uid++)
        CHECK(psa_its_set(uid, 1, "a", 0) == PSA_SUCCESS);
    CHECK(psa_its_set(uid, 1, "a", 0) == PSA_ERROR_INSUFFICIENT_STORAGE);
    return 0;
}

/* One full-size entry: the bytes of others' quotas are not this user's. */
static int its_one_big(void *arg)
{
    int step = 0;

    (void)arg;
    CHECK(psa_its_set(1, ITS_MAX_ASSET_SIZE, big, 0) == PSA_SUCCESS);
    return 0;
}

static void test_its_entries(void **state)
{
    psa_storage_uid_t next = ITS_USER_MAX_ENTRIES + 1;

    (void)state;
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(its_fill_entries(NULL), 0);
    /* a replacement is no new entry */
    assert_int_equal(psa_its_set(1, 2, "aa", 0), PSA_SUCCESS);
    /* user B is untouched, and has a quota of its own */
    as_user(USER_B, its_fill_entries, NULL);
    as_user(USER_C, its_one_big, NULL);
    assert_int_equal(fixture_stop(&fx), 0);

    /* counted from what is stored: after a restart ... */
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(psa_its_set(next, 1, "a", 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(psa_its_remove(2), PSA_SUCCESS);
    assert_int_equal(psa_its_set(next, 1, "a", 0), PSA_SUCCESS);
    assert_int_equal(psa_its_set(next + 1, 1, "a", 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    /* ... and after kill -9 */
    assert_int_equal(fixture_crash(&fx), 0);
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(psa_its_set(next + 1, 1, "a", 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(psa_its_remove(next), PSA_SUCCESS);
    assert_int_equal(psa_its_set(next + 1, 1, "a", 0), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_its_bytes(void **state)
{
    psa_storage_uid_t uid, n = ITS_USER_MAX_TOTAL_SIZE / ITS_MAX_ASSET_SIZE;

    (void)state;
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    for (uid = 1; uid <= n; uid++)
        assert_int_equal(psa_its_set(uid, ITS_MAX_ASSET_SIZE, big, 0), PSA_SUCCESS);
    /* the bytes are used up, the entries are not */
    assert_int_equal(psa_its_set(uid, 1, "a", 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    /* a replacement counts its new size, not both */
    assert_int_equal(psa_its_set(1, ITS_MAX_ASSET_SIZE, big, 0), PSA_SUCCESS);
    assert_int_equal(psa_its_set(1, ITS_MAX_ASSET_SIZE - 1, big, 0), PSA_SUCCESS);
    assert_int_equal(psa_its_set(uid, 2, "aa", 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(psa_its_set(uid, 1, "a", 0), PSA_SUCCESS);
    as_user(USER_B, its_one_big, NULL);
    assert_int_equal(fixture_stop(&fx), 0);

    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(psa_its_set(uid + 1, 1, "a", 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(psa_its_remove(2), PSA_SUCCESS);
    assert_int_equal(psa_its_set(uid + 1, ITS_MAX_ASSET_SIZE, big, 0), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* ---- Protected Storage ---- */

static int ps_fill_objects(void *arg)
{
    psa_storage_uid_t uid;
    int step = 0;

    (void)arg;
    for (uid = 1; uid <= PS_USER_MAX_OBJECTS; uid++)
        CHECK(psa_ps_set(uid, 1, "p", 0) == PSA_SUCCESS);
    CHECK(psa_ps_set(uid, 1, "p", 0) == PSA_ERROR_INSUFFICIENT_STORAGE);
    return 0;
}

static int ps_one_big(void *arg)
{
    int step = 0;

    (void)arg;
    CHECK(psa_ps_set(1, PS_MAX_ASSET_SIZE, big, 0) == PSA_SUCCESS);
    return 0;
}

static void test_ps_quota(void **state)
{
    psa_storage_uid_t uid, n = PS_USER_MAX_TOTAL_SIZE / PS_MAX_ASSET_SIZE;

    (void)state;
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(ps_fill_objects(NULL), 0);
    assert_int_equal(psa_ps_set(1, 2, "pp", 0), PSA_SUCCESS); /* a replacement */
    as_user(USER_B, ps_fill_objects, NULL);
    as_user(USER_C, ps_one_big, NULL);
    assert_int_equal(fixture_stop(&fx), 0);

    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(psa_ps_set(PS_USER_MAX_OBJECTS + 1, 1, "p", 0),
                     PSA_ERROR_INSUFFICIENT_STORAGE);
    /* the bytes: full-size objects in place of the small ones */
    for (uid = 1; uid <= PS_USER_MAX_OBJECTS; uid++)
        assert_int_equal(psa_ps_remove(uid), PSA_SUCCESS);
    for (uid = 1; uid <= n; uid++)
        assert_int_equal(psa_ps_set(uid, PS_MAX_ASSET_SIZE, big, 0), PSA_SUCCESS);
    assert_int_equal(psa_ps_set(uid, 1, "p", 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(psa_ps_set(1, PS_MAX_ASSET_SIZE - 1, big, 0), PSA_SUCCESS);
    assert_int_equal(psa_ps_set(uid, 1, "p", 0), PSA_SUCCESS);
    assert_int_equal(fixture_crash(&fx), 0);
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(psa_ps_set(uid + 1, 1, "p", 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* ---- Crypto ---- */

static psa_status_t volatile_key(void)
{
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    static const uint8_t k[16] = {7};
    psa_key_id_t id = 0;

    psa_set_key_type(&attr, PSA_KEY_TYPE_AES);
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_EXPORT);
    return psa_import_key(&attr, k, sizeof(k), &id);
}

/* @p arg: the number of volatile keys this user gets before
 * INSUFFICIENT_MEMORY. */
static int volatile_fill(void *arg)
{
    int i, n = *(const int *)arg, step = 0;

    CHECK(psa_crypto_init() == PSA_SUCCESS);
    for (i = 0; i < n; i++)
        CHECK(volatile_key() == PSA_SUCCESS);
    CHECK(volatile_key() == PSA_ERROR_INSUFFICIENT_MEMORY);
    return 0;
}

static void test_crypto_volatile(void **state)
{
    int quota = CRYPTO_USER_MAX_VOLATILE_KEYS, rest = VOLATILE_KEYS - 3 * quota;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(volatile_fill(&quota), 0);
    as_user(USER_B, volatile_fill, &quota);
    as_user(USER_C, volatile_fill, &quota);
    /* the partition's volatile keys still bound every user together */
    if (rest > 0)
        as_user(USER_D, volatile_fill, &rest);
    assert_int_equal(fixture_stop(&fx), 0);
}

static psa_status_t persistent_key(psa_key_id_t id)
{
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    static const uint8_t k[16] = {8};
    psa_key_id_t got = 0;

    psa_set_key_id(&attr, id);
    psa_set_key_type(&attr, PSA_KEY_TYPE_AES);
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_EXPORT);
    return psa_import_key(&attr, k, sizeof(k), &got);
}

static int persistent_fill(void *arg)
{
    psa_key_id_t id;
    int step = 0;

    (void)arg;
    CHECK(psa_crypto_init() == PSA_SUCCESS);
    for (id = 1; id <= CRYPTO_USER_MAX_PERSISTENT_KEYS; id++)
        CHECK(persistent_key(id) == PSA_SUCCESS);
    CHECK(persistent_key(id) == PSA_ERROR_INSUFFICIENT_STORAGE);
    return 0;
}

static void test_crypto_persistent(void **state)
{
    (void)state;
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(persistent_fill(NULL), 0);
    as_user(USER_B, persistent_fill, NULL);
    assert_int_equal(fixture_stop(&fx), 0);
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(psa_crypto_init(), PSA_SUCCESS);
    assert_int_equal(persistent_key(CRYPTO_USER_MAX_PERSISTENT_KEYS + 1),
                     PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(psa_destroy_key(1), PSA_SUCCESS);
    assert_int_equal(persistent_key(CRYPTO_USER_MAX_PERSISTENT_KEYS + 1), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* Multi-part operations: one of each kind but AEAD in turn, on these keys. */
struct op_keys {
    psa_key_id_t mac, cipher;
};

union any_op {
    psa_hash_operation_t hash;
    psa_mac_operation_t mac;
    psa_cipher_operation_t cipher;
    psa_key_derivation_operation_t kdf;
};

static psa_status_t op_setup(union any_op *op, int i, const struct op_keys *k)
{
    switch (i % 4) {
    case 0:
        op->hash = psa_hash_operation_init();
        return psa_hash_setup(&op->hash, PSA_ALG_SHA_256);
    case 1:
        op->mac = psa_mac_operation_init();
        return psa_mac_sign_setup(&op->mac, k->mac, PSA_ALG_HMAC(PSA_ALG_SHA_256));
    case 2:
        op->cipher = psa_cipher_operation_init();
        return psa_cipher_encrypt_setup(&op->cipher, k->cipher, PSA_ALG_CTR);
    default:
        op->kdf = psa_key_derivation_operation_init();
        return psa_key_derivation_setup(&op->kdf, PSA_ALG_HKDF(PSA_ALG_SHA_256));
    }
}

static psa_status_t op_abort(union any_op *op, int i)
{
    switch (i % 4) {
    case 0:
        return psa_hash_abort(&op->hash);
    case 1:
        return psa_mac_abort(&op->mac);
    case 2:
        return psa_cipher_abort(&op->cipher);
    default:
        return psa_key_derivation_abort(&op->kdf);
    }
}

static psa_key_id_t op_key(psa_key_type_t type, psa_key_usage_t usage, psa_algorithm_t alg)
{
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    static const uint8_t k[32] = {3};
    psa_key_id_t id = 0;

    psa_set_key_type(&attr, type);
    psa_set_key_usage_flags(&attr, usage);
    psa_set_key_algorithm(&attr, alg);
    assert_int_equal(psa_import_key(&attr, k, type == PSA_KEY_TYPE_AES ? 16 : 32, &id),
                     PSA_SUCCESS);
    return id;
}

/* A process of user A: sets up operations until its process's bound or
 * INSUFFICIENT_MEMORY, writes how many to @p report (0xff: another
 * status), holds them until @p hold is closed, and ends with them open. */
static void op_filler(int report, int hold, const struct op_keys *k)
{
    union any_op ops[OPS_PER_PROCESS];
    psa_status_t st = PSA_SUCCESS;
    uint8_t n = 0;
    char c;

    while (n < OPS_PER_PROCESS && (st = op_setup(&ops[n], n, k)) == PSA_SUCCESS)
        n++;
    if (st != PSA_SUCCESS && st != PSA_ERROR_INSUFFICIENT_MEMORY)
        n = 0xff;
    if (write(report, &n, 1) != 1 || read(hold, &c, 1) != 0)
        _exit(1);
    _exit(0);
}

/* User B, while user A holds its quota of operations: one of each kind. */
static int ops_served(void *arg)
{
    struct op_keys k;
    union any_op ops[4];
    int i, step = 0;

    (void)arg;
    CHECK(psa_crypto_init() == PSA_SUCCESS);
    k.mac = op_key(PSA_KEY_TYPE_HMAC, PSA_KEY_USAGE_SIGN_MESSAGE, PSA_ALG_HMAC(PSA_ALG_SHA_256));
    k.cipher = op_key(PSA_KEY_TYPE_AES, PSA_KEY_USAGE_ENCRYPT, PSA_ALG_CTR);
    for (i = 0; i < 4; i++)
        CHECK(op_setup(&ops[i], i, &k) == PSA_SUCCESS);
    for (i = 0; i < 4; i++)
        CHECK(op_abort(&ops[i], i) == PSA_SUCCESS);
    return 0;
}

/* Hash, MAC, cipher and key-derivation operations: user A, in this process
 * and OP_FILLERS more, gets CRYPTO_USER_MAX_OPS of them in all, not the
 * partition's 32; user B still gets each kind.  An abort and a process's
 * end give the slots back. */
static void test_crypto_operations(void **state)
{
    psa_aead_operation_t aead = PSA_AEAD_OPERATION_INIT;
    union any_op mine[OPS_PER_PROCESS + 1];
    int report[2], hold[2], i, status, left = CRYPTO_USER_MAX_OPS - 2;
    uint8_t got[OP_FILLERS];
    pid_t pids[OP_FILLERS];
    struct op_keys k;
    char freed[64];
    psa_key_id_t aead_key;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(psa_crypto_init(), PSA_SUCCESS);
    k.mac = op_key(PSA_KEY_TYPE_HMAC, PSA_KEY_USAGE_SIGN_MESSAGE, PSA_ALG_HMAC(PSA_ALG_SHA_256));
    k.cipher = op_key(PSA_KEY_TYPE_AES, PSA_KEY_USAGE_ENCRYPT, PSA_ALG_CTR);
    aead_key = op_key(PSA_KEY_TYPE_AES, PSA_KEY_USAGE_ENCRYPT, PSA_ALG_GCM);
    for (i = 0; i < 2; i++)
        assert_int_equal(op_setup(&mine[i], i, &k), PSA_SUCCESS);
    assert_int_equal(pipe(report), 0);
    assert_int_equal(pipe(hold), 0);
    /* one filler at a time, each taking what it can */
    for (i = 0; i < OP_FILLERS; i++) {
        pids[i] = fork();
        assert_true(pids[i] >= 0);
        if (pids[i] == 0) {
            close(report[0]);
            close(hold[1]);
            op_filler(report[1], hold[0], &k);
        }
        assert_int_equal(read(report[0], &got[i], 1), 1);
    }
    /* the issue: user B is served whatever user A holds ... */
    as_user(USER_B, ops_served, NULL);
    /* ... because user A got its quota, each filler what was left of it */
    for (i = 0; i < OP_FILLERS; i++) {
        assert_int_equal(got[i], left < OPS_PER_PROCESS ? left : OPS_PER_PROCESS);
        left -= got[i];
    }
    assert_int_equal(left, 0);
    /* AEAD operations have a quota of their own */
    assert_int_equal(psa_aead_encrypt_setup(&aead, aead_key, PSA_ALG_GCM), PSA_SUCCESS);
    assert_int_equal(psa_aead_abort(&aead), PSA_SUCCESS);
    /* an abort gives this user its slot back */
    assert_int_equal(op_setup(&mine[2], 0, &k), PSA_ERROR_INSUFFICIENT_MEMORY);
    assert_int_equal(op_abort(&mine[1], 1), PSA_SUCCESS);
    assert_int_equal(op_setup(&mine[1], 1, &k), PSA_SUCCESS);
    assert_int_equal(op_setup(&mine[2], 2, &k), PSA_ERROR_INSUFFICIENT_MEMORY);

    /* the fillers end with their operations open: the partition frees them */
    close(hold[1]);
    for (i = 0; i < OP_FILLERS; i++) {
        assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
    }
    close(hold[0]);
    close(report[0]);
    close(report[1]);
    snprintf(freed, sizeof(freed), "freed %d open operation(s)",
             CRYPTO_USER_MAX_OPS - 2 < OPS_PER_PROCESS ? CRYPTO_USER_MAX_OPS - 2 : OPS_PER_PROCESS);
    assert_true(fixture_log_has(&fx, "closed its session", freed));
    for (i = 2; i < OPS_PER_PROCESS && i < CRYPTO_USER_MAX_OPS; i++)
        assert_int_equal(op_setup(&mine[i], i, &k), PSA_SUCCESS);
    assert_int_equal(op_setup(&mine[i], i, &k), PSA_ERROR_INSUFFICIENT_MEMORY);
    while (i-- > 0)
        assert_int_equal(op_abort(&mine[i], i), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* ---- BLS HSM ---- */

/* This user's quota of keys, then INSUFFICIENT_STORAGE (from an import
 * too). */
static int bls_fill(void *arg)
{
    static const uint8_t sk[TFM_BLS_HSM_SK_LEN] = {[31] = 1};
    uint32_t i, index;
    int step = 0;

    (void)arg;
    for (i = 0; i < BLS_HSM_USER_MAX_KEYS; i++)
        CHECK(tfm_secure_keygen(NULL, 0, &index) == PSA_SUCCESS);
    CHECK(tfm_secure_keygen(NULL, 0, &index) == PSA_ERROR_INSUFFICIENT_STORAGE);
    CHECK(tfm_bls_import_key(sk, &index) == PSA_ERROR_INSUFFICIENT_STORAGE);
    return 0;
}

/* The keystore is full: a user with no key gets INSUFFICIENT_STORAGE. */
static int bls_full(void *arg)
{
    uint32_t index, keys, free_slots;
    int step = 0;

    (void)arg;
    CHECK(tfm_get_keystore_size(&keys, &free_slots) == PSA_SUCCESS);
    CHECK(keys == 0 && free_slots == 0);
    CHECK(tfm_secure_keygen(NULL, 0, &index) == PSA_ERROR_INSUFFICIENT_STORAGE);
    return 0;
}

static void test_bls_quota(void **state)
{
    uint32_t index, keys, free_slots;

    (void)state;
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(bls_fill(NULL), 0);
    as_user(USER_B, bls_fill, NULL);
    assert_int_equal(fixture_stop(&fx), 0);

    /* counted from the keys stored (in ITS), after a restart */
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(tfm_get_keystore_size(&keys, &free_slots), PSA_SUCCESS);
    assert_int_equal(keys, BLS_HSM_USER_MAX_KEYS);
    assert_int_equal(tfm_secure_keygen(NULL, 0, &index), PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(tfm_bls_delete_key(0), PSA_SUCCESS);
    assert_int_equal(tfm_secure_keygen(NULL, 0, &index), PSA_SUCCESS);
    /* the keystore still bounds every user together */
    as_user(USER_C, bls_fill, NULL);
    as_user(USER_D, bls_fill, NULL);
    as_user(USER_E, bls_full, NULL);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* ---- one user fills what it can; the others are served ---- */

static int served(void *arg)
{
    uint32_t index;
    int step = 0;

    (void)arg;
    CHECK(psa_its_set(1, 1, "b", 0) == PSA_SUCCESS);
    CHECK(psa_ps_set(1, 1, "b", 0) == PSA_SUCCESS);
    CHECK(tfm_secure_keygen(NULL, 0, &index) == PSA_SUCCESS);
    CHECK(psa_crypto_init() == PSA_SUCCESS);
    CHECK(persistent_key(1) == PSA_SUCCESS);
    CHECK(volatile_key() == PSA_SUCCESS);
    return 0;
}

/* The case: one user sets ITS entries, then PS objects, BLS keys
 * and Crypto keys until each refuses, and user B still gets each. */
static void test_one_user_fills_all(void **state)
{
    psa_storage_uid_t uid;
    psa_key_id_t id;
    uint32_t index;
    int i;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(psa_crypto_init(), PSA_SUCCESS);
    for (uid = 1; psa_its_set(uid, 1, "a", 0) == PSA_SUCCESS; uid++)
        assert_true(uid <= ITS_MAX_ENTRIES);
    for (uid = 1; psa_ps_set(uid, 1, "a", 0) == PSA_SUCCESS; uid++)
        assert_true(uid <= PS_MAX_OBJECTS);
    for (i = 0; tfm_secure_keygen(NULL, 0, &index) == PSA_SUCCESS; i++)
        assert_true(i < TFM_BLS_HSM_KEYSTORE_SIZE);
    for (id = 1; persistent_key(id) == PSA_SUCCESS; id++)
        assert_true(id <= 32);
    for (i = 0; volatile_key() == PSA_SUCCESS; i++)
        assert_true(i < VOLATILE_KEYS);
    as_user(USER_B, served, NULL);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* ---- connections ---- */

static int connects(void *arg)
{
    psa_handle_t h = psa_connect(PARTIX_TEST_STRICT_SID, 2);

    (void)arg;
    if (!PSA_HANDLE_IS_VALID(h))
        return 1;
    psa_close(h);
    return 0;
}

/* --max-connections is per user: root at it, user B still connects. */
static void test_connections(void **state)
{
    static const char *const four[] = {"--max-connections", "4", NULL};
    psa_handle_t h[5];
    int i;

    (void)state;
    assert_int_equal(fixture_start(&fx, four), 0);
    for (i = 0; i < 4; i++) {
        h[i] = psa_connect(PARTIX_TEST_STRICT_SID, 2);
        assert_true(PSA_HANDLE_IS_VALID(h[i]));
    }
    h[4] = psa_connect(PARTIX_TEST_STRICT_SID, 2);
    assert_int_equal(h[4], PSA_ERROR_CONNECTION_BUSY);
    as_user(USER_B, connects, NULL);
    for (i = 0; i < 4; i++)
        psa_close(h[i]);
    assert_int_equal(fixture_stop(&fx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_its_entries, teardown),
        cmocka_unit_test_teardown(test_its_bytes, teardown),
        cmocka_unit_test_teardown(test_ps_quota, teardown),
        cmocka_unit_test_teardown(test_crypto_volatile, teardown),
        cmocka_unit_test_teardown(test_crypto_persistent, teardown),
        cmocka_unit_test_teardown(test_crypto_operations, teardown),
        cmocka_unit_test_teardown(test_bls_quota, teardown),
        cmocka_unit_test_teardown(test_one_user_fills_all, teardown),
        cmocka_unit_test_teardown(test_connections, teardown),
    };

    return cmocka_run_group_tests(tests, setup, final_teardown);
}
