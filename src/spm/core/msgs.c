/*
 * msgs.c - messages into partitions and their replies.
 *
 * As on TF-M, a message stays with its connection until its partition can
 * take it: a partition has a window (messages sent and not yet answered,
 * and their inline bytes) and what does not fit waits, in arrival order, in
 * the partition's queue.  A message that waits keeps a copy of its input
 * bytes (the datagram it came in is reused) and its memfd.  So a partition's
 * channel never holds more than the window, whatever clients send, and a
 * partition is never killed for a full channel.
 *
 * A message id names its connection's slot, (index + 1) | serial << 16, so
 * a reply finds its connection without a search; the serial tells this
 * message from the connection's earlier ones.
 */
#include <stdlib.h>
#include <string.h>

#include "core_int.h"

static int refq_push(struct refq *q, struct ref r)
{
    if (q->len == q->cap) {
        size_t cap = q->cap ? q->cap * 2 : 16, i;
        struct ref *v = malloc(cap * sizeof(*v));

        if (v == NULL)
            return -1;
        for (i = 0; i < q->len; i++)
            v[i] = q->v[(q->head + i) % q->cap];
        free(q->v);
        q->v = v;
        q->head = 0;
        q->cap = cap;
    }
    q->v[(q->head + q->len) % q->cap] = r;
    q->len++;
    return 0;
}

static bool refq_pop(struct refq *q, struct ref *r)
{
    if (q->len == 0)
        return false;
    *r = q->v[q->head];
    q->head = (q->head + 1) % q->cap;
    q->len--;
    return true;
}

static int32_t new_msg_id(struct spm_core *c, uint32_t idx)
{
    /* 14 bits of serial: message handles with bit 30 (CHAN_MSG_BIT) are
     * the partition runtime's own, for direct calls */
    do
        c->msg_serial++;
    while ((c->msg_serial & 0x3fffu) == 0);
    return (int32_t)((idx + 1u) | (c->msg_serial & 0x3fffu) << 16);
}

static bool room(const struct spm_core *c, const struct part *p, uint32_t bytes)
{
    return p->win_msgs < c->cfg.window_msgs &&
           (p->win_msgs == 0 || p->win_bytes + bytes <= c->cfg.window_bytes);
}

/* Into the partition's channel, from @p in (the caller's bytes, or the copy). */
static void deliver(struct spm_core *c, uint32_t idx, struct conn *k, const void *const *in, int fd)
{
    struct part *p = &c->parts[k->part];
    struct wire_msg m;
    wire_msg_init(&m, WIRE_S_MSG);
    struct wire_deliver *d = &m.u.deliver;
    unsigned i;

    d->msg = k->msg;
    d->type = k->msg_type;
    d->client_id = k->client_id;
    d->rhandle = k->rhandle;
    d->signal = k->svc->signal;
    d->flags = k->flags;
    d->vecs = k->vecs;
    for (i = 0; in != NULL && !(k->flags & WIRE_CALL_MEMFD) && i < k->vecs.n_in; i++)
        d->in[i] = in[i];
    k->in_part = true;
    k->sent_at = c->now;
    if (p->win_msgs == 0)
        p->last_progress = c->now; /* the watchdog counts from here */
    p->win[p->win_msgs].idx = idx;
    p->win[p->win_msgs].gen = c->conns.gen[idx];
    p->win_msgs++;
    p->win_bytes += k->inline_bytes;
    fx_send(c, part_peer(c, k->part), &m, fd);
    k->fd = -1;
    garbage_add(c, k->buf); /* the effect points into it until it is carried out */
    k->buf = NULL;
    if (c->cfg.log_level >= SPM_DEBUG)
        fx_log(c, SPM_DEBUG, "message %d (type %d) on handle %d of %s -> partition %s", (int)k->msg,
               (int)k->msg_type, (int)k->handle, k->svc->name, p->mf->name);
}

void msg_queue(struct spm_core *c, uint32_t idx, int32_t type, const void *const *in, int fd)
{
    struct conn *k = conn_get(c, idx);
    struct part *p = &c->parts[k->part];
    struct ref r = {idx, c->conns.gen[idx]};
    uint64_t n_in = wire_vecs_in_total(&k->vecs);
    unsigned i;

    k->msg = new_msg_id(c, idx);
    k->msg_type = type;
    k->has_msg = true;
    k->in_part = false;
    k->inline_bytes = (k->flags & WIRE_CALL_MEMFD) ? 0 : (uint32_t)n_in;
    if (p->pending.len == 0 && room(c, p, k->inline_bytes)) {
        deliver(c, idx, k, in, fd);
        return;
    }
    /* it waits: keep what the datagram holds */
    k->fd = fd;
    if (k->inline_bytes > 0) {
        uint8_t *at;

        k->buf = malloc(k->inline_bytes);
        if (k->buf == NULL)
            goto fail;
        for (i = 0, at = k->buf; i < k->vecs.n_in; i++) {
            if (k->vecs.in_len[i] > 0)
                memcpy(at, in[i], k->vecs.in_len[i]);
            at += k->vecs.in_len[i];
        }
    }
    if (refq_push(&p->pending, r) == 0)
        return;
fail:
    /* no memory to keep it: as if the partition were busy */
    free(k->buf);
    k->buf = NULL;
    fx_close_fd(c, k->fd);
    k->fd = -1;
    k->has_msg = false;
    if (type == PSA_IPC_CONNECT || type >= PSA_IPC_CALL) {
        struct wire_msg m;
        wire_msg_init(&m, type == PSA_IPC_CONNECT ? WIRE_R_CONNECT : WIRE_R_CALL);

        if (type == PSA_IPC_CONNECT)
            m.u.connect_rep.result = PSA_ERROR_CONNECTION_BUSY;
        else
            m.u.call_rep.status = PSA_ERROR_INSUFFICIENT_MEMORY;
        answer(c, &k->asker, &m);
    }
    if (type == PSA_IPC_CONNECT || type == PSA_IPC_DISCONNECT)
        conn_die(c, idx);
    else
        call_done(c, idx);
}

void msg_pump(struct spm_core *c, uint32_t part)
{
    struct part *p = &c->parts[part];

    while (p->state == SPM_PART_READY && !p->killed && p->pending.len > 0) {
        struct ref r = p->pending.v[p->pending.head];
        struct conn *k = slot_get(&c->conns, r);
        const void *in[WIRE_MAX_IOVEC];
        const uint8_t *at;
        unsigned i;

        if (k == NULL || !k->has_msg || k->in_part) {
            refq_pop(&p->pending, &r); /* it died waiting */
            continue;
        }
        if (!room(c, p, k->inline_bytes))
            return;
        refq_pop(&p->pending, &r);
        for (i = 0, at = k->buf; i < k->vecs.n_in; i++) {
            in[i] = at;
            if (at != NULL)
                at += k->vecs.in_len[i];
        }
        deliver(c, r.idx, k, in, k->fd);
    }
}

void msg_leave(struct spm_core *c, struct conn *k)
{
    struct part *p = &c->parts[k->part];

    if (!k->has_msg)
        return;
    if (k->in_part && p->gen == k->part_gen) {
        unsigned i;

        for (i = 0; i < p->win_msgs; i++) {
            if (slot_get(&c->conns, p->win[i]) == k) {
                p->win[i] = p->win[--p->win_msgs]; /* the order does not matter */
                break;
            }
        }
        p->win_bytes -= k->inline_bytes <= p->win_bytes ? k->inline_bytes : p->win_bytes;
        p->last_progress = c->now;
    }
    fx_close_fd(c, k->fd);
    k->fd = -1;
    garbage_add(c, k->buf);
    k->buf = NULL;
    k->has_msg = false;
    k->in_part = false;
    k->msg = 0;
}

struct conn *msg_call_in(struct spm_core *c, uint32_t part, int32_t msg, uint32_t *idx)
{
    uint32_t i = ((uint32_t)msg & 0xffffu) - 1u;
    struct conn *k = msg > 0 ? conn_get(c, i) : NULL;

    if (k == NULL || k->msg != msg || k->part != part || !k->in_part ||
        k->part_gen != c->parts[part].gen)
        return NULL;
    *idx = i;
    return k;
}

/* A connection a non-secure client made to a connection-based service goes
 * direct (chan.h): its partition gets S_CHAN (and the area) before the
 * client learns its handle.  Whether it does. */
static bool chan_open(struct spm_core *c, uint32_t idx, struct conn *k)
{
    struct spm_effect *e;
    struct wire_msg *m;

    const struct owner *o = k->owner.idx != NO_IDX ? owner_get(c, k->owner) : NULL;

    /* a partition caller holds its doorbells itself: a few dozen at most */
    if (!c->cfg.direct || !k->svc->connection_based || k->disconnect_after || o == NULL ||
        (k->asker.peer.kind != SPM_PEER_CLIENT && k->asker.peer.kind != SPM_PEER_PART) ||
        (o->part != NO_IDX && o->conns > SPM_DIRECT_PART_CONNS))
        return false;
    e = fx_add(c, SPM_FX_CHAN_OPEN);
    e->to = part_peer(c, k->part);
    e->conn = idx;
    e->conn_gen = c->conns.gen[idx];
    m = &e->msg;
    wire_msg_init(m, WIRE_S_CHAN);
    m->u.chan.token = idx;
    m->u.chan.handle = k->handle;
    m->u.chan.client_id = k->client_id;
    m->u.chan.rhandle = k->rhandle;
    m->u.chan.signal = k->svc->signal;
    k->direct = true;
    return true;
}

void msg_reply(struct spm_core *c, uint32_t part, const struct wire_reply *r)
{
    struct conn *k;
    struct wire_msg m;
    uint32_t idx;
    unsigned i;

    k = msg_call_in(c, part, r->msg, &idx);
    if (k == NULL || r->n_out != k->vecs.n_out ||
        (r->flags & WIRE_CALL_MEMFD) != (k->flags & WIRE_CALL_MEMFD))
        goto bad;
    for (i = 0; i < r->n_out; i++)
        if (r->written[i] > k->vecs.out_len[i])
            goto bad;
    if (k->msg_type == PSA_IPC_CONNECT && r->status != PSA_SUCCESS &&
        r->status != PSA_ERROR_CONNECTION_REFUSED && r->status != PSA_ERROR_CONNECTION_BUSY)
        goto bad;
    if ((r->flags & WIRE_REPLY_SET_RHANDLE) && k->svc->connection_based)
        k->rhandle = r->rhandle;
    msg_leave(c, k);
    switch (k->msg_type) {
    case PSA_IPC_CONNECT:
        wire_msg_init(&m, WIRE_R_CONNECT);
        m.u.connect_rep.result = r->status == PSA_SUCCESS ? k->handle : r->status;
        if (r->status == PSA_SUCCESS && chan_open(c, idx, k)) {
            answer_chan(c, &k->asker, &m, idx);
        } else {
            answer(c, &k->asker, &m);
        }
        if (r->status != PSA_SUCCESS) {
            conn_die(c, idx);
        } else {
            k->state = CONN_IDLE;
            if (k->disconnect_after)
                send_disconnect(c, idx);
        }
        break;
    case PSA_IPC_DISCONNECT:
        conn_die(c, idx);
        break;
    default:
        wire_msg_init(&m, WIRE_R_CALL);
        m.u.call_rep.status = r->status;
        m.u.call_rep.flags = k->flags & WIRE_CALL_MEMFD;
        m.u.call_rep.n_out = r->n_out;
        for (i = 0; i < r->n_out; i++) {
            m.u.call_rep.written[i] = r->written[i];
            m.u.call_rep.out[i] = r->out[i];
        }
        if (r->status == PSA_ERROR_PROGRAMMER_ERROR && !k->ns) {
            /* FF-M: a secure caller's programmer error panics it; it never
             * sees the status */
            struct owner *o = k->owner.idx != NO_IDX ? owner_get(c, k->owner) : NULL;

            uncharge(c, &k->asker);
            k->asker.peer.kind = SPM_PEER_NONE;
            if (o != NULL && o->part != NO_IDX)
                part_panic(c, o->part, "psa_call to %s: the service answered PROGRAMMER_ERROR",
                           k->svc->name);
        } else {
            answer(c, &k->asker, &m);
        }
        /* the service terminated the connection: later calls on it fail at once */
        if (r->status == PSA_ERROR_PROGRAMMER_ERROR && k->svc->connection_based)
            k->broken = true;
        call_done(c, idx);
        break;
    }
    msg_pump(c, part);
    return;
bad:
    part_kill(c, part, "malformed or unexpected reply");
}
