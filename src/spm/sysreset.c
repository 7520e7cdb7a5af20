/*
 * sysreset.c - the system reset a partition asks for with
 * tfm_hal_system_reset() (P_RESET): only a PSA-ROT partition may; the log
 * names who asked and for which client; and the calls it was serving are
 * answered PSA_SUCCESS once the reset is over.  On an M33 those callers
 * are reset with everything else; a Linux caller is not, so it must get an
 * answer, and one that means "the system has started again".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spm.h"

struct waiter {
    struct waiter *next;
    struct spm_pending call;
};

static struct waiter *waiters;
static long deadline_ms; /* answered by then, started or not (0: no call timeout) */

/* "client -1", "clients -1, -1001", or "" for a reset asked outside any call. */
static void describe_clients(const struct spm_pending *calls, unsigned n, char *out, size_t size)
{
    size_t len = 0;
    unsigned i;

    out[0] = '\0';
    for (i = 0; i < n && len < size; i++)
        len += (size_t)snprintf(out + len, size - len, "%s%d",
                                i == 0 ? (n > 1 ? " for clients " : " for client ") : ", ",
                                (int)calls[i].client_id);
}

int spm_reset_request(struct spm_part *p, const struct wire_msg *m)
{
    const struct wire_reset *r = &m->u.reset;
    struct spm_conn *conns[WIRE_RESET_MAX_CALLS];
    struct spm_pending calls[WIRE_RESET_MAX_CALLS];
    char clients[WIRE_RESET_MAX_CALLS * 14], why[WIRE_MAX_NAME + 64];
    uint32_t syndrome = r->syndrome;
    uint8_t n = r->n_calls, i;

    if (p->state != PART_READY)
        return -1;
    for (i = 0; i < n; i++) {
        /* each a call the partition really has: it cannot answer for others */
        if ((conns[i] = spm_call_in(p, r->calls[i])) == NULL)
            return -1;
        for (uint8_t k = 0; k < i; k++)
            if (conns[k] == conns[i])
                return -1;
    }
    if (p->mf->type != MF_PSA_ROT) {
        spm_part_panic(p, "tfm_hal_system_reset: only a PSA-ROT partition may reset the system");
        return 0;
    }
    for (i = 0; i < n; i++)
        spm_call_take(conns[i], &calls[i]);
    describe_clients(calls, n, clients, sizeof(clients));
    spm_log(SPM_INFO, "partition %s (pid %d) asks for a system reset%s (reset syndrome 0x%x)",
            p->mf->name, (int)p->pid, clients, (unsigned)syndrome);
    if (spm.stopping)
        n = 0; /* no reset: the callers are dropped with the rest */
    for (i = 0; i < n; i++) {
        struct waiter *w = malloc(sizeof(*w));

        if (w == NULL) {
            spm_answer_call(calls[i].to, calls[i].seq, PSA_ERROR_INSUFFICIENT_MEMORY);
            continue;
        }
        w->call = calls[i];
        w->next = waiters;
        waiters = w;
    }
    if (waiters != NULL && spm.call_timeout_ms > 0)
        deadline_ms = spm_now_ms() + spm.call_timeout_ms;
    snprintf(why, sizeof(why), "requested by partition %s", p->mf->name);
    spm_system_reset(why);
    return 0;
}

long spm_reset_next_deadline(long now)
{
    if (waiters == NULL || deadline_ms == 0)
        return -1;
    return deadline_ms > now ? deadline_ms - now : 0;
}

void spm_reset_tick(long now)
{
    bool over = !spm.resetting;
    size_t i;

    if (waiters == NULL)
        return;
    for (i = 0; i < spm.n_parts && over; i++)
        over = spm.parts[i].state == PART_READY || spm.parts[i].state == PART_FAILED;
    if (!over && (deadline_ms == 0 || now < deadline_ms))
        return;
    if (over)
        spm_log(SPM_INFO, "system reset over: answering the calls that asked for it");
    else
        spm_log(SPM_WARN,
                "system reset: partitions still starting after %ld ms; answering the calls "
                "that asked for it",
                spm.call_timeout_ms);
    while (waiters != NULL) {
        struct waiter *w = waiters;

        waiters = w->next;
        if (w->call.to != NULL)
            spm_answer_call(w->call.to, w->call.seq, PSA_SUCCESS);
        free(w);
    }
    deadline_ms = 0;
}

void spm_reset_peer_gone(const struct peer *p)
{
    struct waiter *w;

    for (w = waiters; w != NULL; w = w->next)
        if (w->call.to == p)
            w->call.to = NULL;
}
