/*
 * clients.c - who asks: Linux users, their client processes (the owners of
 * handles, whatever socket a request arrives on) and their sockets.  A
 * client's identity is the kernel's (SO_PEERCRED), never what it sends.
 *
 * Requests in flight: every request counts against its socket and its user
 * from the moment it is read until it is answered.  A socket at its bound,
 * or one of a user at the user's bound, is no longer read (backpressure)
 * until answers free room; nothing a client sends is refused or dropped for
 * being fast, and nobody else waits for it.
 */
#include <stdlib.h>
#include <string.h>

#include "core_int.h"

static struct user *user_of(struct spm_core *c, uid_t uid, uint32_t *idx)
{
    size_t i;

    for (i = 0; i < c->n_users; i++) {
        if (c->users[i].uid == uid) {
            *idx = (uint32_t)i;
            return &c->users[i];
        }
    }
    if (c->n_users == c->cap_users) {
        size_t cap = c->cap_users ? c->cap_users * 2 : 8;
        struct user *u = realloc(c->users, cap * sizeof(*u));

        if (u == NULL)
            return NULL;
        c->users = u;
        c->cap_users = cap;
    }
    memset(&c->users[c->n_users], 0, sizeof(c->users[0]));
    c->users[c->n_users].uid = uid;
    *idx = (uint32_t)c->n_users;
    return &c->users[c->n_users++];
}

struct owner *owner_get(struct spm_core *c, struct ref r)
{
    return r.idx == NO_IDX ? NULL : slot_get(&c->owners, r);
}

struct ref owner_new_part(struct spm_core *c, uint32_t part, pid_t pid)
{
    struct ref r = {NO_IDX, 0};
    struct owner *o = slot_new(&c->owners, &r);

    if (o == NULL)
        return r;
    o->pid = pid;
    o->client_id = c->parts[part].mf->pid;
    o->user = NO_IDX;
    o->part = part;
    return r;
}

int spm_core_client_open(struct spm_core *c, long now, pid_t pid, uid_t uid, struct spm_peer *out)
{
    struct ref oref = {NO_IDX, 0}, cref;
    struct owner *o = NULL;
    struct client *k;
    struct user *u;
    uint32_t uidx;
    uint32_t i;

    if (now > c->now)
        c->now = now;
    if (c->stopping)
        return -1;
    /* -1 - uid is negative only up to INT32_MAX: a larger uid would get a
     * partition's client id (4294967036 would be the Crypto partition's
     * 259, and read its ITS entries) */
    if (uid > (uid_t)INT32_MAX) {
        fx_log(c, SPM_WARN, "client process %d: uid %u has no non-secure client id: refused",
               (int)pid, (unsigned)uid);
        return -1;
    }
    u = user_of(c, uid, &uidx);
    if (u == NULL)
        return -1;
    if (u->sockets >= c->cfg.max_sockets_user) {
        fx_log(c, SPM_WARN, "client process %d (uid %u): the user has %u sockets open: refused",
               (int)pid, (unsigned)uid, u->sockets);
        return -1;
    }
    for (i = 0; i < c->owners.used; i++) {
        o = slot_at(&c->owners, i);
        if (o != NULL && o->part == NO_IDX && o->pid == pid && o->uid == uid) {
            oref.idx = i;
            oref.gen = c->owners.gen[i];
            break;
        }
        o = NULL;
    }
    if (o == NULL) {
        o = slot_new(&c->owners, &oref);
        if (o == NULL)
            return -1;
        o->pid = pid;
        o->uid = uid;
        o->client_id = SPM_CLIENT_ID(uid);
        o->user = uidx;
        o->part = NO_IDX;
        fx_log(c, SPM_INFO, "client process %d (uid %u, client id %d) connected", (int)pid,
               (unsigned)uid, (int)o->client_id);
    }
    k = slot_new(&c->clients, &cref);
    if (k == NULL) {
        if (o->sockets == 0)
            slot_kill(&c->owners, oref.idx);
        return -1;
    }
    k->owner = oref;
    k->user = uidx;
    k->reading = true;
    o->sockets++;
    u->sockets++;
    *out = client_peer(cref);
    return 0;
}

/* Starts reading the sockets the bounds had stopped, where they allow. */
static void resume(struct spm_core *c, uint32_t uidx, struct client *only, struct ref only_ref)
{
    struct user *u = &c->users[uidx];
    uint32_t i;

    if (u->inflight >= c->cfg.max_inflight_user)
        return;
    if (only != NULL && !u->saturated) {
        if (!only->reading && only->inflight < c->cfg.max_inflight_socket) {
            only->reading = true;
            fx_read(c, client_peer(only_ref), true);
        }
        return;
    }
    u->saturated = false;
    for (i = 0; i < c->clients.used; i++) {
        struct client *k = slot_at(&c->clients, i);
        struct ref r = {i, c->clients.gen[i]};

        if (k != NULL && k->user == uidx && !k->reading &&
            k->inflight < c->cfg.max_inflight_socket) {
            k->reading = true;
            fx_read(c, client_peer(r), true);
        }
    }
}

void uncharge(struct spm_core *c, struct asker *a)
{
    struct ref r = {a->peer.idx, a->peer.gen};

    if (!a->charged)
        return;
    a->charged = false;
    if (a->user != NO_IDX) {
        struct client *k = a->peer.kind == SPM_PEER_CLIENT ? slot_get(&c->clients, r) : NULL;

        if (c->users[a->user].inflight > 0)
            c->users[a->user].inflight--;
        if (k != NULL && k->inflight > 0)
            k->inflight--;
        resume(c, a->user, k, r);
    } else if (a->peer.kind == SPM_PEER_PART && a->peer.idx < c->n_parts &&
               c->parts[a->peer.idx].gen == a->peer.gen && c->parts[a->peer.idx].inflight > 0) {
        c->parts[a->peer.idx].inflight--;
    }
}

void answer(struct spm_core *c, struct asker *a, struct wire_msg *m)
{
    answer_chan(c, a, m, NO_IDX);
}

void answer_chan(struct spm_core *c, struct asker *a, struct wire_msg *m, uint32_t idx)
{
    struct ref r = {a->peer.idx, a->peer.gen};
    struct spm_peer to = a->peer;
    bool live = false;

    if (to.kind == SPM_PEER_CLIENT)
        live = slot_get(&c->clients, r) != NULL;
    else if (to.kind == SPM_PEER_PART)
        live = to.idx < c->n_parts && c->parts[to.idx].gen == to.gen && c->parts[to.idx].alive &&
               !c->parts[to.idx].killed;
    uncharge(c, a);
    a->peer.kind = SPM_PEER_NONE;
    if (!live)
        return; /* its thread (or partition) is gone: the answer goes nowhere */
    m->seq = a->seq;
    fx_send(c, to, m, -1);
    if (idx != NO_IDX) {
        c->fx[c->n_fx - 1].conn = idx + 1;
        c->fx[c->n_fx - 1].conn_gen = c->conns.gen[idx];
    }
}

/* The request table of a client socket: each handler answers through k. */
static void on_version(struct spm_core *c, struct caller *k, const struct spm_event *ev)
{
    spm_version(c, k, &ev->msg->u.version_req);
}

static void on_connect(struct spm_core *c, struct caller *k, const struct spm_event *ev)
{
    spm_connect(c, k, &ev->msg->u.connect_req);
}

static void on_call(struct spm_core *c, struct caller *k, const struct spm_event *ev)
{
    spm_call(c, k, &ev->msg->u.call_req, ev->fd, ev->fd_ok);
}

static void on_close(struct spm_core *c, struct caller *k, const struct spm_event *ev)
{
    spm_close(c, k, &ev->msg->u.close_req);
}

/* Driving the board's interrupt lines is for the daemon's own user (and
 * root): test harnesses and simulated devices, not every client. */
static void on_irq(struct spm_core *c, struct caller *k, const struct spm_event *ev)
{
    const struct wire_irq_req *r = &ev->msg->u.irq_req;
    struct owner *o = owner_get(c, k->owner);
    struct wire_msg m;
    wire_msg_init(&m, WIRE_R_IRQ);

    if (o->uid != 0 && o->uid != c->cfg.daemon_uid) {
        fx_log(c, SPM_WARN, "client %d (uid %u) may not drive interrupt %s", (int)o->client_id,
               (unsigned)o->uid, r->source);
        m.u.status_rep.status = PSA_ERROR_NOT_PERMITTED;
    } else {
        m.u.status_rep.status = irq_drive(c, r->source, r->level != 0);
    }
    answer(c, &k->asker, &m);
}

static void on_stall(struct spm_core *c, struct caller *k, const struct spm_event *ev)
{
    spm_stall(c, k, &ev->msg->u.stall_req);
}

static void on_grow(struct spm_core *c, struct caller *k, const struct spm_event *ev)
{
    spm_grow(c, k, &ev->msg->u.grow_req, ev->fd, ev->fd_ok);
}

static const struct {
    uint16_t type;
    void (*fn)(struct spm_core *c, struct caller *k, const struct spm_event *ev);
} handlers[] = {
    {WIRE_C_VERSION, on_version}, {WIRE_C_CONNECT, on_connect}, {WIRE_C_CALL, on_call},
    {WIRE_C_CLOSE, on_close},     {WIRE_C_IRQ, on_irq},         {WIRE_C_STALL, on_stall},
    {WIRE_C_GROW, on_grow},
};

void clients_msg(struct spm_core *c, const struct spm_event *ev)
{
    struct ref r = {ev->from.idx, ev->from.gen};
    struct client *k = ev->from.kind == SPM_PEER_CLIENT ? slot_get(&c->clients, r) : NULL;
    const struct wire_msg *m = ev->msg;
    struct caller kl;
    struct user *u;
    size_t i;

    if (k == NULL || m == NULL) {
        fx_close_fd(c, ev->fd); /* a socket already dropped: nothing to answer */
        return;
    }
    for (i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
        if (handlers[i].type == m->type)
            break;
    if (i == sizeof(handlers) / sizeof(handlers[0]) ||
        (ev->fd >= 0 && m->type != WIRE_C_GROW &&
         !(m->type == WIRE_C_CALL && (m->u.call_req.flags & WIRE_CALL_MEMFD)))) {
        fx_close_fd(c, ev->fd);
        clients_gone(c, ev->from,
                     i == sizeof(handlers) / sizeof(handlers[0]) ? "unknown request type"
                                                                 : "malformed request");
        return;
    }
    u = &c->users[k->user];
    k->inflight++;
    u->inflight++;
    memset(&kl, 0, sizeof(kl));
    kl.asker.peer = ev->from;
    kl.asker.seq = m->seq;
    kl.asker.user = k->user;
    kl.asker.charged = true;
    kl.owner = k->owner;
    kl.part = NO_IDX;
    handlers[i].fn(c, &kl, ev);
    /* still counted: a request waiting in a partition.  At a bound, stop
     * reading (the socket's, or every socket of the user, which the
     * user's answers resume).  The user's bound is checked even when this
     * socket is no longer read: a request the shell had already taken
     * still counts, and the walk that resumes the user's sockets must
     * happen once it drops below. */
    k = slot_get(&c->clients, r);
    if (k == NULL)
        return;
    if (u->inflight >= c->cfg.max_inflight_user && !u->saturated) {
        u->saturated = true;
        for (i = 0; i < c->clients.used; i++) {
            struct client *o = slot_at(&c->clients, (uint32_t)i);
            struct ref orf = {(uint32_t)i, c->clients.gen[i]};

            if (o != NULL && o->user == k->user && o->reading) {
                o->reading = false;
                fx_read(c, client_peer(orf), false);
            }
        }
    } else if (k->reading && k->inflight >= c->cfg.max_inflight_socket) {
        k->reading = false;
        fx_read(c, ev->from, false);
    }
}

void clients_gone(struct spm_core *c, struct spm_peer from, const char *why)
{
    struct ref r = {from.idx, from.gen};
    struct client *k = from.kind == SPM_PEER_CLIENT ? slot_get(&c->clients, r) : NULL;
    struct owner *o;

    if (k == NULL)
        return;
    o = owner_get(c, k->owner);
    if (why != NULL)
        fx_log(c, SPM_WARN, "dropping client process %d (client id %d): %s", (int)o->pid,
               (int)o->client_id, why);
    fx_simple(c, SPM_FX_DROP, from);
    slot_kill(&c->clients, r.idx);
    if (c->users[k->user].sockets > 0)
        c->users[k->user].sockets--;
    if (--o->sockets == 0) {
        fx_log(c, SPM_INFO, "client process %d (client id %d) disconnected", (int)o->pid,
               (int)o->client_id);
        owner_gone(c, k->owner);
    }
}

void owner_gone(struct spm_core *c, struct ref o)
{
    if (owner_get(c, o) == NULL)
        return;
    conns_owner_gone(c, o);
    slot_kill(&c->owners, o.idx);
}

void clients_stop(struct spm_core *c)
{
    uint32_t i;

    for (i = 0; i < c->clients.used; i++) {
        struct ref r = {i, c->clients.gen[i]};

        if (slot_at(&c->clients, i) != NULL)
            clients_gone(c, client_peer(r), NULL);
    }
}
