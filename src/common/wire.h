/*
 * wire.h - the one protocol partix speaks: between libpsa-client and
 * psa-spm on the client socket, and between psa-spm and each partition on
 * its channel.  Both are SOCK_SEQPACKET, so a message is one datagram: no
 * framing, and a short or oversized datagram is simply malformed.
 *
 * Every message is a C struct below.  wire.c has exactly one encoder and
 * one decoder per message type, and nothing else in partix reads or writes
 * the bytes of a message: the client library, the partition runtime, the
 * SPM, the unit-test harness and the tests all go through wire_encode() and
 * wire_decode().
 *
 * On the wire: an 8-byte header (u16 version, u16 type, u32 seq), then the
 * message's fields, fixed-width little-endian; lengths are u32; nothing of
 * the C ABI (pointers, size_t, struct layout) crosses.  The decoder works
 * on the receiver's own copy of the datagram (a peer cannot change a length
 * after it was checked), refuses short fields, trailing bytes, unknown
 * types and out-of-range counts.
 *
 * Payloads: the bytes of a call's input vectors (C_CALL, S_MSG) or of a
 * reply's output vectors (R_CALL, P_REPLY) follow the fields inline unless
 * the message's flags say WIRE_CALL_MEMFD, in which case they live in the
 * memfd passed with the call and the datagram carries only the lengths.  A
 * decoded message's payload pointers point into the datagram it was decoded
 * from; an encoded frame's payload iovecs point at the caller's buffers
 * (nothing is copied until the kernel copies it).
 */
#ifndef PARTIX_WIRE_H
#define PARTIX_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#define WIRE_VERSION 2
#define WIRE_HEADER_SIZE 8
#define WIRE_MAX_MSG (80u * 1024u)    /* largest datagram either side accepts */
#define WIRE_INLINE_MAX (64u * 1024u) /* payload bytes carried inline at most */
#define WIRE_MAX_PAYLOAD (256u << 20) /* a call's in + out bytes at most */
#define WIRE_MAX_IOVEC 4
#define WIRE_MAX_NAME 128
#define WIRE_MAX_LOG 512
#define WIRE_MAX_SERVICES 32    /* services of one partition */
#define WIRE_MAX_IRQS 28        /* interrupts of one partition */
#define WIRE_MAX_PARTITIONS 256 /* partition ids S_CONFIG carries */
#define WIRE_RESET_MAX_CALLS 16 /* calls a P_RESET names at most */
#define WIRE_HEAD_MAX 2048      /* the fields of any message, without its payload */

/* Message types.  C_: client -> SPM (a partition calling a dependency sends
 * these too), R_: SPM -> client, P_: partition -> SPM, S_: SPM -> partition. */
enum wire_type {
    WIRE_C_VERSION = 1,
    WIRE_C_CONNECT,
    WIRE_C_CALL,
    WIRE_C_CLOSE,
    WIRE_C_IRQ,    /* drive a board interrupt line (control) */
    WIRE_C_BUFFER, /* a partition asks for a large call's memfd */
    WIRE_C_STALL,  /* a direct call is taking long: psa-spm checks its partition */
    WIRE_C_GROW,   /* + fd: a bigger data area for a direct connection's large calls */

    WIRE_R_VERSION = 16,
    WIRE_R_CONNECT,
    WIRE_R_CALL,
    WIRE_R_CLOSE,
    WIRE_R_IRQ,
    WIRE_R_BUFFER, /* + fd: a fresh memfd of the size, sealed against resizing */
    WIRE_R_STALL,
    WIRE_R_GROW,

    WIRE_P_HELLO = 32,
    WIRE_P_READY,
    WIRE_P_REPLY,
    WIRE_P_PANIC,
    WIRE_P_LOG,
    WIRE_P_VIOLATION,
    WIRE_P_NOTIFY,
    WIRE_P_IRQ,
    WIRE_P_MMIO,
    WIRE_P_RESET,

    WIRE_S_CONFIG = 48,
    WIRE_S_MSG,
    WIRE_S_DOORBELL,
    WIRE_S_STOP,
    WIRE_S_IRQ,
    WIRE_S_REGION, /* + fd: after S_CONFIG, one per MMIO region */
    WIRE_S_FAST,   /* + fd: after the S_REGIONs, the status page (chan.h) */
    WIRE_S_CHAN,   /* + 2 fds: a connection's area and doorbell (chan.h), before its client's */
    WIRE_S_GROW,   /* + fd: a direct connection's big data area (its client's C_GROW) */
};

/* Call flags (C_CALL, R_CALL, S_MSG, P_REPLY). */
#define WIRE_CALL_MEMFD 0x01u        /* payload in the memfd, not inline */
#define WIRE_REPLY_SET_RHANDLE 0x02u /* P_REPLY: psa_set_rhandle() was called */

/* P_IRQ operations. */
#define WIRE_IRQ_ENABLE 1
#define WIRE_IRQ_DISABLE 2
#define WIRE_IRQ_EOI 3

/* Exit status of a partition that panicked (after sending P_PANIC). */
#define WIRE_EXIT_PANIC 99

/* Service flags in S_CONFIG. */
#define WIRE_SVC_CONNECTION_BASED 0x01u
#define WIRE_SVC_MM_IOVEC 0x02u

/* Log levels of P_LOG and S_CONFIG: TF-M's TFM_PARTITION_LOG_LEVEL_* values. */
#define WIRE_LOG_ERROR 1
#define WIRE_LOG_INFO 2
#define WIRE_LOG_DEBUG 3

/* ---- stateless handles: FF-M's encoding, the one place it is written ----
 * bit 30 set, the service's version in bits 15:8, its slot (0..31) in bits
 * 4:0; every other bit clear. */
#define WIRE_STATELESS_BIT (1u << 30)

/* The stateless handle of slot @p slot (0..31) for a service of @p version. */
uint32_t wire_stateless_handle(uint32_t version, uint32_t slot);
/* Whether @p h (a psa_handle_t) has the stateless form at all. */
bool wire_is_stateless(int32_t h);
/* Its version and slot (either pointer may be NULL); -1 if @p h is not
 * exactly of the stateless form. */
int wire_stateless_parts(int32_t h, uint32_t *version, uint32_t *slot);

/* ---- the messages ---- */

/* Vectors of a call, as both hops carry them: n_in + n_out <= 4, a total
 * of at most WIRE_MAX_PAYLOAD bytes (the decoder checks both). */
struct wire_vecs {
    uint8_t n_in, n_out;
    uint32_t in_len[WIRE_MAX_IOVEC];
    uint32_t out_len[WIRE_MAX_IOVEC];
};

/* The bytes of @p v's input vectors, and of its output vectors: the sums of
 * the first n_in (n_out) lengths, at most 4 of each, in 64 bits (no wrap). */
uint64_t wire_vecs_in_total(const struct wire_vecs *v);
uint64_t wire_vecs_out_total(const struct wire_vecs *v);

struct wire_version_req { /* C_VERSION */
    uint32_t sid;
};

struct wire_connect_req { /* C_CONNECT */
    uint32_t sid;
    uint32_t version;
};

/* C_CALL: unless WIRE_CALL_MEMFD, in[i] holds vecs.in_len[i] bytes (inline;
 * the total of in + out is then at most WIRE_INLINE_MAX). */
struct wire_call_req {
    int32_t handle;
    int32_t type;
    uint8_t flags;
    struct wire_vecs vecs;
    const void *in[WIRE_MAX_IOVEC];
};

struct wire_close_req { /* C_CLOSE */
    int32_t handle;
};

struct wire_irq_req { /* C_IRQ */
    char source[WIRE_MAX_NAME];
    uint8_t level; /* 0 or 1 */
};

struct wire_stall_req { /* C_STALL */
    int32_t handle;
};

/* C_GROW: a sealed memfd of @p size bytes (CHAN_DATA_CAP..WIRE_MAX_PAYLOAD)
 * that holds the vectors of the connection's calls marked big, numbered gen. */
struct wire_grow_req {
    int32_t handle;
    uint64_t size;
    uint32_t gen;
};

/* S_GROW: C_GROW's memfd for the connection of @p token. */
struct wire_grow {
    uint32_t token;
    uint64_t size;
    uint32_t gen;
};

struct wire_buffer_req { /* C_BUFFER: 1..WIRE_MAX_PAYLOAD bytes */
    uint64_t size;
};

struct wire_version_rep { /* R_VERSION */
    uint32_t version;
};

/* R_CONNECT: the handle (> 0) or a status (< 0); with a handle of a direct
 * connection, two descriptors: its area and its doorbell (chan.h). */
struct wire_connect_rep {
    int32_t result;
};

/* R_CALL: n_out is the call's (or 0 when the call never reached a service);
 * unless WIRE_CALL_MEMFD, out[i] holds written[i] bytes inline. */
struct wire_call_rep {
    int32_t status;
    uint8_t flags;
    uint8_t n_out;
    uint32_t written[WIRE_MAX_IOVEC];
    const void *out[WIRE_MAX_IOVEC];
};

struct wire_status_rep { /* R_CLOSE, R_IRQ, R_BUFFER, R_STALL, R_GROW */
    int32_t status;
};

struct wire_hello { /* P_HELLO: what the executable was built from */
    char name[WIRE_MAX_NAME];
    uint8_t n_services;
    struct {
        uint32_t sid;
        uint32_t signal;
    } services[WIRE_MAX_SERVICES];
    uint8_t n_irqs;
    struct {
        uint32_t signal;
        uint8_t flih; /* 0 or 1 */
    } irqs[WIRE_MAX_IRQS];
};

struct wire_ready { /* P_READY: sandboxed, about to run the entry point */
    int32_t landlock_abi;
};

/* P_REPLY: n_out is the message's; unless WIRE_CALL_MEMFD, out[i] holds
 * written[i] bytes inline. */
struct wire_reply {
    int32_t msg;
    int32_t status;
    uint8_t flags; /* WIRE_CALL_MEMFD, WIRE_REPLY_SET_RHANDLE */
    uint64_t rhandle;
    uint8_t n_out;
    uint32_t written[WIRE_MAX_IOVEC];
    const void *out[WIRE_MAX_IOVEC];
};

struct wire_text { /* P_PANIC (level unused) and P_LOG */
    uint8_t level;
    char text[WIRE_MAX_LOG];
};

struct wire_violation { /* P_VIOLATION: the sandbox caught a system call */
    int32_t nr;
    uint32_t arch;
};

struct wire_notify { /* P_NOTIFY: psa_notify() */
    int32_t partition_id;
};

struct wire_irq_ctl { /* P_IRQ: psa_irq_enable/disable, psa_eoi */
    uint32_t signal;
    uint8_t op; /* WIRE_IRQ_* */
};

struct wire_mmio { /* P_MMIO: a device register was written */
    uint8_t region;
    uint32_t offset;
    uint32_t value;
};

struct wire_reset { /* P_RESET: tfm_hal_system_reset(), with the calls it took and did not answer */
    uint32_t syndrome;
    uint8_t n_calls;
    int32_t calls[WIRE_RESET_MAX_CALLS];
};

struct wire_config { /* S_CONFIG */
    int32_t pid;
    uint8_t log_level;
    uint32_t lifecycle;
    uint8_t n_services;
    struct {
        uint32_t sid;
        uint32_t signal;
        uint32_t version;
        uint8_t flags; /* WIRE_SVC_* */
    } services[WIRE_MAX_SERVICES];
    uint16_t n_partitions;
    int32_t partition_ids[WIRE_MAX_PARTITIONS];
    uint8_t n_regions; /* S_REGIONs that follow */
    uint8_t storage;   /* 1: the storage profile, its directory at fd 5 */
    uint8_t fast;      /* 1: an S_FAST follows the S_REGIONs */
};

/* S_FAST: what the descriptor is. */
#define WIRE_FAST_STATUS 1 /* the status page */

struct wire_fast {
    uint8_t kind;
};

/* S_CHAN: a direct connection of one of the partition's services. */
struct wire_chan {
    uint32_t token;    /* its index, which the DISCONNECT's handle holds too */
    int32_t handle;    /* the client's handle, for the log */
    int32_t client_id; /* bound here: the client cannot name another */
    uint64_t rhandle;
    uint32_t signal; /* the service's */
};

/* S_MSG: unless WIRE_CALL_MEMFD, in[i] holds vecs.in_len[i] bytes inline. */
struct wire_deliver {
    int32_t msg;
    int32_t type;
    int32_t client_id;
    uint64_t rhandle;
    uint32_t signal;
    uint8_t flags;
    struct wire_vecs vecs;
    const void *in[WIRE_MAX_IOVEC];
};

struct wire_irq_fired { /* S_IRQ */
    uint32_t signal;
};

struct wire_region { /* S_REGION */
    uint8_t index;
    uint64_t map_base, map_len, base, size;
    uint8_t writable, trap, otp; /* 0 or 1 each */
    /* with trap: each write is reported (P_MMIO), a device's register;
     * without, a trapped region is memory sharing a page, checked to the byte */
    uint8_t report;
    /* a device's acknowledgement page: where it lies in the memory object
     * (0: none), and the partition's 32-bit counter in it (WIRE_ACK_SLOTS) */
    uint64_t ack_off;
    uint16_t ack_slot;
    char name[WIRE_MAX_NAME];
};

/* The counters of a device's acknowledgement page, one per partition. */
#define WIRE_ACK_SLOTS 1024u

/* Any message: its type selects the member (S_DOORBELL and S_STOP have none). */
struct wire_msg {
    uint16_t type;
    uint32_t seq;
    union {
        struct wire_version_req version_req;
        struct wire_connect_req connect_req;
        struct wire_call_req call_req;
        struct wire_close_req close_req;
        struct wire_irq_req irq_req;
        struct wire_buffer_req buffer_req;
        struct wire_stall_req stall_req;
        struct wire_grow_req grow_req;
        struct wire_grow grow;
        struct wire_version_rep version_rep;
        struct wire_connect_rep connect_rep;
        struct wire_call_rep call_rep;
        struct wire_status_rep status_rep; /* R_CLOSE, R_IRQ, R_BUFFER */
        struct wire_hello hello;
        struct wire_ready ready;
        struct wire_reply reply;
        struct wire_text text; /* P_PANIC, P_LOG */
        struct wire_violation violation;
        struct wire_notify notify;
        struct wire_irq_ctl irq_ctl;
        struct wire_mmio mmio;
        struct wire_reset reset;
        struct wire_config config;
        struct wire_deliver deliver;
        struct wire_irq_fired irq_fired;
        struct wire_region region;
        struct wire_fast fast;
        struct wire_chan chan;
    } u;
};

/* An encoded message, ready for sendmsg(): iov[0] is the header and fields
 * (in head), iov[1..n_iov-1] the payload, pointing at the caller's buffers,
 * which must stay valid until it is sent.  About 2 KiB: fine on a stack. */
struct wire_frame {
    uint8_t head[WIRE_HEAD_MAX];
    struct iovec iov[1 + WIRE_MAX_IOVEC];
    int n_iov;
    size_t len; /* the whole datagram */
};

/*
 * Encodes @p m into @p f.  0, or -1 if the message breaks its own rules
 * (an unknown type, a count past its maximum, a string too long, a
 * datagram past WIRE_MAX_MSG): a bug of the sender, never sent.
 */
int wire_encode(struct wire_frame *f, const struct wire_msg *m);

/*
 * Decodes the datagram @p buf of @p len bytes into @p m (payload pointers
 * into @p buf).  0, or -1 if it is malformed: short, of another protocol
 * version, of an unknown type, with a field out of range or bytes left over.
 */
int wire_decode(const void *buf, size_t len, struct wire_msg *m);

/*
 * Starts @p m as an empty message of @p type: its header and its type's
 * member of the union zeroed, nothing else written (the union is 1.5 KiB for
 * S_CONFIG's sake; a reply's member is a few dozen bytes).
 */
void wire_msg_init(struct wire_msg *m, uint16_t type);

/* The bytes of a message of @p type that hold anything: its header and its
 * type's member (the header alone for an unknown type).  What a copy of a
 * message needs. */
size_t wire_msg_size(uint16_t type);

/* The message type's name ("C_CALL"), or "?" for an unknown one. */
const char *wire_type_name(uint16_t type);

/*
 * Sends the frame, passing @p fd (or -1) with SCM_RIGHTS.  Returns 0, or -1
 * with errno (EAGAIN on a full non-blocking socket; EFAULT if a payload
 * buffer is unreadable).
 */
int wire_send(int sock, const struct wire_frame *f, int fd);

/* wire_send() with @p n_fds (0..WIRE_MAX_FDS) descriptors. */
#define WIRE_MAX_FDS 2
int wire_send_fds(int sock, const struct wire_frame *f, const int *fds, int n_fds);

/*
 * Receives one datagram into buf.  Returns its length, 0 at end of stream,
 * or -1 with errno; a truncated datagram or more than one passed fd is
 * EBADMSG.  *fd is the passed descriptor (close-on-exec) or -1; it is
 * closed (and *fd -1) whenever the return is not positive.
 */
long wire_recv(int sock, void *buf, size_t cap, int *fd);

/* wire_recv() taking up to WIRE_MAX_FDS descriptors into @p fds (the rest
 * -1), *n_fds of them; more is EBADMSG. */
long wire_recv_fds(int sock, void *buf, size_t cap, int fds[WIRE_MAX_FDS], int *n_fds);

#endif /* PARTIX_WIRE_H */
