/*
 * fuzz_core.c - libFuzzer target: the SPM's routing core (src/spm/core/) as
 * a whole, driven by random interleaved event sequences.  Up to four client
 * sockets of four processes (two users, and the daemon's own) and every
 * partition of the test system (test/manifests/) talk to it at once; each
 * input byte picks the next event: a socket opening, going or sending
 * garbage, each request type with fuzzed fields (handles drawn from those
 * the core handed out, stateless ones, random ones; memfds), partition
 * replies to messages they hold or to none, their requests as secure
 * clients, panics, ends of channel, exits, spawns, ticks, interrupt lines,
 * system resets, batch ends, stop.  The harness (test/unit/core_harness.c)
 * carries out every outbox and checks the core's promises on each effect:
 * descriptors conserved, every request answered once with its own reply
 * type, no peer named that was never opened or is gone, no partition over
 * its window, no partition killed for what a client did.  At the end the
 * fake partitions answer everything and every request still waiting must
 * be answered (no message stuck in a queue, no socket left unread); then
 * STOP must give back every descriptor.
 *
 * Runs from the repository root (the manifests' paths are relative).
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core_harness.h"
#include "psa/client.h"
#include "psa/error.h"
#include "psa/service.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_OPEN 4 /* client sockets at once */

struct in {
    const uint8_t *p;
    size_t n;
};

static uint8_t u8(struct in *in)
{
    if (in->n == 0)
        return 0;
    in->n--;
    return *in->p++;
}

static uint32_t u32(struct in *in)
{
    uint32_t v = u8(in);

    v |= (uint32_t)u8(in) << 8;
    v |= (uint32_t)u8(in) << 16;
    return v | (uint32_t)u8(in) << 24;
}

static const struct {
    pid_t pid;
    uid_t uid;
} who[] = {{100, 1000}, {101, 1000}, {102, 1001}, {103, 4242}};

static struct mf_system *sys;
static struct mf_platform *plat;
static struct h *h;
static uint32_t sids[64], stateless_handles[32];
static size_t n_sids, n_stateless;
static uint8_t pattern[WIRE_INLINE_MAX];

static void init_once(void)
{
    size_t i, k;

    if (h_load_list("fuzz/core_manifest_list.yaml", &sys, &plat) != 0)
        abort();
    h = malloc(sizeof(*h));
    if (h == NULL)
        abort();
    for (i = 0; i < sys->n_partitions; i++) {
        for (k = 0; k < sys->partitions[i].n_services; k++) {
            const struct mf_service *s = &sys->partitions[i].services[k];

            if (n_sids < 60)
                sids[n_sids++] = s->sid;
            if (s->stateless_handle != 0 && n_stateless < 32)
                stateless_handles[n_stateless++] = s->stateless_handle;
        }
    }
    sids[n_sids++] = 0;
    sids[n_sids++] = 0xDEAD;
    sids[n_sids++] = 0xFFFFFFFFu;
    for (i = 0; i < sizeof(pattern); i++)
        pattern[i] = (uint8_t)(i * 31 + 7);
}

/* ---- picking ---- */

static int pick_client(struct in *in)
{
    int open[H_MAX_CLIENTS];
    size_t i, n = 0;

    for (i = 0; i < h->n_cl; i++)
        if (h->cl[i].open)
            open[n++] = (int)i;
    return n == 0 ? -1 : open[u8(in) % n];
}

static size_t n_open(void)
{
    size_t i, n = 0;

    for (i = 0; i < h->n_cl; i++)
        n += h->cl[i].open;
    return n;
}

enum want { W_CHAN, W_READY, W_PID, W_ANY, W_SPAWN, W_BOOTING };

static int pick_part(struct in *in, enum want w)
{
    int ok[H_MAX_PARTS];
    size_t i, n = 0;

    for (i = 0; i < h->n_parts; i++) {
        const struct h_part *p = &h->part[i];
        bool yes = false;

        switch (w) {
        case W_CHAN:
            yes = p->chan;
            break;
        case W_READY:
            yes = p->chan && p->stage == 2;
            break;
        case W_PID:
            yes = p->pid != 0;
            break;
        case W_ANY:
            yes = p->pid != 0 || p->chan;
            break;
        case W_SPAWN:
            yes = p->spawn_wanted;
            break;
        case W_BOOTING:
            yes = p->chan && p->stage < 2;
            break;
        }
        if (yes)
            ok[n++] = (int)i;
    }
    return n == 0 ? -1 : ok[u8(in) % n];
}

static int32_t pick_handle(struct in *in)
{
    uint8_t b = u8(in);

    switch (b % 8) {
    case 0:
    case 1:
    case 2:
        if (h->n_handles > 0)
            return h->handles[u8(in) % h->n_handles].handle;
        return 1;
    case 3:
        return (int32_t)stateless_handles[u8(in) % n_stateless];
    case 4: /* a stateless handle with one bit changed */
        return (int32_t)(stateless_handles[u8(in) % n_stateless] ^ (1u << (u8(in) % 32)));
    case 5:
        return PSA_NULL_HANDLE;
    case 6:
        return (int32_t)u32(in);
    default:
        return -(int32_t)(u8(in) % 200);
    }
}

static int32_t pick_type(struct in *in)
{
    static const int32_t types[] = {0, 1, 2, INT16_MAX, -1, -2, 0x8000, INT32_MIN};
    uint8_t b = u8(in);

    return b < 200 ? types[b % 8] : (int32_t)u32(in);
}

static uint32_t pick_sid(struct in *in)
{
    uint8_t b = u8(in);

    return b < 240 ? sids[b % n_sids] : u32(in);
}

/* Vectors: small inline ones, or large ones in a memfd. */
static void pick_vecs(struct in *in, struct wire_call_req *c, bool memfd)
{
    unsigned i;

    c->vecs.n_in = u8(in) % 5;
    c->vecs.n_out = (uint8_t)(u8(in) % (5 - c->vecs.n_in));
    for (i = 0; i < c->vecs.n_in; i++) {
        c->vecs.in_len[i] = memfd ? u32(in) % (1u << 20) : u8(in) % 40;
        c->in[i] = memfd ? NULL : pattern + 64 * i;
    }
    for (i = 0; i < c->vecs.n_out; i++)
        c->vecs.out_len[i] = memfd ? u32(in) % (1u << 20) : u8(in) % 40;
}

/* A call: flags and descriptor mostly consistent, sometimes not. */
static void call_msg(struct in *in, struct wire_msg *m, int *fd, bool *fd_ok)
{
    uint8_t b = u8(in);
    bool memfd = (b & 7) == 1;

    m->type = WIRE_C_CALL;
    m->u.call_req.handle = pick_handle(in);
    m->u.call_req.type = pick_type(in);
    m->u.call_req.flags = memfd ? WIRE_CALL_MEMFD : 0;
    if ((b & 0x38) == 0x38)
        m->u.call_req.flags |= (uint8_t)(u8(in) & ~WIRE_CALL_MEMFD);
    pick_vecs(in, &m->u.call_req, memfd);
    *fd = -1;
    *fd_ok = false;
    if (memfd ? (b & 0x40) == 0 : (b & 0xf0) == 0x80)
        *fd = h_fd(h);
    *fd_ok = (b & 0x80) != 0;
}

/* ---- the events ---- */

static void client_request(struct in *in, uint8_t op)
{
    int cl = pick_client(in), fd = -1;
    struct wire_msg m;
    bool fd_ok = false;

    /* the shell reads no socket the core stopped, but may have read a few
     * datagrams of it already */
    if (cl < 0 || (!h->cl[cl].reading && h->cl[cl].r.n_req >= h->cfg.max_inflight_socket + 4))
        return;
    memset(&m, 0, sizeof(m));
    switch (op) {
    case 0:
        m.type = WIRE_C_VERSION;
        m.u.version_req.sid = pick_sid(in);
        break;
    case 1:
        m.type = WIRE_C_CONNECT;
        m.u.connect_req.sid = pick_sid(in);
        m.u.connect_req.version = u8(in) % 5;
        break;
    case 2:
        call_msg(in, &m, &fd, &fd_ok);
        break;
    case 3:
        m.type = WIRE_C_CLOSE;
        m.u.close_req.handle = pick_handle(in);
        break;
    case 4: {
        uint8_t b = u8(in);

        m.type = WIRE_C_IRQ;
        snprintf(m.u.irq_req.source, sizeof(m.u.irq_req.source), "%s",
                 b % 5 < plat->n_irqs ? plat->irqs[b % 5].source : "NO_SUCH_IRQ");
        m.u.irq_req.level = (b >> 4) & 1;
        break;
    }
    default: /* what no client sends */
        m.type = (uint16_t)(u8(in) % 60);
        if (m.type == WIRE_C_BUFFER)
            m.u.buffer_req.size = u32(in);
        if (m.type == WIRE_C_STALL) /* a direct call taking long: psa-spm looks */
            m.u.stall_req.handle = pick_handle(in);
        if (u8(in) == 0xff)
            fd = h_fd(h);
        break;
    }
    h_client_request(h, cl, &m, fd, fd_ok);
}

/* A reply to a message the partition holds, or to none; mostly well formed. */
static void part_reply(struct in *in)
{
    int part = pick_part(in, W_READY);
    struct h_part *p;
    struct h_msg x;
    struct wire_msg m;
    uint8_t b = u8(in);
    unsigned i;

    if (part < 0)
        return;
    p = &h->part[part];
    memset(&x, 0, sizeof(x));
    if (p->n_pending > 0 && (b & 3) != 0) {
        size_t k = u8(in) % p->n_pending;

        x = p->pending[k];
        memmove(&p->pending[k], &p->pending[k + 1], (p->n_pending - k - 1) * sizeof(x));
        p->n_pending--;
    } else {
        size_t k;

        x.id = (b & 4) ? (int32_t)u32(in) : (int32_t)(u8(in) % 16);
        x.type = PSA_IPC_CALL;
        /* a made-up id that names a pending message is its reply all the
         * same: the core takes it, so the model must too */
        for (k = 0; k < p->n_pending && p->pending[k].id != x.id; k++)
            ;
        if (k < p->n_pending) {
            x = p->pending[k];
            memmove(&p->pending[k], &p->pending[k + 1], (p->n_pending - k - 1) * sizeof(x));
            p->n_pending--;
        }
    }
    memset(&m, 0, sizeof(m));
    m.type = WIRE_P_REPLY;
    m.u.reply.msg = x.id;
    if (x.type == PSA_IPC_CONNECT) {
        static const int32_t st[] = {PSA_SUCCESS,
                                     PSA_SUCCESS,
                                     PSA_SUCCESS,
                                     PSA_ERROR_CONNECTION_REFUSED,
                                     PSA_ERROR_CONNECTION_BUSY,
                                     PSA_ERROR_GENERIC_ERROR,
                                     5,
                                     PSA_ERROR_PROGRAMMER_ERROR};

        m.u.reply.status = st[u8(in) % 8];
    } else {
        static const int32_t st[] = {PSA_SUCCESS, PSA_SUCCESS, PSA_ERROR_INVALID_ARGUMENT, 7};

        m.u.reply.status = st[u8(in) % 4];
    }
    m.u.reply.flags = x.flags & WIRE_CALL_MEMFD;
    if ((b & 0x18) == 0x18) {
        m.u.reply.flags = u8(in) & 3;
        m.u.reply.rhandle = u32(in);
    }
    m.u.reply.n_out = (b & 0xe0) == 0xe0 ? u8(in) % 5 : x.vecs.n_out;
    for (i = 0; i < m.u.reply.n_out; i++) {
        uint32_t cap = x.vecs.out_len[i];
        uint8_t w = u8(in);

        /* mostly within the output; sometimes one past it */
        m.u.reply.written[i] = w == 0xff ? cap + 1 : (cap ? w % (cap + 1) : 0);
        if (!(m.u.reply.flags & WIRE_CALL_MEMFD)) {
            if (m.u.reply.written[i] > 1024)
                m.u.reply.written[i] = 1024;
            m.u.reply.out[i] = pattern + 4096 * i;
        }
    }
    h_part_send(h, (uint32_t)part, &m, -1, false);
}

/* A partition as a secure client. */
static void part_request(struct in *in)
{
    int part = pick_part(in, W_CHAN), fd = -1;
    struct wire_msg m;
    bool fd_ok = false;
    uint8_t b = u8(in);

    /* past its bound the core kills it: a little past is enough */
    if (part < 0 || h->part[part].r.n_req > h->cfg.max_inflight_socket)
        return;
    memset(&m, 0, sizeof(m));
    switch (b % 6) {
    case 0:
        m.type = WIRE_C_VERSION;
        m.u.version_req.sid = pick_sid(in);
        break;
    case 1:
        m.type = WIRE_C_CONNECT;
        /* mostly its declared dependencies, which the peer serves */
        m.u.connect_req.sid = (b & 0x40) ? pick_sid(in) : 0xF200u;
        m.u.connect_req.version = (b & 0x80) ? u8(in) % 3 : 1;
        break;
    case 2:
    case 3:
        call_msg(in, &m, &fd, &fd_ok);
        break;
    case 4:
        m.type = WIRE_C_CLOSE;
        m.u.close_req.handle = pick_handle(in);
        break;
    default:
        if (b & 0x40) {
            m.type = WIRE_C_IRQ;
            snprintf(m.u.irq_req.source, sizeof(m.u.irq_req.source), "%s", plat->irqs[0].source);
            m.u.irq_req.level = 1;
        } else {
            m.type = WIRE_C_BUFFER;
            m.u.buffer_req.size = (b & 0x80) ? u32(in) : 4096;
        }
        break;
    }
    h_part_request(h, (uint32_t)part, &m, fd, fd_ok);
}

/* Anything else a partition sends. */
static void part_misc(struct in *in)
{
    int part = pick_part(in, W_CHAN);
    const struct mf_partition *mf;
    struct h_part *p;
    struct wire_msg m;
    uint8_t b = u8(in);
    unsigned i;

    if (part < 0)
        return;
    p = &h->part[part];
    mf = p->mf;
    memset(&m, 0, sizeof(m));
    switch (b % 10) {
    case 0:
        m.type = WIRE_P_LOG;
        m.u.text.level = u8(in) % 5;
        snprintf(m.u.text.text, sizeof(m.u.text.text), "%s", "log %s %n %x %%");
        break;
    case 1:
        m.type = WIRE_P_NOTIFY;
        m.u.notify.partition_id =
            (b & 0x80) ? (int32_t)u32(in) : sys->partitions[u8(in) % sys->n_partitions].pid;
        break;
    case 2:
        m.type = WIRE_P_IRQ;
        m.u.irq_ctl.signal =
            mf->n_irqs && !(b & 0x80) ? mf->irqs[u8(in) % mf->n_irqs].signal : u32(in);
        m.u.irq_ctl.op = u8(in) % 5;
        break;
    case 3:
        m.type = WIRE_P_MMIO;
        m.u.mmio.region = (uint8_t)(u8(in) % (mf->n_mmio + 1));
        m.u.mmio.offset = u32(in) % 0x2100;
        m.u.mmio.value = u32(in);
        break;
    case 4:
        /* the calls it names leave it: it will not answer them */
        m.type = WIRE_P_RESET;
        m.u.reset.syndrome = u32(in);
        m.u.reset.n_calls = u8(in) % 3;
        for (i = 0; i < m.u.reset.n_calls; i++) {
            if (p->n_pending > 0 && (u8(in) & 3) != 0) {
                size_t k = u8(in) % p->n_pending;

                m.u.reset.calls[i] = p->pending[k].id;
                memmove(&p->pending[k], &p->pending[k + 1],
                        (p->n_pending - k - 1) * sizeof(p->pending[0]));
                p->n_pending--;
            } else {
                m.u.reset.calls[i] = (int32_t)u32(in);
            }
        }
        break;
    case 5:
        m.type = WIRE_P_PANIC;
        snprintf(m.u.text.text, sizeof(m.u.text.text), "%s", "panic %s %n");
        break;
    case 6:
        m.type = WIRE_P_VIOLATION;
        m.u.violation.nr = (int32_t)u32(in);
        m.u.violation.arch = u32(in);
        break;
    case 7:
        h_hello_msg(mf, &m);
        break;
    case 8:
        m.type = WIRE_P_READY;
        break;
    default:
        m.type = (uint16_t)(u8(in) % 60);
        break;
    }
    /* where it is in its start, as the core will see it */
    if (m.type == WIRE_P_HELLO && p->stage == 0)
        p->stage = 1;
    else if (m.type == WIRE_P_READY && p->stage == 1)
        p->stage = 2;
    h_part_request(h, (uint32_t)part, &m, -1, false); /* a request type waits for its reply */
}

static void part_boot(struct in *in)
{
    int part = pick_part(in, W_BOOTING);
    struct h_part *p;
    uint8_t b = u8(in);

    if (part < 0)
        return;
    p = &h->part[part];
    if (p->stage == 0 && (b & 0xf) != 0xf) {
        struct wire_msg m;

        h_hello_msg(p->mf, &m);
        if ((b & 0x70) == 0x70) {
            /* an executable built from another manifest */
            uint8_t w = u8(in);

            if (w % 4 == 0 && m.u.hello.n_services > 0)
                m.u.hello.services[w % m.u.hello.n_services].signal ^= 1u << (u8(in) % 32);
            else if (w % 4 == 1)
                m.u.hello.name[w % 8] ^= 1;
            else if (w % 4 == 2 && m.u.hello.n_irqs > 0)
                m.u.hello.irqs[0].flih ^= 1;
            else
                m.u.hello.n_irqs ^= 1;
        }
        p->stage = 1;
        h_part_send(h, (uint32_t)part, &m, -1, false);
    } else {
        h_part_ready(h, (uint32_t)part);
    }
}

static void part_event(struct in *in, uint8_t op)
{
    int part;
    struct spm_event ev;

    memset(&ev, 0, sizeof(ev));
    ev.fd = -1;
    switch (op) {
    case 0: /* it dies: maybe a panic, its channel ends, maybe it is reaped at once */
        part = pick_part(in, W_ANY);
        if (part < 0)
            return;
        if (h->part[part].chan && (u8(in) & 1)) {
            struct wire_msg m;

            memset(&m, 0, sizeof(m));
            m.type = WIRE_P_PANIC;
            snprintf(m.u.text.text, sizeof(m.u.text.text), "%s", "psa_reply: bad handle");
            h_part_send(h, (uint32_t)part, &m, -1, false);
        }
        if (u8(in) & 1) {
            h_part_die(h, (uint32_t)part, (u8(in) & 1) ? SIGSEGV : 99 << 8);
        } else if (h->part[part].chan) {
            ev.type = SPM_EV_PART_EOF;
            ev.from = h_part_peer(h, (uint32_t)part);
            h->part[part].chan = false;
            h->part[part].n_pending = 0;
            h->part[part].r.n_req = 0;
            h_step(h, &ev, NULL, false);
        }
        return;
    case 1: /* reaped while the shell has not yet seen its channel end */
        part = pick_part(in, W_PID);
        if (part < 0)
            return;
        ev.type = SPM_EV_PART_EXITED;
        ev.pid = h->part[part].pid;
        ev.status = h->part[part].killed ? SIGKILL : (u8(in) << 8);
        h->part[part].pid = 0;
        h->part[part].n_pending = 0;
        h->part[part].r.n_req = 0;
        h->part[part].killed = false;
        h_step(h, &ev, NULL, false);
        return;
    case 2:
        part = pick_part(in, W_CHAN);
        if (part < 0)
            return;
        ev.type = SPM_EV_PART_BAD;
        ev.from = h_part_peer(h, (uint32_t)part);
        ev.why = "malformed datagram";
        h_step(h, &ev, NULL, false);
        return;
    case 3:
        part = pick_part(in, W_SPAWN);
        if (part < 0)
            return;
        if (u8(in) % 8 != 0) {
            h_part_spawned(h, (uint32_t)part);
        } else {
            ev.type = SPM_EV_SPAWN_FAILED;
            ev.part = (uint32_t)part;
            ev.why = "fork: no memory";
            h->part[part].spawn_wanted = false;
            h_step(h, &ev, NULL, false);
        }
        return;
    default: /* a child that is no partition */
        ev.type = SPM_EV_PART_EXITED;
        ev.pid = 5 + u8(in);
        h_step(h, &ev, NULL, false);
        return;
    }
}

/* An event from a peer the core is done with: a socket it dropped or that
 * went, a partition's earlier process.  Nothing may follow from it (but
 * a descriptor closed). */
static void stale_event(struct in *in)
{
    struct spm_event ev;
    struct wire_msg m;
    uint8_t b = u8(in);

    memset(&ev, 0, sizeof(ev));
    memset(&m, 0, sizeof(m));
    ev.fd = -1;
    if (b & 1) {
        int gone[H_MAX_CLIENTS];
        size_t i, n = 0;

        for (i = 0; i < h->n_cl; i++)
            if (!h->cl[i].open)
                gone[n++] = (int)i;
        if (n == 0)
            return;
        ev.from = h->cl[gone[u8(in) % n]].peer;
        ev.type = (b & 6) == 0   ? SPM_EV_CLIENT_GONE
                  : (b & 6) == 2 ? SPM_EV_CLIENT_BAD
                                 : SPM_EV_CLIENT_MSG;
        if (ev.type == SPM_EV_CLIENT_MSG) {
            bool fd_ok;

            call_msg(in, &m, &ev.fd, &fd_ok);
            ev.fd_ok = fd_ok;
        }
    } else {
        int part = pick_part(in, W_ANY);

        if (part < 0 || h->part[part].prev_gen == 0)
            return;
        ev.from = h_part_peer(h, (uint32_t)part);
        ev.from.gen = h->part[part].prev_gen;
        ev.type = (b & 6) == 0 ? SPM_EV_PART_EOF : (b & 6) == 2 ? SPM_EV_PART_BAD : SPM_EV_PART_MSG;
        if (ev.type == SPM_EV_PART_MSG) {
            m.type = WIRE_P_REPLY;
            m.u.reply.msg = (int32_t)u32(in);
        }
    }
    ev.why = "stale";
    h_step(h, &ev, ev.type == SPM_EV_CLIENT_MSG || ev.type == SPM_EV_PART_MSG ? &m : NULL, false);
}

/* The shell's side between events: killed processes are reaped, spawns
 * answered and partitions started, when the input asks for it. */
static void autopilot(bool boot, bool reap)
{
    size_t i;

    for (i = 0; i < h->n_parts; i++) {
        struct h_part *p = &h->part[i];

        if (reap && p->pid != 0 && p->killed)
            h_part_die(h, (uint32_t)i, SIGKILL);
        if (!boot)
            continue;
        if (p->spawn_wanted)
            h_part_spawned(h, (uint32_t)i);
        if (p->chan && p->stage == 0)
            h_part_hello(h, (uint32_t)i);
        if (p->chan && p->stage == 1 && p->configs > 0)
            h_part_ready(h, (uint32_t)i);
    }
}

/* Everybody behaves until nothing moves: then nothing may be left waiting. */
static void drain(void)
{
    int round;
    size_t i;

    for (round = 0; round < 400; round++) {
        bool moved = false;

        for (i = 0; i < h->n_parts; i++) {
            struct h_part *p = &h->part[i];

            if ((p->pid != 0) != p->chan) { /* one end of its death seen, not both */
                h_part_die(h, (uint32_t)i, p->killed ? SIGKILL : 0);
                moved = true;
            }
            if (p->spawn_wanted) {
                h_part_spawned(h, (uint32_t)i);
                moved = true;
            }
            if (p->chan && p->stage == 0) {
                h_part_hello(h, (uint32_t)i);
                moved = true;
            }
            if (p->chan && p->stage == 1 && p->configs > 0) {
                h_part_ready(h, (uint32_t)i);
                moved = true;
            }
            if (p->chan && p->stage == 2 && p->n_pending > 0) {
                h_part_reply(h, (uint32_t)i, 0, PSA_SUCCESS, NULL);
                moved = true;
            }
        }
        spm_core_reap(h->c);
        if (!moved) {
            struct spm_event ev;

            if (round > 0 && spm_core_next_deadline(h->c, h->now) < 0)
                break;
            memset(&ev, 0, sizeof(ev));
            ev.type = SPM_EV_TICK;
            ev.fd = -1;
            h->now += h->cfg.call_timeout_ms > 0 ? h->cfg.call_timeout_ms : 1000;
            h_step(h, &ev, NULL, true);
        }
    }
    if (h->trace)
        for (i = 0; i < h->n_parts; i++)
            fprintf(stderr, "drained: %s state %d pid %d (core %d) chan %d stage %d pending %zu\n",
                    h->part[i].mf->name, (int)spm_core_part_state(h->c, (uint32_t)i),
                    (int)h->part[i].pid, (int)spm_core_part_pid(h->c, (uint32_t)i),
                    (int)h->part[i].chan, h->part[i].stage, h->part[i].n_pending);
    for (i = 0; i < h->n_cl; i++) {
        const struct h_client *c = &h->cl[i];

        if (!c->open)
            continue;
        H_CHECK(c->r.n_req == 0,
                "client %zu (pid %d) still waits on %zu request(s) (first %s seq %u) when every "
                "partition has answered everything",
                i, (int)c->pid, c->r.n_req, wire_type_name(c->r.req[0].type),
                (unsigned)c->r.req[0].seq);
        H_CHECK(c->reading, "client %zu is not read any more with nothing in flight", i);
    }
    for (i = 0; i < h->n_parts; i++) {
        const struct h_part *p = &h->part[i];

        H_CHECK(!p->chan || p->r.n_req == 0,
                "partition %s still waits on %zu request(s) (first %s seq %u)", p->mf->name,
                p->r.n_req, wire_type_name(p->r.req[0].type), (unsigned)p->r.req[0].seq);
    }
    H_CHECK(spm_core_n_inflight(h->c) == 0, "the core counts %zu requests in flight when idle",
            spm_core_n_inflight(h->c));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct spm_core_config cfg;
    struct in in = {data, size};
    struct spm_event ev;
    uint8_t c0, c1, c2;
    bool stopped = false, boot, reap;
    int events = 0;

    if (sys == NULL)
        init_once();
    c0 = u8(&in);
    c1 = u8(&in);
    c2 = u8(&in);
    cfg = h_default_config(sys, plat);
    cfg.policy = (c0 & 1) ? SPM_POLICY_RESET : SPM_POLICY_RESTART;
    cfg.call_timeout_ms = (c0 & 2) ? 1000 : 0;
    cfg.log_level = (enum spm_level)((c0 >> 2) & 3);
    boot = !(c0 & 0x10);
    reap = !(c0 & 0x20);
    cfg.window_msgs = 1 + (c1 & 3);
    cfg.max_inflight_socket = 1 + ((c1 >> 2) & 3);
    cfg.max_inflight_user = 2 + ((c1 >> 4) & 7);
    cfg.window_bytes = (c1 & 0x80) ? 64 : SPM_DEF_WINDOW_BYTES;
    cfg.max_conns = 1 + (c2 & 3);
    cfg.max_sockets_user = 1 + ((c2 >> 2) & 3);
    cfg.direct = (c2 & 0x10) != 0;
    if (!h_init(h, sys, plat, &cfg))
        abort();
    h->lenient = true;
    h->trace = getenv("FUZZ_CORE_TRACE") != NULL; /* to turn a crash into a readable repro */
    memset(&ev, 0, sizeof(ev));
    ev.type = SPM_EV_START;
    ev.fd = -1;
    h_step(h, &ev, NULL, true);
    autopilot(boot, reap);

    /* after STOP the partitions still talk until they exit: the loop goes on */
    while (in.n > 0 && events++ < 2000) {
        uint8_t op = u8(&in);

        memset(&ev, 0, sizeof(ev));
        ev.fd = -1;
        switch (op % 24) {
        case 0:
            if (n_open() < MAX_OPEN && h->n_cl < H_MAX_CLIENTS) {
                uint8_t w = u8(&in) % 4;

                h_client_open(h, who[w].pid, who[w].uid);
            }
            break;
        case 1: {
            int cl = pick_client(&in);

            if (cl >= 0)
                h_client_gone(h, cl);
            break;
        }
        case 2: {
            int cl = pick_client(&in);

            if (cl >= 0)
                h_client_bad(h, cl);
            break;
        }
        case 3:
        case 4:
        case 5:
        case 6:
        case 7:
        case 8:
            client_request(&in, (uint8_t)((op % 24) - 3));
            break;
        case 9:
        case 10:
            client_request(&in, 2); /* calls: the busiest path */
            break;
        case 11:
        case 12:
        case 13:
            part_reply(&in);
            break;
        case 14:
            part_request(&in);
            break;
        case 15:
            part_misc(&in);
            break;
        case 16:
            part_boot(&in);
            break;
        case 17:
        case 18:
            part_event(&in, (uint8_t)(u8(&in) % 5));
            break;
        case 19: {
            static const long steps[] = {1, 10, 100, 999, 1000, 1001, 5000, 60000};

            ev.type = SPM_EV_TICK;
            h->now += steps[u8(&in) % 8];
            h_step(h, &ev, NULL, false);
            break;
        }
        case 20:
            if (plat->n_irqs > 0) {
                uint8_t b = u8(&in);

                ev.type = SPM_EV_IRQ_LINE;
                ev.line = (int)(b % plat->n_irqs);
                ev.level = (b & 0x80) != 0;
                h_step(h, &ev, NULL, false);
            }
            break;
        case 21:
            ev.type = (u8(&in) & 7) == 0 ? SPM_EV_SYSTEM_RESET : SPM_EV_TICK;
            ev.why = "watchdog";
            h_step(h, &ev, NULL, false);
            break;
        case 22: {
            uint8_t b = u8(&in);
            int part;

            if (b & 1) {
                spm_core_reap(h->c); /* the end of a batch */
            } else if ((b & 6) == 2 && (part = pick_part(&in, W_ANY)) >= 0) {
                /* a partition's direct-path counters, as the shell reads them */
                ev.type = SPM_EV_PART_PROGRESS;
                ev.from = h_part_peer(h, (uint32_t)part);
                ev.taken = u8(&in) % 4;
                ev.answered = u8(&in) % 4;
                ev.calling = (b & 8) != 0;
                h->now += (b & 16) ? 1000 : 10;
                h_step(h, &ev, NULL, false);
            } else {
                stale_event(&in);
            }
            break;
        }
        default:
            if ((u8(&in) & 15) == 0 && !stopped) {
                ev.type = SPM_EV_STOP;
                h_step(h, &ev, NULL, true);
                stopped = true;
            }
            break;
        }
        autopilot(boot, reap);
    }
    spm_core_reap(h->c);
    if (!stopped)
        drain();
    h_finish(h);
    h_free(h);
    return 0;
}
