/*
 * raw.h - a client socket driven request by request, for tests that must do
 * what libpsa-client never does: pipeline requests without waiting for
 * their replies, never read them, or stop reading halfway.  Every byte of
 * every message is crafted in raw.c and nowhere else; this interface
 * carries no codec type, so a new codec changes raw.c alone.
 */
#ifndef PARTIX_RAW_H
#define PARTIX_RAW_H

#include <stddef.h>
#include <stdint.h>

#include "psa/client.h"

/* How long a blocking send or receive on a raw socket may wait: a daemon
 * that hangs fails the test instead of hanging it. */
#define RAW_TIMEOUT_S 10

/* The replies a client can get. */
enum raw_kind { RAW_VERSION, RAW_CONNECT, RAW_CALL, RAW_CLOSE, RAW_OTHER };

struct raw_reply {
    enum raw_kind kind;
    uint32_t seq;
    /* R_VERSION: the version; R_CONNECT: the handle (> 0) or a status;
     * R_CALL, R_CLOSE: the status */
    int32_t value;
    /* R_CONNECT of a direct connection: its area and doorbell (chan.h),
     * the caller's to close; else -1 */
    int area, doorbell;
};

/* A blocking socket connected to the daemon at @p path (its send and
 * receive time out after RAW_TIMEOUT_S); -1 with errno. */
int raw_open(const char *path);

/* Each sends one request with sequence number @p seq: 0, or -1 with errno
 * (EAGAIN on a full non-blocking socket, EPIPE once the daemon dropped it,
 * EMSGSIZE for a call too large to travel inline). */
int raw_send_version(int fd, uint32_t seq, uint32_t sid);
int raw_send_connect(int fd, uint32_t seq, uint32_t sid, uint32_t version);
int raw_send_call(int fd, uint32_t seq, psa_handle_t handle, int32_t type, const psa_invec *in,
                  size_t n_in, const uint32_t *out_len, size_t n_out);
int raw_send_close(int fd, uint32_t seq, psa_handle_t handle);
/* A large call: its vectors (@p in_len input bytes, then @p out_len for
 * the output) in memory object @p memfd, passed with it as is, whatever
 * its seals or access mode. */
int raw_send_call_memfd(int fd, uint32_t seq, psa_handle_t handle, int32_t type, int memfd,
                        uint32_t in_len, uint32_t out_len);

/* A datagram of no bytes carrying descriptor @p passfd: the daemon reads
 * it as the end of the stream, and must not keep the descriptor. */
int raw_send_empty_fd(int fd, int passfd);
/* A well-formed message no client may send (a reply to a version
 * request): the daemon drops the socket, logging why. */
int raw_send_foreign(int fd, uint32_t seq);

/* Receives one reply: 1, 0 once the daemon closed the socket, or -1 with
 * errno (EAGAIN: none yet, or none within RAW_TIMEOUT_S; EBADMSG: a reply
 * that is not a well-formed one). */
int raw_recv(int fd, struct raw_reply *r);

#endif
