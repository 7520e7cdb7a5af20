/*
 * direct.c - the partition's side of the direct data path (chan.h): the
 * areas of its direct connections, the doorbell its clients ring, and the
 * status page it shares with psa-spm.
 *
 * The partition waits in one place, an epoll set of its channel and every
 * connection's doorbell (edge-triggered: an eventfd is never read, each
 * ring reports once).  A direct message is served like any other (psa_get, psa_read, psa_write,
 * psa_reply), from the message each connection keeps (no allocation per
 * message).  The request is copied out of the area once and checked there:
 * whatever the client writes into its area afterwards, the partition reads
 * and writes only inside that area, at the offsets of its own copy.
 */
#include <errno.h>
#include <limits.h>
#include <linux/futex.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "runtime.h"
#include "tfm_sp_log.h"

#define EVENTS_MAX 64         /* readiness taken in one system call */
#define EV_CHANNEL UINT64_MAX /* the epoll datum of the channel */

/* One direct connection of the partition's services. */
struct rt_chan {
    uint32_t token;
    int32_t handle; /* its client's, for the log */
    int32_t client_id;
    uint64_t rhandle;
    const struct rt_service *svc;
    struct chan_area *area;
    uint8_t *data;
    uint32_t seen; /* the last request taken (its req_seq) */
    uint32_t serial;
    bool busy;   /* its message is queued or being served */
    bool broken; /* answered PSA_ERROR_PROGRAMMER_ERROR: every later call gets it */
    /* the big data area (S_GROW), or NULL; big_failed: it could not be mapped */
    uint8_t *big;
    uint64_t big_size;
    uint32_t big_gen;
    bool big_failed;
    struct rt_msg msg;
};

static struct rt_chan **chans; /* by token */
static size_t n_chans;
static struct chan_status *status;
static int epfd = -1;

void rt_direct_calling(bool on)
{
    if (status != NULL)
        __atomic_store_n(&status->calling, on ? 1u : 0u, __ATOMIC_RELEASE);
}

bool rt_direct_enabled(void)
{
    return epfd >= 0;
}

int rt_direct_setup(uint8_t kind, int fd)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = EV_CHANNEL};
    struct stat st;
    void *p;

    if (kind != WIRE_FAST_STATUS || syscall(SYS_fstat, fd, &st) < 0 ||
        (uint64_t)st.st_size < CHAN_STATUS_SIZE)
        return -1;
    p = mmap(NULL, CHAN_STATUS_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (p == MAP_FAILED)
        return -1;
    status = p;
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, rt.chan, &ev) < 0)
        return -1;
    return 0;
}

static struct rt_chan *chan_of(uint32_t token)
{
    return token < n_chans ? chans[token] : NULL;
}

/* Answers the request @p seq of @p c without serving it. */
static void answer_now(struct rt_chan *c, uint32_t seq, psa_status_t st)
{
    struct chan_area *a = c->area;

    c->seen = seq;
    a->status = st;
    memset(a->written, 0, sizeof(a->written));
    __atomic_store_n(&a->done_seq, seq, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&a->client_waiting, __ATOMIC_SEQ_CST))
        syscall(SYS_futex, &a->done_seq, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/* Takes the request the client has posted in @p c's area, if there is one
 * and the connection is free. */
static void take(struct rt_chan *c)
{
    struct chan_area *a = c->area;
    struct rt_msg *m = &c->msg, **tail;
    uint32_t seq = __atomic_load_n(&a->req_seq, __ATOMIC_ACQUIRE), i;
    struct {
        int32_t type;
        uint32_t n_in, n_out, in_len[CHAN_MAX_IOVEC], out_len[CHAN_MAX_IOVEC], big, big_gen;
    } r;
    uint64_t n_in = 0, n_out = 0, cap = CHAN_DATA_CAP;
    uint8_t *data = c->data;

    if (c->busy || seq == c->seen)
        return;
    /* one copy of the request, then checks on the copy alone */
    r.type = *(volatile int32_t *)&a->type;
    r.n_in = *(volatile uint32_t *)&a->n_in;
    r.n_out = *(volatile uint32_t *)&a->n_out;
    for (i = 0; i < CHAN_MAX_IOVEC; i++) {
        r.in_len[i] = ((volatile uint32_t *)a->in_len)[i];
        r.out_len[i] = ((volatile uint32_t *)a->out_len)[i];
    }
    r.big = *(volatile uint32_t *)&a->big;
    r.big_gen = *(volatile uint32_t *)&a->big_gen;
    if (r.big) {
        /* the vectors are in a big data area: the one named, once its
         * S_GROW is in (it was sent before the client could name it) */
        if (c->big_failed && c->big_gen == r.big_gen) {
            answer_now(c, seq, PSA_ERROR_INSUFFICIENT_MEMORY);
            return;
        }
        if (c->big == NULL || c->big_gen != r.big_gen)
            return; /* taken when it comes (rt_direct_grow) */
        data = c->big;
        cap = c->big_size;
    }
    if (c->broken) {
        answer_now(c, seq, PSA_ERROR_PROGRAMMER_ERROR);
        return;
    }
    if (r.type < PSA_IPC_CALL || r.type > INT16_MAX || r.n_in > PSA_MAX_IOVEC ||
        r.n_out > PSA_MAX_IOVEC || r.n_in + r.n_out > PSA_MAX_IOVEC) {
        answer_now(c, seq, PSA_ERROR_PROGRAMMER_ERROR);
        return;
    }
    for (i = 0; i < r.n_in; i++)
        n_in += r.in_len[i];
    for (i = 0; i < r.n_out; i++)
        n_out += r.out_len[i];
    if (n_in + n_out > cap) {
        answer_now(c, seq, PSA_ERROR_PROGRAMMER_ERROR); /* lengths past its own area */
        return;
    }
    memset(m, 0, sizeof(*m));
    c->serial = (c->serial + 1) & 0x3fffu;
    if (c->serial == 0)
        c->serial = 1;
    m->handle = (psa_handle_t)(CHAN_MSG_BIT | c->serial << 16 | (c->token + 1));
    m->type = r.type;
    m->client_id = c->client_id;
    m->rhandle = c->rhandle;
    m->signal = c->svc->signal;
    m->svc = c->svc;
    m->v.n_in = (uint8_t)r.n_in;
    m->v.n_out = (uint8_t)r.n_out;
    for (i = 0; i < r.n_in; i++)
        m->v.in_len[i] = r.in_len[i];
    for (i = 0; i < r.n_out; i++)
        m->v.out_len[i] = r.out_len[i];
    m->in = data;
    m->out = data + n_in;
    m->direct = c;
    m->direct_seq = seq;
    c->seen = seq;
    c->busy = true;
    for (tail = &rt.queue; *tail != NULL; tail = &(*tail)->next)
        ;
    *tail = m;
    __atomic_add_fetch(&status->taken, 1, __ATOMIC_RELEASE);
    if (rt.log_level >= WIRE_LOG_DEBUG) /* the line psa-spm writes for a message it routes */
        partix_log(WIRE_LOG_DEBUG, "message %d (type %d) on handle %d, direct", (int)m->handle,
                   (int)m->type, (int)c->handle);
}

void rt_direct_reply(struct rt_msg *m, psa_status_t st)
{
    struct rt_chan *c = m->direct;
    struct chan_area *a = c->area;
    uint32_t i;

    if (m->set_rhandle)
        c->rhandle = m->new_rhandle;
    a->status = st;
    for (i = 0; i < CHAN_MAX_IOVEC; i++)
        a->written[i] = i < m->v.n_out ? m->written[i] : 0;
    if (st == PSA_ERROR_PROGRAMMER_ERROR)
        c->broken = true; /* FF-M: the service terminated the connection */
    rt_msg_free(m);       /* unlinked; the connection keeps it */
    c->busy = false;
    __atomic_store_n(&a->done_seq, m->direct_seq, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&a->client_waiting, __ATOMIC_SEQ_CST))
        syscall(SYS_futex, &a->done_seq, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
    __atomic_add_fetch(&status->answered, 1, __ATOMIC_RELEASE);
    take(c); /* the client's next request, if it is there already */
}

void rt_direct_open(const struct wire_chan *w, int fd, int doorbell)
{
    const struct rt_service *svc = rt_service_of(w->signal);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u64 = w->token};
    struct rt_chan *c;
    struct stat st;
    void *p;

    if (svc == NULL || !svc->connection_based || fd < 0 || doorbell < 0 || w->token > 0xfffeu ||
        epfd < 0)
        rt_panic("malformed connection from the SPM");
    if (syscall(SYS_fstat, fd, &st) < 0 || (uint64_t)st.st_size < CHAN_SIZE)
        rt_panic("malformed connection area from the SPM");
    if (w->token >= n_chans) {
        size_t n = (size_t)w->token + 64;
        struct rt_chan **v = rt_alloc(n * sizeof(*v));

        if (v == NULL)
            rt_panic("out of memory for a connection");
        if (n_chans > 0)
            memcpy(v, chans, n_chans * sizeof(*v));
        rt_free(chans);
        chans = v;
        n_chans = n;
    }
    if (chans[w->token] != NULL)
        rt_direct_close(w->token); /* a connection of that index that ended */
    c = rt_alloc(sizeof(*c));
    p = mmap(NULL, CHAN_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    if (c == NULL || p == MAP_FAILED)
        rt_panic("out of memory for a connection");
    c->token = w->token;
    c->handle = w->handle;
    c->client_id = w->client_id;
    c->rhandle = w->rhandle;
    c->svc = svc;
    c->area = p;
    c->data = (uint8_t *)p + CHAN_HEAD;
    c->seen = __atomic_load_n(&c->area->done_seq, __ATOMIC_ACQUIRE);
    /* The epoll set keeps waiting on the doorbell while its client holds
     * it: the partition keeps no descriptor per connection (its sandbox
     * allows few), and the doorbell leaves the set when its client lets it
     * go.  A ring of a connection that has ended finds no request. */
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, doorbell, &ev) < 0)
        rt_panic("cannot wait on a connection's doorbell: %s", strerror(errno));
    close(doorbell);
    chans[w->token] = c;
    take(c); /* the client may have rung before this arrived */
}

void rt_direct_grow(const struct wire_grow *w, int fd)
{
    struct rt_chan *c = chan_of(w->token);
    struct stat st;
    void *p = MAP_FAILED;

    if (c == NULL || c->busy) { /* a connection gone, or a client that did not wait */
        close(fd);
        return;
    }
    if (c->big != NULL)
        munmap(c->big, c->big_size);
    c->big = NULL;
    /* psa-spm checked the object: sealed against resizing, as big as said */
    if (syscall(SYS_fstat, fd, &st) == 0 && (uint64_t)st.st_size >= w->size)
        p = mmap(NULL, w->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    c->big_gen = w->gen;
    c->big_failed = p == MAP_FAILED; /* no room in its address space: those calls fail */
    if (p != MAP_FAILED) {
        c->big = p;
        c->big_size = w->size;
    }
    take(c);
}

void rt_direct_close(uint32_t token)
{
    struct rt_chan *c = chan_of(token);

    if (c == NULL)
        return;
    if (c->busy && c->msg.direct != NULL)
        rt_msg_free(&c->msg); /* unlinks it: the connection is over */
    if (c->big != NULL)
        munmap(c->big, c->big_size);
    munmap(c->area, CHAN_SIZE);
    chans[token] = NULL;
    rt_free(c);
}

bool rt_direct_disconnect(uint32_t token, uint64_t *rhandle)
{
    struct rt_chan *c = chan_of(token);

    if (c == NULL)
        return false;
    take(c); /* a request posted before the close is served first */
    *rhandle = c->rhandle;
    return true;
}

int rt_direct_wait(bool block, bool *channel)
{
    static struct epoll_event evs[EVENTS_MAX];
    int n, i, took = 0;

    *channel = false;
    n = epoll_wait(epfd, evs, EVENTS_MAX, block ? -1 : 0);
    if (n < 0)
        return errno == EINTR ? 0 : -1;
    for (i = 0; i < n; i++) {
        struct rt_chan *c;

        if (evs[i].data.u64 == EV_CHANNEL) {
            *channel = true;
            continue;
        }
        c = chan_of((uint32_t)evs[i].data.u64);
        if (c != NULL && !c->busy) {
            take(c);
            took |= c->busy;
        }
    }
    return took;
}

/* ---- the partition as a client of its dependencies ---- */

#define OUT_MAX SPM_DIRECT_OUT /* direct connections of its own, at most */
#define SPIN 2000u             /* pause instructions before it sleeps */
#define STALL_MS 200           /* then psa-spm is asked how it stands, this often */

struct rt_out {
    psa_handle_t handle; /* 0: free */
    struct chan_area *area;
    uint8_t *data;
    int bell;
    uint32_t seq;
};

static struct rt_out outs[OUT_MAX];

static struct rt_out *out_of(psa_handle_t h)
{
    size_t i;

    for (i = 0; h > 0 && i < OUT_MAX; i++)
        if (outs[i].handle == h)
            return &outs[i];
    return NULL;
}

int rt_direct_client_add(psa_handle_t h, int fd, int bell)
{
    struct rt_out *o = out_of(0);
    struct stat st;
    void *p;
    size_t i;

    for (i = 0; o == NULL && i < OUT_MAX; i++)
        if (outs[i].handle == 0)
            o = &outs[i];
    if (o == NULL || h <= 0 || syscall(SYS_fstat, fd, &st) < 0 || (uint64_t)st.st_size < CHAN_SIZE)
        return -1;
    p = mmap(NULL, CHAN_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (p == MAP_FAILED)
        return -1;
    close(fd);
    o->handle = h;
    o->area = p;
    o->data = (uint8_t *)p + CHAN_HEAD;
    o->bell = bell;
    o->seq = __atomic_load_n(&o->area->req_seq, __ATOMIC_ACQUIRE);
    return 0;
}

void rt_direct_client_remove(psa_handle_t h)
{
    struct rt_out *o = out_of(h);

    if (o == NULL)
        return;
    munmap(o->area, CHAN_SIZE);
    close(o->bell);
    o->handle = 0;
}

/* Waits for the answer to request @p seq: spinning a little, then asleep
 * with psa-spm asked every STALL_MS whether the call may go on (its
 * watchdog learns of it; a caller whose callee died is woken at once). */
static psa_status_t out_wait(struct rt_out *o, uint32_t seq)
{
    struct chan_area *a = o->area;
    uint32_t i, v;

    for (i = 0; i < SPIN; i++) {
        if (__atomic_load_n(&a->done_seq, __ATOMIC_ACQUIRE) == seq)
            return PSA_SUCCESS;
        __builtin_ia32_pause();
    }
    __atomic_store_n(&a->client_waiting, 1, __ATOMIC_SEQ_CST);
    while ((v = __atomic_load_n(&a->done_seq, __ATOMIC_SEQ_CST)) != seq) {
        struct timespec ts = {0, STALL_MS * 1000000L};
        psa_status_t st;

        syscall(SYS_futex, &a->done_seq, FUTEX_WAIT, v, &ts, NULL, 0);
        if (__atomic_load_n(&a->done_seq, __ATOMIC_SEQ_CST) == seq)
            break;
        st = rt_stall(o->handle);
        if (st != PSA_SUCCESS) {
            __atomic_store_n(&a->client_waiting, 0, __ATOMIC_RELAXED);
            a->gone_status = PSA_ERROR_COMMUNICATION_FAILURE;
            __atomic_or_fetch(&a->flags, CHAN_GONE, __ATOMIC_SEQ_CST);
            return PSA_ERROR_COMMUNICATION_FAILURE;
        }
    }
    __atomic_store_n(&a->client_waiting, 0, __ATOMIC_RELAXED);
    return PSA_SUCCESS;
}

psa_status_t rt_direct_client_call(psa_handle_t h, int32_t type, const psa_invec *in_vec,
                                   size_t in_len, psa_outvec *out_vec, size_t out_len, bool *done)
{
    static const uint64_t one = 1;
    struct rt_out *o = out_of(h);
    struct chan_area *a;
    uint64_t n_in = 0, n_out = 0, off = 0;
    psa_status_t st;
    size_t i;

    *done = false;
    if (o == NULL)
        return PSA_SUCCESS;
    for (i = 0; i < in_len; i++)
        n_in += in_vec[i].len;
    for (i = 0; i < out_len; i++)
        n_out += out_vec[i].len;
    if (n_in + n_out > CHAN_DATA_CAP)
        return PSA_SUCCESS; /* through psa-spm */
    *done = true;
    a = o->area;
    if (__atomic_load_n(&a->flags, __ATOMIC_ACQUIRE) & CHAN_GONE)
        return a->gone_status;
    /* the vectors were probed (client.c): plain copies */
    for (i = 0; i < in_len; i++) {
        if (in_vec[i].len > 0)
            memcpy(o->data + off, in_vec[i].base, in_vec[i].len);
        off += in_vec[i].len;
    }
    a->type = type;
    a->n_in = (uint32_t)in_len;
    a->n_out = (uint32_t)out_len;
    for (i = 0; i < CHAN_MAX_IOVEC; i++) {
        a->in_len[i] = i < in_len ? (uint32_t)in_vec[i].len : 0;
        a->out_len[i] = i < out_len ? (uint32_t)out_vec[i].len : 0;
    }
    __atomic_store_n(&a->req_seq, ++o->seq, __ATOMIC_SEQ_CST);
    if (write(o->bell, &one, sizeof(one)) != (ssize_t)sizeof(one))
        return PSA_ERROR_COMMUNICATION_FAILURE;
    rt_direct_calling(true);
    st = out_wait(o, o->seq);
    rt_direct_calling(false);
    if (st != PSA_SUCCESS) {
        for (i = 0; i < out_len; i++)
            out_vec[i].len = 0;
        return st;
    }
    st = a->status;
    for (i = 0; i < out_len; i++) {
        uint32_t w = a->written[i];

        if (w > out_vec[i].len)
            rt_panic("malformed answer on direct connection %d", (int)h);
        if (w > 0)
            memcpy(out_vec[i].base, o->data + off, w);
        off += out_vec[i].len;
        out_vec[i].len = w;
    }
    return st;
}
