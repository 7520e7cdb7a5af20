/*
 * channel.c - a partition process: from exec to its entry point (introduce
 * itself to the SPM, take its configuration, enter the sandbox, run), and
 * its channel to the SPM (rt_send, rt_receive, rt_panic).  The unit-test
 * harness replaces exactly this file.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "debug.h"
#include "partix/load_info.h"
#include "partix/storage.h"
#include "runtime.h"
#include "sandbox.h"
#include "tfm_sp_log.h"

/* The runtime's one receive buffer: every datagram from the SPM lands here
 * (rt.reply points into it until the next rt_receive). */
static uint8_t rx[WIRE_MAX_MSG];

void rt_send(const struct wire_msg *m, int fd)
{
    struct wire_frame f;

    if (wire_encode(&f, m) < 0)
        rt_panic("cannot encode a %s message", wire_type_name(m->type));
    if (wire_send(rt.chan, &f, fd) < 0) {
        if (errno == EFAULT) /* probe.c checked every input: this one changed since */
            rt_panic("psa_call: an input vector is not readable");
        _exit(1); /* the SPM is gone: nothing left to serve */
    }
}

void rt_panic(const char *fmt, ...)
{
    struct wire_msg m;
    struct wire_frame f;
    va_list ap;

    m.type = WIRE_P_PANIC;
    m.seq = 0;
    m.u.text.level = 0;
    va_start(ap, fmt);
    vsnprintf(m.u.text.text, sizeof(m.u.text.text), fmt, ap);
    va_end(ap);
    if (wire_encode(&f, &m) == 0)
        (void)wire_send(rt.chan, &f, -1);
    _exit(WIRE_EXIT_PANIC);
}

/* Maps a passed memfd holding the message's vectors (the SPM checked its
 * seals): 0, -1 if it cannot hold them, -2 if the partition's address
 * space has no room for them. */
static int map_payload(struct rt_msg *m, int fd)
{
    uint64_t need = wire_vecs_in_total(&m->v) + wire_vecs_out_total(&m->v);
    struct stat st;

    /* the raw fstat: glibc's is newfstatat, which the sandbox refuses */
    if (syscall(SYS_fstat, fd, &st) < 0 || (uint64_t)st.st_size < need || need == 0)
        return -1;
    m->map_len = (size_t)need;
    m->map = mmap(NULL, m->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m->map == MAP_FAILED) {
        m->map = NULL;
        return errno == ENOMEM ? -2 : -1;
    }
    m->in = m->map;
    m->out = (uint8_t *)m->map + wire_vecs_in_total(&m->v);
    return 0;
}

/* A call whose vectors do not fit in the partition's bounded address
 * space (its RLIMIT_AS, docs/architecture.md) while it holds others: the
 * caller gets PSA_ERROR_INSUFFICIENT_MEMORY and nothing written, the
 * partition, which did nothing wrong, lives on. */
static void refuse_payload(struct rt_msg *m)
{
    struct wire_msg w;
    uint32_t i;

    w.type = WIRE_P_REPLY;
    w.seq = 0;
    w.u.reply.msg = m->handle;
    w.u.reply.status = PSA_ERROR_INSUFFICIENT_MEMORY;
    w.u.reply.flags = WIRE_CALL_MEMFD;
    w.u.reply.rhandle = 0;
    w.u.reply.n_out = m->v.n_out;
    for (i = 0; i < m->v.n_out; i++) {
        w.u.reply.written[i] = 0;
        w.u.reply.out[i] = NULL;
    }
    rt_send(&w, -1);
    rt_free(m);
}

static void take_msg(const struct wire_deliver *d, int fd)
{
    struct rt_msg *m = rt_alloc(sizeof(*m)), **tail;
    uint64_t n_in, off = 0;
    unsigned i;

    if (m == NULL)
        rt_panic("out of memory for a message");
    m->handle = d->msg;
    m->type = d->type;
    m->client_id = d->client_id;
    m->rhandle = d->rhandle;
    m->signal = d->signal;
    m->v = d->vecs;
    m->svc = rt_service_of(m->signal);
    if (m->svc == NULL)
        rt_panic("the SPM sent a message for signal 0x%08x, not a service of this partition",
                 m->signal);
    n_in = wire_vecs_in_total(&m->v);
    if (d->flags & WIRE_CALL_MEMFD) {
        int r = fd < 0 ? -1 : map_payload(m, fd);

        if (r == -1)
            rt_panic("cannot map the payload of message %d", (int)m->handle);
        close(fd);
        if (r == -2) {
            refuse_payload(m);
            return;
        }
    } else {
        uint64_t rhandle;

        if (fd >= 0)
            rt_panic("malformed message from the SPM");
        /* a direct connection's DISCONNECT: what its client posted before
         * comes first, and its rhandle is the connection's own */
        if (m->type == PSA_IPC_DISCONNECT &&
            rt_direct_disconnect(((uint32_t)m->handle & 0xffffu) - 1u, &rhandle))
            m->rhandle = rhandle;
        m->in = rt_alloc(n_in + 1);
        m->out = rt_alloc(wire_vecs_out_total(&m->v) + 1);
        if (m->in == NULL || m->out == NULL)
            rt_panic("out of memory for a message");
        for (i = 0; i < m->v.n_in; i++) {
            if (m->v.in_len[i] > 0)
                memcpy(m->in + off, d->in[i], m->v.in_len[i]);
            off += m->v.in_len[i];
        }
    }
    for (tail = &rt.queue; *tail != NULL; tail = &(*tail)->next)
        ;
    *tail = m;
}

/* Takes one datagram from the channel (waiting for it if @p block): true
 * if it took one. */
static bool chan_take_one(bool block)
{
    struct wire_msg in;
    long len;
    int fd, fds[WIRE_MAX_FDS], n_fds;

    for (;;) {
        if (!block) {
            char c;

            if (recv(rt.chan, &c, 1, MSG_PEEK | MSG_DONTWAIT) < 0) {
                if (errno == EINTR)
                    continue;
                if (errno == EAGAIN || errno == EWOULDBLOCK)
                    return false; /* nothing pending */
            }
        }
        len = wire_recv_fds(rt.chan, rx, sizeof(rx), fds, &n_fds);
        fd = fds[0];
        if (len < 0 && errno == EINTR)
            continue;
        if (len == 0)
            _exit(0); /* the SPM closed the channel: the system is stopping */
        if (len > 0 && n_fds > 1 &&
            (wire_decode(rx, (size_t)len, &in) < 0 ||
             (in.type != WIRE_S_CHAN && in.type != WIRE_R_CONNECT)))
            rt_panic("unreadable datagram from the SPM");
        if (len < 0 || wire_decode(rx, (size_t)len, &in) < 0)
            rt_panic("unreadable datagram from the SPM");
        switch (in.type) {
        case WIRE_S_MSG:
            take_msg(&in.u.deliver, fd);
            break;
        case WIRE_S_DOORBELL:
            if (fd >= 0)
                rt_panic("malformed doorbell from the SPM");
            rt.doorbell = true;
            break;
        case WIRE_S_IRQ:
            if (fd >= 0)
                rt_panic("malformed interrupt from the SPM");
            rt_irq_fired(in.u.irq_fired.signal);
            break;
        case WIRE_S_CHAN:
            rt_direct_open(&in.u.chan, fd, fds[1]);
            break;
        case WIRE_S_GROW:
            if (fd < 0)
                rt_panic("malformed data area from the SPM");
            rt_direct_grow(&in.u.grow, fd);
            break;
        case WIRE_S_STOP:
            /* the system is stopping: say how much stack the partition's
             * code used (to size stack_size), and with the runtime below */
            rt_log_flush();
            partix_log(WIRE_LOG_INFO,
                       "stack: partition code %zu bytes at its deepest call into partix "
                       "(manifest stack_size %u); high-water mark %zu of %zu bytes with "
                       "partix's runtime and libc",
                       rt_stack_partition_use(), partix_load_info.stack_size, rt_stack_high_water(),
                       rt_stack_size());
            _exit(0);
        case WIRE_R_VERSION:
        case WIRE_R_CONNECT:
        case WIRE_R_CALL:
        case WIRE_R_CLOSE:
        case WIRE_R_BUFFER:
            /* the answer to this partition's own client request */
            if (fd >= 0 && in.type != WIRE_R_BUFFER && in.type != WIRE_R_CONNECT)
                rt_panic("malformed reply from the SPM");
            rt.reply_fd = fd;
            rt.reply_fd2 = fds[1];
            rt.reply = in;
            rt.have_reply = true;
            break;
        default:
            rt_panic("unexpected message type %s from the SPM", wire_type_name(in.type));
        }
        return true;
    }
}

bool rt_receive(bool block)
{
    bool took = false, channel;
    int r;

    if (!rt_direct_enabled())
        return chan_take_one(block);
    /* one wait for the channel and every connection's doorbell */
    for (;;) {
        r = rt_direct_wait(block && !took, &channel);
        if (r < 0)
            rt_panic("cannot wait for messages: %s", strerror(errno));
        took |= r > 0;
        /* a reply to the partition's own call stops the draining: its
         * payload lives in the receive buffer until it is taken */
        if (channel)
            while (!rt.have_reply && chan_take_one(false))
                took = true;
        if (took || !block)
            return took;
    }
}

void rt_halt(void)
{
    struct wire_msg in;
    long len;
    int fd;

    /* like a core held in reset: messages and interrupts are not served */
    for (;;) {
        len = wire_recv(rt.chan, rx, sizeof(rx), &fd);
        if (fd >= 0)
            close(fd);
        if (len < 0 && errno == EINTR)
            continue;
        if (len <= 0 || (wire_decode(rx, (size_t)len, &in) == 0 && in.type == WIRE_S_STOP))
            _exit(0);
    }
}

static void send_hello(const struct partix_load_info *li)
{
    struct wire_msg m;
    struct wire_hello *h = &m.u.hello;
    uint32_t i;

    if (strlen(li->name) >= sizeof(h->name) || li->n_services > WIRE_MAX_SERVICES ||
        li->n_irqs > WIRE_MAX_IRQS)
        rt_panic("the partition's name, services or interrupts do not fit the protocol");
    m.type = WIRE_P_HELLO;
    m.seq = 0;
    strcpy(h->name, li->name);
    h->n_services = (uint8_t)li->n_services;
    for (i = 0; i < li->n_services; i++) {
        h->services[i].sid = li->services[i].sid;
        h->services[i].signal = li->services[i].signal;
    }
    h->n_irqs = (uint8_t)li->n_irqs;
    for (i = 0; i < li->n_irqs; i++) {
        h->irqs[i].signal = li->irqs[i].signal;
        h->irqs[i].flih = li->irqs[i].flih != NULL;
    }
    rt_send(&m, -1);
}

static int read_config(void)
{
    struct wire_msg m;
    const struct wire_config *c = &m.u.config;
    struct stat st;
    uint8_t n_regions;
    bool fast;
    long len;
    int fd;
    size_t i;

    len = wire_recv(rt.chan, rx, sizeof(rx), &fd);
    if (len <= 0 || fd >= 0 || wire_decode(rx, (size_t)len, &m) < 0 || m.type != WIRE_S_CONFIG ||
        c->n_services > RT_MAX_SERVICES)
        return -1;
    rt.pid = c->pid;
    rt.log_level = c->log_level;
    rt.lifecycle = c->lifecycle;
    for (i = 0; i < c->n_services; i++) {
        struct rt_service *s = &rt.services[i];

        s->sid = c->services[i].sid;
        s->signal = c->services[i].signal;
        s->version = c->services[i].version;
        s->connection_based = c->services[i].flags & WIRE_SVC_CONNECTION_BASED;
        s->mm_iovec = c->services[i].flags & WIRE_SVC_MM_IOVEC;
        rt.service_mask |= s->signal;
    }
    rt.n_services = c->n_services;
    rt.partition_ids = rt_alloc((c->n_partitions + 1u) * sizeof(int32_t));
    if (rt.partition_ids == NULL)
        return -1;
    memcpy(rt.partition_ids, c->partition_ids, c->n_partitions * sizeof(int32_t));
    rt.n_partition_ids = c->n_partitions;
    /* the storage profile: the SPM left the partition's directory at fd 5 */
    if (c->storage && (syscall(SYS_fstat, SANDBOX_STORAGE_FD, &st) < 0 || !S_ISDIR(st.st_mode)))
        return -1;
    rt.storage = c->storage;
    n_regions = c->n_regions;
    fast = c->fast;
    /* the MMIO regions, each with its memory object (m is reused: c is done) */
    for (i = 0; i < n_regions; i++) {
        len = wire_recv(rt.chan, rx, sizeof(rx), &fd);
        if (len <= 0 || wire_decode(rx, (size_t)len, &m) < 0 || m.type != WIRE_S_REGION ||
            rt_mmio_map(&m.u.region, fd) < 0) {
            if (fd >= 0)
                close(fd);
            return -1;
        }
    }
    /* the direct path's status page */
    if (fast) {
        len = wire_recv(rt.chan, rx, sizeof(rx), &fd);
        if (len <= 0 || fd < 0 || wire_decode(rx, (size_t)len, &m) < 0 || m.type != WIRE_S_FAST ||
            rt_direct_setup(m.u.fast.kind, fd) < 0) {
            if (fd >= 0)
                close(fd);
            return -1;
        }
    }
    return 0;
}

/* Runs in the SIGSYS handler, on whatever stack the partition was using:
 * one datagram, no allocation, and the message and frame kept off that
 * stack (the process ends right after). */
static void report_violation(int nr, uint32_t arch)
{
    static struct wire_msg m;
    static struct wire_frame f;

    m.type = WIRE_P_VIOLATION;
    m.u.violation.nr = nr;
    m.u.violation.arch = arch;
    if (wire_encode(&f, &m) == 0)
        (void)wire_send(rt.chan, &f, -1);
}

int partix_storage_dir(void)
{
    return rt.storage ? SANDBOX_STORAGE_FD : -1;
}

static void sfn_entry(void)
{
    rt_sfn_loop(&partix_load_info);
}

int main(void)
{
    struct wire_msg ready;
    const struct partix_load_info *li = &partix_load_info;
    const char *step = NULL;
    int type = 0, landlock_abi;
    socklen_t tlen = sizeof(type);

    rt.name = li->name;
    rt.irqs = li->irqs;
    rt.n_irqs = li->n_irqs;
    for (uint32_t i = 0; i < li->n_irqs; i++)
        rt.irq_mask |= li->irqs[i].signal;
    if (getsockopt(rt.chan, SOL_SOCKET, SO_TYPE, &type, &tlen) < 0 || type != SOCK_SEQPACKET) {
        fprintf(stderr, "%s: a partition runs under psa-spm (no channel on fd %d)\n", li->name,
                rt.chan);
        return 2;
    }
    if (li->abi != PARTIX_LOAD_INFO_ABI)
        rt_panic("load_info ABI %u, runtime expects %u: rebuild the partition", li->abi,
                 PARTIX_LOAD_INFO_ABI);
    send_hello(li);
    if (read_config() < 0)
        rt_panic("malformed configuration from the SPM");
    rt_stdio_init();
    if (rt_stack_prepare(li->stack_size) < 0 || rt_mmio_arm() < 0)
        rt_panic("cannot set up the entry point's stack: %s", strerror(errno));
    if (sandbox_enter(rt_debug_layers(), rt.storage ? SANDBOX_STORAGE_FD : -1, report_violation,
                      &landlock_abi, &step) < 0)
        rt_panic("sandbox: %s failed: %s", step, strerror(errno));
    ready.type = WIRE_P_READY;
    ready.seq = 0;
    ready.u.ready.landlock_abi = landlock_abi;
    rt_send(&ready, -1);
    rt_heap_arm(li->heap_size);
    rt_stack_run(li->model_sfn ? sfn_entry : li->entry_point);
}
