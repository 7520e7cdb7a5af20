/*
 * client.c - libpsa-client: the PSA client API for Linux programs.
 *
 * Each thread talks to psa-spm over its own socket (opened on first use,
 * closed when the thread ends), so calls from different threads run in
 * parallel; the SPM groups a process's sockets, and handles belong to the
 * process.  Every request waits for its one reply.  Without an SPM, or when
 * it dies mid-call, the functions return errors at once: they never hang.
 *
 * Calls whose vectors total at most WIRE_INLINE_MAX bytes travel inside the
 * datagram; bigger ones in a sealed memfd passed with it.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "client_int.h"
#include "paths.h"
#include "partix/control.h"
#include "psa/client.h"
#include "wire.h"

/* This thread's socket, sequence number and reply buffer; the pthread key
 * (set once the thread has either) frees them when the thread ends. */
struct tl_state {
    int sock;
    uint32_t seq;
    uint8_t *buf; /* grown to the largest reply this thread has waited for */
    size_t cap;
};

static __thread struct tl_state tl = {.sock = -1};
static pthread_key_t tl_key;
static pthread_once_t tl_once = PTHREAD_ONCE_INIT;

static void free_at_thread_exit(void *p)
{
    struct tl_state *t = p;

    if (t->sock >= 0)
        close(t->sock);
    t->sock = -1;
    free(t->buf);
    t->buf = NULL;
    t->cap = 0;
}

/* A forked child must not speak with its parent's identity. */
static void after_fork_in_child(void)
{
    if (tl.sock >= 0)
        close(tl.sock);
    tl.sock = -1;
}

static void init_once(void)
{
    pthread_key_create(&tl_key, free_at_thread_exit);
    pthread_atfork(NULL, NULL, after_fork_in_child);
}

static void drop_socket(void)
{
    if (tl.sock >= 0)
        close(tl.sock);
    tl.sock = -1;
}

static int get_socket(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    char path[sizeof(sa.sun_path)];
    int fd;

    if (tl.sock >= 0)
        return tl.sock;
    pthread_once(&tl_once, init_once);
    if (partix_default_socket(path, sizeof(path)) < 0)
        return -1;
    memcpy(sa.sun_path, path, sizeof(path));
    fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        close(fd);
        return -1;
    }
    tl.sock = fd;
    pthread_setspecific(tl_key, &tl);
    return fd;
}

/* Room for a reply of @p size bytes: allocated on first use, grown as
 * calls need it, kept for the thread's next ones. */
static uint8_t *reply_buffer(size_t size)
{
    uint8_t *p;

    if (size <= tl.cap)
        return tl.buf;
    p = realloc(tl.buf, size);
    if (p == NULL)
        return NULL;
    tl.buf = p;
    tl.cap = size;
    pthread_setspecific(tl_key, &tl); /* get_socket() ran pthread_once */
    return p;
}

/* Whether a request names nothing that only the SPM it was built for knows. */
static bool resendable(const struct wire_msg *m)
{
    switch (m->type) {
    case WIRE_C_VERSION:
    case WIRE_C_CONNECT:
    case WIRE_C_IRQ:
        return true;
    case WIRE_C_CALL:
        return wire_is_stateless(m->u.call_req.handle);
    default:
        return false;
    }
}

/*
 * Sends request @p m (with @p fd, or -1) and decodes its reply, of at most
 * @p room bytes, into @p r (its payload points into this thread's buffer).
 * Returns 0; -2 if an input vector is unreadable; or -1 (the socket is
 * dropped: no SPM, or it died, or it answered nonsense).
 */
static int transact(struct wire_msg *m, int fd, uint16_t reply_type, size_t room,
                    struct wire_msg *r)
{
    bool reused = tl.sock >= 0;
    int sock = get_socket();
    struct wire_frame f;
    uint8_t *buf;
    long len;
    int got_fd;

    if (sock < 0)
        return -1;
    m->seq = ++tl.seq;
    if (wire_encode(&f, m) < 0)
        return -1;
    buf = reply_buffer(room);
    if (buf == NULL)
        return -1;
    while (wire_send(sock, &f, fd) < 0) {
        if (errno == EFAULT)
            return -2; /* an unreadable input vector */
        drop_socket();
        /* The SPM this thread spoke with has gone, and the request never
         * reached it.  A request that means the same to its successor
         * (version, connect, a stateless call, an interrupt line) goes
         * there once. */
        if (!reused || !resendable(m) || (errno != EPIPE && errno != ECONNRESET))
            return -1;
        reused = false;
        sock = get_socket();
        if (sock < 0)
            return -1;
    }
    len = wire_recv(sock, buf, room, &got_fd);
    if (got_fd >= 0)
        close(got_fd);
    if (len <= 0 || got_fd >= 0 || wire_decode(buf, (size_t)len, r) < 0 || r->type != reply_type ||
        r->seq != m->seq) {
        drop_socket();
        return -1;
    }
    return 0;
}

uint32_t psa_framework_version(void)
{
    return PSA_FRAMEWORK_VERSION;
}

uint32_t psa_version(uint32_t sid)
{
    struct wire_msg m, r;

    m.type = WIRE_C_VERSION;
    m.u.version_req.sid = sid;
    if (transact(&m, -1, WIRE_R_VERSION, WIRE_HEAD_MAX, &r) < 0)
        return PSA_VERSION_NONE;
    return r.u.version_rep.version;
}

psa_handle_t psa_connect(uint32_t sid, uint32_t version)
{
    struct wire_msg m, r;

    m.type = WIRE_C_CONNECT;
    m.u.connect_req.sid = sid;
    m.u.connect_req.version = version;
    if (transact(&m, -1, WIRE_R_CONNECT, WIRE_HEAD_MAX, &r) < 0)
        return PSA_ERROR_CONNECTION_REFUSED;
    return r.u.connect_rep.result;
}

void psa_close(psa_handle_t handle)
{
    struct wire_msg m, r;

    if (handle == PSA_NULL_HANDLE)
        return;
    m.type = WIRE_C_CLOSE;
    m.u.close_req.handle = handle;
    (void)transact(&m, -1, WIRE_R_CLOSE, WIRE_HEAD_MAX, &r); /* psa_close returns nothing */
}

/* Puts the inputs into a sealed memfd with room for the outputs. */
static int make_memfd(const psa_invec *in_vec, size_t in_len, uint64_t total)
{
    off_t off = 0;
    size_t i;
    int fd = (int)syscall(SYS_memfd_create, "psa-call", MFD_CLOEXEC | MFD_ALLOW_SEALING);

    if (fd < 0)
        return -1;
    if (ftruncate(fd, (off_t)total) < 0)
        goto fail;
    for (i = 0; i < in_len; i++) {
        if (in_vec[i].len > 0 &&
            pwrite(fd, in_vec[i].base, in_vec[i].len, off) != (ssize_t)in_vec[i].len)
            goto fail; /* EFAULT: an unreadable input vector */
        off += (off_t)in_vec[i].len;
    }
    if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL) < 0)
        goto fail;
    return fd;
fail:
    close(fd);
    return -1;
}

psa_status_t psa_call(psa_handle_t handle, int32_t type, const psa_invec *in_vec, size_t in_len,
                      psa_outvec *out_vec, size_t out_len)
{
    struct wire_msg m, r;
    struct wire_call_req *req = &m.u.call_req;
    psa_status_t st;
    int memfd = -1, rc;

    m.type = WIRE_C_CALL;
    st = partix_check_vectors(type, in_vec, in_len, out_vec, out_len, true);
    if (st == PSA_SUCCESS)
        st = partix_call_request(req, handle, type, in_vec, in_len, out_vec, out_len);
    if (st != PSA_SUCCESS)
        return st;
    if (req->flags & WIRE_CALL_MEMFD) {
        memfd = make_memfd(in_vec, in_len,
                           wire_vecs_in_total(&req->vecs) + wire_vecs_out_total(&req->vecs));
        if (memfd < 0)
            return errno == EFAULT ? PSA_ERROR_PROGRAMMER_ERROR : PSA_ERROR_INSUFFICIENT_MEMORY;
    }
    rc = transact(&m, memfd, WIRE_R_CALL, partix_call_reply_size(req), &r);
    if (rc == -2)
        st = PSA_ERROR_PROGRAMMER_ERROR;
    else if (rc < 0 || partix_call_outputs(req, &r.u.call_rep, out_vec, out_len, NULL, memfd) < 0)
        st = PSA_ERROR_COMMUNICATION_FAILURE;
    else
        st = r.u.call_rep.status;
    if (memfd >= 0)
        close(memfd);
    if (rc != 0)
        for (size_t i = 0; i < out_len; i++)
            out_vec[i].len = 0;
    return st;
}

psa_status_t partix_irq_set(const char *source, int level)
{
    struct wire_msg m, r;
    size_t n;

    if (source == NULL || (n = strlen(source)) >= sizeof(m.u.irq_req.source))
        return PSA_ERROR_INVALID_ARGUMENT;
    m.type = WIRE_C_IRQ;
    memcpy(m.u.irq_req.source, source, n + 1);
    m.u.irq_req.level = level != 0;
    if (transact(&m, -1, WIRE_R_IRQ, WIRE_HEAD_MAX, &r) < 0)
        return PSA_ERROR_COMMUNICATION_FAILURE;
    return r.u.status_rep.status;
}

psa_status_t partix_irq_raise(const char *source)
{
    return partix_irq_set(source, 1);
}

psa_status_t partix_irq_lower(const char *source)
{
    return partix_irq_set(source, 0);
}
