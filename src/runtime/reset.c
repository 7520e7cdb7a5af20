/*
 * reset.c - tfm_hal_system_reset(): the partition asks the SPM for a system
 * reset (P_RESET), naming the calls it was serving, and waits to be ended.
 * The SPM decides whether it may (PSA-ROT only).
 */
#include "runtime.h"
#include "tfm_hal_platform.h"

/* The calls the partition has taken and not answered: the reset answers them. */
static bool serving(const struct rt_msg *m)
{
    return m->gotten && m->type >= PSA_IPC_CALL;
}

void tfm_hal_system_reset(uint32_t sw_reset_syn_value)
{
    static struct wire_out w;
    const struct rt_msg *m;
    uint8_t n = 0, k = 0;

    for (m = rt.queue; m != NULL; m = m->next)
        if (serving(m) && n < WIRE_RESET_MAX_CALLS)
            n++;
    wire_begin(&w, WIRE_P_RESET, 0);
    wire_put_u32(&w, sw_reset_syn_value);
    wire_put_u8(&w, n);
    for (m = rt.queue; m != NULL && k < n; m = m->next) {
        if (serving(m)) {
            wire_put_i32(&w, m->handle);
            k++;
        }
    }
    rt_send(&w, -1);
    rt_halt();
}
