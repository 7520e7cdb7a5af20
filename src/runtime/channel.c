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
#include <unistd.h>

#include "partix/load_info.h"
#include "partix/storage.h"
#include "runtime.h"
#include "sandbox.h"
#include "tfm_sp_log.h"

void rt_send(const struct wire_out *w, int fd)
{
    if (wire_send(rt.chan, w, fd) < 0)
        _exit(1); /* the SPM is gone: nothing left to serve */
}

void rt_sendv(const struct wire_out *w, const struct iovec *extra, int n_extra)
{
    if (wire_sendv(rt.chan, w, extra, n_extra, -1) < 0)
        _exit(1);
}

void rt_panic(const char *fmt, ...)
{
    static struct wire_out w;
    char reason[WIRE_MAX_LOG];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    wire_begin(&w, WIRE_P_PANIC, 0);
    wire_put_str(&w, reason);
    (void)wire_send(rt.chan, &w, -1);
    _exit(WIRE_EXIT_PANIC);
}

/* Maps a passed memfd holding the message's vectors (the SPM checked its seals). */
static int map_payload(struct rt_msg *m, int fd)
{
    uint64_t need = wire_vecs_in_total(&m->v) + wire_vecs_out_total(&m->v);
    struct stat st;

    if (fstat(fd, &st) < 0 || (uint64_t)st.st_size < need || need == 0)
        return -1;
    m->map_len = (size_t)need;
    m->map = mmap(NULL, m->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m->map == MAP_FAILED) {
        m->map = NULL;
        return -1;
    }
    m->in = m->map;
    m->out = (uint8_t *)m->map + wire_vecs_in_total(&m->v);
    return 0;
}

static void take_msg(struct wire_in *in, int fd)
{
    struct rt_msg *m = rt_alloc(sizeof(*m)), **tail;
    const uint8_t *bytes;
    uint8_t flags;
    uint64_t n_in;

    if (m == NULL)
        rt_panic("out of memory for a message");
    if (wire_get_i32(in, &m->handle) || wire_get_i32(in, &m->type) ||
        wire_get_i32(in, &m->client_id) || wire_get_u64(in, &m->rhandle) ||
        wire_get_u32(in, &m->signal) || wire_get_u8(in, &flags) || wire_get_vecs(in, &m->v))
        rt_panic("malformed message from the SPM");
    m->svc = rt_service_of(m->signal);
    if (m->svc == NULL)
        rt_panic("the SPM sent a message for signal 0x%08x, not a service of this partition",
                 m->signal);
    n_in = wire_vecs_in_total(&m->v);
    if (flags & WIRE_CALL_MEMFD) {
        if (fd < 0 || map_payload(m, fd) < 0 || wire_end(in))
            rt_panic("cannot map the payload of message %d", (int)m->handle);
        close(fd);
    } else {
        if (fd >= 0 || wire_get_bytes(in, (size_t)n_in, &bytes) || wire_end(in))
            rt_panic("malformed message from the SPM");
        m->in = rt_alloc(n_in + 1);
        m->out = rt_alloc(wire_vecs_out_total(&m->v) + 1);
        if (m->in == NULL || m->out == NULL)
            rt_panic("out of memory for a message");
        memcpy(m->in, bytes, (size_t)n_in);
    }
    for (tail = &rt.queue; *tail != NULL; tail = &(*tail)->next)
        ;
    *tail = m;
}

bool rt_receive(bool block)
{
    static uint8_t buf[WIRE_MAX_MSG];
    struct wire_in in;
    long len;
    int fd;

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
        len = wire_recv(rt.chan, buf, sizeof(buf), &fd);
        if (len < 0 && errno == EINTR)
            continue;
        if (len == 0)
            _exit(0); /* the SPM closed the channel: the system is stopping */
        if (len < 0 || wire_open(&in, buf, (size_t)len))
            rt_panic("unreadable datagram from the SPM");
        switch (in.type) {
        case WIRE_S_MSG:
            take_msg(&in, fd);
            break;
        case WIRE_S_DOORBELL:
            if (fd >= 0 || wire_end(&in))
                rt_panic("malformed doorbell from the SPM");
            rt.doorbell = true;
            break;
        case WIRE_S_IRQ: {
            uint32_t signal;

            if (fd >= 0 || wire_get_u32(&in, &signal) || wire_end(&in))
                rt_panic("malformed interrupt from the SPM");
            rt_irq_fired(signal);
            break;
        }
        case WIRE_S_STOP:
            /* the system is stopping: say how much stack the entry point used */
            partix_log(WIRE_LOG_INFO, "stack high-water mark: %zu of %zu bytes",
                       rt_stack_high_water(), rt_stack_size());
            _exit(0);
        case WIRE_R_VERSION:
        case WIRE_R_CONNECT:
        case WIRE_R_CALL:
        case WIRE_R_CLOSE:
        case WIRE_R_BUFFER:
            /* the answer to this partition's own client request */
            if (fd >= 0 && in.type != WIRE_R_BUFFER)
                rt_panic("malformed reply from the SPM");
            rt.reply_fd = fd;
            memcpy(rt.reply, buf, (size_t)len);
            rt.reply_len = (size_t)len;
            break;
        default:
            rt_panic("unexpected message type %u from the SPM", in.type);
        }
        return true;
    }
}

void rt_halt(void)
{
    static uint8_t buf[WIRE_MAX_MSG];
    struct wire_in in;
    long len;
    int fd;

    /* like a core held in reset: messages and interrupts are not served */
    for (;;) {
        len = wire_recv(rt.chan, buf, sizeof(buf), &fd);
        if (fd >= 0)
            close(fd);
        if (len < 0 && errno == EINTR)
            continue;
        if (len <= 0 || (wire_open(&in, buf, (size_t)len) == 0 && in.type == WIRE_S_STOP))
            _exit(0);
    }
}

static void send_hello(const struct partix_load_info *li)
{
    static struct wire_out w;
    uint32_t i;

    wire_begin(&w, WIRE_P_HELLO, 0);
    wire_put_str(&w, li->name);
    wire_put_u8(&w, (uint8_t)li->n_services);
    for (i = 0; i < li->n_services; i++) {
        wire_put_u32(&w, li->services[i].sid);
        wire_put_u32(&w, li->services[i].signal);
    }
    wire_put_u8(&w, (uint8_t)li->n_irqs);
    for (i = 0; i < li->n_irqs; i++) {
        wire_put_u32(&w, li->irqs[i].signal);
        wire_put_u8(&w, li->irqs[i].flih != NULL);
    }
    rt_send(&w, -1);
}

static int read_config(void)
{
    static uint8_t buf[WIRE_MAX_MSG];
    struct wire_in m;
    struct stat st;
    uint8_t level, n, storage;
    uint16_t n_ids;
    long len;
    int fd;
    size_t i;

    len = wire_recv(rt.chan, buf, sizeof(buf), &fd);
    if (len <= 0 || fd >= 0 || wire_open(&m, buf, (size_t)len) || m.type != WIRE_S_CONFIG)
        return -1;
    if (wire_get_i32(&m, &rt.pid) || wire_get_u8(&m, &level) || wire_get_u32(&m, &rt.lifecycle) ||
        wire_get_u8(&m, &n) || n > RT_MAX_SERVICES)
        return -1;
    rt.log_level = level;
    for (i = 0; i < n; i++) {
        struct rt_service *s = &rt.services[i];
        uint8_t flags;

        if (wire_get_u32(&m, &s->sid) || wire_get_u32(&m, &s->signal) ||
            wire_get_u32(&m, &s->version) || wire_get_u8(&m, &flags))
            return -1;
        s->connection_based = flags & WIRE_SVC_CONNECTION_BASED;
        s->mm_iovec = flags & WIRE_SVC_MM_IOVEC;
        rt.service_mask |= s->signal;
    }
    rt.n_services = n;
    if (wire_get_u16(&m, &n_ids))
        return -1;
    rt.partition_ids = rt_alloc((n_ids + 1u) * sizeof(int32_t));
    if (rt.partition_ids == NULL)
        return -1;
    for (i = 0; i < n_ids; i++)
        if (wire_get_i32(&m, &rt.partition_ids[i]))
            return -1;
    rt.n_partition_ids = n_ids;
    if (wire_get_u8(&m, &n) || wire_get_u8(&m, &storage) || storage > 1 || wire_end(&m))
        return -1;
    /* the storage profile: the SPM left the partition's directory at fd 5 */
    if (storage && (fstat(SANDBOX_STORAGE_FD, &st) < 0 || !S_ISDIR(st.st_mode)))
        return -1;
    rt.storage = storage;
    /* the MMIO regions, each with its memory object */
    for (i = 0; i < n; i++) {
        len = wire_recv(rt.chan, buf, sizeof(buf), &fd);
        if (len <= 0 || wire_open(&m, buf, (size_t)len) || m.type != WIRE_S_REGION ||
            rt_mmio_map(&m, fd) < 0) {
            if (fd >= 0)
                close(fd);
            return -1;
        }
    }
    return 0;
}

/* Runs in the SIGSYS handler: one datagram, no allocation, little stack. */
static void report_violation(int nr, uint32_t arch)
{
    static struct wire_out w;

    wire_begin(&w, WIRE_P_VIOLATION, 0);
    wire_put_i32(&w, nr);
    wire_put_u32(&w, arch);
    (void)wire_send(rt.chan, &w, -1);
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
    static struct wire_out w;
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
    if (rt_stack_prepare(li->stack_size) < 0 || rt_mmio_arm() < 0)
        rt_panic("cannot set up the entry point's stack: %s", strerror(errno));
    if (sandbox_enter(SANDBOX_ALL, rt.storage ? SANDBOX_STORAGE_FD : -1, report_violation,
                      &landlock_abi, &step) < 0)
        rt_panic("sandbox: %s failed: %s", step, strerror(errno));
    wire_begin(&w, WIRE_P_READY, 0);
    wire_put_i32(&w, landlock_abi);
    rt_send(&w, -1);
    rt_heap_arm(li->heap_size);
    rt_stack_run(li->model_sfn ? sfn_entry : li->entry_point);
}
