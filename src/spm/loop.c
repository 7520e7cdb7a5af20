/*
 * loop.c - the event loop.  Every descriptor the daemon reads is a peer on
 * one epoll set; writes that would block are queued per peer and flushed
 * when the socket drains, so no peer can stall the daemon.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "spm.h"

#define MAX_QUEUE (4u << 20) /* bytes queued to one peer before it is dropped */

static void watch(struct peer *p, bool out)
{
    struct epoll_event ev = {.events = EPOLLIN | (out ? EPOLLOUT : 0u), .data.ptr = p};

    if (epoll_ctl(spm.epfd, EPOLL_CTL_MOD, p->fd, &ev) == 0)
        p->watching_out = out;
}

void spm_peer_add(struct peer *p, int fd, enum peer_kind kind)
{
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = p};

    memset(p, 0, sizeof(*p));
    p->fd = fd;
    p->kind = kind;
    if (epoll_ctl(spm.epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
        spm_log(SPM_ERROR, "epoll_ctl: %s", strerror(errno));
        abort(); /* our own invariant: the set accepts every socket we own */
    }
}

void spm_peer_close(struct peer *p)
{
    struct outmsg *m, *next;

    if (p->fd < 0)
        return;
    epoll_ctl(spm.epfd, EPOLL_CTL_DEL, p->fd, NULL);
    close(p->fd);
    p->fd = -1;
    for (m = p->q_head; m != NULL; m = next) {
        next = m->next;
        if (m->fd >= 0)
            close(m->fd);
        free(m);
    }
    p->q_head = p->q_tail = NULL;
    p->q_len = 0;
}

/* Sends queued datagrams in order; false on a dead socket. */
static bool flush(struct peer *p)
{
    while (p->q_head != NULL) {
        struct outmsg *m = p->q_head;
        struct wire_frame f; /* the datagram was encoded when queued: one iovec on it */

        f.iov[0].iov_base = m->data;
        f.iov[0].iov_len = m->len;
        f.n_iov = 1;
        f.len = m->len;
        if (wire_send(p->fd, &f, m->fd) < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK;
        p->q_head = m->next;
        if (p->q_head == NULL)
            p->q_tail = NULL;
        p->q_len -= m->len;
        if (m->fd >= 0)
            close(m->fd);
        free(m);
    }
    if (p->watching_out)
        watch(p, false);
    return true;
}

bool spm_send(struct peer *p, const struct wire_msg *msg, int fd)
{
    struct wire_frame f;
    struct outmsg *m;
    size_t off = 0;
    int i;

    if (p->fd < 0)
        return false;
    if (wire_encode(&f, msg) < 0) {
        spm_log(SPM_ERROR, "internal: cannot encode a %s datagram", wire_type_name(msg->type));
        return false;
    }
    if (p->q_head == NULL) {
        if (wire_send(p->fd, &f, fd) == 0)
            return true;
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            return false;
    }
    if (p->q_len + f.len > MAX_QUEUE)
        return false;
    m = malloc(sizeof(*m) + f.len);
    if (m == NULL)
        return false;
    m->next = NULL;
    m->len = f.len;
    m->fd = fd >= 0 ? dup(fd) : -1;
    for (i = 0; i < f.n_iov; i++) {
        memcpy(m->data + off, f.iov[i].iov_base, f.iov[i].iov_len);
        off += f.iov[i].iov_len;
    }
    if (p->q_tail != NULL)
        p->q_tail->next = m;
    else
        p->q_head = m;
    p->q_tail = m;
    p->q_len += m->len;
    if (!p->watching_out)
        watch(p, true);
    return true;
}

static void reap(void)
{
    int status;
    pid_t pid;

    while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
        spm_part_reaped(pid, status);
}

static void on_signals(void)
{
    struct signalfd_siginfo si;

    while (read(spm.signals.fd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
        if (si.ssi_signo == SIGCHLD) {
            reap();
        } else if (!spm.stopping) {
            spm_log(SPM_INFO, "stopping on signal %s", strsignal((int)si.ssi_signo));
            spm.stopping = true;
        }
    }
}

static void on_event(struct peer *p, uint32_t events)
{
    if ((events & EPOLLOUT) && p->fd >= 0 && !flush(p)) {
        if (p->kind == PEER_CLIENT)
            spm_client_drop((struct spm_client *)p, "its socket failed");
        else if (p->kind == PEER_PARTITION)
            spm_part_kill((struct spm_part *)p, "its channel failed");
        return;
    }
    if (!(events & (EPOLLIN | EPOLLHUP | EPOLLERR)) || p->fd < 0)
        return;
    switch (p->kind) {
    case PEER_LISTEN:
        spm_accept();
        break;
    case PEER_SIGNALS:
        on_signals();
        break;
    case PEER_CLIENT:
        spm_client_input((struct spm_client *)p);
        break;
    case PEER_PARTITION:
        spm_part_input((struct spm_part *)p);
        break;
    }
}

int spm_loop_once(int timeout_ms)
{
    struct epoll_event ev[32];
    int n, i;

    n = epoll_wait(spm.epfd, ev, 32, timeout_ms);
    if (n < 0 && errno != EINTR) {
        spm_log(SPM_ERROR, "epoll_wait: %s", strerror(errno));
        return -1;
    }
    spm_order_batch(ev, n); /* pending work of higher-priority partitions first */
    for (i = 0; i < n; i++)
        on_event(ev[i].data.ptr, ev[i].events);
    spm_free_dropped();
    return n < 0 ? 0 : n;
}
