/*
 * test_sfn.c - the SFN model against the real daemon: the runtime calls
 * entry_init once, then the <service>_sfn function of each message with the
 * message as the client sent it; the sfn's return value is the reply.  All
 * four services of the SFN test partition are reached (TF-M's third SFN
 * service collided with an SPM signal, TF-M issue #48), a doorbell is not a
 * message, and a CONNECT answered with a status FF-M does not allow panics
 * the partition, as psa_reply() would.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "fixture.h"
#include "psa/client.h"
#include "psa/service.h"
#include "psa_manifest/pid.h"
#include "psa_manifest/sid.h"
#include "test_ops.h"

static struct fixture fx;
static const char *const restart_policy[] = {"--fault-policy", "restart", NULL};

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

static int32_t my_client_id(void)
{
    return -1 - (int32_t)getuid();
}

static struct test_sfn_info info_via(psa_handle_t h)
{
    struct test_sfn_info ti;
    psa_outvec o = {&ti, sizeof(ti)};

    memset(&ti, 0xff, sizeof(ti));
    assert_int_equal(psa_call(h, SFN_OP_INFO, NULL, 0, &o, 1), PSA_SUCCESS);
    assert_int_equal(o.len, sizeof(ti));
    return ti;
}

static struct test_sfn_info info(void)
{
    return info_via(PARTIX_TEST_SFN_STATELESS_HANDLE);
}

static void assert_msg(const struct test_sfn_msg *m, int32_t service, int32_t type,
                       const uint32_t in[4], const uint32_t out[4])
{
    assert_int_equal(m->service, service);
    assert_int_equal(m->type, type);
    assert_int_equal(m->client_id, my_client_id());
    assert_memory_equal(m->in_size, in, sizeof(m->in_size));
    assert_memory_equal(m->out_size, out, sizeof(m->out_size));
}

static psa_status_t status_op(psa_handle_t h, int op, int32_t arg)
{
    psa_invec in = {&arg, sizeof(arg)};

    return psa_call(h, op, &in, 1, NULL, 0);
}

static void test_entry_init_ran_once(void **state)
{
    (void)state;
    assert_true(fixture_log_has(&fx, "[PARTIX_SP_TEST_SFN] entry_init ran", NULL));
    assert_int_equal(info().init_calls, 1);
}

static void test_connect_call_disconnect(void **state)
{
    static const uint32_t none[4] = {0};
    const uint32_t in_sizes[4] = {3, 5, 0, 0};
    const uint32_t out_sizes[4] = {sizeof(struct test_sfn_info), 0, 0, 0};
    uint8_t a[3] = {1, 2, 3}, b[5] = {4, 5, 6, 7, 8};
    psa_invec in[2] = {{a, sizeof(a)}, {b, sizeof(b)}};
    struct test_sfn_info before = info(), ti;
    psa_outvec o = {&ti, sizeof(ti)};
    psa_handle_t h;

    (void)state;
    /* CONNECT reaches the sfn of the service connected to */
    h = psa_connect(PARTIX_TEST_SFN_CONN_SID, PARTIX_TEST_SFN_CONN_VERSION);
    assert_true(PSA_HANDLE_IS_VALID(h));
    ti = info();
    assert_msg(&ti.connect, 0, PSA_IPC_CONNECT, none, none);
    assert_int_equal(ti.connects, before.connects + 1);
    /* a CALL, with its type and vector sizes */
    assert_int_equal(psa_call(h, SFN_OP_INFO, in, 2, &o, 1), PSA_SUCCESS);
    assert_int_equal(o.len, sizeof(ti));
    assert_msg(&ti.call, 0, SFN_OP_INFO, in_sizes, out_sizes);
    /* DISCONNECT too */
    psa_close(h);
    ti = info();
    assert_msg(&ti.disconnect, 0, PSA_IPC_DISCONNECT, none, none);
    assert_int_equal(ti.disconnects, before.disconnects + 1);
    /* the stateless service's sfn sees its own calls */
    assert_msg(&ti.call, 1, SFN_OP_INFO, none, out_sizes);
}

static void test_return_value_is_status(void **state)
{
    psa_handle_t h = psa_connect(PARTIX_TEST_SFN_CONN_SID, PARTIX_TEST_SFN_CONN_VERSION);

    (void)state;
    assert_true(PSA_HANDLE_IS_VALID(h));
    assert_int_equal(status_op(PARTIX_TEST_SFN_STATELESS_HANDLE, SFN_OP_STATUS, -1234), -1234);
    assert_int_equal(status_op(PARTIX_TEST_SFN_STATELESS_HANDLE, SFN_OP_STATUS, 7), 7);
    assert_int_equal(status_op(h, SFN_OP_STATUS, PSA_ERROR_INSUFFICIENT_DATA),
                     PSA_ERROR_INSUFFICIENT_DATA);
    assert_int_equal(status_op(h, SFN_OP_STATUS, PSA_SUCCESS), PSA_SUCCESS);
    assert_int_equal(psa_call(h, 999, NULL, 0, NULL, 0), PSA_ERROR_NOT_SUPPORTED);
    psa_close(h);
}

static void test_sfn_refuses_connect(void **state)
{
    static const uint32_t none[4] = {0};
    uint32_t connects = info().connects;
    struct test_sfn_info ti;
    psa_handle_t h;

    (void)state;
    assert_int_equal(status_op(PARTIX_TEST_SFN_STATELESS_HANDLE, SFN_OP_REFUSE_NEXT,
                               PSA_ERROR_CONNECTION_REFUSED),
                     PSA_SUCCESS);
    assert_int_equal(psa_connect(PARTIX_TEST_SFN_FOURTH_SID, 1), PSA_ERROR_CONNECTION_REFUSED);
    ti = info();
    /* the sfn was asked, and said no */
    assert_msg(&ti.connect, 3, PSA_IPC_CONNECT, none, none);
    assert_int_equal(ti.connects, connects);
    assert_int_equal(
        status_op(PARTIX_TEST_SFN_STATELESS_HANDLE, SFN_OP_REFUSE_NEXT, PSA_ERROR_CONNECTION_BUSY),
        PSA_SUCCESS);
    assert_int_equal(psa_connect(PARTIX_TEST_SFN_CONN_SID, 1), PSA_ERROR_CONNECTION_BUSY);
    /* the next one is accepted */
    h = psa_connect(PARTIX_TEST_SFN_CONN_SID, 1);
    assert_true(PSA_HANDLE_IS_VALID(h));
    assert_int_equal(info().connects, connects + 1);
    psa_close(h);
}

static void test_every_service_reaches_its_sfn(void **state)
{
    psa_handle_t conn = psa_connect(PARTIX_TEST_SFN_CONN_SID, PARTIX_TEST_SFN_CONN_VERSION);
    psa_handle_t fourth = psa_connect(PARTIX_TEST_SFN_FOURTH_SID, PARTIX_TEST_SFN_FOURTH_VERSION);

    (void)state;
    assert_true(PSA_HANDLE_IS_VALID(conn));
    assert_true(PSA_HANDLE_IS_VALID(fourth));
    assert_int_equal(info_via(conn).call.service, 0);
    assert_int_equal(info_via(PARTIX_TEST_SFN_STATELESS_HANDLE).call.service, 1);
    /* TF-M gave the third service of an SFN partition signal 0x4 (its
     * ASYNC_MSG_REPLY) and a fourth would get 0x8 (PSA_DOORBELL) */
    assert_int_equal(info_via(PARTIX_TEST_SFN_THIRD_HANDLE).call.service, 2);
    assert_int_equal(info_via(fourth).call.service, 3);
    /* a stateless service is not connected to */
    assert_int_equal(psa_connect(PARTIX_TEST_SFN_THIRD_SID, 1), PSA_ERROR_PROGRAMMER_ERROR);
    psa_close(conn);
    psa_close(fourth);
}

static void test_doorbell_is_not_a_message(void **state)
{
    struct test_notify n = {PARTIX_SP_TEST_SFN, 2};
    psa_invec in = {&n, sizeof(n)};
    psa_signal_t s = 0xdeadbeef;
    psa_outvec o = {&s, sizeof(s)};
    pid_t pid = fixture_partition_pid(&fx, "PARTIX_SP_TEST_SFN");
    psa_handle_t fourth;

    (void)state;
    /* the test service rings the SFN partition (twice: one doorbell) */
    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_NOTIFY, &in, 1, NULL, 0),
                     PSA_SUCCESS);
    /* the dispatch loop leaves it alone: every service still answers */
    fourth = psa_connect(PARTIX_TEST_SFN_FOURTH_SID, PARTIX_TEST_SFN_FOURTH_VERSION);
    assert_true(PSA_HANDLE_IS_VALID(fourth));
    assert_int_equal(info_via(fourth).call.service, 3);
    assert_int_equal(info_via(PARTIX_TEST_SFN_THIRD_HANDLE).call.service, 2);
    psa_close(fourth);
    /* an sfn sees it with psa_wait() and clears it */
    assert_int_equal(psa_call(PARTIX_TEST_SFN_STATELESS_HANDLE, SFN_OP_DOORBELL, NULL, 0, &o, 1),
                     PSA_SUCCESS);
    assert_int_equal(s, PSA_DOORBELL);
    assert_int_equal(psa_call(PARTIX_TEST_SFN_STATELESS_HANDLE, SFN_OP_DOORBELL, NULL, 0, &o, 1),
                     PSA_SUCCESS);
    assert_int_equal(s, 0);
    assert_int_equal(fixture_partition_pid(&fx, "PARTIX_SP_TEST_SFN"), pid);
}

static void test_connect_bad_status_panics(void **state)
{
    pid_t pid = fixture_partition_pid(&fx, "PARTIX_SP_TEST_SFN");
    char who[96];

    (void)state;
    assert_true(pid > 0);
    snprintf(who, sizeof(who), "partition PARTIX_SP_TEST_SFN (pid %d)", (int)pid);
    assert_int_equal(
        status_op(PARTIX_TEST_SFN_STATELESS_HANDLE, SFN_OP_REFUSE_NEXT, PSA_ERROR_GENERIC_ERROR),
        PSA_SUCCESS);
    /* a CONNECT is answered with SUCCESS, CONNECTION_REFUSED or
     * CONNECTION_BUSY: anything else is a programmer error of the partition */
    assert_int_equal(psa_connect(PARTIX_TEST_SFN_CONN_SID, 1), PSA_ERROR_CONNECTION_REFUSED);
    assert_true(fixture_log_has(&fx, who,
                                "panicked: PARTIX_TEST_SFN_CONN: its sfn answered a CONNECT "
                                "with -132"));
    /* it comes back, and entry_init runs again in the new process */
    assert_true(fixture_restarted(&fx, "PARTIX_SP_TEST_SFN", pid) > 0);
    assert_int_equal(info().init_calls, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entry_init_ran_once),
        cmocka_unit_test(test_connect_call_disconnect),
        cmocka_unit_test(test_return_value_is_status),
        cmocka_unit_test(test_sfn_refuses_connect),
        cmocka_unit_test(test_every_service_reaches_its_sfn),
        cmocka_unit_test(test_doorbell_is_not_a_message),
        cmocka_unit_test(test_connect_bad_status_panics),
    };

    return cmocka_run_group_tests_name("e2e_sfn", tests, start, stop);
}
