/*
 * test_conf_ops.h - the call types of PARTIX_SP_TEST_CONF, the conformance
 * suite's partition.  CONF_BAD_* commit one FF-M programmer error each.
 */
#ifndef PARTIX_TEST_CONF_OPS_H
#define PARTIX_TEST_CONF_OPS_H

enum conf_op {
    CONF_BAD_GET_TWO_SIGNALS = 1, /* psa_get() with two signals */
    CONF_BAD_GET_NOT_ASSERTED,    /* psa_get() of a signal with no message */
    CONF_BAD_GET_IRQLESS_SIGNAL,  /* psa_get(PSA_DOORBELL): not a service signal */
    CONF_BAD_REPLY_HANDLE,        /* psa_reply() on a handle that is no message */
    CONF_BAD_READ_HANDLE,         /* psa_read() on a handle that is no message */
    CONF_BAD_READ_INDEX,          /* psa_read() of input vector 4 */
    CONF_BAD_SKIP_HANDLE,         /* psa_skip() on a handle that is no message */
    CONF_BAD_WRITE_INDEX,         /* psa_write() to output vector 4 */
    CONF_BAD_CONNECT_STATUS,      /* the next CONNECT is answered INVALID_ARGUMENT */
    CONF_BAD_READ_CONNECT,        /* the next CONNECT is psa_read() */
    CONF_BAD_SET_RHANDLE,         /* psa_set_rhandle() in a stateless service's call */
    CONF_READ_SKIP = 20,          /* psa_read 4, psa_skip 3, psa_read 100, psa_read 1 of
                                     in_vec[0]: the four results (uint32) into out_vec[0] */
    CONF_WRITE_TWICE,             /* psa_write "abc" then "def" to out_vec[0] */
    CONF_HOLD,                    /* wait for a call on PARTIX_CONF_B, then take every
                                     queued call of PARTIX_CONF_A and reply to each with
                                     its position; the types seen into out_vec[0] */
};

#endif /* PARTIX_TEST_CONF_OPS_H */
