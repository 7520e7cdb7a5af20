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

static __thread int tl_sock = -1;
static __thread uint32_t tl_seq;
static __thread uint8_t tl_buf[WIRE_MAX_MSG];
static pthread_key_t sock_key;
static pthread_once_t sock_once = PTHREAD_ONCE_INIT;

static void close_at_thread_exit(void *p)
{
    close((int)(intptr_t)p - 1);
}

/* A forked child must not speak with its parent's identity. */
static void after_fork_in_child(void)
{
    if (tl_sock >= 0)
        close(tl_sock);
    tl_sock = -1;
    pthread_setspecific(sock_key, NULL);
}

static void init_once(void)
{
    pthread_key_create(&sock_key, close_at_thread_exit);
    pthread_atfork(NULL, NULL, after_fork_in_child);
}

static void drop_socket(void)
{
    if (tl_sock >= 0)
        close(tl_sock);
    tl_sock = -1;
    pthread_setspecific(sock_key, NULL);
}

static int get_socket(void)
{
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    char path[sizeof(sa.sun_path)];
    int fd;

    if (tl_sock >= 0)
        return tl_sock;
    pthread_once(&sock_once, init_once);
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
    tl_sock = fd;
    pthread_setspecific(sock_key, (void *)(intptr_t)(fd + 1));
    return fd;
}

/* Whether a request names nothing that only the SPM it was built for knows. */
static bool resendable(const struct wire_out *w)
{
    uint16_t type = (uint16_t)(w->buf[2] | w->buf[3] << 8);
    uint32_t handle;

    if (type == WIRE_C_VERSION || type == WIRE_C_CONNECT || type == WIRE_C_IRQ)
        return true;
    if (type != WIRE_C_CALL || w->len < WIRE_HEADER_SIZE + 4)
        return false;
    handle = w->buf[8] | (uint32_t)w->buf[9] << 8 | (uint32_t)w->buf[10] << 16 |
             (uint32_t)w->buf[11] << 24;
    return (int32_t)handle > 0 && (handle & WIRE_STATELESS_BIT) != 0;
}

/*
 * Sends a request and reads its reply into tl_buf.  Returns 0 with *m open
 * on the reply, or -1 (the socket is dropped: no SPM, or it died).
 */
static int transact(struct wire_out *w, const struct iovec *extra, int n_extra, int fd,
                    uint16_t reply_type, struct wire_in *m)
{
    bool reused = tl_sock >= 0;
    int sock = get_socket();
    uint32_t seq = w->buf[4] | (uint32_t)w->buf[5] << 8 | (uint32_t)w->buf[6] << 16 |
                   (uint32_t)w->buf[7] << 24;
    long len;
    int got_fd;

    if (sock < 0)
        return -1;
    while (wire_sendv(sock, w, extra, n_extra, fd) < 0) {
        if (errno == EFAULT)
            return -2; /* an unreadable input vector */
        drop_socket();
        /* The SPM this thread spoke with has gone, and the request never
         * reached it.  A request that means the same to its successor
         * (version, connect, a stateless call, an interrupt line) goes
         * there once. */
        if (!reused || !resendable(w) || (errno != EPIPE && errno != ECONNRESET))
            return -1;
        reused = false;
        sock = get_socket();
        if (sock < 0)
            return -1;
    }
    len = wire_recv(sock, tl_buf, sizeof(tl_buf), &got_fd);
    if (got_fd >= 0)
        close(got_fd);
    if (len <= 0 || got_fd >= 0 || wire_open(m, tl_buf, (size_t)len) || m->type != reply_type ||
        m->seq != seq) {
        drop_socket();
        return -1;
    }
    return 0;
}

static void begin(struct wire_out *w, uint16_t type)
{
    wire_begin(w, type, ++tl_seq);
}

uint32_t psa_framework_version(void)
{
    return PSA_FRAMEWORK_VERSION;
}

uint32_t psa_version(uint32_t sid)
{
    static __thread struct wire_out w;
    struct wire_in m;
    uint32_t v;

    begin(&w, WIRE_C_VERSION);
    wire_put_u32(&w, sid);
    if (transact(&w, NULL, 0, -1, WIRE_R_VERSION, &m) < 0 || wire_get_u32(&m, &v) || wire_end(&m))
        return PSA_VERSION_NONE;
    return v;
}

psa_handle_t psa_connect(uint32_t sid, uint32_t version)
{
    static __thread struct wire_out w;
    struct wire_in m;
    int32_t r;

    begin(&w, WIRE_C_CONNECT);
    wire_put_u32(&w, sid);
    wire_put_u32(&w, version);
    if (transact(&w, NULL, 0, -1, WIRE_R_CONNECT, &m) < 0 || wire_get_i32(&m, &r) || wire_end(&m))
        return PSA_ERROR_CONNECTION_REFUSED;
    return r;
}

void psa_close(psa_handle_t handle)
{
    static __thread struct wire_out w;
    struct wire_in m;

    if (handle == PSA_NULL_HANDLE)
        return;
    begin(&w, WIRE_C_CLOSE);
    wire_put_i32(&w, handle);
    (void)transact(&w, NULL, 0, -1, WIRE_R_CLOSE, &m); /* psa_close returns nothing */
}

/* Copies the reply's output bytes (inline) or reads them from the memfd. */
static psa_status_t take_outputs(struct wire_in *m, psa_outvec *out_vec, size_t out_len,
                                 const struct wire_vecs *v, int memfd)
{
    uint32_t written[WIRE_MAX_IOVEC] = {0};
    const uint8_t *p;
    int32_t status;
    uint8_t n;
    size_t i;
    off_t off = (off_t)wire_vecs_in_total(v);

    if (wire_get_i32(m, &status) || wire_get_u8(m, &n) || (n != 0 && n != out_len))
        return PSA_ERROR_COMMUNICATION_FAILURE;
    for (i = 0; i < n; i++)
        if (wire_get_u32(m, &written[i]) || written[i] > v->out_len[i])
            return PSA_ERROR_COMMUNICATION_FAILURE;
    for (i = 0; i < out_len; i++) {
        if (memfd < 0) {
            if (wire_get_bytes(m, written[i], &p))
                return PSA_ERROR_COMMUNICATION_FAILURE;
            if (written[i] > 0)
                memcpy(out_vec[i].base, p, written[i]);
        } else if (written[i] > 0 &&
                   pread(memfd, out_vec[i].base, written[i], off) != (ssize_t)written[i]) {
            return PSA_ERROR_COMMUNICATION_FAILURE;
        }
        off += (off_t)v->out_len[i];
        out_vec[i].len = written[i];
    }
    if (wire_end(m))
        return PSA_ERROR_COMMUNICATION_FAILURE;
    return status;
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
    static __thread struct wire_out w;
    struct iovec extra[WIRE_MAX_IOVEC];
    struct wire_vecs v;
    struct wire_in m;
    psa_status_t st;
    uint64_t total;
    int memfd = -1, rc;
    size_t i;

    st = partix_check_vectors(type, in_vec, in_len, out_vec, out_len, true);
    if (st != PSA_SUCCESS)
        return st;
    memset(&v, 0, sizeof(v));
    v.n_in = (uint8_t)in_len;
    v.n_out = (uint8_t)out_len;
    for (i = 0; i < in_len; i++) {
        v.in_len[i] = (uint32_t)in_vec[i].len;
        extra[i].iov_base = (void *)(uintptr_t)in_vec[i].base;
        extra[i].iov_len = in_vec[i].len;
    }
    for (i = 0; i < out_len; i++)
        v.out_len[i] = (uint32_t)out_vec[i].len;
    total = wire_vecs_in_total(&v) + wire_vecs_out_total(&v);
    if (total > WIRE_MAX_PAYLOAD)
        return PSA_ERROR_PROGRAMMER_ERROR;

    begin(&w, WIRE_C_CALL);
    wire_put_i32(&w, handle);
    wire_put_i32(&w, type);
    if (total > WIRE_INLINE_MAX) {
        memfd = make_memfd(in_vec, in_len, total);
        if (memfd < 0)
            return errno == EFAULT ? PSA_ERROR_PROGRAMMER_ERROR : PSA_ERROR_INSUFFICIENT_MEMORY;
        wire_put_u8(&w, WIRE_CALL_MEMFD);
        wire_put_vecs(&w, &v);
        rc = transact(&w, NULL, 0, memfd, WIRE_R_CALL, &m);
    } else {
        wire_put_u8(&w, 0);
        wire_put_vecs(&w, &v);
        rc = transact(&w, extra, (int)in_len, -1, WIRE_R_CALL, &m);
    }
    if (rc == -2)
        st = PSA_ERROR_PROGRAMMER_ERROR;
    else if (rc < 0)
        st = PSA_ERROR_COMMUNICATION_FAILURE;
    else
        st = take_outputs(&m, out_vec, out_len, &v, memfd);
    if (memfd >= 0)
        close(memfd);
    if (st != PSA_SUCCESS && rc != 0)
        for (i = 0; i < out_len; i++)
            out_vec[i].len = 0;
    return st;
}

psa_status_t partix_irq_set(const char *source, int level)
{
    static __thread struct wire_out w;
    struct wire_in m;
    int32_t st;

    if (source == NULL || strlen(source) >= WIRE_MAX_NAME)
        return PSA_ERROR_INVALID_ARGUMENT;
    begin(&w, WIRE_C_IRQ);
    wire_put_str(&w, source);
    wire_put_u8(&w, level != 0);
    if (transact(&w, NULL, 0, -1, WIRE_R_IRQ, &m) < 0 || wire_get_i32(&m, &st) || wire_end(&m))
        return PSA_ERROR_COMMUNICATION_FAILURE;
    return st;
}

psa_status_t partix_irq_raise(const char *source)
{
    return partix_irq_set(source, 1);
}

psa_status_t partix_irq_lower(const char *source)
{
    return partix_irq_set(source, 0);
}
