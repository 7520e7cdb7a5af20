/*
 * test_crypto_persist.c - persistent keys of the Crypto service against the
 * real daemon: ids and their errors, the quota, keys kept across a restart
 * of psa-spm and of the partition, two users' namespaces, the states a
 * crash can leave between a key and the key map (made by hand in ITS's
 * files, then the daemon started on them), and kill -9 of the daemon during
 * a stream of creations and destructions.
 */
#include <psa/crypto.h>

#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "psa/internal_trusted_storage.h"
#include "psa_manifest/pid.h"

/* crypto_pkeys.c's CP_MAP_UID: the key map's entry in the partition's ITS
 * namespace (client id TFM_SP_CRYPTO). */
#define MAP_UID (1ull << 32)

static struct fixture fx;
static char state_dir[64]; /* outlives one daemon */
static const char *const keep_state[] = {"--state-dir", state_dir, NULL};
static const char *const keep_state_restart[] = {"--state-dir", state_dir, "--fault-policy",
                                                 "restart", NULL};

/* RFC 6979, A.2.5: P-256, SHA-256, message "sample" (deterministic ECDSA). */
static const char p256_d[] = "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721";
static const char p256_sig[] = "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
                               "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8";

static size_t unhex(const char *hex, uint8_t *out)
{
    size_t i, n = strlen(hex) / 2;
    unsigned x;

    for (i = 0; i < n; i++) {
        sscanf(hex + 2 * i, "%2x", &x);
        out[i] = (uint8_t)x;
    }
    return n;
}

static int setup(void **state)
{
    (void)state;
    return fixture_dir_new(state_dir, sizeof(state_dir), "crypto");
}

static int teardown(void **state)
{
    fixture_teardown(state);
    return fixture_dir_remove(state_dir);
}

static void start(const char *const *extra)
{
    assert_int_equal(fixture_start(&fx, extra), 0);
    assert_int_equal(psa_crypto_init(), PSA_SUCCESS);
}

/* An AES-128 key of sixteen @p fill bytes, persistent with id @p id. */
static psa_status_t make(psa_key_id_t id, uint8_t fill)
{
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_id_t got = 0;
    uint8_t k[16];
    psa_status_t st;

    memset(k, fill, sizeof(k));
    psa_set_key_id(&attr, id);
    psa_set_key_type(&attr, PSA_KEY_TYPE_AES);
    psa_set_key_usage_flags(&attr,
                            PSA_KEY_USAGE_EXPORT | PSA_KEY_USAGE_ENCRYPT | PSA_KEY_USAGE_COPY);
    psa_set_key_algorithm(&attr, PSA_ALG_CTR);
    st = psa_import_key(&attr, k, sizeof(k), &got);
    if (st == PSA_SUCCESS && got != id)
        return PSA_ERROR_CORRUPTION_DETECTED; /* a persistent key keeps the caller's id */
    return st;
}

/* Key @p id exports as sixteen @p fill bytes. */
static bool holds(psa_key_id_t id, uint8_t fill)
{
    uint8_t out[32], want[16];
    size_t n = 0;

    memset(want, fill, sizeof(want));
    return psa_export_key(id, out, sizeof(out), &n) == PSA_SUCCESS && n == 16 &&
           memcmp(out, want, 16) == 0;
}

static psa_status_t attr_of(psa_key_id_t id, psa_key_attributes_t *attr)
{
    *attr = psa_key_attributes_init();
    return psa_get_key_attributes(id, attr);
}

static psa_key_id_t volatile_key(void)
{
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    static const uint8_t k[16] = {9};
    psa_key_id_t id = 0;

    psa_set_key_type(&attr, PSA_KEY_TYPE_AES);
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_EXPORT);
    assert_int_equal(psa_import_key(&attr, k, sizeof(k), &id), PSA_SUCCESS);
    return id;
}

/* The partition's entries in ITS's folder: key entries (every one but the
 * map), and whether the map is there. */
static int key_files(bool *map)
{
    char dir[160], prefix[16], map_name[64];
    struct dirent *e;
    int n = 0;
    DIR *d;

    snprintf(dir, sizeof(dir), "%s/TFM_SP_ITS", state_dir);
    snprintf(prefix, sizeof(prefix), "%08x-", (unsigned)TFM_SP_CRYPTO);
    snprintf(map_name, sizeof(map_name), "%s%016llx", prefix, MAP_UID);
    *map = false;
    d = opendir(dir);
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, map_name) == 0)
            *map = true;
        else if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            n++;
    }
    closedir(d);
    return n;
}

static void its_path(char *out, size_t size, psa_storage_uid_t uid)
{
    snprintf(out, size, "%s/TFM_SP_ITS/%08x-%016llx", state_dir, (unsigned)TFM_SP_CRYPTO,
             (unsigned long long)uid);
}

/* The whole of a file, into @p buf (up to 4 KiB); its length. */
static size_t slurp(const char *path, uint8_t *buf)
{
    int fd = open(path, O_RDONLY);
    ssize_t n;

    assert_true(fd >= 0);
    n = read(fd, buf, 4096);
    close(fd);
    assert_true(n > 0);
    return (size_t)n;
}

/* Writes a file in place (its owner, the partitions' user, stays). */
static void spill(const char *path, const uint8_t *buf, size_t n)
{
    int fd = open(path, O_WRONLY | O_TRUNC);

    assert_true(fd >= 0);
    assert_int_equal(write(fd, buf, n), (ssize_t)n);
    close(fd);
}

static void test_ids_and_errors(void **state)
{
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_handle_t h = 0;
    psa_key_id_t got = 0;
    uint8_t k[16] = {0};
    bool map;

    (void)state;
    start(keep_state);
    assert_int_equal(make(1, 0x11), PSA_SUCCESS);
    assert_true(holds(1, 0x11));
    assert_int_equal(attr_of(1, &attr), PSA_SUCCESS);
    assert_int_equal(psa_get_key_id(&attr), 1);
    assert_int_equal(psa_get_key_lifetime(&attr), PSA_KEY_LIFETIME_PERSISTENT);
    assert_int_equal(psa_get_key_type(&attr), PSA_KEY_TYPE_AES);
    assert_int_equal(psa_get_key_bits(&attr), 128);

    /* the id is taken, by every way of making a key */
    assert_int_equal(make(1, 0x12), PSA_ERROR_ALREADY_EXISTS);
    psa_reset_key_attributes(&attr);
    psa_set_key_id(&attr, 1);
    psa_set_key_type(&attr, PSA_KEY_TYPE_AES);
    psa_set_key_bits(&attr, 128);
    assert_int_equal(psa_generate_key(&attr, &got), PSA_ERROR_ALREADY_EXISTS);
    assert_int_equal(psa_copy_key(1, &attr, &got), PSA_ERROR_ALREADY_EXISTS);
    assert_true(holds(1, 0x11));

    /* ids outside the user range, and id 0 */
    assert_int_equal(make(0, 1), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(make(PSA_KEY_ID_USER_MAX + 1, 1), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(make(PSA_KEY_ID_VENDOR_MAX, 1), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(make(0xffffffffu, 1), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(make(PSA_KEY_ID_USER_MAX, 0x7f), PSA_SUCCESS);
    assert_true(holds(PSA_KEY_ID_USER_MAX, 0x7f));
    assert_int_equal(psa_destroy_key(PSA_KEY_ID_USER_MAX), PSA_SUCCESS);
    /* storage other than the partition's own */
    psa_reset_key_attributes(&attr);
    psa_set_key_id(&attr, 3);
    psa_set_key_lifetime(
        &attr, PSA_KEY_LIFETIME_FROM_PERSISTENCE_AND_LOCATION(PSA_KEY_PERSISTENCE_DEFAULT, 1));
    psa_set_key_type(&attr, PSA_KEY_TYPE_AES);
    assert_int_equal(psa_import_key(&attr, k, sizeof(k), &got), PSA_ERROR_NOT_SUPPORTED);

    /* a persistent copy and a generated key; one ITS entry each */
    psa_reset_key_attributes(&attr);
    psa_set_key_id(&attr, 2);
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_EXPORT);
    psa_set_key_algorithm(&attr, PSA_ALG_CTR);
    assert_int_equal(psa_copy_key(1, &attr, &got), PSA_SUCCESS);
    assert_int_equal(got, 2);
    assert_true(holds(2, 0x11));
    psa_reset_key_attributes(&attr);
    psa_set_key_id(&attr, 3);
    psa_set_key_type(&attr, PSA_KEY_TYPE_AES);
    psa_set_key_bits(&attr, 256);
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_ENCRYPT);
    psa_set_key_algorithm(&attr, PSA_ALG_CTR);
    assert_int_equal(psa_generate_key(&attr, &got), PSA_SUCCESS);
    assert_int_equal(got, 3);
    assert_int_equal(key_files(&map), 3);
    assert_true(map);

    /* open, close and purge leave the stored key */
    assert_int_equal(psa_open_key(1, &h), PSA_SUCCESS);
    assert_int_equal(h, 1);
    assert_int_equal(psa_close_key(h), PSA_SUCCESS);
    assert_int_equal(psa_purge_key(1), PSA_SUCCESS);
    assert_int_equal(psa_purge_key(1), PSA_SUCCESS); /* not in memory: nothing to do */
    assert_true(holds(1, 0x11));
    assert_int_equal(psa_open_key(PSA_KEY_ID_VENDOR_MIN, &h), PSA_ERROR_INVALID_ARGUMENT);

    /* destroyed: gone for every call, its id free again */
    assert_int_equal(psa_destroy_key(1), PSA_SUCCESS);
    assert_false(holds(1, 0x11));
    assert_int_equal(attr_of(1, &attr), PSA_ERROR_INVALID_HANDLE);
    assert_int_equal(psa_open_key(1, &h), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(psa_destroy_key(1), PSA_ERROR_INVALID_HANDLE);
    assert_int_equal(key_files(&map), 2);
    assert_true(holds(2, 0x11)); /* the copy is a key of its own */
    assert_int_equal(make(1, 0x13), PSA_SUCCESS);
    assert_true(holds(1, 0x13));
    assert_int_equal(psa_destroy_key(1), PSA_SUCCESS);
    assert_int_equal(psa_destroy_key(2), PSA_SUCCESS);
    assert_int_equal(psa_destroy_key(3), PSA_SUCCESS);
    assert_int_equal(key_files(&map), 0);
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_survives_daemon_restart(void **state)
{
    const psa_algorithm_t det = PSA_ALG_DETERMINISTIC_ECDSA(PSA_ALG_SHA_256);
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    uint8_t d[32], want[64], sig[64];
    psa_key_id_t got = 0, vol;
    psa_key_handle_t h = 0;
    size_t n = 0;

    (void)state;
    start(keep_state);
    assert_int_equal(make(7, 0x77), PSA_SUCCESS);
    psa_set_key_id(&attr, 8);
    psa_set_key_type(&attr, PSA_KEY_TYPE_ECC_KEY_PAIR(PSA_ECC_FAMILY_SECP_R1));
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_SIGN_MESSAGE);
    psa_set_key_algorithm(&attr, det);
    assert_int_equal(psa_import_key(&attr, d, unhex(p256_d, d), &got), PSA_SUCCESS);
    vol = volatile_key();
    assert_int_equal(fixture_stop(&fx), 0);

    start(keep_state);
    assert_true(holds(7, 0x77));
    /* the stored private key signs exactly as RFC 6979 says */
    unhex(p256_sig, want);
    assert_int_equal(psa_sign_message(8, det, (const uint8_t *)"sample", 6, sig, sizeof(sig), &n),
                     PSA_SUCCESS);
    assert_int_equal(n, 64);
    assert_memory_equal(sig, want, 64);
    assert_int_equal(attr_of(8, &attr), PSA_SUCCESS);
    assert_int_equal(psa_get_key_id(&attr), 8);
    assert_int_equal(psa_get_key_lifetime(&attr), PSA_KEY_LIFETIME_PERSISTENT);
    assert_int_equal(make(7, 0x78), PSA_ERROR_ALREADY_EXISTS);
    assert_int_equal(attr_of(vol, &attr), PSA_ERROR_INVALID_HANDLE); /* volatile: gone */
    assert_int_equal(psa_destroy_key(7), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);

    start(keep_state);
    assert_int_equal(psa_open_key(7, &h), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(psa_open_key(8, &h), PSA_SUCCESS);
    assert_int_equal(psa_destroy_key(8), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* The crypto partition alone restarts (kill -9, fault policy "restart");
 * ITS stays up. */
static void test_survives_partition_restart(void **state)
{
    psa_key_attributes_t attr;
    pid_t crypto, its;
    psa_key_id_t vol;

    (void)state;
    start(keep_state_restart);
    assert_int_equal(make(5, 0x55), PSA_SUCCESS);
    vol = volatile_key();
    crypto = fixture_partition_pid(&fx, "TFM_SP_CRYPTO");
    its = fixture_partition_pid(&fx, "TFM_SP_ITS");
    assert_true(crypto > 0 && its > 0);
    assert_int_equal(kill(crypto, SIGKILL), 0);
    assert_true(fixture_restarted(&fx, "TFM_SP_CRYPTO", crypto) > 0);
    assert_int_equal(fixture_partition_pid(&fx, "TFM_SP_ITS"), its);
    assert_true(holds(5, 0x55));
    assert_int_equal(attr_of(vol, &attr), PSA_ERROR_INVALID_HANDLE);
    assert_int_equal(make(5, 0x56), PSA_ERROR_ALREADY_EXISTS);
    assert_int_equal(psa_destroy_key(5), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* In a child: 1-byte ITS entries (uids 1, 2, ...) until ITS refuses with
 * INSUFFICIENT_STORAGE: the number set, or 100 for another failure. */
static int its_fill(void *arg)
{
    psa_storage_uid_t uid;
    psa_status_t st;

    (void)arg;
    for (uid = 1; uid < 100; uid++)
        if ((st = psa_its_set(uid, 1, "x", 0)) != PSA_SUCCESS)
            return st == PSA_ERROR_INSUFFICIENT_STORAGE ? (int)uid - 1 : 100;
    return 100;
}

static int its_empty(void *arg)
{
    psa_storage_uid_t uid;

    (void)arg;
    for (uid = 1; uid < 100; uid++)
        if (psa_its_remove(uid) != PSA_SUCCESS)
            break;
    return 0;
}

static void test_quota(void **state)
{
    psa_key_id_t id;
    uid_t u, last;
    int n;

    (void)state;
    start(keep_state);
    for (id = 1; id <= 8; id++)
        assert_int_equal(make(id, (uint8_t)id), PSA_SUCCESS);
    assert_int_equal(make(9, 9), PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(psa_destroy_key(3), PSA_SUCCESS);
    assert_int_equal(make(9, 9), PSA_SUCCESS);
    assert_true(holds(9, 9));
    assert_int_equal(psa_destroy_key(9), PSA_SUCCESS);

    /* ITS itself full (other users' entries, each user at most its quota):
     * the key is not stored, and the caller hears why */
    for (u = 65534;; u--) {
        n = fixture_run_as(&fx, u, its_fill, NULL);
        if (n == -2) {
            print_message("skipped: filling ITS takes several users (root)\n");
            skip();
        }
        assert_true(n >= 0 && n < 100 && u > 65500);
        if (n == 0)
            break;
    }
    last = u;
    assert_int_equal(make(9, 9), PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(psa_destroy_key(9), PSA_ERROR_INVALID_HANDLE);
    for (u = 65534; u > last; u--)
        assert_int_equal(fixture_run_as(&fx, u, its_empty, NULL), 0);
    assert_int_equal(make(9, 9), PSA_SUCCESS);
    assert_true(holds(9, 9));
    assert_int_equal(fixture_stop(&fx), 0);
}

/* In a child run as another user: the number of the first check that
 * fails, or 0. */
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        step++;                                                                                    \
        if (!(cond))                                                                               \
            return step;                                                                           \
    } while (0)

/* Root's persistent key 1, seen from uid 65534: it does not exist there,
 * and 65534 makes a key 1 of its own, which it leaves for the next run. */
static int other_user(void *arg)
{
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    psa_key_handle_t h = 0;
    psa_key_id_t got = 0;
    uint8_t out[16] = {0};
    size_t n = 0;
    int step = 0;

    (void)arg;
    CHECK(psa_open_key(1, &h) == PSA_ERROR_DOES_NOT_EXIST);
    CHECK(psa_export_key(1, out, sizeof(out), &n) == PSA_ERROR_INVALID_HANDLE);
    CHECK(psa_get_key_attributes(1, &attr) == PSA_ERROR_INVALID_HANDLE);
    CHECK(psa_cipher_encrypt(1, PSA_ALG_CTR, out, 16, out, 16, &n) == PSA_ERROR_INVALID_HANDLE);
    CHECK(psa_copy_key(1, &attr, &got) == PSA_ERROR_INVALID_HANDLE);
    CHECK(psa_purge_key(1) == PSA_ERROR_INVALID_HANDLE);
    CHECK(psa_destroy_key(1) == PSA_ERROR_INVALID_HANDLE);
    /* its own key 1; root's full quota is not this user's */
    CHECK(make(1, 0xbb) == PSA_SUCCESS);
    CHECK(holds(1, 0xbb));
    return 0;
}

/* The next run of uid 65534: its own key 1 is still there; it destroys it. */
static int other_user_again(void *arg)
{
    int step = 0;

    (void)arg;
    CHECK(holds(1, 0xbb));
    CHECK(psa_destroy_key(1) == PSA_SUCCESS);
    CHECK(psa_open_key(1, &(psa_key_handle_t){0}) == PSA_ERROR_DOES_NOT_EXIST);
    return 0;
}

static void test_two_users(void **state)
{
    psa_key_id_t id;
    int rc;

    (void)state;
    start(keep_state);
    assert_int_equal(make(1, 0xaa), PSA_SUCCESS);
    for (id = 2; id <= 8; id++)
        assert_int_equal(make(id, (uint8_t)id), PSA_SUCCESS);
    rc = fixture_run_as(&fx, 65534, other_user, NULL);
    if (rc == -2) {
        print_message("skipped: persistent key isolation between two users needs root\n");
        skip();
    }
    assert_int_equal(rc, 0);
    assert_true(holds(1, 0xaa));
    assert_int_equal(fixture_stop(&fx), 0);

    start(keep_state);
    assert_true(holds(1, 0xaa));
    assert_int_equal(fixture_run_as(&fx, 65534, other_user_again, NULL), 0);
    assert_true(holds(1, 0xaa));
    for (id = 1; id <= 8; id++)
        assert_int_equal(psa_destroy_key(id), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* A Linux uid past INT32_MAX: -1 - uid would wrap to the Crypto
 * partition's own client id, whose ITS namespace holds the key map and the
 * keys in the clear.  It gets nothing. */
static int wrapped_uid(void *arg)
{
    uint8_t buf[512];
    size_t len = 0;

    (void)arg;
    return psa_its_get(MAP_UID, 0, sizeof(buf), buf, &len) == PSA_SUCCESS ? 1 : 0;
}

static void test_uid_past_client_ids_refused(void **state)
{
    char line[96];
    uid_t uid = (uid_t)(-1 - (int32_t)TFM_SP_CRYPTO); /* 4294967036 */
    int rc;

    (void)state;
    start(keep_state);
    assert_int_equal(make(1, 0xaa), PSA_SUCCESS); /* the map is in ITS */
    rc = fixture_run_as(&fx, uid, wrapped_uid, NULL);
    if (rc == -2) {
        print_message("skipped: running a client as uid %u needs root\n", (unsigned)uid);
        skip();
    }
    assert_int_equal(rc, 0);
    snprintf(line, sizeof(line), "uid %u has no non-secure client id: refused", (unsigned)uid);
    assert_true(fixture_log_has(&fx, line, NULL));
    assert_int_equal(psa_destroy_key(1), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* Another user's volatile keys: as many as *@p arg says, then
 * INSUFFICIENT_MEMORY (its quota, or the partition's 28 slots all taken);
 * with the slots all taken (a negative count: minus the number), its
 * persistent keys still find key slots. */
static int fill_slots(void *arg)
{
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    static const uint8_t k[16] = {5};
    int n = *(const int *)arg, step = 0, i;
    psa_key_id_t id = 0;

    psa_set_key_type(&attr, PSA_KEY_TYPE_AES);
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_EXPORT);
    for (i = 0; i < (n < 0 ? -n : n); i++)
        CHECK(psa_import_key(&attr, k, sizeof(k), &id) == PSA_SUCCESS);
    CHECK(psa_import_key(&attr, k, sizeof(k), &id) == PSA_ERROR_INSUFFICIENT_MEMORY);
    if (n < 0) {
        CHECK(make(1, 0x31) == PSA_SUCCESS);
        CHECK(holds(1, 0x31));
    }
    return 0;
}

static void test_slots_left_for_persistent_keys(void **state)
{
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    static const uint8_t k[16] = {4};
    psa_key_id_t id = 0, copy = 0;
    int i, rc;

    (void)state;
    start(keep_state);
    assert_int_equal(make(1, 0x21), PSA_SUCCESS);
    psa_set_key_type(&attr, PSA_KEY_TYPE_AES);
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_EXPORT);
    /* root and two more users at their quota of 8, a fourth takes the last 4 */
    for (i = 0; i < 8; i++)
        assert_int_equal(psa_import_key(&attr, k, sizeof(k), &id), PSA_SUCCESS);
    assert_int_equal(psa_import_key(&attr, k, sizeof(k), &id), PSA_ERROR_INSUFFICIENT_MEMORY);
    rc = fixture_run_as(&fx, 65534, fill_slots, &(int){8});
    if (rc == -2) {
        print_message("skipped: filling the partition's key slots needs more users (root)\n");
        skip();
    }
    assert_int_equal(rc, 0);
    assert_int_equal(fixture_run_as(&fx, 65533, fill_slots, &(int){8}), 0);
    assert_int_equal(fixture_run_as(&fx, 65532, fill_slots, &(int){-4}), 0);
    /* two slots at once: a persistent key copied to another */
    psa_reset_key_attributes(&attr);
    psa_set_key_id(&attr, 2);
    psa_set_key_usage_flags(&attr, PSA_KEY_USAGE_EXPORT);
    psa_set_key_algorithm(&attr, PSA_ALG_CTR);
    assert_int_equal(psa_purge_key(1), PSA_SUCCESS);
    assert_int_equal(psa_copy_key(1, &attr, &copy), PSA_SUCCESS);
    assert_true(holds(2, 0x21));
    assert_int_equal(fixture_stop(&fx), 0);
}

/* A crash after Mbed TLS stored a key, before the map named it: the stored
 * map is the one from before (put back by hand).  The key is an orphan:
 * unreachable, removed at the next start, its id free. */
static void test_crash_before_map(void **state)
{
    uint8_t before[4096];
    char map[192];
    size_t n;
    bool has_map;

    (void)state;
    start(keep_state);
    assert_int_equal(make(1, 0x01), PSA_SUCCESS);
    its_path(map, sizeof(map), MAP_UID);
    n = slurp(map, before);
    assert_int_equal(make(2, 0x02), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
    spill(map, before, n);
    assert_int_equal(key_files(&has_map), 2);

    start(keep_state);
    assert_true(holds(1, 0x01));
    assert_false(holds(2, 0x02));
    assert_true(fixture_log_has(&fx, "removed orphaned persistent key", NULL));
    assert_int_equal(key_files(&has_map), 1);
    assert_int_equal(make(2, 0x22), PSA_SUCCESS);
    assert_true(holds(2, 0x22));
    assert_int_equal(psa_destroy_key(1), PSA_SUCCESS);
    assert_int_equal(psa_destroy_key(2), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* A map entry whose key is gone from storage (never left by a crash: the
 * order of writes prevents it; here the file is removed by hand): the key
 * is missing, its id stays the caller's until destroyed, then is free. */
static void test_key_lost_from_storage(void **state)
{
    psa_key_handle_t h = 0;
    char dir[160], name[320], prefix[16];
    struct dirent *e;
    bool has_map;
    DIR *d;

    (void)state;
    start(keep_state);
    assert_int_equal(make(6, 0x06), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
    assert_int_equal(key_files(&has_map), 1);
    snprintf(dir, sizeof(dir), "%s/TFM_SP_ITS", state_dir);
    d = opendir(dir);
    assert_non_null(d);
    its_path(name, sizeof(name), MAP_UID);
    snprintf(prefix, sizeof(prefix), "%08x-", (unsigned)TFM_SP_CRYPTO);
    while ((e = readdir(d)) != NULL) {
        char path[512];

        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0 && strcmp(path, name) != 0)
            assert_int_equal(unlink(path), 0);
    }
    closedir(d);

    start(keep_state);
    assert_false(holds(6, 0x06));
    assert_int_equal(psa_open_key(6, &h), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(make(6, 0x66), PSA_ERROR_ALREADY_EXISTS);
    assert_int_equal(psa_destroy_key(6), PSA_SUCCESS);
    assert_int_equal(make(6, 0x66), PSA_SUCCESS);
    assert_true(holds(6, 0x66));
    assert_int_equal(psa_destroy_key(6), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* ---- kill -9 during a stream of creations and destructions ---- */

#define CRASH_IDS 4

struct key_state {
    uint32_t version; /* of the last key made with this id */
    uint32_t exists;
};

static uint8_t fill_of(psa_key_id_t id, uint32_t version)
{
    return (uint8_t)(id << 4 | (version & 0xf));
}

/* The child: destroys or makes each id in turn, from @p s, and reports each
 * acknowledged step (id, version, exists) on @p fd until the daemon dies. */
static void churn(int fd, struct key_state *s)
{
    uint32_t msg[3];
    psa_status_t st;

    for (unsigned step = 0;; step++) {
        psa_key_id_t id = step % CRASH_IDS + 1;

        if (s[id].exists)
            st = psa_destroy_key(id);
        else
            st = make(id, fill_of(id, s[id].version + 1));
        if (st == PSA_ERROR_COMMUNICATION_FAILURE || st == PSA_ERROR_STORAGE_FAILURE)
            _exit(0); /* the daemon is gone */
        if (st != PSA_SUCCESS)
            _exit(1);
        s[id].version += !s[id].exists;
        s[id].exists = !s[id].exists;
        msg[0] = id;
        msg[1] = s[id].version;
        msg[2] = s[id].exists;
        if (write(fd, msg, sizeof(msg)) != sizeof(msg))
            _exit(2);
    }
}

/* After the crash, each id holds its acknowledged state or the next one
 * (the single step in flight); no stored key is unmapped; every id can be
 * made again. */
static void test_crash_consistency(void **state)
{
    struct key_state s[CRASH_IDS + 1] = {{0, 0}};
    int fds[2], status, round;
    uint32_t msg[3];
    bool has_map;
    pid_t pid;

    (void)state;
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    for (round = 0; round < 3; round++) {
        long stop_after = 10 + rand() % 60, seen = 0;
        psa_key_id_t flight;
        int live = 0;

        start(keep_state);
        assert_int_equal(pipe(fds), 0);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            churn(fds[1], s);
        }
        close(fds[1]);
        while (seen < stop_after && read(fds[0], msg, sizeof(msg)) == sizeof(msg)) {
            assert_true(msg[0] >= 1 && msg[0] <= CRASH_IDS);
            s[msg[0]] = (struct key_state){msg[1], msg[2]};
            seen++;
        }
        assert_int_equal(seen, stop_after);
        kill(fx.pid, SIGKILL);
        while (read(fds[0], msg, sizeof(msg)) == sizeof(msg)) {
            s[msg[0]] = (struct key_state){msg[1], msg[2]};
            seen++;
        }
        flight = (psa_key_id_t)(seen % CRASH_IDS + 1); /* the id of the step in flight */
        close(fds[0]);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        fixture_stop(&fx); /* reaps the killed daemon */

        start(keep_state);
        for (psa_key_id_t id = 1; id <= CRASH_IDS; id++) {
            bool now = holds(id, fill_of(id, s[id].version));

            if (id == flight && !s[id].exists && holds(id, fill_of(id, s[id].version + 1))) {
                s[id] = (struct key_state){s[id].version + 1, 1}; /* it made the key */
                now = true;
            } else if (id == flight && s[id].exists && !now) {
                s[id].exists = 0; /* it destroyed the key */
            }
            assert_true(now == (s[id].exists != 0));
            if (!now) {
                psa_key_attributes_t attr;

                assert_int_equal(attr_of(id, &attr), PSA_ERROR_INVALID_HANDLE);
            }
            live += now;
        }
        assert_int_equal(key_files(&has_map), live);
        for (psa_key_id_t id = 1; id <= CRASH_IDS; id++) {
            if (s[id].exists)
                assert_int_equal(psa_destroy_key(id), PSA_SUCCESS);
            assert_int_equal(make(id, fill_of(id, s[id].version + 1)), PSA_SUCCESS);
            s[id] = (struct key_state){s[id].version + 1, 1};
        }
        assert_int_equal(fixture_stop(&fx), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_ids_and_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_survives_daemon_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_survives_partition_restart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quota, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_users, setup, teardown),
        cmocka_unit_test_setup_teardown(test_uid_past_client_ids_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_slots_left_for_persistent_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crash_before_map, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_lost_from_storage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_crash_consistency, setup, teardown),
    };

    return cmocka_run_group_tests_name("crypto_persist", tests, NULL, NULL);
}
