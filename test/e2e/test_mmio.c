/*
 * test_mmio.c - MMIO regions and the simulated devices, end to end: each
 * region at its own address, with the permission the manifest declares,
 * nothing else mapped; the UART's bytes in the log, the NVMEM's contents in
 * the state directory across a restart of the daemon, the watchdog's
 * interrupt and its reset.
 */
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
#include "psa_manifest/pid.h"
#include "psa_manifest/sid.h"
#include "test_ops.h"
#include "test_mmio_ops.h"

static struct fixture fx;
static const char *const restart[] = {"--fault-policy", "restart", NULL};

static psa_status_t rd(uint32_t addr, uint32_t *v)
{
    struct test_mmio_access acc = {addr, 0};
    psa_invec in = {&acc, sizeof(acc)};
    psa_outvec out = {v, sizeof(*v)};

    return psa_call(PARTIX_TEST_MMIO_HANDLE, TEST_MMIO_OP_READ32, &in, 1, &out, 1);
}

static psa_status_t wr(uint32_t addr, uint32_t v)
{
    struct test_mmio_access acc = {addr, v};
    psa_invec in = {&acc, sizeof(acc)};

    return psa_call(PARTIX_TEST_MMIO_HANDLE, TEST_MMIO_OP_WRITE32, &in, 1, NULL, 0);
}

static psa_status_t puts_uart(const char *text)
{
    psa_invec in = {text, strlen(text)};

    return psa_call(PARTIX_TEST_MMIO_HANDLE, TEST_MMIO_OP_PUTS, &in, 1, NULL, 0);
}

static void test_uart(void **state)
{
    (void)state;
    assert_int_equal(fixture_start(&fx, restart), 0);
    /* "aa": the same byte twice is two writes, both seen */
    assert_int_equal(puts_uart("hello from the driver, aa\n"), PSA_SUCCESS);
    assert_true(fixture_log_has(&fx, "[PARTIX_TEST_UART] hello from the driver, aa", NULL));
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_memory_regions(void **state)
{
    uint32_t v = 0;

    (void)state;
    assert_int_equal(fixture_start(&fx, restart), 0);
    /* a numbered region at its own address, readable and writable */
    assert_int_equal(wr(TEST_NUMBERED_BASE + 0x10, 0x12345678), PSA_SUCCESS);
    assert_int_equal(rd(TEST_NUMBERED_BASE + 0x10, &v), PSA_SUCCESS);
    assert_int_equal(v, 0x12345678);
    /* a READ-ONLY named region reads (zeroed memory) */
    assert_int_equal(rd(TEST_ROM_BASE, &v), PSA_SUCCESS);
    assert_int_equal(v, 0);
    assert_int_equal(fixture_stop(&fx), 0);
}

static void expect_fault(uint32_t addr, int write)
{
    uint32_t v;

    assert_int_equal(fixture_start(&fx, restart), 0);
    assert_int_equal(write ? wr(addr, 1) : rd(addr, &v), PSA_ERROR_COMMUNICATION_FAILURE);
    assert_true(fixture_log_has(&fx, "partition PARTIX_SP_TEST_MMIO",
                                "killed by signal Segmentation fault"));
    assert_int_equal(fixture_stop(&fx), 0);
}

static void test_write_to_read_only_faults(void **state)
{
    (void)state;
    expect_fault(TEST_ROM_BASE + 8, 1);
}

static void test_undeclared_region_faults(void **state)
{
    (void)state;
    expect_fault(TEST_OTHER_BASE, 0); /* on the board, but not in its manifest */
}

static void test_past_the_registers_faults(void **state)
{
    (void)state;
    expect_fault(TEST_WDOG_BASE + 0x100, 1); /* the watchdog's page, past its 0x100 bytes */
}

static void test_nvmem_persists(void **state)
{
    static const char *args[] = {"--state-dir", NULL, NULL};
    char dir[] = "/tmp/partix-nvmem-XXXXXX", file[128], cmd[160];
    struct stat st;
    uint32_t v = 0;

    (void)state;
    char sdir[64];

    assert_non_null(mkdtemp(dir));
    /* a state directory whose parents do not exist yet: created, private */
    snprintf(sdir, sizeof(sdir), "%s/new/state", dir);
    args[1] = sdir;
    assert_int_equal(fixture_start(&fx, args), 0);
    /* erased flash reads 0xFF */
    assert_int_equal(rd(TEST_NVMEM_BASE + 0x1ffc, &v), PSA_SUCCESS);
    assert_int_equal(v, 0xffffffffu);
    assert_int_equal(wr(TEST_NVMEM_BASE + 4, 0xcafef00d), PSA_SUCCESS);
    assert_int_equal(fixture_stop(&fx), 0);
    /* the file, private to the daemon's user */
    snprintf(file, sizeof(file), "%s/PARTIX_TEST_NVMEM.nvm", sdir);
    assert_int_equal(stat(file, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(st.st_size, 0x2000);
    /* a new daemon, the same contents */
    assert_int_equal(fixture_start(&fx, args), 0);
    assert_int_equal(rd(TEST_NVMEM_BASE + 4, &v), PSA_SUCCESS);
    assert_int_equal(v, 0xcafef00d);
    assert_int_equal(rd(TEST_NVMEM_BASE, &v), PSA_SUCCESS);
    assert_int_equal(v, 0xffffffffu);
    assert_int_equal(fixture_stop(&fx), 0);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void test_watchdog(void **state)
{
    uint32_t n = 0, keep = 0;
    psa_invec in = {&keep, sizeof(keep)};
    psa_outvec out = {&n, sizeof(n)};

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0); /* reset policy: the watchdog resets */
    /* 20 ms, interrupt on: the partition's handler services it each time */
    assert_int_equal(wr(TEST_WDOG_BASE + 0x00, 20), PSA_SUCCESS);
    assert_int_equal(wr(TEST_WDOG_BASE + 0x08, 3), PSA_SUCCESS);
    assert_true(fixture_log_has(&fx, "watchdog PARTIX_TEST_WDOG expired", NULL));
    assert_true(fixture_log_has(&fx,
                                "-> partition PARTIX_SP_TEST_MMIO, SLIH signal "
                                "TEST_WDOG_SIGNAL",
                                NULL));
    assert_int_equal(psa_call(PARTIX_TEST_MMIO_HANDLE, TEST_MMIO_OP_WDOG_IRQS, NULL, 0, &out, 1),
                     PSA_SUCCESS);
    assert_true(n >= 1);
    /* left unserviced, the second expiry resets the system */
    assert_int_equal(psa_call(PARTIX_TEST_MMIO_HANDLE, TEST_MMIO_OP_WDOG_KEEP, &in, 1, NULL, 0),
                     PSA_SUCCESS);
    assert_true(fixture_log_has(&fx, "expired twice without being serviced: system reset", NULL));
    assert_true(fixture_log_has(&fx, "restarting all ", NULL));
    assert_int_equal(fixture_stop(&fx), 0);
}

/* The driver partition's other FF-M features, from the same TF-M-style
 * manifest: a dependency and a doorbell. */
static void test_driver_partition_features(void **state)
{
    struct test_notify n = {PARTIX_SP_TEST_MMIO, 1};
    psa_invec in = {&n, sizeof(n)};
    int32_t seen = 0;
    uint32_t bell = 0;
    psa_outvec out_seen = {&seen, sizeof(seen)}, out_bell = {&bell, sizeof(bell)};

    (void)state;
    assert_int_equal(fixture_start(&fx, restart), 0);
    /* its dependency answers it, and sees its partition id as the client id */
    assert_int_equal(psa_call(PARTIX_TEST_MMIO_HANDLE, TEST_MMIO_OP_PEER, NULL, 0, &out_seen, 1),
                     PSA_SUCCESS);
    assert_int_equal(seen, PARTIX_SP_TEST_MMIO);
    /* no doorbell yet; the test service rings it; it is seen and cleared once */
    assert_int_equal(
        psa_call(PARTIX_TEST_MMIO_HANDLE, TEST_MMIO_OP_DOORBELL, NULL, 0, &out_bell, 1),
        PSA_SUCCESS);
    assert_int_equal(bell, 0);
    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_NOTIFY, &in, 1, NULL, 0),
                     PSA_SUCCESS);
    assert_int_equal(
        psa_call(PARTIX_TEST_MMIO_HANDLE, TEST_MMIO_OP_DOORBELL, NULL, 0, &out_bell, 1),
        PSA_SUCCESS);
    assert_int_equal(bell, 0x8); /* PSA_DOORBELL */
    assert_int_equal(
        psa_call(PARTIX_TEST_MMIO_HANDLE, TEST_MMIO_OP_DOORBELL, NULL, 0, &out_bell, 1),
        PSA_SUCCESS);
    assert_int_equal(bell, 0);
    /* and its device still works alongside */
    assert_int_equal(puts_uart("all features\n"), PSA_SUCCESS);
    assert_true(fixture_log_has(&fx, "[PARTIX_TEST_UART] all features", NULL));
    assert_int_equal(fixture_stop(&fx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_uart, fixture_teardown),
        cmocka_unit_test_teardown(test_memory_regions, fixture_teardown),
        cmocka_unit_test_teardown(test_write_to_read_only_faults, fixture_teardown),
        cmocka_unit_test_teardown(test_undeclared_region_faults, fixture_teardown),
        cmocka_unit_test_teardown(test_past_the_registers_faults, fixture_teardown),
        cmocka_unit_test_teardown(test_nvmem_persists, fixture_teardown),
        cmocka_unit_test_teardown(test_watchdog, fixture_teardown),
        cmocka_unit_test_teardown(test_driver_partition_features, fixture_teardown),
    };

    return cmocka_run_group_tests_name("e2e_mmio", tests, NULL, NULL);
}
