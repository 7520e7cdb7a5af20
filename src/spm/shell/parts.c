/*
 * parts.c - partition channels and processes.  A channel is read up to a
 * budget per readiness, every datagram an event; a malformed one, or a
 * descriptor with anything but a large call, is the partition's fault
 * (PART_BAD), a closed or failed channel its end (PART_EOF).
 *
 * A dead partition's last words (its panic, its last log lines) are still
 * queued on its channel when the monitor reports its end: the channel is
 * drained first, so the core learns why before it learns that.  The
 * monitor reaps; a kill goes through it, to its children not reaped yet,
 * so no pid the router names is ever another process's.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include "spm.h"

#define DRAIN_MAX 1024         /* datagrams read from a dead partition's channel at most */
#define GEN_UNKNOWN UINT32_MAX /* until the core took the spawn */

struct shell_part *shell_part(struct spm_peer to)
{
    struct shell_part *p;

    if (to.kind != SPM_PEER_PART || to.idx >= shell.n_parts)
        return NULL;
    p = &shell.parts[to.idx];
    return p->fd >= 0 && p->gen == to.gen ? p : NULL;
}

void shell_part_close(struct shell_part *p)
{
    shell_chan_close(&p->fd, &p->events, &p->q);
    shell_fast_close(p);
}

void shell_part_spawned(uint32_t idx, pid_t pid, int chan)
{
    struct shell_part *p = &shell.parts[idx];

    shell_part_close(p); /* a channel of an earlier process is done with */
    p->fd = chan;
    p->pid = pid;
    p->gen = GEN_UNKNOWN;
    p->events = EPOLLIN;
    shell_epoll_add(chan, SHELL_TAG(SPM_PEER_PART, idx, 0), EPOLLIN);
}

static void watch(struct shell_part *p, uint32_t idx)
{
    if (p->fd >= 0)
        shell_epoll_mod(p->fd, SHELL_TAG(SPM_PEER_PART, idx, 0),
                        EPOLLIN | (p->q.head != NULL ? EPOLLOUT : 0u), &p->events);
}

/* A hard error on the channel: closed, and PART_EOF after this outbox.
 * Never for a long queue: the core's window bounds it. */
static void failed(struct shell_part *p, uint32_t idx)
{
    struct spm_event ev = {.type = SPM_EV_PART_EOF, .from = {SPM_PEER_PART, idx, p->gen}};

    spm_log(SPM_DEBUG, "partition channel %u: send: %s", (unsigned)idx, strerror(errno));
    shell_part_close(p);
    shell_defer(&ev);
}

void shell_part_send(struct shell_part *p, uint32_t idx, const struct wire_frame *f, int fd)
{
    shell_part_send_fds(p, idx, f, &fd, fd >= 0 ? 1 : 0);
}

void shell_part_send_fds(struct shell_part *p, uint32_t idx, const struct wire_frame *f,
                         const int *fds, int n_fds)
{
    if (sendq_send_fds(&p->q, p->fd, f, fds, n_fds) < 0) {
        failed(p, idx);
        return;
    }
    watch(p, idx);
    shell_queues_check();
}

void shell_part_output(uint32_t idx)
{
    struct shell_part *p = &shell.parts[idx];

    if (p->fd < 0)
        return;
    if (sendq_flush(&p->q, p->fd) < 0) {
        failed(p, idx);
        return;
    }
    watch(p, idx);
    shell_queues_check();
}

static void bad(struct shell_part *p, uint32_t idx, const char *why)
{
    struct spm_event ev = {
        .type = SPM_EV_PART_BAD, .from = {SPM_PEER_PART, idx, p->gen}, .why = why};

    shell_step(&ev); /* the core kills it */
}

/* A ready partition's nice value, and the one its priority asks for: the
 * core logs them (raising a partition needs CAP_SYS_NICE). */
static void read_nice(const struct shell_part *p, uint32_t idx, struct spm_event *ev)
{
    bool known;

    errno = 0;
    ev->nice = getpriority(PRIO_PROCESS, (id_t)p->pid); /* -1 may be a nice value: errno tells */
    known = errno == 0;
    errno = 0;
    ev->nice_want = spm_nice_of(shell.sys->partitions[idx].priority, getpriority(PRIO_PROCESS, 0));
    ev->nice_known = known && errno == 0;
}

/* Reads one datagram: 1 one was taken, 0 none is there, -1 the channel
 * ended (reported as PART_EOF unless @p dying: PART_EXITED follows). */
static int recv_one(struct shell_part *p, uint32_t idx, bool dying)
{
    struct wire_msg *m = &shell.msg;
    struct spm_event ev;
    long len;
    int fd;

    len = wire_recv(p->fd, shell.rx, sizeof(shell.rx), &fd);
    if (len < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return 0;
    if (len == 0 || (len < 0 && errno != EBADMSG)) {
        memset(&ev, 0, sizeof(ev));
        ev.type = SPM_EV_PART_EOF;
        ev.from = (struct spm_peer){SPM_PEER_PART, idx, p->gen};
        shell_part_close(p);
        if (!dying)
            shell_step(&ev);
        return -1;
    }
    if (len < 0) {
        bad(p, idx, "oversized datagram or stray descriptors");
        return -1;
    }
    if (wire_decode(shell.rx, (size_t)len, m) < 0) {
        if (fd >= 0)
            close(fd);
        bad(p, idx, "malformed datagram");
        return -1;
    }
    if (fd >= 0 && (m->type != WIRE_C_CALL || !(m->u.call_req.flags & WIRE_CALL_MEMFD))) {
        close(fd); /* only a large call to a dependency passes a descriptor: its memfd */
        bad(p, idx, "malformed datagram: a descriptor it does not take");
        return -1;
    }
    memset(&ev, 0, sizeof(ev));
    ev.type = SPM_EV_PART_MSG;
    ev.from = (struct spm_peer){SPM_PEER_PART, idx, p->gen};
    ev.msg = m;
    ev.fd = fd;
    ev.fd_ok = fd >= 0 && shell_memobj_ok(fd, &m->u.call_req.vecs);
    if (m->type == WIRE_P_READY)
        read_nice(p, idx, &ev);
    shell_step(&ev);
    return 1;
}

void shell_part_input(uint32_t idx, uint32_t budget)
{
    struct shell_part *p = &shell.parts[idx];

    while (budget-- > 0 && p->fd >= 0 && recv_one(p, idx, false) > 0)
        ;
}

void shell_part_exited(uint32_t idx, pid_t pid, int status)
{
    struct spm_event ev = {.type = SPM_EV_PART_EXITED, .pid = pid, .status = status};
    struct shell_part *p = &shell.parts[idx];
    int n;

    /* what it said before it died first; a channel of a later process
     * (the core spawned again before this end was reported) is not its */
    if (p->pid == pid) {
        for (n = 0; p->fd >= 0 && n < DRAIN_MAX; n++)
            if (recv_one(p, idx, true) <= 0)
                break;
        p->pid = 0;
        shell_part_close(p);
    }
    shell_step(&ev);
}
