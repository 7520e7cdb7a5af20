/*
 * test_tfm23_ops.h - the call types of the TF-M 2.3 style test partition.
 */
#ifndef TEST_TFM23_OPS_H
#define TEST_TFM23_OPS_H

enum tfm23_op {
    TFM23_OP_ECHO = 0,   /* out_vec[0] = in_vec[0] (mapped: MM-IOVEC) */
    TFM23_OP_LOG = 1,    /* the tfm_log_unpriv.h macros, one unportable */
    TFM23_OP_STDIO = 2,  /* printf, puts, putchar, perror, fprintf(stderr) */
    TFM23_OP_ASSERT = 3, /* a failed assert() */
};

#endif /* TEST_TFM23_OPS_H */
