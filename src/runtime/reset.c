/*
 * reset.c - tfm_hal_system_reset(): the partition asks the SPM for a system
 * reset (P_RESET), naming the calls it was serving, and waits to be ended.
 * The SPM decides whether it may (PSA-ROT only).
 */
#include "runtime.h"
#include "tfm_hal_platform.h"

/* The calls the partition has taken and not answered: the reset answers
 * them.  A direct call is not psa-spm's to name: its caller learns of the
 * reset as of any end of the partition (PSA_ERROR_COMMUNICATION_FAILURE). */
static bool serving(const struct rt_msg *m)
{
    return m->gotten && m->type >= PSA_IPC_CALL && m->direct == NULL;
}

void tfm_hal_system_reset(uint32_t sw_reset_syn_value)
{
    struct wire_msg w;
    struct wire_reset *r = &w.u.reset;
    const struct rt_msg *m;

    w.type = WIRE_P_RESET;
    w.seq = 0;
    r->syndrome = sw_reset_syn_value;
    r->n_calls = 0;
    for (m = rt.queue; m != NULL && r->n_calls < WIRE_RESET_MAX_CALLS; m = m->next)
        if (serving(m))
            r->calls[r->n_calls++] = m->handle;
    rt_send(&w, -1);
    rt_halt();
}
