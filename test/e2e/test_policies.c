/*
 * test_policies.c - the fault policies and the watchdog: with "reset" (the
 * default, as TF-M) one partition's fault restarts every partition and every
 * connection fails with COMMUNICATION_FAILURE; a partition that leaves a
 * call unanswered past --call-timeout is declared hung and panicked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "partix/control.h"
#include "psa/client.h"
#include "psa_manifest/sid.h"
#include "test_ops.h"

static struct fixture fx;

static psa_status_t test_op(int op, uint64_t arg)
{
    psa_invec in = {&arg, sizeof(arg)};

    return psa_call(PARTIX_TEST_STATELESS_HANDLE, op, &in, 1, NULL, 0);
}

static void test_reset_policy(void **state)
{
    pid_t echo_before, echo_after;
    psa_handle_t echo;
    uint8_t out[4];
    psa_invec in = {"abcd", 4};
    psa_outvec o = {out, sizeof(out)};

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0); /* reset is the default */
    assert_true(fixture_log_has(&fx, "fault policy reset", NULL));
    echo_before = fixture_partition_pid(&fx, "TFM_SP_ECHO_SERVICE");
    echo = psa_connect(TFM_ECHO_SERVICE_SID, 1);
    assert_true(PSA_HANDLE_IS_VALID(echo));
    assert_int_equal(psa_call(echo, PSA_IPC_CALL, &in, 1, &o, 1), PSA_SUCCESS);
    /* the test partition panics: the whole system resets */
    assert_int_equal(test_op(TEST_OP_PANIC, 0), PSA_ERROR_COMMUNICATION_FAILURE);
    assert_true(
        fixture_log_has(&fx, "system reset after the fault of partition PARTIX_SP_TEST", NULL));
    assert_true(fixture_log_has(&fx, "restarting all ", NULL));
    /* every connection made before the reset fails with a defined status */
    assert_int_equal(psa_call(echo, PSA_IPC_CALL, &in, 1, &o, 1), PSA_ERROR_COMMUNICATION_FAILURE);
    psa_close(echo);
    /* and every partition runs again, in a new process */
    for (int tries = 0; tries < 500; tries++) {
        echo_after = fixture_partition_pid(&fx, "TFM_SP_ECHO_SERVICE");
        if (echo_after != echo_before && test_op(TEST_OP_CONCAT, 0) == PSA_SUCCESS)
            break;
        usleep(10 * 1000);
    }
    assert_int_not_equal(echo_after, echo_before);
    o.len = sizeof(out); /* a failed call reports nothing written */
    echo = psa_connect(TFM_ECHO_SERVICE_SID, 1);
    assert_true(PSA_HANDLE_IS_VALID(echo));
    assert_int_equal(psa_call(echo, PSA_IPC_CALL, &in, 1, &o, 1), PSA_SUCCESS);
    psa_close(echo);
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_hung_partition(void **state)
{
    static const char *const args[] = {"--fault-policy", "restart", "--call-timeout", "1", NULL};

    (void)state;
    assert_int_equal(fixture_start(&fx, args), 0);
    /* a 30 s call with a 1 s watchdog: an error, not a 30 s wait */
    assert_int_equal(test_op(TEST_OP_SLEEP, 30000), PSA_ERROR_COMMUNICATION_FAILURE);
    assert_true(fixture_log_has(&fx, "partition PARTIX_SP_TEST",
                                "panicked: hung: no reply to a call message for 1000 ms"));
    assert_true(fixture_log_has(&fx, "restarting partition PARTIX_SP_TEST", NULL));
    assert_int_equal(fixture_stop(&fx), 0);
}

/* A daemon restarted under a client: a request that means the same to any
 * psa-spm (version, connect, a stateless call, an interrupt line) reaches
 * the new one; a handle of the old one is dead. */
static void test_client_follows_a_restarted_spm(void **state)
{
    psa_handle_t old;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(test_op(TEST_OP_CONCAT, 0), PSA_SUCCESS); /* the thread's socket is open */
    old = psa_connect(TFM_ECHO_SERVICE_SID, 1);
    assert_true(PSA_HANDLE_IS_VALID(old));
    assert_int_equal(fixture_stop(&fx), 0);
    assert_int_equal(fixture_start(&fx, NULL), 0); /* a new daemon, a new socket */
    assert_int_equal(psa_call(old, PSA_IPC_CALL, NULL, 0, NULL, 0),
                     PSA_ERROR_COMMUNICATION_FAILURE);
    assert_int_equal(fixture_stop(&fx), 0);
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(test_op(TEST_OP_CONCAT, 0), PSA_SUCCESS); /* resent once */
    assert_int_equal(fixture_stop(&fx), 0);
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(psa_version(TFM_ECHO_SERVICE_SID), 1);
    assert_int_equal(fixture_stop(&fx), 0);
    assert_int_equal(fixture_start(&fx, NULL), 0);
    old = psa_connect(TFM_ECHO_SERVICE_SID, 1);
    assert_true(PSA_HANDLE_IS_VALID(old));
    psa_close(old);
    assert_int_equal(fixture_stop(&fx), 0);
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(partix_irq_raise("PARTIX_TEST_SPARE_IRQ"), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* The test partition's next panic, once the system has reset from the
 * last one: COMMUNICATION_FAILURE, and the pid of the partition's next
 * process (0 if none comes: out of service). */
static pid_t panic_and_wait(pid_t before)
{
    assert_int_equal(test_op(TEST_OP_PANIC, 0), PSA_ERROR_COMMUNICATION_FAILURE);
    return fixture_restarted(&fx, "PARTIX_SP_TEST", before);
}

/* --reset-limit 2/60: the third fault within the window leaves every
 * partition out of service, as docs/faults.md says: the others' processes
 * stay, idle (never killed as "malformed", never "did not start"), connects
 * are refused and calls fail; psa-spm stops cleanly. */
static void test_reset_limit(void **state)
{
    static const char *const limit[] = {"--reset-limit", "2/60", NULL};
    psa_handle_t h = PSA_NULL_HANDLE;
    pid_t test, echo;
    uint8_t out[4];
    psa_invec in = {"abcd", 4};
    psa_outvec o = {out, sizeof(out)};

    (void)state;
    assert_int_equal(fixture_start(&fx, limit), 0);
    test = fixture_partition_pid(&fx, "PARTIX_SP_TEST");
    assert_true((test = panic_and_wait(test)) > 0);
    assert_true(fixture_log_has(&fx, "(reset 1 of 2 in 60 s)", NULL));
    assert_true((test = panic_and_wait(test)) > 0);
    assert_true(fixture_log_has(&fx, "(reset 2 of 2 in 60 s)", NULL));
    for (int i = 0; i < 500 && !PSA_HANDLE_IS_VALID(h = psa_connect(TFM_ECHO_SERVICE_SID, 1)); i++)
        usleep(10 * 1000); /* the second reset is over */
    assert_true(PSA_HANDLE_IS_VALID(h));
    /* only now: before, the log's last echo process may be the one the
     * reset stopped */
    echo = fixture_partition_pid(&fx, "TFM_SP_ECHO_SERVICE");
    assert_true(echo > 0);
    assert_int_equal(psa_call(h, PSA_IPC_CALL, &in, 1, &o, 1), PSA_SUCCESS);
    assert_int_equal(test_op(TEST_OP_PANIC, 0), PSA_ERROR_COMMUNICATION_FAILURE);
    assert_true(fixture_log_has(&fx, "too many system resets (2 in 60 s)", NULL));
    /* out of service: refused, failed, and the others' processes idle */
    assert_int_equal(psa_connect(TFM_ECHO_SERVICE_SID, 1), PSA_ERROR_CONNECTION_REFUSED);
    assert_int_equal(test_op(TEST_OP_CONCAT, 0), PSA_ERROR_COMMUNICATION_FAILURE);
    assert_int_equal(psa_call(h, PSA_IPC_CALL, &in, 1, &o, 1), PSA_ERROR_COMMUNICATION_FAILURE);
    psa_close(h);
    assert_int_equal(kill(echo, 0), 0);
    assert_int_equal(fixture_partition_pid(&fx, "TFM_SP_ECHO_SERVICE"), echo);
    assert_int_equal(fixture_stop(&fx), 0);
    assert_false(fixture_log_has(&fx, "malformed or unexpected datagram", NULL));
    assert_false(fixture_log_has(&fx, "did not start", NULL));
}

/* --reset-limit 0: no limit, for a test suite's long series of intended
 * panics: twelve resets in a row, and the partitions still serve. */
static void test_no_reset_limit(void **state)
{
    static const char *const none[] = {"--reset-limit", "0", NULL};
    pid_t test;
    int i;

    (void)state;
    assert_int_equal(fixture_start(&fx, none), 0);
    test = fixture_partition_pid(&fx, "PARTIX_SP_TEST");
    for (i = 0; i < 12; i++)
        assert_true((test = panic_and_wait(test)) > 0);
    assert_false(fixture_log_has(&fx, "too many system resets", NULL));
    for (i = 0; i < 500 && test_op(TEST_OP_CONCAT, 0) != PSA_SUCCESS; i++)
        usleep(10 * 1000);
    assert_int_equal(test_op(TEST_OP_CONCAT, 0), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_reset_policy, fixture_teardown),
        cmocka_unit_test_teardown(test_reset_limit, fixture_teardown),
        cmocka_unit_test_teardown(test_no_reset_limit, fixture_teardown),
        cmocka_unit_test_teardown(test_hung_partition, fixture_teardown),
        cmocka_unit_test_teardown(test_client_follows_a_restarted_spm, fixture_teardown),
    };

    return cmocka_run_group_tests_name("e2e_policies", tests, NULL, NULL);
}
