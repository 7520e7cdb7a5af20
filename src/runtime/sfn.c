/*
 * sfn.c - the SFN model: the runtime's own loop takes each message and calls
 * the service's <service>_sfn function, whose return value is the reply.
 */
#include "partix/load_info.h"
#include "runtime.h"

/* The SFN model: the runtime's own loop calls the service functions. */
void rt_sfn_loop(const struct partix_load_info *li)
{
    psa_status_t st;
    psa_msg_t msg;
    uint32_t i;

    /* the partition's frames are the sfn functions', below this loop's */
    if (rt.stack_base != 0)
        rt.stack_base = (uintptr_t)__builtin_frame_address(0);
    if (li->entry_init != NULL && (st = li->entry_init()) != PSA_SUCCESS)
        rt_panic("entry_init returned %d", (int)st);
    for (;;) {
        psa_signal_t sig = psa_wait(rt.service_mask, PSA_BLOCK);

        for (i = 0; i < li->n_services; i++) {
            if (!(sig & li->services[i].signal))
                continue;
            if (psa_get(li->services[i].signal, &msg) != PSA_SUCCESS)
                continue;
            st = li->services[i].sfn(&msg);
            /* the return value is the reply, with psa_reply()'s rules: TF-M
             * panics on any other answer to a CONNECT, so partix does too,
             * naming the sfn rather than psa_reply() */
            if (msg.type == PSA_IPC_CONNECT && st != PSA_SUCCESS &&
                st != PSA_ERROR_CONNECTION_REFUSED && st != PSA_ERROR_CONNECTION_BUSY)
                rt_panic("%s: its sfn answered a CONNECT with %d; FF-M allows PSA_SUCCESS, "
                         "PSA_ERROR_CONNECTION_REFUSED or PSA_ERROR_CONNECTION_BUSY",
                         li->services[i].name, (int)st);
            psa_reply(msg.handle, st);
        }
    }
}
