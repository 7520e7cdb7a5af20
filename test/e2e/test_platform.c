/*
 * test_platform.c - the Platform service against the real daemon: NV
 * counters (read, increment, the maximum, TF-M's rules for non-secure
 * callers and vectors, persistence across restarts and resets, kill -9 in
 * a stream of increments, two Linux users apart), the system reset and
 * what its caller gets, the refusal of an APPLICATION-ROT partition's
 * reset, and the ioctl.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
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
#include "platform_sp.h"
#include "psa/client.h"
#include "psa/internal_trusted_storage.h"
#include "psa_manifest/sid.h"
#include "test_ops.h"
#include "tfm_platform_api.h"

#define PLATFORM_HANDLE TFM_PLATFORM_SERVICE_HANDLE

static struct fixture fx;
static char state_dir[64]; /* a state directory that outlives one daemon */
static const char *const keep_state[] = {"--state-dir", state_dir, NULL};
static const char *const restart_policy[] = {"--fault-policy", "restart", NULL};

static int teardown(void **state)
{
    fixture_teardown(state);
    return fixture_dir_remove(state_dir);
}

static void make_state_dir(void)
{
    assert_int_equal(fixture_dir_new(state_dir, sizeof(state_dir), "platform"), 0);
}

/* Whether the daemon's log holds @p text now (fixture_log_has() waits for it). */
static bool log_now_has(const char *text)
{
    char line[2048];
    bool found = false;
    FILE *f = fopen(fx.log, "r");

    assert_non_null(f);
    while (!found && fgets(line, sizeof(line), f) != NULL)
        found = strstr(line, text) != NULL;
    fclose(f);
    return found;
}

/* The caller's non-secure counter @p idx (asserting the read works). */
static uint32_t counter(uint32_t idx)
{
    uint32_t v = 0xdeadbeef;

    assert_int_equal(tfm_platform_nv_counter_read(idx, sizeof(v), (uint8_t *)&v),
                     TFM_PLATFORM_ERR_SUCCESS);
    return v;
}

/* The path of this user's NV counter file in @p state. */
static void ns_file(const char *state, char *out, size_t size)
{
    snprintf(out, size, "%s/TFM_SP_PLATFORM/nv-ns-%08x", state, (unsigned)(-1 - (int)getuid()));
}

static void test_read_increment(void **state)
{
    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    for (uint32_t i = 0; i < PLATFORM_NS_NV_COUNTERS; i++)
        assert_int_equal(counter(i), 0);
    for (int k = 0; k < 3; k++)
        assert_int_equal(tfm_platform_nv_counter_increment(0), TFM_PLATFORM_ERR_SUCCESS);
    assert_int_equal(tfm_platform_nv_counter_increment(2), TFM_PLATFORM_ERR_SUCCESS);
    /* each counter on its own */
    assert_int_equal(counter(0), 3);
    assert_int_equal(counter(1), 0);
    assert_int_equal(counter(2), 1);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* TF-M's rules: a non-secure caller names NS counters 0..2 by index; the
 * value is exactly 4 bytes; the vectors are checked. */
static void test_ns_rules(void **state)
{
    uint32_t id = 0, v = 7;
    uint16_t short_id = 0;
    uint8_t big[8];
    psa_outvec out = {&v, sizeof(v)};

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(tfm_platform_nv_counter_increment(1), TFM_PLATFORM_ERR_SUCCESS);
    /* indices past the NS counters: INVALID_PARAM, nothing changes */
    assert_int_equal(tfm_platform_nv_counter_increment(PLATFORM_NS_NV_COUNTERS),
                     TFM_PLATFORM_ERR_INVALID_PARAM);
    assert_int_equal(tfm_platform_nv_counter_increment(PLAT_NV_COUNTER_NS_0),
                     TFM_PLATFORM_ERR_INVALID_PARAM);
    assert_int_equal(tfm_platform_nv_counter_increment(UINT32_MAX), TFM_PLATFORM_ERR_INVALID_PARAM);
    assert_int_equal(tfm_platform_nv_counter_read(3, sizeof(v), (uint8_t *)&v),
                     TFM_PLATFORM_ERR_INVALID_PARAM);
    assert_int_equal(counter(1), 1);
    /* a value of another size than 4 bytes */
    assert_int_equal(tfm_platform_nv_counter_read(1, 2, (uint8_t *)&v),
                     TFM_PLATFORM_ERR_SYSTEM_ERROR);
    assert_int_equal(tfm_platform_nv_counter_read(1, sizeof(big), big),
                     TFM_PLATFORM_ERR_SYSTEM_ERROR);
    assert_int_equal(tfm_platform_nv_counter_read(1, 0, NULL), TFM_PLATFORM_ERR_SYSTEM_ERROR);
    /* vectors a TF-M client library would never send: SYSTEM_ERROR */
    psa_invec two_bytes = {&short_id, sizeof(short_id)};
    assert_int_equal(psa_call(PLATFORM_HANDLE, TFM_PLATFORM_API_ID_NV_READ, &two_bytes, 1, &out, 1),
                     TFM_PLATFORM_ERR_SYSTEM_ERROR);
    psa_invec extra[] = {{&id, sizeof(id)}, {"x", 1}};
    assert_int_equal(psa_call(PLATFORM_HANDLE, TFM_PLATFORM_API_ID_NV_INCREMENT, extra, 2, NULL, 0),
                     TFM_PLATFORM_ERR_SYSTEM_ERROR);
    out.len = sizeof(v); /* the failed read left it 0: an empty vector, as good as none */
    assert_int_equal(psa_call(PLATFORM_HANDLE, TFM_PLATFORM_API_ID_NV_INCREMENT, extra, 1, &out, 1),
                     TFM_PLATFORM_ERR_SYSTEM_ERROR);
    assert_int_equal(counter(0), 0); /* none of them incremented */
    /* an unknown call type; the stateless service refuses connections */
    assert_int_equal(psa_call(PLATFORM_HANDLE, 1009, extra, 1, NULL, 0), PSA_ERROR_NOT_SUPPORTED);
    assert_int_equal(psa_connect(TFM_PLATFORM_SERVICE_SID, 1), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* Starts and stops a daemon so the storage directory exists with its
 * owner, then writes this user's counter file there, as the partition's user. */
static void seed_counters(const uint32_t *values)
{
    uint8_t buf[NV_FILE_SIZE(PLATFORM_NS_NV_COUNTERS)];
    char path[256], dir[192];
    struct stat st;
    size_t len;
    int fd;

    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(fixture_stop(&fx), 0);
    snprintf(dir, sizeof(dir), "%s/TFM_SP_PLATFORM", state_dir);
    assert_int_equal(stat(dir, &st), 0);
    ns_file(state_dir, path, sizeof(path));
    len = nv_file_encode(buf, -1 - (int32_t)getuid(), values, PLATFORM_NS_NV_COUNTERS);
    assert_int_equal(len, sizeof(buf));
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, buf, len), (ssize_t)len);
    assert_int_equal(fchown(fd, st.st_uid, st.st_gid), 0);
    close(fd);
}

/* Monotonic: a counter at UINT32_MAX stays there. */
static void test_maximum(void **state)
{
    const uint32_t seeded[PLATFORM_NS_NV_COUNTERS] = {5, UINT32_MAX - 1, 0};

    (void)state;
    make_state_dir();
    seed_counters(seeded);
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(counter(0), 5);
    assert_int_equal(counter(1), UINT32_MAX - 1);
    assert_int_equal(tfm_platform_nv_counter_increment(1), TFM_PLATFORM_ERR_SUCCESS);
    assert_int_equal(counter(1), UINT32_MAX);
    assert_int_equal(tfm_platform_nv_counter_increment(1), TFM_PLATFORM_ERR_SYSTEM_ERROR);
    assert_int_equal(tfm_platform_nv_counter_increment(1), TFM_PLATFORM_ERR_SYSTEM_ERROR);
    assert_int_equal(counter(1), UINT32_MAX);
    /* the others go on */
    assert_int_equal(tfm_platform_nv_counter_increment(0), TFM_PLATFORM_ERR_SUCCESS);
    assert_int_equal(counter(0), 6);
    assert_int_equal(fixture_stop(&fx), 0);
    /* and the maximum is what is stored */
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(counter(1), UINT32_MAX);
    assert_int_equal(tfm_platform_nv_counter_increment(1), TFM_PLATFORM_ERR_SYSTEM_ERROR);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* A file that fails its checks is never read as zeros (a rollback): its
 * counters are refused, and left as they are. */
static void test_corrupt_file_refused(void **state)
{
    const uint32_t seeded[PLATFORM_NS_NV_COUNTERS] = {9, 9, 9};
    char path[256];
    uint32_t v;
    uint8_t b;
    int fd;

    (void)state;
    make_state_dir();
    seed_counters(seeded);
    ns_file(state_dir, path, sizeof(path));
    fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    assert_int_equal(pread(fd, &b, 1, NV_FILE_HEADER_SIZE), 1);
    b ^= 0x01;
    assert_int_equal(pwrite(fd, &b, 1, NV_FILE_HEADER_SIZE), 1);
    close(fd);
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(tfm_platform_nv_counter_read(0, sizeof(v), (uint8_t *)&v),
                     TFM_PLATFORM_ERR_SYSTEM_ERROR);
    assert_int_equal(tfm_platform_nv_counter_increment(2), TFM_PLATFORM_ERR_SYSTEM_ERROR);
    assert_true(fixture_log_has(&fx, "[TFM_SP_PLATFORM] nv-ns-", "fails its checks"));
    assert_int_equal(fixture_stop(&fx), 0);
    /* repaired (flipped back): the values it held, untouched */
    fd = open(path, O_RDWR);
    assert_true(fd >= 0);
    b ^= 0x01;
    assert_int_equal(pwrite(fd, &b, 1, NV_FILE_HEADER_SIZE), 1);
    close(fd);
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(counter(0), 9);
    assert_int_equal(counter(2), 9);
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_persistence(void **state)
{
    pid_t old, pid;

    (void)state;
    make_state_dir();
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    for (int k = 0; k < 4; k++)
        assert_int_equal(tfm_platform_nv_counter_increment(2), TFM_PLATFORM_ERR_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
    /* a new daemon */
    assert_int_equal(fixture_start(&fx, keep_state), 0);
    assert_int_equal(counter(2), 4);
    assert_int_equal(fixture_stop(&fx), 0);
    /* a partition killed and restarted (the restart policy: it alone) */
    const char *const args[] = {"--state-dir", state_dir, "--fault-policy", "restart", NULL};
    assert_int_equal(fixture_start(&fx, args), 0);
    assert_int_equal(tfm_platform_nv_counter_increment(2), TFM_PLATFORM_ERR_SUCCESS);
    old = fixture_partition_pid(&fx, "TFM_SP_PLATFORM");
    assert_true(old > 0);
    assert_int_equal(kill(old, SIGKILL), 0);
    pid = fixture_restarted(&fx, "TFM_SP_PLATFORM", old);
    assert_true(pid > 0);
    assert_int_equal(counter(2), 5);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* ---- kill -9 during a stream of increments ---- */

/* Increments counter 0 for ever, reporting each acknowledged one on @p fd. */
static void __attribute__((noreturn)) incrementer(int fd)
{
    for (;;) {
        char ack = 'a';

        if (tfm_platform_nv_counter_increment(0) != TFM_PLATFORM_ERR_SUCCESS)
            _exit(0); /* the daemon is gone */
        if (write(fd, &ack, 1) != 1)
            _exit(1);
    }
}

static void test_crash_durability(void **state)
{
    uint32_t acked = 0, v;
    int fds[2], status;
    char ack;
    pid_t pid;

    (void)state;
    make_state_dir();
    srand((unsigned)time(NULL) ^ (unsigned)getpid());
    for (int round = 0; round < 3; round++) {
        long stop_after = 20 + rand() % 200, seen = 0;

        assert_int_equal(fixture_start(&fx, keep_state), 0);
        assert_int_equal(counter(0), acked);
        assert_int_equal(pipe(fds), 0);
        pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            close(fds[0]);
            incrementer(fds[1]);
        }
        close(fds[1]);
        /* kill -9 the daemon after a random number of acknowledged
         * increments, while the client keeps going */
        while (seen < stop_after && read(fds[0], &ack, 1) == 1)
            seen++;
        assert_int_equal(seen, stop_after);
        assert_int_equal(fixture_crash(&fx), 0);
        while (read(fds[0], &ack, 1) == 1)
            seen++;
        close(fds[0]);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        acked += (uint32_t)seen;

        /* every acknowledged increment is there, and at most the one in
         * flight besides */
        assert_int_equal(fixture_start(&fx, keep_state), 0);
        v = counter(0);
        if (v < acked || v > acked + 1)
            fail_msg("counter %u after %u acknowledged increments", v, acked);
        acked = v; /* the next round starts from what is stored */
        assert_int_equal(fixture_stop(&fx), 0);
    }
}

/* ---- two Linux users ---- */

static int as_user(void *arg)
{
    uint32_t v = 99;

    (void)arg;
    /* root's counter 0 is not this user's */
    if (tfm_platform_nv_counter_read(0, sizeof(v), (uint8_t *)&v) != TFM_PLATFORM_ERR_SUCCESS ||
        v != 0)
        return 3;
    if (tfm_platform_nv_counter_increment(0) != TFM_PLATFORM_ERR_SUCCESS)
        return 4;
    if (tfm_platform_nv_counter_read(0, sizeof(v), (uint8_t *)&v) != TFM_PLATFORM_ERR_SUCCESS ||
        v != 1)
        return 5;
    if (tfm_platform_nv_counter_increment(3) != TFM_PLATFORM_ERR_INVALID_PARAM)
        return 6;
    return 0;
}

static void test_two_users(void **state)
{
    int rc;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    for (int k = 0; k < 5; k++)
        assert_int_equal(tfm_platform_nv_counter_increment(0), TFM_PLATFORM_ERR_SUCCESS);
    rc = fixture_run_as(&fx, 65534, as_user, NULL);
    if (rc == -2) {
        fprintf(stderr, "test_two_users: needs root to run a client as another user; skipped\n");
        skip();
    }
    assert_int_equal(rc, 0);
    assert_int_equal(counter(0), 5);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* ---- system reset ---- */

static void test_system_reset(void **state)
{
    const char *parts[] = {"TFM_SP_PLATFORM", "TFM_SP_ITS", "TFM_SP_ECHO_SERVICE"};
    pid_t before[3];
    char line[128];
    psa_handle_t echo;
    psa_invec in = {"abcd", 4};
    uint8_t out[4];
    psa_outvec o = {out, sizeof(out)};

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(tfm_platform_nv_counter_increment(1), TFM_PLATFORM_ERR_SUCCESS);
    for (int i = 0; i < 3; i++) {
        before[i] = fixture_partition_pid(&fx, parts[i]);
        assert_true(before[i] > 0);
    }
    echo = psa_connect(TFM_ECHO_SERVICE_SID, 1);
    assert_true(PSA_HANDLE_IS_VALID(echo));

    assert_int_equal(tfm_platform_system_reset(), TFM_PLATFORM_ERR_SUCCESS);
    /* who asked, for whom, and the reset itself */
    snprintf(line, sizeof(line), "asks for a system reset for client %d", -1 - (int)getuid());
    assert_true(fixture_log_has(&fx, "partition TFM_SP_PLATFORM (pid", line));
    assert_true(fixture_log_has(
        &fx, "system reset (requested by partition TFM_SP_PLATFORM): every partition restarts",
        NULL));
    assert_true(fixture_log_has(&fx, "system reset over", NULL));
    /* it returned once every partition had started again: each is in a new
     * process and serves at once, no retry needed */
    for (int i = 0; i < 3; i++) {
        pid_t now = fixture_partition_pid(&fx, parts[i]);

        assert_true(now > 0);
        assert_int_not_equal(now, before[i]);
    }
    assert_int_equal(psa_its_set(1, 2, "ok", 0), PSA_SUCCESS);
    assert_int_equal(counter(1), 1); /* the counters are not reset */
    /* connections made before are dead */
    assert_int_equal(psa_call(echo, PSA_IPC_CALL, &in, 1, &o, 1), PSA_ERROR_COMMUNICATION_FAILURE);
    psa_close(echo);
    /* vectors do not matter to the reset; the outputs say nothing written */
    o.len = sizeof(out);
    assert_int_equal(psa_call(PLATFORM_HANDLE, TFM_PLATFORM_API_ID_SYSTEM_RESET, &in, 1, &o, 1),
                     PSA_SUCCESS);
    assert_int_equal(o.len, 0);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* An APPLICATION-ROT partition may not reset the system: it is panicked,
 * and nothing else restarts. */
static void test_app_rot_reset_refused(void **state)
{
    pid_t its;
    uint64_t arg = 0;
    psa_invec in = {&arg, sizeof(arg)};

    (void)state;
    assert_int_equal(fixture_start(&fx, restart_policy), 0);
    its = fixture_partition_pid(&fx, "TFM_SP_ITS");
    assert_true(its > 0);
    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_SYSTEM_RESET, &in, 1, NULL, 0),
                     PSA_ERROR_COMMUNICATION_FAILURE);
    assert_true(fixture_log_has(&fx, "partition PARTIX_SP_TEST (pid",
                                "panicked: tfm_hal_system_reset: only a PSA-ROT partition may "
                                "reset the system"));
    assert_true(fixture_log_has(&fx, "restarting partition PARTIX_SP_TEST", NULL));
    assert_true(fixture_log_has(&fx, "PARTIX_SP_TEST", "ready"));
    /* the refusal is logged before the restart: a reset would be too */
    assert_false(log_now_has("system reset"));
    assert_int_equal(fixture_partition_pid(&fx, "TFM_SP_ITS"), its);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* ---- ioctl ---- */

static void test_ioctl_not_supported(void **state)
{
    uint8_t big_in[PLATFORM_SERVICE_INPUT_BUFFER_SIZE + 1] = {0};
    uint8_t buf[PLATFORM_SERVICE_OUTPUT_BUFFER_SIZE + 1];
    psa_invec input = {"arg", 3};
    psa_outvec output = {buf, 8};

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(tfm_platform_ioctl(0, NULL, NULL), TFM_PLATFORM_ERR_NOT_SUPPORTED);
    assert_int_equal(tfm_platform_ioctl(7, &input, &output), TFM_PLATFORM_ERR_NOT_SUPPORTED);
    assert_int_equal(output.len, 0);
    /* past TF-M's 64-byte buffers */
    input = (psa_invec){big_in, sizeof(big_in)};
    assert_int_equal(tfm_platform_ioctl(7, &input, NULL), TFM_PLATFORM_ERR_SYSTEM_ERROR);
    output = (psa_outvec){buf, sizeof(buf)};
    assert_int_equal(tfm_platform_ioctl(7, NULL, &output), TFM_PLATFORM_ERR_SYSTEM_ERROR);
    /* the statuses behind them, and a request vector too short */
    assert_int_equal(psa_call(PLATFORM_HANDLE, TFM_PLATFORM_API_ID_IOCTL, NULL, 0, NULL, 0),
                     PSA_ERROR_PROGRAMMER_ERROR);
    psa_invec req[] = {{"\1\0", 2}};
    assert_int_equal(psa_call(PLATFORM_HANDLE, TFM_PLATFORM_API_ID_IOCTL, req, 1, NULL, 0),
                     PSA_ERROR_PROGRAMMER_ERROR);
    psa_invec too_big[] = {{"\1\0\0\0", 4}, {big_in, sizeof(big_in)}};
    assert_int_equal(psa_call(PLATFORM_HANDLE, TFM_PLATFORM_API_ID_IOCTL, too_big, 2, NULL, 0),
                     PSA_ERROR_BUFFER_TOO_SMALL);
    assert_int_equal(fixture_stop(&fx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_read_increment, teardown),
        cmocka_unit_test_teardown(test_ns_rules, teardown),
        cmocka_unit_test_teardown(test_maximum, teardown),
        cmocka_unit_test_teardown(test_corrupt_file_refused, teardown),
        cmocka_unit_test_teardown(test_persistence, teardown),
        cmocka_unit_test_teardown(test_crash_durability, teardown),
        cmocka_unit_test_teardown(test_two_users, teardown),
        cmocka_unit_test_teardown(test_system_reset, teardown),
        cmocka_unit_test_teardown(test_app_rot_reset_refused, teardown),
        cmocka_unit_test_teardown(test_ioctl_not_supported, teardown),
    };

    return cmocka_run_group_tests_name("platform", tests, NULL, NULL);
}
