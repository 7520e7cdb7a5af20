/*
 * test_core.c - the SPM's routing core (src/spm/core/) on its untrusted
 * paths: what clients and partitions send, what happens when either goes
 * away, the bounds, the watchdog and the fault policies.  Each test boots
 * the real test system (test/manifests/) in a fake shell (core_harness.c),
 * which checks on every effect that descriptors are conserved, that every
 * request is answered once by a reply of its own type, that nothing is sent
 * to a client after it is gone, that a partition never holds more than the
 * window, and that a partition is killed only for something it did.
 * Run from the repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <signal.h>

#include "core_harness.h"
#include "psa/client.h"
#include "psa/error.h"
#include "psa/service.h"

#define ECHO "TFM_SP_ECHO_SERVICE"
#define CUSTOM "TFM_SP_MY_CUSTOM_SERVICE"
#define TEST "PARTIX_SP_TEST"
#define PEER "PARTIX_SP_TEST_PEER"
#define IRQP "PARTIX_SP_TEST_IRQ"
#define MMIO "PARTIX_SP_TEST_MMIO"
#define CRYPTO "TFM_SP_CRYPTO"

#define SID_ECHO 0x105u
#define SID_CUSTOM 0x108u
#define SID_STRICT 0xF100u  /* version 2, STRICT */
#define SID_RELAXED 0xF101u /* version 3, RELAXED */
#define SID_SECURE 0xF102u  /* secure clients only */
#define SID_STATELESS 0xF103u
#define SID_PEER 0xF200u /* secure clients only: PARTIX_SP_TEST's dependency */
#define SID_CRYPTO 0x80u
#define SID_UNKNOWN 0xDEADu

#define UID_A 1000
#define UID_B 1001
#define EXIT(code) ((code) << 8) /* a wait status */

static struct mf_system *sys;
static struct mf_platform *plat;
static uint8_t pattern[WIRE_INLINE_MAX];

/* A broken promise the harness found fails the test (it printed why). */
static void fail_hook(const char *msg)
{
    (void)msg;
    fail();
}

static int group_setup(void **state)
{
    size_t i;

    (void)state;
    h_fail_hook = fail_hook;
    for (i = 0; i < sizeof(pattern); i++)
        pattern[i] = (uint8_t)(i * 13 + 5);
    return h_load(&sys, &plat);
}

static int group_teardown(void **state)
{
    (void)state;
    mf_system_free(sys);
    mf_platform_free(plat);
    return 0;
}

/* ---- helpers ---- */

static struct spm_core_config config(enum spm_fault_policy policy)
{
    struct spm_core_config cfg = h_default_config(sys, plat);

    cfg.policy = policy;
    return cfg;
}

static struct h *boot_cfg(struct spm_core_config cfg)
{
    struct h *h = calloc(1, sizeof(*h));

    assert_non_null(h);
    assert_true(h_init(h, sys, plat, &cfg));
    h->keep_log = true;
    h->trace = getenv("CORE_TRACE") != NULL; /* every event and effect on stderr */
    assert_int_equal(h_start(h), 0);
    return h;
}

static struct h *boot(void)
{
    return boot_cfg(config(SPM_POLICY_RESTART));
}

/* STOP, reap, and every descriptor must be back. */
static void done(struct h *h)
{
    h_finish(h);
    h_free(h);
    free(h);
}

static uint32_t P(const struct h *h, const char *name)
{
    int i = h_part_index(h, name);

    assert_true(i >= 0);
    return (uint32_t)i;
}

static uint32_t owner(uint32_t sid)
{
    const struct mf_partition *mf = NULL;

    assert_non_null(mf_find_sid(sys, sid, &mf));
    return (uint32_t)(mf - sys->partitions);
}

static const struct mf_service *svc(uint32_t sid)
{
    const struct mf_service *s = mf_find_sid(sys, sid, NULL);

    assert_non_null(s);
    return s;
}

static int32_t stateless(uint32_t sid)
{
    assert_true(svc(sid)->stateless_handle != 0);
    return (int32_t)svc(sid)->stateless_handle;
}

static struct wire_msg msg(uint16_t type)
{
    struct wire_msg m;

    memset(&m, 0, sizeof(m));
    m.type = type;
    return m;
}

static void tick(struct h *h, long ms)
{
    struct spm_event ev = {.type = SPM_EV_TICK};

    h->now += ms;
    h_step(h, &ev, NULL, true);
}

static uint32_t send_version(struct h *h, int cl, uint32_t sid)
{
    struct wire_msg m = msg(WIRE_C_VERSION);

    m.u.version_req.sid = sid;
    return h_client_request(h, cl, &m, -1, false);
}

static uint32_t send_connect(struct h *h, int cl, uint32_t sid, uint32_t version)
{
    struct wire_msg m = msg(WIRE_C_CONNECT);

    m.u.connect_req.sid = sid;
    m.u.connect_req.version = version;
    return h_client_request(h, cl, &m, -1, false);
}

static struct wire_msg call_msg(int32_t handle, int32_t type, uint32_t in_len, uint32_t out_len)
{
    struct wire_msg m = msg(WIRE_C_CALL);

    m.u.call_req.handle = handle;
    m.u.call_req.type = type;
    m.u.call_req.vecs.n_in = 1;
    m.u.call_req.vecs.in_len[0] = in_len;
    m.u.call_req.vecs.n_out = 1;
    m.u.call_req.vecs.out_len[0] = out_len;
    m.u.call_req.in[0] = pattern;
    return m;
}

static uint32_t send_call(struct h *h, int cl, int32_t handle, int32_t type, uint32_t in_len,
                          uint32_t out_len)
{
    struct wire_msg m = call_msg(handle, type, in_len, out_len);

    return h_client_request(h, cl, &m, -1, false);
}

/* A large call: its vectors in a memfd the shell found fit (or not). */
static uint32_t send_memfd_call(struct h *h, int cl, int32_t handle, int fd, bool fd_ok)
{
    struct wire_msg m = msg(WIRE_C_CALL);

    m.u.call_req.handle = handle;
    m.u.call_req.type = 1;
    m.u.call_req.flags = WIRE_CALL_MEMFD;
    m.u.call_req.vecs.n_in = 1;
    m.u.call_req.vecs.in_len[0] = 200000;
    m.u.call_req.vecs.n_out = 1;
    m.u.call_req.vecs.out_len[0] = 100000;
    return h_client_request(h, cl, &m, fd, fd_ok);
}

static uint32_t send_close(struct h *h, int cl, int32_t handle)
{
    struct wire_msg m = msg(WIRE_C_CLOSE);

    m.u.close_req.handle = handle;
    return h_client_request(h, cl, &m, -1, false);
}

static const struct wire_msg *reply_to(struct h *h, size_t mark, int cl, uint16_t type,
                                       uint32_t seq)
{
    const struct wire_msg *r = h_sent(h, mark, h_client_peer(h, cl), type, seq);

    if (r == NULL)
        fail_msg("client %d has no %s for seq %u", cl, wire_type_name(type), (unsigned)seq);
    return r;
}

static int32_t r_connect(struct h *h, size_t mark, int cl, uint32_t seq)
{
    return reply_to(h, mark, cl, WIRE_R_CONNECT, seq)->u.connect_rep.result;
}

static int32_t r_call(struct h *h, size_t mark, int cl, uint32_t seq)
{
    return reply_to(h, mark, cl, WIRE_R_CALL, seq)->u.call_rep.status;
}

static int32_t r_close(struct h *h, size_t mark, int cl, uint32_t seq)
{
    return reply_to(h, mark, cl, WIRE_R_CLOSE, seq)->u.status_rep.status;
}

/* The pending index of message @p id in partition @p part, or -1. */
static int pending(const struct h *h, uint32_t part, int32_t id)
{
    size_t i;

    for (i = 0; i < h->part[part].n_pending; i++)
        if (h->part[part].pending[i].id == id)
            return (int)i;
    return -1;
}

/* The partitions answer every message delivered since @p mark (and those
 * their answers let through): CONNECT and DISCONNECT with SUCCESS, calls
 * with @p status, writing @p written bytes of each output (at most its
 * size).  How many were answered. */
static size_t answer_all(struct h *h, size_t mark, int32_t status, uint32_t written)
{
    size_t i, n = 0;

    for (i = mark; i < h->n_fx; i++) {
        struct spm_effect e = h->fx[i].fx; /* a copy: answering grows the log */
        uint32_t w[WIRE_MAX_IOVEC];
        unsigned k;
        int at;

        if (e.type != SPM_FX_SEND || e.to.kind != SPM_PEER_PART || e.msg.type != WIRE_S_MSG ||
            e.to.gen != h->part[e.to.idx].gen)
            continue;
        at = pending(h, e.to.idx, e.msg.u.deliver.msg);
        if (at < 0)
            continue;
        for (k = 0; k < WIRE_MAX_IOVEC; k++)
            w[k] = written < e.msg.u.deliver.vecs.out_len[k] ? written
                                                             : e.msg.u.deliver.vecs.out_len[k];
        h_part_reply(h, e.to.idx, (size_t)at, e.msg.u.deliver.type < 0 ? PSA_SUCCESS : status, w);
        n++;
    }
    return n;
}

static int32_t connect_to(struct h *h, int cl, uint32_t sid, uint32_t version)
{
    size_t mark = h->n_fx;
    uint32_t seq = send_connect(h, cl, sid, version);

    answer_all(h, mark, PSA_SUCCESS, 0);
    return r_connect(h, mark, cl, seq);
}

/* A call answered by its partition with @p status. */
static int32_t call_to(struct h *h, int cl, int32_t handle, int32_t type, int32_t status)
{
    size_t mark = h->n_fx;
    uint32_t seq = send_call(h, cl, handle, type, 4, 8);

    answer_all(h, mark, status, 3);
    return r_call(h, mark, cl, seq);
}

static int32_t close_handle(struct h *h, int cl, int32_t handle)
{
    size_t mark = h->n_fx;
    uint32_t seq = send_close(h, cl, handle);

    answer_all(h, mark, PSA_SUCCESS, 0);
    return r_close(h, mark, cl, seq);
}

/* The messages delivered to @p part since @p mark. */
static size_t delivered(const struct h *h, size_t mark, uint32_t part)
{
    struct spm_peer to = h_part_peer(h, part);

    return h_count_sent(h, mark, to, WIRE_S_MSG);
}

static size_t delivered_anywhere(const struct h *h, size_t mark)
{
    size_t i, n = 0;

    for (i = 0; i < h->n_parts; i++)
        n += delivered(h, mark, (uint32_t)i);
    return n;
}

/* The last S_MSG delivered to @p part since @p mark. */
static const struct wire_deliver *last_delivery(const struct h *h, size_t mark, uint32_t part)
{
    const struct wire_deliver *d = NULL;
    size_t i;

    for (i = mark; i < h->n_fx; i++) {
        const struct spm_effect *e = &h->fx[i].fx;

        if (e->type == SPM_FX_SEND && e->to.kind == SPM_PEER_PART && e->to.idx == part &&
            e->msg.type == WIRE_S_MSG)
            d = &e->msg.u.deliver;
    }
    return d;
}

static size_t kills(const struct h *h, size_t mark)
{
    return h_count(h, mark, SPM_FX_KILL, h_any());
}

/* Kills of partitions other than @p part (which may be killed to make
 * sure it is dead when its channel ends). */
static size_t kills_of_others(const struct h *h, size_t mark, uint32_t part)
{
    size_t i, n = 0;

    for (i = mark; i < h->n_fx; i++)
        n += h->fx[i].fx.type == SPM_FX_KILL && h->fx[i].fx.to.idx != part;
    return n;
}

static bool killed(const struct h *h, size_t mark, uint32_t part)
{
    size_t i;

    for (i = mark; i < h->n_fx; i++)
        if (h->fx[i].fx.type == SPM_FX_KILL && h->fx[i].fx.to.idx == part)
            return true;
    return false;
}

/* Whether the effect at or after @p mark gave back descriptor @p fd, and how. */
static enum spm_effect_type fd_given_back(const struct h *h, size_t mark, int fd)
{
    size_t i;

    for (i = mark; i < h->n_fx; i++)
        if ((h->fx[i].fx.type == SPM_FX_SEND || h->fx[i].fx.type == SPM_FX_CLOSE_FD) &&
            h->fx[i].fx.fd == fd)
            return h->fx[i].fx.type;
    return SPM_FX_LOG; /* not given back */
}

/* ---- psa_version ---- */

static void test_version_policy(void **state)
{
    static const struct {
        uint32_t sid;
        uint32_t want;
    } rows[] = {
        {SID_STRICT, 2},
        {SID_RELAXED, 3},
        {SID_SECURE, PSA_VERSION_NONE},
        {SID_STATELESS, 1},
        {SID_ECHO, 1},
        {SID_PEER, PSA_VERSION_NONE},
        {SID_UNKNOWN, PSA_VERSION_NONE},
        {0, PSA_VERSION_NONE},
    };
    struct h *h = boot();
    int cl = h_client_open(h, 100, UID_A);
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        size_t mark = h->n_fx;
        uint32_t seq = send_version(h, cl, rows[i].sid);

        assert_int_equal(reply_to(h, mark, cl, WIRE_R_VERSION, seq)->u.version_rep.version,
                         rows[i].want);
        assert_int_equal(delivered_anywhere(h, mark), 0);
    }
    done(h);
}

/* ---- psa_connect ---- */

static void test_connect_policy(void **state)
{
    static const struct {
        uint32_t sid;
        uint32_t version;
        int32_t part_reply; /* what the service answers, if it sees the CONNECT */
        int32_t want;       /* PSA_SUCCESS: a handle */
    } rows[] = {
        {SID_STRICT, 2, PSA_SUCCESS, PSA_SUCCESS},
        {SID_STRICT, 1, PSA_SUCCESS, PSA_ERROR_CONNECTION_REFUSED},
        {SID_STRICT, 3, PSA_SUCCESS, PSA_ERROR_CONNECTION_REFUSED},
        {SID_RELAXED, 0, PSA_SUCCESS, PSA_SUCCESS},
        {SID_RELAXED, 1, PSA_SUCCESS, PSA_SUCCESS},
        {SID_RELAXED, 3, PSA_SUCCESS, PSA_SUCCESS},
        {SID_RELAXED, 4, PSA_SUCCESS, PSA_ERROR_CONNECTION_REFUSED},
        {SID_SECURE, 1, PSA_SUCCESS, PSA_ERROR_CONNECTION_REFUSED},
        {SID_PEER, 1, PSA_SUCCESS, PSA_ERROR_CONNECTION_REFUSED},
        {SID_STATELESS, 1, PSA_SUCCESS, PSA_ERROR_PROGRAMMER_ERROR},
        {SID_CRYPTO, 1, PSA_SUCCESS, PSA_ERROR_PROGRAMMER_ERROR},
        {SID_UNKNOWN, 1, PSA_SUCCESS, PSA_ERROR_CONNECTION_REFUSED},
        {SID_ECHO, 1, PSA_SUCCESS, PSA_SUCCESS},
        /* the service's own answer, passed on */
        {SID_ECHO, 1, PSA_ERROR_CONNECTION_REFUSED, PSA_ERROR_CONNECTION_REFUSED},
        {SID_ECHO, 1, PSA_ERROR_CONNECTION_BUSY, PSA_ERROR_CONNECTION_BUSY},
    };
    struct h *h = boot();
    int cl = h_client_open(h, 100, UID_A);
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        size_t mark = h->n_fx, conns = spm_core_n_conns(h->c);
        uint32_t seq = send_connect(h, cl, rows[i].sid, rows[i].version);
        const struct wire_deliver *d;
        int32_t got;

        if (rows[i].want == PSA_SUCCESS || rows[i].part_reply != PSA_SUCCESS) {
            uint32_t part = owner(rows[i].sid);
            int k;

            d = last_delivery(h, mark, part);
            assert_non_null(d);
            assert_int_equal(d->type, PSA_IPC_CONNECT);
            assert_int_equal(d->client_id, SPM_CLIENT_ID(UID_A));
            assert_int_equal(d->signal, svc(rows[i].sid)->signal);
            assert_int_equal(d->vecs.n_in + d->vecs.n_out, 0);
            assert_true(h_client_waits(h, cl, seq)); /* the service answers first */
            k = pending(h, part, d->msg);
            assert_true(k >= 0);
            h_part_reply(h, part, (size_t)k, rows[i].part_reply, NULL);
        } else {
            assert_int_equal(delivered_anywhere(h, mark), 0);
        }
        got = r_connect(h, mark, cl, seq);
        if (rows[i].want == PSA_SUCCESS) {
            assert_true(got > 0);
            assert_int_equal(spm_core_n_conns(h->c), conns + 1);
        } else {
            assert_int_equal(got, rows[i].want);
            assert_int_equal(spm_core_n_conns(h->c), conns);
        }
        assert_int_equal(kills(h, mark), 0);
    }
    done(h);
}

/* ---- psa_call ---- */

enum hkind {
    H_VALID,         /* the client's connection */
    H_VALID_SOCKET2, /* the same, from another socket of its process */
    H_NULL,          /* PSA_NULL_HANDLE */
    H_NEVER,         /* a number no connection has */
    H_NEGATIVE,      /* a status, not a handle */
    H_FOREIGN,       /* another process's connection */
    H_CLOSED,        /* the client's, closed */
    H_STATELESS,     /* a stateless service's handle */
    H_ST_VERSION,    /* ... with another version */
    H_ST_BITS,       /* ... with a bit outside the encoding set */
    H_ST_HIGHBITS,   /* ... with bit 16 set */
    H_ST_SLOT,       /* a slot no service has */
};

static void test_call_handles(void **state)
{
    static const struct {
        enum hkind kind;
        int32_t type;
        bool delivered; /* else PROGRAMMER_ERROR */
    } rows[] = {
        {H_VALID, PSA_IPC_CALL, true},
        {H_VALID, 7, true},
        {H_VALID, INT16_MAX, true},
        {H_VALID_SOCKET2, 1, true},
        {H_VALID, -1, false},
        {H_VALID, -3, false},
        {H_VALID, INT16_MAX + 1, false},
        {H_VALID, INT32_MIN, false},
        {H_NULL, 0, false},
        {H_NEVER, 0, false},
        {H_NEGATIVE, 0, false},
        {H_FOREIGN, 0, false},
        {H_CLOSED, 0, false},
        {H_STATELESS, 0, true},
        {H_STATELESS, 1000, true},
        {H_STATELESS, -1, false},
        {H_STATELESS, 0x10000, false},
        {H_ST_VERSION, 0, false},
        {H_ST_BITS, 0, false},
        {H_ST_HIGHBITS, 0, false},
        {H_ST_SLOT, 0, false},
    };
    struct h *h = boot();
    int a = h_client_open(h, 100, UID_A), a2 = h_client_open(h, 100, UID_A);
    int b = h_client_open(h, 101, UID_A);
    int32_t ha = connect_to(h, a, SID_ECHO, 1), hb = connect_to(h, b, SID_ECHO, 1);
    int32_t closed = connect_to(h, a, SID_ECHO, 1), st = stateless(SID_STATELESS);
    uint32_t slot, version, unused = 31;
    size_t i, k;

    (void)state;
    assert_true(ha > 0 && hb > 0 && closed > 0);
    assert_int_equal(close_handle(h, a, closed), PSA_SUCCESS);
    assert_int_equal(wire_stateless_parts(st, &version, &slot), 0);
    /* a slot no stateless service of the system has */
    for (unused = 31; unused > 0; unused--) {
        for (k = 0; k < sys->n_partitions; k++) {
            size_t s;

            for (s = 0; s < sys->partitions[k].n_services; s++) {
                uint32_t v2, s2;
                const struct mf_service *x = &sys->partitions[k].services[s];

                if (x->stateless_handle != 0 &&
                    wire_stateless_parts((int32_t)x->stateless_handle, &v2, &s2) == 0 &&
                    s2 == unused)
                    goto used;
            }
        }
        break;
    used:;
    }
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        int32_t handle = 0;
        int cl = a;
        uint32_t part = owner(SID_ECHO), seq;
        size_t mark = h->n_fx;

        switch (rows[i].kind) {
        case H_VALID:
            handle = ha;
            break;
        case H_VALID_SOCKET2:
            handle = ha;
            cl = a2;
            break;
        case H_NULL:
            handle = PSA_NULL_HANDLE;
            break;
        case H_NEVER:
            handle = 0x1234567;
            break;
        case H_NEGATIVE:
            handle = PSA_ERROR_PROGRAMMER_ERROR;
            break;
        case H_FOREIGN:
            handle = hb;
            break;
        case H_CLOSED:
            handle = closed;
            break;
        case H_STATELESS:
            handle = st;
            part = owner(SID_STATELESS);
            break;
        case H_ST_VERSION:
            handle = (int32_t)wire_stateless_handle(version + 1, slot);
            break;
        case H_ST_BITS:
            handle = st | 0x20;
            break;
        case H_ST_HIGHBITS:
            handle = st | 0x10000;
            break;
        case H_ST_SLOT:
            handle = (int32_t)wire_stateless_handle(1, unused);
            break;
        }
        seq = send_call(h, cl, handle, rows[i].type, 4, 8);
        if (rows[i].delivered) {
            const struct wire_deliver *d = last_delivery(h, mark, part);

            assert_non_null(d);
            assert_int_equal(d->type, rows[i].type);
            assert_int_equal(d->client_id, SPM_CLIENT_ID(UID_A));
            assert_int_equal(d->vecs.n_in, 1);
            assert_int_equal(d->vecs.in_len[0], 4);
            assert_int_equal(d->vecs.n_out, 1);
            assert_int_equal(d->vecs.out_len[0], 8);
            assert_memory_equal(d->in[0], pattern, 4);
            assert_true(h_client_waits(h, cl, seq));
            answer_all(h, mark, PSA_ERROR_INVALID_ARGUMENT, 5);
            {
                const struct wire_msg *r = reply_to(h, mark, cl, WIRE_R_CALL, seq);

                /* the service's status and output, passed on */
                assert_int_equal(r->u.call_rep.status, PSA_ERROR_INVALID_ARGUMENT);
                assert_int_equal(r->u.call_rep.n_out, 1);
                assert_int_equal(r->u.call_rep.written[0], 5);
            }
        } else {
            assert_int_equal(r_call(h, mark, cl, seq), PSA_ERROR_PROGRAMMER_ERROR);
            assert_int_equal(delivered_anywhere(h, mark), 0);
        }
        assert_int_equal(kills(h, mark), 0);
    }
    done(h);
}

/* A connection already in a call: the second call is a programmer error,
 * and the first is still answered. */
static void test_call_busy(void **state)
{
    struct h *h = boot();
    int a = h_client_open(h, 100, UID_A), a2 = h_client_open(h, 100, UID_A);
    int32_t ha = connect_to(h, a, SID_ECHO, 1);
    size_t mark = h->n_fx;
    uint32_t first, second;

    (void)state;
    first = send_call(h, a, ha, 1, 4, 8);
    second = send_call(h, a2, ha, 2, 4, 8);
    assert_int_equal(r_call(h, mark, a2, second), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(delivered(h, mark, owner(SID_ECHO)), 1);
    answer_all(h, mark, PSA_SUCCESS, 8);
    assert_int_equal(r_call(h, mark, a, first), PSA_SUCCESS);
    assert_int_equal(call_to(h, a, ha, 3, PSA_SUCCESS), PSA_SUCCESS);
    done(h);
}

/* psa_set_rhandle: the value a reply sets travels with the connection's
 * later messages, DISCONNECT included; a stateless call has none. */
static void test_rhandle(void **state)
{
    struct h *h = boot();
    int a = h_client_open(h, 100, UID_A);
    uint32_t echo = owner(SID_ECHO), test = owner(SID_STATELESS);
    struct wire_msg m = msg(WIRE_P_REPLY);
    const struct wire_deliver *d;
    size_t mark = h->n_fx;
    uint32_t seq;
    int32_t handle;
    int k;

    (void)state;
    seq = send_connect(h, a, SID_ECHO, 1);
    k = h_part_find(h, echo, PSA_IPC_CONNECT);
    m.u.reply.msg = h->part[echo].pending[k].id;
    m.u.reply.flags = WIRE_REPLY_SET_RHANDLE;
    m.u.reply.rhandle = 0x1122334455667788ull;
    h->part[echo].n_pending = 0;
    h_part_send(h, echo, &m, -1, false);
    handle = r_connect(h, mark, a, seq);
    assert_true(handle > 0);
    mark = h->n_fx;
    send_call(h, a, handle, 3, 4, 8);
    d = last_delivery(h, mark, echo);
    assert_non_null(d);
    assert_true(d->rhandle == 0x1122334455667788ull);
    answer_all(h, mark, PSA_SUCCESS, 0);
    mark = h->n_fx;
    send_close(h, a, handle);
    d = last_delivery(h, mark, echo);
    assert_non_null(d);
    assert_int_equal(d->type, PSA_IPC_DISCONNECT);
    assert_true(d->rhandle == 0x1122334455667788ull);
    answer_all(h, mark, PSA_SUCCESS, 0);
    /* a stateless service's reply cannot set one for the next call */
    mark = h->n_fx;
    send_call(h, a, stateless(SID_STATELESS), 1, 4, 8);
    m = msg(WIRE_P_REPLY);
    m.u.reply.msg = h->part[test].pending[0].id;
    m.u.reply.flags = WIRE_REPLY_SET_RHANDLE;
    m.u.reply.rhandle = 7;
    m.u.reply.n_out = 1;
    h->part[test].n_pending = 0;
    h_part_send(h, test, &m, -1, false);
    send_call(h, a, stateless(SID_STATELESS), 2, 4, 8);
    d = last_delivery(h, mark, test);
    assert_non_null(d);
    assert_true(d->rhandle == 0);
    answer_all(h, mark, PSA_SUCCESS, 0);
    assert_int_equal(kills(h, 0), 0);
    done(h);
}

/* ---- psa_close ---- */

static void test_close(void **state)
{
    struct h *h = boot();
    int a = h_client_open(h, 100, UID_A), b = h_client_open(h, 101, UID_A);
    int32_t ha = connect_to(h, a, SID_ECHO, 1), hb = connect_to(h, b, SID_ECHO, 1);
    uint32_t echo = owner(SID_ECHO);
    const struct {
        int32_t handle;
        int32_t want;
    } bad[] = {
        {stateless(SID_STATELESS), PSA_ERROR_PROGRAMMER_ERROR},
        {0x1234567, PSA_ERROR_PROGRAMMER_ERROR},
        {-5, PSA_ERROR_PROGRAMMER_ERROR},
        {hb, PSA_ERROR_PROGRAMMER_ERROR}, /* foreign */
        {PSA_NULL_HANDLE, PSA_SUCCESS},   /* a no-op */
    };
    size_t i, mark;
    uint32_t seq;
    int k;

    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        mark = h->n_fx;
        seq = send_close(h, a, bad[i].handle);
        assert_int_equal(r_close(h, mark, a, seq), bad[i].want);
        assert_int_equal(delivered_anywhere(h, mark), 0);
    }
    /* a real close: the service sees DISCONNECT, and its status is ignored */
    mark = h->n_fx;
    seq = send_close(h, a, ha);
    k = h_part_find(h, echo, PSA_IPC_DISCONNECT);
    assert_true(k >= 0);
    assert_int_equal(h->part[echo].pending[k].client_id, SPM_CLIENT_ID(UID_A));
    /* as on TF-M, psa_close returns once the service has handled it */
    assert_int_equal(h_count_sent(h, mark, h_client_peer(h, a), WIRE_R_CLOSE), 0);
    h_part_reply(h, echo, (size_t)k, PSA_ERROR_GENERIC_ERROR, NULL);
    assert_int_equal(r_close(h, mark, a, seq), PSA_SUCCESS);
    assert_int_equal(kills(h, mark), 0);
    /* the handle is gone: closing or calling it again is an error */
    mark = h->n_fx;
    seq = send_close(h, a, ha);
    assert_int_equal(r_close(h, mark, a, seq), PSA_ERROR_PROGRAMMER_ERROR);
    seq = send_call(h, a, ha, 0, 4, 8);
    assert_int_equal(r_call(h, mark, a, seq), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(delivered_anywhere(h, mark), 0);
    assert_int_equal(close_handle(h, b, hb), PSA_SUCCESS);
    assert_int_equal(spm_core_n_conns(h->c), 0);
    done(h);
}

/* A close waiting on the service ends when the service dies instead. */
static void test_close_waits_for_the_service(void **state)
{
    struct h *h = boot();
    int a = h_client_open(h, 100, UID_A);
    int32_t ha = connect_to(h, a, SID_ECHO, 1);
    uint32_t echo = owner(SID_ECHO);
    size_t mark = h->n_fx;
    uint32_t seq;

    (void)state;
    seq = send_close(h, a, ha);
    assert_true(h_part_find(h, echo, PSA_IPC_DISCONNECT) >= 0);
    assert_true(h_client_waits(h, a, seq));
    h_part_die(h, echo, 9 /* SIGKILL */);
    assert_int_equal(r_close(h, mark, a, seq), PSA_SUCCESS);
    assert_int_equal(spm_core_n_conns(h->c), 0);
    done(h);
}

/* FF-M: a service that answers a call PROGRAMMER_ERROR terminates the
 * connection: the non-secure caller gets the status, and every later call
 * on the handle gets it at once, without reaching the service. */
static void test_programmer_error_terminates(void **state)
{
    struct h *h = boot();
    int a = h_client_open(h, 100, UID_A);
    int32_t ha = connect_to(h, a, SID_ECHO, 1);
    size_t mark;
    uint32_t seq;

    (void)state;
    assert_int_equal(call_to(h, a, ha, 0, PSA_ERROR_PROGRAMMER_ERROR), PSA_ERROR_PROGRAMMER_ERROR);
    mark = h->n_fx;
    seq = send_call(h, a, ha, 0, 4, 8);
    assert_int_equal(r_call(h, mark, a, seq), PSA_ERROR_PROGRAMMER_ERROR);
    seq = send_call(h, a, ha, 1, 0, 0);
    assert_int_equal(r_call(h, mark, a, seq), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(delivered_anywhere(h, mark), 0);
    assert_int_equal(kills(h, mark), 0);
    /* other statuses leave it usable; closing it still tells the service */
    assert_int_equal(close_handle(h, a, ha), PSA_SUCCESS);
    assert_int_equal(delivered(h, mark, owner(SID_ECHO)), 1);
    ha = connect_to(h, a, SID_ECHO, 1);
    assert_int_equal(call_to(h, a, ha, 0, PSA_ERROR_INVALID_ARGUMENT), PSA_ERROR_INVALID_ARGUMENT);
    assert_int_equal(call_to(h, a, ha, 0, PSA_SUCCESS), PSA_SUCCESS);
    assert_int_equal(close_handle(h, a, ha), PSA_SUCCESS);
    done(h);
}

/* ---- a secure caller: a partition calling its dependencies ---- */

static uint32_t part_connect(struct h *h, uint32_t part, uint32_t sid, uint32_t version)
{
    struct wire_msg m = msg(WIRE_C_CONNECT);

    m.u.connect_req.sid = sid;
    m.u.connect_req.version = version;
    return h_part_request(h, part, &m, -1, false);
}

static void test_secure_caller_ok(void **state)
{
    struct h *h = boot();
    uint32_t test = P(h, TEST), peer = P(h, PEER);
    struct spm_peer tp = h_part_peer(h, test);
    struct wire_msg m = msg(WIRE_C_VERSION);
    const struct wire_msg *r;
    const struct wire_deliver *d;
    size_t mark = h->n_fx;
    uint32_t seq;
    int32_t handle;
    int k;

    (void)state;
    /* psa_version: its dependency, and a service it did not declare */
    m.u.version_req.sid = SID_PEER;
    seq = h_part_request(h, test, &m, -1, false);
    r = h_sent(h, mark, tp, WIRE_R_VERSION, seq);
    assert_non_null(r);
    assert_int_equal(r->u.version_rep.version, svc(SID_PEER)->version);
    m = msg(WIRE_C_VERSION);
    m.u.version_req.sid = SID_ECHO;
    seq = h_part_request(h, test, &m, -1, false);
    r = h_sent(h, mark, tp, WIRE_R_VERSION, seq);
    assert_non_null(r);
    assert_int_equal(r->u.version_rep.version, PSA_VERSION_NONE);
    assert_int_equal(kills(h, mark), 0);

    /* connect and call: the peer sees the caller's partition id */
    seq = part_connect(h, test, SID_PEER, svc(SID_PEER)->version);
    d = last_delivery(h, mark, peer);
    assert_non_null(d);
    assert_int_equal(d->type, PSA_IPC_CONNECT);
    assert_int_equal(d->client_id, h->part[test].mf->pid);
    k = pending(h, peer, d->msg);
    h_part_reply(h, peer, (size_t)k, PSA_SUCCESS, NULL);
    r = h_sent(h, mark, tp, WIRE_R_CONNECT, seq);
    assert_non_null(r);
    handle = r->u.connect_rep.result;
    assert_true(handle > 0);

    mark = h->n_fx;
    m = call_msg(handle, 9, 16, 32);
    seq = h_part_request(h, test, &m, -1, false);
    d = last_delivery(h, mark, peer);
    assert_non_null(d);
    assert_int_equal(d->type, 9);
    assert_int_equal(d->client_id, h->part[test].mf->pid);
    answer_all(h, mark, PSA_SUCCESS, 32);
    r = h_sent(h, mark, tp, WIRE_R_CALL, seq);
    assert_non_null(r);
    assert_int_equal(r->u.call_rep.status, PSA_SUCCESS);
    assert_int_equal(r->u.call_rep.written[0], 32);
    for (k = 0; k < 32; k++) /* the peer's output, passed on */
        assert_int_equal(((const uint8_t *)r->u.call_rep.out[0])[k], h_out_byte((size_t)k));

    /* its close: DISCONNECT to the peer */
    mark = h->n_fx;
    m = msg(WIRE_C_CLOSE);
    m.u.close_req.handle = handle;
    seq = h_part_request(h, test, &m, -1, false);
    answer_all(h, mark, PSA_SUCCESS, 0);
    r = h_sent(h, mark, tp, WIRE_R_CLOSE, seq);
    assert_non_null(r);
    assert_int_equal(r->u.status_rep.status, PSA_SUCCESS);
    assert_int_equal(h_count_sent(h, mark, h_part_peer(h, peer), WIRE_S_MSG), 1);
    assert_int_equal(kills(h, mark), 0);
    done(h);
}

/* A secure caller whose call the service answers PROGRAMMER_ERROR is
 * panicked (FF-M), and never sees the status. */
static void test_secure_caller_programmer_error(void **state)
{
    struct h *h = boot();
    uint32_t test = P(h, TEST), peer = P(h, PEER);
    struct spm_peer tp = h_part_peer(h, test);
    const struct wire_msg *r;
    const struct wire_deliver *d;
    struct wire_msg m;
    size_t mark = h->n_fx;
    uint32_t seq;
    int32_t handle;

    (void)state;
    seq = part_connect(h, test, SID_PEER, svc(SID_PEER)->version);
    answer_all(h, mark, PSA_SUCCESS, 0);
    r = h_sent(h, mark, tp, WIRE_R_CONNECT, seq);
    assert_non_null(r);
    handle = r->u.connect_rep.result;
    assert_true(handle > 0);
    mark = h->n_fx;
    m = call_msg(handle, 3, 4, 4);
    seq = h_part_request(h, test, &m, -1, false);
    d = last_delivery(h, mark, peer);
    assert_non_null(d);
    h_part_reply(h, peer, (size_t)pending(h, peer, d->msg), PSA_ERROR_PROGRAMMER_ERROR, NULL);
    assert_true(killed(h, mark, test));
    assert_null(h_sent(h, mark, tp, WIRE_R_CALL, seq));
    assert_false(killed(h, mark, peer));
    done(h);
}

enum sc_op { SC_CONNECT, SC_CALL, SC_CALL_CONN, SC_CLOSE };

/* What a non-secure caller is told, a secure one is panicked for. */
static void test_secure_caller_panics(void **state)
{
    static const struct {
        const char *what;
        enum sc_op op;
        uint32_t sid; /* CONNECT; CALL: the stateless service */
        uint32_t version;
        int32_t handle; /* CALL, CLOSE (0 with a sid: its stateless handle) */
        int32_t type;
    } rows[] = {
        {"connect to an unknown SID", SC_CONNECT, SID_UNKNOWN, 1, 0, 0},
        {"connect to an undeclared service", SC_CONNECT, SID_ECHO, 1, 0, 0},
        {"connect to its dependency, refused version", SC_CONNECT, SID_PEER, 7, 0, 0},
        {"call on a handle it never had", SC_CALL, 0, 0, 0x1234567, 0},
        {"call on the null handle", SC_CALL, 0, 0, PSA_NULL_HANDLE, 0},
        {"stateless call to an undeclared service", SC_CALL, SID_CRYPTO, 0, 0, 0},
        {"stateless call with a bad version", SC_CALL, 0, 0, 0x40000F1F, 0},
        {"call of a negative type", SC_CALL_CONN, 0, 0, 0, -7},
        {"call of a type past INT16_MAX", SC_CALL_CONN, 0, 0, 0, 0x8000},
        {"close of a handle it never had", SC_CLOSE, 0, 0, 0x1234567, 0},
        {"close of a stateless handle", SC_CLOSE, SID_CRYPTO, 0, 0, 0},
    };
    struct h *h = boot();
    uint32_t test = P(h, TEST);
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct wire_msg m;
        int32_t handle = rows[i].handle;
        size_t mark;

        print_message("secure caller: %s\n", rows[i].what);
        h->now += 11000; /* past the restart window: 11 faults in 10 s are a crash loop */
        if (rows[i].op == SC_CALL_CONN) {
            const struct wire_msg *r;
            uint32_t seq;

            mark = h->n_fx;
            seq = part_connect(h, test, SID_PEER, svc(SID_PEER)->version);
            answer_all(h, mark, PSA_SUCCESS, 0);
            r = h_sent(h, mark, h_part_peer(h, test), WIRE_R_CONNECT, seq);
            assert_non_null(r);
            handle = r->u.connect_rep.result;
            assert_true(handle > 0);
        }
        if (rows[i].op != SC_CONNECT && handle == 0 && rows[i].sid != 0)
            handle = stateless(rows[i].sid);
        if (rows[i].op == SC_CONNECT) {
            m = msg(WIRE_C_CONNECT);
            m.u.connect_req.sid = rows[i].sid;
            m.u.connect_req.version = rows[i].version;
        } else if (rows[i].op == SC_CLOSE) {
            m = msg(WIRE_C_CLOSE);
            m.u.close_req.handle = handle;
        } else {
            m = call_msg(handle, rows[i].type, 4, 4);
        }
        mark = h->n_fx;
        h_part_request(h, test, &m, -1, false);
        assert_true(killed(h, mark, test));
        assert_int_equal(delivered_anywhere(h, mark), 0);
        assert_int_equal(kills(h, mark), 1); /* the restart policy: only the caller */
        h_settle(h);
        assert_int_equal(spm_core_part_state(h->c, test), SPM_PART_READY);
    }
    done(h);
}

/* A partition past its requests in flight is killed, and the memfd its
 * last request passed is closed. */
static void test_secure_caller_inflight(void **state)
{
    struct h *h = boot();
    uint32_t test = P(h, TEST);
    struct wire_msg m = msg(WIRE_C_CALL);
    size_t mark, i;
    int fd;

    (void)state;
    for (i = 0; i < SPM_DEF_INFLIGHT_SOCKET; i++)
        part_connect(h, test, SID_PEER, 1);
    mark = h->n_fx;
    m.u.call_req.handle = stateless(SID_CRYPTO);
    m.u.call_req.flags = WIRE_CALL_MEMFD;
    m.u.call_req.vecs.n_in = 1;
    m.u.call_req.vecs.in_len[0] = 100000;
    fd = h_fd(h);
    h_part_request(h, test, &m, fd, true);
    assert_true(killed(h, mark, test));
    assert_int_equal(fd_given_back(h, mark, fd), SPM_FX_CLOSE_FD);
    done(h);
}

/* ---- what a partition sends ---- */

static int platform_line(const char *source)
{
    size_t i;

    for (i = 0; i < plat->n_irqs; i++)
        if (strcmp(plat->irqs[i].source, source) == 0)
            return (int)i;
    return -1;
}

enum pf {
    PF_REPLY_UNKNOWN,    /* a reply to no message it holds */
    PF_REPLY_TWICE,      /* a second reply to one message */
    PF_CONNECT_GENERIC,  /* CONNECT answered GENERIC_ERROR */
    PF_CONNECT_POSITIVE, /* CONNECT answered with a positive number */
    PF_WRITTEN_PAST,     /* more written than the output holds */
    PF_N_OUT,            /* another number of outputs than the call's */
    PF_HELLO_AGAIN,
    PF_READY_AGAIN,
    PF_NOTIFY_UNKNOWN, /* psa_notify to no partition */
    PF_IRQ_FOREIGN,    /* an interrupt signal that is not its own */
    PF_EOI_FLIH,       /* psa_eoi on a FLIH signal */
    PF_MMIO_REGION,    /* a region it has not */
    PF_RESET_APP_ROT,  /* tfm_hal_system_reset from an APPLICATION-ROT partition */
    PF_RESET_FOREIGN,  /* a reset naming a call it does not hold */
    PF_CALL_NO_FD,     /* a memfd call without the memfd */
    PF_BAD,            /* a malformed datagram */
    PF_CLIENT_TYPE,    /* a reply type a partition never sends */
};

static void test_partition_faults(void **state)
{
    static const struct {
        const char *what;
        enum pf fault;
        const char *part;
        uint32_t sid; /* a client's request to it first, answered by the fault */
    } rows[] = {
        {"reply to an unknown message", PF_REPLY_UNKNOWN, ECHO, 0},
        {"second reply", PF_REPLY_TWICE, ECHO, SID_ECHO},
        {"CONNECT answered GENERIC_ERROR", PF_CONNECT_GENERIC, ECHO, SID_ECHO},
        {"CONNECT answered 5", PF_CONNECT_POSITIVE, ECHO, SID_ECHO},
        {"written past the output", PF_WRITTEN_PAST, TEST, SID_STATELESS},
        {"another number of outputs", PF_N_OUT, TEST, SID_STATELESS},
        {"HELLO after READY", PF_HELLO_AGAIN, ECHO, 0},
        {"READY after READY", PF_READY_AGAIN, ECHO, 0},
        {"psa_notify to no partition", PF_NOTIFY_UNKNOWN, TEST, 0},
        {"an interrupt signal not its own", PF_IRQ_FOREIGN, TEST, 0},
        {"psa_eoi on a FLIH signal", PF_EOI_FLIH, IRQP, 0},
        {"MMIO write to a region it has not", PF_MMIO_REGION, MMIO, 0},
        {"system reset from APPLICATION-ROT", PF_RESET_APP_ROT, TEST, 0},
        {"system reset naming a call it has not", PF_RESET_FOREIGN, MMIO, 0},
        {"memfd call without the memfd", PF_CALL_NO_FD, TEST, 0},
        {"malformed datagram", PF_BAD, ECHO, 0},
        {"R_CALL from a partition", PF_CLIENT_TYPE, ECHO, 0},
    };
    struct h *h = boot();
    int cl = h_client_open(h, 100, UID_A);
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        uint32_t part = P(h, rows[i].part);
        struct h_part *p = &h->part[part];
        struct wire_msg m = msg(WIRE_P_REPLY);
        uint32_t seq = 0, w[WIRE_MAX_IOVEC] = {0};
        const struct mf_partition *mf = p->mf;
        bool is_connect = rows[i].sid != 0 && !svc(rows[i].sid)->stateless_handle;
        size_t mark, k;

        print_message("partition fault: %s\n", rows[i].what);
        h->now += 11000; /* past the restart window */
        mark = h->n_fx;
        if (is_connect)
            seq = send_connect(h, cl, rows[i].sid, 1);
        else if (rows[i].sid != 0)
            seq = send_call(h, cl, stateless(rows[i].sid), 1, 4, 8);
        if (rows[i].sid != 0)
            assert_int_equal(p->n_pending, 1);
        switch (rows[i].fault) {
        case PF_REPLY_UNKNOWN:
            m.u.reply.msg = 0x7ffffff0;
            h_part_send(h, part, &m, -1, false);
            break;
        case PF_REPLY_TWICE: {
            int32_t id = p->pending[0].id;

            h_part_reply(h, part, 0, PSA_SUCCESS, NULL);
            assert_int_equal(r_connect(h, mark, cl, seq) > 0, 1);
            m.u.reply.msg = id;
            h_part_send(h, part, &m, -1, false);
            break;
        }
        case PF_CONNECT_GENERIC:
            h_part_reply(h, part, 0, PSA_ERROR_GENERIC_ERROR, NULL);
            break;
        case PF_CONNECT_POSITIVE:
            h_part_reply(h, part, 0, 5, NULL);
            break;
        case PF_WRITTEN_PAST:
            w[0] = 9; /* the output holds 8 */
            h_part_reply(h, part, 0, PSA_SUCCESS, w);
            break;
        case PF_N_OUT:
            m.u.reply.msg = p->pending[0].id;
            m.u.reply.n_out = 2;
            p->n_pending = 0;
            h_part_send(h, part, &m, -1, false);
            break;
        case PF_HELLO_AGAIN:
            h_part_hello(h, part);
            break;
        case PF_READY_AGAIN:
            h_part_ready(h, part);
            break;
        case PF_NOTIFY_UNKNOWN:
            m = msg(WIRE_P_NOTIFY);
            m.u.notify.partition_id = 12345;
            h_part_send(h, part, &m, -1, false);
            break;
        case PF_IRQ_FOREIGN:
            m = msg(WIRE_P_IRQ);
            m.u.irq_ctl.signal = 0x80000000u;
            m.u.irq_ctl.op = WIRE_IRQ_ENABLE;
            h_part_send(h, part, &m, -1, false);
            break;
        case PF_EOI_FLIH:
            m = msg(WIRE_P_IRQ);
            m.u.irq_ctl.op = WIRE_IRQ_EOI;
            for (k = 0; k < mf->n_irqs; k++)
                if (mf->irqs[k].handling == MF_IRQ_FLIH)
                    m.u.irq_ctl.signal = mf->irqs[k].signal;
            assert_int_not_equal(m.u.irq_ctl.signal, 0);
            h_part_send(h, part, &m, -1, false);
            break;
        case PF_MMIO_REGION:
            m = msg(WIRE_P_MMIO);
            m.u.mmio.region = (uint8_t)mf->n_mmio;
            h_part_send(h, part, &m, -1, false);
            break;
        case PF_RESET_APP_ROT:
        case PF_RESET_FOREIGN:
            m = msg(WIRE_P_RESET);
            m.u.reset.syndrome = 1;
            if (rows[i].fault == PF_RESET_FOREIGN) {
                m.u.reset.n_calls = 1;
                m.u.reset.calls[0] = 0x7ffffff0;
            }
            h_part_send(h, part, &m, -1, false);
            break;
        case PF_CALL_NO_FD:
            m = msg(WIRE_C_CALL);
            m.u.call_req.handle = 0x1234567;
            m.u.call_req.flags = WIRE_CALL_MEMFD;
            m.u.call_req.vecs.n_in = 1;
            m.u.call_req.vecs.in_len[0] = 100000;
            h_part_request(h, part, &m, -1, false);
            break;
        case PF_BAD: {
            struct spm_event ev = {.type = SPM_EV_PART_BAD, .why = "test: malformed"};

            ev.from = h_part_peer(h, part);
            h_step(h, &ev, NULL, false);
            break;
        }
        case PF_CLIENT_TYPE:
            m = msg(WIRE_R_CALL);
            h_part_send(h, part, &m, -1, false);
            break;
        }
        assert_true(killed(h, mark, part));
        assert_int_equal(kills(h, mark), 1); /* the restart policy: it alone */
        h_settle(h);
        assert_int_equal(spm_core_part_state(h->c, part), SPM_PART_READY);
        /* whoever waited on it has an answer */
        if (is_connect && rows[i].fault != PF_REPLY_TWICE)
            assert_int_equal(r_connect(h, mark, cl, seq), PSA_ERROR_CONNECTION_REFUSED);
        else if (rows[i].sid != 0 && !is_connect)
            assert_int_equal(r_call(h, mark, cl, seq), PSA_ERROR_COMMUNICATION_FAILURE);
        assert_int_equal(h->cl[cl].r.n_req, 0);
    }
    done(h);
}

/* What a partition may send: nothing is killed. */
static void test_partition_ok(void **state)
{
    struct h *h = boot();
    uint32_t test = P(h, TEST), peer = P(h, PEER), irq = P(h, IRQP), mmio = P(h, MMIO);
    const struct mf_partition *mf = h->part[irq].mf;
    struct wire_msg m = msg(WIRE_P_LOG);
    size_t mark = h->n_fx, k;
    int line = -1;

    (void)state;
    m.u.text.level = WIRE_LOG_INFO;
    snprintf(m.u.text.text, sizeof(m.u.text.text), "%s", "a log line with %s and %n in it");
    h_part_send(h, test, &m, -1, false);

    /* psa_notify: a doorbell for the target */
    m = msg(WIRE_P_NOTIFY);
    m.u.notify.partition_id = h->part[peer].mf->pid;
    h_part_send(h, test, &m, -1, false);
    assert_int_equal(h_count_sent(h, mark, h_part_peer(h, peer), WIRE_S_DOORBELL), 1);

    /* an SLIH interrupt: FF-M 1.1 lines start disabled */
    for (k = 0; k < mf->n_irqs; k++)
        if (mf->irqs[k].handling == MF_IRQ_SLIH)
            line = mf->irqs[k].line;
    assert_true(line >= 0);
    {
        struct spm_event ev = {.type = SPM_EV_IRQ_LINE, .line = line, .level = true};

        h_step(h, &ev, NULL, true);
    }
    assert_int_equal(h_count_sent(h, mark, h_part_peer(h, irq), WIRE_S_IRQ), 0);
    m = msg(WIRE_P_IRQ);
    m.u.irq_ctl.op = WIRE_IRQ_ENABLE;
    for (k = 0; k < mf->n_irqs; k++)
        if (mf->irqs[k].handling == MF_IRQ_SLIH)
            m.u.irq_ctl.signal = mf->irqs[k].signal;
    h_part_send(h, irq, &m, -1, false);
    assert_int_equal(h_count_sent(h, mark, h_part_peer(h, irq), WIRE_S_IRQ), 1);
    /* psa_eoi with the line still high: it fires again (level-sensitive) */
    m.u.irq_ctl.op = WIRE_IRQ_EOI;
    h_part_send(h, irq, &m, -1, false);
    assert_int_equal(h_count_sent(h, mark, h_part_peer(h, irq), WIRE_S_IRQ), 2);

    /* an MMIO write to one of its regions */
    m = msg(WIRE_P_MMIO);
    m.u.mmio.region = 0;
    m.u.mmio.offset = 0;
    m.u.mmio.value = 'x';
    h_part_send(h, mmio, &m, -1, false);

    /* a buffer for a large call: the shell makes it */
    m = msg(WIRE_C_BUFFER);
    m.u.buffer_req.size = 100000;
    h_part_request(h, test, &m, -1, false);
    assert_non_null(h_find(h, mark, SPM_FX_BUFFER, h_part_peer(h, test)));
    assert_int_equal(h->part[test].r.n_req, 0);
    assert_int_equal(kills(h, mark), 0);
    done(h);
}

/* The executable must match the manifest: a partition whose HELLO does not
 * is killed and, never having started, is out of service without a reset. */
static void test_hello_mismatch(void **state)
{
    static const struct {
        const char *part;
        int change; /* 0 name, 1 a signal, 2 a service less, 3 FLIH <-> SLIH */
    } rows[] = {{ECHO, 0}, {TEST, 1}, {TEST, 2}, {IRQP, 3}};
    size_t i, k;

    (void)state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct h *h = calloc(1, sizeof(*h));
        struct spm_core_config cfg = config(SPM_POLICY_RESET);
        struct spm_event ev = {.type = SPM_EV_START};
        uint32_t bad;
        struct wire_msg m = msg(WIRE_P_HELLO);
        const struct mf_partition *mf;
        size_t mark;

        assert_true(h_init(h, sys, plat, &cfg));
        h->keep_log = true;
        bad = P(h, rows[i].part);
        mf = h->part[bad].mf;
        h_step(h, &ev, NULL, true);
        assert_int_equal(h_count(h, 0, SPM_FX_SPAWN, h_any()), h->n_parts);
        for (k = 0; k < h->n_parts; k++)
            h_part_spawned(h, (uint32_t)k);
        h_hello_msg(mf, &m);
        switch (rows[i].change) {
        case 0:
            m.u.hello.name[0] ^= 1;
            break;
        case 1:
            m.u.hello.services[0].signal <<= 1;
            break;
        case 2:
            m.u.hello.n_services--;
            break;
        case 3:
            m.u.hello.irqs[0].flih ^= 1;
            break;
        }
        mark = h->n_fx;
        h->part[bad].stage = 1;
        h_part_send(h, bad, &m, -1, false);
        assert_true(killed(h, mark, bad));
        assert_null(h_sent(h, mark, h_part_peer(h, bad), WIRE_S_CONFIG, 0));
        h_settle(h);
        assert_int_equal(kills(h, mark), 1); /* nobody else: no reset */
        assert_int_equal(spm_core_part_state(h->c, bad), SPM_PART_FAILED);
        assert_int_equal(spm_core_started(h->c), -1);
        assert_int_equal(h->part[bad].spawns, 1);
        done(h);
    }
}

/* ---- the connection limit ---- */

static void test_connection_limit(void **state)
{
    struct spm_core_config cfg = config(SPM_POLICY_RESTART);
    struct h *h;
    int a, b, c;
    int32_t h1;
    size_t mark;
    uint32_t s1, s2, s3;

    (void)state;
    cfg.max_conns = 2;
    h = boot_cfg(cfg);
    a = h_client_open(h, 100, UID_A);
    b = h_client_open(h, 101, UID_A);
    c = h_client_open(h, 102, UID_B);
    /* two connecting at once count as two */
    mark = h->n_fx;
    s1 = send_connect(h, a, SID_ECHO, 1);
    s2 = send_connect(h, a, SID_ECHO, 1);
    s3 = send_connect(h, a, SID_ECHO, 1);
    assert_int_equal(r_connect(h, mark, a, s3), PSA_ERROR_CONNECTION_BUSY);
    assert_int_equal(delivered(h, mark, owner(SID_ECHO)), 2);
    answer_all(h, mark, PSA_SUCCESS, 0);
    h1 = r_connect(h, mark, a, s1);
    assert_true(h1 > 0 && r_connect(h, mark, a, s2) > 0);
    /* the limit is the user's: another process of the same uid is refused */
    assert_int_equal(connect_to(h, b, SID_CUSTOM, 1), PSA_ERROR_CONNECTION_BUSY);
    /* another user is not */
    assert_true(connect_to(h, c, SID_ECHO, 1) > 0);
    /* a closed connection makes room */
    assert_int_equal(close_handle(h, a, h1), PSA_SUCCESS);
    assert_true(connect_to(h, b, SID_CUSTOM, 1) > 0);
    assert_int_equal(connect_to(h, a, SID_ECHO, 1), PSA_ERROR_CONNECTION_BUSY);
    done(h);
}

/* ---- a partition dying ---- */

static void test_dies_mid_connect(void **state)
{
    static const enum spm_fault_policy policies[] = {SPM_POLICY_RESTART, SPM_POLICY_RESET};
    size_t i;

    (void)state;
    for (i = 0; i < 2; i++) {
        struct h *h = boot_cfg(config(policies[i]));
        int a = h_client_open(h, 100, UID_A);
        uint32_t echo = owner(SID_ECHO), seq;
        size_t mark = h->n_fx;

        seq = send_connect(h, a, SID_ECHO, 1);
        assert_int_equal(h->part[echo].n_pending, 1);
        h_part_die(h, echo, EXIT(1));
        h_settle(h);
        assert_int_equal(r_connect(h, mark, a, seq), PSA_ERROR_CONNECTION_REFUSED);
        assert_int_equal(spm_core_started(h->c), 1);
        assert_int_equal(spm_core_n_conns(h->c), 0);
        /* the new process serves */
        assert_true(connect_to(h, a, SID_ECHO, 1) > 0);
        done(h);
    }
}

static void test_dies_mid_call(void **state)
{
    static const enum spm_fault_policy policies[] = {SPM_POLICY_RESTART, SPM_POLICY_RESET};
    size_t i;

    (void)state;
    for (i = 0; i < 2; i++) {
        struct h *h = boot_cfg(config(policies[i]));
        int a = h_client_open(h, 100, UID_A);
        uint32_t echo = owner(SID_ECHO), test = owner(SID_STATELESS), s1, s2;
        int32_t idle = connect_to(h, a, SID_ECHO, 1), busy = connect_to(h, a, SID_ECHO, 1);
        size_t mark = h->n_fx;

        s1 = send_call(h, a, busy, 1, 4, 8);
        s2 = send_call(h, a, stateless(SID_STATELESS), 1, 4, 8);
        assert_int_equal(h->part[echo].n_pending, 1);
        assert_int_equal(h->part[test].n_pending, 1);
        h_part_die(h, echo, SIGSEGV);
        h_part_die(h, test, EXIT(3));
        h_settle(h);
        assert_int_equal(r_call(h, mark, a, s1), PSA_ERROR_COMMUNICATION_FAILURE);
        assert_int_equal(r_call(h, mark, a, s2), PSA_ERROR_COMMUNICATION_FAILURE);
        assert_int_equal(spm_core_started(h->c), 1);
        /* the connections died with the process: each call says so, and the
         * new process never hears of them */
        mark = h->n_fx;
        s1 = send_call(h, a, idle, 1, 4, 8);
        s2 = send_call(h, a, busy, 1, 4, 8);
        assert_int_equal(r_call(h, mark, a, s1), PSA_ERROR_COMMUNICATION_FAILURE);
        assert_int_equal(r_call(h, mark, a, s2), PSA_ERROR_COMMUNICATION_FAILURE);
        assert_int_equal(close_handle(h, a, idle), PSA_SUCCESS);
        assert_int_equal(close_handle(h, a, busy), PSA_SUCCESS);
        assert_int_equal(delivered_anywhere(h, mark), 0);
        /* stateless handles outlive the process */
        assert_int_equal(call_to(h, a, stateless(SID_STATELESS), 2, PSA_SUCCESS), PSA_SUCCESS);
        assert_int_equal(spm_core_n_conns(h->c), 0);
        done(h);
    }
}

/* ---- a client going away ---- */

static void test_client_gone_mid_call(void **state)
{
    struct h *h = boot();
    int a = h_client_open(h, 100, UID_A);
    uint32_t echo = owner(SID_ECHO);
    int32_t ha = connect_to(h, a, SID_ECHO, 1);
    size_t mark = h->n_fx;
    int k;

    (void)state;
    send_call(h, a, ha, 1, 4, 8);
    assert_int_equal(h->part[echo].n_pending, 1);
    h_client_gone(h, a);
    /* the partition holds the call: no DISCONNECT before its reply */
    assert_int_equal(h->part[echo].n_pending, 1);
    assert_int_equal(h_part_find(h, echo, PSA_IPC_DISCONNECT), -1);
    h_part_reply(h, echo, 0, PSA_SUCCESS, NULL);
    k = h_part_find(h, echo, PSA_IPC_DISCONNECT);
    assert_true(k >= 0);
    assert_int_equal(h->part[echo].pending[k].client_id, SPM_CLIENT_ID(UID_A));
    h_part_reply(h, echo, (size_t)k, PSA_SUCCESS, NULL);
    assert_int_equal(spm_core_n_conns(h->c), 0);
    assert_int_equal(kills(h, mark), 0);
    spm_core_reap(h->c);
    assert_int_equal(spm_core_n_clients(h->c), 0);
    done(h);
}

static void test_client_gone_other_states(void **state)
{
    struct h *h = boot();
    int a = h_client_open(h, 100, UID_A), b = h_client_open(h, 101, UID_A);
    int b2 = h_client_open(h, 101, UID_A);
    uint32_t echo = owner(SID_ECHO);
    int32_t hb;
    int k;

    (void)state;
    /* idle: DISCONNECT at once */
    connect_to(h, a, SID_ECHO, 1);
    h_client_gone(h, a);
    k = h_part_find(h, echo, PSA_IPC_DISCONNECT);
    assert_true(k >= 0);
    h_part_reply(h, echo, (size_t)k, PSA_SUCCESS, NULL);

    /* connecting: the connection it never learned of is closed once made */
    a = h_client_open(h, 102, UID_A);
    send_connect(h, a, SID_ECHO, 1);
    h_client_gone(h, a);
    k = h_part_find(h, echo, PSA_IPC_CONNECT);
    h_part_reply(h, echo, (size_t)k, PSA_SUCCESS, NULL);
    k = h_part_find(h, echo, PSA_IPC_DISCONNECT);
    assert_true(k >= 0);
    h_part_reply(h, echo, (size_t)k, PSA_SUCCESS, NULL);
    /* ... or nothing if the service refused it */
    a = h_client_open(h, 103, UID_A);
    send_connect(h, a, SID_ECHO, 1);
    h_client_gone(h, a);
    k = h_part_find(h, echo, PSA_IPC_CONNECT);
    h_part_reply(h, echo, (size_t)k, PSA_ERROR_CONNECTION_REFUSED, NULL);
    assert_int_equal(h->part[echo].n_pending, 0);
    assert_int_equal(spm_core_n_conns(h->c), 0);

    /* one socket of two: the process keeps its handles; the reply to the
     * call made on the gone socket goes nowhere */
    hb = connect_to(h, b, SID_ECHO, 1);
    send_call(h, b, hb, 1, 4, 8);
    h_client_gone(h, b);
    h_part_reply(h, echo, 0, PSA_SUCCESS, NULL);
    assert_int_equal(h->part[echo].n_pending, 0); /* no DISCONNECT */
    assert_int_equal(call_to(h, b2, hb, 2, PSA_SUCCESS), PSA_SUCCESS);
    /* a malformed datagram drops the socket, and with its last one the process */
    h_client_bad(h, b2);
    k = h_part_find(h, echo, PSA_IPC_DISCONNECT);
    assert_true(k >= 0);
    h_part_reply(h, echo, (size_t)k, PSA_SUCCESS, NULL);
    assert_int_equal(spm_core_n_conns(h->c), 0);
    assert_int_equal(kills(h, 0), 0);
    spm_core_reap(h->c);
    assert_int_equal(spm_core_n_clients(h->c), 0);
    done(h);
}

/* What a client may not send is fatal to its socket only. */
static void test_client_unpermitted(void **state)
{
    static const uint16_t types[] = {WIRE_P_HELLO, WIRE_P_REPLY, WIRE_R_CALL, WIRE_S_MSG,
                                     WIRE_C_BUFFER};
    struct h *h = boot();
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
        int cl = h_client_open(h, (pid_t)(200 + i), UID_A);
        struct wire_msg m = msg(types[i]);
        size_t mark = h->n_fx;

        if (types[i] == WIRE_C_BUFFER)
            m.u.buffer_req.size = 4096;
        if (types[i] == WIRE_P_HELLO)
            snprintf(m.u.hello.name, sizeof(m.u.hello.name), "%s", ECHO);
        h_client_request(h, cl, &m, -1, false);
        print_message("client sends %s\n", wire_type_name(types[i]));
        assert_non_null(h_find(h, mark, SPM_FX_DROP, h_client_peer(h, cl)));
        assert_int_equal(kills(h, mark), 0);
    }
    done(h);
}

/* ---- the regression: the old SPM's use-after-free ---- */

/* A client with an idle connection and a CONNECTING one to the same
 * partition; its socket is gone, then the partition dies. */
static void test_gone_then_partition_dies(void **state)
{
    static const struct {
        enum spm_fault_policy policy;
        bool second_socket; /* the process keeps another socket */
        bool answered;      /* the CONNECT is answered before the death */
    } rows[] = {
        {SPM_POLICY_RESTART, false, false}, {SPM_POLICY_RESET, false, false},
        {SPM_POLICY_RESTART, true, false},  {SPM_POLICY_RESET, true, false},
        {SPM_POLICY_RESTART, false, true},  {SPM_POLICY_RESET, true, true},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        struct h *h = boot_cfg(config(rows[i].policy));
        int a = h_client_open(h, 100, UID_A), a2 = -1;
        uint32_t test = owner(SID_STRICT);
        int32_t idle = connect_to(h, a, SID_STRICT, 2);
        int k;

        if (rows[i].second_socket)
            a2 = h_client_open(h, 100, UID_A);
        assert_true(idle > 0);
        send_connect(h, a, SID_RELAXED, 3);
        assert_int_equal(h->part[test].n_pending, 1);
        h_client_gone(h, a);
        if (rows[i].answered) {
            k = h_part_find(h, test, PSA_IPC_CONNECT);
            h_part_reply(h, test, (size_t)k, PSA_SUCCESS, NULL);
        }
        h_part_die(h, test, SIGSEGV);
        h_settle(h);
        assert_int_equal(spm_core_started(h->c), 1);
        if (a2 >= 0) {
            /* the process's idle connection died with the partition */
            size_t mark = h->n_fx;
            uint32_t seq = send_call(h, a2, idle, 1, 4, 8);

            assert_int_equal(r_call(h, mark, a2, seq), PSA_ERROR_COMMUNICATION_FAILURE);
            assert_int_equal(close_handle(h, a2, idle), PSA_SUCCESS);
            h_client_gone(h, a2);
        }
        spm_core_reap(h->c);
        assert_int_equal(spm_core_n_conns(h->c), 0);
        assert_int_equal(spm_core_n_clients(h->c), 0);
        /* and the daemon still serves */
        a = h_client_open(h, 101, UID_A);
        assert_true(connect_to(h, a, SID_STRICT, 2) > 0);
        done(h);
    }
}

/* ---- flow control ---- */

/* The types of the messages delivered to @p part since @p mark, in order. */
static size_t delivered_types(const struct h *h, size_t mark, uint32_t part, int32_t *out,
                              size_t cap)
{
    size_t i, n = 0;

    for (i = mark; i < h->n_fx && n < cap; i++) {
        const struct spm_effect *e = &h->fx[i].fx;

        if (e->type == SPM_FX_SEND && e->to.kind == SPM_PEER_PART && e->to.idx == part &&
            e->msg.type == WIRE_S_MSG)
            out[n++] = e->msg.u.deliver.type;
    }
    return n;
}

static void test_window_messages(void **state)
{
    struct spm_core_config cfg = config(SPM_POLICY_RESTART);
    struct h *h;
    uint32_t test = owner(SID_STATELESS), seq[6];
    int32_t types[8];
    int a, b;
    size_t mark, i, n;

    (void)state;
    cfg.window_msgs = 2;
    h = boot_cfg(cfg);
    a = h_client_open(h, 100, UID_A);
    b = h_client_open(h, 101, UID_B);
    mark = h->n_fx;
    for (i = 0; i < 6; i++)
        seq[i] = send_call(h, i % 2 ? b : a, stateless(SID_STATELESS), (int32_t)(i + 1), 4, 8);
    /* no more than the window in the partition; the rest wait in order */
    assert_int_equal(h->part[test].n_pending, 2);
    assert_int_equal(delivered(h, mark, test), 2);
    for (i = 0; i < 6; i++) {
        assert_true(h->part[test].n_pending >= 1);
        h_part_reply(h, test, 0, PSA_SUCCESS, NULL);
        assert_true(h->part[test].n_pending <= 2);
    }
    assert_int_equal(h->part[test].n_pending, 0);
    n = delivered_types(h, mark, test, types, 8);
    assert_int_equal(n, 6);
    for (i = 0; i < n; i++)
        assert_int_equal(types[i], (int32_t)(i + 1)); /* order per signal kept */
    for (i = 0; i < 6; i++)
        assert_int_equal(r_call(h, mark, i % 2 ? b : a, seq[i]), PSA_SUCCESS);
    assert_int_equal(kills(h, mark), 0);
    assert_int_equal(spm_core_n_inflight(h->c), 0);
    done(h);
}

static void test_window_bytes(void **state)
{
    struct spm_core_config cfg = config(SPM_POLICY_RESTART);
    struct h *h;
    uint32_t test = owner(SID_STATELESS), s1, s2, s3;
    int a;
    size_t mark;

    (void)state;
    cfg.window_bytes = 100;
    h = boot_cfg(cfg);
    a = h_client_open(h, 100, UID_A);
    mark = h->n_fx;
    /* a message larger than the window still goes when nothing is in flight */
    s1 = send_call(h, a, stateless(SID_STATELESS), 1, 150, 0);
    assert_int_equal(h->part[test].n_pending, 1);
    s2 = send_call(h, a, stateless(SID_STATELESS), 2, 60, 0);
    s3 = send_call(h, a, stateless(SID_STATELESS), 3, 60, 0);
    assert_int_equal(h->part[test].n_pending, 1);
    h_part_reply(h, test, 0, PSA_SUCCESS, NULL);
    assert_int_equal(h->part[test].n_pending, 1); /* 60 + 60 > 100 */
    assert_int_equal(h->part[test].pending[0].type, 2);
    /* it waited in the core: its input is the core's copy, intact */
    assert_memory_equal(last_delivery(h, mark, test)->in[0], pattern, 60);
    h_part_reply(h, test, 0, PSA_SUCCESS, NULL);
    assert_int_equal(h->part[test].n_pending, 1);
    assert_int_equal(h->part[test].pending[0].type, 3);
    h_part_reply(h, test, 0, PSA_SUCCESS, NULL);
    assert_int_equal(r_call(h, mark, a, s1), PSA_SUCCESS);
    assert_int_equal(r_call(h, mark, a, s2), PSA_SUCCESS);
    assert_int_equal(r_call(h, mark, a, s3), PSA_SUCCESS);
    done(h);
}

/* The first READ off for client @p cl at or after @p mark: its index, or -1. */
static long read_off_at(const struct h *h, size_t mark, int cl)
{
    size_t i;

    for (i = mark; i < h->n_fx; i++)
        if (h->fx[i].fx.type == SPM_FX_READ && !h->fx[i].fx.on &&
            h->fx[i].fx.to.idx == h->cl[cl].peer.idx && h->fx[i].fx.to.gen == h->cl[cl].peer.gen)
            return (long)i;
    return -1;
}

static void test_inflight_socket(void **state)
{
    struct spm_core_config cfg = config(SPM_POLICY_RESTART);
    struct h *h;
    uint32_t test = owner(SID_STATELESS), seq[5];
    int a, b;
    size_t mark, i, off_after = 0;

    (void)state;
    cfg.max_inflight_socket = 2;
    h = boot_cfg(cfg);
    a = h_client_open(h, 100, UID_A);
    b = h_client_open(h, 100, UID_A);
    mark = h->n_fx;
    /* the shell may have read a few past the bound already: all are served */
    for (i = 0; i < 5; i++) {
        seq[i] = send_call(h, a, stateless(SID_STATELESS), (int32_t)i, 4, 8);
        if (off_after == 0 && !h->cl[a].reading)
            off_after = i + 1;
    }
    print_message("READ off after request %zu (bound 2)\n", off_after);
    assert_true(off_after == 2 || off_after == 3);
    assert_false(h->cl[a].reading);
    /* another socket of the process has its own bound */
    assert_true(call_to(h, b, stateless(SID_STATELESS), 9, PSA_SUCCESS) == PSA_SUCCESS);
    assert_true(h->cl[b].reading);
    assert_int_equal(h->cl[b].read_offs, 0);
    while (h->part[test].n_pending > 0)
        h_part_reply(h, test, 0, PSA_SUCCESS, NULL);
    for (i = 0; i < 5; i++)
        assert_int_equal(r_call(h, mark, a, seq[i]), PSA_SUCCESS);
    assert_true(h->cl[a].reading);
    assert_int_equal(kills(h, mark), 0);
    done(h);
}

static void test_inflight_user(void **state)
{
    struct spm_core_config cfg = config(SPM_POLICY_RESTART);
    struct h *h;
    uint32_t test = owner(SID_STATELESS);
    int a, b, c;
    size_t mark;

    (void)state;
    cfg.max_inflight_user = 3;
    h = boot_cfg(cfg);
    a = h_client_open(h, 100, UID_A);
    b = h_client_open(h, 101, UID_A);
    c = h_client_open(h, 102, UID_B);
    mark = h->n_fx;
    send_call(h, a, stateless(SID_STATELESS), 1, 4, 8);
    send_call(h, a, stateless(SID_STATELESS), 2, 4, 8);
    send_call(h, b, stateless(SID_STATELESS), 3, 4, 8);
    send_call(h, b, stateless(SID_STATELESS), 4, 4, 8); /* the user's fourth */
    assert_false(h->cl[b].reading);
    send_call(h, a, stateless(SID_STATELESS), 5, 4, 8);
    assert_false(h->cl[a].reading);
    print_message("socket A off at effect %ld, B at %ld\n", read_off_at(h, mark, a),
                  read_off_at(h, mark, b));
    /* another user is not slowed */
    send_call(h, c, stateless(SID_STATELESS), 6, 4, 8);
    assert_true(h->cl[c].reading);
    while (h->part[test].n_pending > 0)
        h_part_reply(h, test, 0, PSA_SUCCESS, NULL);
    assert_true(h->cl[a].reading);
    assert_true(h->cl[b].reading);
    assert_int_equal(h->cl[a].r.n_req + h->cl[b].r.n_req + h->cl[c].r.n_req, 0);
    assert_int_equal(kills(h, mark), 0);
    done(h);
}

/* ---- large calls: the memfd ---- */

static void test_memfd(void **state)
{
    struct spm_core_config cfg = config(SPM_POLICY_RESTART);
    struct h *h;
    uint32_t test = owner(SID_STATELESS), seq;
    int a, fd, k;
    size_t mark;
    const struct h_fx *fx;

    (void)state;
    cfg.window_msgs = 1;
    h = boot_cfg(cfg);
    a = h_client_open(h, 100, UID_A);

    /* unfit (not sealed, too small...): an error, and the fd is closed */
    mark = h->n_fx;
    fd = h_fd(h);
    seq = send_memfd_call(h, a, stateless(SID_STATELESS), fd, false);
    assert_int_equal(r_call(h, mark, a, seq), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(fd_given_back(h, mark, fd), SPM_FX_CLOSE_FD);
    assert_int_equal(delivered_anywhere(h, mark), 0);

    /* on a bad handle */
    mark = h->n_fx;
    fd = h_fd(h);
    seq = send_memfd_call(h, a, 0x1234567, fd, true);
    assert_int_equal(r_call(h, mark, a, seq), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(fd_given_back(h, mark, fd), SPM_FX_CLOSE_FD);

    /* fit: passed on with the message */
    mark = h->n_fx;
    fd = h_fd(h);
    seq = send_memfd_call(h, a, stateless(SID_STATELESS), fd, true);
    fx = h_find(h, mark, SPM_FX_SEND, h_part_peer(h, test));
    assert_non_null(fx);
    assert_int_equal(fx->fx.msg.type, WIRE_S_MSG);
    assert_int_equal(fx->fx.fd, fd);
    assert_true(fx->fx.msg.u.deliver.flags & WIRE_CALL_MEMFD);
    assert_int_equal(fx->fx.msg.u.deliver.vecs.in_len[0], 200000);
    {
        uint32_t w[WIRE_MAX_IOVEC] = {70000};
        const struct wire_msg *r;

        h_part_reply(h, test, 0, PSA_SUCCESS, w);
        r = reply_to(h, mark, a, WIRE_R_CALL, seq);
        assert_int_equal(r->u.call_rep.status, PSA_SUCCESS);
        assert_true(r->u.call_rep.flags & WIRE_CALL_MEMFD);
        assert_int_equal(r->u.call_rep.written[0], 70000);
    }

    /* waiting behind the window when the partition dies, or at STOP */
    mark = h->n_fx;
    send_call(h, a, stateless(SID_STATELESS), 1, 4, 8);
    fd = h_fd(h);
    send_memfd_call(h, a, stateless(SID_STATELESS), fd, true);
    assert_int_equal(fd_given_back(h, mark, fd), SPM_FX_LOG);
    h_part_die(h, test, SIGKILL);
    h_settle(h);
    assert_int_not_equal(fd_given_back(h, mark, fd), SPM_FX_LOG);
    send_call(h, a, stateless(SID_STATELESS), 1, 4, 8);
    fd = h_fd(h);
    send_memfd_call(h, a, stateless(SID_STATELESS), fd, true);
    /* a stray descriptor with a request that takes none */
    {
        struct wire_msg m = msg(WIRE_C_VERSION);

        m.u.version_req.sid = SID_ECHO;
        k = h_fd(h);
        mark = h->n_fx;
        h_client_request(h, a, &m, k, false);
        assert_int_equal(fd_given_back(h, mark, k), SPM_FX_CLOSE_FD);
    }
    done(h); /* every descriptor back after STOP */
}

/* ---- the watchdog ---- */

/* Ticks to time @p t; a partition silent on a message for the call timeout
 * is hung: whether the core kills at the timeout or 1 ms past it, it must
 * by then, and not a millisecond before. */
static void tick_to(struct h *h, long t)
{
    tick(h, t - h->now);
}

static void watchdog_due(struct h *h, size_t mark, uint32_t part, long since, long timeout)
{
    tick_to(h, since + timeout - 1);
    assert_false(killed(h, mark, part));
    tick_to(h, since + timeout);
    if (!killed(h, mark, part))
        tick_to(h, since + timeout + 1);
    assert_true(killed(h, mark, part));
}

static void test_watchdog(void **state)
{
    struct spm_core_config cfg = config(SPM_POLICY_RESTART);
    struct h *h;
    uint32_t echo = owner(SID_ECHO), custom = owner(SID_CUSTOM), test = owner(SID_STATELESS);
    int a, b, c;
    int32_t he, hc;
    size_t mark;
    uint32_t s1, s2;
    long d, t0, t1;

    (void)state;
    cfg.call_timeout_ms = 1000;
    h = boot_cfg(cfg);
    a = h_client_open(h, 100, UID_A);
    b = h_client_open(h, 101, UID_A);
    c = h_client_open(h, 102, UID_B);
    he = connect_to(h, a, SID_ECHO, 1);
    hc = connect_to(h, c, SID_CUSTOM, 1);
    assert_int_equal(spm_core_next_deadline(h->c, h->now), -1);
    mark = h->n_fx;
    t0 = h->now;
    s1 = send_call(h, a, he, 1, 4, 8); /* echo stays silent */
    d = spm_core_next_deadline(h->c, h->now);
    assert_true(d > 0 && d <= 1000);
    tick(h, 500);
    assert_int_equal(call_to(h, b, stateless(SID_STATELESS), 1, PSA_SUCCESS), PSA_SUCCESS);
    tick(h, 400);
    t1 = h->now;
    s2 = send_call(h, c, hc, 1, 4, 8); /* custom silent too, from t0 + 900 */
    watchdog_due(h, mark, echo, t0, 1000);
    assert_false(killed(h, mark, custom));
    assert_false(killed(h, mark, test));
    assert_int_equal(kills(h, mark), 1);
    h_settle(h);
    assert_int_equal(r_call(h, mark, a, s1), PSA_ERROR_COMMUNICATION_FAILURE);
    assert_true(h_client_waits(h, c, s2));
    d = spm_core_next_deadline(h->c, h->now);
    assert_true(d >= 0 && d <= t1 + 1000 - h->now + 1);
    watchdog_due(h, mark, custom, t1, 1000);
    h_settle(h);
    assert_int_equal(r_call(h, mark, c, s2), PSA_ERROR_COMMUNICATION_FAILURE);
    assert_int_equal(spm_core_started(h->c), 1);
    done(h);

    /* no timeout: no watchdog */
    cfg.call_timeout_ms = 0;
    h = boot_cfg(cfg);
    a = h_client_open(h, 100, UID_A);
    mark = h->n_fx;
    send_call(h, a, stateless(SID_STATELESS), 1, 4, 8);
    assert_int_equal(spm_core_next_deadline(h->c, h->now), -1);
    tick(h, 1000L * 1000 * 1000);
    assert_int_equal(kills(h, mark), 0);
    done(h);
}

/* A partition working through a queue is not hung while it answers: time
 * counts from its last answer, so a client flooding it cannot get it killed. */
static void test_watchdog_progress(void **state)
{
    struct spm_core_config cfg = config(SPM_POLICY_RESTART);
    struct h *h;
    uint32_t test = owner(SID_STATELESS), seq[6];
    int a;
    size_t mark, i;

    (void)state;
    cfg.call_timeout_ms = 1000;
    cfg.window_msgs = 2;
    h = boot_cfg(cfg);
    a = h_client_open(h, 100, UID_A);
    mark = h->n_fx;
    for (i = 0; i < 6; i++)
        seq[i] = send_call(h, a, stateless(SID_STATELESS), (int32_t)i, 4, 8);
    for (i = 0; i < 6; i++) {
        tick(h, 900);
        assert_int_equal(kills(h, mark), 0);
        h_part_reply(h, test, 0, PSA_SUCCESS, NULL);
    }
    for (i = 0; i < 6; i++)
        assert_int_equal(r_call(h, mark, a, seq[i]), PSA_SUCCESS);
    /* and silence after the last answer is still a hang */
    seq[0] = send_call(h, a, stateless(SID_STATELESS), 7, 4, 8);
    watchdog_due(h, mark, test, h->now, 1000);
    h_settle(h);
    assert_int_equal(r_call(h, mark, a, seq[0]), PSA_ERROR_COMMUNICATION_FAILURE);
    done(h);
}

/* ---- the fault policies ---- */

static void test_restart_policy(void **state)
{
    struct h *h = boot_cfg(config(SPM_POLICY_RESTART));
    uint32_t echo = owner(SID_ECHO), gen = h->part[echo].gen;
    size_t mark = h->n_fx, i;

    (void)state;
    h_part_die(h, echo, EXIT(1));
    assert_int_equal(kills_of_others(h, mark, echo), 0);
    assert_int_equal(h_count(h, mark, SPM_FX_SPAWN, h_any()), 1);
    assert_int_equal(h_find(h, mark, SPM_FX_SPAWN, h_any())->fx.part, echo);
    h_settle(h);
    assert_int_equal(spm_core_started(h->c), 1);
    assert_int_not_equal(h->part[echo].gen, gen);
    for (i = 0; i < h->n_parts; i++)
        assert_int_equal(h->part[i].spawns, 1 + (i == echo));
    done(h);
}

static void test_reset_policy(void **state)
{
    struct h *h = boot_cfg(config(SPM_POLICY_RESET));
    uint32_t echo = owner(SID_ECHO);
    size_t mark = h->n_fx, i;
    int a = h_client_open(h, 100, UID_A);
    uint32_t seq;

    (void)state;
    seq = send_call(h, a, stateless(SID_STATELESS), 1, 4, 8);
    h_part_die(h, echo, EXIT(1));
    /* the board's devices are reset with the system */
    assert_int_equal(h_count(h, mark, SPM_FX_BOARD_RESET, h_any()), 1);
    /* every other partition is killed; none starts before all are reaped */
    for (i = 0; i < h->n_parts; i++)
        if (i != echo)
            assert_true(killed(h, mark, (uint32_t)i));
    assert_int_equal(kills_of_others(h, mark, echo), h->n_parts - 1);
    for (i = 0; i < h->n_parts; i++) {
        assert_int_equal(h_count(h, mark, SPM_FX_SPAWN, h_any()), 0);
        if (i != echo)
            h_part_die(h, (uint32_t)i, SIGKILL);
    }
    assert_int_equal(h_count(h, mark, SPM_FX_SPAWN, h_any()), h->n_parts);
    assert_int_equal(r_call(h, mark, a, seq), PSA_ERROR_COMMUNICATION_FAILURE);
    h_settle(h);
    assert_int_equal(spm_core_started(h->c), 1);
    assert_int_equal(call_to(h, a, stateless(SID_STATELESS), 2, PSA_SUCCESS), PSA_SUCCESS);
    done(h);
}

/* Past the reset limit every partition is out of service: the live ones
 * are left idle, their callers answered at once, and what they say later
 * (a late reply, a log line) never gets them killed. */
static void test_reset_limit(void **state)
{
    struct spm_core_config cfg = config(SPM_POLICY_RESET);
    struct h *h;
    uint32_t echo = owner(SID_ECHO), test;
    struct wire_msg m;
    size_t mark, i;
    int a, k;
    uint32_t seq;

    (void)state;
    cfg.max_resets = 1;
    h = boot_cfg(cfg);
    test = P(h, TEST);
    a = h_client_open(h, 100, UID_A);
    /* one reset is allowed */
    h_part_die(h, echo, EXIT(1));
    for (i = 0; i < h->n_parts; i++)
        if (i != echo)
            h_part_die(h, (uint32_t)i, SIGKILL);
    h_settle(h);
    assert_int_equal(spm_core_started(h->c), 1);
    /* a call in flight to the test partition when echo faults again */
    mark = h->n_fx;
    seq = send_call(h, a, stateless(SID_STATELESS), 1, 4, 8);
    k = h_part_find(h, test, 1);
    assert_true(k >= 0);
    h_part_die(h, echo, EXIT(1));
    assert_int_equal(kills_of_others(h, mark, echo), 0); /* nobody is reset: out of service */
    assert_int_equal(r_call(h, mark, a, seq), PSA_ERROR_COMMUNICATION_FAILURE);
    for (i = 0; i < h->n_parts; i++)
        assert_int_equal(spm_core_part_state(h->c, (uint32_t)i), SPM_PART_FAILED);
    /* the test partition, idle, answers late and logs: ignored, not killed */
    mark = h->n_fx;
    h_part_reply(h, test, (size_t)k, PSA_SUCCESS, NULL);
    m = msg(WIRE_P_LOG);
    m.u.text.level = 2;
    snprintf(m.u.text.text, sizeof(m.u.text.text), "still here");
    h_part_send(h, test, &m, -1, false);
    assert_int_equal(kills(h, mark), 0);
    assert_int_equal(h_count(h, mark, SPM_FX_SPAWN, h_any()), 0);
    /* a system reset (the board's) is a reboot all the same: the idle
     * processes go with it and every partition starts again (the fuzzer
     * found the reset left unfinished, and calls waiting on it unanswered) */
    {
        struct spm_event ev = {.type = SPM_EV_SYSTEM_RESET, .why = "test: board watchdog"};

        h_step(h, &ev, NULL, true);
        for (i = 0; i < h->n_parts; i++)
            if (h->part[i].pid != 0)
                h_part_die(h, (uint32_t)i, SIGKILL);
        h_settle(h);
        assert_int_equal(spm_core_started(h->c), 1);
        assert_int_equal(call_to(h, a, stateless(SID_STATELESS), 2, PSA_SUCCESS), PSA_SUCCESS);
    }
    done(h);
}

/* A system reset a PSA-ROT partition asks for: the calls it was serving are
 * answered once every partition runs again. */
static void test_system_reset(void **state)
{
    struct h *h = boot_cfg(config(SPM_POLICY_RESTART));
    uint32_t mmio = P(h, MMIO);
    int a = h_client_open(h, 100, UID_A);
    struct wire_msg m = msg(WIRE_P_RESET);
    size_t mark = h->n_fx;
    uint32_t seq;

    (void)state;
    seq = send_call(h, a, stateless(0xF600), 1, 4, 8);
    assert_int_equal(h->part[mmio].n_pending, 1);
    m.u.reset.syndrome = 0x10;
    m.u.reset.n_calls = 1;
    m.u.reset.calls[0] = h->part[mmio].pending[0].id;
    h_part_send(h, mmio, &m, -1, false);
    h_settle(h);
    tick(h, 1);
    assert_int_equal(spm_core_started(h->c), 1);
    assert_int_equal(r_call(h, mark, a, seq), PSA_SUCCESS);
    assert_int_equal(h_count(h, mark, SPM_FX_SPAWN, h_any()), h->n_parts);
    assert_int_equal(h_count(h, mark, SPM_FX_BOARD_RESET, h_any()), 1);
    done(h);
}

/* A reset whose partitions are not all back within the call timeout: the
 * calls that asked for it are answered anyway. */
static void test_system_reset_timeout(void **state)
{
    struct spm_core_config cfg = config(SPM_POLICY_RESTART);
    struct h *h;
    uint32_t mmio, echo = owner(SID_ECHO);
    struct wire_msg m = msg(WIRE_P_RESET);
    size_t mark, i;
    uint32_t seq;
    int a;

    (void)state;
    cfg.call_timeout_ms = 1000;
    h = boot_cfg(cfg);
    mmio = P(h, MMIO);
    a = h_client_open(h, 100, UID_A);
    mark = h->n_fx;
    seq = send_call(h, a, stateless(0xF600), 1, 4, 8);
    m.u.reset.n_calls = 1;
    m.u.reset.calls[0] = h->part[mmio].pending[0].id;
    h_part_send(h, mmio, &m, -1, false);
    /* every process is reaped and started again but echo's, which hangs in its start */
    for (i = 0; i < h->n_parts; i++)
        if (h->part[i].pid != 0)
            h_part_die(h, (uint32_t)i, SIGKILL);
    for (i = 0; i < h->n_parts; i++) {
        h_part_spawned(h, (uint32_t)i);
        if (i != echo) {
            h_part_hello(h, (uint32_t)i);
            h_part_ready(h, (uint32_t)i);
        }
    }
    tick(h, 999);
    assert_true(h_client_waits(h, a, seq));
    tick(h, 1);
    assert_int_equal(r_call(h, mark, a, seq), PSA_SUCCESS);
    done(h);
}

/* STOP while a partition's restart is being spawned: the process that
 * still appears must be stopped too (h_finish checks it is told or killed). */
static void test_stop_while_spawning(void **state)
{
    struct h *h = boot_cfg(config(SPM_POLICY_RESTART));
    uint32_t echo = owner(SID_ECHO);

    (void)state;
    h_part_die(h, echo, EXIT(1));
    assert_true(h->part[echo].spawn_wanted);
    done(h);
}

/* Partitions still talk between STOP and their exit: one answering the
 * message it holds does nothing wrong, and nothing new reaches a partition
 * told to stop. */
static void test_stop_mid_call(void **state)
{
    struct spm_core_config cfg = config(SPM_POLICY_RESTART);
    struct h *h;
    uint32_t echo = owner(SID_ECHO), test, peer;
    struct spm_event ev = {.type = SPM_EV_STOP};
    int a;
    size_t mark;

    (void)state;
    cfg.window_msgs = 1;
    h = boot_cfg(cfg);
    test = P(h, TEST);
    peer = P(h, PEER);
    a = h_client_open(h, 100, UID_A);
    send_call(h, a, connect_to(h, a, SID_ECHO, 1), 1, 4, 8);
    part_connect(h, test, SID_PEER, 1);
    assert_int_equal(h->part[echo].n_pending, 1);
    assert_int_equal(h->part[peer].n_pending, 1);
    mark = h->n_fx;
    h_step(h, &ev, NULL, true);
    h_part_reply(h, echo, 0, PSA_SUCCESS, NULL);
    part_connect(h, test, SID_PEER, 1);
    assert_int_equal(kills(h, mark), 0);
    assert_int_equal(delivered_anywhere(h, mark), 0);
    done(h);
}

/* A reset while a partition's restart is being spawned asks for no second
 * process for it. */
static void test_reset_while_spawning(void **state)
{
    struct h *h = boot_cfg(config(SPM_POLICY_RESTART));
    uint32_t echo = owner(SID_ECHO);
    struct spm_event ev = {.type = SPM_EV_SYSTEM_RESET, .why = "test: board watchdog"};

    (void)state;
    h_part_die(h, echo, EXIT(1));
    assert_true(h->part[echo].spawn_wanted);
    h_step(h, &ev, NULL, true); /* the harness fails a second SPAWN of echo */
    h_settle(h);
    assert_int_equal(spm_core_started(h->c), 1);
    done(h);
}

/* A fault while partitions are still being spawned: the processes that
 * appear during the reset go with it, and the reset ends. */
static void test_reset_while_starting(void **state)
{
    struct spm_core_config cfg = config(SPM_POLICY_RESET);
    struct h *h = calloc(1, sizeof(*h));
    struct spm_event ev = {.type = SPM_EV_START};
    uint32_t echo = owner(SID_ECHO), custom = owner(SID_CUSTOM);
    size_t i;

    (void)state;
    assert_non_null(h);
    assert_true(h_init(h, sys, plat, &cfg));
    h->keep_log = true;
    h_step(h, &ev, NULL, true);
    h_part_spawned(h, echo);
    h_part_spawned(h, custom);
    h_part_hello(h, echo);
    h_part_hello(h, custom);
    h_part_ready(h, echo);
    h_part_ready(h, custom);
    h_part_die(h, echo, EXIT(1));
    assert_true(h->part[custom].killed);
    /* the others' processes appear before the killed one is reaped */
    for (i = 0; i < h->n_parts; i++)
        if (h->part[i].spawn_wanted)
            h_part_spawned(h, (uint32_t)i);
    h_settle(h);
    assert_int_equal(spm_core_started(h->c), 1);
    done(h);
}

/* ---- client sockets and interrupt lines ---- */

static void test_client_open_limits(void **state)
{
    struct spm_core_config cfg = config(SPM_POLICY_RESTART);
    struct h *h;
    struct spm_peer p;
    int a;

    (void)state;
    cfg.max_sockets_user = 2;
    h = boot_cfg(cfg);
    a = h_client_open(h, 100, UID_A);
    assert_true(a >= 0);
    assert_true(h_client_open(h, 101, UID_A) >= 0);
    assert_int_equal(h_client_open(h, 102, UID_A), -1);
    assert_true(h_client_open(h, 103, UID_B) >= 0);
    h_client_gone(h, a);
    spm_core_reap(h->c);
    assert_true(h_client_open(h, 102, UID_A) >= 0);
    /* a uid whose client id would not be negative */
    assert_int_equal(spm_core_client_open(h->c, h->now, 104, (uid_t)INT32_MAX + 1, &p), -1);
    spm_core_clear(h->c);
    done(h);
}

static void test_client_irq(void **state)
{
    static const struct {
        uid_t uid;
        const char *source;
        int32_t want;
    } rows[] = {
        {4242, "PARTIX_TEST_SPARE_IRQ", PSA_SUCCESS},
        {0, "PARTIX_TEST_SPARE_IRQ", PSA_SUCCESS},
        {4242, "NO_SUCH_IRQ", PSA_ERROR_DOES_NOT_EXIST},
        {UID_A, "PARTIX_TEST_SPARE_IRQ", PSA_ERROR_NOT_PERMITTED},
    };
    struct h *h = boot();
    size_t i;

    (void)state;
    assert_true(platform_line("PARTIX_TEST_SPARE_IRQ") >= 0);
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        int cl = h_client_open(h, (pid_t)(300 + i), rows[i].uid);
        struct wire_msg m = msg(WIRE_C_IRQ);
        size_t mark = h->n_fx;
        uint32_t seq;

        snprintf(m.u.irq_req.source, sizeof(m.u.irq_req.source), "%s", rows[i].source);
        m.u.irq_req.level = 1;
        seq = h_client_request(h, cl, &m, -1, false);
        assert_int_equal(reply_to(h, mark, cl, WIRE_R_IRQ, seq)->u.status_rep.status, rows[i].want);
    }
    done(h);
}

/* ---- the direct data path (issue 13): connections of Linux clients ---- */

static struct h *boot_direct(long call_timeout_ms)
{
    struct spm_core_config cfg = config(SPM_POLICY_RESTART);

    cfg.direct = true;
    cfg.call_timeout_ms = call_timeout_ms;
    return boot_cfg(cfg);
}

static int32_t stall(struct h *h, int cl, int32_t handle)
{
    struct wire_msg m = msg(WIRE_C_STALL);
    size_t mark = h->n_fx;
    uint32_t seq;

    m.u.stall_req.handle = handle;
    seq = h_client_request(h, cl, &m, -1, false);
    return reply_to(h, mark, cl, WIRE_R_STALL, seq)->u.status_rep.status;
}

static void progress(struct h *h, uint32_t part, uint32_t taken, uint32_t answered, bool calling)
{
    struct spm_event ev = {.type = SPM_EV_PART_PROGRESS, .fd = -1};

    ev.from = h_part_peer(h, part);
    ev.taken = taken;
    ev.answered = answered;
    ev.calling = calling;
    h_step(h, &ev, NULL, true);
}

static void test_direct_connect(void **state)
{
    struct h *h = boot_direct(60000);
    int a = h_client_open(h, 100, UID_A);
    size_t mark = h->n_fx, i, at_open = 0, at_reply = 0;
    int32_t ha = connect_to(h, a, SID_ECHO, 1);
    uint32_t token = ((uint32_t)ha & 0xffffu) - 1u;
    const struct h_fx *e;

    (void)state;
    e = h_find(h, mark, SPM_FX_CHAN_OPEN, h_part_peer(h, owner(SID_ECHO)));
    assert_non_null(e);
    assert_int_equal(e->fx.msg.u.chan.token, token);
    assert_int_equal(e->fx.msg.u.chan.handle, ha);
    assert_int_equal(e->fx.msg.u.chan.client_id, SPM_CLIENT_ID(UID_A)); /* bound here */
    /* the partition gets the area before the client gets the handle, which
     * hands the client its side */
    for (i = mark; i < h->n_fx; i++) {
        const struct spm_effect *f = &h->fx[i].fx;

        if (f->type == SPM_FX_CHAN_OPEN)
            at_open = i;
        if (f->type == SPM_FX_SEND && f->msg.type == WIRE_R_CONNECT) {
            at_reply = i;
            assert_int_equal(f->conn, token + 1);
        }
    }
    assert_true(at_open > 0 && at_reply > at_open);
    /* a stall on it: psa-spm knows it, and looks at the partition */
    mark = h->n_fx;
    assert_int_equal(stall(h, a, ha), PSA_SUCCESS);
    assert_non_null(h_find(h, mark, SPM_FX_WATCH, h_part_peer(h, owner(SID_ECHO))));
    /* on a handle it does not know (of another psa-spm): the call is over */
    mark = h->n_fx;
    assert_int_equal(stall(h, a, ha + 1000), PSA_ERROR_PROGRAMMER_ERROR);
    assert_int_equal(h_count(h, mark, SPM_FX_WATCH, (struct spm_peer){0}), 0);
    /* a routed call on it still works; closing it lets the area go */
    assert_int_equal(call_to(h, a, ha, 0, PSA_SUCCESS), PSA_SUCCESS);
    mark = h->n_fx;
    assert_int_equal(close_handle(h, a, ha), PSA_SUCCESS);
    e = h_find(h, mark, SPM_FX_CHAN_CLOSE, (struct spm_peer){0});
    assert_non_null(e);
    assert_int_equal(e->fx.conn, token);
    done(h);
}

static void test_direct_off(void **state)
{
    struct h *h = boot(); /* the direct path off */
    int a = h_client_open(h, 100, UID_A);
    size_t mark = h->n_fx;
    int32_t ha = connect_to(h, a, SID_ECHO, 1);

    (void)state;
    assert_int_equal(h_count(h, mark, SPM_FX_CHAN_OPEN, (struct spm_peer){0}), 0);
    assert_int_equal(call_to(h, a, ha, 0, PSA_SUCCESS), PSA_SUCCESS);
    assert_int_equal(close_handle(h, a, ha), PSA_SUCCESS);
    done(h);
}

static void test_direct_partition_dies(void **state)
{
    struct h *h = boot_direct(60000);
    int a = h_client_open(h, 100, UID_A);
    int32_t ha = connect_to(h, a, SID_ECHO, 1);
    size_t mark = h->n_fx;
    const struct h_fx *e;

    (void)state;
    h_part_die(h, owner(SID_ECHO), 9); /* SIGKILL */
    e = h_find(h, mark, SPM_FX_CHAN_FAIL, (struct spm_peer){0});
    assert_non_null(e);
    assert_int_equal(e->fx.conn, ((uint32_t)ha & 0xffffu) - 1u);
    assert_int_equal(e->fx.status, PSA_ERROR_COMMUNICATION_FAILURE);
    assert_int_equal(stall(h, a, ha), PSA_ERROR_COMMUNICATION_FAILURE);
    assert_int_equal(close_handle(h, a, ha), PSA_SUCCESS);
    done(h);
}

static void test_direct_watchdog(void **state)
{
    struct h *h = boot_direct(1000);
    uint32_t echo = owner(SID_ECHO);
    size_t mark = h->n_fx;

    (void)state;
    /* owed, answering: never hung */
    progress(h, echo, 1, 0, false);
    h->now += 900;
    progress(h, echo, 2, 1, false);
    h->now += 900;
    progress(h, echo, 3, 2, false);
    /* owed, waiting on a call of its own: not its fault */
    h->now += 5000;
    progress(h, echo, 3, 2, true);
    /* nothing owed */
    h->now += 5000;
    progress(h, echo, 3, 3, false);
    assert_int_equal(kills(h, mark), 0);
    /* owed and silent for the call timeout since first seen owing: hung */
    progress(h, echo, 4, 3, false);
    h->now += 999;
    progress(h, echo, 4, 3, false);
    assert_int_equal(kills(h, mark), 0);
    h->now += 1;
    progress(h, echo, 4, 3, false);
    assert_int_equal(kills(h, mark), 1);
    done(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_policy),
        cmocka_unit_test(test_connect_policy),
        cmocka_unit_test(test_call_handles),
        cmocka_unit_test(test_call_busy),
        cmocka_unit_test(test_rhandle),
        cmocka_unit_test(test_close),
        cmocka_unit_test(test_close_waits_for_the_service),
        cmocka_unit_test(test_programmer_error_terminates),
        cmocka_unit_test(test_secure_caller_programmer_error),
        cmocka_unit_test(test_secure_caller_ok),
        cmocka_unit_test(test_secure_caller_panics),
        cmocka_unit_test(test_secure_caller_inflight),
        cmocka_unit_test(test_partition_faults),
        cmocka_unit_test(test_partition_ok),
        cmocka_unit_test(test_hello_mismatch),
        cmocka_unit_test(test_connection_limit),
        cmocka_unit_test(test_dies_mid_connect),
        cmocka_unit_test(test_dies_mid_call),
        cmocka_unit_test(test_client_gone_mid_call),
        cmocka_unit_test(test_client_gone_other_states),
        cmocka_unit_test(test_client_unpermitted),
        cmocka_unit_test(test_gone_then_partition_dies),
        cmocka_unit_test(test_window_messages),
        cmocka_unit_test(test_window_bytes),
        cmocka_unit_test(test_inflight_socket),
        cmocka_unit_test(test_inflight_user),
        cmocka_unit_test(test_memfd),
        cmocka_unit_test(test_watchdog),
        cmocka_unit_test(test_watchdog_progress),
        cmocka_unit_test(test_restart_policy),
        cmocka_unit_test(test_reset_policy),
        cmocka_unit_test(test_reset_limit),
        cmocka_unit_test(test_system_reset),
        cmocka_unit_test(test_system_reset_timeout),
        cmocka_unit_test(test_stop_while_spawning),
        cmocka_unit_test(test_stop_mid_call),
        cmocka_unit_test(test_reset_while_spawning),
        cmocka_unit_test(test_reset_while_starting),
        cmocka_unit_test(test_client_open_limits),
        cmocka_unit_test(test_client_irq),
        cmocka_unit_test(test_direct_connect),
        cmocka_unit_test(test_direct_off),
        cmocka_unit_test(test_direct_partition_dies),
        cmocka_unit_test(test_direct_watchdog),
    };

    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
