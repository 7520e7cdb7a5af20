/*
 * sched.c - a partition's manifest priority on a Linux host.  Two
 * effects: the partition process's nice value, relative to psa-spm's own,
 * and the order in which psa-spm serves one batch of events, where
 * partitions come first, higher priority first, and clients last (as on
 * TF-M, where the non-secure side runs below every partition).
 */
#include <sys/epoll.h>

#include "spm.h"

int spm_nice_of(enum mf_priority prio, int daemon_nice)
{
    int nice = daemon_nice;

    if (prio == MF_PRIO_HIGH)
        nice -= SPM_NICE_STEP;
    else if (prio == MF_PRIO_LOW)
        nice += SPM_NICE_STEP;
    return nice < -20 ? -20 : nice > 19 ? 19 : nice;
}

/* 0 (served first) to 3: HIGH, NORMAL and LOW partitions, then the rest. */
static int rank(const struct epoll_event *ev, const struct mf_system *sys)
{
    uint32_t idx = SHELL_TAG_IDX(ev->data.u64);

    if (SHELL_TAG_KIND(ev->data.u64) != SPM_PEER_PART || idx >= sys->n_partitions)
        return 3;
    switch (sys->partitions[idx].priority) {
    case MF_PRIO_HIGH:
        return 0;
    case MF_PRIO_NORMAL:
        return 1;
    default:
        return 2;
    }
}

void spm_order_batch(struct epoll_event *ev, int n, const struct mf_system *sys)
{
    int i, j;

    /* a stable insertion sort: a batch holds at most a few dozen events,
     * and peers of one rank keep the kernel's order */
    for (i = 1; i < n; i++) {
        struct epoll_event e = ev[i];
        int r = rank(&e, sys);

        for (j = i; j > 0 && rank(&ev[j - 1], sys) > r; j--)
            ev[j] = ev[j - 1];
        ev[j] = e;
    }
}
