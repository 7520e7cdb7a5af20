/* raw.c - see raw.h: the only place the tests build or read messages. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "raw.h"
#include "wire.h"

int raw_open(const char *path)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    struct timeval tv = {RAW_TIMEOUT_S, 0};
    int fd;

    if (strlen(path) >= sizeof(sa.sun_path)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    /* the send timeout bounds connect() too, should the daemon stop accepting */
    if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv)) < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ||
        connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        int err = errno;

        close(fd);
        errno = err;
        return -1;
    }
    return fd;
}

/* Encodes and sends @p m; 0, or -1 with errno. */
static int send_msg(int fd, const struct wire_msg *m)
{
    struct wire_frame f;

    if (wire_encode(&f, m) < 0) {
        errno = EINVAL;
        return -1;
    }
    return wire_send(fd, &f, -1);
}

int raw_send_version(int fd, uint32_t seq, uint32_t sid)
{
    struct wire_msg m = {.type = WIRE_C_VERSION, .seq = seq};

    m.u.version_req.sid = sid;
    return send_msg(fd, &m);
}

int raw_send_connect(int fd, uint32_t seq, uint32_t sid, uint32_t version)
{
    struct wire_msg m = {.type = WIRE_C_CONNECT, .seq = seq};

    m.u.connect_req.sid = sid;
    m.u.connect_req.version = version;
    return send_msg(fd, &m);
}

int raw_send_call(int fd, uint32_t seq, psa_handle_t handle, int32_t type, const psa_invec *in,
                  size_t n_in, const uint32_t *out_len, size_t n_out)
{
    struct wire_msg m = {.type = WIRE_C_CALL, .seq = seq};
    struct wire_call_req *c = &m.u.call_req;
    size_t i;

    if (n_in + n_out > WIRE_MAX_IOVEC) {
        errno = EINVAL;
        return -1;
    }
    c->handle = handle;
    c->type = type;
    c->flags = 0; /* inline: no memfd */
    c->vecs.n_in = (uint8_t)n_in;
    c->vecs.n_out = (uint8_t)n_out;
    for (i = 0; i < n_in; i++) {
        c->vecs.in_len[i] = (uint32_t)in[i].len;
        c->in[i] = in[i].base;
    }
    for (i = 0; i < n_out; i++)
        c->vecs.out_len[i] = out_len[i];
    if (wire_vecs_in_total(&c->vecs) + wire_vecs_out_total(&c->vecs) > WIRE_INLINE_MAX) {
        errno = EMSGSIZE;
        return -1;
    }
    return send_msg(fd, &m);
}

int raw_send_call_memfd(int fd, uint32_t seq, psa_handle_t handle, int32_t type, int memfd,
                        uint32_t in_len, uint32_t out_len)
{
    struct wire_msg m = {.type = WIRE_C_CALL, .seq = seq};
    struct wire_call_req *c = &m.u.call_req;
    struct wire_frame f;

    c->handle = handle;
    c->type = type;
    c->flags = WIRE_CALL_MEMFD;
    c->vecs.n_in = 1;
    c->vecs.n_out = 1;
    c->vecs.in_len[0] = in_len;
    c->vecs.out_len[0] = out_len;
    if (wire_encode(&f, &m) < 0) {
        errno = EMSGSIZE;
        return -1;
    }
    return wire_send(fd, &f, memfd);
}

int raw_send_close(int fd, uint32_t seq, psa_handle_t handle)
{
    struct wire_msg m = {.type = WIRE_C_CLOSE, .seq = seq};

    m.u.close_req.handle = handle;
    return send_msg(fd, &m);
}

int raw_send_empty_fd(int fd, int passfd)
{
    struct wire_frame f = {.n_iov = 1, .len = 0};

    f.iov[0].iov_base = f.head;
    f.iov[0].iov_len = 0;
    return wire_send(fd, &f, passfd);
}

int raw_send_foreign(int fd, uint32_t seq)
{
    struct wire_msg m = {.type = WIRE_R_VERSION, .seq = seq};

    m.u.version_rep.version = 1;
    return send_msg(fd, &m);
}

int raw_recv(int fd, struct raw_reply *r)
{
    static uint8_t buf[WIRE_MAX_MSG];
    struct wire_msg m;
    int fds[WIRE_MAX_FDS], n_fds, i;
    long len;

    r->area = r->doorbell = -1;
    len = wire_recv_fds(fd, buf, sizeof(buf), fds, &n_fds);
    if (len <= 0)
        return len == 0 ? 0 : -1;
    if (wire_decode(buf, (size_t)len, &m) < 0 ||
        (n_fds > 0 && !(n_fds == 2 && m.type == WIRE_R_CONNECT))) {
        for (i = 0; i < n_fds; i++)
            close(fds[i]);
        errno = EBADMSG;
        return -1;
    }
    if (n_fds == 2) {
        r->area = fds[0];
        r->doorbell = fds[1];
    }
    r->seq = m.seq;
    r->value = 0;
    switch (m.type) {
    case WIRE_R_VERSION:
        r->kind = RAW_VERSION;
        r->value = (int32_t)m.u.version_rep.version;
        break;
    case WIRE_R_CONNECT:
        r->kind = RAW_CONNECT;
        r->value = m.u.connect_rep.result;
        break;
    case WIRE_R_CALL:
        r->kind = RAW_CALL;
        r->value = m.u.call_rep.status;
        break;
    case WIRE_R_CLOSE:
        r->kind = RAW_CLOSE;
        r->value = m.u.status_rep.status;
        break;
    default:
        r->kind = RAW_OTHER;
        break;
    }
    return 1;
}
