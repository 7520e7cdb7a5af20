/*
 * test_ops.h - the call types of the end-to-end test partitions: the test
 * service (enum test_op), the peer it calls (enum peer_op) and the SFN
 * partition (enum sfn_op), with the structures they exchange.
 */
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
    TEST_OP_NOTIFY = 15,         /* psa_notify() as struct test_notify in in_vec[0] says */
    TEST_OP_WAIT = 16,  /* psa_wait() with struct test_wait in in_vec[0]; uint32 into out_vec[0] */
    TEST_OP_CLEAR = 17, /* psa_clear() */
    TEST_OP_PEER_OP = 18,   /* call the peer: type in_vec[0] (int32), input in_vec[1]; its output
                             into out_vec[0] */
    TEST_OP_SIGBUS = 19,    /* touch a page of a shared mapping past the end of its memory object */
    TEST_OP_SIGILL = 20,    /* an undefined instruction (__builtin_trap) */
    TEST_OP_ABORT = 21,     /* abort() */
    TEST_OP_EXIT = 22,      /* exit(0) */
    TEST_OP_MM_ECHO = 23,   /* MM-IOVEC: the input vectors mapped, copied back to back into the
                             mapped out_vec[0], unmapped with the bytes copied; struct
                             test_mm_layout into out_vec[1] if present */
    TEST_OP_MM_MISUSE = 24, /* break the MM-IOVEC rule enum test_mm_misuse in in_vec[0] (uint32) */
    TEST_OP_LIFECYCLE = 25, /* psa_rot_lifecycle_state() (uint32) into out_vec[0] */
    TEST_OP_MALLOC = 26,    /* malloc(in_vec[0] as uint32), keep it until TEST_OP_FREE_ALL;
                               struct test_malloc into out_vec[0] */
    TEST_OP_FREE_ALL = 27,  /* free what TEST_OP_MALLOC kept */
    TEST_OP_OTP = 29,       /* tfm_plat_otp_read(in_vec[0] as uint32) into out_vec[0]; the
                             * status is its enum tfm_plat_err_t */
    TEST_OP_PEER_BIG = 28,  /* send the peer in_vec[0] (uint32) bytes of a pattern in one call,
                               check its echo: SUCCESS if whole and equal */
    TEST_OP_SYSTEM_RESET = 30, /* tfm_hal_system_reset(): refused, it is APPLICATION-ROT */
    TEST_OP_MMAP = 31,         /* unmap what it kept, then mmap in_vec[0] (uint64) bytes of private
                          anonymous memory, and keep them if in_vec[1] is there, else unmap
                          them: SUCCESS, or INSUFFICIENT_MEMORY if mmap refused (ENOMEM) */
    TEST_OP_HOLD_DISCONNECT = 32, /* the next DISCONNECT is held, unanswered, until
                                   * TEST_OP_RELEASE; meanwhile TEST_OP_HELD (stateless)
                                   * is answered 1 (uint32 into out_vec[0]) */
    TEST_OP_HELD = 33,            /* uint32 into out_vec[0]: 1 while a DISCONNECT is held */
    TEST_OP_RELEASE = 34,         /* answer the held DISCONNECT; BAD_STATE if none is */
    TEST_OP_BAD_VECTOR = 35,      /* call the peer with the bad vector enum test_bad_vector in
                                   * in_vec[0] (uint32) names: FF-M panics this partition */
    TEST_OP_READ32 = 36,          /* in_vec[0]: u32 address; out_vec[0]: the u32 read there */
    TEST_OP_WRITE32 = 37,         /* in_vec[0]: u32 address, u32 value: write it there */
    TEST_OP_SIGFPE = 38,          /* an integer division by zero (test_crash.c) */
    TEST_OP_SEGV_DEEP = 39,       /* a write to an unmapped page three calls down, in
                                   * crash_fault_here() (test_crash.c: the backtrace) */
    TEST_OP_READ_BAD = 40,        /* psa_read() in_vec[0] into an unmapped page: a fault in
                                   * the FF-M call (test_crash.c) */
    TEST_OP_LYING_REPORT = 41,    /* send psa-spm's monitor the crash report enum
                                   * test_lying_report in in_vec[0] (uint32) names, then
                                   * abort() (test_crash.c) */
};

/* TEST_OP_LYING_REPORT's reports: what a compromised partition might send. */
enum test_lying_report {
    LYING_JUNK = 0,      /* 100 bytes of noise */
    LYING_COUNTS = 1,    /* a well-formed header whose counts exceed its arrays */
    LYING_ADDRESSES = 2, /* well-formed, every address and register made up */
};

/* TEST_OP_BAD_VECTOR's vectors, each a secure caller's programmer error. */
enum test_bad_vector {
    BAD_OUT_READ_ONLY = 0, /* out_vec[0] in the executable's read-only data */
    BAD_OUT_UNMAPPED = 1,  /* out_vec[0] where nothing is mapped */
    BAD_OUT_WRAPS = 2,     /* out_vec[0] whose end wraps around the address space */
    BAD_IN_UNMAPPED = 3,   /* in_vec[0] where nothing is mapped */
};

/* TEST_OP_MALLOC's answer. */
struct test_malloc {
    uint32_t ok;        /* malloc returned memory (written to its last byte) */
    uint32_t heap_size; /* the manifest's, as the partition was built */
    uint32_t enforced;  /* 0: a sanitizer build, whose allocator is not bounded */
};

/* The MM-IOVEC programmer errors TEST_OP_MM_MISUSE commits, on in_vec[1] and out_vec[0]. */
enum test_mm_misuse {
    TEST_MM_MAP_INVEC = 0,      /* no error on an MM-IOVEC service: psa_map_invec once */
    TEST_MM_MAP_TWICE = 1,      /* psa_map_invec twice */
    TEST_MM_READ_MAPPED = 2,    /* psa_read after psa_map_invec */
    TEST_MM_UNMAP_UNMAPPED = 3, /* psa_unmap_invec of a vector never mapped */
    TEST_MM_UNMAP_TOO_LONG = 4, /* psa_unmap_outvec with out_size[0] + 1 */
    TEST_MM_WRITE_MAPPED = 5,   /* psa_write after psa_map_outvec */
};

/* Where TEST_OP_MM_ECHO found the vectors it mapped. */
struct test_mm_layout {
    uint64_t in0_page_offset; /* of mapped in_vec[0] within its page */
    int64_t out0_minus_in0;   /* mapped out_vec[0] - mapped in_vec[0], in bytes */
};

/* The call types of the test peer (a secure-only service: reached through
 * TEST_OP_PEER_OP). */
enum peer_op {
    PEER_OP_ECHO = 0,   /* the caller's client id (int32), then the input */
    PEER_OP_NOTIFY = 1, /* psa_notify() as struct test_notify in the input says */
    PEER_OP_WAIT = 2,   /* psa_wait() with struct test_wait in the input; uint32 into the output */
    PEER_OP_CLEAR = 3,  /* psa_clear() */
    PEER_OP_COPY = 4,   /* in_vec[0] into out_vec[0], chunk by chunk, whatever the size */
    PEER_OP_STATUS = 5, /* answer the input (int32) as the status */
};

/* The call types of every service of the SFN test partition. */
enum sfn_op {
    SFN_OP_INFO = 1,        /* struct test_sfn_info into out_vec[0] */
    SFN_OP_STATUS = 2,      /* return in_vec[0] (int32) as the status */
    SFN_OP_REFUSE_NEXT = 3, /* the sfn answers the next CONNECT with in_vec[0] (int32) */
    SFN_OP_NOTIFY = 4,      /* psa_notify() as struct test_notify in in_vec[0] says */
    SFN_OP_DOORBELL = 5,    /* psa_wait(PSA_DOORBELL, PSA_POLL) into out_vec[0] (uint32), then
                               psa_clear() if it was asserted */
};

struct test_notify {
    int32_t partition_id;
    uint32_t times; /* psa_notify() this many times in a row */
};

struct test_wait {
    uint32_t mask;
    uint32_t timeout; /* PSA_POLL or PSA_BLOCK */
};

/* A message as an sfn was given it. */
struct test_sfn_msg {
    int32_t service; /* whose sfn: the service's index in the manifest */
    int32_t type;
    int32_t client_id;
    uint32_t in_size[4];
    uint32_t out_size[4];
};

struct test_sfn_info {
    struct test_sfn_msg call;       /* this call */
    struct test_sfn_msg connect;    /* the last CONNECT any sfn was given */
    struct test_sfn_msg disconnect; /* the last DISCONNECT */
    uint32_t connects;              /* CONNECTs accepted */
    uint32_t disconnects;
    uint32_t init_calls; /* runs of entry_init */
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
    int32_t disconnect_client_id; /* msg.client_id of the last DISCONNECT (0: none yet) */
    uint32_t calls;               /* calls (type >= 0) it has been given, this one included */
};

#endif
