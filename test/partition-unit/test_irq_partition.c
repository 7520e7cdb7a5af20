/*
 * test_irq_partition.c - the interrupt partition in-process: ptest_irq()
 * plays the board, so SLIH and FLIH handling is unit-testable without
 * psa-spm; and an FF-M 1.0 partition's interrupts start enabled.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "partix/partition_test.h"
#include "psa_manifest/partix_test_irq.h"
#include "psa_manifest/sid.h"
#include "test_irq_ops.h"

static psa_status_t op(int type, uint32_t arg)
{
    psa_invec in = {&arg, sizeof(arg)};

    return ptest_call(PARTIX_TEST_IRQ_HANDLE, type, &in, 1, NULL, 0);
}

static struct test_irq_status status(void)
{
    struct test_irq_status s;
    psa_outvec out = {&s, sizeof(s)};

    assert_int_equal(ptest_call(PARTIX_TEST_IRQ_HANDLE, TEST_IRQ_OP_STATUS, NULL, 0, &out, 1),
                     PSA_SUCCESS);
    return s;
}

static void test_slih_in_process(void **state)
{
    (void)state;
    assert_int_equal(ptest_start(&partix_load_info), 0);
    assert_false(ptest_irq_enabled(TEST_SLIH_SIGNAL)); /* FF-M 1.1 */
    assert_int_equal(ptest_irq(TEST_SLIH_SIGNAL), PSA_ERROR_NOT_PERMITTED);
    assert_int_equal(op(TEST_IRQ_OP_ENABLE, TEST_IRQ_SLIH), PSA_SUCCESS);
    assert_true(ptest_irq_enabled(TEST_SLIH_SIGNAL));
    assert_int_equal(ptest_irq(TEST_SLIH_SIGNAL), PSA_SUCCESS);
    assert_int_equal(status().slih_seen, 1);           /* the first test: statics start at 0 */
    assert_false(ptest_irq_enabled(TEST_SLIH_SIGNAL)); /* until psa_eoi() */
    assert_int_equal(op(TEST_IRQ_OP_EOI, TEST_IRQ_SLIH), PSA_SUCCESS);
    assert_true(ptest_irq_enabled(TEST_SLIH_SIGNAL));
    assert_int_equal(ptest_irq(PARTIX_TEST_IRQ_SIGNAL), PSA_ERROR_DOES_NOT_EXIST);
    /* a second psa_eoi() panics, as under psa-spm */
    assert_int_equal(op(TEST_IRQ_OP_EOI, TEST_IRQ_SLIH), PTEST_PANICKED);
    assert_string_equal(ptest_panic_reason(),
                        "psa_eoi: interrupt signal 0x80000000 is not asserted");
    ptest_stop();
}

static void test_flih_in_process(void **state)
{
    struct test_irq_status s;
    uint32_t runs, seen;

    (void)state;
    assert_int_equal(ptest_start(&partix_load_info), 0);
    s = status();
    runs = s.flih_runs;
    seen = s.flih_seen;
    assert_int_equal(op(TEST_IRQ_OP_ENABLE, TEST_IRQ_FLIH), PSA_SUCCESS);
    assert_int_equal(ptest_irq(TEST_FLIH_SIGNAL), PSA_SUCCESS);
    assert_int_equal(op(TEST_IRQ_OP_FLIH_RESULT, 1), PSA_SUCCESS);
    assert_int_equal(ptest_irq(TEST_FLIH_SIGNAL), PSA_SUCCESS);
    s = status();
    assert_int_equal(s.flih_runs, runs + 2);
    assert_int_equal(s.flih_seen, seen + 1);
    assert_int_equal(s.asserted, TEST_FLIH_SIGNAL);
    assert_true(ptest_irq_enabled(TEST_FLIH_SIGNAL)); /* FLIH stays enabled */
    assert_int_equal(op(TEST_IRQ_OP_RESET_SIGNAL, TEST_IRQ_FLIH), PSA_SUCCESS);
    assert_int_equal(status().asserted, 0);
    ptest_stop();
}

static void test_ffm_1_0_starts_enabled(void **state)
{
    struct partix_load_info v10 = partix_load_info;
    uint32_t before;

    (void)state;
    v10.ffm_version = 0x0100;
    assert_int_equal(ptest_start(&v10), 0);
    before = status().slih_seen; /* the partition's statics outlive ptest_stop() */
    assert_true(ptest_irq_enabled(TEST_SLIH_SIGNAL));
    assert_int_equal(ptest_irq(TEST_SLIH_SIGNAL), PSA_SUCCESS);
    assert_int_equal(status().slih_seen, before + 1);
    ptest_stop();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_slih_in_process),
        cmocka_unit_test(test_flih_in_process),
        cmocka_unit_test(test_ffm_1_0_starts_enabled),
    };

    return cmocka_run_group_tests_name("irq_partition", tests, NULL, NULL);
}
