/*
 * wire.c - the codec of wire.h: one encoder and one decoder per message
 * struct, chosen by the message type from one table, and the datagram I/O.
 *
 * The encoder refuses exactly what the decoder refuses, so whatever is sent
 * decodes, and whatever decodes encodes back to the same bytes (fuzz_wire
 * checks that fixed point).  A decoder reads through a cursor whose first
 * failure sticks: a field past the end reads as zero and the message is
 * refused once its decoder returns.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wire.h"

/* ---- what both directions check ---- */

static uint64_t sum(const uint32_t *len, unsigned n)
{
    uint64_t t = 0;
    unsigned i;

    for (i = 0; i < n && i < WIRE_MAX_IOVEC; i++)
        t += len[i];
    return t;
}

uint64_t wire_vecs_in_total(const struct wire_vecs *v)
{
    return sum(v->in_len, v->n_in);
}

uint64_t wire_vecs_out_total(const struct wire_vecs *v)
{
    return sum(v->out_len, v->n_out);
}

/* The payload of a call or reply: at most WIRE_MAX_PAYLOAD bytes, and at
 * most WIRE_INLINE_MAX when it travels in the datagram. */
static bool payload_ok(uint64_t total, uint8_t flags)
{
    return total <= WIRE_MAX_PAYLOAD && ((flags & WIRE_CALL_MEMFD) || total <= WIRE_INLINE_MAX);
}

/* A call's vectors (C_CALL, S_MSG): in + out for the inline bound. */
static bool vecs_ok(const struct wire_vecs *v, uint8_t flags)
{
    return v->n_in <= WIRE_MAX_IOVEC && v->n_out <= WIRE_MAX_IOVEC &&
           v->n_in + v->n_out <= WIRE_MAX_IOVEC &&
           payload_ok(wire_vecs_in_total(v) + wire_vecs_out_total(v), flags);
}

/* A reply's written lengths (R_CALL, P_REPLY). */
static bool written_ok(uint8_t n_out, const uint32_t *written, uint8_t flags)
{
    return n_out <= WIRE_MAX_IOVEC && payload_ok(sum(written, n_out), flags);
}

/* ---- encoding: the fields into frame->head, the payload as iovecs ---- */

struct enc {
    struct wire_frame *f;
    size_t len;       /* bytes in f->head */
    uint64_t payload; /* bytes in f->iov[1..] */
    bool bad;
};

static void put(struct enc *e, const void *p, size_t n)
{
    if (e->bad || n > sizeof(e->f->head) - e->len) {
        e->bad = true;
        return;
    }
    memcpy(e->f->head + e->len, p, n);
    e->len += n;
}

static void put_u8(struct enc *e, uint8_t v)
{
    put(e, &v, 1);
}

static void put_u16(struct enc *e, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)v, (uint8_t)(v >> 8)};

    put(e, b, sizeof(b));
}

static void put_u32(struct enc *e, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};

    put(e, b, sizeof(b));
}

static void put_i32(struct enc *e, int32_t v)
{
    put_u32(e, (uint32_t)v);
}

static void put_u64(struct enc *e, uint64_t v)
{
    put_u32(e, (uint32_t)v);
    put_u32(e, (uint32_t)(v >> 32));
}

/* 0 or 1. */
static void put_bool(struct enc *e, uint8_t v)
{
    if (v > 1)
        e->bad = true;
    put_u8(e, v);
}

/* A string held in a char array of @p max bytes: u16 length, then the
 * bytes without the NUL.  One that fills its array unterminated does not fit. */
static void put_str(struct enc *e, const char *s, size_t max)
{
    size_t n = strnlen(s, max);

    if (n == max) {
        e->bad = true;
        return;
    }
    put_u16(e, (uint16_t)n);
    put(e, s, n);
}

/* Payload bytes: an iovec on the caller's buffer, nothing copied. */
static void put_payload(struct enc *e, const void *p, uint32_t n)
{
    struct wire_frame *f = e->f;

    if (n == 0)
        return;
    if (p == NULL || f->n_iov >= 1 + WIRE_MAX_IOVEC) {
        e->bad = true;
        return;
    }
    f->iov[f->n_iov].iov_base = (void *)(uintptr_t)p;
    f->iov[f->n_iov].iov_len = n;
    f->n_iov++;
    e->payload += n;
}

static void put_vecs(struct enc *e, const struct wire_vecs *v)
{
    unsigned i;

    put_u8(e, v->n_in);
    put_u8(e, v->n_out);
    for (i = 0; i < v->n_in; i++)
        put_u32(e, v->in_len[i]);
    for (i = 0; i < v->n_out; i++)
        put_u32(e, v->out_len[i]);
}

/* flags, vectors, then the input bytes unless WIRE_CALL_MEMFD (C_CALL, S_MSG). */
static int put_call(struct enc *e, uint8_t flags, const struct wire_vecs *v, const void *const *in)
{
    unsigned i;

    if ((flags & ~WIRE_CALL_MEMFD) || !vecs_ok(v, flags))
        return -1;
    put_u8(e, flags);
    put_vecs(e, v);
    if (!(flags & WIRE_CALL_MEMFD))
        for (i = 0; i < v->n_in; i++)
            put_payload(e, in[i], v->in_len[i]);
    return 0;
}

/* n_out, written[n_out], then the output bytes unless WIRE_CALL_MEMFD
 * (R_CALL, P_REPLY; the flags byte comes earlier in each). */
static int put_outputs(struct enc *e, uint8_t flags, uint8_t n_out, const uint32_t *written,
                       const void *const *out)
{
    unsigned i;

    if (!written_ok(n_out, written, flags))
        return -1;
    put_u8(e, n_out);
    for (i = 0; i < n_out; i++)
        put_u32(e, written[i]);
    if (!(flags & WIRE_CALL_MEMFD))
        for (i = 0; i < n_out; i++)
            put_payload(e, out[i], written[i]);
    return 0;
}

/* ---- decoding: a cursor over the receiver's copy of the datagram ---- */

struct dec {
    const uint8_t *p;
    size_t len, off;
    bool bad;
};

static const uint8_t *get(struct dec *d, uint64_t n)
{
    const uint8_t *p;

    if (d->bad || n > d->len - d->off) {
        d->bad = true;
        return NULL;
    }
    p = d->p + d->off;
    d->off += (size_t)n;
    return p;
}

static uint8_t get_u8(struct dec *d)
{
    const uint8_t *b = get(d, 1);

    return b != NULL ? b[0] : 0;
}

static uint16_t get_u16(struct dec *d)
{
    const uint8_t *b = get(d, 2);

    return b != NULL ? (uint16_t)(b[0] | b[1] << 8) : 0;
}

static uint32_t get_u32(struct dec *d)
{
    const uint8_t *b = get(d, 4);

    if (b == NULL)
        return 0;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static int32_t get_i32(struct dec *d)
{
    return (int32_t)get_u32(d);
}

static uint64_t get_u64(struct dec *d)
{
    uint64_t lo = get_u32(d);

    return (uint64_t)get_u32(d) << 32 | lo;
}

static uint8_t get_bool(struct dec *d)
{
    uint8_t v = get_u8(d);

    if (v > 1)
        d->bad = true;
    return v;
}

/* Into a char array of @p max bytes: fewer than max bytes, none of them NUL. */
static void get_str(struct dec *d, char *out, size_t max)
{
    uint16_t n = get_u16(d);
    const uint8_t *p;

    out[0] = '\0';
    if (n >= max) {
        d->bad = true;
        return;
    }
    p = get(d, n);
    if (p == NULL || memchr(p, 0, n) != NULL) {
        d->bad = true;
        return;
    }
    memcpy(out, p, n);
    out[n] = '\0';
}

static void get_vecs(struct dec *d, struct wire_vecs *v)
{
    unsigned i;

    v->n_in = get_u8(d);
    v->n_out = get_u8(d);
    if (v->n_in > WIRE_MAX_IOVEC || v->n_out > WIRE_MAX_IOVEC) {
        d->bad = true;
        return;
    }
    for (i = 0; i < v->n_in; i++)
        v->in_len[i] = get_u32(d);
    for (i = 0; i < v->n_out; i++)
        v->out_len[i] = get_u32(d);
}

static int get_call(struct dec *d, uint8_t *flags, struct wire_vecs *v, const void **in)
{
    unsigned i;

    *flags = get_u8(d);
    get_vecs(d, v);
    if (d->bad || (*flags & ~WIRE_CALL_MEMFD) || !vecs_ok(v, *flags))
        return -1;
    if (!(*flags & WIRE_CALL_MEMFD))
        for (i = 0; i < v->n_in; i++)
            in[i] = get(d, v->in_len[i]);
    return 0;
}

static int get_outputs(struct dec *d, uint8_t flags, uint8_t *n_out, uint32_t *written,
                       const void **out)
{
    unsigned i;

    *n_out = get_u8(d);
    if (*n_out > WIRE_MAX_IOVEC)
        return -1;
    for (i = 0; i < *n_out; i++)
        written[i] = get_u32(d);
    if (d->bad || !written_ok(*n_out, written, flags))
        return -1;
    if (!(flags & WIRE_CALL_MEMFD))
        for (i = 0; i < *n_out; i++)
            out[i] = get(d, written[i]);
    return 0;
}

/* ---- one encoder and one decoder per message struct ---- */

static int enc_empty(struct enc *e, const struct wire_msg *m)
{
    (void)e;
    (void)m;
    return 0;
}

static int dec_empty(struct dec *d, struct wire_msg *m)
{
    (void)d;
    (void)m;
    return 0;
}

static int enc_version_req(struct enc *e, const struct wire_msg *m)
{
    put_u32(e, m->u.version_req.sid);
    return 0;
}

static int dec_version_req(struct dec *d, struct wire_msg *m)
{
    m->u.version_req.sid = get_u32(d);
    return 0;
}

static int enc_connect_req(struct enc *e, const struct wire_msg *m)
{
    put_u32(e, m->u.connect_req.sid);
    put_u32(e, m->u.connect_req.version);
    return 0;
}

static int dec_connect_req(struct dec *d, struct wire_msg *m)
{
    m->u.connect_req.sid = get_u32(d);
    m->u.connect_req.version = get_u32(d);
    return 0;
}

static int enc_call_req(struct enc *e, const struct wire_msg *m)
{
    const struct wire_call_req *c = &m->u.call_req;

    put_i32(e, c->handle);
    put_i32(e, c->type);
    return put_call(e, c->flags, &c->vecs, c->in);
}

static int dec_call_req(struct dec *d, struct wire_msg *m)
{
    struct wire_call_req *c = &m->u.call_req;

    c->handle = get_i32(d);
    c->type = get_i32(d);
    return get_call(d, &c->flags, &c->vecs, c->in);
}

static int enc_close_req(struct enc *e, const struct wire_msg *m)
{
    put_i32(e, m->u.close_req.handle);
    return 0;
}

static int dec_close_req(struct dec *d, struct wire_msg *m)
{
    m->u.close_req.handle = get_i32(d);
    return 0;
}

static int enc_irq_req(struct enc *e, const struct wire_msg *m)
{
    put_str(e, m->u.irq_req.source, sizeof(m->u.irq_req.source));
    put_bool(e, m->u.irq_req.level);
    return 0;
}

static int dec_irq_req(struct dec *d, struct wire_msg *m)
{
    get_str(d, m->u.irq_req.source, sizeof(m->u.irq_req.source));
    m->u.irq_req.level = get_bool(d);
    return 0;
}

static int enc_buffer_req(struct enc *e, const struct wire_msg *m)
{
    uint64_t size = m->u.buffer_req.size;

    if (size == 0 || size > WIRE_MAX_PAYLOAD)
        return -1;
    put_u64(e, size);
    return 0;
}

static int dec_buffer_req(struct dec *d, struct wire_msg *m)
{
    uint64_t size = get_u64(d);

    m->u.buffer_req.size = size;
    return size == 0 || size > WIRE_MAX_PAYLOAD ? -1 : 0;
}

static int enc_version_rep(struct enc *e, const struct wire_msg *m)
{
    put_u32(e, m->u.version_rep.version);
    return 0;
}

static int dec_version_rep(struct dec *d, struct wire_msg *m)
{
    m->u.version_rep.version = get_u32(d);
    return 0;
}

static int enc_connect_rep(struct enc *e, const struct wire_msg *m)
{
    put_i32(e, m->u.connect_rep.result);
    return 0;
}

static int dec_connect_rep(struct dec *d, struct wire_msg *m)
{
    m->u.connect_rep.result = get_i32(d);
    return 0;
}

static int enc_stall_req(struct enc *e, const struct wire_msg *m)
{
    put_i32(e, m->u.stall_req.handle);
    return 0;
}

static int dec_stall_req(struct dec *d, struct wire_msg *m)
{
    m->u.stall_req.handle = get_i32(d);
    return 0;
}

/* A big data area: more than the area holds, at most a call's most. */
static bool grow_size_ok(uint64_t size)
{
    return size > 64u * 1024u && size <= WIRE_MAX_PAYLOAD;
}

static int enc_grow_req(struct enc *e, const struct wire_msg *m)
{
    if (!grow_size_ok(m->u.grow_req.size))
        return -1;
    put_i32(e, m->u.grow_req.handle);
    put_u64(e, m->u.grow_req.size);
    put_u32(e, m->u.grow_req.gen);
    return 0;
}

static int dec_grow_req(struct dec *d, struct wire_msg *m)
{
    m->u.grow_req.handle = get_i32(d);
    m->u.grow_req.size = get_u64(d);
    m->u.grow_req.gen = get_u32(d);
    return d->bad || grow_size_ok(m->u.grow_req.size) ? 0 : -1;
}

static int enc_grow(struct enc *e, const struct wire_msg *m)
{
    if (!grow_size_ok(m->u.grow.size) || m->u.grow.token > 0xfffeu)
        return -1;
    put_u32(e, m->u.grow.token);
    put_u64(e, m->u.grow.size);
    put_u32(e, m->u.grow.gen);
    return 0;
}

static int dec_grow(struct dec *d, struct wire_msg *m)
{
    m->u.grow.token = get_u32(d);
    m->u.grow.size = get_u64(d);
    m->u.grow.gen = get_u32(d);
    return d->bad || (grow_size_ok(m->u.grow.size) && m->u.grow.token <= 0xfffeu) ? 0 : -1;
}

static int enc_fast(struct enc *e, const struct wire_msg *m)
{
    uint8_t k = m->u.fast.kind;

    if (k != WIRE_FAST_STATUS)
        return -1;
    put_u8(e, k);
    return 0;
}

static int dec_fast(struct dec *d, struct wire_msg *m)
{
    m->u.fast.kind = get_u8(d);
    return d->bad || m->u.fast.kind == WIRE_FAST_STATUS ? 0 : -1;
}

static int enc_chan(struct enc *e, const struct wire_msg *m)
{
    const struct wire_chan *c = &m->u.chan;

    if (c->token > 0xfffeu)
        return -1;
    put_u32(e, c->token);
    put_i32(e, c->handle);
    put_i32(e, c->client_id);
    put_u64(e, c->rhandle);
    put_u32(e, c->signal);
    return 0;
}

static int dec_chan(struct dec *d, struct wire_msg *m)
{
    struct wire_chan *c = &m->u.chan;

    c->token = get_u32(d);
    c->handle = get_i32(d);
    c->client_id = get_i32(d);
    c->rhandle = get_u64(d);
    c->signal = get_u32(d);
    return c->token > 0xfffeu ? -1 : 0;
}

static int enc_call_rep(struct enc *e, const struct wire_msg *m)
{
    const struct wire_call_rep *r = &m->u.call_rep;

    if (r->flags & ~WIRE_CALL_MEMFD)
        return -1;
    put_i32(e, r->status);
    put_u8(e, r->flags);
    return put_outputs(e, r->flags, r->n_out, r->written, r->out);
}

static int dec_call_rep(struct dec *d, struct wire_msg *m)
{
    struct wire_call_rep *r = &m->u.call_rep;

    r->status = get_i32(d);
    r->flags = get_u8(d);
    if (r->flags & ~WIRE_CALL_MEMFD)
        return -1;
    return get_outputs(d, r->flags, &r->n_out, r->written, r->out);
}

static int enc_status_rep(struct enc *e, const struct wire_msg *m)
{
    put_i32(e, m->u.status_rep.status);
    return 0;
}

static int dec_status_rep(struct dec *d, struct wire_msg *m)
{
    m->u.status_rep.status = get_i32(d);
    return 0;
}

static int enc_hello(struct enc *e, const struct wire_msg *m)
{
    const struct wire_hello *h = &m->u.hello;
    unsigned i;

    if (h->n_services > WIRE_MAX_SERVICES || h->n_irqs > WIRE_MAX_IRQS)
        return -1;
    put_str(e, h->name, sizeof(h->name));
    put_u8(e, h->n_services);
    for (i = 0; i < h->n_services; i++) {
        put_u32(e, h->services[i].sid);
        put_u32(e, h->services[i].signal);
    }
    put_u8(e, h->n_irqs);
    for (i = 0; i < h->n_irqs; i++) {
        put_u32(e, h->irqs[i].signal);
        put_bool(e, h->irqs[i].flih);
    }
    return 0;
}

static int dec_hello(struct dec *d, struct wire_msg *m)
{
    struct wire_hello *h = &m->u.hello;
    unsigned i;

    get_str(d, h->name, sizeof(h->name));
    h->n_services = get_u8(d);
    if (h->n_services > WIRE_MAX_SERVICES)
        return -1;
    for (i = 0; i < h->n_services; i++) {
        h->services[i].sid = get_u32(d);
        h->services[i].signal = get_u32(d);
    }
    h->n_irqs = get_u8(d);
    if (h->n_irqs > WIRE_MAX_IRQS)
        return -1;
    for (i = 0; i < h->n_irqs; i++) {
        h->irqs[i].signal = get_u32(d);
        h->irqs[i].flih = get_bool(d);
    }
    return 0;
}

static int enc_ready(struct enc *e, const struct wire_msg *m)
{
    put_i32(e, m->u.ready.landlock_abi);
    return 0;
}

static int dec_ready(struct dec *d, struct wire_msg *m)
{
    m->u.ready.landlock_abi = get_i32(d);
    return 0;
}

#define REPLY_FLAGS (WIRE_CALL_MEMFD | WIRE_REPLY_SET_RHANDLE)

static int enc_reply(struct enc *e, const struct wire_msg *m)
{
    const struct wire_reply *r = &m->u.reply;

    if (r->flags & ~REPLY_FLAGS)
        return -1;
    put_i32(e, r->msg);
    put_i32(e, r->status);
    put_u8(e, r->flags);
    put_u64(e, r->rhandle);
    return put_outputs(e, r->flags, r->n_out, r->written, r->out);
}

static int dec_reply(struct dec *d, struct wire_msg *m)
{
    struct wire_reply *r = &m->u.reply;

    r->msg = get_i32(d);
    r->status = get_i32(d);
    r->flags = get_u8(d);
    r->rhandle = get_u64(d);
    if (r->flags & ~REPLY_FLAGS)
        return -1;
    return get_outputs(d, r->flags, &r->n_out, r->written, r->out);
}

/* P_PANIC carries the text alone; P_LOG its level first. */
static int enc_text(struct enc *e, const struct wire_msg *m)
{
    if (m->type == WIRE_P_LOG)
        put_u8(e, m->u.text.level);
    put_str(e, m->u.text.text, sizeof(m->u.text.text));
    return 0;
}

static int dec_text(struct dec *d, struct wire_msg *m)
{
    if (m->type == WIRE_P_LOG)
        m->u.text.level = get_u8(d);
    get_str(d, m->u.text.text, sizeof(m->u.text.text));
    return 0;
}

static int enc_violation(struct enc *e, const struct wire_msg *m)
{
    put_i32(e, m->u.violation.nr);
    put_u32(e, m->u.violation.arch);
    return 0;
}

static int dec_violation(struct dec *d, struct wire_msg *m)
{
    m->u.violation.nr = get_i32(d);
    m->u.violation.arch = get_u32(d);
    return 0;
}

static int enc_notify(struct enc *e, const struct wire_msg *m)
{
    put_i32(e, m->u.notify.partition_id);
    return 0;
}

static int dec_notify(struct dec *d, struct wire_msg *m)
{
    m->u.notify.partition_id = get_i32(d);
    return 0;
}

static bool irq_op_ok(uint8_t op)
{
    return op == WIRE_IRQ_ENABLE || op == WIRE_IRQ_DISABLE || op == WIRE_IRQ_EOI;
}

static int enc_irq_ctl(struct enc *e, const struct wire_msg *m)
{
    if (!irq_op_ok(m->u.irq_ctl.op))
        return -1;
    put_u32(e, m->u.irq_ctl.signal);
    put_u8(e, m->u.irq_ctl.op);
    return 0;
}

static int dec_irq_ctl(struct dec *d, struct wire_msg *m)
{
    m->u.irq_ctl.signal = get_u32(d);
    m->u.irq_ctl.op = get_u8(d);
    return d->bad || irq_op_ok(m->u.irq_ctl.op) ? 0 : -1;
}

static int enc_mmio(struct enc *e, const struct wire_msg *m)
{
    put_u8(e, m->u.mmio.region);
    put_u32(e, m->u.mmio.offset);
    put_u32(e, m->u.mmio.value);
    return 0;
}

static int dec_mmio(struct dec *d, struct wire_msg *m)
{
    m->u.mmio.region = get_u8(d);
    m->u.mmio.offset = get_u32(d);
    m->u.mmio.value = get_u32(d);
    return 0;
}

static int enc_reset(struct enc *e, const struct wire_msg *m)
{
    const struct wire_reset *r = &m->u.reset;
    unsigned i;

    if (r->n_calls > WIRE_RESET_MAX_CALLS)
        return -1;
    put_u32(e, r->syndrome);
    put_u8(e, r->n_calls);
    for (i = 0; i < r->n_calls; i++)
        put_i32(e, r->calls[i]);
    return 0;
}

static int dec_reset(struct dec *d, struct wire_msg *m)
{
    struct wire_reset *r = &m->u.reset;
    unsigned i;

    r->syndrome = get_u32(d);
    r->n_calls = get_u8(d);
    if (r->n_calls > WIRE_RESET_MAX_CALLS)
        return -1;
    for (i = 0; i < r->n_calls; i++)
        r->calls[i] = get_i32(d);
    return 0;
}

#define SVC_FLAGS (WIRE_SVC_CONNECTION_BASED | WIRE_SVC_MM_IOVEC)

static int enc_config(struct enc *e, const struct wire_msg *m)
{
    const struct wire_config *c = &m->u.config;
    unsigned i;

    if (c->n_services > WIRE_MAX_SERVICES || c->n_partitions > WIRE_MAX_PARTITIONS)
        return -1;
    put_i32(e, c->pid);
    put_u8(e, c->log_level);
    put_u32(e, c->lifecycle);
    put_u8(e, c->n_services);
    for (i = 0; i < c->n_services; i++) {
        if (c->services[i].flags & ~SVC_FLAGS)
            return -1;
        put_u32(e, c->services[i].sid);
        put_u32(e, c->services[i].signal);
        put_u32(e, c->services[i].version);
        put_u8(e, c->services[i].flags);
    }
    put_u16(e, c->n_partitions);
    for (i = 0; i < c->n_partitions; i++)
        put_i32(e, c->partition_ids[i]);
    put_u8(e, c->n_regions);
    put_bool(e, c->storage);
    put_bool(e, c->fast);
    return 0;
}

static int dec_config(struct dec *d, struct wire_msg *m)
{
    struct wire_config *c = &m->u.config;
    unsigned i;

    c->pid = get_i32(d);
    c->log_level = get_u8(d);
    c->lifecycle = get_u32(d);
    c->n_services = get_u8(d);
    if (c->n_services > WIRE_MAX_SERVICES)
        return -1;
    for (i = 0; i < c->n_services; i++) {
        c->services[i].sid = get_u32(d);
        c->services[i].signal = get_u32(d);
        c->services[i].version = get_u32(d);
        c->services[i].flags = get_u8(d);
        if (c->services[i].flags & ~SVC_FLAGS)
            return -1;
    }
    c->n_partitions = get_u16(d);
    if (c->n_partitions > WIRE_MAX_PARTITIONS)
        return -1;
    for (i = 0; i < c->n_partitions; i++)
        c->partition_ids[i] = get_i32(d);
    c->n_regions = get_u8(d);
    c->storage = get_bool(d);
    c->fast = get_bool(d);
    return 0;
}

static int enc_deliver(struct enc *e, const struct wire_msg *m)
{
    const struct wire_deliver *s = &m->u.deliver;

    put_i32(e, s->msg);
    put_i32(e, s->type);
    put_i32(e, s->client_id);
    put_u64(e, s->rhandle);
    put_u32(e, s->signal);
    return put_call(e, s->flags, &s->vecs, s->in);
}

static int dec_deliver(struct dec *d, struct wire_msg *m)
{
    struct wire_deliver *s = &m->u.deliver;

    s->msg = get_i32(d);
    s->type = get_i32(d);
    s->client_id = get_i32(d);
    s->rhandle = get_u64(d);
    s->signal = get_u32(d);
    return get_call(d, &s->flags, &s->vecs, s->in);
}

static int enc_irq_fired(struct enc *e, const struct wire_msg *m)
{
    put_u32(e, m->u.irq_fired.signal);
    return 0;
}

static int dec_irq_fired(struct dec *d, struct wire_msg *m)
{
    m->u.irq_fired.signal = get_u32(d);
    return 0;
}

static int enc_region(struct enc *e, const struct wire_msg *m)
{
    const struct wire_region *r = &m->u.region;

    put_u8(e, r->index);
    put_u64(e, r->map_base);
    put_u64(e, r->map_len);
    put_u64(e, r->base);
    put_u64(e, r->size);
    put_bool(e, r->writable);
    put_bool(e, r->trap);
    put_bool(e, r->otp);
    put_bool(e, r->report);
    put_u64(e, r->ack_off);
    put_u16(e, r->ack_slot);
    put_str(e, r->name, sizeof(r->name));
    return 0;
}

static int dec_region(struct dec *d, struct wire_msg *m)
{
    struct wire_region *r = &m->u.region;

    r->index = get_u8(d);
    r->map_base = get_u64(d);
    r->map_len = get_u64(d);
    r->base = get_u64(d);
    r->size = get_u64(d);
    r->writable = get_bool(d);
    r->trap = get_bool(d);
    r->otp = get_bool(d);
    r->report = get_bool(d);
    r->ack_off = get_u64(d);
    r->ack_slot = get_u16(d);
    if (r->ack_slot >= WIRE_ACK_SLOTS)
        d->bad = true;
    get_str(d, r->name, sizeof(r->name));
    return 0;
}

/* ---- the table ---- */

struct codec {
    const char *name;
    int (*enc)(struct enc *e, const struct wire_msg *m);
    int (*dec)(struct dec *d, struct wire_msg *m);
    size_t size; /* of its member of the union, cleared before decoding */
};

#define CODEC(type, member, fn)                                                                    \
    [WIRE_##type] = {#type, enc_##fn, dec_##fn, sizeof(((struct wire_msg *)0)->u.member)}

static const struct codec codecs[] = {
    CODEC(C_VERSION, version_req, version_req),
    CODEC(C_CONNECT, connect_req, connect_req),
    CODEC(C_CALL, call_req, call_req),
    CODEC(C_CLOSE, close_req, close_req),
    CODEC(C_IRQ, irq_req, irq_req),
    CODEC(C_BUFFER, buffer_req, buffer_req),
    CODEC(C_STALL, stall_req, stall_req),
    CODEC(C_GROW, grow_req, grow_req),
    CODEC(R_VERSION, version_rep, version_rep),
    CODEC(R_CONNECT, connect_rep, connect_rep),
    CODEC(R_CALL, call_rep, call_rep),
    CODEC(R_CLOSE, status_rep, status_rep),
    CODEC(R_IRQ, status_rep, status_rep),
    CODEC(R_BUFFER, status_rep, status_rep),
    CODEC(R_STALL, status_rep, status_rep),
    CODEC(R_GROW, status_rep, status_rep),
    CODEC(P_HELLO, hello, hello),
    CODEC(P_READY, ready, ready),
    CODEC(P_REPLY, reply, reply),
    CODEC(P_PANIC, text, text),
    CODEC(P_LOG, text, text),
    CODEC(P_VIOLATION, violation, violation),
    CODEC(P_NOTIFY, notify, notify),
    CODEC(P_IRQ, irq_ctl, irq_ctl),
    CODEC(P_MMIO, mmio, mmio),
    CODEC(P_RESET, reset, reset),
    CODEC(S_CONFIG, config, config),
    CODEC(S_MSG, deliver, deliver),
    [WIRE_S_DOORBELL] = {"S_DOORBELL", enc_empty, dec_empty, 0},
    [WIRE_S_STOP] = {"S_STOP", enc_empty, dec_empty, 0},
    CODEC(S_IRQ, irq_fired, irq_fired),
    CODEC(S_REGION, region, region),
    CODEC(S_FAST, fast, fast),
    CODEC(S_CHAN, chan, chan),
    CODEC(S_GROW, grow, grow),
};

static const struct codec *codec_of(uint16_t type)
{
    if (type >= sizeof(codecs) / sizeof(codecs[0]) || codecs[type].name == NULL)
        return NULL;
    return &codecs[type];
}

size_t wire_msg_size(uint16_t type)
{
    const struct codec *c = codec_of(type);

    return offsetof(struct wire_msg, u) + (c != NULL ? c->size : 0);
}

void wire_msg_init(struct wire_msg *m, uint16_t type)
{
    memset(m, 0, wire_msg_size(type));
    m->type = type;
}

const char *wire_type_name(uint16_t type)
{
    const struct codec *c = codec_of(type);

    return c != NULL ? c->name : "?";
}

int wire_encode(struct wire_frame *f, const struct wire_msg *m)
{
    const struct codec *c = codec_of(m->type);
    struct enc e = {.f = f};

    f->n_iov = 1;
    f->len = 0;
    if (c == NULL)
        return -1;
    put_u16(&e, WIRE_VERSION);
    put_u16(&e, m->type);
    put_u32(&e, m->seq);
    if (c->enc(&e, m) < 0 || e.bad || e.len + e.payload > WIRE_MAX_MSG)
        return -1;
    f->iov[0].iov_base = f->head;
    f->iov[0].iov_len = e.len;
    f->len = e.len + (size_t)e.payload;
    return 0;
}

int wire_decode(const void *buf, size_t len, struct wire_msg *m)
{
    struct dec d = {.p = buf, .len = len};
    const struct codec *c;
    uint16_t version;

    if (len > WIRE_MAX_MSG)
        return -1;
    version = get_u16(&d);
    m->type = get_u16(&d);
    m->seq = get_u32(&d);
    c = codec_of(m->type);
    if (d.bad || version != WIRE_VERSION || c == NULL)
        return -1;
    memset(&m->u, 0, c->size);
    if (c->dec(&d, m) < 0 || d.bad || d.off != d.len)
        return -1;
    return 0;
}

/* ---- stateless handles ---- */

#define STATELESS_VERSION_SHIFT 8
#define STATELESS_VERSION_MASK 0xffu
#define STATELESS_SLOT_MASK 0x1fu

uint32_t wire_stateless_handle(uint32_t version, uint32_t slot)
{
    return WIRE_STATELESS_BIT | (version & STATELESS_VERSION_MASK) << STATELESS_VERSION_SHIFT |
           (slot & STATELESS_SLOT_MASK);
}

bool wire_is_stateless(int32_t h)
{
    return h > 0 && ((uint32_t)h & WIRE_STATELESS_BIT) != 0;
}

int wire_stateless_parts(int32_t h, uint32_t *version, uint32_t *slot)
{
    uint32_t u = (uint32_t)h;

    if (!wire_is_stateless(h) ||
        (u & ~(WIRE_STATELESS_BIT | STATELESS_VERSION_MASK << STATELESS_VERSION_SHIFT |
               STATELESS_SLOT_MASK)) != 0)
        return -1;
    if (version != NULL)
        *version = u >> STATELESS_VERSION_SHIFT & STATELESS_VERSION_MASK;
    if (slot != NULL)
        *slot = u & STATELESS_SLOT_MASK;
    return 0;
}

/* ---- datagrams ---- */

int wire_send(int sock, const struct wire_frame *f, int fd)
{
    return wire_send_fds(sock, f, &fd, fd >= 0 ? 1 : 0);
}

int wire_send_fds(int sock, const struct wire_frame *f, const int *fds, int n_fds)
{
    union {
        char buf[CMSG_SPACE(WIRE_MAX_FDS * sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct msghdr mh = {.msg_iov = (struct iovec *)(uintptr_t)f->iov};
    size_t want = 0;
    ssize_t n;
    int i;

    if (f->n_iov < 1 || f->n_iov > 1 + WIRE_MAX_IOVEC || n_fds < 0 || n_fds > WIRE_MAX_FDS) {
        errno = EMSGSIZE;
        return -1;
    }
    for (i = 0; i < f->n_iov; i++)
        want += f->iov[i].iov_len;
    if (want > WIRE_MAX_MSG) {
        errno = EMSGSIZE;
        return -1;
    }
    mh.msg_iovlen = (size_t)f->n_iov;
    if (n_fds > 0) {
        struct cmsghdr *c;

        memset(&ctl, 0, sizeof(ctl));
        mh.msg_control = ctl.buf;
        mh.msg_controllen = CMSG_SPACE((size_t)n_fds * sizeof(int));
        c = CMSG_FIRSTHDR(&mh);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN((size_t)n_fds * sizeof(int));
        memcpy(CMSG_DATA(c), fds, (size_t)n_fds * sizeof(int));
    }
    do {
        n = sendmsg(sock, &mh, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    if ((size_t)n != want) { /* cannot happen on SOCK_SEQPACKET */
        errno = EMSGSIZE;
        return -1;
    }
    return 0;
}

long wire_recv(int sock, void *buf, size_t cap, int *fd)
{
    int fds[WIRE_MAX_FDS], n_fds;
    long n = wire_recv_fds(sock, buf, cap, fds, &n_fds);

    *fd = fds[0];
    if (n_fds > 1) {
        for (int i = 0; i < n_fds; i++)
            close(fds[i]);
        *fd = -1;
        errno = EBADMSG;
        return -1;
    }
    return n;
}

long wire_recv_fds(int sock, void *buf, size_t cap, int fds[WIRE_MAX_FDS], int *n_fds)
{
    union {
        char buf[CMSG_SPACE(4 * sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct iovec iov = {buf, cap};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
    struct cmsghdr *c;
    int nfds = 0, bad = 0, i;
    ssize_t n;

    for (i = 0; i < WIRE_MAX_FDS; i++)
        fds[i] = -1;
    *n_fds = 0;
    mh.msg_control = ctl.buf;
    mh.msg_controllen = sizeof(ctl.buf);
    do {
        n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c)) {
        size_t j, k;

        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) {
            bad = 1;
            continue;
        }
        k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (j = 0; j < k; j++) {
            int got;

            memcpy(&got, CMSG_DATA(c) + j * sizeof(int), sizeof(int));
            if (nfds < WIRE_MAX_FDS)
                fds[nfds] = got;
            else
                close(got);
            nfds++;
        }
    }
    if (n == 0 || nfds > WIRE_MAX_FDS || bad || (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC))) {
        /* nothing to hand over: a descriptor that came with it goes now */
        for (i = 0; i < WIRE_MAX_FDS; i++) {
            if (fds[i] >= 0)
                close(fds[i]);
            fds[i] = -1;
        }
        if (n == 0)
            return 0;
        errno = EBADMSG;
        return -1;
    }
    *n_fds = nfds;
    return (long)n;
}
