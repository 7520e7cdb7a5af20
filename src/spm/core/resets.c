/*
 * resets.c - the system reset a partition asks for with
 * tfm_hal_system_reset() (P_RESET): only a PSA-ROT partition may; the log
 * names who asked and for which client; and the calls it was serving are
 * answered PSA_SUCCESS once the reset is over.  On an M33 those callers
 * are reset with everything else; a Linux caller is not, so it must get an
 * answer, and one that means "the system has started again".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_int.h"

/* " for client -1", " for clients -1, -1001", or "" for a reset asked outside any call. */
static void describe_clients(const struct waiter *w, unsigned n, char *out, size_t size)
{
    size_t len = 0;
    unsigned i;

    out[0] = '\0';
    for (i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(out + len, size - len, "%s%d",
                                i == 0 ? (n > 1 ? " for clients " : " for client ") : ", ",
                                (int)w[i].client_id);
}

void reset_request(struct spm_core *c, uint32_t part, const struct wire_reset *r)
{
    struct waiter calls[WIRE_RESET_MAX_CALLS];
    uint32_t idx[WIRE_RESET_MAX_CALLS];
    char clients[WIRE_RESET_MAX_CALLS * 14], why[WIRE_MAX_NAME + 64];
    struct part *p = &c->parts[part];
    unsigned i, k, n = r->n_calls;

    for (i = 0; i < n; i++) {
        /* each a call the partition really has: it cannot answer for others */
        if (msg_call_in(c, part, r->calls[i], &idx[i]) == NULL ||
            conn_get(c, idx[i])->msg_type < PSA_IPC_CALL) {
            part_kill(c, part, "malformed or unexpected datagram");
            return;
        }
        for (k = 0; k < i; k++) {
            if (idx[k] == idx[i]) {
                part_kill(c, part, "malformed or unexpected datagram");
                return;
            }
        }
    }
    if (p->mf->type != MF_PSA_ROT) {
        part_panic(c, part, "tfm_hal_system_reset: only a PSA-ROT partition may reset the system");
        return;
    }
    for (i = 0; i < n; i++) {
        struct conn *k2 = conn_get(c, idx[i]);

        calls[i].asker = k2->asker;
        calls[i].client_id = k2->client_id;
        k2->asker.charged = false; /* the waiter carries the request now */
        msg_leave(c, k2);
        call_done(c, idx[i]);
    }
    describe_clients(calls, n, clients, sizeof(clients));
    fx_log(c, SPM_INFO, "partition %s (pid %d) asks for a system reset%s (reset syndrome 0x%x)",
           p->mf->name, (int)p->pid, clients, (unsigned)r->syndrome);
    for (i = 0; i < n; i++) {
        if (c->stopping) {
            uncharge(c, &calls[i].asker); /* no reset: the callers are dropped with the rest */
            continue;
        }
        if (c->n_waiters == c->cap_waiters) {
            size_t cap = c->cap_waiters ? c->cap_waiters * 2 : 8;
            struct waiter *w = realloc(c->waiters, cap * sizeof(*w));

            if (w == NULL) {
                struct wire_msg m;
                wire_msg_init(&m, WIRE_R_CALL);

                m.u.call_rep.status = PSA_ERROR_INSUFFICIENT_MEMORY;
                answer(c, &calls[i].asker, &m);
                continue;
            }
            c->waiters = w;
            c->cap_waiters = cap;
        }
        c->waiters[c->n_waiters++] = calls[i];
    }
    if (c->n_waiters > 0 && c->cfg.call_timeout_ms > 0)
        c->waiters_deadline = c->now + c->cfg.call_timeout_ms;
    snprintf(why, sizeof(why), "requested by partition %s", p->mf->name);
    system_reset(c, why);
}

static bool reset_over(const struct spm_core *c)
{
    size_t i;

    if (c->resetting)
        return false;
    for (i = 0; i < c->n_parts; i++)
        if (c->parts[i].state != SPM_PART_READY && c->parts[i].state != SPM_PART_FAILED)
            return false;
    return true;
}

long resets_next_deadline(const struct spm_core *c, long now)
{
    if (c->n_waiters == 0)
        return -1;
    if (reset_over(c))
        return 0;
    if (c->waiters_deadline == 0)
        return -1;
    return c->waiters_deadline > now ? c->waiters_deadline - now : 0;
}

void resets_tick(struct spm_core *c)
{
    bool over = reset_over(c);
    size_t i;

    if (c->n_waiters == 0)
        return;
    if (!over && (c->waiters_deadline == 0 || c->now < c->waiters_deadline))
        return;
    if (over)
        fx_log(c, SPM_INFO, "system reset over: answering the calls that asked for it");
    else
        fx_log(c, SPM_WARN,
               "system reset: partitions still starting after %ld ms; answering the calls "
               "that asked for it",
               c->cfg.call_timeout_ms);
    for (i = 0; i < c->n_waiters; i++) {
        struct wire_msg m;
        wire_msg_init(&m, WIRE_R_CALL);

        m.u.call_rep.status = PSA_SUCCESS;
        answer(c, &c->waiters[i].asker, &m);
    }
    c->n_waiters = 0;
    c->waiters_deadline = 0;
}
