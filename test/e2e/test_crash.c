/*
 * test_crash.c - crash reports (issue 17 item 4), against the real daemon:
 * the test partition faults on request, and psa-spm's log and crash file
 * name the signal, the faulting address, the registers, the backtrace
 * symbolized from the partition's own executable (functions and, built
 * with -g, file:line), the FF-M call in progress and the message being
 * handled; the caller has its answer at once.
 */
#include <errno.h>
#include <setjmp.h>
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
#include "psa_manifest/sid.h"
#include "test_ops.h"

static struct fixture fx;
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

/* The crash file of process @p pid, read whole into @p buf: its length, or -1. */
static long crash_file(pid_t pid, char *buf, size_t size)
{
    char path[256];
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "%s/crashes/PARTIX_SP_TEST-%d.txt", fx.state, (int)pid);
    for (int tries = 0; tries < 500; tries++) { /* the log line comes after the file */
        if (fixture_log_count(&fx, "crash report written to", path) > 0)
            break;
        usleep(10 * 1000);
    }
    f = fopen(path, "r");
    if (f == NULL)
        return -1;
    n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
    return (long)n;
}

/* Makes the test partition fault with call type @p op (in_vec[0] of
 * @p in_len bytes); checks the caller's answer and that the log says
 * @p a with @p b.  Returns the dead process's pid, the partition restarted. */
static pid_t crash(int op, size_t in_len, const char *a, const char *b)
{
    pid_t before = fixture_partition_pid(&fx, "PARTIX_SP_TEST");
    uint8_t in[64] = {0}, out[8];
    psa_invec iv = {in, in_len};
    psa_outvec o = {out, sizeof(out)};

    assert_true(before > 0);
    /* the caller is answered as soon as the process is reaped */
    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, op, &iv, in_len > 0, &o, 1),
                     PSA_ERROR_COMMUNICATION_FAILURE);
    assert_true(fixture_log_has(&fx, a, b));
    assert_true(fixture_restarted(&fx, "PARTIX_SP_TEST", before) > 0);
    return before;
}

static void test_segv_backtrace(void **state)
{
    char buf[32768], line[128];
    pid_t pid;

    (void)state;
    pid = crash(TEST_OP_SEGV_DEEP, 0, "crashed: SIGSEGV", "fault address 0x1000");
    snprintf(line, sizeof(line), "PARTIX_SP_TEST (pid %d) crashed: SIGSEGV", (int)pid);
    assert_true(fixture_log_has(&fx, line, "Segmentation fault"));
    /* the faulting function first, then its caller, with file and line */
    assert_true(fixture_log_has(&fx, "#0 ", "crash_fault_here+0x"));
    assert_true(fixture_log_has(&fx, "crash_fault_here", "test_service.c:"));
    assert_true(fixture_log_has(&fx, "#1 ", "crash_middle+0x"));
    assert_true(fixture_log_has(&fx, "FF-M call in progress: none", NULL));
    assert_true(fixture_log_has(&fx, "message: handle", "call type 39, service SID 0x0000f103"));
    assert_true(fixture_log_has(&fx, "registers:", "rip=0x"));
    /* the crash file holds the same */
    assert_true(crash_file(pid, buf, sizeof(buf)) > 0);
    assert_non_null(strstr(buf, "crashed: SIGSEGV"));
    assert_non_null(strstr(buf, "crash_fault_here+0x"));
    assert_non_null(strstr(buf, "crash_middle+0x"));
    assert_non_null(strstr(buf, "partix_test_main"));
    assert_non_null(strstr(buf, "call type 39"));
    assert_non_null(strstr(buf, "cr2=0x1000"));
}

static void test_fault_in_an_ffm_call(void **state)
{
    char buf[32768];
    pid_t pid;

    (void)state;
    pid = crash(TEST_OP_READ_BAD, 16, "FF-M call in progress: psa_read()", NULL);
    assert_true(crash_file(pid, buf, sizeof(buf)) > 0);
    assert_non_null(strstr(buf, "psa_read"));
    assert_non_null(strstr(buf, "in_size [16 0 0 0]"));
}

static void test_abort(void **state)
{
    char buf[32768];
    pid_t pid;

    (void)state;
    pid = crash(TEST_OP_ABORT, 0, "crashed: SIGABRT", NULL);
    assert_true(crash_file(pid, buf, sizeof(buf)) > 0);
    assert_non_null(strstr(buf, " abort"));           /* libc's, symbolized too */
    assert_non_null(strstr(buf, "partix_test_main")); /* down to the partition's code */
    assert_non_null(strstr(buf, "call type 21"));
}

static void test_sigfpe(void **state)
{
    char buf[32768];
    pid_t pid;

    (void)state;
    pid = crash(TEST_OP_SIGFPE, 0, "crashed: SIGFPE", NULL);
    assert_true(fixture_log_has(&fx, "#0 ", "crash_divide+0x"));
    assert_true(crash_file(pid, buf, sizeof(buf)) > 0);
    assert_non_null(strstr(buf, "crash_divide"));
}

static void test_sigill(void **state)
{
    (void)state;
    crash(TEST_OP_SIGILL, 0, "crashed: SIGILL", NULL);
    assert_true(fixture_log_has(&fx, "FF-M call in progress", NULL));
}

static void test_stack_overflow(void **state)
{
    char buf[32768];
    pid_t pid;

    (void)state;
    if (getenv("PARTIX_TEST_SANITIZED") != NULL &&
        strcmp(getenv("PARTIX_TEST_SANITIZED"), "1") == 0)
        skip(); /* docs/faults.md, "Stack overflow": the sanitizer build's known gap */
    pid = crash(TEST_OP_STACK_OVERFLOW, 0, "crashed: stack overflow", "guard page");
    assert_true(fixture_log_has(&fx, "#0 ", "deep"));
    assert_true(crash_file(pid, buf, sizeof(buf)) > 0);
    assert_non_null(strstr(buf, "stack overflow"));
}

/* A partition that lies in its report: the monitor refuses what does not
 * add up, symbolizes what does as noise, and carries on. */
static void test_lying_reports(void **state)
{
    static const uint32_t kinds[] = {LYING_JUNK, LYING_COUNTS, LYING_ADDRESSES};
    char msg[160];

    (void)state;
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        pid_t before = fixture_partition_pid(&fx, "PARTIX_SP_TEST");
        uint8_t out[8];
        psa_invec iv = {&kinds[i], sizeof(kinds[i])};
        psa_outvec o = {out, sizeof(out)};

        assert_int_equal(
            psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_LYING_REPORT, &iv, 1, &o, 1),
            PSA_ERROR_COMMUNICATION_FAILURE);
        assert_true(fixture_restarted(&fx, "PARTIX_SP_TEST", before) > 0);
        snprintf(msg, sizeof(msg), "PARTIX_SP_TEST (pid %d) crashed", (int)before);
        if (kinds[i] == LYING_ADDRESSES)
            assert_true(fixture_log_has(&fx, msg, NULL));
        else
            assert_int_equal(fixture_log_count(&fx, msg, NULL), 0);
    }
    assert_true(fixture_log_has(&fx, "malformed crash report", "ignored"));
    assert_true(fixture_alive(&fx));
    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_CONCAT, NULL, 0, NULL, 0),
                     PSA_SUCCESS);
}

/* A partition that ends without a fault leaves no report. */
static void test_no_report_without_a_crash(void **state)
{
    int before = fixture_log_count(&fx, "crashed: ", NULL);

    (void)state;
    assert_true(before >= 5);
    crash(TEST_OP_PANIC, 0, "PARTIX_SP_TEST", "panicked: psa_panic() called");
    assert_int_equal(fixture_log_count(&fx, "crashed: ", NULL), before);
}

/* --core-dir: the kernel's core of a crash, moved to DIR/NAME-PID.core,
 * which gdb reads with the executable.  Last: it restarts the daemon. */
static void test_core_dump(void **state)
{
    static const char *args[] = {
        "--fault-policy", "restart", "--reset-limit", "0", "--core-dir", NULL, NULL};
    char dir[256], core[512], out[8192], pattern[64] = "";
    FILE *f = fopen("/proc/sys/kernel/core_pattern", "r");
    struct stat st;
    pid_t pid;

    (void)state;
    if (f != NULL) {
        if (fgets(pattern, sizeof(pattern), f) == NULL)
            pattern[0] = '\0';
        fclose(f);
    }
    if (strcmp(pattern, "core\n") != 0)
        skip(); /* the kernel sends cores elsewhere (a program, a path): psa-spm says where */
    assert_int_equal(fixture_dir_new(dir, sizeof(dir), "cores"), 0);
    args[5] = dir;
    assert_int_equal(fixture_stop(&fx), 0);
    assert_int_equal(fixture_start(&fx, args), 0);
    assert_true(fixture_log_has(&fx, "DEBUGGING: --core-dir", "stays dumpable"));
    pid = crash(TEST_OP_SEGV_DEEP, 0, "crashed: SIGSEGV", NULL);
    snprintf(core, sizeof(core), "%s/PARTIX_SP_TEST-%d.core", dir, (int)pid);
    assert_true(fixture_log_has(&fx, "core dump: ", core));
    assert_int_equal(stat(core, &st), 0);
    assert_true(st.st_size > 4096);
    if (fixture_sh(out, sizeof(out), "command -v gdb >/dev/null") == 0) {
        assert_int_equal(fixture_sh(out, sizeof(out),
                                    "gdb -nx -batch -ex bt %s/partix_test_service %s",
                                    getenv("PARTIX_TEST_PARTITIONS"), core),
                         0);
        assert_non_null(strstr(out, "crash_fault_here"));
    }
    fixture_dir_remove(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_segv_backtrace),
        cmocka_unit_test(test_fault_in_an_ffm_call),
        cmocka_unit_test(test_abort),
        cmocka_unit_test(test_sigfpe),
        cmocka_unit_test(test_sigill),
        cmocka_unit_test(test_stack_overflow),
        cmocka_unit_test(test_no_report_without_a_crash),
        cmocka_unit_test(test_lying_reports),
        cmocka_unit_test(test_core_dump),
    };

    return cmocka_run_group_tests(tests, start, stop);
}
