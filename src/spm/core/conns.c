/*
 * conns.c - connections: from psa_connect (or a stateless psa_call) to the
 * partition's reply to DISCONNECT.  A connection carries at most one
 * message at a time; the answer goes to the socket that asked, and a client
 * that leaves mid-message is disconnected once the partition has answered.
 *
 * A handle names its connection's slot and generation, (index + 1) | gen
 * << 16 below the stateless bit, so it is found without a search and a
 * stale one (a closed connection's, reused slot) does not resolve.
 */
#include <stdlib.h>
#include <string.h>

#include "core_int.h"

struct conn *conn_get(struct spm_core *c, uint32_t idx)
{
    return slot_at(&c->conns, idx);
}

static int32_t handle_of(uint32_t idx, uint32_t gen)
{
    return (int32_t)((idx + 1u) | (gen & 0x3fffu) << 16);
}

static struct conn *find_handle(struct spm_core *c, struct ref owner, int32_t h, uint32_t *idx)
{
    struct conn *k;
    uint32_t i;

    if (h <= 0 || wire_is_stateless(h))
        return NULL;
    i = ((uint32_t)h & 0xffffu) - 1u;
    k = conn_get(c, i);
    if (k == NULL || k->handle != h || k->owner.idx != owner.idx || k->owner.gen != owner.gen)
        return NULL;
    *idx = i;
    return k;
}

/* Connections counted against the limit: a user's, or one partition's. */
static unsigned *count_of(struct spm_core *c, struct ref owner)
{
    struct owner *o = owner_get(c, owner);

    if (o == NULL)
        return NULL;
    return o->user != NO_IDX ? &c->users[o->user].conns : &o->conns;
}

static void uncount(struct spm_core *c, struct conn *k)
{
    unsigned *n;

    if (!k->counted)
        return;
    k->counted = false;
    n = count_of(c, k->owner);
    if (n != NULL && *n > 0)
        (*n)--;
}

static struct conn *conn_new(struct spm_core *c, struct caller *cl, const struct mf_service *svc,
                             uint32_t part, uint32_t *idx)
{
    struct owner *o = owner_get(c, cl->owner);
    struct ref r;
    struct conn *k = slot_new(&c->conns, &r);

    if (k == NULL)
        return NULL;
    k->owner = cl->owner;
    k->client_id = o->client_id;
    k->ns = cl->part == NO_IDX;
    k->svc = svc;
    k->part = part;
    k->part_gen = c->parts[part].gen;
    k->fd = -1;
    k->asker.peer.kind = SPM_PEER_NONE;
    *idx = r.idx;
    return k;
}

void conn_die(struct spm_core *c, uint32_t idx)
{
    struct conn *k = conn_get(c, idx);

    if (k == NULL)
        return;
    uncount(c, k);
    if (k->close_waits && k->asker.peer.kind != SPM_PEER_NONE) {
        struct wire_msg m;
        wire_msg_init(&m, WIRE_R_CLOSE);

        m.u.status_rep.status = PSA_SUCCESS; /* the connection is gone: psa_close returns */
        answer(c, &k->asker, &m);
    }
    uncharge(c, &k->asker);
    if (k->has_msg)
        msg_leave(c, k);
    if (k->direct) {
        struct spm_effect *e = fx_add(c, SPM_FX_CHAN_CLOSE);

        e->conn = idx;
        e->conn_gen = c->conns.gen[idx];
    }
    slot_kill(&c->conns, idx);
}

/* Calls on direct connection @p idx fail with @p st from now on, and one in
 * progress is answered so. */
static void chan_fail(struct spm_core *c, uint32_t idx, psa_status_t st)
{
    struct spm_effect *e = fx_add(c, SPM_FX_CHAN_FAIL);

    e->conn = idx;
    e->conn_gen = c->conns.gen[idx];
    e->status = st;
}

void send_disconnect(struct spm_core *c, uint32_t idx)
{
    struct conn *k = conn_get(c, idx);
    struct part *p = &c->parts[k->part];

    uncount(c, k);
    memset(&k->vecs, 0, sizeof(k->vecs));
    k->flags = 0;
    k->state = CONN_CLOSING;
    k->handle = 0;
    k->asker.peer.kind = SPM_PEER_NONE;
    if (p->state != SPM_PART_READY || p->gen != k->part_gen || p->killed) {
        conn_die(c, idx);
        return;
    }
    msg_queue(c, idx, PSA_IPC_DISCONNECT, NULL, -1);
}

void call_done(struct spm_core *c, uint32_t idx)
{
    struct conn *k = conn_get(c, idx);

    k->state = CONN_IDLE;
    k->asker.peer.kind = SPM_PEER_NONE;
    if (k->handle == 0 && !k->svc->connection_based)
        conn_die(c, idx); /* a stateless call ends with its reply */
    else if (k->disconnect_after)
        send_disconnect(c, idx);
}

/* May a secure caller use this service?  Only if its manifest says so. */
static bool declared(const struct spm_core *c, uint32_t part, const struct mf_service *svc)
{
    const struct mf_partition *mf = c->parts[part].mf;
    size_t i;

    for (i = 0; i < mf->n_deps; i++)
        if (strcmp(mf->deps[i].service, svc->name) == 0)
            return true;
    for (i = 0; i < mf->n_weak_deps; i++)
        if (strcmp(mf->weak_deps[i].service, svc->name) == 0)
            return true;
    return false;
}

static uint32_t part_index(const struct spm_core *c, const struct mf_partition *mf)
{
    return (uint32_t)(mf - c->cfg.sys->partitions);
}

static void answer_status(struct spm_core *c, struct caller *k, uint16_t type, int32_t v)
{
    struct wire_msg m;
    wire_msg_init(&m, type);

    if (type == WIRE_R_CONNECT)
        m.u.connect_rep.result = v;
    else
        m.u.status_rep.status = v;
    answer(c, &k->asker, &m);
}

static void answer_call(struct spm_core *c, struct asker *a, psa_status_t st)
{
    struct wire_msg m;
    wire_msg_init(&m, WIRE_R_CALL);

    m.u.call_rep.status = st;
    answer(c, a, &m);
}

void spm_version(struct spm_core *c, struct caller *k, const struct wire_version_req *r)
{
    const struct mf_service *svc = mf_find_sid(c->cfg.sys, r->sid, NULL);
    struct wire_msg m;
    wire_msg_init(&m, WIRE_R_VERSION);

    if (k->part != NO_IDX && svc != NULL && !declared(c, k->part, svc))
        svc = NULL; /* not among its dependencies: as if it did not exist */
    m.u.version_rep.version = spm_policy_version(svc, k->part == NO_IDX);
    answer(c, &k->asker, &m);
}

void spm_connect(struct spm_core *c, struct caller *k, const struct wire_connect_req *r)
{
    const struct mf_partition *owner_mf = NULL;
    const struct mf_service *svc = mf_find_sid(c->cfg.sys, r->sid, &owner_mf);
    psa_status_t st = spm_policy_connect(svc, k->part == NO_IDX, r->version);
    uint32_t pi = svc ? part_index(c, owner_mf) : 0, idx;
    struct owner *o = owner_get(c, k->owner);
    unsigned *count = count_of(c, k->owner);
    struct conn *cn;

    if (k->part != NO_IDX) {
        /* a secure caller is panicked for what a non-secure one is told */
        if (svc == NULL)
            part_panic(c, k->part, "psa_connect: no service has SID 0x%x", r->sid);
        else if (!declared(c, k->part, svc))
            part_panic(c, k->part, "psa_connect: %s is not in its manifest's dependencies",
                       svc->name);
        else if (st != PSA_SUCCESS)
            part_panic(c, k->part, "psa_connect: %s v%u: %s", svc->name, r->version,
                       st == PSA_ERROR_PROGRAMMER_ERROR ? "a stateless service"
                                                        : "version refused");
        if (svc == NULL || st != PSA_SUCCESS || !declared(c, k->part, svc)) {
            uncharge(c, &k->asker);
            return;
        }
    }
    if (st == PSA_SUCCESS && c->parts[pi].state != SPM_PART_READY)
        st = c->parts[pi].state == SPM_PART_FAILED ? PSA_ERROR_CONNECTION_REFUSED
                                                   : PSA_ERROR_CONNECTION_BUSY;
    if (st == PSA_SUCCESS && c->parts[pi].killed)
        st = PSA_ERROR_CONNECTION_BUSY; /* killed, not yet reaped: it restarts or fails soon */
    if (st == PSA_SUCCESS && (count == NULL || *count >= c->cfg.max_conns))
        st = PSA_ERROR_CONNECTION_BUSY;
    if (st == PSA_SUCCESS && (cn = conn_new(c, k, svc, pi, &idx)) == NULL)
        st = PSA_ERROR_CONNECTION_BUSY;
    if (st != PSA_SUCCESS) {
        fx_log(c, SPM_DEBUG, "client %d: connect to SID 0x%x v%u: %d", (int)o->client_id, r->sid,
               r->version, (int)st);
        answer_status(c, k, WIRE_R_CONNECT, st);
        return;
    }
    (*count)++;
    cn->counted = true;
    cn->handle = handle_of(idx, c->conns.gen[idx]);
    cn->state = CONN_CONNECTING;
    cn->asker = k->asker;
    k->asker.charged = false; /* the connection carries the request now */
    msg_queue(c, idx, PSA_IPC_CONNECT, NULL, -1);
    fx_log(c, SPM_DEBUG, "client %d: connect %s -> handle %d", (int)o->client_id, svc->name,
           (int)cn->handle);
}

void spm_call(struct spm_core *c, struct caller *k, const struct wire_call_req *r, int fd,
              bool fd_ok)
{
    const struct mf_partition *owner_mf = NULL;
    const struct mf_service *svc;
    struct conn *cn = NULL;
    psa_status_t st = PSA_ERROR_PROGRAMMER_ERROR;
    bool memfd = (r->flags & WIRE_CALL_MEMFD) != 0, fresh = false;
    uint64_t total = wire_vecs_in_total(&r->vecs) + wire_vecs_out_total(&r->vecs);
    uint32_t idx = NO_IDX, version, slot;

    if (memfd != (fd >= 0)) {
        /* the codec's shape, but not a call this SPM can carry out */
        fx_close_fd(c, fd);
        uncharge(c, &k->asker);
        if (k->part != NO_IDX)
            part_kill(c, k->part, "malformed call");
        else
            clients_gone(c, k->asker.peer, "malformed call");
        return;
    }
    if (!spm_type_valid(r->type))
        goto refuse;
    if (wire_is_stateless(r->handle)) {
        svc = spm_stateless_service(c->cfg.sys, r->handle, &owner_mf);
        version = 0;
        (void)wire_stateless_parts(r->handle, &version, &slot);
        st = spm_policy_stateless(svc, k->part == NO_IDX, version);
        if (st == PSA_SUCCESS && k->part != NO_IDX && !declared(c, k->part, svc))
            st = PSA_ERROR_CONNECTION_REFUSED;
        if (st != PSA_SUCCESS)
            goto refuse;
        cn = conn_new(c, k, svc, part_index(c, owner_mf), &idx);
        if (cn == NULL) {
            st = PSA_ERROR_CONNECTION_BUSY;
            goto refuse;
        }
        fresh = true;
    } else {
        cn = find_handle(c, k->owner, r->handle, &idx);
        if (cn == NULL || cn->state == CONN_CALLING || cn->state == CONN_CONNECTING ||
            cn->state == CONN_CLOSING)
            goto refuse; /* unknown, foreign, or already in a call */
        if (cn->state == CONN_DEAD) {
            st = PSA_ERROR_COMMUNICATION_FAILURE; /* its partition died */
            goto refuse;
        }
        if (cn->broken)
            goto refuse; /* terminated by its service: PROGRAMMER_ERROR at once */
    }
    if (c->parts[cn->part].state != SPM_PART_READY || c->parts[cn->part].killed ||
        c->parts[cn->part].gen != cn->part_gen) {
        st = PSA_ERROR_COMMUNICATION_FAILURE;
        goto refuse;
    }
    if (memfd && (total == 0 || !fd_ok)) {
        st = PSA_ERROR_PROGRAMMER_ERROR; /* an unusable memory object: invalid vectors */
        goto refuse;
    }
    cn->vecs = r->vecs;
    cn->flags = memfd ? WIRE_CALL_MEMFD : 0;
    cn->state = CONN_CALLING;
    cn->asker = k->asker;
    k->asker.charged = false;
    msg_queue(c, idx, r->type, r->in, fd);
    return;

refuse:
    if (fresh)
        conn_die(c, idx);
    fx_close_fd(c, fd);
    if (k->part != NO_IDX && st != PSA_ERROR_COMMUNICATION_FAILURE &&
        st != PSA_ERROR_CONNECTION_BUSY) {
        uncharge(c, &k->asker);
        part_panic(c, k->part, "psa_call: handle 0x%x, type %d: %s", (unsigned)r->handle,
                   (int)r->type,
                   st == PSA_ERROR_CONNECTION_REFUSED
                       ? "the service is not in its manifest's dependencies"
                       : "invalid handle, type or vectors, or the connection is busy");
        return;
    }
    answer_call(c, &k->asker, st);
}

void spm_stall(struct spm_core *c, struct caller *k, const struct wire_stall_req *r)
{
    uint32_t idx;
    struct conn *cn = find_handle(c, k->owner, r->handle, &idx);
    struct wire_msg m;
    wire_msg_init(&m, WIRE_R_STALL);

    /* a handle of this psa-spm's: the call goes on; of another (psa-spm
     * was restarted) or of nothing: the caller's call ends */
    if (cn == NULL || !cn->direct || cn->state == CONN_CLOSING)
        m.u.status_rep.status = PSA_ERROR_PROGRAMMER_ERROR;
    else if (cn->state == CONN_DEAD)
        m.u.status_rep.status = PSA_ERROR_COMMUNICATION_FAILURE;
    else
        m.u.status_rep.status = PSA_SUCCESS;
    if (m.u.status_rep.status == PSA_SUCCESS)
        fx_simple(c, SPM_FX_WATCH, part_peer(c, cn->part));
    answer(c, &k->asker, &m);
}

void spm_grow(struct spm_core *c, struct caller *k, const struct wire_grow_req *r, int fd,
              bool fd_ok)
{
    uint32_t idx;
    struct conn *cn = find_handle(c, k->owner, r->handle, &idx);
    struct wire_msg m;
    wire_msg_init(&m, WIRE_R_GROW);

    /* a live direct connection of the caller's, and a memory object fit for
     * the size: its partition gets it, behind everything sent before */
    if (cn == NULL || !cn->direct || fd < 0 || !fd_ok ||
        (cn->state != CONN_IDLE && cn->state != CONN_CALLING)) {
        fx_close_fd(c, fd);
        m.u.status_rep.status = PSA_ERROR_PROGRAMMER_ERROR;
    } else {
        struct wire_msg g;
        wire_msg_init(&g, WIRE_S_GROW);

        g.u.grow.token = idx;
        g.u.grow.size = r->size;
        g.u.grow.gen = r->gen;
        fx_send(c, part_peer(c, cn->part), &g, fd);
        m.u.status_rep.status = PSA_SUCCESS;
    }
    answer(c, &k->asker, &m);
}

void spm_close(struct spm_core *c, struct caller *k, const struct wire_close_req *r)
{
    struct owner *o = owner_get(c, k->owner);
    struct conn *cn;
    uint32_t idx = NO_IDX;

    if (r->handle == PSA_NULL_HANDLE) {
        answer_status(c, k, WIRE_R_CLOSE, PSA_SUCCESS);
        return;
    }
    cn = find_handle(c, k->owner, r->handle, &idx);
    if (cn == NULL || cn->state == CONN_CALLING || cn->state == CONN_CONNECTING ||
        cn->state == CONN_CLOSING) {
        if (k->part != NO_IDX) {
            uncharge(c, &k->asker);
            part_panic(c, k->part, "psa_close: 0x%x is not a handle it may close",
                       (unsigned)r->handle);
        } else {
            answer_status(c, k, WIRE_R_CLOSE, PSA_ERROR_PROGRAMMER_ERROR);
        }
        return;
    }
    fx_log(c, SPM_DEBUG, "client %d: close handle %d (%s)", (int)o->client_id, (int)r->handle,
           cn->svc->name);
    if (cn->state == CONN_DEAD) {
        conn_die(c, idx);
        answer_status(c, k, WIRE_R_CLOSE, PSA_SUCCESS);
        return;
    }
    send_disconnect(c, idx); /* from now on the client cannot name it */
    cn = conn_get(c, idx);
    if (cn == NULL) { /* its partition could not take the message: done */
        answer_status(c, k, WIRE_R_CLOSE, PSA_SUCCESS);
        return;
    }
    /* as on TF-M, psa_close returns once the service has handled
     * PSA_IPC_DISCONNECT (or the connection ends otherwise: conn_die) */
    cn->asker = k->asker;
    cn->close_waits = true;
    k->asker.charged = false;
}

void conns_owner_gone(struct spm_core *c, struct ref o)
{
    uint32_t i;

    for (i = 0; i < c->conns.used; i++) {
        struct conn *k = conn_get(c, i);

        if (k == NULL || k->owner.idx != o.idx || k->owner.gen != o.gen)
            continue;
        uncount(c, k);
        k->owner.idx = NO_IDX;
        if (!k->svc->connection_based)
            continue; /* a stateless call ends with its reply, which goes nowhere */
        if (k->state == CONN_IDLE)
            send_disconnect(c, i);
        else if (k->state == CONN_DEAD)
            conn_die(c, i);
        else
            k->disconnect_after = true;
    }
}

void conns_part_gone(struct spm_core *c, uint32_t part)
{
    uint32_t i;

    for (i = 0; i < c->conns.used; i++) {
        struct conn *k = conn_get(c, i);
        struct wire_msg m;

        if (k == NULL || k->part != part)
            continue;
        if (k->has_msg)
            msg_leave(c, k);
        if (k->direct)
            chan_fail(c, i, PSA_ERROR_COMMUNICATION_FAILURE);
        if (k->state == CONN_CONNECTING) {
            wire_msg_init(&m, WIRE_R_CONNECT);
            m.u.connect_rep.result = PSA_ERROR_CONNECTION_REFUSED;
            answer(c, &k->asker, &m);
        } else if (k->state == CONN_CALLING) {
            answer_call(c, &k->asker, PSA_ERROR_COMMUNICATION_FAILURE);
        }
        /* a client still holding the handle learns on its next call */
        if (k->owner.idx != NO_IDX && k->handle > 0 && k->state != CONN_CONNECTING &&
            k->state != CONN_CLOSING && k->svc->connection_based) {
            k->state = CONN_DEAD;
            k->asker.peer.kind = SPM_PEER_NONE;
        } else {
            conn_die(c, i);
        }
    }
}

void conns_stop(struct spm_core *c)
{
    uint32_t i;

    for (i = 0; i < c->conns.used; i++)
        if (conn_get(c, i) != NULL)
            conn_die(c, i);
}
