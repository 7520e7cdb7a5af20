/*
 * test_ps.c - Protected Storage against the real daemon: every flag and
 * error, the capacity, persistence across a restart, the data encrypted at
 * rest, tampering (a changed byte, swapped files, an older copy, a removed
 * object put back, the object table changed or rolled back, another
 * device's key) detected, a set cut short by a crash taken in, two Linux
 * users apart, crash consistency under kill -9, and the partition's
 * sandbox.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
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
#include "ps_config.h"
#include "psa/client.h"
#include "psa/internal_trusted_storage.h"
#include "psa/protected_storage.h"
#include "psa_manifest/sid.h"
#include "tfm_ps_defs.h"

#define PS_HANDLE TFM_PROTECTED_STORAGE_SERVICE_HANDLE
#define OBJ_HEADER 52 /* ps_object.c: the clear header before the ciphertext */
#define OBJ_NONCE 40  /* ps_object.c: where the nonce starts */

static struct fixture fx;
static char state_dir[64]; /* a state directory that outlives one daemon */
static const char *const keep_state[] = {"--state-dir", state_dir, NULL};

static int teardown(void **state)
{
    fixture_teardown(state);
    return fixture_dir_remove(state_dir);
}

/* A new state directory (the previous one, if any, removed). */
static void make_state_dir(void)
{
    assert_int_equal(fixture_dir_remove(state_dir), 0);
    assert_int_equal(fixture_dir_new(state_dir, sizeof(state_dir), "ps"), 0);
}

/* The path of a file of the PS directory: an object's (this user's) or,
 * with uid 0, @p name. */
static void ps_path(char *out, size_t size, psa_storage_uid_t uid, const char *name)
{
    if (uid == 0)
        snprintf(out, size, "%s/TFM_SP_PS/%s", state_dir, name);
    else
        snprintf(out, size, "%s/TFM_SP_PS/%08x-%016llx", state_dir, (unsigned)(-1 - (int)getuid()),
                 (unsigned long long)uid);
}

static size_t read_file(const char *path, uint8_t *buf, size_t size)
{
    int fd = open(path, O_RDONLY);
    ssize_t n;

    assert_true(fd >= 0);
    n = read(fd, buf, size);
    close(fd);
    assert_true(n >= 0 && (size_t)n < size);
    return (size_t)n;
}

/* Writes a file of the PS directory as the partition's user would own it
 * (the test may be root, the partition is not). */
static void write_file(const char *path, const uint8_t *buf, size_t n)
{
    char dir[256];
    struct stat st;
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

    assert_true(fd >= 0);
    snprintf(dir, sizeof(dir), "%s/TFM_SP_PS", state_dir);
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(fchown(fd, st.st_uid, st.st_gid), 0);
    assert_int_equal(write(fd, buf, n), (ssize_t)n);
    close(fd);
}

static void flip_byte(const char *path, off_t at)
{
    uint8_t b;
    int fd = open(path, O_RDWR);

    assert_true(fd >= 0);
    assert_int_equal(pread(fd, &b, 1, at), 1);
    b ^= 0x01;
    assert_int_equal(pwrite(fd, &b, 1, at), 1);
    close(fd);
}

static void expect_data(psa_storage_uid_t uid, size_t offset, const char *want, size_t want_len)
{
    char out[64];
    size_t len = 999;

    assert_int_equal(psa_ps_get(uid, offset, sizeof(out), out, &len), PSA_SUCCESS);
    assert_int_equal(len, want_len);
    assert_memory_equal(out, want, want_len);
}

static psa_status_t get_status(psa_storage_uid_t uid)
{
    char out[64];
    size_t len;

    return psa_ps_get(uid, 0, sizeof(out), out, &len);
}

static void test_set_get_info_remove(void **state)
{
    struct psa_storage_info_t info;
    char out[16];
    size_t len;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(TFM_PROTECTED_STORAGE_SERVICE_SID, 0x60);
    assert_int_equal(PS_HANDLE, 0x40000101);
    assert_int_equal(psa_ps_set(1, 11, "hello world", PSA_STORAGE_FLAG_NONE), PSA_SUCCESS);
    expect_data(1, 0, "hello world", 11);
    expect_data(1, 6, "world", 5);
    expect_data(1, 11, "", 0); /* offset == size: nothing, no error */
    /* min(data_size, size - offset) */
    assert_int_equal(psa_ps_get(1, 2, 4, out, &len), PSA_SUCCESS);
    assert_int_equal(len, 4);
    assert_memory_equal(out, "llo ", 4);
    assert_int_equal(psa_ps_get(1, 12, sizeof(out), out, &len), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_ps_get(1, SIZE_MAX, sizeof(out), out, &len), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_ps_get_info(1, &info), PSA_SUCCESS);
    assert_int_equal(info.size, 11);
    assert_int_equal(info.capacity, 11);
    assert_int_equal(info.flags, PSA_STORAGE_FLAG_NONE);
    /* replace, shorter */
    assert_int_equal(psa_ps_set(1, 3, "abc", PSA_STORAGE_FLAG_NONE), PSA_SUCCESS);
    expect_data(1, 0, "abc", 3);
    assert_int_equal(psa_ps_get_info(1, &info), PSA_SUCCESS);
    assert_int_equal(info.size, 3);
    /* an empty object exists */
    assert_int_equal(psa_ps_set(2, 0, NULL, PSA_STORAGE_FLAG_NONE), PSA_SUCCESS);
    expect_data(2, 0, "", 0);
    /* remove */
    assert_int_equal(psa_ps_remove(1), PSA_SUCCESS);
    assert_int_equal(psa_ps_get(1, 0, sizeof(out), out, &len), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(psa_ps_get_info(1, &info), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(psa_ps_remove(1), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(psa_ps_remove(2), PSA_SUCCESS);
    /* uid 0 is never valid */
    assert_int_equal(psa_ps_set(0, 1, "x", 0), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_ps_get(0, 0, sizeof(out), out, &len), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_ps_get_info(0, &info), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_ps_remove(0), PSA_ERROR_INVALID_ARGUMENT);
    /* NULL pointers */
    assert_int_equal(psa_ps_set(3, 4, NULL, 0), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_ps_get(3, 0, sizeof(out), out, NULL), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_ps_get(3, 0, 4, NULL, &len), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_ps_get_info(3, NULL), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_ps_get_info(3, &info), PSA_ERROR_DOES_NOT_EXIST);
    /* the optional calls are offered, and said so (test_create_set_extended) */
    assert_int_equal(psa_ps_get_support(), PSA_STORAGE_SUPPORT_SET_EXTENDED);
    assert_int_equal(psa_ps_get_support() & PSA_PS_SUPPORT_SET_EXTENDED,
                     PSA_PS_SUPPORT_SET_EXTENDED);
    assert_int_equal(PSA_PS_API_VERSION_MAJOR, 1);
    assert_int_equal(PSA_PS_API_VERSION_MINOR, 0);
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_flags(void **state)
{
    struct psa_storage_info_t info;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    /* unknown flags: not supported, nothing stored */
    assert_int_equal(psa_ps_set(5, 1, "x", 1u << 3), PSA_ERROR_NOT_SUPPORTED);
    assert_int_equal(psa_ps_set(5, 1, "x", 0x80000000u), PSA_ERROR_NOT_SUPPORTED);
    assert_int_equal(psa_ps_get_info(5, &info), PSA_ERROR_DOES_NOT_EXIST);
    /* uid 0 is checked before the flags */
    assert_int_equal(psa_ps_set(0, 1, "x", 1u << 3), PSA_ERROR_INVALID_ARGUMENT);
    /* WRITE_ONCE: neither replaced nor removed, even by the same flags */
    assert_int_equal(psa_ps_set(5, 4, "once", PSA_STORAGE_FLAG_WRITE_ONCE), PSA_SUCCESS);
    assert_int_equal(psa_ps_set(5, 5, "twice", PSA_STORAGE_FLAG_WRITE_ONCE),
                     PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(psa_ps_set(5, 5, "twice", PSA_STORAGE_FLAG_NONE), PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(psa_ps_remove(5), PSA_ERROR_NOT_PERMITTED);
    expect_data(5, 0, "once", 4);
    assert_int_equal(psa_ps_get_info(5, &info), PSA_SUCCESS);
    assert_int_equal(info.flags, PSA_STORAGE_FLAG_WRITE_ONCE);
    /* an object that is not write-once can become write-once */
    assert_int_equal(psa_ps_set(6, 1, "a", PSA_STORAGE_FLAG_NONE), PSA_SUCCESS);
    assert_int_equal(psa_ps_set(6, 1, "b", PSA_STORAGE_FLAG_WRITE_ONCE), PSA_SUCCESS);
    assert_int_equal(psa_ps_remove(6), PSA_ERROR_NOT_PERMITTED);
    expect_data(6, 0, "b", 1);
    /* the two flags that ask for less protection: accepted, kept, reported
     * (the data is protected anyway) */
    assert_int_equal(
        psa_ps_set(7, 3, "abc",
                   PSA_STORAGE_FLAG_NO_CONFIDENTIALITY | PSA_STORAGE_FLAG_NO_REPLAY_PROTECTION),
        PSA_SUCCESS);
    assert_int_equal(psa_ps_get_info(7, &info), PSA_SUCCESS);
    assert_int_equal(info.flags,
                     PSA_STORAGE_FLAG_NO_CONFIDENTIALITY | PSA_STORAGE_FLAG_NO_REPLAY_PROTECTION);
    expect_data(7, 0, "abc", 3);
    assert_int_equal(psa_ps_remove(7), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* Calls a TF-M client library might make wrongly, straight to psa_call. */
static void test_vector_checks(void **state)
{
    uint64_t uid = 9, uid0 = 0;
    uint32_t uid32 = 9, flags = 0, off32 = 1, support = 0xffffffffu;
    uint16_t flags16 = 0;
    uint64_t off64 = 0, support64 = 0;
    char out[16];

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    psa_invec set[] = {{&uid, sizeof(uid)}, {"data", 4}, {&flags, sizeof(flags)}};
    assert_int_equal(psa_call(PS_HANDLE, TFM_PS_SET, set, 3, NULL, 0), PSA_SUCCESS);
    /* a 4-byte uid, a 2-byte flags word, a missing flags vector, an extra one */
    psa_invec bad_uid[] = {{&uid32, sizeof(uid32)}, {"data", 4}, {&flags, sizeof(flags)}};
    assert_int_equal(psa_call(PS_HANDLE, TFM_PS_SET, bad_uid, 3, NULL, 0),
                     PSA_ERROR_INVALID_ARGUMENT);
    psa_invec bad_flags[] = {{&uid, sizeof(uid)}, {"data", 4}, {&flags16, sizeof(flags16)}};
    assert_int_equal(psa_call(PS_HANDLE, TFM_PS_SET, bad_flags, 3, NULL, 0),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_call(PS_HANDLE, TFM_PS_SET, set, 2, NULL, 0), PSA_ERROR_INVALID_ARGUMENT);
    psa_invec extra[] = {{&uid, sizeof(uid)}, {"data", 4}, {&flags, sizeof(flags)}, {"x", 1}};
    assert_int_equal(psa_call(PS_HANDLE, TFM_PS_SET, extra, 4, NULL, 0),
                     PSA_ERROR_INVALID_ARGUMENT);
    psa_outvec o = {out, sizeof(out)};
    assert_int_equal(psa_call(PS_HANDLE, TFM_PS_SET, set, 3, &o, 1), PSA_ERROR_INVALID_ARGUMENT);
    /* get: a 32-bit caller's 4-byte offset works; 2 bytes do not */
    psa_invec get32[] = {{&uid, sizeof(uid)}, {&off32, sizeof(off32)}};
    o.len = sizeof(out);
    assert_int_equal(psa_call(PS_HANDLE, TFM_PS_GET, get32, 2, &o, 1), PSA_SUCCESS);
    assert_int_equal(o.len, 3);
    assert_memory_equal(out, "ata", 3);
    psa_invec get16[] = {{&uid, sizeof(uid)}, {&flags16, sizeof(flags16)}};
    o.len = sizeof(out);
    assert_int_equal(psa_call(PS_HANDLE, TFM_PS_GET, get16, 2, &o, 1), PSA_ERROR_INVALID_ARGUMENT);
    psa_invec get0[] = {{&uid0, sizeof(uid0)}, {&off64, sizeof(off64)}};
    o.len = sizeof(out);
    assert_int_equal(psa_call(PS_HANDLE, TFM_PS_GET, get0, 2, &o, 1), PSA_ERROR_INVALID_ARGUMENT);
    /* get_info into a buffer too small for the struct */
    psa_invec info_in[] = {{&uid, sizeof(uid)}};
    psa_outvec small = {out, sizeof(struct psa_storage_info_t) - 1};
    assert_int_equal(psa_call(PS_HANDLE, TFM_PS_GET_INFO, info_in, 1, &small, 1),
                     PSA_ERROR_INVALID_ARGUMENT);
    /* get_support: one 4-byte output and nothing else */
    psa_outvec sup = {&support, sizeof(support)};
    assert_int_equal(psa_call(PS_HANDLE, TFM_PS_GET_SUPPORT, NULL, 0, &sup, 1), PSA_SUCCESS);
    assert_int_equal(sup.len, sizeof(support));
    assert_int_equal(support, PSA_STORAGE_SUPPORT_SET_EXTENDED);
    /* create and set_extended: a 32-bit caller's 4-byte size_t works, 2
     * bytes do not; the vectors are counted as for a set */
    psa_invec create32[] = {{&uid, sizeof(uid)}, {&off32, sizeof(off32)}, {&flags, sizeof(flags)}};
    assert_int_equal(psa_call(PS_HANDLE, PARTIX_PS_CREATE, create32, 3, NULL, 0),
                     PSA_ERROR_ALREADY_EXISTS);
    psa_invec create16[] = {
        {&uid, sizeof(uid)}, {&flags16, sizeof(flags16)}, {&flags, sizeof(flags)}};
    assert_int_equal(psa_call(PS_HANDLE, PARTIX_PS_CREATE, create16, 3, NULL, 0),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_call(PS_HANDLE, PARTIX_PS_CREATE, create32, 2, NULL, 0),
                     PSA_ERROR_INVALID_ARGUMENT);
    psa_invec ext32[] = {{&uid, sizeof(uid)}, {&off32, sizeof(off32)}, {"A", 1}};
    assert_int_equal(psa_call(PS_HANDLE, PARTIX_PS_SET_EXTENDED, ext32, 3, NULL, 0), PSA_SUCCESS);
    psa_invec ext16[] = {{&uid, sizeof(uid)}, {&flags16, sizeof(flags16)}, {"A", 1}};
    assert_int_equal(psa_call(PS_HANDLE, PARTIX_PS_SET_EXTENDED, ext16, 3, NULL, 0),
                     PSA_ERROR_INVALID_ARGUMENT);
    o.len = sizeof(out);
    assert_int_equal(psa_call(PS_HANDLE, PARTIX_PS_SET_EXTENDED, ext32, 3, &o, 1),
                     PSA_ERROR_INVALID_ARGUMENT);
    psa_outvec sup64 = {&support64, sizeof(support64)};
    assert_int_equal(psa_call(PS_HANDLE, TFM_PS_GET_SUPPORT, NULL, 0, &sup64, 1),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_call(PS_HANDLE, TFM_PS_GET_SUPPORT, info_in, 1, &sup, 1),
                     PSA_ERROR_INVALID_ARGUMENT);
    /* an unknown call type */
    assert_int_equal(psa_call(PS_HANDLE, 999, info_in, 1, NULL, 0), PSA_ERROR_NOT_SUPPORTED);
    /* the stateless service refuses connections */
    assert_int_equal(psa_connect(TFM_PROTECTED_STORAGE_SERVICE_SID, 1), PSA_ERROR_PROGRAMMER_ERROR);
    expect_data(9, 0, "dAta", 4);
    assert_int_equal(fixture_stop(&fx), 0);
}

static uint8_t big[PS_MAX_ASSET_SIZE + 1];

/* In a child: sets objects of *@p arg bytes (uids 1, 2, ...) until ITS
 * refuses with INSUFFICIENT_STORAGE, then replaces object 1 (which must
 * still fit): the number set, or 100 and up for another failure. */
static int fill_own(void *arg)
{
    size_t size = *(const size_t *)arg;
    psa_storage_uid_t uid;
    psa_status_t st;

    for (uid = 1; uid < 100; uid++) {
        if ((st = psa_ps_set(uid, size, big, 0)) == PSA_SUCCESS)
            continue;
        if (st != PSA_ERROR_INSUFFICIENT_STORAGE)
            return 100;
        if (uid > 1 && psa_ps_set(1, size, big, 0) != PSA_SUCCESS)
            return 101;
        return (int)uid - 1;
    }
    return 102;
}

/* Users 65534, 65533, ... fill their quotas with @p size-byte objects until
 * one is refused its first: the objects set in all (PS is full). */
static size_t fill_users(size_t size)
{
    size_t total = 0;
    uid_t u;
    int n;

    for (u = 65534; u > 65534 - 2 * PS_MAX_OBJECTS; u--) {
        n = fixture_run_as(&fx, u, fill_own, &size);
        if (n == -2) {
            print_message("skipped: filling PS takes several users (root)\n");
            skip();
        }
        assert_true(n >= 0 && n < 100);
        if (n == 0)
            break;
        total += (size_t)n;
    }
    return total;
}

/* The capacity, every user together (one user's quota: test_quota.c). */
static void test_capacity(void **state)
{
    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    memset(big, 0x5a, sizeof(big));
    /* one object past the asset size */
    assert_int_equal(psa_ps_set(1, sizeof(big), big, 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    /* the total: as many full-size objects as fit, then no more, even for a
     * user under its quota */
    assert_true(PS_MAX_TOTAL_SIZE / PS_MAX_ASSET_SIZE < PS_MAX_OBJECTS);
    assert_int_equal(fill_users(PS_MAX_ASSET_SIZE), PS_MAX_TOTAL_SIZE / PS_MAX_ASSET_SIZE);
    assert_int_equal(psa_ps_set(1, 1, "e", 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(fixture_stop(&fx), 0);
    /* the object count: small objects until the table is full */
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(fill_users(1), PS_MAX_OBJECTS);
    assert_int_equal(psa_ps_set(1, 1, "e", 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_persistence(void **state)
{
    struct psa_storage_info_t info;

    (void)state;
    make_state_dir();
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(psa_ps_set(0x1122334455667788ull, 6, "stored", 0), PSA_SUCCESS);
    assert_int_equal(psa_ps_set(2, 4, "once", PSA_STORAGE_FLAG_WRITE_ONCE), PSA_SUCCESS);
    assert_int_equal(psa_ps_set(3, 4, "gone", 0), PSA_SUCCESS);
    assert_int_equal(psa_ps_remove(3), PSA_SUCCESS);
    assert_int_equal(psa_ps_set(4, 3, "old", 0), PSA_SUCCESS);
    assert_int_equal(psa_ps_set(4, 3, "new", 0), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);

    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_true(fixture_log_has(&fx, "[TFM_SP_PS]", "3 objects, 13 bytes"));
    expect_data(0x1122334455667788ull, 0, "stored", 6);
    expect_data(2, 0, "once", 4);
    expect_data(4, 0, "new", 3);
    assert_int_equal(psa_ps_get_info(2, &info), PSA_SUCCESS);
    assert_int_equal(info.flags, PSA_STORAGE_FLAG_WRITE_ONCE);
    assert_int_equal(psa_ps_set(2, 1, "x", 0), PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(psa_ps_get_info(3, &info), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* Whoever can write the directory can leave a FIFO under an object's
 * name: the service skips it instead of waiting on it for good (it hung in
 * its start, and every call timed out). */
static void test_fifo_in_directory(void **state)
{
    static const char *const args[] = {
        "--state-dir", state_dir, "--fault-policy", "restart", "--call-timeout", "5", NULL};
    char path[256];
    struct stat st;

    (void)state;
    make_state_dir();
    assert_int_equal(fixture_start(&fx, args), 0);
    assert_int_equal(psa_ps_set(1, 4, "kept", 0), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
    ps_path(path, sizeof(path), 0, "");
    assert_int_equal(stat(path, &st), 0);
    ps_path(path, sizeof(path), 0, "fffffffe-0000000000000001");
    assert_int_equal(mkfifo(path, 0666), 0);
    assert_int_equal(chown(path, st.st_uid, st.st_gid), 0);
    assert_int_equal(fixture_start(&fx, args), 0);
    expect_data(1, 0, "kept", 4);
    assert_true(fixture_log_has(&fx, "fffffffe-0000000000000001", "ignored"));
    assert_int_equal(fixture_stop(&fx), 0);
}

/* True if @p needle occurs in any file under @p dir. */
static bool dir_holds(const char *dir, const uint8_t *needle, size_t n)
{
    static uint8_t buf[PS_MAX_ASSET_SIZE + 4096];
    char path[512];
    struct dirent *d;
    bool found = false;
    DIR *dp = opendir(dir);

    assert_non_null(dp);
    while (!found && (d = readdir(dp)) != NULL) {
        size_t len;

        if (d->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
        len = read_file(path, buf, sizeof(buf));
        for (size_t i = 0; !found && i + n <= len; i++)
            found = memcmp(buf + i, needle, n) == 0;
    }
    closedir(dp);
    return found;
}

/* The plaintext is nowhere in PS's files; the same bytes given to ITS
 * (which does not encrypt) are found in its files, so the search works. */
static void test_encrypted_at_rest(void **state)
{
    static const char secret[] = "partix-ps-plaintext-marker: the launch code is 0000";
    char path[256];

    (void)state;
    make_state_dir();
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(psa_ps_set(1, sizeof(secret), secret, 0), PSA_SUCCESS);
    assert_int_equal(psa_ps_set(2, sizeof(secret), secret, PSA_STORAGE_FLAG_NO_CONFIDENTIALITY),
                     PSA_SUCCESS);
    assert_int_equal(psa_its_set(1, sizeof(secret), secret, 0), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
    snprintf(path, sizeof(path), "%s/TFM_SP_PS", state_dir);
    assert_false(dir_holds(path, (const uint8_t *)"partix-ps", 9));
    assert_false(dir_holds(path, (const uint8_t *)secret + 20, 8));
    snprintf(path, sizeof(path), "%s/TFM_SP_ITS", state_dir);
    assert_true(dir_holds(path, (const uint8_t *)secret, sizeof(secret)));
    /* two writes of the same value look different (a fresh nonce each) */
    {
        static uint8_t a[4096], b[4096];
        size_t na, nb;

        assert_int_equal(fixture_start(&fx, keep_state), 0);
        ps_path(path, sizeof(path), 1, NULL);
        na = read_file(path, a, sizeof(a));
        assert_int_equal(psa_ps_set(1, sizeof(secret), secret, 0), PSA_SUCCESS);
        nb = read_file(path, b, sizeof(b));
        assert_int_equal(na, nb);
        assert_int_equal(na, OBJ_HEADER + sizeof(secret) + 16);
        /* nonce, ciphertext, tag */
        assert_memory_not_equal(a + OBJ_NONCE, b + OBJ_NONCE, na - OBJ_NONCE);
        expect_data(1, 0, secret, sizeof(secret));
        assert_int_equal(fixture_stop(&fx), 0);
    }
}

/* A byte changed anywhere in a file: INVALID_SIGNATURE, logged; the other
 * objects stay readable; a truncated or missing file: DATA_CORRUPT. */
static void test_tamper_bytes(void **state)
{
    char path[256];
    struct stat st;

    (void)state;
    make_state_dir();
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(psa_ps_set(1, 5, "fine!", 0), PSA_SUCCESS);
    for (psa_storage_uid_t uid = 2; uid <= 6; uid++)
        assert_int_equal(psa_ps_set(uid, 5, "flip!", 0), PSA_SUCCESS);
    ps_path(path, sizeof(path), 2, NULL);
    flip_byte(path, OBJ_HEADER + 2); /* the ciphertext */
    assert_int_equal(get_status(2), PSA_ERROR_INVALID_SIGNATURE);
    assert_true(fixture_log_has(&fx, "object file", "fails authentication"));
    ps_path(path, sizeof(path), 3, NULL);
    assert_int_equal(stat(path, &st), 0);
    flip_byte(path, st.st_size - 1); /* the tag */
    assert_int_equal(get_status(3), PSA_ERROR_INVALID_SIGNATURE);
    ps_path(path, sizeof(path), 4, NULL);
    flip_byte(path, 40); /* the nonce */
    assert_int_equal(get_status(4), PSA_ERROR_INVALID_SIGNATURE);
    ps_path(path, sizeof(path), 5, NULL);
    flip_byte(path, 20); /* the flags in the clear header */
    assert_int_equal(get_status(5), PSA_ERROR_INVALID_SIGNATURE);
    assert_true(fixture_log_has(&fx, "has a header that does not match the object table", NULL));
    ps_path(path, sizeof(path), 6, NULL);
    assert_int_equal(truncate(path, st.st_size - 3), 0);
    assert_int_equal(get_status(6), PSA_ERROR_DATA_CORRUPT);
    assert_true(fixture_log_has(&fx, "not a whole object file", NULL));
    expect_data(1, 0, "fine!", 5);
    assert_int_equal(fixture_stop(&fx), 0);

    /* still detected after a restart; a missing file too; a leftover
     * temporary file is removed; a damaged object can be set again */
    ps_path(path, sizeof(path), 1, NULL);
    strcat(path, ".tmp");
    write_file(path, (const uint8_t *)"torn", 4);
    ps_path(path, sizeof(path), 6, NULL);
    assert_int_equal(unlink(path), 0);
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_true(fixture_log_has(&fx, "is missing or fails its checks", NULL));
    for (psa_storage_uid_t uid = 2; uid <= 5; uid++)
        assert_int_equal(get_status(uid), PSA_ERROR_INVALID_SIGNATURE);
    assert_int_equal(get_status(6), PSA_ERROR_DATA_CORRUPT);
    assert_true(fixture_log_has(&fx, "is missing", NULL));
    ps_path(path, sizeof(path), 1, NULL);
    strcat(path, ".tmp");
    assert_true(access(path, F_OK) < 0);
    expect_data(1, 0, "fine!", 5);
    assert_int_equal(psa_ps_set(2, 3, "new", 0), PSA_SUCCESS);
    expect_data(2, 0, "new", 3);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* Two objects' files swapped, a file copied over another's name, an
 * older copy of an object's own file put back: each detected, and still
 * after a restart. */
static void test_tamper_swap_and_rollback(void **state)
{
    static uint8_t a[4096], b[4096], old[4096];
    char pa[256], pb[256], pc[256], pd[256];
    size_t na, nb, nold;

    (void)state;
    make_state_dir();
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(psa_ps_set(1, 8, "object-1", 0), PSA_SUCCESS);
    assert_int_equal(psa_ps_set(2, 8, "object-2", 0), PSA_SUCCESS);
    assert_int_equal(psa_ps_set(3, 8, "object-3", 0), PSA_SUCCESS);
    assert_int_equal(psa_ps_set(4, 8, "version1", 0), PSA_SUCCESS);
    assert_int_equal(psa_ps_set(5, 8, "object-5", 0), PSA_SUCCESS);
    ps_path(pa, sizeof(pa), 1, NULL);
    ps_path(pb, sizeof(pb), 2, NULL);
    ps_path(pc, sizeof(pc), 3, NULL);
    ps_path(pd, sizeof(pd), 4, NULL);
    nold = read_file(pd, old, sizeof(old));
    assert_int_equal(psa_ps_set(4, 8, "version2", 0), PSA_SUCCESS);
    /* swap 1 and 2 (same size, both authentic) */
    na = read_file(pa, a, sizeof(a));
    nb = read_file(pb, b, sizeof(b));
    write_file(pa, b, nb);
    write_file(pb, a, na);
    assert_int_equal(get_status(1), PSA_ERROR_INVALID_SIGNATURE);
    assert_int_equal(get_status(2), PSA_ERROR_INVALID_SIGNATURE);
    assert_true(fixture_log_has(&fx, "holds another object's data", NULL));
    /* 3 replaced by a copy of 5's file */
    ps_path(pb, sizeof(pb), 5, NULL);
    nb = read_file(pb, b, sizeof(b));
    write_file(pc, b, nb);
    assert_int_equal(get_status(3), PSA_ERROR_INVALID_SIGNATURE);
    /* 4 rolled back to its own older copy */
    write_file(pd, old, nold);
    assert_int_equal(get_status(4), PSA_ERROR_INVALID_SIGNATURE);
    assert_true(fixture_log_has(&fx, "is an older copy of the object (rolled back)", NULL));
    expect_data(5, 0, "object-5", 8);
    assert_int_equal(fixture_stop(&fx), 0);

    /* the table keeps each object's generation: a restart changes nothing */
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    for (psa_storage_uid_t uid = 1; uid <= 4; uid++)
        assert_int_equal(get_status(uid), PSA_ERROR_INVALID_SIGNATURE);
    assert_true(fixture_log_has(&fx, "rolled back", NULL));
    expect_data(5, 0, "object-5", 8);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* A removed object's file put back is not the object again, and the next
 * start removes it. */
static void test_removed_object_replay(void **state)
{
    static uint8_t keep[4096];
    char path[256];
    size_t n;

    (void)state;
    make_state_dir();
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(psa_ps_set(4, 6, "zombie", 0), PSA_SUCCESS);
    ps_path(path, sizeof(path), 4, NULL);
    n = read_file(path, keep, sizeof(keep));
    assert_int_equal(psa_ps_remove(4), PSA_SUCCESS);
    assert_true(access(path, F_OK) < 0);
    write_file(path, keep, n);
    assert_int_equal(get_status(4), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(fixture_stop(&fx), 0);
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_true(fixture_log_has(&fx, "belongs to a removed object: removed", NULL));
    assert_int_equal(get_status(4), PSA_ERROR_DOES_NOT_EXIST);
    assert_true(access(path, F_OK) < 0);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* The object table: an object file one generation ahead of it (a set cut
 * short by a crash between its two writes) is taken in; a table changed,
 * rolled back past other writes, or sealed by another device makes the
 * service refuse every request rather than serve what it cannot vouch
 * for. */
static void test_object_table(void **state)
{
    static uint8_t table[8192];
    char path[256], otp[256];
    struct psa_storage_info_t info;
    size_t n;

    (void)state;
    make_state_dir();
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(psa_ps_set(1, 2, "v1", 0), PSA_SUCCESS);
    ps_path(path, sizeof(path), 0, "ps_table");
    n = read_file(path, table, sizeof(table));
    assert_int_equal(psa_ps_set(1, 2, "v2", 0), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
    /* as if the daemon died after v2's file, before its table */
    write_file(path, table, n);
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_true(fixture_log_has(&fx, "info: [TFM_SP_PS] object file",
                                "a set that a crash cut short, taken in"));
    expect_data(1, 0, "v2", 2); /* answered once its start-up lines are all in */
    /* a recovery, not a corruption: nothing of it is an error */
    assert_int_equal(fixture_log_count(&fx, "error: [TFM_SP_PS]", NULL), 0);
    assert_int_equal(psa_ps_set(2, 2, "w1", 0), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);

    /* the table two writes back: refused */
    write_file(path, table, n);
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_true(fixture_log_has(&fx, "newer than the object table", NULL));
    assert_true(fixture_log_has(&fx, "refuses every request", NULL));
    assert_int_equal(get_status(1), PSA_ERROR_DATA_CORRUPT);
    assert_int_equal(psa_ps_get_info(1, &info), PSA_ERROR_DATA_CORRUPT);
    assert_int_equal(psa_ps_set(3, 1, "x", 0), PSA_ERROR_STORAGE_FAILURE);
    assert_int_equal(psa_ps_remove(1), PSA_ERROR_STORAGE_FAILURE);
    assert_int_equal(psa_ps_create(3, 1, 0), PSA_ERROR_STORAGE_FAILURE);
    assert_int_equal(psa_ps_set_extended(1, 0, 1, "x"), PSA_ERROR_DATA_CORRUPT);
    assert_int_equal(psa_ps_get_support(), PSA_STORAGE_SUPPORT_SET_EXTENDED);
    assert_int_equal(fixture_stop(&fx), 0);
    assert_true(access(path, F_OK) == 0); /* nothing was thrown away */

    /* a byte of the table changed: refused */
    make_state_dir();
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(psa_ps_set(1, 2, "v1", 0), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
    ps_path(path, sizeof(path), 0, "ps_table");
    flip_byte(path, 40);
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_true(fixture_log_has(&fx, "object table ps_table fails authentication", NULL));
    assert_int_equal(get_status(1), PSA_ERROR_DATA_CORRUPT);
    assert_int_equal(fixture_stop(&fx), 0);
    flip_byte(path, 40);
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    expect_data(1, 0, "v1", 2);
    assert_int_equal(fixture_stop(&fx), 0);

    /* another device (a new OTP, so a new hardware unique key): the PS key
     * differs, nothing authenticates */
    snprintf(otp, sizeof(otp), "%s/otp", state_dir);
    assert_int_equal(unlink(otp), 0);
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_true(fixture_log_has(&fx, "OTP ", "provisioned: new hardware unique key"));
    assert_true(fixture_log_has(&fx, "object table ps_table fails authentication", NULL));
    assert_int_equal(get_status(1), PSA_ERROR_DATA_CORRUPT);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* In a child: become @p uid before the first call (the socket's identity is
 * fixed when it connects), then run the checks; the exit status says which
 * failed. */
static int as_user(void *arg)
{
    char out[16];
    size_t len;

    (void)arg;
    /* root's object 7 is not visible, and cannot be removed */
    if (psa_ps_get(7, 0, sizeof(out), out, &len) != PSA_ERROR_DOES_NOT_EXIST)
        return 3;
    if (psa_ps_remove(7) != PSA_ERROR_DOES_NOT_EXIST)
        return 4;
    /* its own object 7: root's WRITE_ONCE does not bind it */
    if (psa_ps_set(7, 6, "nobody", 0) != PSA_SUCCESS)
        return 5;
    if (psa_ps_get(7, 0, sizeof(out), out, &len) != PSA_SUCCESS || len != 6 ||
        memcmp(out, "nobody", 6) != 0)
        return 6;
    return 0;
}

static void test_two_users(void **state)
{
    int rc;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(psa_ps_set(7, 4, "root", PSA_STORAGE_FLAG_WRITE_ONCE), PSA_SUCCESS);
    rc = fixture_run_as(&fx, 65534, as_user, NULL);
    if (rc == -2) {
        fprintf(stderr, "test_two_users: needs root to run a client as another user; skipped\n");
        skip();
    }
    assert_int_equal(rc, 0);
    expect_data(7, 0, "root", 4);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* ---- psa_ps_create() and psa_ps_set_extended() ---- */

static void expect_info(psa_storage_uid_t uid, size_t capacity, size_t size, uint32_t flags)
{
    struct psa_storage_info_t info;

    assert_int_equal(psa_ps_get_info(uid, &info), PSA_SUCCESS);
    assert_int_equal(info.capacity, capacity);
    assert_int_equal(info.size, size);
    assert_int_equal(info.flags, flags);
}

/* The Secure Storage API's semantics: create reserves a capacity with
 * size 0; set_extended writes at an offset no further than the size, up to
 * the capacity, never leaving a gap; the errors of each. */
static void test_create_set_extended(void **state)
{
    char out[32];
    size_t len;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(psa_ps_get_support(), PSA_STORAGE_SUPPORT_SET_EXTENDED);
    /* create: capacity reserved, size 0, the flags kept */
    assert_int_equal(psa_ps_create(1, 10, PSA_STORAGE_FLAG_NO_CONFIDENTIALITY), PSA_SUCCESS);
    expect_info(1, 10, 0, PSA_STORAGE_FLAG_NO_CONFIDENTIALITY);
    expect_data(1, 0, "", 0);
    assert_int_equal(psa_ps_get(1, 1, sizeof(out), out, &len), PSA_ERROR_INVALID_ARGUMENT);
    /* set_extended: appends, overwrites, grows the size, keeps the capacity */
    assert_int_equal(psa_ps_set_extended(1, 0, 5, "hello"), PSA_SUCCESS);
    expect_info(1, 10, 5, PSA_STORAGE_FLAG_NO_CONFIDENTIALITY);
    assert_int_equal(psa_ps_set_extended(1, 5, 5, "world"), PSA_SUCCESS);
    expect_data(1, 0, "helloworld", 10);
    assert_int_equal(psa_ps_set_extended(1, 1, 3, "ELL"), PSA_SUCCESS);
    expect_data(1, 0, "hELLoworld", 10);
    expect_info(1, 10, 10, PSA_STORAGE_FLAG_NO_CONFIDENTIALITY);
    /* no gap, nothing past the capacity; nothing changed by a refusal */
    assert_int_equal(psa_ps_create(2, 8, 0), PSA_SUCCESS);
    assert_int_equal(psa_ps_set_extended(2, 0, 2, "ab"), PSA_SUCCESS);
    assert_int_equal(psa_ps_set_extended(2, 3, 1, "x"), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_ps_set_extended(2, 2, 7, "cdefghi"), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_ps_set_extended(2, SIZE_MAX, 1, "x"), PSA_ERROR_INVALID_ARGUMENT);
    expect_data(2, 0, "ab", 2);
    assert_int_equal(psa_ps_set_extended(2, 2, 6, "cdefgh"), PSA_SUCCESS);
    expect_data(2, 0, "abcdefgh", 8);
    assert_int_equal(psa_ps_set_extended(2, 8, 1, "i"), PSA_ERROR_INVALID_ARGUMENT);
    /* length 0: permitted, no change; its offset still within the size */
    assert_int_equal(psa_ps_set_extended(2, 8, 0, NULL), PSA_SUCCESS);
    assert_int_equal(psa_ps_set_extended(2, 3, 0, "x"), PSA_SUCCESS);
    assert_int_equal(psa_ps_set_extended(2, 9, 0, NULL), PSA_ERROR_INVALID_ARGUMENT);
    expect_data(2, 0, "abcdefgh", 8);
    /* an object of psa_ps_set(): its capacity is its size, overwritten in
     * place, never grown by set_extended */
    assert_int_equal(psa_ps_set(3, 4, "abcd", 0), PSA_SUCCESS);
    expect_info(3, 4, 4, 0);
    assert_int_equal(psa_ps_set_extended(3, 2, 2, "CD"), PSA_SUCCESS);
    expect_data(3, 0, "abCD", 4);
    assert_int_equal(psa_ps_set_extended(3, 4, 1, "e"), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_ps_set_extended(3, 3, 2, "de"), PSA_ERROR_INVALID_ARGUMENT);
    expect_info(3, 4, 4, 0);
    /* psa_ps_set() over a created object: a new asset, capacity = size */
    assert_int_equal(psa_ps_set(1, 3, "new", 0), PSA_SUCCESS);
    expect_info(1, 3, 3, 0);
    /* create's errors: uid 0, an existing uid, WRITE_ONCE, unknown flags */
    assert_int_equal(psa_ps_create(0, 4, 0), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_ps_create(2, 4, 0), PSA_ERROR_ALREADY_EXISTS);
    assert_int_equal(psa_ps_create(3, 16, 0), PSA_ERROR_ALREADY_EXISTS);
    expect_info(2, 8, 8, 0); /* neither replaced nor resized */
    assert_int_equal(psa_ps_create(4, 4, PSA_STORAGE_FLAG_WRITE_ONCE), PSA_ERROR_NOT_SUPPORTED);
    assert_int_equal(psa_ps_create(4, 4, 1u << 3), PSA_ERROR_NOT_SUPPORTED);
    assert_int_equal(psa_ps_get(4, 0, sizeof(out), out, &len), PSA_ERROR_DOES_NOT_EXIST);
    /* a capacity of 0 is an empty asset */
    assert_int_equal(psa_ps_create(4, 0, 0), PSA_SUCCESS);
    expect_info(4, 0, 0, 0);
    assert_int_equal(psa_ps_set_extended(4, 0, 1, "x"), PSA_ERROR_INVALID_ARGUMENT);
    /* set_extended's errors: uid 0, no such uid, WRITE_ONCE, a NULL buffer */
    assert_int_equal(psa_ps_set_extended(0, 0, 1, "x"), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_ps_set_extended(9, 0, 1, "x"), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(psa_ps_set(5, 4, "once", PSA_STORAGE_FLAG_WRITE_ONCE), PSA_SUCCESS);
    assert_int_equal(psa_ps_set_extended(5, 0, 1, "x"), PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(psa_ps_set_extended(5, 0, 0, NULL), PSA_ERROR_NOT_PERMITTED);
    expect_data(5, 0, "once", 4);
    assert_int_equal(psa_ps_set_extended(2, 0, 1, NULL), PSA_ERROR_INVALID_ARGUMENT);
    /* remove frees a created object like any other */
    assert_int_equal(psa_ps_remove(2), PSA_SUCCESS);
    assert_int_equal(psa_ps_set_extended(2, 0, 1, "x"), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(psa_ps_create(2, 2, 0), PSA_SUCCESS);
    expect_info(2, 2, 0, 0);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* Capacity is held: it counts against the service's bytes and the user's
 * quota from create on, whatever the size. */
static void test_create_capacity(void **state)
{
    psa_storage_uid_t uid, n = PS_USER_MAX_TOTAL_SIZE / PS_MAX_ASSET_SIZE;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(psa_ps_create(1, PS_MAX_ASSET_SIZE + 1, 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(psa_ps_create(1, SIZE_MAX, 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    /* this user's bytes: reserved by empty objects */
    for (uid = 1; uid <= n; uid++)
        assert_int_equal(psa_ps_create(uid, PS_MAX_ASSET_SIZE, 0), PSA_SUCCESS);
    assert_int_equal(psa_ps_create(uid, 1, 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(psa_ps_set(uid, 1, "x", 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    /* the reservation is usable in full */
    memset(big, 0x33, PS_MAX_ASSET_SIZE);
    assert_int_equal(psa_ps_set_extended(1, 0, PS_MAX_ASSET_SIZE, big), PSA_SUCCESS);
    expect_info(1, PS_MAX_ASSET_SIZE, PS_MAX_ASSET_SIZE, 0);
    /* a set over a created object gives back what it does not use */
    assert_int_equal(psa_ps_set(2, 1, "s", 0), PSA_SUCCESS);
    assert_int_equal(psa_ps_create(uid, PS_MAX_ASSET_SIZE - 1, 0), PSA_SUCCESS);
    assert_int_equal(psa_ps_create(uid + 1, 1, 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(psa_ps_remove(uid), PSA_SUCCESS);
    assert_int_equal(psa_ps_create(uid + 1, PS_MAX_ASSET_SIZE - 1, 0), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* What create and set_extended store survives a restart: data, size,
 * capacity, flags; and the bytes counted are capacities. */
static void test_create_persistence(void **state)
{
    (void)state;
    make_state_dir();
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(psa_ps_create(1, 100, 0), PSA_SUCCESS);
    assert_int_equal(psa_ps_set_extended(1, 0, 6, "stored"), PSA_SUCCESS);
    assert_int_equal(psa_ps_set_extended(1, 6, 4, " too"), PSA_SUCCESS);
    assert_int_equal(psa_ps_create(2, 50, PSA_STORAGE_FLAG_NO_REPLAY_PROTECTION), PSA_SUCCESS);
    assert_int_equal(psa_ps_set(3, 3, "set", 0), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);

    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_true(fixture_log_has(&fx, "[TFM_SP_PS]", "3 objects, 153 bytes"));
    expect_info(1, 100, 10, 0);
    expect_data(1, 0, "stored too", 10);
    expect_info(2, 50, 0, PSA_STORAGE_FLAG_NO_REPLAY_PROTECTION);
    expect_info(3, 3, 3, 0);
    assert_int_equal(psa_ps_set_extended(2, 0, 5, "later"), PSA_SUCCESS);
    assert_int_equal(psa_ps_set_extended(1, 10, 91, big), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_ps_create(1, 4, 0), PSA_ERROR_ALREADY_EXISTS);
    /* ... and kill -9 */
    assert_int_equal(fixture_crash(&fx), 0);
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    expect_info(2, 50, 5, PSA_STORAGE_FLAG_NO_REPLAY_PROTECTION);
    expect_data(2, 0, "later", 5);
    expect_data(1, 0, "stored too", 10);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* ---- crash consistency ---- */

#define CRASH_UIDS 4

/* Version v of object i: its length and every byte follow from (i, v), so
 * a torn or mixed value cannot pass for a whole one. */
static size_t version_data(unsigned i, uint32_t v, uint8_t *buf)
{
    size_t n = 8 + (v * 37u + i * 101u) % 3000u;

    memcpy(buf, &v, 4);
    memcpy(buf + 4, &i, 4);
    for (size_t k = 8; k < n; k++)
        buf[k] = (uint8_t)(v * 31u + i * 7u + k);
    return n;
}

/* psa_ps_set_extended()'s objects: created with this capacity, each
 * version written over all of it from offset 0, zeros after its data. */
#define CRASH_EXT_LEN 3008
static bool crash_extended;

/* Writes version @p v of object @p i, with psa_ps_set() or, with
 * crash_extended, with psa_ps_set_extended(). */
static psa_status_t write_version(unsigned i, uint32_t v, uint8_t *buf)
{
    size_t n = version_data(i, v, buf);

    if (!crash_extended)
        return psa_ps_set(100 + i, n, buf, 0);
    memset(buf + n, 0, CRASH_EXT_LEN - n);
    return psa_ps_set_extended(100 + i, 0, CRASH_EXT_LEN, buf);
}

/* The writer: versions 1, 2, ... of each uid in turn; each acknowledged
 * write is reported on @p fd as (uid index, version). */
static void __attribute__((noreturn)) writer(int fd)
{
    static uint8_t buf[4096];
    uint32_t v;

    for (v = 1;; v++) {
        for (unsigned i = 0; i < CRASH_UIDS; i++) {
            uint32_t ack[2] = {i, v};

            if (write_version(i, v, buf) != PSA_SUCCESS)
                _exit(0); /* the daemon is gone */
            if (write(fd, ack, sizeof(ack)) != sizeof(ack))
                _exit(1);
        }
    }
}

/* kill -9 the daemon amid the writer's writes, three times: every object
 * is whole, at its last acknowledged version or the next. */
static void crash_rounds(bool extended)
{
    static uint8_t got[4096], want[4096];
    uint32_t acked[CRASH_UIDS] = {0}, ack[2];
    int fds[2], status, round;
    pid_t pid;

    make_state_dir();
    crash_extended = extended;
    if (extended) {
        assert_int_equal(fixture_start(&fx, keep_state), 0);
        for (unsigned i = 0; i < CRASH_UIDS; i++) {
            assert_int_equal(psa_ps_create(100 + i, CRASH_EXT_LEN, 0), PSA_SUCCESS);
            assert_int_equal(write_version(i, 0, want), PSA_SUCCESS);
        }
        assert_int_equal(fixture_stop(&fx), 0);
    }
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    for (round = 0; round < 3; round++) {
        long stop_after = 20 + rand() % 200, seen = 0;

        assert_int_equal(fixture_start(&fx, keep_state), 0);
        assert_int_equal(pipe(fds), 0);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            writer(fds[1]);
        }
        close(fds[1]);
        /* kill -9 the daemon after a random number of acknowledged writes,
         * while the writer keeps going */
        while (seen < stop_after && read(fds[0], ack, sizeof(ack)) == sizeof(ack)) {
            assert_true(ack[0] < CRASH_UIDS);
            acked[ack[0]] = ack[1];
            seen++;
        }
        assert_int_equal(seen, stop_after);
        assert_int_equal(fixture_crash(&fx), 0);
        while (read(fds[0], ack, sizeof(ack)) == sizeof(ack))
            acked[ack[0]] = ack[1];
        close(fds[0]);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

        /* every acknowledged write is there: that version, or the one the
         * writer was in the middle of; whole and authentic either way */
        assert_int_equal(fixture_start(&fx, keep_state), 0);
        for (unsigned i = 0; i < CRASH_UIDS; i++) {
            size_t len = 0, n;
            uint32_t v;

            assert_int_equal(psa_ps_get(100 + i, 0, sizeof(got), got, &len), PSA_SUCCESS);
            assert_true(len >= 8);
            memcpy(&v, got, 4);
            if (v < acked[i] || v > acked[i] + 1)
                fail_msg("uid %u: version %u after acknowledged version %u", 100 + i, v, acked[i]);
            n = version_data(i, v, want);
            if (extended) {
                memset(want + n, 0, CRASH_EXT_LEN - n);
                n = CRASH_EXT_LEN;
            }
            assert_int_equal(len, n);
            assert_memory_equal(got, want, n);
            acked[i] = v; /* the next round starts from what is stored */
        }
        assert_false(fixture_log_has(&fx, "refuses every request", NULL));
        assert_int_equal(fixture_stop(&fx), 0);
    }
}

static void test_crash_consistency(void **state)
{
    (void)state;
    crash_rounds(false);
}

/* The same with psa_ps_set_extended(): a write is atomic, old or new. */
static void test_crash_set_extended(void **state)
{
    (void)state;
    crash_rounds(true);
}

/* ---- the sandbox: its own directory, the OTP read-only ---- */

static void test_sandbox_profile(void **state)
{
    char path[128], line[256], link[PATH_MAX], want[PATH_MAX];
    struct stat st;
    bool seccomp = false, otp = false;
    FILE *f;
    pid_t pid;
    ssize_t n;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(psa_ps_set(1, 1, "x", 0), PSA_SUCCESS);
    pid = fixture_partition_pid(&fx, "TFM_SP_PS");
    assert_true(pid > 0);
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof(line), f) != NULL)
        if (strncmp(line, "Seccomp:\t2", 10) == 0)
            seccomp = true;
    fclose(f);
    assert_true(seccomp);
    /* fd 5 is its own directory, private */
    snprintf(path, sizeof(path), "/proc/%d/fd/5", (int)pid);
    n = readlink(path, link, sizeof(link) - 1);
    assert_true(n > 0);
    link[n] = '\0';
    snprintf(want, sizeof(want), "%s/TFM_SP_PS", fx.state);
    assert_string_equal(link, want);
    assert_int_equal(stat(want, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    /* the OTP region is mapped read-only at the board's address */
    snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
    f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof(line), f) != NULL)
        if (strncmp(line, "40500000-", 9) == 0)
            otp = strncmp(strchr(line, ' ') + 1, "r--", 3) == 0;
    fclose(f);
    assert_true(otp);
    assert_int_equal(fixture_stop(&fx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_set_get_info_remove, teardown),
        cmocka_unit_test_teardown(test_flags, teardown),
        cmocka_unit_test_teardown(test_vector_checks, teardown),
        cmocka_unit_test_teardown(test_capacity, teardown),
        cmocka_unit_test_teardown(test_create_set_extended, teardown),
        cmocka_unit_test_teardown(test_create_capacity, teardown),
        cmocka_unit_test_teardown(test_create_persistence, teardown),
        cmocka_unit_test_teardown(test_persistence, teardown),
        cmocka_unit_test_teardown(test_fifo_in_directory, teardown),
        cmocka_unit_test_teardown(test_encrypted_at_rest, teardown),
        cmocka_unit_test_teardown(test_tamper_bytes, teardown),
        cmocka_unit_test_teardown(test_tamper_swap_and_rollback, teardown),
        cmocka_unit_test_teardown(test_removed_object_replay, teardown),
        cmocka_unit_test_teardown(test_object_table, teardown),
        cmocka_unit_test_teardown(test_two_users, teardown),
        cmocka_unit_test_teardown(test_crash_consistency, teardown),
        cmocka_unit_test_teardown(test_crash_set_extended, teardown),
        cmocka_unit_test_teardown(test_sandbox_profile, teardown),
    };

    return cmocka_run_group_tests_name("ps", tests, NULL, NULL);
}
