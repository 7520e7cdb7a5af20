/*
 * wire.h - the one protocol partix speaks: between libpsa-client and
 * psa-spm on the client socket, and between psa-spm and each partition on
 * its channel.  Both are SOCK_SEQPACKET, so a message is one datagram: no
 * framing, and a short or oversized datagram is simply malformed.
 *
 * Every message starts with an 8-byte header (u16 version, u16 type,
 * u32 seq) followed by fixed-width little-endian fields.  Lengths are u32;
 * nothing of the C ABI (pointers, size_t, struct layout) crosses the wire.
 * The codec below refuses short fields and trailing bytes, and every reader
 * works on its own copy of the datagram, so a peer cannot change a length
 * after it was checked.
 *
 * Payloads: the bytes of the input vectors follow the header inline when
 * the call is small.  Above WIRE_INLINE_MAX the client passes a sealed
 * memfd instead (input vectors, then room for the output vectors), and the
 * datagram carries only the lengths.
 */
#ifndef PARTIX_WIRE_H
#define PARTIX_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WIRE_VERSION 1
#define WIRE_HEADER_SIZE 8
#define WIRE_MAX_MSG (80u * 1024u)    /* largest datagram either side accepts */
#define WIRE_INLINE_MAX (64u * 1024u) /* payload bytes carried inline at most */
#define WIRE_MAX_PAYLOAD (256u << 20) /* a call's in + out bytes at most */
#define WIRE_MAX_IOVEC 4
#define WIRE_MAX_NAME 128
#define WIRE_MAX_LOG 512

/* Message types.  C_: client -> SPM, R_: SPM -> client,
 * P_: partition -> SPM, S_: SPM -> partition. */
enum wire_type {
    WIRE_C_VERSION = 1, /* u32 sid */
    WIRE_C_CONNECT,     /* u32 sid, u32 version */
    WIRE_C_CALL,        /* i32 handle, i32 type, call vectors, payload */
    WIRE_C_CLOSE,       /* i32 handle */
    WIRE_C_IRQ,         /* str source, u8 level: drive a board interrupt line (control) */
    WIRE_C_BUFFER,      /* u64 size: a partition asks for a large call's memfd */

    WIRE_R_VERSION = 16, /* u32 version */
    WIRE_R_CONNECT,      /* i32 handle or status */
    WIRE_R_CALL,         /* i32 status, u8 n_out, u32 written[n_out], out bytes */
    WIRE_R_CLOSE,        /* i32 status */
    WIRE_R_IRQ,          /* i32 status */
    WIRE_R_BUFFER,       /* i32 status (+ fd: a fresh memfd of the size, sealed against resizing) */

    /* P_HELLO: str partition name, u8 n, {u32 sid, u32 signal}[n],
     *          u8 m, {u32 signal, u8 flih}[m] */
    WIRE_P_HELLO = 32,
    WIRE_P_READY,     /* i32 Landlock ABI: sandboxed, about to run the entry point */
    WIRE_P_REPLY,     /* i32 msg, i32 status, u8 set, u64 rhandle, u8 n, u32 written[n], bytes */
    WIRE_P_PANIC,     /* str reason */
    WIRE_P_LOG,       /* u8 level, str text */
    WIRE_P_VIOLATION, /* i32 syscall number, u32 audit arch */
    WIRE_P_NOTIFY,    /* i32 partition id: psa_notify() */
    WIRE_P_IRQ,       /* u32 signal, u8 WIRE_IRQ_*: psa_irq_enable/disable, psa_eoi */
    WIRE_P_MMIO,      /* u8 region index, u32 register offset, u32 value: a device write */
    /* P_RESET: u32 reset syndrome, u8 n, i32 msg[n]: tfm_hal_system_reset(), with the
     *          calls the partition has taken and not answered (n <= WIRE_RESET_MAX_CALLS) */
    WIRE_P_RESET,

    /* S_CONFIG: i32 pid, u8 log level, u32 lifecycle,
     *           u8 n, {u32 sid, u32 signal, u32 version, u8 flags}[n],
     *           u16 m, i32 partition ids[m], u8 regions (S_REGIONs that follow),
     *           u8 storage (1: the storage profile, its directory at fd 5) */
    WIRE_S_CONFIG = 48,
    /* S_MSG: i32 msg handle, i32 type, i32 client id, u64 rhandle, u32 signal,
     *        u8 flags, vecs, then the input bytes unless WIRE_CALL_MEMFD */
    WIRE_S_MSG,
    WIRE_S_DOORBELL, /* (empty): assert PSA_DOORBELL */
    WIRE_S_STOP,     /* (empty): the system is stopping; report, then exit */
    WIRE_S_IRQ,      /* u32 signal: the interrupt fired (SLIH: assert; FLIH: run the handler) */
    /* S_REGION (+ fd): u8 index, u64 map base, u64 map length, u64 base, u64 size,
     *                  u8 writable, u8 trap, u8 otp, str name; after S_CONFIG, one per region */
    WIRE_S_REGION,
};

/* P_IRQ operations. */
#define WIRE_IRQ_ENABLE 1
#define WIRE_IRQ_DISABLE 2
#define WIRE_IRQ_EOI 3

/* Calls a P_RESET names at most. */
#define WIRE_RESET_MAX_CALLS 16

/* Exit status of a partition that panicked (after sending P_PANIC). */
#define WIRE_EXIT_PANIC 99

/* Service flags in WIRE_S_CONFIG. */
#define WIRE_SVC_CONNECTION_BASED 0x01u
#define WIRE_SVC_MM_IOVEC 0x02u

/* The bit that marks a stateless handle (FF-M's encoding, as sid.h's
 * <SVC>_HANDLE values carry it). */
#define WIRE_STATELESS_BIT (1u << 30)

/* Call flags. */
#define WIRE_CALL_MEMFD 0x01u /* payload in the passed memfd, not inline */

/* Log levels of P_LOG: TF-M's TFM_PARTITION_LOG_LEVEL_* values. */
#define WIRE_LOG_ERROR 1
#define WIRE_LOG_INFO 2
#define WIRE_LOG_DEBUG 3

/* A datagram being built. */
struct wire_out {
    uint8_t buf[WIRE_MAX_MSG];
    size_t len;
    bool overflow;
};

/* A received datagram being read. */
struct wire_in {
    const uint8_t *p;
    size_t len;
    size_t off;
    uint16_t type;
    uint32_t seq;
};

/* Vectors of a call, as both hops carry them. */
struct wire_vecs {
    uint8_t n_in, n_out;
    uint32_t in_len[WIRE_MAX_IOVEC];
    uint32_t out_len[WIRE_MAX_IOVEC];
};

void wire_begin(struct wire_out *w, uint16_t type, uint32_t seq);
void wire_put_u8(struct wire_out *w, uint8_t v);
void wire_put_u16(struct wire_out *w, uint16_t v);
void wire_put_u32(struct wire_out *w, uint32_t v);
void wire_put_i32(struct wire_out *w, int32_t v);
void wire_put_u64(struct wire_out *w, uint64_t v);
void wire_put_bytes(struct wire_out *w, const void *p, size_t n);
void wire_put_str(struct wire_out *w, const char *s); /* u16 length + bytes */
void wire_put_vecs(struct wire_out *w, const struct wire_vecs *v);

/* Parses the header; nonzero if short or of another protocol version. */
int wire_open(struct wire_in *m, const void *buf, size_t len);
/* Each returns nonzero, and consumes nothing, if the field is not there. */
int wire_get_u8(struct wire_in *m, uint8_t *v);
int wire_get_u16(struct wire_in *m, uint16_t *v);
int wire_get_u32(struct wire_in *m, uint32_t *v);
int wire_get_i32(struct wire_in *m, int32_t *v);
int wire_get_u64(struct wire_in *m, uint64_t *v);
int wire_get_bytes(struct wire_in *m, size_t n, const uint8_t **p);
/* A string of at most max - 1 bytes without NUL, copied and terminated. */
int wire_get_str(struct wire_in *m, char *out, size_t max);
/* n_in + n_out <= WIRE_MAX_IOVEC and a total <= WIRE_MAX_PAYLOAD. */
int wire_get_vecs(struct wire_in *m, struct wire_vecs *v);
/* Nonzero if bytes are left over. */
int wire_end(const struct wire_in *m);

uint64_t wire_vecs_in_total(const struct wire_vecs *v);
uint64_t wire_vecs_out_total(const struct wire_vecs *v);

/*
 * Sends the datagram, passing @p fd (or -1) with SCM_RIGHTS.  Returns 0,
 * or -1 with errno (EAGAIN on a full non-blocking socket, EMSGSIZE if the
 * builder overflowed).
 */
int wire_send(int sock, const struct wire_out *w, int fd);

/*
 * As wire_send(), with @p extra buffers appended to the datagram straight
 * from the caller's memory (the kernel reports an unreadable one: EFAULT).
 */
struct iovec;
int wire_sendv(int sock, const struct wire_out *w, const struct iovec *extra, int n_extra, int fd);

/*
 * Receives one datagram into buf.  Returns its length, 0 at end of stream,
 * or -1 with errno; a truncated datagram or more than one passed fd is
 * EBADMSG.  *fd is the passed descriptor (close-on-exec) or -1.
 */
long wire_recv(int sock, void *buf, size_t cap, int *fd);

#endif /* PARTIX_WIRE_H */
