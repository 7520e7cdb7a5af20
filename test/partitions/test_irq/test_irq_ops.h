/*
 * test_irq_ops.h - the call types of PARTIX_TEST_IRQ.  The input is one u32
 * (which interrupt: TEST_IRQ_SLIH or TEST_IRQ_FLIH, or an op's value).
 */
#ifndef PARTIX_TEST_IRQ_OPS_H
#define PARTIX_TEST_IRQ_OPS_H

#define TEST_IRQ_SLIH 0u
#define TEST_IRQ_FLIH 1u

enum test_irq_op {
    TEST_IRQ_OP_ENABLE = 1,     /* psa_irq_enable(which) */
    TEST_IRQ_OP_DISABLE,        /* psa_irq_disable(which): its return value is the status */
    TEST_IRQ_OP_EOI,            /* psa_eoi(which) */
    TEST_IRQ_OP_RESET_SIGNAL,   /* psa_reset_signal(which) */
    TEST_IRQ_OP_STATUS,         /* out: struct test_irq_status */
    TEST_IRQ_OP_FLIH_RESULT,    /* what the FLIH handler returns from now on */
    TEST_IRQ_OP_ENABLE_SERVICE, /* psa_irq_enable(the service signal): panics */
};

struct test_irq_status {
    uint32_t slih_seen; /* times psa_wait() returned the SLIH signal */
    uint32_t flih_runs; /* times test_flih_flih() ran */
    uint32_t flih_seen; /* times psa_wait() returned the FLIH signal */
    uint32_t asserted;  /* interrupt signals asserted now (psa_wait with PSA_POLL) */
};

#endif /* PARTIX_TEST_IRQ_OPS_H */
