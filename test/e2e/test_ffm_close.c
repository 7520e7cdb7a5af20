/*
 * test_ffm_close.c - FF-M behaviours a TF-M user counts on (issue 14 items
 * 1 and 4), against the real daemon:
 *
 *   - a service that answers a call PSA_ERROR_PROGRAMMER_ERROR terminates
 *     the connection: a non-secure caller gets the status, then every later
 *     call on the handle gets it at once, without reaching the service; a
 *     secure caller (a partition) is panicked instead;
 *   - psa_close returns once the service has handled PSA_IPC_DISCONNECT,
 *     as on TF-M, where the caller waits for that reply.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "psa/client.h"
#include "psa_manifest/sid.h"
#include "test_ops.h"

static struct fixture fx;

static void pause_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

static psa_handle_t connect_strict(void)
{
    psa_handle_t h = psa_connect(PARTIX_TEST_STRICT_SID, PARTIX_TEST_STRICT_VERSION);

    assert_true(PSA_HANDLE_IS_VALID(h));
    return h;
}

/* The end of the daemon's log on stderr: what it saw when a call failed. */
static void dump_log(void)
{
    char cmd[256];

    snprintf(cmd, sizeof(cmd), "tail -n 40 %s >&2", fx.log);
    if (system(cmd) != 0)
        fprintf(stderr, "(no log at %s)\n", fx.log);
}

static struct test_info info_of(psa_handle_t h)
{
    struct test_info ti;
    psa_outvec out = {&ti, sizeof(ti)};
    psa_status_t st;

    memset(&ti, 0, sizeof(ti));
    st = psa_call(h, TEST_OP_INFO, NULL, 0, &out, 1);
    if (st != PSA_SUCCESS)
        dump_log();
    assert_int_equal(st, PSA_SUCCESS);
    return ti;
}

static psa_status_t reply_with(psa_handle_t h, int32_t status)
{
    psa_invec in = {&status, sizeof(status)};

    return psa_call(h, TEST_OP_STATUS, &in, 1, NULL, 0);
}

static void test_programmer_error_terminates_the_connection(void **state)
{
    psa_handle_t h, other;
    uint32_t calls_before;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    h = connect_strict();
    other = connect_strict();
    assert_int_equal(reply_with(h, PSA_ERROR_INVALID_ARGUMENT), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(reply_with(h, PSA_ERROR_PROGRAMMER_ERROR), PSA_ERROR_PROGRAMMER_ERROR);
    /* terminated: later calls fail at once and never reach the service */
    calls_before = info_of(other).calls;
    assert_int_equal(reply_with(h, PSA_SUCCESS), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(psa_call(h, TEST_OP_INFO, NULL, 0, NULL, 0), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(info_of(other).calls, calls_before + 1); /* that INFO only */
    /* the other connection, and a new one, are untouched */
    assert_int_equal(reply_with(other, PSA_SUCCESS), PSA_SUCCESS);
    psa_close(h);
    h = connect_strict();
    assert_int_equal(reply_with(h, PSA_SUCCESS), PSA_SUCCESS);
    psa_close(h);
    psa_close(other);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* The test partition calls its peer, which answers PROGRAMMER_ERROR: the
 * test partition is panicked (its caller sees it die mid-call). */
static void test_secure_caller_is_panicked(void **state)
{
    static const char *const restart[] = {"--fault-policy", "restart", NULL};
    int32_t type = PEER_OP_STATUS, st = PSA_ERROR_PROGRAMMER_ERROR;
    psa_invec in[2] = {{&type, sizeof(type)}, {&st, sizeof(st)}};
    int32_t out = 0;
    psa_outvec ov = {&out, sizeof(out)};
    pid_t before;

    (void)state;
    assert_int_equal(fixture_start(&fx, restart), 0);
    before = fixture_partition_pid(&fx, "PARTIX_SP_TEST");
    assert_true(before > 0);
    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_PEER_OP, in, 2, &ov, 1),
                     PSA_ERROR_COMMUNICATION_FAILURE);
    assert_true(fixture_restarted(&fx, "PARTIX_SP_TEST", before) > 0);
    assert_true(fixture_log_has(&fx, "partition PARTIX_SP_TEST (pid ",
                                "the service answered PROGRAMMER_ERROR"));
    assert_int_equal(fixture_stop(&fx), 0);
}

static psa_handle_t closing;
static atomic_int closed;

static void *close_thread(void *arg)
{
    (void)arg;
    psa_close(closing);
    atomic_store(&closed, 1);
    return NULL;
}

static uint32_t held(void)
{
    uint32_t v = 0xffffffffu;
    psa_outvec ov = {&v, sizeof(v)};

    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_HELD, NULL, 0, &ov, 1),
                     PSA_SUCCESS);
    return v;
}

/* The service holds the DISCONNECT (answering the stateless service
 * meanwhile): psa_close must not return until it answers. */
static void test_close_waits_for_the_service(void **state)
{
    psa_handle_t h, other;
    uint32_t before;
    pthread_t t;
    int i;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    other = connect_strict();
    h = connect_strict();
    before = info_of(other).disconnects;
    assert_int_equal(psa_call(h, TEST_OP_HOLD_DISCONNECT, NULL, 0, NULL, 0), PSA_SUCCESS);
    closing = h;
    atomic_store(&closed, 0);
    assert_int_equal(pthread_create(&t, NULL, close_thread, NULL), 0);
    for (i = 0; i < 500 && held() != 1; i++) /* the DISCONNECT reaches the service */
        pause_ms(10);
    assert_true(i < 500);
    /* the service has it and has not answered: psa_close has not returned */
    pause_ms(100);
    assert_int_equal(held(), 1);
    assert_int_equal(atomic_load(&closed), 0);
    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_RELEASE, NULL, 0, NULL, 0),
                     PSA_SUCCESS);
    assert_int_equal(pthread_join(t, NULL), 0);
    assert_int_equal(atomic_load(&closed), 1);
    assert_int_equal(info_of(other).disconnects, before + 1);
    psa_close(other);
    assert_int_equal(fixture_stop(&fx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_programmer_error_terminates_the_connection,
                                  fixture_teardown),
        cmocka_unit_test_teardown(test_secure_caller_is_panicked, fixture_teardown),
        cmocka_unit_test_teardown(test_close_waits_for_the_service, fixture_teardown),
    };

    return cmocka_run_group_tests_name("e2e_ffm_close", tests, NULL, NULL);
}
