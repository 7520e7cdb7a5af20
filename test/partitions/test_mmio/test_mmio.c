/*
 * test_mmio.c - a driver partition as firmware writes one: registers are
 * volatile pointers to fixed addresses, the watchdog's interrupt is handled
 * with psa_wait() and psa_eoi().
 */
#include <stdint.h>

#include "psa/client.h"
#include "psa/service.h"
#include "psa_manifest/sid.h"
#include "psa_manifest/partix_test_mmio.h"
#include "test_mmio_ops.h"
#include "tfm_plat_otp.h"

#define REG32(a) (*(volatile uint32_t *)(uintptr_t)(a))

static uint32_t wdog_irqs;
static uint32_t wdog_keep = 1;

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
            REG32(TEST_UART_BASE) = (uint8_t)text[i];
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
    for (;;) {
        /* not PSA_DOORBELL: the doorbell waits for TEST_MMIO_OP_DOORBELL */
        psa_signal_t s = psa_wait(PARTIX_TEST_MMIO_SIGNAL | TEST_WDOG_SIGNAL, PSA_BLOCK);

        if (s & TEST_WDOG_SIGNAL) {
            wdog_irqs++;
            if (wdog_keep)
                REG32(TEST_WDOG_BASE + 0x0c) = 1; /* INTCLR: clear and reload */
            psa_eoi(TEST_WDOG_SIGNAL);
        }
        if ((s & PARTIX_TEST_MMIO_SIGNAL) && psa_get(PARTIX_TEST_MMIO_SIGNAL, &msg) == PSA_SUCCESS)
            psa_reply(msg.handle, handle(&msg));
    }
}
