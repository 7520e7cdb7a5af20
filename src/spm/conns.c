/*
 * conns.c - connections: from psa_connect (or a stateless psa_call) to the
 * partition's reply to DISCONNECT.  A connection has at most one message
 * in its partition at a time; the reply goes back to the socket that asked,
 * and a client that leaves mid-message is disconnected once the partition
 * has answered.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "psa/service.h"
#include "spm.h"

#define REQUIRED_SEALS (F_SEAL_SHRINK | F_SEAL_GROW)

static struct spm_conn *find_handle(const struct spm_owner *o, psa_handle_t h)
{
    struct spm_conn *c;

    for (c = spm.conns; c != NULL; c = c->next)
        if (c->handle == h && c->owner == o && c->handle > 0)
            return c;
    return NULL;
}

static psa_handle_t new_handle(void)
{
    for (;;) {
        struct spm_conn *c;
        psa_handle_t h = spm.next_handle;

        spm.next_handle = h >= 0x3fffffff ? 1 : h + 1; /* stay below the stateless bit */
        for (c = spm.conns; c != NULL; c = c->next)
            if (c->handle == h)
                break;
        if (c == NULL)
            return h;
    }
}

static int32_t new_msg_id(void)
{
    int32_t id = spm.next_msg;

    spm.next_msg = id >= INT32_MAX - 1 ? 1 : id + 1;
    return id;
}

static struct spm_conn *conn_new(struct spm_owner *o, const struct mf_service *svc,
                                 struct spm_part *part)
{
    struct spm_conn *c = calloc(1, sizeof(*c));

    if (c == NULL)
        return NULL;
    c->owner = o;
    c->client_id = o->client_id;
    c->svc = svc;
    c->part = part;
    c->next = spm.conns;
    spm.conns = c;
    return c;
}

static void conn_free(struct spm_conn *c)
{
    struct spm_conn **pp;

    for (pp = &spm.conns; *pp != NULL; pp = &(*pp)->next) {
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    }
    free(c);
}

/* Connections counted against the limit: a user's, or one partition's. */
unsigned spm_conns_of(const struct spm_owner *o)
{
    const struct spm_conn *c;
    unsigned n = 0;

    for (c = spm.conns; c != NULL; c = c->next)
        if (c->owner != NULL && c->handle > 0 &&
            (o->secure ? c->owner == o : !c->owner->secure && c->owner->uid == o->uid))
            n++;
    return n;
}

static void client_reply(struct peer *to, const struct wire_msg *m)
{
    if (to == NULL || spm_send(to, m, -1))
        return;
    if (to->kind == PEER_CLIENT)
        spm_client_drop((struct spm_client *)to, "it does not read its replies");
    else
        spm_part_kill((struct spm_part *)to, "its channel is full or broken");
}

/* R_CONNECT (a handle or a status) or R_CLOSE. */
static void reply_status(struct peer *to, uint16_t type, uint32_t seq, int32_t v)
{
    struct wire_msg m;

    m.type = type;
    m.seq = seq;
    if (type == WIRE_R_CONNECT)
        m.u.connect_rep.result = v;
    else
        m.u.status_rep.status = v;
    client_reply(to, &m);
}

void spm_answer_call(struct peer *to, uint32_t seq, psa_status_t st)
{
    struct wire_msg m;

    m.type = WIRE_R_CALL;
    m.seq = seq;
    m.u.call_rep.status = st;
    m.u.call_rep.flags = 0;
    m.u.call_rep.n_out = 0;
    client_reply(to, &m);
}

/* Puts a message for the connection into its partition: @p in, a call's
 * inline inputs (NULL for CONNECT and DISCONNECT), or its @p memfd. */
static bool deliver(struct spm_conn *c, int32_t type, const void *const *in, int memfd)
{
    struct wire_msg m;
    struct wire_deliver *d = &m.u.deliver;
    unsigned i;

    c->msg = new_msg_id();
    c->msg_type = type;
    c->deadline_ms = spm_now_ms() + spm.call_timeout_ms;
    c->memfd = memfd >= 0;
    m.type = WIRE_S_MSG;
    m.seq = 0;
    d->msg = c->msg;
    d->type = type;
    d->client_id = c->client_id;
    d->rhandle = c->rhandle;
    d->signal = c->svc->signal;
    d->flags = c->memfd ? WIRE_CALL_MEMFD : 0;
    d->vecs = c->vecs;
    for (i = 0; i < WIRE_MAX_IOVEC; i++)
        d->in[i] = in != NULL && !c->memfd ? in[i] : NULL;
    if (!spm_send(&c->part->peer, &m, memfd)) {
        spm_part_kill(c->part, "its channel is full or broken");
        return false;
    }
    if (spm_log_level >= SPM_DEBUG)
        spm_log(SPM_DEBUG, "message %d (type %d) on handle %d of %s -> partition %s", (int)c->msg,
                (int)type, (int)c->handle, c->svc->name, c->part->mf->name);
    return true;
}

static void send_disconnect(struct spm_conn *c)
{
    memset(&c->vecs, 0, sizeof(c->vecs));
    c->state = CONN_CLOSING;
    c->reply_to = NULL;
    if (c->part->state != PART_READY || !deliver(c, PSA_IPC_DISCONNECT, NULL, -1))
        conn_free(c);
}

/* May a secure caller use this service?  Only if its manifest says so. */
static bool declared(const struct spm_part *caller, const struct mf_service *svc)
{
    const struct mf_partition *mf = caller->mf;
    size_t i;

    for (i = 0; i < mf->n_deps; i++)
        if (strcmp(mf->deps[i].service, svc->name) == 0)
            return true;
    for (i = 0; i < mf->n_weak_deps; i++)
        if (strcmp(mf->weak_deps[i].service, svc->name) == 0)
            return true;
    return false;
}

void spm_version(const struct spm_caller *cl, uint32_t seq, uint32_t sid)
{
    const struct mf_service *svc = mf_find_sid(spm.sys, sid, NULL);
    struct wire_msg m;

    if (cl->part != NULL && svc != NULL && !declared(cl->part, svc))
        svc = NULL; /* not among its dependencies: as if it did not exist */
    m.type = WIRE_R_VERSION;
    m.seq = seq;
    m.u.version_rep.version = spm_policy_version(svc, cl->part == NULL);
    client_reply(cl->peer, &m);
}

void spm_connect(const struct spm_caller *cl, uint32_t seq, uint32_t sid, uint32_t version)
{
    const struct mf_partition *owner_mf = NULL;
    const struct mf_service *svc = mf_find_sid(spm.sys, sid, &owner_mf);
    psa_status_t st = spm_policy_connect(svc, cl->part == NULL, version);
    struct spm_part *part = svc ? spm_part_of(owner_mf) : NULL;
    struct spm_conn *c;

    if (cl->part != NULL) {
        /* a secure caller is panicked for what a non-secure one is told */
        if (svc == NULL)
            spm_part_panic(cl->part, "psa_connect: no service has SID 0x%x", sid);
        else if (!declared(cl->part, svc))
            spm_part_panic(cl->part, "psa_connect: %s is not in its manifest's dependencies",
                           svc->name);
        else if (st != PSA_SUCCESS)
            spm_part_panic(cl->part, "psa_connect: %s v%u: %s", svc->name, version,
                           st == PSA_ERROR_PROGRAMMER_ERROR ? "a stateless service"
                                                            : "version refused");
        if (st != PSA_SUCCESS || !declared(cl->part, svc))
            return;
    }
    if (st == PSA_SUCCESS && part->state != PART_READY)
        st = part->state == PART_FAILED ? PSA_ERROR_CONNECTION_REFUSED : PSA_ERROR_CONNECTION_BUSY;
    if (st == PSA_SUCCESS && part->peer.fd < 0)
        st = PSA_ERROR_CONNECTION_BUSY; /* killed, not yet reaped: it restarts or fails soon */
    if (st == PSA_SUCCESS && spm_conns_of(cl->owner) >= spm.max_conns)
        st = PSA_ERROR_CONNECTION_BUSY;
    if (st == PSA_SUCCESS && (c = conn_new(cl->owner, svc, part)) == NULL)
        st = PSA_ERROR_CONNECTION_BUSY;
    if (st != PSA_SUCCESS) {
        spm_log(SPM_DEBUG, "client %d: connect to SID 0x%x v%u: %d", (int)cl->owner->client_id, sid,
                version, (int)st);
        reply_status(cl->peer, WIRE_R_CONNECT, seq, st);
        return;
    }
    c->handle = new_handle();
    c->state = CONN_CONNECTING;
    c->reply_to = cl->peer;
    c->reply_seq = seq;
    if (!deliver(c, PSA_IPC_CONNECT, NULL, -1))
        return; /* the partition's death answers the client */
    spm_log(SPM_DEBUG, "client %d: connect %s -> handle %d", (int)cl->owner->client_id, svc->name,
            (int)c->handle);
}

/* Checks a client's memfd: sealed against resizing and big enough. */
static bool memfd_ok(int fd, uint64_t need)
{
    struct stat st;
    int seals = fcntl(fd, F_GET_SEALS);

    return seals >= 0 && (seals & REQUIRED_SEALS) == REQUIRED_SEALS && fstat(fd, &st) == 0 &&
           S_ISREG(st.st_mode) && (uint64_t)st.st_size >= need;
}

void spm_call(const struct spm_caller *cl, const struct wire_msg *m, int fd)
{
    const struct wire_call_req *q = &m->u.call_req;
    const struct mf_partition *owner_mf = NULL;
    const struct mf_service *svc;
    struct spm_conn *c = NULL;
    int32_t handle = q->handle, type = q->type;
    uint8_t flags = q->flags;
    psa_status_t st = PSA_ERROR_PROGRAMMER_ERROR;
    uint64_t total = wire_vecs_in_total(&q->vecs) + wire_vecs_out_total(&q->vecs);
    uint32_t handle_version;

    /* the codec checked the fields and the inline bound; the memfd is ours to match */
    if ((flags & WIRE_CALL_MEMFD) ? fd < 0 : fd >= 0)
        goto malformed;

    if (!spm_type_valid(type))
        goto refuse;
    if (spm_is_stateless_handle(handle)) {
        svc = spm_stateless_service(spm.sys, handle, &owner_mf);
        if (wire_stateless_parts(handle, &handle_version, NULL) < 0)
            handle_version = 0; /* not of the form: svc is NULL */
        st = spm_policy_stateless(svc, cl->part == NULL, handle_version);
        if (st == PSA_SUCCESS && cl->part != NULL && !declared(cl->part, svc))
            st = PSA_ERROR_CONNECTION_REFUSED;
        if (st != PSA_SUCCESS)
            goto refuse;
        c = conn_new(cl->owner, svc, spm_part_of(owner_mf));
        if (c == NULL) {
            st = PSA_ERROR_CONNECTION_BUSY;
            goto refuse;
        }
    } else {
        c = find_handle(cl->owner, handle);
        if (c == NULL || c->state == CONN_CALLING || c->state == CONN_CONNECTING ||
            c->state == CONN_CLOSING)
            goto refuse_keep; /* unknown, foreign, or already in a call */
        if (c->state == CONN_DEAD) {
            st = PSA_ERROR_COMMUNICATION_FAILURE; /* its partition died */
            goto refuse_keep;
        }
    }
    if (c->part->state != PART_READY) {
        st = PSA_ERROR_COMMUNICATION_FAILURE;
        goto refuse;
    }
    if ((flags & WIRE_CALL_MEMFD) && (total == 0 || !memfd_ok(fd, total)))
        goto refuse; /* an unusable buffer: as if the vectors were invalid */
    c->vecs = q->vecs;
    c->state = CONN_CALLING;
    c->reply_to = cl->peer;
    c->reply_seq = m->seq;
    deliver(c, type, q->in, (flags & WIRE_CALL_MEMFD) ? fd : -1);
    if (fd >= 0)
        close(fd);
    return;

refuse:
    if (c != NULL && c->handle == 0)
        conn_free(c);
refuse_keep:
    if (fd >= 0)
        close(fd);
    if (cl->part != NULL && st != PSA_ERROR_COMMUNICATION_FAILURE &&
        st != PSA_ERROR_CONNECTION_BUSY) {
        spm_part_panic(cl->part, "psa_call: handle 0x%x, type %d: %s", (unsigned)handle, (int)type,
                       st == PSA_ERROR_CONNECTION_REFUSED
                           ? "the service is not in its manifest's dependencies"
                           : "invalid handle, type or vectors, or the connection is busy");
        return;
    }
    spm_answer_call(cl->peer, m->seq, st);
    return;
malformed:
    if (fd >= 0)
        close(fd);
    if (cl->part != NULL)
        spm_part_kill(cl->part, "malformed call");
    else
        spm_client_drop((struct spm_client *)cl->peer, "malformed call");
}

void spm_close(const struct spm_caller *cl, uint32_t seq, psa_handle_t handle)
{
    struct spm_conn *c;

    if (handle == PSA_NULL_HANDLE) {
        reply_status(cl->peer, WIRE_R_CLOSE, seq, PSA_SUCCESS);
        return;
    }
    c = spm_is_stateless_handle(handle) ? NULL : find_handle(cl->owner, handle);
    if (c == NULL || c->state == CONN_CALLING || c->state == CONN_CONNECTING ||
        c->state == CONN_CLOSING) {
        if (cl->part != NULL)
            spm_part_panic(cl->part, "psa_close: 0x%x is not a handle it may close",
                           (unsigned)handle);
        else
            reply_status(cl->peer, WIRE_R_CLOSE, seq, PSA_ERROR_PROGRAMMER_ERROR);
        return;
    }
    spm_log(SPM_DEBUG, "client %d: close handle %d (%s)", (int)cl->owner->client_id, (int)handle,
            c->svc->name);
    c->handle = 0; /* from now on the client cannot name it */
    if (c->state == CONN_DEAD)
        conn_free(c);
    else
        send_disconnect(c);
    reply_status(cl->peer, WIRE_R_CLOSE, seq, PSA_SUCCESS);
}

static void forward_call_reply(struct spm_conn *c, const struct wire_reply *r)
{
    struct wire_msg m;
    struct wire_call_rep *q = &m.u.call_rep;
    unsigned i;

    m.type = WIRE_R_CALL;
    m.seq = c->reply_seq;
    q->status = r->status;
    q->flags = c->memfd ? WIRE_CALL_MEMFD : 0;
    q->n_out = c->vecs.n_out;
    for (i = 0; i < c->vecs.n_out; i++) {
        q->written[i] = r->written[i];
        q->out[i] = r->out[i];
    }
    client_reply(c->reply_to, &m);
}

/* A call is over (answered, or taken by a system reset): the connection is
 * free for the next one. */
static void call_done(struct spm_conn *c)
{
    c->reply_to = NULL;
    c->state = CONN_IDLE;
    if (c->handle == 0 && !c->svc->connection_based)
        conn_free(c); /* a stateless call ends with its reply */
    else if (c->disconnect_after)
        send_disconnect(c);
}

struct spm_conn *spm_call_in(const struct spm_part *p, int32_t msg)
{
    struct spm_conn *c;

    for (c = spm.conns; c != NULL; c = c->next)
        if (c->part == p && c->msg == msg && c->state == CONN_CALLING)
            return c;
    return NULL;
}

void spm_call_take(struct spm_conn *c, struct spm_pending *out)
{
    out->to = c->reply_to;
    out->seq = c->reply_seq;
    out->client_id = c->client_id;
    c->msg = 0;
    call_done(c);
}

void spm_reply_from(struct spm_part *p, const struct wire_msg *m)
{
    const struct wire_reply *r = &m->u.reply;
    int32_t status = r->status;
    struct spm_conn *c;
    unsigned i;

    for (c = spm.conns; c != NULL; c = c->next)
        if (c->part == p && c->msg == r->msg &&
            (c->state == CONN_CONNECTING || c->state == CONN_CALLING || c->state == CONN_CLOSING))
            break;
    if (c == NULL || r->n_out != c->vecs.n_out || ((r->flags & WIRE_CALL_MEMFD) != 0) != c->memfd)
        goto bad;
    for (i = 0; i < r->n_out; i++)
        if (r->written[i] > c->vecs.out_len[i])
            goto bad;
    if ((r->flags & WIRE_REPLY_SET_RHANDLE) && c->svc->connection_based)
        c->rhandle = r->rhandle;
    c->msg = 0;

    switch (c->msg_type) {
    case PSA_IPC_CONNECT:
        if (status != PSA_SUCCESS && status != PSA_ERROR_CONNECTION_REFUSED &&
            status != PSA_ERROR_CONNECTION_BUSY)
            goto bad;
        reply_status(c->reply_to, WIRE_R_CONNECT, c->reply_seq,
                     status == PSA_SUCCESS ? c->handle : status);
        if (status != PSA_SUCCESS) {
            conn_free(c);
        } else {
            c->state = CONN_IDLE;
            c->reply_to = NULL;
            if (c->disconnect_after)
                send_disconnect(c);
        }
        return;
    case PSA_IPC_DISCONNECT:
        conn_free(c);
        return;
    default:
        forward_call_reply(c, r);
        call_done(c);
        return;
    }
bad:
    spm_part_kill(p, "malformed or unexpected reply");
}

void spm_owner_gone(struct spm_owner *o)
{
    struct spm_conn *c, *next;

    for (c = spm.conns; c != NULL; c = next) {
        next = c->next;
        if (c->owner != o)
            continue;
        c->owner = NULL;
        c->handle = c->svc->connection_based ? c->handle : 0;
        if (c->state == CONN_IDLE)
            send_disconnect(c);
        else if (c->state == CONN_DEAD)
            conn_free(c);
        else
            c->disconnect_after = c->svc->connection_based;
    }
}

void spm_peer_gone(struct peer *p)
{
    struct spm_conn *c;

    for (c = spm.conns; c != NULL; c = c->next)
        if (c->reply_to == p)
            c->reply_to = NULL; /* its thread (or partition) is gone: drop the reply */
    spm_reset_peer_gone(p);
}

void spm_part_gone(struct spm_part *p)
{
    struct spm_conn *c, *next;

    for (c = spm.conns; c != NULL; c = next) {
        next = c->next;
        if (c->part != p)
            continue;
        if (c->state == CONN_CONNECTING)
            reply_status(c->reply_to, WIRE_R_CONNECT, c->reply_seq, PSA_ERROR_CONNECTION_REFUSED);
        else if (c->state == CONN_CALLING)
            spm_answer_call(c->reply_to, c->reply_seq, PSA_ERROR_COMMUNICATION_FAILURE);
        /* a client still holding the handle learns on its next call */
        if (c->owner != NULL && c->handle > 0 && c->state != CONN_CONNECTING &&
            c->svc->connection_based) {
            c->state = CONN_DEAD;
            c->reply_to = NULL;
            c->msg = 0;
        } else {
            conn_free(c);
        }
    }
}
