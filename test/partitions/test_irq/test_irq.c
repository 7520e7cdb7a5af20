/*
 * test_irq.c - a partition with one SLIH and one FLIH interrupt.  It counts
 * what arrives and leaves ending an interrupt (psa_eoi, psa_reset_signal)
 * to its client, so a test can see each step of TF-M's interrupt rules.
 */
#include <stdint.h>

#include "psa/service.h"
#include "psa_manifest/partix_test_irq.h"
#include "test_irq_ops.h"

#define IRQS (TEST_SLIH_SIGNAL | TEST_FLIH_SIGNAL)

static struct test_irq_status st;
static psa_flih_result_t flih_result = PSA_FLIH_NO_SIGNAL;

psa_flih_result_t test_flih_flih(void)
{
    st.flih_runs++;
    return flih_result;
}

static psa_signal_t which(const psa_msg_t *msg)
{
    uint32_t v = 0;

    psa_read(msg->handle, 0, &v, sizeof(v));
    return v == TEST_IRQ_FLIH ? TEST_FLIH_SIGNAL : TEST_SLIH_SIGNAL;
}

static psa_status_t handle(const psa_msg_t *msg, psa_signal_t *held)
{
    uint32_t v = 0;

    switch (msg->type) {
    case TEST_IRQ_OP_ENABLE:
        psa_irq_enable(which(msg));
        return PSA_SUCCESS;
    case TEST_IRQ_OP_DISABLE:
        return (psa_status_t)psa_irq_disable(which(msg));
    case TEST_IRQ_OP_EOI:
        psa_eoi(which(msg));
        *held &= ~which(msg);
        return PSA_SUCCESS;
    case TEST_IRQ_OP_RESET_SIGNAL:
        psa_reset_signal(which(msg));
        *held &= ~which(msg);
        return PSA_SUCCESS;
    case TEST_IRQ_OP_STATUS:
        st.asserted = psa_wait(IRQS, PSA_POLL);
        psa_write(msg->handle, 0, &st, sizeof(st));
        return PSA_SUCCESS;
    case TEST_IRQ_OP_FLIH_RESULT:
        psa_read(msg->handle, 0, &v, sizeof(v));
        flih_result = v ? PSA_FLIH_SIGNAL : PSA_FLIH_NO_SIGNAL;
        return PSA_SUCCESS;
    case TEST_IRQ_OP_ENABLE_SERVICE:
        psa_irq_enable(PARTIX_TEST_IRQ_SIGNAL);
        return PSA_SUCCESS;
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}

/* the manifest's entry point: TF-M's generated header does not declare it */
void partix_test_irq_main(void);
void partix_test_irq_main(void)
{
    psa_signal_t held = 0; /* asserted interrupts the client has not ended yet */
    psa_msg_t msg;

    for (;;) {
        psa_signal_t s = psa_wait(PARTIX_TEST_IRQ_SIGNAL | (IRQS & ~held), PSA_BLOCK);

        if (s & TEST_SLIH_SIGNAL) {
            st.slih_seen++;
            held |= TEST_SLIH_SIGNAL;
        }
        if (s & TEST_FLIH_SIGNAL) {
            st.flih_seen++;
            held |= TEST_FLIH_SIGNAL;
        }
        if (s & PARTIX_TEST_IRQ_SIGNAL) {
            if (psa_get(PARTIX_TEST_IRQ_SIGNAL, &msg) != PSA_SUCCESS)
                continue;
            psa_reply(msg.handle, handle(&msg, &held));
        }
    }
}
