/*
 * test_identity.c - who a partition's process is, and how much it may map
 * (issue 12): psa-spm as root runs each partition as a uid of its own, none
 * of them root's or nobody's, so a process of nobody (any other daemon's)
 * cannot kill -9 a partition, nor one partition another; and every
 * partition's address space is bounded (RLIMIT_AS), as psa-spm logs it,
 * far below what it could map before.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "psa/client.h"
#include "psa/internal_trusted_storage.h"
#include "psa_manifest/sid.h"
#include "test_ops.h"

#define NOBODY 65534
#define MAX_PARTS 32

static struct fixture fx;

struct part {
    char name[64];
    pid_t pid;
    uid_t uid;
    unsigned long long bound; /* the address space psa-spm logged (0: none) */
};

static struct part parts[MAX_PARTS];
static size_t n_parts;

/* Every partition psa-spm started, from its log ("partition NAME (pid N)
 * starting: EXE, address space N bytes"). */
static void read_parts(void)
{
    FILE *lf = fopen(fx.log, "r");
    char line[2048];

    assert_non_null(lf);
    n_parts = 0;
    while (fgets(line, sizeof(line), lf) != NULL && n_parts < MAX_PARTS) {
        const char *p = strstr(line, " partition "), *as;
        struct part *t = &parts[n_parts];
        int pid;

        if (p == NULL || strstr(line, ") starting: ") == NULL ||
            sscanf(p, " partition %63s (pid %d)", t->name, &pid) != 2)
            continue;
        t->pid = pid;
        as = strstr(line, ", address space ");
        t->bound = as != NULL ? strtoull(as + strlen(", address space "), NULL, 10) : 0;
        n_parts++;
    }
    fclose(lf);
    assert_true(n_parts >= 2);
}

/* The real, effective, saved and file-system uids of @p pid, which must
 * agree: its uid. */
static uid_t uid_of(pid_t pid)
{
    char path[64], line[256];
    unsigned r, e, s, f;
    bool found = false;
    FILE *st;

    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    st = fopen(path, "r");
    assert_non_null(st);
    while (fgets(line, sizeof(line), st) != NULL)
        if (sscanf(line, "Uid: %u %u %u %u", &r, &e, &s, &f) == 4) {
            found = true;
            break;
        }
    fclose(st);
    assert_true(found);
    assert_true(r == e && e == s && s == f);
    return (uid_t)r;
}

/* kill -9 of every partition but the one at index *arg (-1: none); how
 * many were not refused with EPERM. */
static int kill_all(void *arg)
{
    int skip = *(const int *)arg, killed = 0;
    size_t i;

    for (i = 0; i < n_parts; i++)
        if ((int)i != skip && !(kill(parts[i].pid, SIGKILL) < 0 && errno == EPERM))
            killed++;
    return killed;
}

static void start(void)
{
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_true(fixture_partition_pid(&fx, "PARTIX_SP_TEST") > 0);
    read_parts();
}

/* The test service answers, in the process it started in. */
static void test_service_serves(pid_t pid)
{
    struct test_info ti;
    psa_outvec out = {&ti, sizeof(ti)};

    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_INFO, NULL, 0, &out, 1),
                     PSA_SUCCESS);
    assert_int_equal(ti.pid, pid);
}

static void own_uids(void **state)
{
    size_t i, j;

    (void)state;
    if (geteuid() != 0)
        skip(); /* psa-spm changes no identity unless it runs as root */
    start();
    for (i = 0; i < n_parts; i++) {
        parts[i].uid = uid_of(parts[i].pid);
        if (parts[i].uid == 0 || parts[i].uid == NOBODY)
            fail_msg("partition %s runs as uid %u", parts[i].name, (unsigned)parts[i].uid);
        for (j = 0; j < i; j++)
            if (parts[j].uid == parts[i].uid)
                fail_msg("partitions %s and %s share uid %u", parts[j].name, parts[i].name,
                         (unsigned)parts[i].uid);
    }
    assert_int_equal(fixture_stop(&fx), 0);
}

static void nobody_cannot_kill(void **state)
{
    int none = -1, first = 0;
    pid_t test_pid;
    size_t i;

    (void)state;
    if (geteuid() != 0)
        skip();
    start();
    test_pid = fixture_partition_pid(&fx, "PARTIX_SP_TEST");
    for (i = 0; i < n_parts; i++)
        parts[i].uid = uid_of(parts[i].pid);
    /* any process of nobody's */
    assert_int_equal(fixture_run_as(&fx, NOBODY, kill_all, &none), 0);
    /* a partition's uid: the others are not its to signal */
    assert_int_equal(fixture_run_as(&fx, parts[first].uid, kill_all, &first), 0);
    /* every partition still runs, and serves, in the same process */
    for (i = 0; i < n_parts; i++)
        assert_int_equal(kill(parts[i].pid, 0), 0);
    test_service_serves(test_pid);
    assert_int_equal(fixture_log_count(&fx, "restarting", NULL), 0);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* "Max address space" of /proc/<pid>/limits: its soft and hard limits, in
 * bytes (0: unlimited). */
static void as_limits(pid_t pid, unsigned long long *soft, unsigned long long *hard)
{
    char path[64], line[256], s[32], h[32];
    bool found = false;
    FILE *lf;

    snprintf(path, sizeof(path), "/proc/%d/limits", (int)pid);
    lf = fopen(path, "r");
    assert_non_null(lf);
    while (fgets(line, sizeof(line), lf) != NULL)
        if (sscanf(line, "Max address space %31s %31s", s, h) == 2) {
            found = true;
            break;
        }
    fclose(lf);
    assert_true(found);
    *soft = strcmp(s, "unlimited") == 0 ? 0 : strtoull(s, NULL, 10);
    *hard = strcmp(h, "unlimited") == 0 ? 0 : strtoull(h, NULL, 10);
}

/* Has the test service map @p size bytes, and keep them if @p keep. */
static psa_status_t map(uint64_t size, bool keep)
{
    psa_invec in[2] = {{&size, sizeof(size)}, {"k", 1}};

    return psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_MMAP, in, keep ? 2 : 1, NULL, 0);
}

static void address_space_bounded(void **state)
{
    const char *san = getenv("PARTIX_TEST_SANITIZED");
    unsigned long long soft, hard;
    pid_t test_pid;
    size_t i;

    (void)state;
    start();
    test_pid = fixture_partition_pid(&fx, "PARTIX_SP_TEST");
    if (san != NULL && strcmp(san, "1") == 0) {
        /* AddressSanitizer's shadow alone is terabytes of address space:
         * psa-spm says it sets no bound, and sets none */
        assert_true(fixture_log_has(&fx, "PARTIX_SP_TEST", "address space not bounded"));
        as_limits(test_pid, &soft, &hard);
        assert_true(soft == 0 && hard == 0);
        assert_int_equal(fixture_stop(&fx), 0);
        fprintf(stderr, "SKIP: a sanitizer build sets no RLIMIT_AS\n");
        skip();
    }
    for (i = 0; i < n_parts; i++) {
        as_limits(parts[i].pid, &soft, &hard);
        if (soft == 0 || soft != hard || soft != parts[i].bound)
            fail_msg("partition %s: address space %llu/%llu, psa-spm said %llu", parts[i].name,
                     soft, hard, parts[i].bound);
        /* the runtime, the manifest's stack and heap, two 256 MiB payloads */
        assert_true(soft < (1ull << 30));
    }
    /* the control: what fits in the bound maps; then 1 GiB and 8 GiB do not */
    assert_int_equal(map(64ull << 20, false), PSA_SUCCESS);
    assert_int_equal(map(1ull << 30, false), PSA_ERROR_INSUFFICIENT_MEMORY);
    assert_int_equal(map(8ull << 30, false), PSA_ERROR_INSUFFICIENT_MEMORY);
    test_service_serves(test_pid);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* A call whose vectors (in a memfd) do not fit in what the partition has
 * left of its address space is refused with INSUFFICIENT_MEMORY; the
 * partition lives on: a client cannot get a partition killed by sending
 * large calls faster than it answers them. */
static void payload_beyond_bound(void **state)
{
    const char *san = getenv("PARTIX_TEST_SANITIZED");
    uint64_t bound = 0, big = 200ull << 20;
    size_t i;
    pid_t test_pid;
    void *buf;

    (void)state;
    if (san != NULL && strcmp(san, "1") == 0)
        skip(); /* no RLIMIT_AS there (address_space_bounded says so) */
    start();
    test_pid = fixture_partition_pid(&fx, "PARTIX_SP_TEST");
    for (i = 0; i < n_parts; i++)
        if (strcmp(parts[i].name, "PARTIX_SP_TEST") == 0)
            bound = parts[i].bound;
    assert_true(bound > (256ull << 20));
    buf = malloc(big);
    assert_non_null(buf);
    {
        psa_outvec out = {buf, big};

        /* the partition holds all but 128 MiB of its bound: 200 MiB of
         * vectors cannot be mapped, then can once it lets go */
        assert_int_equal(map(bound - (128ull << 20), true), PSA_SUCCESS);
        assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_CONCAT, NULL, 0, &out, 1),
                         PSA_ERROR_INSUFFICIENT_MEMORY);
        assert_int_equal(out.len, 0);
        assert_int_equal(map(4096, false), PSA_SUCCESS);
        out.len = big;
        assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_CONCAT, NULL, 0, &out, 1),
                         PSA_SUCCESS);
    }
    free(buf);
    test_service_serves(test_pid);
    assert_int_equal(fixture_log_count(&fx, "restarting", NULL), 0);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* An account with no subordinate uids (daemon, uid 1 on Debian): psa-spm
 * refuses to start, before any partition, and names the fix. */
static void refuses_account_without_range(void **state)
{
    const char *plat = getenv("PARTIX_TEST_PLATFORM");
    char out[8192], dir[128];
    int rc;

    (void)state;
    if (geteuid() != 0)
        skip();
    assert_int_equal(fixture_dir_new(dir, sizeof(dir), "ids"), 0);
    rc = fixture_sh(out, sizeof(out),
                    "timeout 20 %s --manifest-list %s --partition-dir %s --socket %s/s.sock "
                    "--state-dir %s/state --partition-user daemon%s%s",
                    getenv("PARTIX_SPM"), getenv("PARTIX_TEST_LIST"),
                    getenv("PARTIX_TEST_PARTITIONS"), dir, dir, plat ? " --platform " : "",
                    plat ? plat : "");
    fixture_dir_remove(dir);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(out, "psa-spm: /etc/subuid gives daemon no subordinate uids"));
    assert_non_null(strstr(out, "sh mk/deps.sh"));
    assert_null(strstr(out, "starting"));
}

/* A storage directory an older psa-spm left to nobody: the partition's
 * uid takes it and its files over, and only them (not a symbolic link's
 * target, not root's file); ITS still serves. */
static void storage_taken_over(void **state)
{
    const char *extra[] = {"--state-dir", NULL, NULL};
    char dir[128], its[256], path[512], target[256];
    struct stat st;
    uid_t uid = 0;
    size_t i;
    FILE *f;

    (void)state;
    if (geteuid() != 0)
        skip();
    assert_int_equal(fixture_dir_new(dir, sizeof(dir), "takeover"), 0);
    snprintf(its, sizeof(its), "%s/TFM_SP_ITS", dir);
    assert_int_equal(mkdir(its, 0700), 0);
    assert_int_equal(chown(its, NOBODY, NOBODY), 0);
    snprintf(path, sizeof(path), "%s/old", its);
    f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(chown(path, NOBODY, NOBODY), 0);
    snprintf(target, sizeof(target), "%s/root-file", dir); /* outside, root's */
    f = fopen(target, "w");
    assert_non_null(f);
    fclose(f);
    snprintf(path, sizeof(path), "%s/link", its);
    assert_int_equal(symlink(target, path), 0);
    assert_int_equal(lchown(path, NOBODY, NOBODY), 0);

    extra[1] = dir;
    assert_int_equal(fixture_start(&fx, extra), 0);
    read_parts();
    for (i = 0; i < n_parts; i++)
        if (strcmp(parts[i].name, "TFM_SP_ITS") == 0)
            uid = uid_of(parts[i].pid);
    assert_true(uid != 0 && uid != NOBODY);
    assert_true(fixture_log_has(&fx, "TFM_SP_ITS: storage directory", "taken over from uid 65534"));
    assert_int_equal(stat(its, &st), 0);
    assert_int_equal(st.st_uid, uid);
    snprintf(path, sizeof(path), "%s/old", its);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_uid, uid);
    assert_int_equal(stat(target, &st), 0);
    assert_int_equal(st.st_uid, 0);
    {
        uint8_t v = 7, back = 0;
        size_t n = 0;

        assert_int_equal(psa_its_set(1, 1, &v, 0), PSA_SUCCESS);
        assert_int_equal(psa_its_get(1, 0, 1, &back, &n), PSA_SUCCESS);
        assert_int_equal(back, 7);
    }
    assert_int_equal(fixture_stop(&fx), 0);
    fixture_dir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(own_uids, fixture_teardown),
        cmocka_unit_test_teardown(nobody_cannot_kill, fixture_teardown),
        cmocka_unit_test_teardown(address_space_bounded, fixture_teardown),
        cmocka_unit_test_teardown(payload_beyond_bound, fixture_teardown),
        cmocka_unit_test_teardown(refuses_account_without_range, fixture_teardown),
        cmocka_unit_test_teardown(storage_taken_over, fixture_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
