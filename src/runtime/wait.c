/*
 * wait.c - signals: receiving the SPM's messages, psa_wait, the doorbell,
 * interrupts; and the partition's exits: psa_panic and rt_panic.
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

#include "psa/lifecycle.h"
#include "runtime.h"
#include "tfm_sp_log.h"

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

void psa_panic(void)
{
    rt_panic("psa_panic() called");
}

static const struct rt_service *service_of(psa_signal_t sig)
{
    size_t i;

    for (i = 0; i < rt.n_services; i++)
        if (rt.services[i].signal == sig)
            return &rt.services[i];
    return NULL;
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
    struct rt_msg *m = calloc(1, sizeof(*m)), **tail;
    const uint8_t *bytes;
    uint8_t flags;
    uint64_t n_in;

    if (m == NULL)
        rt_panic("out of memory for a message");
    if (wire_get_i32(in, &m->handle) || wire_get_i32(in, &m->type) ||
        wire_get_i32(in, &m->client_id) || wire_get_u64(in, &m->rhandle) ||
        wire_get_u32(in, &m->signal) || wire_get_u8(in, &flags) || wire_get_vecs(in, &m->v))
        rt_panic("malformed message from the SPM");
    m->svc = service_of(m->signal);
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
        m->in = malloc(n_in + 1);
        m->out = calloc(wire_vecs_out_total(&m->v) + 1, 1);
        if (m->in == NULL || m->out == NULL)
            rt_panic("out of memory for a message");
        memcpy(m->in, bytes, (size_t)n_in);
    }
    for (tail = &rt.queue; *tail != NULL; tail = &(*tail)->next)
        ;
    *tail = m;
}

void rt_receive(bool block)
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
                    return; /* nothing pending */
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
        default:
            rt_panic("unexpected message type %u from the SPM", in.type);
        }
        return;
    }
}

static psa_signal_t asserted(void)
{
    psa_signal_t s = rt.doorbell ? PSA_DOORBELL : 0;
    const struct rt_msg *m;

    for (m = rt.queue; m != NULL; m = m->next)
        if (!m->gotten)
            s |= m->signal;
    return s;
}

psa_signal_t psa_wait(psa_signal_t signal_mask, uint32_t timeout)
{
    psa_signal_t mine = rt.service_mask | PSA_DOORBELL, got;

    if ((signal_mask & mine) == 0)
        rt_panic("psa_wait: mask 0x%08x holds none of the partition's signals (0x%08x)",
                 signal_mask, mine);
    for (;;) {
        got = asserted() & signal_mask;
        if (got != 0)
            return got;
        if (!(timeout & PSA_BLOCK)) {
            rt_receive(false);
            return asserted() & signal_mask;
        }
        rt_receive(true);
    }
}

void psa_notify(int32_t partition_id)
{
    static struct wire_out w;
    size_t i;

    for (i = 0; i < rt.n_partition_ids; i++)
        if (rt.partition_ids[i] == partition_id)
            break;
    if (i == rt.n_partition_ids)
        rt_panic("psa_notify: %d is not a partition ID", (int)partition_id);
    wire_begin(&w, WIRE_P_NOTIFY, 0);
    wire_put_i32(&w, partition_id);
    rt_send(&w, -1);
}

void psa_clear(void)
{
    if (!rt.doorbell)
        rt_panic("psa_clear: PSA_DOORBELL is not asserted");
    rt.doorbell = false;
}

/* Interrupts arrive with the platform description (not yet): until then no
 * signal is an interrupt signal, and FF-M makes each call a programmer error. */
static void not_irq(const char *fn, psa_signal_t s)
{
    rt_panic("%s: 0x%08x is not an interrupt signal of the partition", fn, s);
}

void psa_eoi(psa_signal_t irq_signal)
{
    not_irq("psa_eoi", irq_signal);
}

void psa_irq_enable(psa_signal_t irq_signal)
{
    not_irq("psa_irq_enable", irq_signal);
}

psa_irq_status_t psa_irq_disable(psa_signal_t irq_signal)
{
    not_irq("psa_irq_disable", irq_signal);
    return 0;
}

void psa_reset_signal(psa_signal_t irq_signal)
{
    not_irq("psa_reset_signal", irq_signal);
}

uint32_t psa_rot_lifecycle_state(void)
{
    return rt.lifecycle;
}

int partix_log(int level, const char *fmt, ...)
{
    static struct wire_out w;
    char text[WIRE_MAX_LOG];
    va_list ap;
    size_t n;
    int r;

    va_start(ap, fmt);
    r = vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    if (level > rt.log_level)
        return r;
    n = strlen(text);
    while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r'))
        text[--n] = '\0';
    wire_begin(&w, WIRE_P_LOG, 0);
    wire_put_u8(&w, (uint8_t)level);
    wire_put_str(&w, text);
    rt_send(&w, -1);
    return r;
}
