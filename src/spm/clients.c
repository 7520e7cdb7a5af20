/*
 * clients.c - the client socket.  A client's identity is what the kernel
 * says (SO_PEERCRED), never what it sends: its uid gives the FF-M client id
 * and its process owns its handles, whichever of its sockets (libpsa-client
 * opens one per thread) a request arrives on.  Each request type has one
 * handler in the table; a malformed datagram drops that socket only.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "spm.h"

static struct spm_client *dropped;

static struct spm_owner *owner_for(pid_t pid, uid_t uid)
{
    struct spm_owner *o;

    for (o = spm.owners; o != NULL; o = o->next)
        if (o->pid == pid && o->uid == uid)
            return o;
    o = calloc(1, sizeof(*o));
    if (o == NULL)
        return NULL;
    o->pid = pid;
    o->uid = uid;
    o->client_id = SPM_CLIENT_ID(uid);
    o->next = spm.owners;
    spm.owners = o;
    spm_log(SPM_INFO, "client process %d (uid %u, client id %d) connected", (int)pid, (unsigned)uid,
            (int)o->client_id);
    return o;
}

static void owner_release(struct spm_owner *o)
{
    struct spm_owner **pp;

    if (--o->n_sockets > 0)
        return;
    spm_log(SPM_INFO, "client process %d (client id %d) disconnected", (int)o->pid,
            (int)o->client_id);
    spm_owner_gone(o);
    for (pp = &spm.owners; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == o) {
            *pp = o->next;
            break;
        }
    }
    free(o);
}

void spm_accept(void)
{
    struct ucred cred;
    socklen_t len = sizeof(cred);
    struct spm_client *c;
    int fd;

    fd = accept4(spm.listen.fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
        if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
            spm_log(SPM_WARN, "accept: %s", strerror(errno));
        return;
    }
    if (spm.stopping || getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0) {
        close(fd);
        return;
    }
    /* -1 - uid is negative only up to INT32_MAX: a larger uid would get a
     * partition's client id (4294967036 would be the Crypto partition's
     * 259, and read its ITS entries) */
    if (cred.uid > (uid_t)INT32_MAX) {
        spm_log(SPM_WARN, "client process %d: uid %u has no non-secure client id: refused",
                (int)cred.pid, (unsigned)cred.uid);
        close(fd);
        return;
    }
    c = calloc(1, sizeof(*c));
    if (c == NULL || (c->owner = owner_for(cred.pid, cred.uid)) == NULL) {
        spm_log(SPM_WARN, "out of memory: refusing a client");
        free(c);
        close(fd);
        return;
    }
    c->owner->n_sockets++;
    spm_peer_add(&c->peer, fd, PEER_CLIENT);
    c->next = spm.clients;
    spm.clients = c;
}

void spm_client_drop(struct spm_client *c, const char *why)
{
    struct spm_client **pp;

    if (c->peer.fd < 0)
        return;
    if (why != NULL)
        spm_log(SPM_WARN, "dropping client process %d (client id %d): %s", (int)c->owner->pid,
                (int)c->owner->client_id, why);
    spm_peer_close(&c->peer);
    spm_peer_gone(&c->peer);
    for (pp = &spm.clients; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    }
    owner_release(c->owner);
    c->owner = NULL;
    c->next = dropped;
    dropped = c;
}

void spm_free_dropped(void)
{
    while (dropped != NULL) {
        struct spm_client *c = dropped;

        dropped = c->next;
        free(c);
    }
}

static struct spm_caller caller_of(struct spm_client *c)
{
    struct spm_caller k = {&c->peer, c->owner, NULL};

    return k;
}

/* Request handlers: the codec has checked every field; a descriptor comes
 * only with a large call. */

static int on_version(struct spm_client *c, const struct wire_msg *m, int fd)
{
    struct spm_caller k = caller_of(c);

    if (fd >= 0)
        return -1;
    spm_version(&k, m->seq, m->u.version_req.sid);
    return 0;
}

static int on_connect(struct spm_client *c, const struct wire_msg *m, int fd)
{
    struct spm_caller k = caller_of(c);

    if (fd >= 0)
        return -1;
    spm_connect(&k, m->seq, m->u.connect_req.sid, m->u.connect_req.version);
    return 0;
}

static int on_call(struct spm_client *c, const struct wire_msg *m, int fd)
{
    struct spm_caller k = caller_of(c);

    spm_call(&k, m, fd); /* validates, closing fd on every path */
    return 0;
}

static int on_close(struct spm_client *c, const struct wire_msg *m, int fd)
{
    struct spm_caller k = caller_of(c);

    if (fd >= 0)
        return -1;
    spm_close(&k, m->seq, m->u.close_req.handle);
    return 0;
}

/* Driving the board's interrupt lines is for the daemon's own user (and
 * root): test harnesses and simulated devices, not every client. */
static int on_irq(struct spm_client *c, const struct wire_msg *m, int fd)
{
    const struct wire_irq_req *q = &m->u.irq_req;
    struct wire_msg r;

    if (fd >= 0)
        return -1;
    r.type = WIRE_R_IRQ;
    r.seq = m->seq;
    if (c->owner->uid != 0 && c->owner->uid != geteuid()) {
        spm_log(SPM_WARN, "client %d (uid %u) may not drive interrupt %s", c->owner->client_id,
                (unsigned)c->owner->uid, q->source);
        r.u.status_rep.status = PSA_ERROR_NOT_PERMITTED;
    } else {
        r.u.status_rep.status = spm_irq_drive(q->source, q->level != 0);
    }
    if (!spm_send(&c->peer, &r, -1))
        spm_client_drop(c, "its socket is full or broken");
    return 0;
}

static const struct {
    uint16_t type;
    int (*fn)(struct spm_client *c, const struct wire_msg *m, int fd);
} handlers[] = {
    {WIRE_C_VERSION, on_version}, {WIRE_C_CONNECT, on_connect}, {WIRE_C_CALL, on_call},
    {WIRE_C_CLOSE, on_close},     {WIRE_C_IRQ, on_irq},
};

void spm_client_input(struct spm_client *c)
{
    static uint8_t buf[WIRE_MAX_MSG];
    struct wire_msg m;
    long len;
    size_t i;
    int fd;

    len = wire_recv(c->peer.fd, buf, sizeof(buf), &fd);
    if (len < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
    if (len == 0) {
        spm_client_drop(c, NULL); /* an orderly close */
        return;
    }
    if (len < 0) {
        spm_client_drop(c, errno == EBADMSG ? "oversized datagram or stray descriptors"
                                            : strerror(errno));
        return;
    }
    if (wire_decode(buf, (size_t)len, &m) < 0) {
        if (fd >= 0)
            close(fd);
        spm_client_drop(c, "malformed datagram");
        return;
    }
    for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++) {
        if (handlers[i].type != m.type)
            continue;
        if (handlers[i].fn(c, &m, fd) < 0) {
            if (fd >= 0)
                close(fd);
            spm_client_drop(c, "malformed request");
        }
        return;
    }
    if (fd >= 0)
        close(fd);
    spm_client_drop(c, "unknown request type");
}
