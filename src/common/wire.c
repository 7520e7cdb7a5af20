/*
 * wire.c - the codec and datagram I/O of wire.h.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "wire.h"

static void put(struct wire_out *w, const void *p, size_t n)
{
    if (n == 0)
        return;
    if (w->overflow || n > sizeof(w->buf) - w->len) {
        w->overflow = true;
        return;
    }
    memcpy(w->buf + w->len, p, n);
    w->len += n;
}

void wire_put_u8(struct wire_out *w, uint8_t v)
{
    put(w, &v, 1);
}

void wire_put_u16(struct wire_out *w, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};

    put(w, b, sizeof(b));
}

void wire_put_u32(struct wire_out *w, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};

    put(w, b, sizeof(b));
}

void wire_put_i32(struct wire_out *w, int32_t v)
{
    wire_put_u32(w, (uint32_t)v);
}

void wire_put_u64(struct wire_out *w, uint64_t v)
{
    wire_put_u32(w, (uint32_t)v);
    wire_put_u32(w, (uint32_t)(v >> 32));
}

void wire_put_bytes(struct wire_out *w, const void *p, size_t n)
{
    put(w, p, n);
}

void wire_put_str(struct wire_out *w, const char *s)
{
    size_t n = strlen(s);

    if (n > UINT16_MAX) {
        w->overflow = true;
        return;
    }
    wire_put_u16(w, (uint16_t)n);
    put(w, s, n);
}

void wire_begin(struct wire_out *w, uint16_t type, uint32_t seq)
{
    w->len = 0;
    w->overflow = false;
    wire_put_u16(w, WIRE_VERSION);
    wire_put_u16(w, type);
    wire_put_u32(w, seq);
}

void wire_put_vecs(struct wire_out *w, const struct wire_vecs *v)
{
    unsigned i;

    wire_put_u8(w, v->n_in);
    wire_put_u8(w, v->n_out);
    for (i = 0; i < v->n_in && i < WIRE_MAX_IOVEC; i++)
        wire_put_u32(w, v->in_len[i]);
    for (i = 0; i < v->n_out && i < WIRE_MAX_IOVEC; i++)
        wire_put_u32(w, v->out_len[i]);
}

static int get(struct wire_in *m, void *p, size_t n)
{
    if (m->len - m->off < n)
        return -1;
    memcpy(p, m->p + m->off, n);
    m->off += n;
    return 0;
}

int wire_get_u8(struct wire_in *m, uint8_t *v)
{
    return get(m, v, 1);
}

int wire_get_u16(struct wire_in *m, uint16_t *v)
{
    uint8_t b[2];

    if (get(m, b, sizeof(b)))
        return -1;
    *v = (uint16_t)(b[0] | b[1] << 8);
    return 0;
}

int wire_get_u32(struct wire_in *m, uint32_t *v)
{
    uint8_t b[4];

    if (get(m, b, sizeof(b)))
        return -1;
    *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return 0;
}

int wire_get_i32(struct wire_in *m, int32_t *v)
{
    uint32_t u;

    if (wire_get_u32(m, &u))
        return -1;
    *v = (int32_t)u;
    return 0;
}

int wire_get_u64(struct wire_in *m, uint64_t *v)
{
    uint32_t lo, hi;
    size_t off = m->off;

    if (wire_get_u32(m, &lo) || wire_get_u32(m, &hi)) {
        m->off = off;
        return -1;
    }
    *v = (uint64_t)hi << 32 | lo;
    return 0;
}

int wire_get_bytes(struct wire_in *m, size_t n, const uint8_t **p)
{
    if (m->len - m->off < n)
        return -1;
    *p = m->p + m->off;
    m->off += n;
    return 0;
}

int wire_get_str(struct wire_in *m, char *out, size_t max)
{
    size_t off = m->off;
    const uint8_t *p;
    uint16_t n;

    if (wire_get_u16(m, &n) || n >= max || wire_get_bytes(m, n, &p) || memchr(p, 0, n)) {
        m->off = off;
        return -1;
    }
    memcpy(out, p, n);
    out[n] = '\0';
    return 0;
}

int wire_get_vecs(struct wire_in *m, struct wire_vecs *v)
{
    size_t off = m->off;
    uint64_t total = 0;
    unsigned i;

    memset(v, 0, sizeof(*v));
    if (wire_get_u8(m, &v->n_in) || wire_get_u8(m, &v->n_out) ||
        v->n_in + v->n_out > WIRE_MAX_IOVEC)
        goto bad;
    for (i = 0; i < v->n_in; i++)
        if (wire_get_u32(m, &v->in_len[i]))
            goto bad;
    for (i = 0; i < v->n_out; i++)
        if (wire_get_u32(m, &v->out_len[i]))
            goto bad;
    total = wire_vecs_in_total(v) + wire_vecs_out_total(v);
    if (total > WIRE_MAX_PAYLOAD)
        goto bad;
    return 0;
bad:
    m->off = off;
    memset(v, 0, sizeof(*v));
    return -1;
}

uint64_t wire_vecs_in_total(const struct wire_vecs *v)
{
    uint64_t t = 0;
    unsigned i;

    for (i = 0; i < v->n_in && i < WIRE_MAX_IOVEC; i++)
        t += v->in_len[i];
    return t;
}

uint64_t wire_vecs_out_total(const struct wire_vecs *v)
{
    uint64_t t = 0;
    unsigned i;

    for (i = 0; i < v->n_out && i < WIRE_MAX_IOVEC; i++)
        t += v->out_len[i];
    return t;
}

int wire_open(struct wire_in *m, const void *buf, size_t len)
{
    uint16_t version;

    m->p = buf;
    m->len = len;
    m->off = 0;
    if (wire_get_u16(m, &version) || wire_get_u16(m, &m->type) || wire_get_u32(m, &m->seq))
        return -1;
    return version == WIRE_VERSION ? 0 : -1;
}

int wire_end(const struct wire_in *m)
{
    return m->off != m->len;
}

int wire_sendv(int sock, const struct wire_out *w, const struct iovec *extra, int n_extra, int fd)
{
    union {
        char buf[CMSG_SPACE(sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct iovec iov[1 + WIRE_MAX_IOVEC];
    struct msghdr mh = {.msg_iov = iov, .msg_iovlen = 1};
    size_t want = w->len;
    ssize_t n;
    int i;

    if (w->overflow || n_extra < 0 || n_extra > WIRE_MAX_IOVEC) {
        errno = EMSGSIZE;
        return -1;
    }
    iov[0].iov_base = (void *)(uintptr_t)w->buf;
    iov[0].iov_len = w->len;
    for (i = 0; i < n_extra; i++) {
        iov[1 + i] = extra[i];
        want += extra[i].iov_len;
    }
    mh.msg_iovlen = (size_t)(1 + n_extra);
    if (want > WIRE_MAX_MSG) {
        errno = EMSGSIZE;
        return -1;
    }
    if (fd >= 0) {
        struct cmsghdr *c;

        memset(&ctl, 0, sizeof(ctl));
        mh.msg_control = ctl.buf;
        mh.msg_controllen = sizeof(ctl.buf);
        c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof(int));
    }
    do {
        n = sendmsg(sock, &mh, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    if ((size_t)n != want) { /* cannot happen on SOCK_SEQPACKET */
        errno = EMSGSIZE;
        return -1;
    }
    return 0;
}

int wire_send(int sock, const struct wire_out *w, int fd)
{
    return wire_sendv(sock, w, NULL, 0, fd);
}

long wire_recv(int sock, void *buf, size_t cap, int *fd)
{
    union {
        char buf[CMSG_SPACE(4 * sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct iovec iov = {buf, cap};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
    struct cmsghdr *c;
    int nfds = 0, bad = 0;
    ssize_t n;

    *fd = -1;
    mh.msg_control = ctl.buf;
    mh.msg_controllen = sizeof(ctl.buf);
    do {
        n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
        size_t i, k;

        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
            bad = 1;
            continue;
        }
        k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (i = 0; i < k; i++) {
            int got;

            memcpy(&got, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
            if (nfds++ == 0)
                *fd = got;
            else
                close(got);
        }
    }
    if (nfds > 1 || bad || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
        if (*fd >= 0)
            close(*fd);
        *fd = -1;
        errno = EBADMSG;
        return -1;
    }
    return (long)n;
}
