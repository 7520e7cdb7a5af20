/* test_ops.h - the call types of the end-to-end test service. */
#ifndef PARTIX_TEST_OPS_H
#define PARTIX_TEST_OPS_H

#include <stdint.h>

enum test_op {
    TEST_OP_CONCAT = 0,      /* all input vectors, back to back, into out_vec[0] */
    TEST_OP_INFO = 1,        /* struct test_info into out_vec[0] */
    TEST_OP_PANIC = 2,       /* psa_panic() */
    TEST_OP_SYSCALL = 3,     /* open(2): forbidden by the sandbox */
    TEST_OP_SLEEP = 4,       /* sleep in_vec[0] (uint32 ms), then reply */
    TEST_OP_WRITE_PAST = 5,  /* psa_write past out_vec[0]: a programmer error */
    TEST_OP_SEGV = 6,        /* a null pointer write */
    TEST_OP_SET_RHANDLE = 7, /* psa_set_rhandle(in_vec[0] as uint64) */
    TEST_OP_STATUS = 8,      /* reply with in_vec[0] as the status */
    TEST_OP_REFUSE_NEXT = 9, /* answer the next CONNECT with in_vec[0] as the status */
    TEST_OP_PEER = 10,       /* call PARTIX_TEST_PEER with in_vec[0]; its answer into out_vec[0] */
    TEST_OP_UNDECLARED = 11, /* psa_connect to the echo service, not in its dependencies */
    TEST_OP_BAD_HANDLE = 12, /* psa_call on a handle it does not hold */
    TEST_OP_PEER_VERSION = 13,   /* psa_version of the peer and of echo into out_vec[0] */
    TEST_OP_STACK_OVERFLOW = 14, /* recurse until the entry point's stack is exhausted */
};

struct test_info {
    int32_t client_id;
    int32_t pid;
    uint32_t in_size[4];
    uint32_t out_size[4];
    uint64_t rhandle;
    uint32_t connects;
    uint32_t disconnects;
    uint32_t lifecycle;
};

#endif
