/*
 * loop.c - the epoll loop around the core.  Each batch of ready peers is
 * served partitions first (by manifest priority), then clients, the
 * listening socket and signals.  Each datagram read becomes one event: the
 * core steps, and its outbox is carried out at once, while the payloads it
 * points at are still in the receive buffer, then cleared.  Whatever the
 * carrying out itself has to report (a socket that failed, a process that
 * was spawned, a device that raised a line) is queued as a new event for
 * after that outbox, never fed to the core from inside it.  After the
 * batch, the core frees what died in it.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <time.h>
#include <unistd.h>

#include "spm.h"

#define BATCH 64
#define PART_BUDGET 64 /* datagrams of one partition per readiness: then the others run */
#define MAX_WAIT_MS 60000

struct shell shell = {
    .epfd = -1, .sfd = -1, .lfd = -1, .mon_req = -1, .mon_rep = -1, .reserve_fd = -1};

/* Events to feed after the current outbox, first in first out. */
struct deferred {
    struct spm_event ev;
    char why[160];
};
static struct deferred *fifo;
static size_t fifo_head, fifo_len, fifo_cap;
static bool stepping;

long spm_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void shell_epoll_add(int fd, uint64_t tag, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.u64 = tag};

    if (epoll_ctl(shell.epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
        spm_log(SPM_ERROR, "epoll_ctl: %s", strerror(errno));
        abort(); /* our own invariant: the set takes every socket we own */
    }
}

void shell_epoll_mod(int fd, uint64_t tag, uint32_t events, uint32_t *cur)
{
    struct epoll_event ev = {.events = events, .data.u64 = tag};

    if (*cur != events && epoll_ctl(shell.epfd, EPOLL_CTL_MOD, fd, &ev) == 0)
        *cur = events;
}

int shell_init(struct spm_core *core, const struct mf_system *sys, int mon_req, int mon_rep)
{
    sigset_t mask;
    size_t i;

    shell.core = core;
    shell.sys = sys;
    shell.n_parts = sys->n_partitions;
    shell.parts = calloc(shell.n_parts ? shell.n_parts : 1, sizeof(*shell.parts));
    if (shell.parts == NULL)
        return -1;
    for (i = 0; i < shell.n_parts; i++)
        shell.parts[i].fd = -1;
    sigemptyset(&mask);
    sigaddset(&mask, SIGTERM);
    sigaddset(&mask, SIGINT);
    sigprocmask(SIG_BLOCK, &mask, NULL);
    signal(SIGPIPE, SIG_IGN);
    shell.epfd = epoll_create1(EPOLL_CLOEXEC);
    shell.sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
    if (shell.epfd < 0 || shell.sfd < 0 || shell_clients_init() < 0)
        return -1;
    shell_epoll_add(shell.sfd, SHELL_TAG(SHELL_SIGNALS, 0, 0), EPOLLIN);
    shell.mon_req = mon_req;
    shell.mon_rep = mon_rep;
    if (fcntl(mon_rep, F_SETFL, O_NONBLOCK) < 0)
        return -1;
    shell_epoll_add(mon_rep, SHELL_TAG(SHELL_MONITOR, 0, 0), EPOLLIN);
    shell.now = spm_now_ms();
    return 0;
}

void shell_listen(int lfd)
{
    shell.lfd = lfd;
    shell_epoll_add(lfd, SHELL_TAG(SHELL_LISTEN, 0, 0), EPOLLIN);
}

void shell_free(void)
{
    size_t i;

    for (i = 0; i < shell.cap_clients; i++)
        shell_client_close(&shell.clients[i]);
    for (i = 0; i < shell.n_parts; i++)
        shell_part_close(&shell.parts[i]);
    free(shell.clients);
    free(shell.parts);
    free(fifo);
    if (shell.lfd >= 0)
        close(shell.lfd);
    if (shell.reserve_fd >= 0)
        close(shell.reserve_fd);
    close(shell.sfd);
    close(shell.epfd);
    close(shell.mon_req);
    close(shell.mon_rep);
}

void shell_defer(const struct spm_event *ev)
{
    struct deferred *d;

    if (fifo_len == fifo_cap) {
        size_t cap = fifo_cap ? fifo_cap * 2 : 16, i;
        struct deferred *grown = malloc(cap * sizeof(*grown));

        if (grown == NULL)
            abort(); /* losing a peer's death would leave the core wrong for good */
        for (i = 0; i < fifo_len; i++)
            grown[i] = fifo[(fifo_head + i) % fifo_cap];
        free(fifo);
        fifo = grown;
        fifo_cap = cap;
        fifo_head = 0;
    }
    d = &fifo[(fifo_head + fifo_len++) % fifo_cap];
    d->ev = *ev;
    d->ev.msg = NULL;
    d->why[0] = '\0';
    if (ev->why != NULL)
        snprintf(d->why, sizeof(d->why), "%s", ev->why);
}

static void carry_out(void)
{
    const struct spm_effect *fx;
    size_t n;

    fx = spm_core_effects(shell.core, &n);
    shell_carry_out(fx, n);
    spm_core_clear(shell.core);
}

static void step_one(struct spm_event *ev)
{
    ev->now = shell.now;
    spm_core_step(shell.core, ev);
    /* the channel's generation is the core's: known once it took the spawn */
    if (ev->type == SPM_EV_PART_SPAWNED && ev->part < shell.n_parts &&
        shell.parts[ev->part].pid == ev->pid)
        shell.parts[ev->part].gen = spm_core_part_gen(shell.core, ev->part);
    carry_out();
}

void shell_run_deferred(void)
{
    if (stepping)
        return; /* the outer shell_step() runs them */
    stepping = true;
    while (fifo_len > 0) {
        struct deferred d = fifo[fifo_head];

        fifo_head = (fifo_head + 1) % fifo_cap;
        fifo_len--;
        d.ev.why = d.why[0] != '\0' ? d.why : NULL;
        step_one(&d.ev);
    }
    stepping = false;
}

void shell_step(struct spm_event *ev)
{
    if (stepping) {
        shell_defer(ev); /* never re-entrant: after the outbox in hand */
        return;
    }
    stepping = true;
    step_one(ev);
    stepping = false;
    shell_run_deferred();
}

void shell_carry_outbox(void)
{
    bool outer = !stepping;

    stepping = true;
    carry_out();
    stepping = !outer;
    shell_run_deferred();
}

static void on_signals(void)
{
    struct signalfd_siginfo si;

    while (read(shell.sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
        if (!shell.stopping) {
            spm_log(SPM_INFO, "stopping on signal %s", strsignal((int)si.ssi_signo));
            shell.stopping = true;
        }
    }
}

static void on_event(uint64_t tag, uint32_t events)
{
    uint32_t idx = SHELL_TAG_IDX(tag);

    switch (SHELL_TAG_KIND(tag)) {
    case SHELL_LISTEN:
        shell_accept();
        break;
    case SHELL_SIGNALS:
        on_signals();
        break;
    case SHELL_MONITOR:
        shell_priv_reports();
        break;
    case SPM_PEER_CLIENT:
        if (idx < shell.cap_clients && shell.clients[idx].gen == SHELL_TAG_GEN(tag)) {
            if (events & EPOLLOUT)
                shell_client_output(idx);
            if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
                shell_client_input(idx, events);
        }
        break;
    case SPM_PEER_PART:
        if (idx < shell.n_parts) {
            if (events & EPOLLOUT)
                shell_part_output(idx);
            if (events & (EPOLLIN | EPOLLHUP | EPOLLERR))
                shell_part_input(idx, PART_BUDGET);
        }
        break;
    default:
        break;
    }
    shell_run_deferred(); /* what a flush outside any step found out */
}

/* The first of the deadlines (ms from now, -1: none), capped at @p cap. */
static int next_wait(long now, long cap)
{
    long d[3] = {spm_core_next_deadline(shell.core, now), spm_board_next_deadline(now),
                 spm_log_next_deadline(now)};
    long wait = cap;
    int i;

    for (i = 0; i < 3; i++)
        if (d[i] >= 0 && (wait < 0 || d[i] < wait))
            wait = d[i];
    /* +1: epoll rounds down, and waking a moment early would only wait again */
    return wait < 0 ? -1 : wait >= MAX_WAIT_MS ? MAX_WAIT_MS : wait == 0 ? 0 : (int)wait + 1;
}

static void timers(void)
{
    struct spm_event tick = {.type = SPM_EV_TICK};

    if (spm_board_next_deadline(shell.now) == 0) {
        spm_board_tick(shell.now); /* lines and resets come back as deferred events */
        shell_run_deferred();
    }
    if (spm_core_next_deadline(shell.core, shell.now) == 0)
        shell_step(&tick);
    spm_log_flush(shell.now);
}

int shell_run_once(long cap_ms)
{
    struct epoll_event ev[BATCH];
    int n, i;

    n = epoll_wait(shell.epfd, ev, BATCH, next_wait(spm_now_ms(), cap_ms));
    if (n < 0 && errno != EINTR) {
        spm_log(SPM_ERROR, "epoll_wait: %s", strerror(errno));
        return -1;
    }
    shell.now = spm_now_ms();
    /* devices' time first: a watchdog's VALUE is current for what this batch wakes */
    spm_board_tick(shell.now);
    shell_run_deferred();
    spm_order_batch(ev, n, shell.sys); /* pending work of higher-priority partitions first */
    for (i = 0; i < n; i++)
        on_event(ev[i].data.u64, ev[i].events);
    timers();
    spm_core_reap(shell.core);
    return 0;
}
