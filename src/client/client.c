/*
 * client.c - libpsa-client: the PSA client API for Linux programs.
 *
 * Each thread talks to psa-spm over its own socket (opened on first use,
 * closed when the thread ends), so calls from different threads run in
 * parallel; the SPM groups a process's sockets, and handles belong to the
 * process.  Every request waits for its one reply.  Without an SPM, or when
 * it dies mid-call, the functions return errors at once.  A psa-spm that is
 * alive but does not answer (stopped, overloaded) is waited for at most
 * PSA_SPM_TIMEOUT_MS (below); a partition's own time is psa-spm's to bound.
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
#include <linux/sockios.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
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

/* What transact() returns besides 0. */
enum {
    T_FAILED = -1,    /* no SPM, it died, or it answered nonsense */
    T_BAD_INPUT = -2, /* an input vector is unreadable */
    T_TIMED_OUT = -3, /* psa-spm is there but did not take the request, or answer it, in time */
};

/*
 * How long this process waits for psa-spm itself: to connect, to send a
 * request, to see psa-spm take it off the socket and, for what psa-spm
 * answers alone (version, close, interrupt lines), for the answer.  Read
 * once from PSA_SPM_TIMEOUT_MS; zero (no socket timeouts) waits for ever.
 */
#define SPM_TIMEOUT_MS_DEFAULT 10000
static struct timeval spm_timeout;

static void read_spm_timeout(void)
{
    const char *s = getenv("PSA_SPM_TIMEOUT_MS");
    unsigned long ms = SPM_TIMEOUT_MS_DEFAULT;
    char *end;

    if (s != NULL && *s >= '0' && *s <= '9') {
        errno = 0;
        ms = strtoul(s, &end, 10);
        if (errno != 0 || *end != '\0' || ms > INT32_MAX)
            ms = SPM_TIMEOUT_MS_DEFAULT; /* never misread as 0, for ever */
    }
    spm_timeout.tv_sec = (time_t)(ms / 1000);
    spm_timeout.tv_usec = (suseconds_t)(ms % 1000) * 1000;
}

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
    partix_direct_forget_all();
}

static void init_once(void)
{
    pthread_key_create(&tl_key, free_at_thread_exit);
    pthread_atfork(NULL, NULL, after_fork_in_child);
    read_spm_timeout();
}

static void drop_socket(void)
{
    if (tl.sock >= 0)
        close(tl.sock);
    tl.sock = -1;
}

/* This thread's socket, connected: its fd, or -1 with errno (EAGAIN:
 * psa-spm's backlog stayed full for the whole timeout). */
static int get_socket(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    char path[sizeof(sa.sun_path)];
    int fd, rc;

    if (tl.sock >= 0)
        return tl.sock;
    pthread_once(&tl_once, init_once);
    if (partix_default_socket(path, sizeof(path)) < 0)
        return -1;
    memcpy(sa.sun_path, path, sizeof(path));
    fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    /* The send timeout bounds connect(2) too (AF_UNIX).  With a timeout
     * set the kernel never restarts these calls after a signal handler:
     * the loops here and in wire.c do. */
    if (spm_timeout.tv_sec != 0 || spm_timeout.tv_usec != 0)
        if (setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &spm_timeout, sizeof(spm_timeout)) < 0 ||
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &spm_timeout, sizeof(spm_timeout)) < 0)
            goto fail;
    do {
        rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
    } while (rc < 0 && errno == EINTR);
    if (rc < 0)
        goto fail;
    tl.sock = fd;
    pthread_setspecific(tl_key, &tl);
    return fd;
fail:
    rc = errno;
    close(fd);
    errno = rc;
    return -1;
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

/* Whether a partition gives the answer: the time it takes is then bounded
 * by psa-spm's watchdog (--call-timeout), not by the client. */
static bool partition_answers(const struct wire_msg *m)
{
    return m->type == WIRE_C_CONNECT || m->type == WIRE_C_CALL || m->type == WIRE_C_CLOSE;
}

/* Whether psa-spm has read this thread's request: the kernel charges a
 * datagram to its sender's socket until the receiver takes it. */
static bool request_taken(int sock)
{
    int queued;

    return ioctl(sock, SIOCOUTQ, &queued) == 0 && queued == 0;
}

/*
 * Sends request @p m (with @p fd, or -1) and decodes its reply, of at most
 * @p room bytes, into @p r (its payload points into this thread's buffer).
 * Returns 0 or a T_ status; on T_FAILED and T_TIMED_OUT the socket is
 * dropped, so a late reply never meets a later request.
 */
static int transact_fds(struct wire_msg *m, int fd, uint16_t reply_type, size_t room,
                        struct wire_msg *r, int fds[WIRE_MAX_FDS], int *n_fds);

static int transact(struct wire_msg *m, int fd, uint16_t reply_type, size_t room,
                    struct wire_msg *r)
{
    return transact_fds(m, fd, reply_type, room, r, NULL, NULL);
}

/* transact(), taking the descriptors the reply passes into @p fds (when
 * not NULL; else a reply with any is a failure). */
static int transact_fds(struct wire_msg *m, int fd, uint16_t reply_type, size_t room,
                        struct wire_msg *r, int fds[WIRE_MAX_FDS], int *n_fds)
{
    int got[WIRE_MAX_FDS], n_got = 0, i;
    bool reused = tl.sock >= 0;
    int sock = get_socket();
    struct wire_frame f;
    uint8_t *buf;
    long len;

    if (n_fds != NULL)
        *n_fds = 0;
    if (sock < 0)
        return errno == EAGAIN ? T_TIMED_OUT : T_FAILED;
    m->seq = ++tl.seq;
    if (wire_encode(&f, m) < 0)
        return T_FAILED;
    buf = reply_buffer(room);
    if (buf == NULL)
        return T_FAILED;
    while (wire_send(sock, &f, fd) < 0) {
        int err = errno;

        if (err == EFAULT)
            return T_BAD_INPUT;
        drop_socket();
        if (err == EAGAIN)
            return T_TIMED_OUT; /* psa-spm reads nothing of ours */
        /* The SPM this thread spoke with has gone, and the request never
         * reached it.  A request that means the same to its successor
         * (version, connect, a stateless call, an interrupt line) goes
         * there once. */
        if (!reused || !resendable(m) || (err != EPIPE && err != ECONNRESET))
            return T_FAILED;
        reused = false;
        sock = get_socket();
        if (sock < 0)
            return errno == EAGAIN ? T_TIMED_OUT : T_FAILED;
    }
    /* Once psa-spm has taken a call or a connect, its partition may take
     * as long as the watchdog lets it: wait on, one timeout at a time. */
    while ((len = wire_recv_fds(sock, buf, room, got, &n_got)) < 0 && errno == EAGAIN)
        if (!partition_answers(m) || !request_taken(sock)) {
            drop_socket();
            return T_TIMED_OUT;
        }
    if (len <= 0 || (n_got > 0 && fds == NULL) || wire_decode(buf, (size_t)len, r) < 0 ||
        r->type != reply_type || r->seq != m->seq) {
        for (i = 0; i < n_got; i++)
            close(got[i]);
        drop_socket();
        return T_FAILED;
    }
    for (i = 0; i < n_got; i++)
        fds[i] = got[i];
    if (n_fds != NULL)
        *n_fds = n_got;
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
    int fds[WIRE_MAX_FDS], n_fds, i;

    m.type = WIRE_C_CONNECT;
    m.u.connect_req.sid = sid;
    m.u.connect_req.version = version;
    switch (transact_fds(&m, -1, WIRE_R_CONNECT, WIRE_HEAD_MAX, &r, fds, &n_fds)) {
    case 0:
        /* a direct connection: its area and doorbell come with it */
        if (n_fds != 2 || r.u.connect_rep.result <= 0 ||
            partix_direct_add(r.u.connect_rep.result, fds[0], fds[1]) < 0)
            for (i = 0; i < n_fds; i++)
                close(fds[i]);
        return r.u.connect_rep.result;
    case T_TIMED_OUT:
        return PSA_ERROR_CONNECTION_BUSY; /* psa-spm is there, and may take it later */
    default:
        return PSA_ERROR_CONNECTION_REFUSED;
    }
}

void psa_close(psa_handle_t handle)
{
    struct wire_msg m, r;

    if (handle == PSA_NULL_HANDLE)
        return;
    partix_direct_remove(handle);
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
    bool done;

    /* a direct connection: the vectors are checked as they are copied */
    st = partix_check_vectors(type, in_vec, in_len, out_vec, out_len, false);
    if (st != PSA_SUCCESS)
        return st;
    st = partix_direct_call(handle, type, in_vec, in_len, out_vec, out_len, &done);
    if (done)
        return st;
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
    if (rc == T_BAD_INPUT)
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

psa_status_t partix_direct_stall(psa_handle_t handle)
{
    struct wire_msg m, r;

    m.type = WIRE_C_STALL;
    m.u.stall_req.handle = handle;
    if (transact(&m, -1, WIRE_R_STALL, WIRE_HEAD_MAX, &r) < 0)
        return PSA_ERROR_COMMUNICATION_FAILURE;
    return r.u.status_rep.status;
}

psa_status_t partix_direct_grow(psa_handle_t handle, int fd, uint64_t size, uint32_t gen)
{
    struct wire_msg m, r;

    m.type = WIRE_C_GROW;
    m.u.grow_req.handle = handle;
    m.u.grow_req.size = size;
    m.u.grow_req.gen = gen;
    if (transact(&m, fd, WIRE_R_GROW, WIRE_HEAD_MAX, &r) < 0)
        return PSA_ERROR_COMMUNICATION_FAILURE;
    return r.u.status_rep.status;
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
