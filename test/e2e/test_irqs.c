/*
 * test_irqs.c - interrupts end to end: a line of the platform description
 * driven with partix_irq_raise()/lower() (and "partix-ctl irq") reaches the
 * partition that declares it, with TF-M's SLIH and FLIH rules, and every
 * misuse of the interrupt API panics the partition.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "partix/control.h"
#include "psa/client.h"
#include "psa_manifest/partix_test_irq.h"
#include "psa_manifest/sid.h"
#include "test_irq_ops.h"

#define SLIH "PARTIX_TEST_SLIH_IRQ"
#define FLIH "PARTIX_TEST_FLIH_IRQ"

static struct fixture fx;
static const char *const restart[] = {"--fault-policy", "restart", NULL};

static psa_status_t op(int type, uint32_t arg)
{
    psa_invec in = {&arg, sizeof(arg)};

    return psa_call(PARTIX_TEST_IRQ_HANDLE, type, &in, 1, NULL, 0);
}

static struct test_irq_status status(void)
{
    struct test_irq_status s;
    psa_outvec out = {&s, sizeof(s)};

    memset(&s, 0xff, sizeof(s));
    assert_int_equal(psa_call(PARTIX_TEST_IRQ_HANDLE, TEST_IRQ_OP_STATUS, NULL, 0, &out, 1),
                     PSA_SUCCESS);
    assert_int_equal(out.len, sizeof(s));
    return s;
}

static void pulse(const char *source)
{
    assert_int_equal(partix_irq_raise(source), PSA_SUCCESS);
    assert_int_equal(partix_irq_lower(source), PSA_SUCCESS);
}

static void test_slih(void **state)
{
    (void)state;
    assert_int_equal(fixture_start(&fx, restart), 0);
    /* FF-M 1.1: disabled until the partition enables it */
    assert_int_equal(partix_irq_raise(SLIH), PSA_SUCCESS);
    assert_int_equal(status().slih_seen, 0);
    /* enabling a line that is high delivers it (level-sensitive) */
    assert_int_equal(op(TEST_IRQ_OP_ENABLE, TEST_IRQ_SLIH), PSA_SUCCESS);
    assert_int_equal(status().slih_seen, 1);
    assert_int_equal(status().asserted, TEST_SLIH_SIGNAL);
    assert_true(fixture_log_has(&fx,
                                "interrupt PARTIX_TEST_SLIH_IRQ (40) -> partition "
                                "PARTIX_SP_TEST_IRQ, SLIH signal TEST_SLIH_SIGNAL",
                                NULL));
    /* disabled until psa_eoi(): new edges are not delivered */
    assert_int_equal(partix_irq_lower(SLIH), PSA_SUCCESS);
    assert_int_equal(partix_irq_raise(SLIH), PSA_SUCCESS);
    assert_int_equal(status().slih_seen, 1);
    /* psa_eoi() with the line still high: it fires again at once */
    assert_int_equal(op(TEST_IRQ_OP_EOI, TEST_IRQ_SLIH), PSA_SUCCESS);
    assert_int_equal(status().slih_seen, 2);
    /* psa_eoi() with the line low: nothing until the next edge */
    assert_int_equal(partix_irq_lower(SLIH), PSA_SUCCESS);
    assert_int_equal(op(TEST_IRQ_OP_EOI, TEST_IRQ_SLIH), PSA_SUCCESS);
    assert_int_equal(status().slih_seen, 2);
    assert_int_equal(status().asserted, 0);
    pulse(SLIH);
    assert_int_equal(status().slih_seen, 3);
    assert_int_equal(op(TEST_IRQ_OP_EOI, TEST_IRQ_SLIH), PSA_SUCCESS);
    /* psa_irq_disable() returns 1, and a disabled line stays silent */
    assert_int_equal(op(TEST_IRQ_OP_DISABLE, TEST_IRQ_SLIH), 1);
    pulse(SLIH);
    assert_int_equal(status().slih_seen, 3);
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_flih(void **state)
{
    struct test_irq_status s;

    (void)state;
    assert_int_equal(fixture_start(&fx, restart), 0);
    pulse(FLIH); /* disabled: the handler does not run */
    assert_int_equal(status().flih_runs, 0);
    assert_int_equal(op(TEST_IRQ_OP_ENABLE, TEST_IRQ_FLIH), PSA_SUCCESS);
    /* the handler runs on each edge; PSA_FLIH_NO_SIGNAL asserts nothing */
    pulse(FLIH);
    pulse(FLIH);
    s = status();
    assert_int_equal(s.flih_runs, 2);
    assert_int_equal(s.flih_seen, 0);
    assert_int_equal(s.asserted, 0);
    /* a line held high is one edge */
    assert_int_equal(partix_irq_raise(FLIH), PSA_SUCCESS);
    assert_int_equal(partix_irq_raise(FLIH), PSA_SUCCESS);
    assert_int_equal(status().flih_runs, 3);
    assert_int_equal(partix_irq_lower(FLIH), PSA_SUCCESS);
    /* PSA_FLIH_SIGNAL asserts the signal until psa_reset_signal() */
    assert_int_equal(op(TEST_IRQ_OP_FLIH_RESULT, 1), PSA_SUCCESS);
    pulse(FLIH);
    s = status();
    assert_int_equal(s.flih_runs, 4);
    assert_int_equal(s.flih_seen, 1);
    assert_int_equal(s.asserted, TEST_FLIH_SIGNAL);
    assert_int_equal(op(TEST_IRQ_OP_RESET_SIGNAL, TEST_IRQ_FLIH), PSA_SUCCESS);
    assert_int_equal(status().asserted, 0);
    /* the FLIH line stayed enabled throughout; disabling it stops the handler */
    assert_int_equal(op(TEST_IRQ_OP_DISABLE, TEST_IRQ_FLIH), 1);
    pulse(FLIH);
    assert_int_equal(status().flih_runs, 4);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* Another user may not drive the board: run as that user. */
static int raise_as_other_user(void *arg)
{
    (void)arg;
    return partix_irq_raise(FLIH) == PSA_ERROR_NOT_PERMITTED ? 0 : 1;
}

static void test_control(void **state)
{
    char cmd[512];
    int i;

    (void)state;
    assert_int_equal(fixture_start(&fx, restart), 0);
    assert_int_equal(partix_irq_raise("NO_SUCH_IRQ"), PSA_ERROR_DOES_NOT_EXIST);
    assert_int_equal(op(TEST_IRQ_OP_ENABLE, TEST_IRQ_FLIH), PSA_SUCCESS);
    /* the command line drives the same lines */
    snprintf(cmd, sizeof(cmd), "%s irq pulse " FLIH " --socket %s", fixture_ctl(), fx.socket);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(status().flih_runs, 1);
    snprintf(cmd, sizeof(cmd), "%s irq raise NO_SUCH_IRQ --socket %s 2>/dev/null", fixture_ctl(),
             fx.socket);
    assert_int_not_equal(system(cmd), 0);
    /* only root and the daemon's own user drive lines (a log line says who tried) */
    i = fixture_run_as(&fx, 65534, raise_as_other_user, NULL);
    if (i != -2) {
        assert_int_equal(i, 0);
        assert_true(fixture_log_has(&fx, "may not drive interrupt " FLIH, NULL));
        assert_int_equal(status().flih_runs, 1);
    }
    /* a line the partition does not own changes nothing there */
    pulse("PARTIX_TEST_SPARE_IRQ");
    assert_int_equal(status().flih_runs, 1);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* Each misuse panics the partition, and the log says why. */
static void expect_panic(int type, uint32_t arg, const char *why)
{
    assert_int_equal(fixture_start(&fx, restart), 0);
    if (type == TEST_IRQ_OP_EOI && arg == TEST_IRQ_SLIH) {
        /* asserted then ended: a second psa_eoi() is the error */
        assert_int_equal(op(TEST_IRQ_OP_ENABLE, TEST_IRQ_SLIH), PSA_SUCCESS);
        pulse(SLIH);
        assert_int_equal(op(TEST_IRQ_OP_EOI, TEST_IRQ_SLIH), PSA_SUCCESS);
    }
    if (type == TEST_IRQ_OP_RESET_SIGNAL && arg == TEST_IRQ_FLIH) {
        assert_int_equal(op(TEST_IRQ_OP_ENABLE, TEST_IRQ_FLIH), PSA_SUCCESS);
        pulse(FLIH); /* the handler says PSA_FLIH_NO_SIGNAL: nothing to reset */
    }
    assert_int_equal(op(type, arg), PSA_ERROR_COMMUNICATION_FAILURE);
    assert_true(fixture_log_has(&fx, "partition PARTIX_SP_TEST_IRQ", why));
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_eoi_of_flih_panics(void **state)
{
    (void)state;
    expect_panic(TEST_IRQ_OP_EOI, TEST_IRQ_FLIH, "psa_eoi: 0x40000000 is an FLIH interrupt");
}

static void test_eoi_not_asserted_panics(void **state)
{
    (void)state;
    expect_panic(TEST_IRQ_OP_EOI, TEST_IRQ_SLIH,
                 "psa_eoi: interrupt signal 0x80000000 is not asserted");
}

static void test_reset_signal_of_slih_panics(void **state)
{
    (void)state;
    expect_panic(TEST_IRQ_OP_RESET_SIGNAL, TEST_IRQ_SLIH,
                 "psa_reset_signal: 0x80000000 is an SLIH interrupt");
}

static void test_reset_signal_not_asserted_panics(void **state)
{
    (void)state;
    expect_panic(TEST_IRQ_OP_RESET_SIGNAL, TEST_IRQ_FLIH,
                 "psa_reset_signal: interrupt signal 0x40000000 is not asserted");
}

static void test_enable_of_service_signal_panics(void **state)
{
    (void)state;
    expect_panic(TEST_IRQ_OP_ENABLE_SERVICE, 0,
                 "psa_irq_enable: 0x00000010 is not an interrupt signal of the partition");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_slih, fixture_teardown),
        cmocka_unit_test_teardown(test_flih, fixture_teardown),
        cmocka_unit_test_teardown(test_control, fixture_teardown),
        cmocka_unit_test_teardown(test_eoi_of_flih_panics, fixture_teardown),
        cmocka_unit_test_teardown(test_eoi_not_asserted_panics, fixture_teardown),
        cmocka_unit_test_teardown(test_reset_signal_of_slih_panics, fixture_teardown),
        cmocka_unit_test_teardown(test_reset_signal_not_asserted_panics, fixture_teardown),
        cmocka_unit_test_teardown(test_enable_of_service_signal_panics, fixture_teardown),
    };

    return cmocka_run_group_tests_name("e2e_irqs", tests, NULL, NULL);
}
