/*
 * wait.c - signals: psa_wait, the doorbell, interrupts, the lifecycle, the
 * log, and psa_panic.  Nothing here knows how messages arrive: rt_receive()
 * is the process's channel (channel.c) or the unit-test harness (testkit).
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

struct rt_state rt = {.chan = 3, .log_level = 2, .reply_fd = -1, .reply_fd2 = -1};

void psa_panic(void)
{
    rt_stack_mark();
    rt_panic("psa_panic() called");
}

const struct rt_service *rt_service_of(psa_signal_t sig)
{
    size_t i;

    for (i = 0; i < rt.n_services; i++)
        if (rt.services[i].signal == sig)
            return &rt.services[i];
    return NULL;
}

static psa_signal_t asserted(void)
{
    psa_signal_t s = (rt.doorbell ? PSA_DOORBELL : 0) | rt.irq_asserted;
    const struct rt_msg *m;

    for (m = rt.queue; m != NULL; m = m->next)
        if (!m->gotten)
            s |= m->signal;
    return s;
}

psa_signal_t psa_wait(psa_signal_t signal_mask, uint32_t timeout)
{
    psa_signal_t mine = rt.service_mask | rt.irq_mask | PSA_DOORBELL, got;
    bool fresh = false;

    rt_stack_mark();

    if ((signal_mask & mine) == 0)
        rt_panic("psa_wait: mask 0x%08x holds none of the partition's signals (0x%08x)",
                 signal_mask, mine);
    for (;;) {
        got = asserted() & signal_mask;
        if (got != 0 || !(timeout & PSA_BLOCK)) {
            /* On the M33 the SPM asserts signals while the partition runs:
             * take in everything sent so far before answering, or a signal
             * left asserted (a doorbell not yet cleared, a message not yet
             * taken) would hide every later one from a loop on
             * PSA_WAIT_ANY.  Just after a wait, everything was taken. */
            if (!fresh) {
                while (rt_receive(false))
                    ;
                got = asserted() & signal_mask;
            }
            return got;
        }
        rt_log_flush(); /* a line begun without its newline, before idling */
        rt_receive(true);
        fresh = rt_direct_enabled(); /* its wait takes in all there is */
    }
}

void psa_notify(int32_t partition_id)
{
    struct wire_msg m;
    size_t i;

    rt_stack_mark();

    for (i = 0; i < rt.n_partition_ids; i++)
        if (rt.partition_ids[i] == partition_id)
            break;
    if (i == rt.n_partition_ids)
        rt_panic("psa_notify: %d is not a partition ID", (int)partition_id);
    m.type = WIRE_P_NOTIFY;
    m.seq = 0;
    m.u.notify.partition_id = partition_id;
    rt_send(&m, -1);
}

void psa_clear(void)
{
    rt_stack_mark();
    if (!rt.doorbell)
        rt_panic("psa_clear: PSA_DOORBELL is not asserted");
    rt.doorbell = false;
}

/* ---- interrupts: the SPM owns the line and its enable bit, the runtime
 * the signal ---- */

static const struct partix_irq_info *irq_of(const char *fn, psa_signal_t s)
{
    size_t i;

    if (s == 0 || (s & (s - 1)) != 0)
        rt_panic("%s: 0x%08x is not one signal", fn, s);
    for (i = 0; i < rt.n_irqs; i++)
        if (rt.irqs[i].signal == s)
            return &rt.irqs[i];
    rt_panic("%s: 0x%08x is not an interrupt signal of the partition", fn, s);
}

static void irq_ctl(psa_signal_t s, uint8_t op)
{
    struct wire_msg m;

    m.type = WIRE_P_IRQ;
    m.seq = 0;
    m.u.irq_ctl.signal = s;
    m.u.irq_ctl.op = op;
    rt_send(&m, -1);
}

void rt_irq_fired(psa_signal_t signal)
{
    size_t i;

    for (i = 0; i < rt.n_irqs; i++) {
        if (rt.irqs[i].signal != signal)
            continue;
        if (rt.irqs[i].flih == NULL || rt.irqs[i].flih() == PSA_FLIH_SIGNAL)
            rt.irq_asserted |= signal;
        return;
    }
    rt_panic("the SPM raised 0x%08x, which is no interrupt of this partition", signal);
}

void psa_eoi(psa_signal_t irq_signal)
{
    rt_stack_mark();
    if (irq_of("psa_eoi", irq_signal)->flih != NULL)
        rt_panic("psa_eoi: 0x%08x is an FLIH interrupt (psa_reset_signal clears it)", irq_signal);
    if (!(rt.irq_asserted & irq_signal))
        rt_panic("psa_eoi: interrupt signal 0x%08x is not asserted", irq_signal);
    rt.irq_asserted &= ~irq_signal;
    irq_ctl(irq_signal, WIRE_IRQ_EOI);
}

void psa_irq_enable(psa_signal_t irq_signal)
{
    rt_stack_mark();
    (void)irq_of("psa_irq_enable", irq_signal);
    irq_ctl(irq_signal, WIRE_IRQ_ENABLE);
}

psa_irq_status_t psa_irq_disable(psa_signal_t irq_signal)
{
    rt_stack_mark();
    (void)irq_of("psa_irq_disable", irq_signal);
    irq_ctl(irq_signal, WIRE_IRQ_DISABLE);
    return 1; /* as TF-M: the value is reserved, always 1 */
}

void psa_reset_signal(psa_signal_t irq_signal)
{
    rt_stack_mark();
    if (irq_of("psa_reset_signal", irq_signal)->flih == NULL)
        rt_panic("psa_reset_signal: 0x%08x is an SLIH interrupt (psa_eoi ends it)", irq_signal);
    if (!(rt.irq_asserted & irq_signal))
        rt_panic("psa_reset_signal: interrupt signal 0x%08x is not asserted", irq_signal);
    rt.irq_asserted &= ~irq_signal;
}

uint32_t psa_rot_lifecycle_state(void)
{
    return rt.lifecycle;
}
