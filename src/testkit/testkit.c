/*
 * testkit.c - libpsa-partition-test: the SPM of a unit test.
 *
 * It replaces the runtime's channel (channel.c) and nothing else: messages
 * are put straight into the runtime's queue, the partition's replies come
 * back through rt_send(), and its panics through rt_panic().  The partition
 * runs as a coroutine (ucontext) on a stack of its own with a guard page:
 * when it waits for a message with none queued, control returns to the test.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "client_int.h"
#include "partix/partition_test.h"
#include "partix/storage.h"
#include "psa/lifecycle.h"
#include "runtime.h"

#define STACK_SIZE (256u * 1024u)
#define MAX_CONNS 64

enum pt_state { PT_STOPPED, PT_RUNNING, PT_WAITING, PT_DEAD };

struct pt_conn {
    psa_handle_t handle;
    const struct partix_service_info *svc;
    uint64_t rhandle;
};

static struct {
    const struct partix_load_info *li;
    ucontext_t test_ctx, part_ctx;
    void *stack;
    size_t stack_len;
    enum pt_state state;
    int32_t client_id;
    int32_t next_msg;
    psa_handle_t next_handle;
    struct pt_conn conns[MAX_CONNS];
    char panic[WIRE_MAX_LOG];
    char last_log[WIRE_MAX_LOG];
    int32_t notified;
    psa_signal_t irq_enabled; /* as the SPM would track them */
    psa_signal_t irq_pending; /* fired by ptest_irq(), delivered in the partition */
    /* the message whose reply is awaited */
    int32_t msg;
    bool replied;
    psa_status_t status;
    psa_outvec *out;
    size_t out_len;
    bool set_rhandle;
    uint64_t rhandle;
} pt = {.client_id = -1};

/* ---- the runtime's transport, as a unit test provides it ---- */

void rt_panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(pt.panic, sizeof(pt.panic), fmt, ap);
    va_end(ap);
    pt.state = PT_DEAD;
    setcontext(&pt.test_ctx); /* the partition's stack is abandoned */
    abort();
}

bool rt_receive(bool block)
{
    const struct rt_msg *m;

    if (!block)
        return false; /* nothing arrives on its own in a unit test */
    for (m = rt.queue; m != NULL; m = m->next)
        if (!m->gotten)
            return true;
    pt.state = PT_WAITING;
    swapcontext(&pt.part_ctx, &pt.test_ctx);
    pt.state = PT_RUNNING;
    if (pt.irq_pending != 0) { /* the FLIH runs on the partition's stack, as in TF-M */
        psa_signal_t s = pt.irq_pending;

        pt.irq_pending = 0;
        rt_irq_fired(s);
    }
    return true;
}

static void take_reply(const struct wire_reply *r)
{
    size_t i;

    if (r->msg != pt.msg)
        abort(); /* the runtime and the harness disagree: a partix bug */
    for (i = 0; i < pt.out_len && i < r->n_out; i++) {
        if (r->written[i] > 0)
            memcpy(pt.out[i].base, r->out[i], r->written[i]);
        pt.out[i].len = r->written[i];
    }
    pt.replied = true;
    pt.status = r->status;
    pt.set_rhandle = (r->flags & WIRE_REPLY_SET_RHANDLE) != 0;
    pt.rhandle = r->rhandle;
}

/* What the partition sends, read from the message struct itself. */
void rt_send(const struct wire_msg *m, int fd)
{
    (void)fd;
    switch (m->type) {
    case WIRE_P_REPLY:
        take_reply(&m->u.reply);
        break;
    case WIRE_P_LOG:
        snprintf(pt.last_log, sizeof(pt.last_log), "%s", m->u.text.text);
        if (getenv("PTEST_QUIET") == NULL)
            fprintf(stderr, "[%s] %s\n", rt.name, m->u.text.text);
        break;
    case WIRE_P_NOTIFY:
        pt.notified = m->u.notify.partition_id;
        break;
    case WIRE_P_RESET:
        rt_panic("tfm_hal_system_reset: a system reset; the unit-test harness cannot restart "
                 "partitions: test it under psa-spm");
    case WIRE_C_BUFFER:
    case WIRE_C_CALL:
        rt_panic("a call to another partition: the unit-test harness has only this one; "
                 "test it under psa-spm");
    case WIRE_P_IRQ:
        if (m->u.irq_ctl.op == WIRE_IRQ_DISABLE)
            pt.irq_enabled &= ~m->u.irq_ctl.signal;
        else
            pt.irq_enabled |= m->u.irq_ctl.signal;
        break;
    default:
        break;
    }
}

void rt_halt(void)
{
    abort(); /* rt_send() never returns from a P_RESET here */
}

/* ---- running the coroutine ---- */

static void trampoline(void)
{
    if (pt.li->model_sfn)
        rt_sfn_loop(pt.li);
    pt.li->entry_point();
    rt_panic("the entry point returned");
}

static void run(void)
{
    if (pt.state == PT_DEAD || pt.state == PT_STOPPED)
        return;
    swapcontext(&pt.test_ctx, &pt.part_ctx);
}

/* The runtime's own buffers: in a unit test no heap_size is enforced. */
void *rt_alloc(size_t n)
{
    return calloc(1, n);
}

void rt_free(void *p)
{
    free(p);
}

static void free_queue(void)
{
    while (rt.queue != NULL)
        rt_msg_free(rt.queue);
}

int ptest_start(const struct partix_load_info *li)
{
    static int32_t self_id;
    long page = sysconf(_SC_PAGESIZE);
    uint32_t i;

    ptest_stop();
    memset(&pt.conns, 0, sizeof(pt.conns));
    pt.li = li;
    pt.panic[0] = pt.last_log[0] = '\0';
    pt.next_msg = 1;
    pt.next_handle = 1;
    memset(rt.services, 0, sizeof(rt.services));
    rt.name = li->name;
    rt.log_level = WIRE_LOG_DEBUG;
    rt.lifecycle = PSA_LIFECYCLE_SECURED;
    rt.service_mask = 0;
    rt.doorbell = false;
    rt.irqs = li->irqs;
    rt.n_irqs = li->n_irqs;
    rt.irq_mask = rt.irq_asserted = 0;
    for (i = 0; i < li->n_irqs; i++)
        rt.irq_mask |= li->irqs[i].signal;
    pt.irq_enabled = li->ffm_version == 0x0100u ? rt.irq_mask : 0; /* FF-M 1.0: enabled */
    pt.irq_pending = 0;
    rt.n_services = li->n_services < RT_MAX_SERVICES ? li->n_services : RT_MAX_SERVICES;
    for (i = 0; i < rt.n_services; i++) {
        rt.services[i].sid = li->services[i].sid;
        rt.services[i].signal = li->services[i].signal;
        rt.services[i].version = li->services[i].version;
        rt.services[i].connection_based = li->services[i].flags & PARTIX_SVC_CONNECTION_BASED;
        rt.services[i].mm_iovec = li->services[i].flags & PARTIX_SVC_MM_IOVEC;
        rt.service_mask |= li->services[i].signal;
    }
    self_id = 1; /* psa_notify() accepts this partition's own id in a unit test */
    rt.partition_ids = &self_id;
    rt.n_partition_ids = 1;
    /* its own stack, with a guard page below it */
    pt.stack_len = STACK_SIZE + (size_t)page;
    pt.stack = mmap(NULL, pt.stack_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (pt.stack == MAP_FAILED)
        abort();
    mprotect(pt.stack, (size_t)page, PROT_NONE);
    getcontext(&pt.part_ctx);
    pt.part_ctx.uc_stack.ss_sp = pt.stack;
    pt.part_ctx.uc_stack.ss_size = pt.stack_len;
    pt.part_ctx.uc_link = NULL;
    makecontext(&pt.part_ctx, trampoline, 0);
    pt.state = PT_RUNNING;
    run();
    return pt.state == PT_DEAD ? PTEST_PANICKED : 0;
}

void ptest_stop(void)
{
    free_queue();
    if (pt.stack != NULL && pt.stack != MAP_FAILED)
        munmap(pt.stack, pt.stack_len);
    pt.stack = NULL;
    pt.state = PT_STOPPED;
}

void ptest_set_client_id(int32_t client_id)
{
    pt.client_id = client_id;
}

const char *ptest_panic_reason(void)
{
    return pt.panic;
}

const char *ptest_last_log(void)
{
    return pt.last_log;
}

psa_status_t ptest_irq(psa_signal_t irq_signal)
{
    size_t i;

    if (pt.state != PT_WAITING)
        return pt.state == PT_DEAD ? PTEST_PANICKED : PSA_ERROR_BAD_STATE;
    for (i = 0; i < rt.n_irqs; i++)
        if (rt.irqs[i].signal == irq_signal)
            break;
    if (i == rt.n_irqs)
        return PSA_ERROR_DOES_NOT_EXIST;
    if (!(pt.irq_enabled & irq_signal))
        return PSA_ERROR_NOT_PERMITTED;
    if (rt.irqs[i].flih == NULL)
        pt.irq_enabled &= ~irq_signal; /* SLIH: disabled until psa_eoi() */
    pt.irq_pending = irq_signal;
    run();
    return pt.state == PT_DEAD ? PTEST_PANICKED : PSA_SUCCESS;
}

bool ptest_irq_enabled(psa_signal_t irq_signal)
{
    return (pt.irq_enabled & irq_signal) != 0;
}

bool ptest_notified(int32_t partition_id)
{
    bool r = pt.notified == partition_id;

    pt.notified = 0;
    return r;
}

/* Queues a message for @p c and runs the partition until it replies or waits. */
static psa_status_t deliver(struct pt_conn *c, int32_t type, const psa_invec *in, size_t in_len,
                            psa_outvec *out, size_t out_len)
{
    struct rt_msg *m, **tail;
    size_t i, off = 0;

    if (pt.state != PT_WAITING)
        return pt.state == PT_DEAD ? PTEST_PANICKED : PSA_ERROR_BAD_STATE;
    m = rt_alloc(sizeof(*m));
    if (m == NULL)
        abort();
    m->handle = pt.msg = pt.next_msg++;
    m->type = type;
    m->client_id = pt.client_id;
    m->rhandle = c->rhandle;
    m->signal = c->svc->signal;
    m->svc = rt_service_of(m->signal);
    m->v.n_in = (uint8_t)in_len;
    m->v.n_out = (uint8_t)out_len;
    for (i = 0; i < in_len; i++)
        m->v.in_len[i] = (uint32_t)in[i].len;
    for (i = 0; i < out_len; i++)
        m->v.out_len[i] = (uint32_t)out[i].len;
    m->in = rt_alloc(wire_vecs_in_total(&m->v) + 1);
    m->out = rt_alloc(wire_vecs_out_total(&m->v) + 1);
    if (m->in == NULL || m->out == NULL)
        abort();
    for (i = 0; i < in_len; i++) {
        if (in[i].len > 0)
            memcpy(m->in + off, in[i].base, in[i].len);
        off += in[i].len;
    }
    for (tail = &rt.queue; *tail != NULL; tail = &(*tail)->next)
        ;
    *tail = m;
    pt.replied = false;
    pt.out = out;
    pt.out_len = out_len;
    run();
    if (pt.state == PT_DEAD)
        return PTEST_PANICKED;
    if (!pt.replied)
        return PTEST_NO_REPLY;
    if (pt.set_rhandle && (c->svc->flags & PARTIX_SVC_CONNECTION_BASED))
        c->rhandle = pt.rhandle;
    return pt.status;
}

static const struct partix_service_info *service_by_sid(uint32_t sid)
{
    uint32_t i;

    for (i = 0; i < pt.li->n_services; i++)
        if (pt.li->services[i].sid == sid)
            return &pt.li->services[i];
    return NULL;
}

static struct pt_conn *conn_of(psa_handle_t h)
{
    size_t i;

    for (i = 0; i < MAX_CONNS; i++)
        if (pt.conns[i].svc != NULL && pt.conns[i].handle == h)
            return &pt.conns[i];
    return NULL;
}

psa_handle_t ptest_connect(uint32_t sid, uint32_t version)
{
    const struct partix_service_info *svc = service_by_sid(sid);
    struct pt_conn *c;
    psa_status_t st;

    if (svc == NULL)
        return PSA_ERROR_CONNECTION_REFUSED;
    if (!(svc->flags & PARTIX_SVC_CONNECTION_BASED))
        return PSA_ERROR_PROGRAMMER_ERROR;
    if ((svc->flags & PARTIX_SVC_RELAXED) ? version > svc->version : version != svc->version)
        return PSA_ERROR_CONNECTION_REFUSED;
    c = NULL;
    for (size_t i = 0; c == NULL && i < MAX_CONNS; i++)
        if (pt.conns[i].svc == NULL)
            c = &pt.conns[i];
    if (c == NULL)
        return PSA_ERROR_CONNECTION_BUSY;
    c->svc = svc;
    c->rhandle = 0;
    c->handle = pt.next_handle++;
    st = deliver(c, PSA_IPC_CONNECT, NULL, 0, NULL, 0);
    if (st != PSA_SUCCESS) {
        c->svc = NULL;
        return st;
    }
    return c->handle;
}

psa_status_t ptest_call(psa_handle_t handle, int32_t type, const psa_invec *in_vec, size_t in_len,
                        psa_outvec *out_vec, size_t out_len)
{
    struct pt_conn tmp = {0}, *c = NULL;
    psa_status_t st = partix_check_vectors(type, in_vec, in_len, out_vec, out_len, true);
    uint32_t i;

    if (st != PSA_SUCCESS)
        return st;
    if (wire_is_stateless(handle)) {
        for (i = 0; i < pt.li->n_services; i++)
            if (pt.li->services[i].stateless_handle == (uint32_t)handle)
                tmp.svc = &pt.li->services[i];
        c = tmp.svc != NULL ? &tmp : NULL;
    } else if (handle > 0) {
        c = conn_of(handle);
    }
    if (c == NULL)
        return PSA_ERROR_PROGRAMMER_ERROR;
    return deliver(c, type, in_vec, in_len, out_vec, out_len);
}

void ptest_close(psa_handle_t handle)
{
    struct pt_conn *c = handle > 0 ? conn_of(handle) : NULL;

    if (c == NULL)
        return;
    (void)deliver(c, PSA_IPC_DISCONNECT, NULL, 0, NULL, 0);
    c->svc = NULL;
}

/* In-process, a partition has no storage directory of its own. */
int partix_storage_dir(void)
{
    return -1;
}
