/*
 * test_mmio.c - a driver partition as firmware writes one: registers are
 * volatile pointers to fixed addresses, driven by a CMSDK driver written
 * from the data sheet (cmsdk_drv.h); the UART's and the watchdog's
 * interrupts are handled with psa_wait() and psa_eoi().
 */
#include <stdbool.h>
#include <stdint.h>

#include "psa/client.h"
#include "psa/service.h"
#include "psa_manifest/sid.h"
#include "psa_manifest/partix_test_mmio.h"
#include "cmsdk_drv.h"
#include "test_mmio_ops.h"
#include "tfm_plat_otp.h"

#define REG32(a) (*(volatile uint32_t *)(uintptr_t)(a))

#define UART_CLK_HZ 25000000u /* the peripheral clock BAUDDIV divides */
#define UART_BAUD 115200u

static uint32_t wdog_irqs;
static uint32_t wdog_keep = 1;
static bool wdog_pending; /* an interrupt taken and left set (wdog_keep 0) */
static struct test_mmio_irqs uart_irqs;

static psa_status_t otp_read(const psa_msg_t *msg)
{
    uint8_t out[64];
    uint32_t id = 0;
    size_t n = msg->out_size[0] < sizeof(out) ? msg->out_size[0] : sizeof(out);
    enum tfm_plat_err_t err;

    psa_read(msg->handle, 0, &id, sizeof(id));
    err = tfm_plat_otp_read((enum tfm_otp_element_id_t)id, n, out);
    if (err == TFM_PLAT_ERR_SUCCESS)
        psa_write(msg->handle, 0, out, n);
    return (psa_status_t)err;
}

static psa_status_t handle(const psa_msg_t *msg)
{
    struct test_mmio_access acc = {0, 0};
    char text[128];
    size_t n, i;

    switch (msg->type) {
    case TEST_MMIO_OP_PUTS:
        n = psa_read(msg->handle, 0, text, sizeof(text));
        for (i = 0; i < n; i++)
            cmsdk_uart_putc(TEST_UART_BASE, (uint8_t)text[i]);
        return PSA_SUCCESS;
    case TEST_MMIO_OP_UART_INIT:
        psa_read(msg->handle, 0, &acc.value, sizeof(acc.value));
        cmsdk_uart_init(TEST_UART_BASE, UART_CLK_HZ, UART_BAUD, acc.value);
        return PSA_SUCCESS;
    case TEST_MMIO_OP_UART_IRQS:
        psa_write(msg->handle, 0, &uart_irqs, sizeof(uart_irqs));
        return PSA_SUCCESS;
    case TEST_MMIO_OP_WDOG_START:
        psa_read(msg->handle, 0, &acc, sizeof(acc));
        cmsdk_wdog_start(TEST_WDOG_BASE, acc.addr, acc.value);
        return PSA_SUCCESS;
    case TEST_MMIO_OP_READ32:
        psa_read(msg->handle, 0, &acc, sizeof(acc));
        acc.value = REG32(acc.addr);
        psa_write(msg->handle, 0, &acc.value, sizeof(acc.value));
        return PSA_SUCCESS;
    case TEST_MMIO_OP_WRITE32:
        psa_read(msg->handle, 0, &acc, sizeof(acc));
        REG32(acc.addr) = acc.value;
        return PSA_SUCCESS;
    case TEST_MMIO_OP_WDOG_IRQS:
        psa_write(msg->handle, 0, &wdog_irqs, sizeof(wdog_irqs));
        return PSA_SUCCESS;
    case TEST_MMIO_OP_PEER: {
        psa_handle_t h = psa_connect(PARTIX_TEST_PEER_SID, PARTIX_TEST_PEER_VERSION);
        int32_t seen = 0;
        psa_outvec out = {&seen, sizeof(seen)};
        psa_status_t st = psa_call(h, 0 /* PEER_OP_ECHO */, NULL, 0, &out, 1);

        psa_close(h);
        psa_write(msg->handle, 0, &seen, sizeof(seen));
        return st;
    }
    case TEST_MMIO_OP_DOORBELL:
        acc.value = psa_wait(PSA_DOORBELL, PSA_POLL);
        if (acc.value & PSA_DOORBELL)
            psa_clear();
        psa_write(msg->handle, 0, &acc.value, sizeof(acc.value));
        return PSA_SUCCESS;
    case TEST_MMIO_OP_OTP:
        return otp_read(msg);
    case TEST_MMIO_OP_WDOG_KEEP:
        psa_read(msg->handle, 0, &wdog_keep, sizeof(wdog_keep));
        return PSA_SUCCESS;
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

/* the manifest's entry point: TF-M's generated header does not declare it */
void partix_test_mmio_main(void);
void partix_test_mmio_main(void)
{
    psa_msg_t msg;

    psa_irq_enable(TEST_WDOG_SIGNAL);
    psa_irq_enable(TEST_UART_SIGNAL);
    for (;;) {
        /* not PSA_DOORBELL: the doorbell waits for TEST_MMIO_OP_DOORBELL; a
         * watchdog interrupt left unserviced stays asserted, unwaited for */
        psa_signal_t s = psa_wait(PARTIX_TEST_MMIO_SIGNAL | TEST_UART_SIGNAL |
                                      (wdog_keep || !wdog_pending ? TEST_WDOG_SIGNAL : 0),
                                  PSA_BLOCK);

        if (s & TEST_WDOG_SIGNAL) {
            if (!wdog_pending)
                wdog_irqs++;
            wdog_pending = !wdog_keep;
            if (wdog_keep) {
                cmsdk_wdog_feed(TEST_WDOG_BASE);
                psa_eoi(TEST_WDOG_SIGNAL);
            }
        }
        if (s & TEST_UART_SIGNAL) {
            uart_irqs.count++;
            uart_irqs.intstatus = cmsdk_uart_irq_ack(TEST_UART_BASE);
            psa_eoi(TEST_UART_SIGNAL);
        }
        if ((s & PARTIX_TEST_MMIO_SIGNAL) && psa_get(PARTIX_TEST_MMIO_SIGNAL, &msg) == PSA_SUCCESS)
            psa_reply(msg.handle, handle(&msg));
    }
}
