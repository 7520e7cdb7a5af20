/*
 * crash_report.h - what a partition that faults tells psa-spm's monitor
 * about it, in one datagram on its crash socket (SANDBOX_CRASH_FD): the
 * signal, the faulting address, the registers, a copy of the top of its
 * stack, where its modules are loaded, and the messages it was handling.
 *
 * The partition only collects (in its fault handler, with no allocation
 * and no system call but one send); the monitor, which knows the
 * executable, unwinds the stack copy and symbolizes it (priv/crash.c).
 * The monitor trusts nothing here but the sizes it checks: a partition
 * can lie only about itself.
 */
#ifndef PARTIX_CRASH_REPORT_H
#define PARTIX_CRASH_REPORT_H

#include <stdint.h>

#define CRASH_MAGIC 0x31524350u /* "PCR1" */
#define CRASH_VERSION 1u

#define CRASH_MAX_MODULES 16
#define CRASH_MAX_MSGS 4
#define CRASH_MAX_STACK (48u * 1024u) /* bytes of stack copied from the stack pointer up */
#define CRASH_NREGS 23                /* x86-64's ucontext gregs (REG_R8 ... REG_CR2) */
#define CRASH_PATH 128

enum crash_kind {
    CRASH_SIGNAL = 1,         /* a fault or a signal it raised (abort) */
    CRASH_STACK_OVERFLOW = 2, /* a fault in the guard page below the entry point's stack */
};

/* A loaded ELF object: its load bias and the span of its segments. */
struct crash_module {
    uint64_t bias;
    uint64_t lo, hi;
    char path[CRASH_PATH]; /* "" for the executable itself */
};

/* A message taken with psa_get() and not yet replied to. */
struct crash_msg {
    int32_t handle;
    int32_t type;
    int32_t client_id;
    uint32_t sid;
    uint32_t n_in, n_out;
    uint32_t in_size[4];
    uint32_t out_size[4];
    uint32_t in_read[4]; /* bytes read or skipped */
    uint32_t written[4]; /* bytes written */
};

struct crash_report {
    uint32_t magic, version;
    uint32_t kind;
    int32_t signo, code;
    uint32_t n_regs; /* 0 on an architecture without register names here */
    uint64_t addr;   /* si_addr */
    uint64_t regs[CRASH_NREGS];
    uint64_t pc, sp;
    uint64_t stack_lo, stack_hi; /* the entry point's stack */
    uint32_t n_modules, n_msgs;
    struct crash_module modules[CRASH_MAX_MODULES];
    struct crash_msg msgs[CRASH_MAX_MSGS];
    char api[32];       /* the FF-M function the partition last called ("" none) */
    uint32_t stack_len; /* bytes of stack[] copied from sp */
    uint32_t reserved;
    uint8_t stack[CRASH_MAX_STACK];
};

#endif /* PARTIX_CRASH_REPORT_H */
