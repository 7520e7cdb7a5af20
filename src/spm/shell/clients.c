/*
 * clients.c - the client socket.  A client's identity is what the kernel
 * says (SO_PEERCRED), never what it sends; whether it is let in, and
 * everything it may do, is the core's.  Here: accepting without spinning
 * when descriptors run out, one datagram per readiness while the core and
 * the queue bounds let the socket be read, and the checks no datagram can
 * make alone (a passed descriptor: only a large call's memory object).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "spm.h"

#define ACCEPT_BUDGET 8     /* connections per readiness of the listening socket */
#define EMFILE_LOG_MS 1000L /* the EMFILE warning, at most once per second */
#define MAX_CLIENT_IDX 0x0fffffffu

int shell_clients_init(void)
{
    /* the reserve: given up for a moment at EMFILE to accept and close a
     * connection, which a level-triggered listening socket would otherwise
     * report again at once, forever */
    shell.reserve_fd = fcntl(shell.sfd, F_DUPFD_CLOEXEC, 0); /* any will do: none is opened */
    return shell.reserve_fd < 0 ? -1 : 0;
}

static void refuse_one(int err)
{
    int fd;

    if (shell.reserve_fd >= 0)
        close(shell.reserve_fd);
    fd = accept4(shell.lfd, NULL, NULL, SOCK_CLOEXEC);
    if (fd >= 0)
        close(fd);
    shell.reserve_fd = fcntl(shell.sfd, F_DUPFD_CLOEXEC, 0);
    if (shell.emfile_logged == 0 || shell.now - shell.emfile_logged >= EMFILE_LOG_MS) {
        spm_log(SPM_WARN, "accept: %s: refusing connections until descriptors are free",
                strerror(err));
        shell.emfile_logged = shell.now;
    }
}

static uint64_t tag_of(const struct shell_client *c, uint32_t idx)
{
    return SHELL_TAG(SPM_PEER_CLIENT, idx, c->gen);
}

/* The slot at the index the core gave: the array grows (on accept only). */
static struct shell_client *slot(uint32_t idx)
{
    if (idx > MAX_CLIENT_IDX)
        return NULL;
    if (idx >= shell.cap_clients) {
        size_t cap = shell.cap_clients ? shell.cap_clients : 64, i;
        struct shell_client *grown;

        while (cap <= idx)
            cap *= 2;
        grown = realloc(shell.clients, cap * sizeof(*grown));
        if (grown == NULL)
            return NULL;
        memset(grown + shell.cap_clients, 0, (cap - shell.cap_clients) * sizeof(*grown));
        for (i = shell.cap_clients; i < cap; i++)
            grown[i].fd = -1;
        shell.clients = grown;
        shell.cap_clients = cap;
    }
    return &shell.clients[idx];
}

static void accept_one(int fd)
{
    struct ucred cred;
    socklen_t len = sizeof(cred);
    struct spm_peer peer;
    struct shell_client *c;

    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0 ||
        spm_core_client_open(shell.core, shell.now, cred.pid, cred.uid, &peer) < 0) {
        close(fd);
        shell_carry_outbox(); /* why it was refused */
        return;
    }
    c = slot(peer.idx);
    if (c == NULL) {
        struct spm_event ev = {.type = SPM_EV_CLIENT_GONE, .from = peer};

        spm_log(SPM_WARN, "out of memory: dropping a new client socket");
        close(fd);
        shell_carry_outbox();
        shell_step(&ev);
        return;
    }
    shell_client_close(c); /* nothing should be left there: the core reused the index */
    c->fd = fd;
    c->gen = peer.gen;
    c->read_core = true;
    c->events = EPOLLIN;
    shell_epoll_add(fd, tag_of(c, peer.idx), EPOLLIN);
    shell_carry_outbox();
}

void shell_accept(void)
{
    int i, fd;

    for (i = 0; i < ACCEPT_BUDGET && shell.lfd >= 0; i++) {
        fd = accept4(shell.lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd >= 0) {
            accept_one(fd);
        } else if (errno == EMFILE || errno == ENFILE) {
            refuse_one(errno);
            return;
        } else if (errno != ECONNABORTED && errno != EINTR) {
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                spm_log(SPM_WARN, "accept: %s", strerror(errno));
            return;
        }
    }
}

struct shell_client *shell_client(struct spm_peer to)
{
    struct shell_client *c;

    if (to.kind != SPM_PEER_CLIENT || to.idx >= shell.cap_clients)
        return NULL;
    c = &shell.clients[to.idx];
    return c->fd >= 0 && c->gen == to.gen ? c : NULL;
}

void shell_chan_close(int *fd, uint32_t *events, struct sendq *q)
{
    if (*fd < 0)
        return;
    epoll_ctl(shell.epfd, EPOLL_CTL_DEL, *fd, NULL);
    close(*fd);
    *fd = -1;
    *events = 0;
    sendq_free(q);
    shell_queues_check();
}

void shell_client_close(struct shell_client *c)
{
    shell_chan_close(&c->fd, &c->events, &c->q);
}

void shell_client_watch(struct shell_client *c, uint32_t idx)
{
    uint32_t ev = 0;

    if (c->fd < 0)
        return;
    if (c->read_core && !sendq_hold(&c->q))
        ev |= EPOLLIN;
    if (c->q.head != NULL)
        ev |= EPOLLOUT;
    shell_epoll_mod(c->fd, tag_of(c, idx), ev, &c->events);
}

void shell_queues_check(void)
{
    size_t i;

    if (!sendq_total_flipped())
        return;
    for (i = 0; i < shell.cap_clients; i++)
        if (shell.clients[i].fd >= 0)
            shell_client_watch(&shell.clients[i], (uint32_t)i);
}

/* The socket is closed and the core told, now (reading) or after the
 * current outbox (sending). */
static void gone(struct shell_client *c, uint32_t idx, enum spm_event_type type, const char *why,
                 bool now)
{
    struct spm_event ev = {.type = type, .from = {SPM_PEER_CLIENT, idx, c->gen}, .why = why};

    shell_client_close(c);
    if (now)
        shell_step(&ev);
    else
        shell_defer(&ev);
}

void shell_client_send(struct shell_client *c, uint32_t idx, const struct wire_frame *f, int fd)
{
    shell_client_send_fds(c, idx, f, &fd, fd >= 0 ? 1 : 0);
}

void shell_client_send_fds(struct shell_client *c, uint32_t idx, const struct wire_frame *f,
                           const int *fds, int n_fds)
{
    if (sendq_send_fds(&c->q, c->fd, f, fds, n_fds) < 0) {
        spm_log(SPM_DEBUG, "client socket %u: send: %s", (unsigned)idx, strerror(errno));
        gone(c, idx, SPM_EV_CLIENT_GONE, NULL, false);
        return;
    }
    shell_client_watch(c, idx);
    shell_queues_check();
}

void shell_client_output(uint32_t idx)
{
    struct shell_client *c = &shell.clients[idx];

    if (c->fd < 0)
        return;
    if (sendq_flush(&c->q, c->fd) < 0) {
        spm_log(SPM_DEBUG, "client socket %u: send: %s", (unsigned)idx, strerror(errno));
        gone(c, idx, SPM_EV_CLIENT_GONE, NULL, true);
        return;
    }
    shell_client_watch(c, idx);
    shell_queues_check();
}

void shell_client_input(uint32_t idx, uint32_t events)
{
    struct shell_client *c = &shell.clients[idx];
    struct wire_msg *m = &shell.msg;
    struct spm_event ev;
    long len;
    int fd;

    if (c->fd < 0)
        return;
    if (!(c->events & EPOLLIN)) {
        /* not read for now (backpressure): only its end is news, and
         * nobody is left to answer */
        if (events & (EPOLLHUP | EPOLLERR))
            gone(c, idx, SPM_EV_CLIENT_GONE, NULL, true);
        return;
    }
    len = wire_recv(c->fd, shell.rx, sizeof(shell.rx), &fd);
    if (len < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        return;
    if (len == 0 || (len < 0 && errno != EBADMSG)) {
        gone(c, idx, SPM_EV_CLIENT_GONE, NULL, true); /* an orderly close, or a reset */
        return;
    }
    if (len < 0) {
        gone(c, idx, SPM_EV_CLIENT_BAD, "oversized datagram or stray descriptors", true);
        return;
    }
    if (wire_decode(shell.rx, (size_t)len, m) < 0) {
        if (fd >= 0)
            close(fd);
        gone(c, idx, SPM_EV_CLIENT_BAD, "malformed datagram", true);
        return;
    }
    if (fd >= 0 && m->type != WIRE_C_GROW &&
        (m->type != WIRE_C_CALL || !(m->u.call_req.flags & WIRE_CALL_MEMFD))) {
        /* only a large call passes a descriptor, or a big data area: its
         * memory object */
        close(fd);
        gone(c, idx, SPM_EV_CLIENT_BAD, "malformed request: a descriptor it does not take", true);
        return;
    }
    memset(&ev, 0, sizeof(ev));
    ev.type = SPM_EV_CLIENT_MSG;
    ev.from = (struct spm_peer){SPM_PEER_CLIENT, idx, c->gen};
    ev.msg = m;
    ev.fd = fd;
    if (m->type == WIRE_C_GROW) {
        struct wire_vecs v = {.n_in = 1, .in_len = {0}};

        /* the same checks, for its whole size */
        v.in_len[0] = (uint32_t)(m->u.grow_req.size > UINT32_MAX ? UINT32_MAX : m->u.grow_req.size);
        ev.fd_ok = fd >= 0 && shell_memobj_ok(fd, &v);
    } else {
        ev.fd_ok = fd >= 0 && shell_memobj_ok(fd, &m->u.call_req.vecs);
    }
    shell_step(&ev);
}
