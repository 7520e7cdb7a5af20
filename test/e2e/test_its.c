/*
 * test_its.c - Internal Trusted Storage against the real daemon: every flag
 * and error, the capacity, persistence across a restart, two Linux users
 * apart, crash consistency under kill -9, and the partition's sandbox.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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
#include "its_config.h"
#include "psa/client.h"
#include "psa/internal_trusted_storage.h"
#include "psa_manifest/sid.h"
#include "tfm_its_defs.h"

#define ITS_HANDLE TFM_INTERNAL_TRUSTED_STORAGE_SERVICE_HANDLE

static struct fixture fx;
static char state_dir[64]; /* a state directory that outlives one daemon */
static char state_arg[80];
static const char *const keep_state[] = {"--state-dir", state_dir, NULL};

static int teardown(void **state)
{
    fixture_teardown(state);
    return fixture_dir_remove(state_dir);
}

static void make_state_dir(void)
{
    assert_int_equal(fixture_dir_new(state_dir, sizeof(state_dir), "its"), 0);
    snprintf(state_arg, sizeof(state_arg), "%s", state_dir);
}

static void expect_data(psa_storage_uid_t uid, size_t offset, const char *want, size_t want_len)
{
    char out[64];
    size_t len = 999;

    assert_int_equal(psa_its_get(uid, offset, sizeof(out), out, &len), PSA_SUCCESS);
    assert_int_equal(len, want_len);
    assert_memory_equal(out, want, want_len);
}

static void test_set_get_info_remove(void **state)
{
    struct psa_storage_info_t info;
    char out[16];
    size_t len;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(psa_its_set(1, 11, "hello world", PSA_STORAGE_FLAG_NONE), PSA_SUCCESS);
    expect_data(1, 0, "hello world", 11);
    expect_data(1, 6, "world", 5);
    expect_data(1, 11, "", 0); /* offset == size: nothing, no error */
    /* min(data_size, size - offset) */
    assert_int_equal(psa_its_get(1, 2, 4, out, &len), PSA_SUCCESS);
    assert_int_equal(len, 4);
    assert_memory_equal(out, "llo ", 4);
    assert_int_equal(psa_its_get(1, 12, sizeof(out), out, &len), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_its_get(1, SIZE_MAX, sizeof(out), out, &len), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_its_get_info(1, &info), PSA_SUCCESS);
    assert_int_equal(info.size, 11);
    assert_int_equal(info.capacity, 11);
    assert_int_equal(info.flags, PSA_STORAGE_FLAG_NONE);
    /* replace, shorter, with the flags ITS accepts and keeps */
    assert_int_equal(
        psa_its_set(1, 3, "abc",
                    PSA_STORAGE_FLAG_NO_CONFIDENTIALITY | PSA_STORAGE_FLAG_NO_REPLAY_PROTECTION),
        PSA_SUCCESS);
    expect_data(1, 0, "abc", 3);
    assert_int_equal(psa_its_get_info(1, &info), PSA_SUCCESS);
    assert_int_equal(info.size, 3);
    assert_int_equal(info.flags,
                     PSA_STORAGE_FLAG_NO_CONFIDENTIALITY | PSA_STORAGE_FLAG_NO_REPLAY_PROTECTION);
    /* an empty entry exists */
    assert_int_equal(psa_its_set(2, 0, NULL, PSA_STORAGE_FLAG_NONE), PSA_SUCCESS);
    expect_data(2, 0, "", 0);
    /* remove */
    assert_int_equal(psa_its_remove(1), PSA_SUCCESS);
    assert_int_equal(psa_its_get(1, 0, sizeof(out), out, &len), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(psa_its_get_info(1, &info), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(psa_its_remove(1), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(psa_its_remove(2), PSA_SUCCESS);
    /* uid 0 is never valid */
    assert_int_equal(psa_its_set(0, 1, "x", 0), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_its_get(0, 0, sizeof(out), out, &len), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_its_get_info(0, &info), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_its_remove(0), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_flags(void **state)
{
    struct psa_storage_info_t info;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    /* unknown flags: not supported, nothing stored */
    assert_int_equal(psa_its_set(5, 1, "x", 1u << 3), PSA_ERROR_NOT_SUPPORTED);
    assert_int_equal(psa_its_set(5, 1, "x", 0x80000000u), PSA_ERROR_NOT_SUPPORTED);
    assert_int_equal(psa_its_get_info(5, &info), PSA_ERROR_DOES_NOT_EXIST);
    /* WRITE_ONCE: neither replaced nor removed, even by the same flags */
    assert_int_equal(psa_its_set(5, 4, "once", PSA_STORAGE_FLAG_WRITE_ONCE), PSA_SUCCESS);
    assert_int_equal(psa_its_set(5, 5, "twice", PSA_STORAGE_FLAG_WRITE_ONCE),
                     PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(psa_its_set(5, 5, "twice", PSA_STORAGE_FLAG_NONE), PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(psa_its_remove(5), PSA_ERROR_NOT_PERMITTED);
    expect_data(5, 0, "once", 4);
    assert_int_equal(psa_its_get_info(5, &info), PSA_SUCCESS);
    assert_int_equal(info.flags, PSA_STORAGE_FLAG_WRITE_ONCE);
    /* a flag that is not write-once can become write-once */
    assert_int_equal(psa_its_set(6, 1, "a", PSA_STORAGE_FLAG_NONE), PSA_SUCCESS);
    assert_int_equal(psa_its_set(6, 1, "b", PSA_STORAGE_FLAG_WRITE_ONCE), PSA_SUCCESS);
    assert_int_equal(psa_its_remove(6), PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* Calls a TF-M client library might make wrongly, straight to psa_call. */
static void test_vector_checks(void **state)
{
    uint64_t uid = 9, uid0 = 0;
    uint32_t uid32 = 9, flags = 0, off32 = 1;
    uint16_t flags16 = 0;
    uint64_t off64 = 0;
    char out[16];

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    psa_invec set[] = {{&uid, sizeof(uid)}, {"data", 4}, {&flags, sizeof(flags)}};
    assert_int_equal(psa_call(ITS_HANDLE, TFM_ITS_SET, set, 3, NULL, 0), PSA_SUCCESS);
    /* a 4-byte uid, a 2-byte flags word, a missing flags vector, an extra one */
    psa_invec bad_uid[] = {{&uid32, sizeof(uid32)}, {"data", 4}, {&flags, sizeof(flags)}};
    assert_int_equal(psa_call(ITS_HANDLE, TFM_ITS_SET, bad_uid, 3, NULL, 0),
                     PSA_ERROR_INVALID_ARGUMENT);
    psa_invec bad_flags[] = {{&uid, sizeof(uid)}, {"data", 4}, {&flags16, sizeof(flags16)}};
    assert_int_equal(psa_call(ITS_HANDLE, TFM_ITS_SET, bad_flags, 3, NULL, 0),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(psa_call(ITS_HANDLE, TFM_ITS_SET, set, 2, NULL, 0),
                     PSA_ERROR_INVALID_ARGUMENT);
    psa_invec extra[] = {{&uid, sizeof(uid)}, {"data", 4}, {&flags, sizeof(flags)}, {"x", 1}};
    assert_int_equal(psa_call(ITS_HANDLE, TFM_ITS_SET, extra, 4, NULL, 0),
                     PSA_ERROR_INVALID_ARGUMENT);
    psa_outvec o = {out, sizeof(out)};
    assert_int_equal(psa_call(ITS_HANDLE, TFM_ITS_SET, set, 3, &o, 1), PSA_ERROR_INVALID_ARGUMENT);
    /* get: a 32-bit caller's 4-byte offset works; 2 bytes do not */
    psa_invec get32[] = {{&uid, sizeof(uid)}, {&off32, sizeof(off32)}};
    o.len = sizeof(out);
    assert_int_equal(psa_call(ITS_HANDLE, TFM_ITS_GET, get32, 2, &o, 1), PSA_SUCCESS);
    assert_int_equal(o.len, 3);
    assert_memory_equal(out, "ata", 3);
    psa_invec get16[] = {{&uid, sizeof(uid)}, {&flags16, sizeof(flags16)}};
    o.len = sizeof(out);
    assert_int_equal(psa_call(ITS_HANDLE, TFM_ITS_GET, get16, 2, &o, 1),
                     PSA_ERROR_INVALID_ARGUMENT);
    psa_invec get0[] = {{&uid0, sizeof(uid0)}, {&off64, sizeof(off64)}};
    o.len = sizeof(out);
    assert_int_equal(psa_call(ITS_HANDLE, TFM_ITS_GET, get0, 2, &o, 1), PSA_ERROR_INVALID_ARGUMENT);
    /* get_info into a buffer too small for the struct */
    psa_invec info_in[] = {{&uid, sizeof(uid)}};
    psa_outvec small = {out, sizeof(struct psa_storage_info_t) - 1};
    assert_int_equal(psa_call(ITS_HANDLE, TFM_ITS_GET_INFO, info_in, 1, &small, 1),
                     PSA_ERROR_INVALID_ARGUMENT);
    /* an unknown call type */
    assert_int_equal(psa_call(ITS_HANDLE, 999, info_in, 1, NULL, 0), PSA_ERROR_NOT_SUPPORTED);
    /* the stateless service refuses connections */
    assert_int_equal(psa_connect(TFM_INTERNAL_TRUSTED_STORAGE_SERVICE_SID, 1),
                     PSA_ERROR_PROGRAMMER_ERROR);
    expect_data(9, 0, "data", 4);
    assert_int_equal(fixture_stop(&fx), 0);
}

static uint8_t big[ITS_MAX_ASSET_SIZE + 1];

/* In a child: sets entries of *@p arg bytes (uids 1, 2, ...) until ITS
 * refuses with INSUFFICIENT_STORAGE, then replaces entry 1 (which must
 * still fit): the number set, or 100 and up for another failure. */
static int fill_own(void *arg)
{
    size_t size = *(const size_t *)arg;
    psa_storage_uid_t uid;
    psa_status_t st;

    for (uid = 1; uid < 100; uid++) {
        if ((st = psa_its_set(uid, size, big, 0)) == PSA_SUCCESS)
            continue;
        if (st != PSA_ERROR_INSUFFICIENT_STORAGE)
            return 100;
        if (uid > 1 && psa_its_set(1, size, big, 0) != PSA_SUCCESS)
            return 101;
        return (int)uid - 1;
    }
    return 102;
}

/* Users 65534, 65533, ... fill their quotas with @p size-byte entries until
 * one is refused its first: the entries set in all (ITS is full). */
static size_t fill_users(size_t size)
{
    size_t total = 0;
    uid_t u;
    int n;

    for (u = 65534; u > 65534 - 2 * ITS_MAX_ENTRIES; u--) {
        n = fixture_run_as(&fx, u, fill_own, &size);
        if (n == -2) {
            print_message("skipped: filling ITS takes several users (root)\n");
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
    /* one entry past the asset size */
    assert_int_equal(psa_its_set(1, sizeof(big), big, 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    /* the total: as many full-size entries as fit, then no more, even for a
     * user under its quota */
    assert_true(ITS_MAX_TOTAL_SIZE / ITS_MAX_ASSET_SIZE < ITS_MAX_ENTRIES);
    assert_int_equal(fill_users(ITS_MAX_ASSET_SIZE), ITS_MAX_TOTAL_SIZE / ITS_MAX_ASSET_SIZE);
    assert_int_equal(psa_its_set(1, 1, "e", 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(fixture_stop(&fx), 0);
    /* the entry count: small entries until the table is full */
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(fill_users(1), ITS_MAX_ENTRIES);
    assert_int_equal(psa_its_set(1, 1, "e", 0), PSA_ERROR_INSUFFICIENT_STORAGE);
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_persistence(void **state)
{
    struct psa_storage_info_t info;

    (void)state;
    make_state_dir();
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(psa_its_set(0x1122334455667788ull, 6, "stored", 0), PSA_SUCCESS);
    assert_int_equal(psa_its_set(2, 4, "once", PSA_STORAGE_FLAG_WRITE_ONCE), PSA_SUCCESS);
    assert_int_equal(psa_its_set(3, 4, "gone", 0), PSA_SUCCESS);
    assert_int_equal(psa_its_remove(3), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);

    assert_int_equal(fixture_start(&fx, keep_state), 0);
    expect_data(0x1122334455667788ull, 0, "stored", 6);
    expect_data(2, 0, "once", 4);
    assert_int_equal(psa_its_get_info(2, &info), PSA_SUCCESS);
    assert_int_equal(info.flags, PSA_STORAGE_FLAG_WRITE_ONCE);
    assert_int_equal(psa_its_set(2, 1, "x", 0), PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(psa_its_get_info(3, &info), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* Flips one data byte of an entry file of the caller (root: client id -1). */
static void corrupt(const char *state, psa_storage_uid_t uid)
{
    char path[256];
    uint8_t b;
    int fd;

    snprintf(path, sizeof(path), "%s/TFM_SP_ITS/%08x-%016llx", state,
             (unsigned)(-1 - (int)getuid()), (unsigned long long)uid);
    fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    assert_int_equal(pread(fd, &b, 1, 32), 1);
    b ^= 0x01;
    assert_int_equal(pwrite(fd, &b, 1, 32), 1);
    close(fd);
}

/* A file changed behind the service: DATA_CORRUPT while it runs, ignored
 * at the next start; a leftover temporary file is removed. */
static void test_corruption(void **state)
{
    struct psa_storage_info_t info;
    char out[16], path[256];
    size_t len;
    int fd;

    (void)state;
    make_state_dir();
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(psa_its_set(1, 5, "fine!", 0), PSA_SUCCESS);
    assert_int_equal(psa_its_set(2, 5, "flip!", 0), PSA_SUCCESS);
    corrupt(state_dir, 2);
    assert_int_equal(psa_its_get(2, 0, sizeof(out), out, &len), PSA_ERROR_DATA_CORRUPT);
    expect_data(1, 0, "fine!", 5);
    assert_int_equal(fixture_stop(&fx), 0);

    snprintf(path, sizeof(path), "%s/TFM_SP_ITS/%08x-%016llx.tmp", state_dir,
             (unsigned)(-1 - (int)getuid()), 3ull);
    fd = open(path, O_WRONLY | O_CREAT, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "torn", 4), 4);
    close(fd);
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(psa_its_get_info(2, &info), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(psa_its_get_info(3, &info), PSA_ERROR_DOES_NOT_EXIST);
    assert_true(access(path, F_OK) < 0);
    expect_data(1, 0, "fine!", 5);
    /* a corrupt entry can be set again */
    assert_int_equal(psa_its_set(2, 3, "new", 0), PSA_SUCCESS);
    expect_data(2, 0, "new", 3);
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
    /* root's entry 7 is not visible, and cannot be removed */
    if (psa_its_get(7, 0, sizeof(out), out, &len) != PSA_ERROR_DOES_NOT_EXIST)
        return 3;
    if (psa_its_remove(7) != PSA_ERROR_DOES_NOT_EXIST)
        return 4;
    /* its own entry 7: WRITE_ONCE root's does not bind it */
    if (psa_its_set(7, 6, "nobody", 0) != PSA_SUCCESS)
        return 5;
    if (psa_its_get(7, 0, sizeof(out), out, &len) != PSA_SUCCESS || len != 6 ||
        memcmp(out, "nobody", 6) != 0)
        return 6;
    return 0;
}

static void test_two_users(void **state)
{
    int rc;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(psa_its_set(7, 4, "root", PSA_STORAGE_FLAG_WRITE_ONCE), PSA_SUCCESS);
    rc = fixture_run_as(&fx, 65534, as_user, NULL);
    if (rc == -2) {
        fprintf(stderr, "test_two_users: needs root to run a client as another user; skipped\n");
        skip();
    }
    assert_int_equal(rc, 0);
    expect_data(7, 0, "root", 4);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* ---- crash consistency ---- */

#define CRASH_UIDS 4

/* Version v of entry i: its length and every byte follow from (i, v), so a
 * torn or mixed value cannot pass for a whole one. */
static size_t version_data(unsigned i, uint32_t v, uint8_t *buf)
{
    size_t n = 8 + (v * 37u + i * 101u) % 3000u;

    memcpy(buf, &v, 4);
    memcpy(buf + 4, &i, 4);
    for (size_t k = 8; k < n; k++)
        buf[k] = (uint8_t)(v * 31u + i * 7u + k);
    return n;
}

/* The writer: versions 1, 2, ... of each uid in turn; each acknowledged
 * write is reported on @p fd as (uid index, version). */
static void __attribute__((noreturn)) writer(int fd)
{
    static uint8_t buf[4096];
    uint32_t v;

    for (v = 1;; v++) {
        for (unsigned i = 0; i < CRASH_UIDS; i++) {
            size_t n = version_data(i, v, buf);
            uint32_t ack[2] = {i, v};

            if (psa_its_set(100 + i, n, buf, 0) != PSA_SUCCESS)
                _exit(0); /* the daemon is gone */
            if (write(fd, ack, sizeof(ack)) != sizeof(ack))
                _exit(1);
        }
    }
}

static void test_crash_consistency(void **state)
{
    static uint8_t got[4096], want[4096];
    uint32_t acked[CRASH_UIDS] = {0}, ack[2];
    int fds[2], status, round;
    pid_t pid;

    (void)state;
    make_state_dir();
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
         * writer was in the middle of; whole either way */
        assert_int_equal(fixture_start(&fx, keep_state), 0);
        for (unsigned i = 0; i < CRASH_UIDS; i++) {
            size_t len = 0, n;
            uint32_t v;

            assert_int_equal(psa_its_get(100 + i, 0, sizeof(got), got, &len), PSA_SUCCESS);
            assert_true(len >= 8);
            memcpy(&v, got, 4);
            if (v < acked[i] || v > acked[i] + 1)
                fail_msg("uid %u: version %u after acknowledged version %u", 100 + i, v, acked[i]);
            n = version_data(i, v, want);
            assert_int_equal(len, n);
            assert_memory_equal(got, want, n);
            acked[i] = v; /* the next round starts from what is stored */
        }
        assert_int_equal(fixture_stop(&fx), 0);
    }
}

/* ---- the sandbox's storage profile ---- */

static void test_sandbox_profile(void **state)
{
    char path[128], line[256], link[PATH_MAX], want[PATH_MAX];
    struct stat st;
    bool seccomp = false;
    FILE *f;
    pid_t pid;
    ssize_t n;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(psa_its_set(1, 1, "x", 0), PSA_SUCCESS);
    pid = fixture_partition_pid(&fx, "TFM_SP_ITS");
    assert_true(pid > 0);
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof(line), f) != NULL)
        if (strncmp(line, "Seccomp:\t2", 10) == 0)
            seccomp = true;
    fclose(f);
    assert_true(seccomp);
    /* fd 5 is its own directory, private, and the only one it holds */
    snprintf(path, sizeof(path), "/proc/%d/fd/5", (int)pid);
    n = readlink(path, link, sizeof(link) - 1);
    assert_true(n > 0);
    link[n] = '\0';
    snprintf(want, sizeof(want), "%s/TFM_SP_ITS", fx.state);
    assert_string_equal(link, want);
    assert_int_equal(stat(want, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    if (geteuid() == 0)
        assert_int_not_equal(st.st_uid, 0); /* the partition's user */
    /* other partitions get no directory */
    pid = fixture_partition_pid(&fx, "TFM_SP_ECHO_SERVICE");
    assert_true(pid > 0);
    snprintf(path, sizeof(path), "/proc/%d/fd/5", (int)pid);
    assert_true(readlink(path, link, sizeof(link)) < 0);
    assert_int_equal(fixture_stop(&fx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_set_get_info_remove, teardown),
        cmocka_unit_test_teardown(test_flags, teardown),
        cmocka_unit_test_teardown(test_vector_checks, teardown),
        cmocka_unit_test_teardown(test_capacity, teardown),
        cmocka_unit_test_teardown(test_persistence, teardown),
        cmocka_unit_test_teardown(test_corruption, teardown),
        cmocka_unit_test_teardown(test_two_users, teardown),
        cmocka_unit_test_teardown(test_crash_consistency, teardown),
        cmocka_unit_test_teardown(test_sandbox_profile, teardown),
    };

    return cmocka_run_group_tests_name("its", tests, NULL, NULL);
}
