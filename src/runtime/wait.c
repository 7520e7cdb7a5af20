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

struct rt_state rt = {.chan = 3, .log_level = 2};

void psa_panic(void)
{
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
        /* On the M33 the SPM asserts signals while the partition runs: take
         * in everything the SPM has sent so far before answering, or a
         * signal left asserted (a doorbell not yet cleared, a message not
         * yet taken) would hide every later one from a loop on PSA_WAIT_ANY */
        while (rt_receive(false))
            ;
        got = asserted() & signal_mask;
        if (got != 0 || !(timeout & PSA_BLOCK))
            return got;
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
