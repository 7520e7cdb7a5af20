/*
 * test_mmio.c - MMIO regions and the simulated devices, end to end: each
 * region at its own address, with the permission the manifest declares,
 * nothing else mapped; the UART's bytes in the log, the NVMEM's contents in
 * the state directory across a restart of the daemon.  The UART and the
 * watchdog are the CMSDK APB ones of the MPS2 AN521, driven by a driver
 * written from their data sheet (test/partitions/test_mmio/cmsdk_drv.h):
 * registers, interrupts, the watchdog's clock, its lock, its reset on the
 * second expiry.  Two partitions' regions in one page, as the AN521 has
 * them: each reaches its own bytes only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
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

/* The CMSDK UART's registers (cmsdk_drv.h has the bits). */
#define UART_DATA (TEST_UART_BASE + 0x00)
#define UART_STATE (TEST_UART_BASE + 0x04)
#define UART_CTRL (TEST_UART_BASE + 0x08)
#define UART_INTSTATUS (TEST_UART_BASE + 0x0c)
#define UART_BAUDDIV (TEST_UART_BASE + 0x10)

/* The driver's init: BAUDDIV for 115200 baud of 25 MHz, then CTRL. */
static psa_status_t uart_init(uint32_t ctrl)
{
    psa_invec in = {&ctrl, sizeof(ctrl)};

    return psa_call(PARTIX_TEST_MMIO_HANDLE, TEST_MMIO_OP_UART_INIT, &in, 1, NULL, 0);
}

static struct test_mmio_irqs uart_irqs(void)
{
    struct test_mmio_irqs n = {0, 0};
    psa_outvec out = {&n, sizeof(n)};

    assert_int_equal(psa_call(PARTIX_TEST_MMIO_HANDLE, TEST_MMIO_OP_UART_IRQS, NULL, 0, &out, 1),
                     PSA_SUCCESS);
    return n;
}

static uint32_t rd32(uint32_t addr)
{
    uint32_t v = 0xdeadbeef;

    assert_int_equal(rd(addr, &v), PSA_SUCCESS);
    return v;
}

static void test_uart(void **state)
{
    (void)state;
    assert_int_equal(fixture_start(&fx, restart), 0);
    /* as a stock driver sets it up: TXEN (CTRL bit 0) and RXEN, no interrupt */
    assert_int_equal(uart_init(0x3), PSA_SUCCESS);
    assert_int_equal(rd32(UART_BAUDDIV), 25000000 / 115200);
    assert_int_equal(rd32(UART_CTRL), 0x3);
    /* "aa": the same byte twice is two writes, both seen */
    assert_int_equal(puts_uart("hello from the driver, aa\n"), PSA_SUCCESS);
    assert_true(fixture_log_has(&fx, "[PARTIX_TEST_UART] hello from the driver, aa", NULL));
    /* TXEN is not an interrupt enable: no interrupt is pending or was taken */
    assert_int_equal(rd32(UART_INTSTATUS), 0);
    assert_int_equal(rd32(UART_STATE), 0);
    assert_int_equal(uart_irqs().count, 0);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* The CMSDK UART's buffer, overrun and interrupts, bit by bit. */
static void test_uart_cmsdk(void **state)
{
    struct test_mmio_irqs n;

    (void)state;
    assert_int_equal(fixture_start(&fx, restart), 0);
    /* at reset: all zero; the transmitter is off, so a byte stays in the buffer */
    assert_int_equal(rd32(UART_CTRL), 0);
    assert_int_equal(wr(UART_DATA, 'x'), PSA_SUCCESS);
    assert_int_equal(rd32(UART_STATE), 0x1); /* TX buffer full */
    /* a second byte overruns it and is lost; no overrun interrupt unless enabled */
    assert_int_equal(wr(UART_DATA, 'y'), PSA_SUCCESS);
    assert_int_equal(rd32(UART_STATE), 0x5); /* TX full, TX overrun */
    assert_int_equal(rd32(UART_INTSTATUS), 0);
    /* enabling the TX overrun interrupt raises it; the handler clears it
     * (INTCLEAR), which clears STATE's overrun bit too */
    assert_int_equal(wr(UART_CTRL, 0x10), PSA_SUCCESS);
    assert_true(fixture_log_has(&fx, "SLIH signal TEST_UART_SIGNAL", NULL));
    n = uart_irqs();
    assert_int_equal(n.count, 1);
    assert_int_equal(n.intstatus, 0x4); /* TX overrun */
    assert_int_equal(rd32(UART_STATE), 0x1);
    assert_int_equal(rd32(UART_INTSTATUS), 0);
    /* TXEN with TXINTEN: the buffered byte goes out, a TX interrupt follows */
    assert_int_equal(uart_init(0x5), PSA_SUCCESS);
    assert_int_equal(puts_uart("\n"), PSA_SUCCESS);
    assert_true(fixture_log_has(&fx, "[PARTIX_TEST_UART] x", NULL));
    assert_int_equal(fixture_log_count(&fx, "[PARTIX_TEST_UART] xy", NULL), 0);
    n = uart_irqs();
    assert_true(n.count >= 2);
    assert_int_equal(n.intstatus & 0x1, 0x1); /* TX */
    assert_int_equal(rd32(UART_STATE), 0);
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
    expect_fault(TEST_UART_BASE + 0x400, 1); /* the UART's page, past its 0x400 bytes */
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

/* The CMSDK watchdog's registers (cmsdk_drv.h has the bits); the test
 * board's watchdog counts a 1 MHz clock (test/manifests/platform.yaml). */
#define WDOG_LOAD (TEST_WDOG_BASE + 0x000)
#define WDOG_VALUE (TEST_WDOG_BASE + 0x004)
#define WDOG_CTRL (TEST_WDOG_BASE + 0x008)
#define WDOG_INTCLR (TEST_WDOG_BASE + 0x00c)
#define WDOG_RIS (TEST_WDOG_BASE + 0x010)
#define WDOG_MIS (TEST_WDOG_BASE + 0x014)
#define WDOG_LOCK (TEST_WDOG_BASE + 0xc00)
#define WDOG_TICKS_PER_MS 1000u

/* The driver's start: unlock, LOAD, CTRL, lock. */
static psa_status_t wdog_start(uint32_t ticks, uint32_t ctrl)
{
    struct test_mmio_access acc = {ticks, ctrl};
    psa_invec in = {&acc, sizeof(acc)};

    return psa_call(PARTIX_TEST_MMIO_HANDLE, TEST_MMIO_OP_WDOG_START, &in, 1, NULL, 0);
}

static psa_status_t wdog_keep(uint32_t keep)
{
    psa_invec in = {&keep, sizeof(keep)};

    return psa_call(PARTIX_TEST_MMIO_HANDLE, TEST_MMIO_OP_WDOG_KEEP, &in, 1, NULL, 0);
}

/* Reset values, the lock, and a LOAD that counts ticks of the clock. */
static void test_watchdog_registers(void **state)
{
    uint32_t v1, v2;

    (void)state;
    assert_int_equal(fixture_start(&fx, restart), 0);
    assert_int_equal(rd32(WDOG_LOAD), 0xffffffffu);
    assert_int_equal(rd32(WDOG_VALUE), 0xffffffffu);
    assert_int_equal(rd32(WDOG_CTRL), 0);
    assert_int_equal(rd32(WDOG_RIS), 0);
    assert_int_equal(rd32(WDOG_MIS), 0);
    assert_int_equal(rd32(WDOG_LOCK), 0); /* unlocked at reset */
    /* any value but the key locks it: writes are ignored, the lock reads 1 */
    assert_int_equal(wr(WDOG_LOCK, 1), PSA_SUCCESS);
    assert_int_equal(rd32(WDOG_LOCK), 1);
    assert_int_equal(wr(WDOG_LOAD, 1234), PSA_SUCCESS);
    assert_int_equal(wr(WDOG_CTRL, 3), PSA_SUCCESS);
    assert_int_equal(rd32(WDOG_LOAD), 0xffffffffu);
    assert_int_equal(rd32(WDOG_CTRL), 0);
    assert_int_equal(wr(WDOG_LOCK, 0x1acce551), PSA_SUCCESS);
    assert_int_equal(rd32(WDOG_LOCK), 0);
    assert_int_equal(wr(WDOG_LOAD, 1234), PSA_SUCCESS);
    assert_int_equal(rd32(WDOG_LOAD), 1234);
    assert_int_equal(rd32(WDOG_VALUE), 1234); /* a write to LOAD reloads the counter */
    /* VALUE, RIS, MIS are read-only */
    assert_int_equal(wr(WDOG_VALUE, 7), PSA_SUCCESS);
    assert_int_equal(wr(WDOG_RIS, 1), PSA_SUCCESS);
    assert_int_equal(rd32(WDOG_VALUE), 1234);
    assert_int_equal(rd32(WDOG_RIS), 0);
    /* 10 s of a 1 MHz clock: 100 ms later it has counted about 100000 ticks */
    assert_int_equal(wdog_start(10000 * WDOG_TICKS_PER_MS, 0x1), PSA_SUCCESS);
    assert_int_equal(rd32(WDOG_LOCK), 1); /* the driver locks it after use */
    v1 = rd32(WDOG_VALUE);
    usleep(100 * 1000);
    v2 = rd32(WDOG_VALUE);
    assert_true(v1 <= 10000 * WDOG_TICKS_PER_MS && v2 < v1);
    assert_true(v1 - v2 >= 80 * WDOG_TICKS_PER_MS && v1 - v2 <= 5000 * WDOG_TICKS_PER_MS);
    /* INTEN off stops the counter where it is */
    assert_int_equal(wdog_start(10000 * WDOG_TICKS_PER_MS, 0), PSA_SUCCESS);
    v1 = rd32(WDOG_VALUE);
    usleep(20 * 1000);
    assert_int_equal(rd32(WDOG_VALUE), v1);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* Interrupt at the first expiry; serviced, it never resets; left alone,
 * the second expiry resets the system. */
static void test_watchdog(void **state)
{
    uint32_t n = 0;
    psa_outvec out = {&n, sizeof(n)};

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0); /* reset policy: the watchdog resets */
    /* 20 ms of its 1 MHz clock, interrupt and reset on: the handler feeds it */
    assert_int_equal(wdog_start(20 * WDOG_TICKS_PER_MS, 0x3), PSA_SUCCESS);
    assert_true(fixture_log_has(&fx, "watchdog PARTIX_TEST_WDOG expired", NULL));
    assert_true(fixture_log_has(&fx,
                                "-> partition PARTIX_SP_TEST_MMIO, SLIH signal "
                                "TEST_WDOG_SIGNAL",
                                NULL));
    assert_int_equal(psa_call(PARTIX_TEST_MMIO_HANDLE, TEST_MMIO_OP_WDOG_IRQS, NULL, 0, &out, 1),
                     PSA_SUCCESS);
    assert_true(n >= 1);
    assert_int_equal(fixture_log_count(&fx, "system reset", NULL), 0);
    /* left unserviced, the second expiry resets the system */
    assert_int_equal(wdog_keep(0), PSA_SUCCESS);
    assert_true(fixture_log_has(&fx, "expired twice without being serviced: system reset", NULL));
    assert_true(fixture_log_has(&fx, "restarting all ", NULL));
    assert_int_equal(fixture_stop(&fx), 0);
}

/* A system reset resets the devices, as a real one does (issue 14 item 5):
 * a watchdog counting when another partition faults is back at its reset
 * values afterwards, not counting towards a second, spurious reset. */
static void test_reset_resets_the_watchdog(void **state)
{
    uint64_t arg = 0;
    psa_invec in = {&arg, sizeof(arg)};
    pid_t before;

    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0); /* reset policy */
    assert_int_equal(wdog_start(5000 * WDOG_TICKS_PER_MS, 0x3), PSA_SUCCESS);
    assert_int_equal(rd32(WDOG_CTRL), 3);
    before = fixture_partition_pid(&fx, "PARTIX_SP_TEST_MMIO");
    assert_int_equal(psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_PANIC, &in, 1, NULL, 0),
                     PSA_ERROR_COMMUNICATION_FAILURE);
    assert_true(
        fixture_log_has(&fx, "system reset after the fault of partition PARTIX_SP_TEST", NULL));
    assert_true(fixture_restarted(&fx, "PARTIX_SP_TEST_MMIO", before) > 0);
    for (int i = 0; i < 500; i++) { /* until the restarted partition serves */
        uint32_t n = 0;
        psa_outvec out = {&n, sizeof(n)};

        if (psa_call(PARTIX_TEST_MMIO_HANDLE, TEST_MMIO_OP_WDOG_IRQS, NULL, 0, &out, 1) ==
            PSA_SUCCESS)
            break;
        usleep(10 * 1000);
    }
    assert_int_equal(rd32(WDOG_CTRL), 0);
    assert_int_equal(rd32(WDOG_LOAD), 0xffffffffu);
    assert_int_equal(rd32(WDOG_RIS), 0);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* Without RESEN the interrupt just stays set; RIS and MIS, INTCLR. */
static void test_watchdog_no_reset(void **state)
{
    (void)state;
    assert_int_equal(fixture_start(&fx, NULL), 0);
    assert_int_equal(wdog_keep(0), PSA_SUCCESS);
    assert_int_equal(wdog_start(20 * WDOG_TICKS_PER_MS, 0x1), PSA_SUCCESS);
    assert_true(fixture_log_has(&fx, "watchdog PARTIX_TEST_WDOG expired again", NULL));
    assert_int_equal(fixture_log_count(&fx, "system reset", NULL), 0);
    assert_int_equal(rd32(WDOG_RIS), 1);
    assert_int_equal(rd32(WDOG_MIS), 1);
    /* INTEN off masks it (MIS), the raw interrupt stays until INTCLR */
    assert_int_equal(wr(WDOG_LOCK, 0x1acce551), PSA_SUCCESS);
    assert_int_equal(wr(WDOG_CTRL, 0), PSA_SUCCESS);
    assert_int_equal(rd32(WDOG_MIS), 0);
    assert_int_equal(rd32(WDOG_RIS), 1);
    assert_int_equal(wr(WDOG_INTCLR, 0), PSA_SUCCESS);
    assert_int_equal(rd32(WDOG_RIS), 0);
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
    assert_int_equal(uart_init(0x1), PSA_SUCCESS);
    assert_int_equal(puts_uart("all features\n"), PSA_SUCCESS);
    assert_true(fixture_log_has(&fx, "[PARTIX_TEST_UART] all features", NULL));
    assert_int_equal(fixture_stop(&fx), 0);
}

/* The test service's word access at any address (its region is
 * FF_TEST_SERVER_PARTITION_MMIO). */
static psa_status_t srv_rd(uint32_t addr, uint32_t *v)
{
    uint32_t acc[2] = {addr, 0};
    psa_invec in = {acc, sizeof(acc)};
    psa_outvec out = {v, sizeof(*v)};

    return psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_READ32, &in, 1, &out, 1);
}

static psa_status_t srv_wr(uint32_t addr, uint32_t v)
{
    uint32_t acc[2] = {addr, v};
    psa_invec in = {acc, sizeof(acc)};

    return psa_call(PARTIX_TEST_STATELESS_HANDLE, TEST_OP_WRITE32, &in, 1, NULL, 0);
}

static uint32_t srv_rd32(uint32_t addr)
{
    uint32_t v = 0xdeadbeef;

    assert_int_equal(srv_rd(addr, &v), PSA_SUCCESS);
    return v;
}

/* Issue 14 item 7: the AN521 puts two test partitions' regions in one
 * 4 KiB page, FF_TEST_SERVER_PARTITION_MMIO (the test service's) and
 * FF_TEST_DRIVER_PARTITION_MMIO (the driver's, with a numbered READ-ONLY
 * region of its own after it).  Each partition reaches its own bytes, which
 * keep what it wrote, across a restart of the other. */
static void test_shared_page(void **state)
{
    pid_t driver;

    (void)state;
    assert_int_equal(fixture_start(&fx, restart), 0);
    /* at start: zeroed memory, each region's first and last word */
    assert_int_equal(rd32(TEST_SHARED_DRIVER_BASE), 0);
    assert_int_equal(srv_rd32(TEST_SHARED_SERVER_BASE + 0xfc), 0);
    assert_int_equal(wr(TEST_SHARED_DRIVER_BASE, 0x11223344), PSA_SUCCESS);
    assert_int_equal(wr(TEST_SHARED_DRIVER_BASE + 0xfc, 0xd00dfeed), PSA_SUCCESS);
    assert_int_equal(srv_wr(TEST_SHARED_SERVER_BASE, 0x55667788), PSA_SUCCESS);
    assert_int_equal(srv_wr(TEST_SHARED_SERVER_BASE + 0xfc, 0xcafef00d), PSA_SUCCESS);
    assert_int_equal(rd32(TEST_SHARED_DRIVER_BASE), 0x11223344);
    assert_int_equal(rd32(TEST_SHARED_DRIVER_BASE + 0xfc), 0xd00dfeed);
    assert_int_equal(srv_rd32(TEST_SHARED_SERVER_BASE), 0x55667788);
    assert_int_equal(srv_rd32(TEST_SHARED_SERVER_BASE + 0xfc), 0xcafef00d);
    /* its second region on the page reads; memory reports no write */
    assert_int_equal(rd32(TEST_SHARED_NUMBERED_BASE + 0x80), 0);
    assert_int_equal(fixture_log_count(&fx, "no device of its", NULL), 0);
    /* the driver reaching for the server's bytes is killed, and restarted;
     * both regions still hold what their owner wrote */
    driver = fixture_partition_pid(&fx, "PARTIX_SP_TEST_MMIO");
    assert_true(driver > 0);
    assert_int_equal(rd(TEST_SHARED_SERVER_BASE, &(uint32_t){0}), PSA_ERROR_COMMUNICATION_FAILURE);
    assert_true(fixture_log_has(&fx, "partition PARTIX_SP_TEST_MMIO (",
                                "killed by signal Segmentation fault"));
    assert_true(fixture_restarted(&fx, "PARTIX_SP_TEST_MMIO", driver) > 0);
    assert_int_equal(rd32(TEST_SHARED_DRIVER_BASE), 0x11223344);
    assert_int_equal(rd32(TEST_SHARED_DRIVER_BASE + 0xfc), 0xd00dfeed);
    assert_int_equal(srv_rd32(TEST_SHARED_SERVER_BASE), 0x55667788);
    assert_int_equal(srv_rd32(TEST_SHARED_SERVER_BASE + 0xfc), 0xcafef00d);
    assert_int_equal(fixture_stop(&fx), 0);
}

/* Memory in a device's page: the device still sees each write (and the
 * driver waits for it, sharing one acknowledgement counter with the
 * memory's accesses), the memory keeps what is written. */
static void test_shared_page_with_a_device(void **state)
{
    struct timespec t0, t1;

    (void)state;
    assert_int_equal(fixture_start(&fx, restart), 0);
    assert_int_equal(wr(TEST_UART_PAGE_BASE, 0x1234abcd), PSA_SUCCESS);
    assert_int_equal(uart_init(0x1), PSA_SUCCESS);
    assert_int_equal(wr(TEST_UART_PAGE_BASE + 0xfc, 0x5678), PSA_SUCCESS);
    /* 17 bytes, each acknowledged at once: a counter out of step would
     * make each wait out the runtime's 2 s bound */
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_int_equal(puts_uart("memory beside me\n"), PSA_SUCCESS);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true(t1.tv_sec - t0.tv_sec < 2);
    assert_true(fixture_log_has(&fx, "[PARTIX_TEST_UART] memory beside me", NULL));
    assert_int_equal(rd32(TEST_UART_PAGE_BASE), 0x1234abcd);
    assert_int_equal(rd32(TEST_UART_PAGE_BASE + 0xfc), 0x5678);
    assert_int_equal(rd32(UART_CTRL), 0x1);
    assert_int_equal(fixture_stop(&fx), 0);
    /* between the registers and the memory: nobody's */
    expect_fault(TEST_UART_BASE + 0x400, 0);
}

/* On the shared page, every byte not the driver's own faults it: the
 * server's region (read or write), the gap between, its own READ-ONLY
 * region written. */
static void test_shared_page_server_bytes_fault(void **state)
{
    (void)state;
    expect_fault(TEST_SHARED_SERVER_BASE + 0x10, 1);
}

static void test_shared_page_last_server_word_faults(void **state)
{
    (void)state;
    expect_fault(TEST_SHARED_SERVER_BASE + 0xfc, 0);
}

static void test_shared_page_gap_faults(void **state)
{
    (void)state;
    expect_fault(TEST_SHARED_GAP, 0);
    expect_fault(TEST_SHARED_DRIVER_BASE - 4, 1); /* the word before its region */
}

static void test_shared_page_read_only_faults(void **state)
{
    (void)state;
    expect_fault(TEST_SHARED_NUMBERED_BASE + 0x80, 1);
}

/* And the other way: the server reading the driver's bytes is killed. */
static void test_shared_page_driver_bytes_fault_server(void **state)
{
    uint32_t v;

    (void)state;
    assert_int_equal(fixture_start(&fx, restart), 0);
    assert_int_equal(wr(TEST_SHARED_DRIVER_BASE, 0x0badf00d), PSA_SUCCESS);
    assert_int_equal(srv_rd(TEST_SHARED_DRIVER_BASE, &v), PSA_ERROR_COMMUNICATION_FAILURE);
    assert_true(
        fixture_log_has(&fx, "partition PARTIX_SP_TEST (", "killed by signal Segmentation fault"));
    assert_int_equal(fixture_log_count(&fx, "partition PARTIX_SP_TEST_MMIO (", "killed"), 0);
    assert_int_equal(rd32(TEST_SHARED_DRIVER_BASE), 0x0badf00d);
    assert_int_equal(fixture_stop(&fx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_uart, fixture_teardown),
        cmocka_unit_test_teardown(test_uart_cmsdk, fixture_teardown),
        cmocka_unit_test_teardown(test_memory_regions, fixture_teardown),
        cmocka_unit_test_teardown(test_write_to_read_only_faults, fixture_teardown),
        cmocka_unit_test_teardown(test_undeclared_region_faults, fixture_teardown),
        cmocka_unit_test_teardown(test_past_the_registers_faults, fixture_teardown),
        cmocka_unit_test_teardown(test_nvmem_persists, fixture_teardown),
        cmocka_unit_test_teardown(test_watchdog_registers, fixture_teardown),
        cmocka_unit_test_teardown(test_watchdog, fixture_teardown),
        cmocka_unit_test_teardown(test_watchdog_no_reset, fixture_teardown),
        cmocka_unit_test_teardown(test_reset_resets_the_watchdog, fixture_teardown),
        cmocka_unit_test_teardown(test_driver_partition_features, fixture_teardown),
        cmocka_unit_test_teardown(test_shared_page, fixture_teardown),
        cmocka_unit_test_teardown(test_shared_page_with_a_device, fixture_teardown),
        cmocka_unit_test_teardown(test_shared_page_server_bytes_fault, fixture_teardown),
        cmocka_unit_test_teardown(test_shared_page_last_server_word_faults, fixture_teardown),
        cmocka_unit_test_teardown(test_shared_page_gap_faults, fixture_teardown),
        cmocka_unit_test_teardown(test_shared_page_read_only_faults, fixture_teardown),
        cmocka_unit_test_teardown(test_shared_page_driver_bytes_fault_server, fixture_teardown),
    };

    return cmocka_run_group_tests_name("e2e_mmio", tests, NULL, NULL);
}
