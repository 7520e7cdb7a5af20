/*
 * test_custom_partition.c - the custom example partition (FOO/BAR),
 * unit-tested in-process with libpsa-partition-test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "partix/partition_test.h"
#include "psa_manifest/sid.h"
#include "tfm_my_custom_service_api.h"

static psa_handle_t h;

static int setup(void **state)
{
    (void)state;
    if (ptest_start(&partix_load_info) != 0)
        return -1;
    h = ptest_connect(TFM_MY_CUSTOM_SERVICE_SID, TFM_MY_CUSTOM_SERVICE_VERSION);
    return PSA_HANDLE_IS_VALID(h) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ptest_close(h);
    ptest_stop();
    return 0;
}

static psa_status_t foo(const void *data, size_t len, uint8_t *out, size_t *out_len)
{
    psa_invec iv = {data, len};
    psa_outvec ov = {out, *out_len};
    psa_status_t st = ptest_call(h, MY_SERVICE_IPC_OPERATION_FOO, &iv, 1, &ov, 1);

    *out_len = ov.len;
    return st;
}

static void test_foo(void **state)
{
    uint8_t big[129], out[200];
    size_t n = sizeof(out);

    (void)state;
    assert_int_equal(foo("HelloSecurePartition", 20, out, &n), PSA_SUCCESS);
    assert_int_equal(n, 20);
    assert_memory_equal(out, "noititraPeruceSolleH", 20);
    n = sizeof(out);
    assert_int_equal(foo("x", 1, out, &n), PSA_SUCCESS);
    assert_int_equal(out[0], 'x');
    memset(big, 'a', sizeof(big));
    n = sizeof(out);
    assert_int_equal(foo(big, 128, out, &n), PSA_SUCCESS);
    assert_int_equal(n, 128);
    n = sizeof(out);
    assert_int_equal(foo(big, 129, out, &n), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(n, 0);
    n = 5;
    assert_int_equal(foo("abcdefgh", 8, out, &n), PSA_ERROR_BUFFER_TOO_SMALL);
}

static void test_bar(void **state)
{
    int32_t param = 21, result = 0;
    psa_invec iv = {&param, sizeof(param)};
    psa_outvec ov = {&result, sizeof(result)};

    (void)state;
    assert_int_equal(ptest_call(h, MY_SERVICE_IPC_OPERATION_BAR, &iv, 1, &ov, 1), PSA_SUCCESS);
    assert_int_equal(result, 42);
    assert_int_equal(ov.len, sizeof(result));
    param = INT32_MIN;
    assert_int_equal(ptest_call(h, MY_SERVICE_IPC_OPERATION_BAR, &iv, 1, &ov, 1),
                     PSA_ERROR_INVALID_ARGUMENT);
    iv.len = 2; /* not an int32_t */
    assert_int_equal(ptest_call(h, MY_SERVICE_IPC_OPERATION_BAR, &iv, 1, &ov, 1),
                     PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(ptest_call(h, 3, &iv, 1, &ov, 1), PSA_ERROR_NOT_SUPPORTED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_foo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bar, setup, teardown),
    };

    return cmocka_run_group_tests_name("custom_partition", tests, NULL, NULL);
}
