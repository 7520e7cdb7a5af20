/*
 * test_sfn_partition.c - the SFN test partition in-process, for what the
 * end-to-end tests cannot show without disturbing the shared system: an
 * entry_init that fails panics the partition before any service runs; and
 * the signals its generated load_info gives the runtime.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "partix/partition_test.h"
#include "psa/service.h"
#include "psa_manifest/partix_test_service.h"
#include "psa_manifest/sid.h"
#include "test_ops.h"

static int init_calls;

static psa_status_t failing_init(void)
{
    init_calls++;
    return PSA_ERROR_GENERIC_ERROR;
}

static void test_signals(void **state)
{
    const struct partix_load_info *li = &partix_load_info;
    /* an IPC partition's services, as its generated header defines them */
    const psa_signal_t ipc[] = {PARTIX_TEST_STRICT_SIGNAL, PARTIX_TEST_RELAXED_SIGNAL,
                                PARTIX_TEST_SECURE_ONLY_SIGNAL, PARTIX_TEST_STATELESS_SIGNAL};
    uint32_t i;

    (void)state;
    assert_true(li->model_sfn);
    assert_int_equal(li->n_services, 4);
    for (i = 0; i < li->n_services; i++) {
        /* the i-th service of an SFN partition has the i-th IPC signal,
         * 1 << (i + 4): never one of bits 0..3, where PSA_DOORBELL (0x8)
         * and TF-M's ASYNC_MSG_REPLY (0x4) are */
        assert_int_equal(li->services[i].signal, 1u << (i + 4));
        assert_int_equal(li->services[i].signal, ipc[i]);
        assert_int_equal(li->services[i].signal & 0xfu, 0);
        assert_non_null(li->services[i].sfn);
    }
}

static void test_entry_init_first(void **state)
{
    struct test_sfn_info ti;
    psa_outvec o = {&ti, sizeof(ti)};

    (void)state;
    assert_int_equal(ptest_start(&partix_load_info), 0);
    assert_string_equal(ptest_last_log(), "entry_init ran");
    assert_int_equal(ptest_call(PARTIX_TEST_SFN_THIRD_HANDLE, SFN_OP_INFO, NULL, 0, &o, 1),
                     PSA_SUCCESS);
    assert_int_equal(ti.init_calls, 1);
    assert_int_equal(ti.call.service, 2);
    assert_int_equal(ti.call.client_id, -1);
    ptest_stop();
}

static void test_entry_init_failure_panics(void **state)
{
    struct partix_load_info li = partix_load_info;

    (void)state;
    li.entry_init = failing_init;
    init_calls = 0;
    assert_int_equal(ptest_start(&li), PTEST_PANICKED);
    assert_int_equal(init_calls, 1);
    assert_string_equal(ptest_panic_reason(), "entry_init returned -132");
    /* no service runs in a partition that did not initialise */
    assert_int_equal(ptest_call(PARTIX_TEST_SFN_STATELESS_HANDLE, SFN_OP_INFO, NULL, 0, NULL, 0),
                     PTEST_PANICKED);
    ptest_stop();
}

static void test_connect_status(void **state)
{
    int32_t st;
    psa_invec in = {&st, sizeof(st)};
    psa_handle_t h;

    (void)state;
    assert_int_equal(ptest_start(&partix_load_info), 0);
    st = PSA_ERROR_CONNECTION_BUSY;
    assert_int_equal(
        ptest_call(PARTIX_TEST_SFN_STATELESS_HANDLE, SFN_OP_REFUSE_NEXT, &in, 1, NULL, 0),
        PSA_SUCCESS);
    assert_int_equal(ptest_connect(PARTIX_TEST_SFN_CONN_SID, 1), PSA_ERROR_CONNECTION_BUSY);
    h = ptest_connect(PARTIX_TEST_SFN_CONN_SID, 1);
    assert_true(PSA_HANDLE_IS_VALID(h));
    ptest_close(h);
    st = PSA_ERROR_NOT_PERMITTED;
    assert_int_equal(
        ptest_call(PARTIX_TEST_SFN_STATELESS_HANDLE, SFN_OP_REFUSE_NEXT, &in, 1, NULL, 0),
        PSA_SUCCESS);
    assert_int_equal(ptest_connect(PARTIX_TEST_SFN_FOURTH_SID, 1), PTEST_PANICKED);
    assert_string_equal(ptest_panic_reason(),
                        "PARTIX_TEST_SFN_FOURTH: its sfn answered a CONNECT with -133; FF-M "
                        "allows PSA_SUCCESS, PSA_ERROR_CONNECTION_REFUSED or "
                        "PSA_ERROR_CONNECTION_BUSY");
    ptest_stop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signals),
        cmocka_unit_test(test_entry_init_first),
        cmocka_unit_test(test_entry_init_failure_panics),
        cmocka_unit_test(test_connect_status),
    };

    return cmocka_run_group_tests_name("sfn_partition", tests, NULL, NULL);
}
