/*
 * test_echo_partition.c - the echo partition, unit-tested in-process with
 * libpsa-partition-test: its unchanged entry point, no daemon.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "partix/partition_test.h"
#include "psa_manifest/sid.h"

static int setup(void **state)
{
    (void)state;
    return ptest_start(&partix_load_info);
}

static int teardown(void **state)
{
    (void)state;
    ptest_stop();
    return 0;
}

static void test_echo_any_size(void **state)
{
    static uint8_t in[1000], out[1000];
    psa_handle_t h = ptest_connect(TFM_ECHO_SERVICE_SID, TFM_ECHO_SERVICE_VERSION);
    size_t sizes[] = {1, 255, 256, 257, 1000}, i, k;

    (void)state;
    assert_true(PSA_HANDLE_IS_VALID(h));
    assert_string_equal(ptest_last_log(), "[Echo Service] Client connected (handle: 1)");
    for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
        psa_invec iv = {in, sizes[k]};
        psa_outvec ov = {out, sizeof(out)};

        for (i = 0; i < sizes[k]; i++)
            in[i] = (uint8_t)(i * 13 + k);
        memset(out, 0, sizeof(out));
        assert_int_equal(ptest_call(h, PSA_IPC_CALL, &iv, 1, &ov, 1), PSA_SUCCESS);
        assert_int_equal(ov.len, sizes[k]);
        assert_memory_equal(out, in, sizes[k]);
    }
    ptest_close(h);
    assert_memory_equal(ptest_last_log(), "[Echo Service] Client disconnected", 34);
}

static void test_echo_errors(void **state)
{
    uint8_t in[8] = {0}, out[4];
    psa_handle_t h = ptest_connect(TFM_ECHO_SERVICE_SID, 1);
    psa_invec iv = {in, 0};
    psa_outvec ov = {out, sizeof(out)};

    (void)state;
    assert_int_equal(ptest_call(h, PSA_IPC_CALL, &iv, 1, &ov, 1), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(ov.len, 0);
    iv.len = sizeof(in);
    assert_int_equal(ptest_call(h, PSA_IPC_CALL, &iv, 1, &ov, 1), PSA_ERROR_BUFFER_TOO_SMALL);
    assert_int_equal(ptest_call(h, 7, &iv, 1, &ov, 1), PSA_ERROR_NOT_SUPPORTED);
    /* the client rules hold in the harness too */
    assert_int_equal(ptest_connect(TFM_ECHO_SERVICE_SID, 2), PSA_ERROR_CONNECTION_REFUSED);
    assert_int_equal(ptest_connect(0x999, 1), PSA_ERROR_CONNECTION_REFUSED);
    assert_int_equal(ptest_call(h + 50, PSA_IPC_CALL, NULL, 0, NULL, 0),
                     PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(ptest_call(h, -3, NULL, 0, NULL, 0), PSA_ERROR_PROGRAMMER_ERROR);
    ptest_close(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_echo_any_size, setup, teardown),
        cmocka_unit_test_setup_teardown(test_echo_errors, setup, teardown),
    };

    return cmocka_run_group_tests_name("echo_partition", tests, NULL, NULL);
}
