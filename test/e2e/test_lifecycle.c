/*
 * test_lifecycle.c - the lifecycle state a partition reads with
 * psa_rot_lifecycle_state(): the OTP's state (SECURED on a new device, or
 * what "partix-ctl otp provision" set), else --lifecycle, which wins over the
 * OTP; a value that is not a state stops the daemon from starting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "psa/client.h"
#include "psa/lifecycle.h"
#include "psa_manifest/sid.h"
#include "test_ops.h"

static struct fixture fx;
static char dir[64]; /* a state directory made before the daemon starts */

static uint32_t lifecycle(void)
{
    uint32_t v = 0xffffffffu;
    psa_outvec out = {&v, sizeof(v)};

    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_LIFECYCLE, NULL, 0, &out, 1),
                     PSA_SUCCESS);
    assert_int_equal(out.len, sizeof(v));
    return v;
}

/* A state directory whose OTP is provisioned in lifecycle state @p lcs. */
static void state_dir_with(const char *lcs)
{
    char cmd[256];

    snprintf(dir, sizeof(dir), "/tmp/partix-e2e-lc-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(cmd, sizeof(cmd), "%s otp provision --state-dir %s --lifecycle %s >/dev/null",
             fixture_ctl(), dir, lcs);
    assert_int_equal(system(cmd), 0);
}

/* Runs psa-spm to its end (it must not start); its exit status, its
 * stderr in @p err. */
static int run_refused(const char *const *extra, char *err, size_t size)
{
    const char *argv[16] = {getenv("PARTIX_SPM"),
                            "--manifest-list",
                            getenv("PARTIX_TEST_LIST"),
                            "--partition-dir",
                            getenv("PARTIX_TEST_PARTITIONS"),
                            "--socket",
                            "/tmp/partix-e2e-lc-never.sock"};
    int n = 7, p[2], status;
    ssize_t got, total = 0;
    pid_t pid;

    while (*extra != NULL && n < 15)
        argv[n++] = *extra++;
    argv[n] = NULL;
    assert_int_equal(pipe(p), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(p[1], 2);
        close(p[0]);
        execv(argv[0], (char *const *)(uintptr_t)argv);
        _exit(127);
    }
    close(p[1]);
    while ((got = read(p[0], err + total, size - 1 - (size_t)total)) > 0)
        total += got;
    err[total] = '\0';
    close(p[0]);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_default_secured(void **state)
{
    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(lifecycle(), PSA_LIFECYCLE_SECURED);
    assert_true(fixture_log_has(&fx, "lifecycle state secured (0x3000), from the OTP", NULL));
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_option_names_and_numbers(void **state)
{
    static const char *const by_name[] = {"--lifecycle", "non-psa-rot-debug", NULL};
    static const char *const by_number[] = {"--lifecycle", "0x2001", NULL};

    (void)state;
    assert_int_equal(fixture_start(&fx, by_name), 0);
    assert_int_equal(lifecycle(), PSA_LIFECYCLE_NON_PSA_ROT_DEBUG);
    assert_int_equal(fixture_stop(&fx), 0);
    /* an implementation-defined sub-state travels as it is */
    assert_int_equal(fixture_start(&fx, by_number), 0);
    assert_int_equal(lifecycle(), PSA_LIFECYCLE_PSA_ROT_PROVISIONING | 0x01);
    assert_true(fixture_log_has(&fx, "lifecycle state psa-rot-provisioning (0x2001)", NULL));
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_from_the_otp(void **state)
{
    const char *args[] = {"--state-dir", dir, NULL, NULL, NULL};
    char cmd[96];

    (void)state;
    state_dir_with("decommissioned");
    assert_int_equal(fixture_start(&fx, args), 0);
    assert_int_equal(lifecycle(), PSA_LIFECYCLE_DECOMMISSIONED);
    assert_true(fixture_log_has(&fx, "(0x6000), from the OTP, ", "/otp"));
    assert_int_equal(fixture_stop(&fx), 0);
    /* --lifecycle wins over the OTP */
    args[2] = "--lifecycle";
    args[3] = "assembly-and-test";
    assert_int_equal(fixture_start(&fx, args), 0);
    assert_int_equal(lifecycle(), PSA_LIFECYCLE_ASSEMBLY_AND_TEST);
    assert_int_equal(fixture_stop(&fx), 0);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_not_a_state_refused(void **state)
{
    static const char *const bad_option[] = {"--lifecycle", "0x10000", NULL};
    char err[2048];

    (void)state;
    assert_int_equal(run_refused(bad_option, err, sizeof(err)), 2);
    assert_non_null(strstr(err, "--lifecycle: '0x10000' is not a lifecycle state"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_default_secured, fixture_teardown),
        cmocka_unit_test_teardown(test_option_names_and_numbers, fixture_teardown),
        cmocka_unit_test_teardown(test_from_the_otp, fixture_teardown),
        cmocka_unit_test_teardown(test_not_a_state_refused, fixture_teardown),
    };

    return cmocka_run_group_tests_name("e2e_lifecycle", tests, NULL, NULL);
}
