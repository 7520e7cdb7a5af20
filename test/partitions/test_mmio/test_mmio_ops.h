/*
 * test_mmio_ops.h - the call types of PARTIX_TEST_MMIO and the addresses of
 * the test board (test/manifests/platform.yaml).
 */
#ifndef PARTIX_TEST_MMIO_OPS_H
#define PARTIX_TEST_MMIO_OPS_H

#include <stdint.h>

#define TEST_UART_BASE 0x40100000u
#define TEST_UART_PAGE_BASE 0x40100800u /* memory in the UART's page */
#define TEST_WDOG_BASE 0x40101000u
#define TEST_NVMEM_BASE 0x40200000u
#define TEST_ROM_BASE 0x40300000u
#define TEST_OTHER_BASE 0x40400000u
#define TEST_OTP_BASE 0x40500000u /* PARTIX_OTP, on the test board as on the shipped one */
#define TEST_NUMBERED_BASE 0x48000000u
/* One 4 KiB page of three regions, as the AN521's test partitions have it:
 * FF_TEST_SERVER_PARTITION_MMIO (PARTIX_SP_TEST's), a gap of nobody's,
 * FF_TEST_DRIVER_PARTITION_MMIO (ours) and a numbered READ-ONLY one (ours). */
#define TEST_SHARED_SERVER_BASE 0x3801FC00u
#define TEST_SHARED_GAP 0x3801FD00u
#define TEST_SHARED_DRIVER_BASE 0x3801FE00u
#define TEST_SHARED_NUMBERED_BASE 0x3801FF00u

enum test_mmio_op {
    TEST_MMIO_OP_PUTS = 1,   /* in: text, sent byte by byte by the CMSDK driver (cmsdk_drv.h) */
    TEST_MMIO_OP_READ32,     /* in: struct test_mmio_access (addr); out: u32 */
    TEST_MMIO_OP_WRITE32,    /* in: struct test_mmio_access */
    TEST_MMIO_OP_WDOG_IRQS,  /* out: u32, watchdog interrupts handled */
    TEST_MMIO_OP_WDOG_KEEP,  /* in: u32, 1 (default): the handler feeds the watchdog; 0: it
                             * leaves the interrupt set (and the signal unacknowledged) */
    TEST_MMIO_OP_PEER,       /* call its dependency PARTIX_TEST_PEER (echo): out: the client
                               id the peer saw (int32) */
    TEST_MMIO_OP_OTP,        /* in: u32 OTP element id; out: tfm_plat_otp_read() of it; the
                             * status is its enum tfm_plat_err_t */
    TEST_MMIO_OP_DOORBELL,   /* out: u32, psa_wait(PSA_DOORBELL, PSA_POLL); psa_clear() if set */
    TEST_MMIO_OP_UART_INIT,  /* in: u32 CTRL: the driver's init, 115200 baud of 25 MHz */
    TEST_MMIO_OP_UART_IRQS,  /* out: struct test_mmio_irqs: UART interrupts handled */
    TEST_MMIO_OP_WDOG_START, /* in: struct test_mmio_access: LOAD (addr), CTRL (value) */
};

/* The UART's interrupts as its handler saw them. */
struct test_mmio_irqs {
    uint32_t count;     /* interrupts handled */
    uint32_t intstatus; /* INTSTATUS at the last one (the handler clears it) */
};

struct test_mmio_access {
    uint32_t addr;
    uint32_t value;
};

#endif /* PARTIX_TEST_MMIO_OPS_H */
