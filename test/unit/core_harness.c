/*
 * core_harness.c - the fake shell, clients and partitions around the SPM's
 * core, and the checks on every effect (core_harness.h).
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "core_harness.h"
#include "psa/client.h"
#include "psa/error.h"
#include "psa/service.h"

#define LIST "test/manifests/manifest_list.yaml"
#define PLATFORM "test/manifests/platform.yaml"

void (*h_fail_hook)(const char *msg);

void h_fail(const char *fmt, ...)
{
    char msg[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    fprintf(stderr, "core harness: %s\n", msg);
    if (h_fail_hook != NULL)
        h_fail_hook(msg);
    abort();
}

int h_load(struct mf_system **sys, struct mf_platform **plat)
{
    return h_load_list(LIST, sys, plat);
}

int h_load_list(const char *list, struct mf_system **sys, struct mf_platform **plat)
{
    struct mf_options opt = {NULL, 0, MF_BACKEND_IPC};
    struct mf_diags *d = mf_diags_new();
    int rc = -1;

    *sys = NULL;
    *plat = NULL;
    if (d == NULL)
        return -1;
    if (mf_platform_load(PLATFORM, plat, d) == 0 && mf_load(list, &opt, sys, d) == 0 &&
        mf_platform_bind(*plat, *sys, d) == 0)
        rc = 0;
    if (rc < 0)
        mf_diags_print(d, stderr);
    mf_diags_free(d);
    return rc;
}

struct spm_core_config h_default_config(const struct mf_system *sys, const struct mf_platform *plat)
{
    struct spm_core_config cfg = {
        .sys = sys,
        .plat = plat,
        .policy = SPM_POLICY_RESET,
        .call_timeout_ms = 60000,
        .max_conns = SPM_DEF_MAX_CONNS,
        .max_inflight_socket = SPM_DEF_INFLIGHT_SOCKET,
        .max_inflight_user = SPM_DEF_INFLIGHT_USER,
        .max_sockets_user = SPM_DEF_SOCKETS_USER,
        .window_msgs = SPM_DEF_WINDOW_MSGS,
        .window_bytes = SPM_DEF_WINDOW_BYTES,
        .max_resets = SPM_DEF_MAX_RESETS,
        .reset_window_s = SPM_DEF_RESET_WINDOW_S,
        .lifecycle = 0x3000,
        .log_level = SPM_DEBUG, /* every log line is formatted: its arguments are checked too */
        .daemon_uid = 4242,
        .state_dir = "",
    };

    return cfg;
}

static bool peer_eq(struct spm_peer a, struct spm_peer b)
{
    return a.kind == b.kind && a.idx == b.idx && a.gen == b.gen;
}

bool h_init(struct h *h, struct mf_system *sys, struct mf_platform *plat,
            const struct spm_core_config *cfg)
{
    size_t i;

    memset(h, 0, sizeof(*h));
    h->sys = sys;
    h->plat = plat;
    h->cfg = *cfg;
    h->now = 1000000;
    h->next_pid = 10000;
    h->strict_gone = true;
    H_CHECK(sys->n_partitions <= H_MAX_PARTS, "harness: too many partitions");
    h->n_parts = sys->n_partitions;
    for (i = 0; i < h->n_parts; i++)
        h->part[i].mf = &sys->partitions[i];
    h->c = spm_core_new(&h->cfg);
    if (h->c == NULL)
        return false;
    H_CHECK(spm_core_n_parts(h->c) == h->n_parts, "core counts %zu partitions, manifests %zu",
            spm_core_n_parts(h->c), h->n_parts);
    return true;
}

void h_free(struct h *h)
{
    size_t i;

    spm_core_free(h->c);
    h->c = NULL;
    for (i = 0; i < h->n_fx; i++) {
        free(h->fx[i].text);
        free(h->fx[i].data);
    }
    free(h->fx);
    h->fx = NULL;
    h->n_fx = h->cap_fx = 0;
    for (i = 0; i < h->n_fds; i++)
        close(h->fds[i]);
    h->n_fds = 0;
}

int h_fd(struct h *h)
{
    int fd = memfd_create("core-test", MFD_CLOEXEC | MFD_ALLOW_SEALING);

    H_CHECK(fd >= 0, "harness: memfd_create failed");
    H_CHECK(h->n_fds < H_MAX_FDS, "harness: too many descriptors in the core");
    h->fds[h->n_fds++] = fd;
    h->fds_given++;
    return fd;
}

static void fd_back(struct h *h, int fd, const char *how)
{
    size_t i;

    for (i = 0; i < h->n_fds; i++) {
        if (h->fds[i] == fd) {
            h->fds[i] = h->fds[--h->n_fds];
            h->fds_back++;
            close(fd);
            return;
        }
    }
    h_fail("the core gives back descriptor %d (%s) it does not hold: never given, or given back "
           "twice",
           fd, how);
}

/* ---- requests and their replies ---- */

static uint32_t req_add(struct h_requester *r, uint16_t type)
{
    H_CHECK(r->n_req < H_MAX_REQ, "harness: too many requests waiting");
    r->next_seq++;
    if (r->next_seq == 0)
        r->next_seq = 1;
    r->req[r->n_req].seq = r->next_seq;
    r->req[r->n_req].type = type;
    r->n_req++;
    return r->next_seq;
}

static uint16_t request_of(uint16_t reply)
{
    switch (reply) {
    case WIRE_R_VERSION:
        return WIRE_C_VERSION;
    case WIRE_R_CONNECT:
        return WIRE_C_CONNECT;
    case WIRE_R_CALL:
        return WIRE_C_CALL;
    case WIRE_R_CLOSE:
        return WIRE_C_CLOSE;
    case WIRE_R_IRQ:
        return WIRE_C_IRQ;
    case WIRE_R_BUFFER:
        return WIRE_C_BUFFER;
    case WIRE_R_STALL:
        return WIRE_C_STALL;
    case WIRE_R_GROW:
        return WIRE_C_GROW;
    default:
        return 0;
    }
}

/* Each request is answered once, by the reply of its own type. */
static void req_answered(struct h_requester *r, const struct wire_msg *m, const char *who)
{
    uint16_t want = request_of(m->type);
    size_t i;

    H_CHECK(want != 0, "the core sends %s to %s", wire_type_name(m->type), who);
    for (i = 0; i < r->n_req; i++) {
        if (r->req[i].seq != m->seq)
            continue;
        H_CHECK(r->req[i].type == want, "%s gets %s for its %s (seq %u)", who,
                wire_type_name(m->type), wire_type_name(r->req[i].type), (unsigned)m->seq);
        r->req[i] = r->req[--r->n_req];
        return;
    }
    h_fail("%s gets %s seq %u for no request it is waiting on (a second answer, or none asked)",
           who, wire_type_name(m->type), (unsigned)m->seq);
}

static void handle_add(struct h *h, int32_t handle, pid_t pid, uint32_t part)
{
    struct h_handle *x = &h->handles[h->handles_seen % H_MAX_HANDLES];

    x->handle = handle;
    x->pid = pid;
    x->part = part;
    h->handles_seen++;
    if (h->n_handles < H_MAX_HANDLES)
        h->n_handles++;
}

/* ---- the effect log ---- */

static uint32_t checksum(const void *p, size_t n)
{
    const uint8_t *b = p;
    uint32_t x = 2166136261u;

    while (n-- > 0)
        x = (x ^ *b++) * 16777619u;
    return x;
}

static void log_fx(struct h *h, const struct spm_effect *e)
{
    struct h_fx *r;
    size_t total = 0, at = 0;
    unsigned i;

    if (h->n_fx == h->cap_fx) {
        size_t cap = h->cap_fx ? h->cap_fx * 2 : 256;
        struct h_fx *n = realloc(h->fx, cap * sizeof(*n));

        H_CHECK(n != NULL, "harness: out of memory");
        h->fx = n;
        h->cap_fx = cap;
    }
    r = &h->fx[h->n_fx++];
    memset(r, 0, sizeof(*r));
    r->fx = *e;
    r->event = h->n_steps;
    if (e->type == SPM_FX_LOG && e->text != NULL) {
        r->text = strdup(e->text);
        r->fx.text = r->text;
    }
    if (e->type != SPM_FX_SEND)
        return;
    /* payloads live until the outbox is cleared: keep copies */
    if (e->msg.type == WIRE_S_MSG && !(e->msg.u.deliver.flags & WIRE_CALL_MEMFD)) {
        const struct wire_deliver *d = &e->msg.u.deliver;

        for (i = 0; i < d->vecs.n_in; i++)
            total += d->vecs.in_len[i];
        r->data = malloc(total + 1);
        H_CHECK(r->data != NULL, "harness: out of memory");
        for (i = 0; i < d->vecs.n_in; i++) {
            memcpy(r->data + at, d->in[i], d->vecs.in_len[i]);
            r->fx.msg.u.deliver.in[i] = r->data + at;
            at += d->vecs.in_len[i];
        }
    } else if (e->msg.type == WIRE_R_CALL && !(e->msg.u.call_rep.flags & WIRE_CALL_MEMFD)) {
        const struct wire_call_rep *c = &e->msg.u.call_rep;

        for (i = 0; i < c->n_out; i++)
            total += c->written[i];
        r->data = malloc(total + 1);
        H_CHECK(r->data != NULL, "harness: out of memory");
        for (i = 0; i < c->n_out; i++) {
            memcpy(r->data + at, c->out[i], c->written[i]);
            r->fx.msg.u.call_rep.out[i] = r->data + at;
            at += c->written[i];
        }
    }
}

const struct h_fx *h_find(const struct h *h, size_t mark, enum spm_effect_type type,
                          struct spm_peer to)
{
    size_t i;

    for (i = mark; i < h->n_fx; i++)
        if (h->fx[i].fx.type == type && (to.kind == SPM_PEER_NONE || peer_eq(h->fx[i].fx.to, to)))
            return &h->fx[i];
    return NULL;
}

size_t h_count(const struct h *h, size_t mark, enum spm_effect_type type, struct spm_peer to)
{
    size_t i, n = 0;

    for (i = mark; i < h->n_fx; i++)
        n += h->fx[i].fx.type == type && (to.kind == SPM_PEER_NONE || peer_eq(h->fx[i].fx.to, to));
    return n;
}

const struct wire_msg *h_sent(const struct h *h, size_t mark, struct spm_peer to, uint16_t wtype,
                              uint32_t seq)
{
    size_t i;

    for (i = mark; i < h->n_fx; i++) {
        const struct spm_effect *e = &h->fx[i].fx;

        if (e->type == SPM_FX_SEND && peer_eq(e->to, to) && e->msg.type == wtype &&
            (seq == 0 || e->msg.seq == seq))
            return &e->msg;
    }
    return NULL;
}

size_t h_count_sent(const struct h *h, size_t mark, struct spm_peer to, uint16_t wtype)
{
    size_t i, n = 0;

    for (i = mark; i < h->n_fx; i++) {
        const struct spm_effect *e = &h->fx[i].fx;

        n += e->type == SPM_FX_SEND && peer_eq(e->to, to) && e->msg.type == wtype;
    }
    return n;
}

bool h_client_waits(const struct h *h, int cl, uint32_t seq)
{
    size_t i;

    for (i = 0; i < h->cl[cl].r.n_req; i++)
        if (h->cl[cl].r.req[i].seq == seq)
            return true;
    return false;
}

/* ---- the trace: one line per event and per effect ---- */

static const char *const ev_names[] = {
    "START",        "CLIENT_MSG", "CLIENT_BAD",   "CLIENT_GONE", "PART_SPAWNED",
    "SPAWN_FAILED", "PART_MSG",   "PART_BAD",     "PART_EOF",    "PART_EXITED",
    "TICK",         "IRQ_LINE",   "SYSTEM_RESET", "STOP",
};
static const char *const fx_names[] = {"SEND", "DROP",   "KILL",    "SPAWN", "CLOSE_FD",   "LOG",
                                       "READ", "BUFFER", "REGIONS", "MMIO",  "BOARD_RESET"};

static void describe(const struct wire_msg *m, char *out, size_t size)
{
    const struct wire_vecs *v = NULL;
    int n = 0;

    switch (m->type) {
    case WIRE_C_VERSION:
        n = snprintf(out, size, "C_VERSION seq %u sid 0x%x", (unsigned)m->seq,
                     (unsigned)m->u.version_req.sid);
        break;
    case WIRE_C_CONNECT:
        n = snprintf(out, size, "C_CONNECT seq %u sid 0x%x v%u", (unsigned)m->seq,
                     (unsigned)m->u.connect_req.sid, (unsigned)m->u.connect_req.version);
        break;
    case WIRE_C_CALL:
        n = snprintf(out, size, "C_CALL seq %u handle 0x%x type %d flags %u", (unsigned)m->seq,
                     (unsigned)m->u.call_req.handle, (int)m->u.call_req.type,
                     (unsigned)m->u.call_req.flags);
        v = &m->u.call_req.vecs;
        break;
    case WIRE_C_CLOSE:
        n = snprintf(out, size, "C_CLOSE seq %u handle 0x%x", (unsigned)m->seq,
                     (unsigned)m->u.close_req.handle);
        break;
    case WIRE_R_VERSION:
        n = snprintf(out, size, "R_VERSION seq %u %u", (unsigned)m->seq,
                     (unsigned)m->u.version_rep.version);
        break;
    case WIRE_R_CONNECT:
        n = snprintf(out, size, "R_CONNECT seq %u %d", (unsigned)m->seq,
                     (int)m->u.connect_rep.result);
        break;
    case WIRE_R_CALL:
        n = snprintf(out, size, "R_CALL seq %u status %d n_out %u", (unsigned)m->seq,
                     (int)m->u.call_rep.status, (unsigned)m->u.call_rep.n_out);
        break;
    case WIRE_R_CLOSE:
    case WIRE_R_IRQ:
    case WIRE_R_BUFFER:
        n = snprintf(out, size, "%s seq %u %d", wire_type_name(m->type), (unsigned)m->seq,
                     (int)m->u.status_rep.status);
        break;
    case WIRE_P_REPLY:
        n = snprintf(out, size, "P_REPLY msg %d status %d flags %u n_out %u w0 %u",
                     (int)m->u.reply.msg, (int)m->u.reply.status, (unsigned)m->u.reply.flags,
                     (unsigned)m->u.reply.n_out, (unsigned)m->u.reply.written[0]);
        break;
    case WIRE_S_MSG:
        n = snprintf(out, size, "S_MSG msg %d type %d client %d signal 0x%x flags %u",
                     (int)m->u.deliver.msg, (int)m->u.deliver.type, (int)m->u.deliver.client_id,
                     (unsigned)m->u.deliver.signal, (unsigned)m->u.deliver.flags);
        v = &m->u.deliver.vecs;
        break;
    case WIRE_P_RESET:
        n = snprintf(out, size, "P_RESET n_calls %u call0 %d", (unsigned)m->u.reset.n_calls,
                     (int)m->u.reset.calls[0]);
        break;
    case WIRE_P_IRQ:
        n = snprintf(out, size, "P_IRQ signal 0x%x op %u", (unsigned)m->u.irq_ctl.signal,
                     (unsigned)m->u.irq_ctl.op);
        break;
    case WIRE_P_NOTIFY:
        n = snprintf(out, size, "P_NOTIFY %d", (int)m->u.notify.partition_id);
        break;
    case WIRE_P_MMIO:
        n = snprintf(out, size, "P_MMIO region %u offset 0x%x", (unsigned)m->u.mmio.region,
                     (unsigned)m->u.mmio.offset);
        break;
    case WIRE_C_BUFFER:
        n = snprintf(out, size, "C_BUFFER seq %u size %llu", (unsigned)m->seq,
                     (unsigned long long)m->u.buffer_req.size);
        break;
    default:
        n = snprintf(out, size, "%s seq %u", wire_type_name(m->type), (unsigned)m->seq);
        break;
    }
    if (v != NULL && n > 0 && (size_t)n < size)
        snprintf(out + n, size - (size_t)n, " in %u[%u,..] out %u[%u,..]", (unsigned)v->n_in,
                 (unsigned)v->in_len[0], (unsigned)v->n_out, (unsigned)v->out_len[0]);
}

static void trace_event(const struct h *h, const struct spm_event *ev)
{
    char m[256] = "";

    if (ev->msg != NULL)
        describe(ev->msg, m, sizeof(m));
    fprintf(stderr, "t=%ld %s", h->now, ev_names[ev->type]);
    if (ev->type >= SPM_EV_CLIENT_MSG && ev->type <= SPM_EV_CLIENT_GONE)
        fprintf(stderr, " client(%u,%u)", (unsigned)ev->from.idx, (unsigned)ev->from.gen);
    else if (ev->type >= SPM_EV_PART_MSG && ev->type <= SPM_EV_PART_EOF)
        fprintf(stderr, " %s(gen %u)", h->part[ev->from.idx].mf->name, (unsigned)ev->from.gen);
    else if (ev->type == SPM_EV_PART_SPAWNED || ev->type == SPM_EV_SPAWN_FAILED)
        fprintf(stderr, " %s pid %d", h->part[ev->part].mf->name, (int)ev->pid);
    else if (ev->type == SPM_EV_PART_EXITED)
        fprintf(stderr, " pid %d status 0x%x", (int)ev->pid, (unsigned)ev->status);
    else if (ev->type == SPM_EV_IRQ_LINE)
        fprintf(stderr, " line %d level %d", ev->line, (int)ev->level);
    fprintf(stderr, " %s%s\n", m,
            ev->msg == NULL || ev->fd < 0 ? ""
            : ev->fd_ok                   ? " +fd ok"
                                          : " +fd unfit");
}

static void trace_fx(const struct h *h, const struct spm_effect *e)
{
    char m[256] = "";

    if (e->type == SPM_FX_SEND)
        describe(&e->msg, m, sizeof(m));
    else if (e->type == SPM_FX_LOG)
        snprintf(m, sizeof(m), "%s", e->text ? e->text : "(null)");
    fprintf(stderr, "    -> %s",
            (unsigned)e->type < sizeof(fx_names) / sizeof(fx_names[0]) ? fx_names[e->type] : "?");
    if (e->type == SPM_FX_SPAWN || e->type == SPM_FX_MMIO)
        fprintf(stderr, " %s", e->part < h->n_parts ? h->part[e->part].mf->name : "?");
    else if (e->to.kind == SPM_PEER_CLIENT)
        fprintf(stderr, " client(%u,%u)", (unsigned)e->to.idx, (unsigned)e->to.gen);
    else if (e->to.kind == SPM_PEER_PART)
        fprintf(stderr, " %s(gen %u)", e->to.idx < h->n_parts ? h->part[e->to.idx].mf->name : "?",
                (unsigned)e->to.gen);
    if (e->type == SPM_FX_READ)
        fprintf(stderr, " %s", e->on ? "on" : "off");
    fprintf(stderr, " %s%s\n", m, e->fd >= 0 && e->type != SPM_FX_LOG ? " +fd" : "");
}

/* ---- carrying out the outbox ---- */

static struct h_client *client_of(struct h *h, struct spm_peer p)
{
    size_t i;

    for (i = 0; i < h->n_cl; i++)
        if (peer_eq(h->cl[i].peer, p))
            return &h->cl[i];
    return NULL;
}

static struct h_part *part_of(struct h *h, struct spm_peer p, const char *what)
{
    struct h_part *x;

    H_CHECK(p.kind == SPM_PEER_PART && p.idx < h->n_parts,
            "%s names no partition (kind %u, idx %u)", what, (unsigned)p.kind, (unsigned)p.idx);
    x = &h->part[p.idx];
    if (x->gen == UINT32_MAX && p.gen != x->prev_gen)
        x->gen = p.gen; /* an effect of its PART_SPAWNED names the new channel */
    return x;
}

static bool has_signal(const struct mf_partition *mf, uint32_t signal, bool irq)
{
    size_t i;

    if (irq) {
        for (i = 0; i < mf->n_irqs; i++)
            if (mf->irqs[i].signal == signal)
                return true;
        return false;
    }
    for (i = 0; i < mf->n_services; i++)
        if (mf->services[i].signal == signal)
            return true;
    return false;
}

static void on_deliver(struct h *h, struct h_part *p, const struct wire_msg *m)
{
    const struct wire_deliver *d = &m->u.deliver;
    struct h_msg *x;
    uint32_t sum = 2166136261u;
    uint64_t bytes = 0, held = 0;
    size_t i;

    H_CHECK(p->stage == 2, "S_MSG to partition %s before it is ready", p->mf->name);
    H_CHECK(has_signal(p->mf, d->signal, false),
            "S_MSG to %s on signal 0x%x of none of its services", p->mf->name, (unsigned)d->signal);
    H_CHECK(d->type == PSA_IPC_CONNECT || d->type == PSA_IPC_DISCONNECT ||
                (d->type >= 0 && d->type <= INT16_MAX),
            "S_MSG of type %d", (int)d->type);
    H_CHECK(d->client_id < 0 || mf_find_pid(h->sys, d->client_id) != NULL,
            "S_MSG with client id %d, neither non-secure nor a partition", (int)d->client_id);
    for (i = 0; i < p->n_pending; i++)
        H_CHECK(p->pending[i].id != d->msg, "partition %s gets message id %d twice", p->mf->name,
                (int)d->msg);
    H_CHECK(p->n_pending < H_MAX_PENDING, "harness: too many pending messages");
    H_CHECK(p->n_pending < h->cfg.window_msgs,
            "partition %s gets a message past its window: %zu unanswered, window %u", p->mf->name,
            p->n_pending, h->cfg.window_msgs);
    /* CONNECT and DISCONNECT carry nothing */
    H_CHECK(d->type >= 0 || (d->vecs.n_in == 0 && d->vecs.n_out == 0 && d->flags == 0),
            "S_MSG %d of type %d with vectors or flags", (int)d->msg, (int)d->type);
    if (!(d->flags & WIRE_CALL_MEMFD))
        bytes = wire_vecs_in_total(&d->vecs);
    for (i = 0; i < p->n_pending; i++)
        held += p->pending[i].inline_bytes;
    /* a message bigger than the window goes alone */
    H_CHECK(p->n_pending == 0 || held + bytes <= h->cfg.window_bytes,
            "partition %s gets %llu inline bytes on top of %llu, window %llu", p->mf->name,
            (unsigned long long)bytes, (unsigned long long)held,
            (unsigned long long)h->cfg.window_bytes);
    if (!(d->flags & WIRE_CALL_MEMFD))
        for (i = 0; i < d->vecs.n_in; i++)
            sum = checksum(d->in[i], d->vecs.in_len[i]) ^ (sum * 31u);
    x = &p->pending[p->n_pending++];
    x->id = d->msg;
    x->type = d->type;
    x->client_id = d->client_id;
    h->callers[(uint32_t)d->msg % H_CALLERS].id = d->msg;
    h->callers[(uint32_t)d->msg % H_CALLERS].client_id = d->client_id;
    x->signal = d->signal;
    x->flags = d->flags;
    x->vecs = d->vecs;
    x->rhandle = d->rhandle;
    x->at = h->now;
    x->in_sum = sum;
    x->inline_bytes = bytes;
}

static void on_send(struct h *h, const struct spm_effect *e)
{
    struct wire_frame f;
    int i;

    /* the core only sends what the codec can encode; touching every payload
     * byte lets AddressSanitizer see a dangling payload pointer */
    H_CHECK(wire_encode(&f, &e->msg) == 0, "the core sends a %s that does not encode",
            wire_type_name(e->msg.type));
    for (i = 1; i < f.n_iov; i++)
        (void)checksum(f.iov[i].iov_base, f.iov[i].iov_len);
    /* the descriptors the core passes on: a large call's memfd, a big data area */
    H_CHECK(e->msg.type == WIRE_S_MSG
                ? (e->fd >= 0) == ((e->msg.u.deliver.flags & WIRE_CALL_MEMFD) != 0)
                : (e->msg.type == WIRE_S_GROW) == (e->fd >= 0),
            "the core sends %s (flags %u) %s a descriptor", wire_type_name(e->msg.type),
            e->msg.type == WIRE_S_MSG ? (unsigned)e->msg.u.deliver.flags : 0u,
            e->fd >= 0 ? "with" : "without");

    if (e->to.kind == SPM_PEER_CLIENT) {
        struct h_client *c = client_of(h, e->to);

        H_CHECK(c != NULL, "SEND %s to client (%u, %u), never opened", wire_type_name(e->msg.type),
                (unsigned)e->to.idx, (unsigned)e->to.gen);
        H_CHECK(c->open || !h->strict_gone, "SEND %s to client (%u, %u) after it was %s",
                wire_type_name(e->msg.type), (unsigned)e->to.idx, (unsigned)e->to.gen,
                c->dropped ? "dropped" : "gone");
        if (!c->open)
            return;
        req_answered(&c->r, &e->msg, "a client");
        if (e->msg.type == WIRE_R_CONNECT) {
            int32_t r = e->msg.u.connect_rep.result;

            H_CHECK(r > 0 || r == PSA_ERROR_CONNECTION_REFUSED || r == PSA_ERROR_CONNECTION_BUSY ||
                        r == PSA_ERROR_PROGRAMMER_ERROR,
                    "R_CONNECT %d to a client", (int)r);
            if (r > 0) {
                H_CHECK(!wire_is_stateless(r), "connection handle 0x%x has the stateless form",
                        (unsigned)r);
                handle_add(h, r, c->pid, 0);
            }
        }
        return;
    }

    struct h_part *p = part_of(h, e->to, "SEND");

    if (e->to.gen != p->gen || !p->chan)
        return; /* the shell drops what is sent to a channel it closed */
    switch (e->msg.type) {
    case WIRE_S_CONFIG:
        H_CHECK(p->stage >= 1, "S_CONFIG to %s before its HELLO", p->mf->name);
        p->configs++;
        break;
    case WIRE_S_MSG:
        on_deliver(h, p, &e->msg);
        break;
    case WIRE_S_DOORBELL:
        p->doorbells++;
        break;
    case WIRE_S_IRQ:
        H_CHECK(has_signal(p->mf, e->msg.u.irq_fired.signal, true),
                "S_IRQ to %s on signal 0x%x of none of its interrupts", p->mf->name,
                (unsigned)e->msg.u.irq_fired.signal);
        p->irqs++;
        break;
    case WIRE_S_STOP:
        p->stops++;
        p->stop_told = true;
        break;
    default:
        req_answered(&p->r, &e->msg, p->mf->name);
        if (e->msg.type == WIRE_R_CONNECT && e->msg.u.connect_rep.result > 0)
            handle_add(h, e->msg.u.connect_rep.result, 0, e->to.idx);
        break;
    }
}

static void on_kill(struct h *h, const struct spm_effect *e)
{
    struct h_part *p = part_of(h, e->to, "KILL");

    if (e->to.gen != p->gen)
        return; /* an earlier process: long gone, the shell ignores it */
    if (p->chan) {
        H_CHECK(p->pid == 0 || h->kill_ok[e->to.idx],
                "partition %s is killed after an event that is none of its doing", p->mf->name);
        p->chan = false;
        p->n_pending = 0;
        p->r.n_req = 0;
    }
    if (p->pid != 0 && !p->killed) {
        p->killed = true;
        p->kills++;
    }
}

static void carry_out(struct h *h)
{
    const struct spm_effect *fx;
    size_t n, i;

    fx = spm_core_effects(h->c, &n);
    H_CHECK(n == 0 || fx != NULL, "the outbox has %zu effects and no array", n);
    for (i = 0; i < n; i++) {
        const struct spm_effect *e = &fx[i];

        if (h->trace)
            trace_fx(h, e);
        if (h->keep_log)
            log_fx(h, e);
        switch (e->type) {
        case SPM_FX_SEND:
            on_send(h, e);
            if (e->fd >= 0)
                fd_back(h, e->fd, "passed with a SEND");
            break;
        case SPM_FX_DROP: {
            struct h_client *c = client_of(h, e->to);

            H_CHECK(e->to.kind == SPM_PEER_CLIENT && c != NULL,
                    "DROP of (%u, %u, %u), no client ever opened", (unsigned)e->to.kind,
                    (unsigned)e->to.idx, (unsigned)e->to.gen);
            H_CHECK(!c->dropped, "client (%u, %u) dropped twice", (unsigned)e->to.idx,
                    (unsigned)e->to.gen);
            c->dropped = true;
            c->open = false;
            c->r.n_req = 0;
            break;
        }
        case SPM_FX_KILL:
            on_kill(h, e);
            break;
        case SPM_FX_SPAWN:
            H_CHECK(e->part < h->n_parts, "SPAWN of partition %u", (unsigned)e->part);
            H_CHECK(!h->stopping, "SPAWN of %s after STOP", h->part[e->part].mf->name);
            H_CHECK(h->part[e->part].pid == 0 && !h->part[e->part].spawn_wanted,
                    "SPAWN of %s while its process %d lives or a spawn is pending",
                    h->part[e->part].mf->name, (int)h->part[e->part].pid);
            h->part[e->part].spawn_wanted = true;
            h->part[e->part].spawns++;
            break;
        case SPM_FX_CLOSE_FD:
            fd_back(h, e->fd, "CLOSE_FD");
            break;
        case SPM_FX_LOG:
            H_CHECK(e->text != NULL && strlen(e->text) < 8192, "LOG without a sane text");
            break;
        case SPM_FX_READ: {
            struct h_client *c = client_of(h, e->to);

            H_CHECK(e->to.kind == SPM_PEER_CLIENT && c != NULL, "READ of a peer never opened");
            H_CHECK(c->open || !h->strict_gone, "READ %s of client (%u, %u) after it was gone",
                    e->on ? "on" : "off", (unsigned)e->to.idx, (unsigned)e->to.gen);
            if (c->reading && !e->on)
                c->read_offs++;
            c->reading = e->on;
            break;
        }
        case SPM_FX_BUFFER: {
            struct h_part *p = part_of(h, e->to, "BUFFER");
            struct wire_msg r;

            H_CHECK(e->size >= 1 && e->size <= WIRE_MAX_PAYLOAD, "BUFFER of %llu bytes",
                    (unsigned long long)e->size);
            if (e->to.gen != p->gen || !p->chan)
                break;
            /* the shell answers the partition's C_BUFFER */
            memset(&r, 0, sizeof(r));
            r.type = WIRE_R_BUFFER;
            r.seq = e->seq;
            req_answered(&p->r, &r, p->mf->name);
            break;
        }
        case SPM_FX_REGIONS:
            part_of(h, e->to, "REGIONS");
            break;
        case SPM_FX_BOARD_RESET:
            h->board_resets++;
            break;
        case SPM_FX_MMIO:
            H_CHECK(e->part < h->n_parts, "MMIO of partition %u", (unsigned)e->part);
            H_CHECK(e->region < h->part[e->part].mf->n_mmio, "MMIO of region %u of %s",
                    (unsigned)e->region, h->part[e->part].mf->name);
            break;
        case SPM_FX_CHAN_OPEN:
            /* the direct path: only with it on, for a live partition, the
             * connection's own index and a client id of a Linux user */
            H_CHECK(h->cfg.direct, "CHAN_OPEN with the direct path off");
            part_of(h, e->to, "CHAN_OPEN");
            H_CHECK(e->msg.type == WIRE_S_CHAN && e->msg.u.chan.token == e->conn &&
                        e->msg.u.chan.client_id != 0 && e->conn < SPM_MAX_CONNS_TOTAL,
                    "CHAN_OPEN of connection %u: a malformed S_CHAN", (unsigned)e->conn);
            break;
        case SPM_FX_CHAN_FAIL:
            H_CHECK(h->cfg.direct && e->conn < SPM_MAX_CONNS_TOTAL && e->status < 0,
                    "CHAN_FAIL of connection %u with %d", (unsigned)e->conn, (int)e->status);
            break;
        case SPM_FX_CHAN_CLOSE:
            H_CHECK(h->cfg.direct && e->conn < SPM_MAX_CONNS_TOTAL, "CHAN_CLOSE of connection %u",
                    (unsigned)e->conn);
            break;
        case SPM_FX_WATCH:
            part_of(h, e->to, "WATCH");
            break;
        default:
            h_fail("unknown effect type %d", (int)e->type);
        }
    }
}

/* ---- stepping ---- */

static bool resetting(const struct h *h)
{
    size_t i;

    if (h->cfg.policy != SPM_POLICY_RESET && !h->sysreset_pending)
        return false;
    for (i = 0; i < h->n_parts; i++) {
        enum spm_part_state s = spm_core_part_state(h->c, (uint32_t)i);

        if (s == SPM_PART_DEAD || s == SPM_PART_STARTING)
            return true;
    }
    return false;
}

/* The watchdog's rule (docs/faults.md): a partition that owes replies and
 * answers none for the call timeout, counted from its last answer or from
 * when it was given work while it owed nothing, is hung. */
static bool overdue(const struct h *h, const struct h_part *p)
{
    long since = -1;
    size_t i;

    if (h->cfg.call_timeout_ms <= 0 || p->n_pending == 0)
        return false;
    for (i = 0; i < p->n_pending; i++)
        if (since < 0 || p->pending[i].at < since)
            since = p->pending[i].at;
    if (p->last_reply > since)
        since = p->last_reply;
    return h->now - since >= h->cfg.call_timeout_ms;
}

/* Whether @p ev is a service's PROGRAMMER_ERROR answer to a call of
 * partition @p i (FF-M: the secure caller is panicked). */
static bool programmer_error_of(const struct h *h, const struct spm_event *ev, size_t i)
{
    int32_t id;

    if (ev->type != SPM_EV_PART_MSG || ev->msg == NULL || ev->msg->type != WIRE_P_REPLY ||
        ev->msg->u.reply.status != PSA_ERROR_PROGRAMMER_ERROR)
        return false;
    id = ev->msg->u.reply.msg;
    return h->callers[(uint32_t)id % H_CALLERS].id == id &&
           h->callers[(uint32_t)id % H_CALLERS].client_id == h->part[i].mf->pid;
}

/* Which partitions the event may get killed: a partition is killed for its
 * own faults (a bad message, silence past the timeout, a bad start), by a
 * reset (a fault under the reset policy, a system reset), or at stop;
 * never for what a client sent. */
static void allow_kills(struct h *h, const struct spm_event *ev)
{
    bool all =
        h->stopping || ev->type == SPM_EV_SYSTEM_RESET || ev->type == SPM_EV_STOP || resetting(h);
    size_t i;

    for (i = 0; i < h->n_parts; i++) {
        bool ok = all;

        switch (ev->type) {
        case SPM_EV_PART_MSG:
        case SPM_EV_PART_BAD:
        case SPM_EV_PART_EOF:
            ok =
                ok || ev->from.idx == i || h->cfg.policy == SPM_POLICY_RESET ||
                (ev->type == SPM_EV_PART_MSG && ev->msg != NULL && ev->msg->type == WIRE_P_RESET) ||
                programmer_error_of(h, ev, i);
            break;
        case SPM_EV_PART_EXITED:
            ok = ok || h->cfg.policy == SPM_POLICY_RESET;
            break;
        case SPM_EV_PART_PROGRESS: /* its own silence on direct calls */
            ok = ok || ev->from.idx == i || h->cfg.policy == SPM_POLICY_RESET;
            break;
        case SPM_EV_TICK:
            ok = ok || overdue(h, &h->part[i]) || h->part[i].stage < 2;
            break;
        case SPM_EV_SYSTEM_RESET:
        case SPM_EV_STOP:
            ok = true;
            break;
        default:
            break;
        }
        h->kill_ok[i] = ok;
    }
}

static void after_step(struct h *h)
{
    size_t i;
    bool over = true;

    if (!h->sysreset_pending)
        return;
    for (i = 0; i < h->n_parts; i++) {
        enum spm_part_state s = spm_core_part_state(h->c, (uint32_t)i);

        over = over && (s == SPM_PART_READY || s == SPM_PART_FAILED);
    }
    if (over)
        h->sysreset_pending = false;
}

/* A heap copy of what the shell would decode from @p msg's datagram (the
 * payload pointers into *buf), or NULL if the codec refuses it. */
static struct wire_msg *through_codec(const struct h *h, const struct wire_msg *msg, uint8_t **buf)
{
    struct wire_msg *dm;
    struct wire_frame f;
    size_t at = 0;
    int i;

    *buf = NULL;
    if (wire_encode(&f, msg) != 0) {
        H_CHECK(h->lenient, "harness: a %s that does not encode", wire_type_name(msg->type));
        return NULL;
    }
    *buf = malloc(f.len ? f.len : 1);
    dm = malloc(sizeof(*dm));
    H_CHECK(*buf != NULL && dm != NULL, "harness: out of memory");
    for (i = 0; i < f.n_iov; i++) {
        memcpy(*buf + at, f.iov[i].iov_base, f.iov[i].iov_len);
        at += f.iov[i].iov_len;
    }
    H_CHECK(at == f.len, "harness: the frame's iovecs make %zu bytes, not %zu", at, f.len);
    if (wire_decode(*buf, f.len, dm) != 0) {
        H_CHECK(h->lenient, "harness: a %s that does not decode", wire_type_name(msg->type));
        free(*buf);
        free(dm);
        *buf = NULL;
        return NULL;
    }
    return dm;
}

void h_step(struct h *h, struct spm_event *ev, const struct wire_msg *msg, bool reap)
{
    struct wire_msg *dm = NULL;
    uint8_t *buf = NULL;

    ev->now = h->now;
    ev->msg = NULL;
    if (msg != NULL) {
        dm = through_codec(h, msg, &buf);
        if (dm == NULL) {
            /* the shell never passes what it cannot decode */
            if (ev->fd >= 0)
                fd_back(h, ev->fd, "a malformed datagram's, closed by the shell");
            ev->fd = -1;
            ev->why = "malformed datagram";
            if (ev->type == SPM_EV_CLIENT_MSG) {
                struct h_client *c = client_of(h, ev->from);

                ev->type = SPM_EV_CLIENT_BAD;
                c->open = false;
                c->r.n_req = 0;
            } else {
                ev->type = SPM_EV_PART_BAD;
            }
            msg = NULL;
        } else {
            ev->msg = dm;
        }
    }
    if (ev->type == SPM_EV_SYSTEM_RESET ||
        (ev->type == SPM_EV_PART_MSG && msg != NULL && msg->type == WIRE_P_RESET))
        h->sysreset_pending = true;
    allow_kills(h, ev);
    if (ev->type == SPM_EV_STOP)
        h->stopping = true;
    if (h->trace)
        trace_event(h, ev);
    spm_core_step(h->c, ev);
    h->n_steps++;
    carry_out(h);
    spm_core_clear(h->c);
    free(buf);
    free(dm);
    after_step(h);
    if (h->trace)
        fprintf(stderr, "    (in flight %zu, connections %zu, clients %zu)\n",
                spm_core_n_inflight(h->c), spm_core_n_conns(h->c), spm_core_n_clients(h->c));
    if (reap)
        spm_core_reap(h->c);
}

/* ---- fake partitions ---- */

int h_part_index(const struct h *h, const char *name)
{
    size_t i;

    for (i = 0; i < h->n_parts; i++)
        if (strcmp(h->part[i].mf->name, name) == 0)
            return (int)i;
    return -1;
}

struct spm_peer h_part_peer(const struct h *h, uint32_t part)
{
    struct spm_peer p = {SPM_PEER_PART, part, h->part[part].gen};

    return p;
}

static void part_reset(struct h_part *p)
{
    p->last_reply = 0;
    p->stop_told = false;
    p->chan = false;
    p->killed = false;
    p->stage = 0;
    p->configs = 0;
    p->n_pending = 0;
    p->r.n_req = 0;
}

void h_part_spawned(struct h *h, uint32_t part)
{
    struct h_part *p = &h->part[part];
    struct spm_event ev = {.type = SPM_EV_PART_SPAWNED, .part = part};

    H_CHECK(p->spawn_wanted, "harness: %s was not asked to spawn", p->mf->name);
    p->spawn_wanted = false;
    part_reset(p);
    p->pid = h->next_pid++;
    p->chan = true;
    p->prev_gen = p->gen;
    p->gen = UINT32_MAX; /* not known until the core says: adopted from its effects */
    ev.pid = p->pid;
    h_step(h, &ev, NULL, false);
    p->gen = spm_core_part_gen(h->c, part);
    H_CHECK(spm_core_part_pid(h->c, part) == p->pid, "core: %s has pid %d, not %d", p->mf->name,
            (int)spm_core_part_pid(h->c, part), (int)p->pid);
}

void h_part_send(struct h *h, uint32_t part, struct wire_msg *m, int fd, bool fd_ok)
{
    struct spm_event ev = {.type = SPM_EV_PART_MSG, .fd = fd, .fd_ok = fd_ok};

    H_CHECK(h->part[part].chan, "harness: %s sends on a closed channel", h->part[part].mf->name);
    if (m->type == WIRE_P_REPLY)
        h->part[part].last_reply = h->now;
    ev.from = h_part_peer(h, part);
    h_step(h, &ev, m, false);
}

void h_hello_msg(const struct mf_partition *mf, struct wire_msg *m)
{
    size_t i;

    memset(m, 0, sizeof(*m));
    m->type = WIRE_P_HELLO;
    snprintf(m->u.hello.name, sizeof(m->u.hello.name), "%s", mf->name);
    m->u.hello.n_services = (uint8_t)mf->n_services;
    for (i = 0; i < mf->n_services; i++) {
        m->u.hello.services[i].sid = mf->services[i].sid;
        m->u.hello.services[i].signal = mf->services[i].signal;
    }
    m->u.hello.n_irqs = (uint8_t)mf->n_irqs;
    for (i = 0; i < mf->n_irqs; i++) {
        m->u.hello.irqs[i].signal = mf->irqs[i].signal;
        m->u.hello.irqs[i].flih = mf->irqs[i].handling == MF_IRQ_FLIH;
    }
}

void h_part_hello(struct h *h, uint32_t part)
{
    struct wire_msg m;

    h_hello_msg(h->part[part].mf, &m);
    h->part[part].stage = 1;
    h_part_send(h, part, &m, -1, false);
}

void h_part_ready(struct h *h, uint32_t part)
{
    struct wire_msg m;

    memset(&m, 0, sizeof(m));
    m.type = WIRE_P_READY;
    m.u.ready.landlock_abi = 3;
    h->part[part].stage = 2;
    h_part_send(h, part, &m, -1, false);
}

/* Whether @p type asks for a reply (a C_ message). */
static bool is_request(uint16_t type)
{
    return type == WIRE_C_VERSION || type == WIRE_C_CONNECT || type == WIRE_C_CALL ||
           type == WIRE_C_CLOSE || type == WIRE_C_IRQ || type == WIRE_C_BUFFER ||
           type == WIRE_C_STALL || type == WIRE_C_GROW;
}

uint32_t h_part_request(struct h *h, uint32_t part, struct wire_msg *m, int fd, bool fd_ok)
{
    /* after STOP nothing is promised an answer */
    m->seq = is_request(m->type) && !h->stopping ? req_add(&h->part[part].r, m->type) : 1;
    h_part_send(h, part, m, fd, fd_ok);
    return m->seq;
}

/* Output bytes the fake partitions write: a pattern the tests can check. */
static uint8_t out_bytes[WIRE_INLINE_MAX];

void h_part_reply(struct h *h, uint32_t part, size_t k, int32_t status, const uint32_t *written)
{
    struct h_part *p = &h->part[part];
    struct h_msg x;
    struct wire_msg m;
    size_t at = 0;
    unsigned i;

    H_CHECK(k < p->n_pending, "harness: %s has no pending message %zu", p->mf->name, k);
    if (out_bytes[1] == 0)
        for (i = 0; i < sizeof(out_bytes); i++)
            out_bytes[i] = h_out_byte(i);
    x = p->pending[k];
    memmove(&p->pending[k], &p->pending[k + 1], (p->n_pending - k - 1) * sizeof(x));
    p->n_pending--;
    memset(&m, 0, sizeof(m));
    m.type = WIRE_P_REPLY;
    m.u.reply.msg = x.id;
    m.u.reply.status = status;
    m.u.reply.flags = x.flags & WIRE_CALL_MEMFD;
    m.u.reply.n_out = x.vecs.n_out;
    for (i = 0; i < x.vecs.n_out; i++) {
        m.u.reply.written[i] = written ? written[i] : 0;
        if (!(x.flags & WIRE_CALL_MEMFD)) {
            H_CHECK(at + m.u.reply.written[i] <= sizeof(out_bytes), "harness: reply too big");
            m.u.reply.out[i] = out_bytes + at;
            at += m.u.reply.written[i];
        }
    }
    h_part_send(h, part, &m, -1, false);
}

int h_part_find(const struct h *h, uint32_t part, int32_t type)
{
    size_t i;

    for (i = 0; i < h->part[part].n_pending; i++)
        if (h->part[part].pending[i].type == type)
            return (int)i;
    return -1;
}

static void part_exited(struct h *h, uint32_t part, int status)
{
    struct h_part *p = &h->part[part];
    struct spm_event ev = {.type = SPM_EV_PART_EXITED, .status = status};

    ev.pid = p->pid;
    part_reset(p);
    p->pid = 0;
    h_step(h, &ev, NULL, false);
}

void h_part_die(struct h *h, uint32_t part, int status)
{
    struct h_part *p = &h->part[part];

    if (p->chan) {
        struct spm_event ev = {.type = SPM_EV_PART_EOF};

        ev.from = h_part_peer(h, part);
        p->chan = false;
        p->n_pending = 0;
        p->r.n_req = 0;
        h_step(h, &ev, NULL, false);
    }
    if (p->pid != 0)
        part_exited(h, part, status);
}

void h_settle(struct h *h)
{
    int round;
    size_t i;

    for (round = 0; round < 1000; round++) {
        bool moved = false;

        for (i = 0; i < h->n_parts; i++) {
            struct h_part *p = &h->part[i];

            if (p->pid != 0 && !p->chan) {
                part_exited(h, (uint32_t)i, p->killed ? SIGKILL : 0);
                moved = true;
            }
        }
        for (i = 0; i < h->n_parts; i++) {
            struct h_part *p = &h->part[i];

            if (p->spawn_wanted) {
                h_part_spawned(h, (uint32_t)i);
                moved = true;
            } else if (p->chan && p->stage == 0) {
                h_part_hello(h, (uint32_t)i);
                moved = true;
            } else if (p->chan && p->stage == 1 && p->configs > 0) {
                h_part_ready(h, (uint32_t)i);
                moved = true;
            }
        }
        spm_core_reap(h->c);
        if (!moved)
            return;
    }
    h_fail("harness: partitions never settle");
}

int h_start(struct h *h)
{
    struct spm_event ev = {.type = SPM_EV_START};

    h_step(h, &ev, NULL, true);
    h_settle(h);
    return spm_core_started(h->c) == 1 ? 0 : -1;
}

void h_finish(struct h *h)
{
    struct spm_event ev = {.type = SPM_EV_STOP};
    size_t i;
    int round;

    if (!h->stopping)
        h_step(h, &ev, NULL, true);
    /* a spawn asked for before STOP still starts a process (the shell had
     * forked it already): the core must stop that one too */
    for (i = 0; i < h->n_parts; i++)
        if (h->part[i].spawn_wanted)
            h_part_spawned(h, (uint32_t)i);
    for (i = 0; i < h->n_parts; i++) {
        const struct h_part *p = &h->part[i];

        H_CHECK(!p->chan || p->pid == 0 || p->stop_told || p->killed,
                "partition %s (pid %d) is neither told to stop nor killed after STOP", p->mf->name,
                (int)p->pid);
    }
    for (round = 0; round < 100; round++) {
        bool moved = false;

        for (i = 0; i < h->n_parts; i++) {
            struct h_part *p = &h->part[i];

            H_CHECK(!p->spawn_wanted, "SPAWN of %s after STOP", p->mf->name);
            if (p->pid != 0 || p->chan) {
                h_part_die(h, (uint32_t)i, p->killed ? SIGKILL : 0);
                moved = true;
            }
        }
        spm_core_reap(h->c);
        if (!moved)
            break;
    }
    H_CHECK(h->n_fds == 0,
            "%zu descriptor(s) never given back after STOP (first %d; %zu given, %zu back)",
            h->n_fds, h->n_fds ? h->fds[0] : -1, h->fds_given, h->fds_back);
    H_CHECK(spm_core_alive(h->c) == 0, "the core counts %zu live partitions after STOP and exits",
            spm_core_alive(h->c));
}

/* ---- fake clients ---- */

int h_client_open(struct h *h, pid_t pid, uid_t uid)
{
    struct spm_peer p;
    struct h_client *c;
    size_t i;
    int rc;

    H_CHECK(h->n_cl < H_MAX_CLIENTS, "harness: too many clients");
    rc = spm_core_client_open(h->c, h->now, pid, uid, &p);
    if (h->trace)
        fprintf(stderr, "t=%ld client_open pid %d uid %u -> %d client(%u,%u)\n", h->now, (int)pid,
                (unsigned)uid, rc, rc == 0 ? (unsigned)p.idx : 0u, rc == 0 ? (unsigned)p.gen : 0u);
    allow_kills(h, &(struct spm_event){.type = SPM_EV_CLIENT_MSG});
    carry_out(h); /* it may log */
    spm_core_clear(h->c);
    if (rc != 0)
        return -1;
    H_CHECK(p.kind == SPM_PEER_CLIENT, "client_open names a peer of kind %u", (unsigned)p.kind);
    for (i = 0; i < h->n_cl; i++)
        H_CHECK(!peer_eq(h->cl[i].peer, p), "client_open names (%u, %u) a second time",
                (unsigned)p.idx, (unsigned)p.gen);
    c = &h->cl[h->n_cl];
    memset(c, 0, sizeof(*c));
    c->peer = p;
    c->pid = pid;
    c->uid = uid;
    c->open = true;
    c->reading = true;
    return (int)h->n_cl++;
}

void h_client_gone(struct h *h, int cl)
{
    struct spm_event ev = {.type = SPM_EV_CLIENT_GONE};

    H_CHECK(h->cl[cl].open, "harness: client %d is not open", cl);
    ev.from = h->cl[cl].peer;
    h->cl[cl].open = false;
    h->cl[cl].r.n_req = 0;
    h_step(h, &ev, NULL, false);
}

void h_client_bad(struct h *h, int cl)
{
    struct spm_event ev = {.type = SPM_EV_CLIENT_BAD, .why = "a malformed datagram"};

    H_CHECK(h->cl[cl].open, "harness: client %d is not open", cl);
    ev.from = h->cl[cl].peer;
    h->cl[cl].open = false;
    h->cl[cl].r.n_req = 0;
    h_step(h, &ev, NULL, false);
}

uint32_t h_client_request(struct h *h, int cl, struct wire_msg *m, int fd, bool fd_ok)
{
    struct spm_event ev = {.type = SPM_EV_CLIENT_MSG, .fd = fd, .fd_ok = fd_ok};

    H_CHECK(h->cl[cl].open, "harness: client %d is not open", cl);
    m->seq = is_request(m->type) ? req_add(&h->cl[cl].r, m->type) : 1;
    ev.from = h->cl[cl].peer;
    h_step(h, &ev, m, false);
    return m->seq;
}
