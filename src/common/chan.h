/*
 * chan.h - the direct data path: what a client and a partition share for
 * one connection, and what a partition shares with psa-spm.  The one place
 * these layouts are written (docs/performance.md explains the path).
 *
 * psa-spm makes, for each connection a non-secure client opens to a
 * connection-based service, a memory object (the area): a header page of
 * struct chan_area, then CHAN_DATA_CAP bytes of vectors.  The client and the
 * partition map it; psa-spm keeps the header mapped to answer for a
 * partition that dies.  A call: the client puts its inputs in the data
 * (inputs back to back, then room for each output at its full length),
 * fills in the request, bumps req_seq and rings the connection's doorbell:
 * an eventfd of its own, which the partition waits on with its channel
 * (epoll).  A client can spoil only its own doorbell.  The partition copies the
 * request out of the area once, checks the copy, serves the message, writes
 * status and written[], then stores req_seq into done_seq and wakes the
 * client if it sleeps on done_seq (client_waiting).
 *
 * Trust: the client can write any byte of its area at any time; that can
 * only spoil its own call.  The partition reads nothing of the area twice
 * that it checked, and never reaches outside it.  The client trusts nothing
 * the partition or psa-spm wrote past its own request: written[] is checked
 * against its own copy of the lengths.
 *
 * A call bigger than the area's data goes through a big data area: a sealed
 * memfd its client makes (C_GROW, checked by psa-spm as any memory object a
 * caller passes, and forwarded in S_GROW), kept for the connection's later
 * large calls, replaced by a bigger one when needed; the request says big
 * and which one (big_gen).
 *
 * The status page is shared by the partition and psa-spm only: psa-spm reads
 * the partition's progress counters there for the call-timeout watchdog.
 */
#ifndef PARTIX_CHAN_H
#define PARTIX_CHAN_H

#include <stdint.h>

#define CHAN_HEAD 4096u             /* the header page */
#define CHAN_DATA_CAP (64u * 1024u) /* vector bytes (in + out) of a direct call at most */
#define CHAN_SIZE (CHAN_HEAD + CHAN_DATA_CAP)
#define CHAN_STATUS_SIZE 4096u  /* the status page */
#define CHAN_MSG_BIT 0x40000000 /* msg handles of direct messages have it; psa-spm's never */
#define CHAN_MAX_IOVEC 4
#define SPM_DIRECT_OUT 64 /* a partition's own direct connections at most (SPM_DIRECT_PART_CONNS) */

/* done_seq's neighbour flags (flags) */
#define CHAN_GONE 0x1u /* the partition is gone: this and every later call fail with gone_status */

/* One connection's header page.  Each side's fields are on their own cache
 * lines. */
struct chan_area {
    /* the client's */
    uint32_t req_seq; /* bumped (release) after the request below is complete */
    int32_t type;
    uint32_t n_in, n_out;
    uint32_t in_len[CHAN_MAX_IOVEC];
    uint32_t out_len[CHAN_MAX_IOVEC];
    uint32_t client_waiting; /* 1 while the client sleeps on done_seq */
    uint32_t big;            /* the vectors are in the big data area of generation big_gen */
    uint32_t big_gen;
    uint8_t pad0[64 - 14 * 4];
    /* the partition's (psa-spm's when the partition is gone) */
    uint32_t done_seq; /* = the req_seq it answers (release), the client's futex word */
    int32_t status;
    uint32_t written[CHAN_MAX_IOVEC];
    uint32_t flags;      /* CHAN_GONE */
    int32_t gone_status; /* the status of calls once CHAN_GONE */
};

_Static_assert(sizeof(struct chan_area) <= CHAN_HEAD, "the header fits its page");

/* The partition's status page, shared with psa-spm alone. */
struct chan_status {
    uint32_t taken;    /* the partition: direct messages taken from areas */
    uint32_t answered; /* the partition: direct messages answered */
    uint32_t calling;  /* the partition: 1 while it waits on a call of its own */
};

#endif /* PARTIX_CHAN_H */
