/*
 * test_wire.c - the codec (src/common/wire.c).  Every message type goes
 * through wire_encode(), the kernel's view of the frame (its iovecs
 * flattened into one datagram) and wire_decode(), and comes back field for
 * field and byte for byte.  Every truncation of each encoding, a trailing
 * byte, another protocol version and unknown types are refused; so is each
 * range rule, both by the decoder (from datagrams written here byte by
 * byte: they pin the wire format too) and by the encoder (from structs).
 * Then the datagram I/O's passed descriptors, and the stateless handles.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "wire.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* Payload buffers the samples point at. */
static uint8_t pay_a[300], pay_b[4000], pay_c[17], pay_big[WIRE_INLINE_MAX + 1];

static const uint16_t all_types[] = {
    WIRE_C_VERSION,  WIRE_C_CONNECT, WIRE_C_CALL,  WIRE_C_CLOSE,  WIRE_C_IRQ,    WIRE_C_BUFFER,
    WIRE_R_VERSION,  WIRE_R_CONNECT, WIRE_R_CALL,  WIRE_R_CLOSE,  WIRE_R_IRQ,    WIRE_R_BUFFER,
    WIRE_P_HELLO,    WIRE_P_READY,   WIRE_P_REPLY, WIRE_P_PANIC,  WIRE_P_LOG,    WIRE_P_VIOLATION,
    WIRE_P_NOTIFY,   WIRE_P_IRQ,     WIRE_P_MMIO,  WIRE_P_RESET,  WIRE_S_CONFIG, WIRE_S_MSG,
    WIRE_S_DOORBELL, WIRE_S_STOP,    WIRE_S_IRQ,   WIRE_S_REGION,
};

/* ---- samples: every type, the largest counts and strings, payloads ---- */

#define MAX_SAMPLES 48
static struct wire_msg samples[MAX_SAMPLES];
static size_t n_samples;

static struct wire_msg *add(uint16_t type)
{
    struct wire_msg *m = &samples[n_samples++];

    assert_true(n_samples <= MAX_SAMPLES);
    memset(m, 0, sizeof(*m));
    m->type = type;
    m->seq = 0x01020304u + (uint32_t)n_samples * 0x11111111u;
    return m;
}

static void fill(char *s, size_t n, char c)
{
    memset(s, c, n);
    s[n] = '\0';
}

static void make_samples(void)
{
    struct wire_msg *m;
    size_t i;

    for (i = 0; i < sizeof(pay_a); i++)
        pay_a[i] = (uint8_t)(i * 7 + 1);
    for (i = 0; i < sizeof(pay_b); i++)
        pay_b[i] = (uint8_t)(i * 13 + 5);
    for (i = 0; i < sizeof(pay_c); i++)
        pay_c[i] = (uint8_t)(0xf0 + i);
    for (i = 0; i < sizeof(pay_big); i++)
        pay_big[i] = (uint8_t)(i ^ (i >> 8));
    n_samples = 0;

    add(WIRE_C_VERSION)->u.version_req.sid = 0x80;
    m = add(WIRE_C_CONNECT);
    m->u.connect_req.sid = 0xffffffffu;
    m->u.connect_req.version = 7;
    /* a call with inline inputs, one empty, and an output */
    m = add(WIRE_C_CALL);
    m->u.call_req.handle = 0x40000100;
    m->u.call_req.type = 0x7fff;
    m->u.call_req.vecs = (struct wire_vecs){3, 1, {sizeof(pay_a), 0, sizeof(pay_b)}, {40000}};
    m->u.call_req.in[0] = pay_a;
    m->u.call_req.in[1] = pay_c; /* 0 bytes of it */
    m->u.call_req.in[2] = pay_b;
    /* a large call: lengths only */
    m = add(WIRE_C_CALL);
    m->u.call_req.handle = -5;
    m->u.call_req.flags = WIRE_CALL_MEMFD;
    m->u.call_req.vecs =
        (struct wire_vecs){2, 2, {1u << 20, 5}, {WIRE_MAX_PAYLOAD - (1u << 20) - 6, 1}};
    /* the most inline input a call may carry */
    m = add(WIRE_C_CALL);
    m->u.call_req.handle = 3;
    m->u.call_req.vecs = (struct wire_vecs){1, 0, {WIRE_INLINE_MAX}, {0}};
    m->u.call_req.in[0] = pay_big;
    add(WIRE_C_CLOSE)->u.close_req.handle = INT32_MIN;
    m = add(WIRE_C_IRQ);
    fill(m->u.irq_req.source, WIRE_MAX_NAME - 1, 's');
    m->u.irq_req.level = 1;
    add(WIRE_C_IRQ); /* an empty name, level 0 */
    add(WIRE_C_BUFFER)->u.buffer_req.size = 1;
    add(WIRE_C_BUFFER)->u.buffer_req.size = WIRE_MAX_PAYLOAD;

    add(WIRE_R_VERSION)->u.version_rep.version = 0xdeadbeefu;
    add(WIRE_R_CONNECT)->u.connect_rep.result = -130;
    m = add(WIRE_R_CALL);
    m->u.call_rep.status = -138;
    m->u.call_rep.n_out = 3;
    m->u.call_rep.written[0] = sizeof(pay_c);
    m->u.call_rep.written[2] = sizeof(pay_a);
    m->u.call_rep.out[0] = pay_c;
    m->u.call_rep.out[2] = pay_a;
    m = add(WIRE_R_CALL);
    m->u.call_rep.flags = WIRE_CALL_MEMFD;
    m->u.call_rep.n_out = 4;
    m->u.call_rep.written[0] = WIRE_MAX_PAYLOAD / 2;
    m->u.call_rep.written[3] = WIRE_MAX_PAYLOAD / 2;
    m = add(WIRE_R_CALL); /* the most inline output a reply may carry */
    m->u.call_rep.n_out = 1;
    m->u.call_rep.written[0] = WIRE_INLINE_MAX;
    m->u.call_rep.out[0] = pay_big;
    add(WIRE_R_CALL)->u.call_rep.status = -145; /* never reached a service */
    add(WIRE_R_CLOSE)->u.status_rep.status = -129;
    add(WIRE_R_IRQ)->u.status_rep.status = -140;
    add(WIRE_R_BUFFER)->u.status_rep.status = 0;

    m = add(WIRE_P_HELLO);
    fill(m->u.hello.name, WIRE_MAX_NAME - 1, 'n');
    m->u.hello.n_services = WIRE_MAX_SERVICES;
    for (i = 0; i < WIRE_MAX_SERVICES; i++) {
        m->u.hello.services[i].sid = 0x100 + (uint32_t)i;
        m->u.hello.services[i].signal = 1u << (i % 32);
    }
    m->u.hello.n_irqs = WIRE_MAX_IRQS;
    for (i = 0; i < WIRE_MAX_IRQS; i++) {
        m->u.hello.irqs[i].signal = 1u << (31 - i);
        m->u.hello.irqs[i].flih = (uint8_t)(i & 1);
    }
    m = add(WIRE_P_HELLO);
    strcpy(m->u.hello.name, "TFM_SP_ECHO_SERVICE");
    m->u.hello.n_services = 1;
    m->u.hello.services[0].sid = 0x105;
    m->u.hello.services[0].signal = 0x10;
    add(WIRE_P_READY)->u.ready.landlock_abi = -1;
    m = add(WIRE_P_REPLY);
    m->u.reply.msg = 42;
    m->u.reply.status = 0;
    m->u.reply.flags = WIRE_REPLY_SET_RHANDLE;
    m->u.reply.rhandle = 0x8877665544332211ull;
    m->u.reply.n_out = 2;
    m->u.reply.written[0] = 0;
    m->u.reply.written[1] = sizeof(pay_b);
    m->u.reply.out[0] = pay_a;
    m->u.reply.out[1] = pay_b;
    m = add(WIRE_P_REPLY);
    m->u.reply.msg = -1;
    m->u.reply.status = -135;
    m->u.reply.flags = WIRE_CALL_MEMFD | WIRE_REPLY_SET_RHANDLE;
    m->u.reply.n_out = 4;
    m->u.reply.written[1] = 1u << 24;
    m = add(WIRE_P_PANIC);
    fill(m->u.text.text, WIRE_MAX_LOG - 1, 'p');
    m = add(WIRE_P_LOG);
    m->u.text.level = WIRE_LOG_DEBUG;
    strcpy(m->u.text.text, "stack high-water mark: 1 of 2 bytes");
    m = add(WIRE_P_LOG);
    m->u.text.level = 0xff; /* a level is a level: the SPM maps it */
    m = add(WIRE_P_VIOLATION);
    m->u.violation.nr = 59;
    m->u.violation.arch = 0xc000003eu;
    add(WIRE_P_NOTIFY)->u.notify.partition_id = 444;
    m = add(WIRE_P_IRQ);
    m->u.irq_ctl.signal = 0x80000000u;
    m->u.irq_ctl.op = WIRE_IRQ_EOI;
    m = add(WIRE_P_IRQ);
    m->u.irq_ctl.signal = 0x40000000u;
    m->u.irq_ctl.op = WIRE_IRQ_ENABLE;
    m = add(WIRE_P_MMIO);
    m->u.mmio.region = 255;
    m->u.mmio.offset = 0x0c;
    m->u.mmio.value = 0xfeedface;
    m = add(WIRE_P_RESET);
    m->u.reset.syndrome = 0x1234;
    m->u.reset.n_calls = WIRE_RESET_MAX_CALLS;
    for (i = 0; i < WIRE_RESET_MAX_CALLS; i++)
        m->u.reset.calls[i] = (int32_t)(i * 1000 + 1);
    add(WIRE_P_RESET);

    m = add(WIRE_S_CONFIG);
    m->u.config.pid = 259;
    m->u.config.log_level = WIRE_LOG_INFO;
    m->u.config.lifecycle = 0x3000;
    m->u.config.n_services = WIRE_MAX_SERVICES;
    for (i = 0; i < WIRE_MAX_SERVICES; i++) {
        m->u.config.services[i].sid = 0x80 + (uint32_t)i;
        m->u.config.services[i].signal = 0x10u << (i % 28);
        m->u.config.services[i].version = (uint32_t)i;
        m->u.config.services[i].flags = (uint8_t)(i & 3);
    }
    m->u.config.n_partitions = WIRE_MAX_PARTITIONS;
    for (i = 0; i < WIRE_MAX_PARTITIONS; i++)
        m->u.config.partition_ids[i] = (int32_t)(256 + i);
    m->u.config.n_regions = 9;
    m->u.config.storage = 1;
    add(WIRE_S_CONFIG);
    m = add(WIRE_S_MSG);
    m->u.deliver.msg = 7;
    m->u.deliver.type = -1; /* CONNECT */
    m->u.deliver.client_id = -1001;
    m->u.deliver.rhandle = ~0ull;
    m->u.deliver.signal = 0x20;
    m = add(WIRE_S_MSG);
    m->u.deliver.msg = 8;
    m->u.deliver.type = 3;
    m->u.deliver.client_id = 259;
    m->u.deliver.signal = 0x10;
    m->u.deliver.vecs = (struct wire_vecs){2, 2, {sizeof(pay_c), sizeof(pay_a)}, {1, 2}};
    m->u.deliver.in[0] = pay_c;
    m->u.deliver.in[1] = pay_a;
    m = add(WIRE_S_MSG);
    m->u.deliver.msg = 9;
    m->u.deliver.flags = WIRE_CALL_MEMFD;
    m->u.deliver.vecs = (struct wire_vecs){0, 4, {0}, {1, 2, 3, 4}};
    add(WIRE_S_DOORBELL);
    add(WIRE_S_STOP);
    add(WIRE_S_IRQ)->u.irq_fired.signal = 0x8000000u;
    m = add(WIRE_S_REGION);
    m->u.region.index = 3;
    m->u.region.map_base = 0x40000000ull;
    m->u.region.map_len = 0x2000;
    m->u.region.base = 0x40000100ull;
    m->u.region.size = 0x100;
    m->u.region.writable = 1;
    m->u.region.trap = 1;
    m->u.region.otp = 0;
    m->u.region.report = 1;
    m->u.region.ack_off = 0x2000;
    m->u.region.ack_slot = WIRE_ACK_SLOTS - 1;
    fill(m->u.region.name, WIRE_MAX_NAME - 1, 'r');
    m = add(WIRE_S_REGION);
    m->u.region.base = UINT64_MAX;
    m->u.region.otp = 1;
}

static int setup(void **state)
{
    (void)state;
    make_samples();
    return 0;
}

/* ---- comparing messages ---- */

static void assert_bytes(const void *a, const void *b, uint32_t n)
{
    if (n > 0)
        assert_memory_equal(a, b, n);
}

static void assert_vecs_equal(const struct wire_vecs *a, const struct wire_vecs *b)
{
    unsigned i;

    assert_int_equal(a->n_in, b->n_in);
    assert_int_equal(a->n_out, b->n_out);
    for (i = 0; i < a->n_in; i++)
        assert_int_equal(a->in_len[i], b->in_len[i]);
    for (i = 0; i < a->n_out; i++)
        assert_int_equal(a->out_len[i], b->out_len[i]);
}

static void assert_call_payload(uint8_t flags, const struct wire_vecs *v, const void *const *a,
                                const void *const *b)
{
    unsigned i;

    if (flags & WIRE_CALL_MEMFD)
        return;
    for (i = 0; i < v->n_in; i++)
        assert_bytes(a[i], b[i], v->in_len[i]);
}

static void assert_outputs(uint8_t flags, uint8_t n_out, const uint32_t *wa, const uint32_t *wb,
                           const void *const *a, const void *const *b)
{
    unsigned i;

    for (i = 0; i < n_out; i++)
        assert_int_equal(wa[i], wb[i]);
    if (!(flags & WIRE_CALL_MEMFD))
        for (i = 0; i < n_out; i++)
            assert_bytes(a[i], b[i], wa[i]);
}

/* Every field of the type's struct, and the payload bytes. */
static void assert_msg_equal(const struct wire_msg *a, const struct wire_msg *b)
{
    unsigned i;

    assert_int_equal(a->type, b->type);
    assert_int_equal(a->seq, b->seq);
    switch (a->type) {
    case WIRE_C_VERSION:
        assert_int_equal(a->u.version_req.sid, b->u.version_req.sid);
        break;
    case WIRE_C_CONNECT:
        assert_int_equal(a->u.connect_req.sid, b->u.connect_req.sid);
        assert_int_equal(a->u.connect_req.version, b->u.connect_req.version);
        break;
    case WIRE_C_CALL:
        assert_int_equal(a->u.call_req.handle, b->u.call_req.handle);
        assert_int_equal(a->u.call_req.type, b->u.call_req.type);
        assert_int_equal(a->u.call_req.flags, b->u.call_req.flags);
        assert_vecs_equal(&a->u.call_req.vecs, &b->u.call_req.vecs);
        assert_call_payload(a->u.call_req.flags, &a->u.call_req.vecs, a->u.call_req.in,
                            b->u.call_req.in);
        break;
    case WIRE_C_CLOSE:
        assert_int_equal(a->u.close_req.handle, b->u.close_req.handle);
        break;
    case WIRE_C_IRQ:
        assert_string_equal(a->u.irq_req.source, b->u.irq_req.source);
        assert_int_equal(a->u.irq_req.level, b->u.irq_req.level);
        break;
    case WIRE_C_BUFFER:
        assert_int_equal(a->u.buffer_req.size, b->u.buffer_req.size);
        break;
    case WIRE_R_VERSION:
        assert_int_equal(a->u.version_rep.version, b->u.version_rep.version);
        break;
    case WIRE_R_CONNECT:
        assert_int_equal(a->u.connect_rep.result, b->u.connect_rep.result);
        break;
    case WIRE_R_CALL:
        assert_int_equal(a->u.call_rep.status, b->u.call_rep.status);
        assert_int_equal(a->u.call_rep.flags, b->u.call_rep.flags);
        assert_int_equal(a->u.call_rep.n_out, b->u.call_rep.n_out);
        assert_outputs(a->u.call_rep.flags, a->u.call_rep.n_out, a->u.call_rep.written,
                       b->u.call_rep.written, a->u.call_rep.out, b->u.call_rep.out);
        break;
    case WIRE_R_CLOSE:
    case WIRE_R_IRQ:
    case WIRE_R_BUFFER:
        assert_int_equal(a->u.status_rep.status, b->u.status_rep.status);
        break;
    case WIRE_P_HELLO:
        assert_string_equal(a->u.hello.name, b->u.hello.name);
        assert_int_equal(a->u.hello.n_services, b->u.hello.n_services);
        for (i = 0; i < a->u.hello.n_services; i++) {
            assert_int_equal(a->u.hello.services[i].sid, b->u.hello.services[i].sid);
            assert_int_equal(a->u.hello.services[i].signal, b->u.hello.services[i].signal);
        }
        assert_int_equal(a->u.hello.n_irqs, b->u.hello.n_irqs);
        for (i = 0; i < a->u.hello.n_irqs; i++) {
            assert_int_equal(a->u.hello.irqs[i].signal, b->u.hello.irqs[i].signal);
            assert_int_equal(a->u.hello.irqs[i].flih, b->u.hello.irqs[i].flih);
        }
        break;
    case WIRE_P_READY:
        assert_int_equal(a->u.ready.landlock_abi, b->u.ready.landlock_abi);
        break;
    case WIRE_P_REPLY:
        assert_int_equal(a->u.reply.msg, b->u.reply.msg);
        assert_int_equal(a->u.reply.status, b->u.reply.status);
        assert_int_equal(a->u.reply.flags, b->u.reply.flags);
        assert_int_equal(a->u.reply.rhandle, b->u.reply.rhandle);
        assert_int_equal(a->u.reply.n_out, b->u.reply.n_out);
        assert_outputs(a->u.reply.flags, a->u.reply.n_out, a->u.reply.written, b->u.reply.written,
                       a->u.reply.out, b->u.reply.out);
        break;
    case WIRE_P_LOG:
        assert_int_equal(a->u.text.level, b->u.text.level);
        __attribute__((fallthrough));
    case WIRE_P_PANIC: /* its level is not sent */
        assert_string_equal(a->u.text.text, b->u.text.text);
        break;
    case WIRE_P_VIOLATION:
        assert_int_equal(a->u.violation.nr, b->u.violation.nr);
        assert_int_equal(a->u.violation.arch, b->u.violation.arch);
        break;
    case WIRE_P_NOTIFY:
        assert_int_equal(a->u.notify.partition_id, b->u.notify.partition_id);
        break;
    case WIRE_P_IRQ:
        assert_int_equal(a->u.irq_ctl.signal, b->u.irq_ctl.signal);
        assert_int_equal(a->u.irq_ctl.op, b->u.irq_ctl.op);
        break;
    case WIRE_P_MMIO:
        assert_int_equal(a->u.mmio.region, b->u.mmio.region);
        assert_int_equal(a->u.mmio.offset, b->u.mmio.offset);
        assert_int_equal(a->u.mmio.value, b->u.mmio.value);
        break;
    case WIRE_P_RESET:
        assert_int_equal(a->u.reset.syndrome, b->u.reset.syndrome);
        assert_int_equal(a->u.reset.n_calls, b->u.reset.n_calls);
        for (i = 0; i < a->u.reset.n_calls; i++)
            assert_int_equal(a->u.reset.calls[i], b->u.reset.calls[i]);
        break;
    case WIRE_S_CONFIG:
        assert_int_equal(a->u.config.pid, b->u.config.pid);
        assert_int_equal(a->u.config.log_level, b->u.config.log_level);
        assert_int_equal(a->u.config.lifecycle, b->u.config.lifecycle);
        assert_int_equal(a->u.config.n_services, b->u.config.n_services);
        for (i = 0; i < a->u.config.n_services; i++) {
            assert_int_equal(a->u.config.services[i].sid, b->u.config.services[i].sid);
            assert_int_equal(a->u.config.services[i].signal, b->u.config.services[i].signal);
            assert_int_equal(a->u.config.services[i].version, b->u.config.services[i].version);
            assert_int_equal(a->u.config.services[i].flags, b->u.config.services[i].flags);
        }
        assert_int_equal(a->u.config.n_partitions, b->u.config.n_partitions);
        for (i = 0; i < a->u.config.n_partitions; i++)
            assert_int_equal(a->u.config.partition_ids[i], b->u.config.partition_ids[i]);
        assert_int_equal(a->u.config.n_regions, b->u.config.n_regions);
        assert_int_equal(a->u.config.storage, b->u.config.storage);
        break;
    case WIRE_S_MSG:
        assert_int_equal(a->u.deliver.msg, b->u.deliver.msg);
        assert_int_equal(a->u.deliver.type, b->u.deliver.type);
        assert_int_equal(a->u.deliver.client_id, b->u.deliver.client_id);
        assert_int_equal(a->u.deliver.rhandle, b->u.deliver.rhandle);
        assert_int_equal(a->u.deliver.signal, b->u.deliver.signal);
        assert_int_equal(a->u.deliver.flags, b->u.deliver.flags);
        assert_vecs_equal(&a->u.deliver.vecs, &b->u.deliver.vecs);
        assert_call_payload(a->u.deliver.flags, &a->u.deliver.vecs, a->u.deliver.in,
                            b->u.deliver.in);
        break;
    case WIRE_S_DOORBELL:
    case WIRE_S_STOP:
        break;
    case WIRE_S_IRQ:
        assert_int_equal(a->u.irq_fired.signal, b->u.irq_fired.signal);
        break;
    case WIRE_S_REGION:
        assert_int_equal(a->u.region.index, b->u.region.index);
        assert_int_equal(a->u.region.map_base, b->u.region.map_base);
        assert_int_equal(a->u.region.map_len, b->u.region.map_len);
        assert_int_equal(a->u.region.base, b->u.region.base);
        assert_int_equal(a->u.region.size, b->u.region.size);
        assert_int_equal(a->u.region.writable, b->u.region.writable);
        assert_int_equal(a->u.region.trap, b->u.region.trap);
        assert_int_equal(a->u.region.otp, b->u.region.otp);
        assert_string_equal(a->u.region.name, b->u.region.name);
        break;
    default:
        fail_msg("type %u has no comparison", a->type);
    }
}

/* What the kernel sends: the frame's iovecs back to back. */
static size_t flatten(const struct wire_frame *f, uint8_t *out)
{
    size_t n = 0;
    int i;

    assert_true(f->n_iov >= 1 && f->n_iov <= 1 + WIRE_MAX_IOVEC);
    for (i = 0; i < f->n_iov; i++) {
        memcpy(out + n, f->iov[i].iov_base, f->iov[i].iov_len);
        n += f->iov[i].iov_len;
    }
    assert_int_equal(n, f->len);
    assert_true(n <= WIRE_MAX_MSG);
    return n;
}

static uint8_t dgram[WIRE_MAX_MSG + 1];

static size_t encode_flat(const struct wire_msg *m, uint8_t *out)
{
    struct wire_frame f;

    if (wire_encode(&f, m) != 0)
        fail_msg("%s (sample of type %u) does not encode", wire_type_name(m->type), m->type);
    return flatten(&f, out);
}

/* A decoded payload lies inside the datagram it came from. */
static void assert_inside(const void *p, uint32_t n, const uint8_t *buf, size_t len)
{
    const uint8_t *q = p;

    assert_non_null(q);
    assert_true(q >= buf && q + n <= buf + len);
}

static void assert_payload_inside(const struct wire_msg *d, const uint8_t *buf, size_t len)
{
    unsigned i;

    if (d->type == WIRE_C_CALL && !(d->u.call_req.flags & WIRE_CALL_MEMFD))
        for (i = 0; i < d->u.call_req.vecs.n_in; i++)
            assert_inside(d->u.call_req.in[i], d->u.call_req.vecs.in_len[i], buf, len);
    if (d->type == WIRE_S_MSG && !(d->u.deliver.flags & WIRE_CALL_MEMFD))
        for (i = 0; i < d->u.deliver.vecs.n_in; i++)
            assert_inside(d->u.deliver.in[i], d->u.deliver.vecs.in_len[i], buf, len);
    if (d->type == WIRE_R_CALL && !(d->u.call_rep.flags & WIRE_CALL_MEMFD))
        for (i = 0; i < d->u.call_rep.n_out; i++)
            assert_inside(d->u.call_rep.out[i], d->u.call_rep.written[i], buf, len);
    if (d->type == WIRE_P_REPLY && !(d->u.reply.flags & WIRE_CALL_MEMFD))
        for (i = 0; i < d->u.reply.n_out; i++)
            assert_inside(d->u.reply.out[i], d->u.reply.written[i], buf, len);
}

/* ---- round trips ---- */

static void test_every_type_has_a_sample(void **state)
{
    size_t i, k;

    (void)state;
    for (i = 0; i < N_ELEMS(all_types); i++) {
        for (k = 0; k < n_samples && samples[k].type != all_types[i]; k++)
            ;
        if (k == n_samples)
            fail_msg("no sample of type %u", all_types[i]);
        assert_string_not_equal(wire_type_name(all_types[i]), "?");
    }
    assert_string_equal(wire_type_name(WIRE_C_CALL), "C_CALL");
    assert_string_equal(wire_type_name(WIRE_S_REGION), "S_REGION");
    assert_string_equal(wire_type_name(0), "?");
    assert_string_equal(wire_type_name(99), "?");
    assert_string_equal(wire_type_name(0xffff), "?");
}

static void test_round_trip(void **state)
{
    static uint8_t again[WIRE_MAX_MSG];
    size_t i;

    (void)state;
    for (i = 0; i < n_samples; i++) {
        const struct wire_msg *m = &samples[i];
        struct wire_msg d;
        size_t len = encode_flat(m, dgram), len2;

        assert_true(len >= WIRE_HEADER_SIZE);
        if (wire_decode(dgram, len, &d) != 0)
            fail_msg("sample %zu (%s) does not decode", i, wire_type_name(m->type));
        assert_msg_equal(m, &d);
        assert_payload_inside(&d, dgram, len);
        /* and the decoded struct encodes to the very same bytes */
        len2 = encode_flat(&d, again);
        assert_int_equal(len2, len);
        assert_memory_equal(again, dgram, len);
    }
}

/* The payload is not copied: the frame points at the caller's buffers. */
static void test_payload_is_not_copied(void **state)
{
    struct wire_msg m;
    struct wire_frame f;

    (void)state;
    memset(&m, 0, sizeof(m));
    m.type = WIRE_C_CALL;
    m.u.call_req.vecs = (struct wire_vecs){2, 0, {sizeof(pay_a), sizeof(pay_c)}, {0}};
    m.u.call_req.in[0] = pay_a;
    m.u.call_req.in[1] = pay_c;
    assert_int_equal(wire_encode(&f, &m), 0);
    assert_int_equal(f.n_iov, 3);
    assert_ptr_equal(f.iov[0].iov_base, f.head);
    assert_ptr_equal(f.iov[1].iov_base, pay_a);
    assert_int_equal(f.iov[1].iov_len, sizeof(pay_a));
    assert_ptr_equal(f.iov[2].iov_base, pay_c);
    assert_int_equal(f.len, f.iov[0].iov_len + sizeof(pay_a) + sizeof(pay_c));
    /* with WIRE_CALL_MEMFD, none at all */
    m.u.call_req.flags = WIRE_CALL_MEMFD;
    assert_int_equal(wire_encode(&f, &m), 0);
    assert_int_equal(f.n_iov, 1);
    assert_int_equal(f.len, f.iov[0].iov_len);
}

/* ---- malformed datagrams ---- */

static void test_every_truncation_refused(void **state)
{
    size_t i, k;

    (void)state;
    for (i = 0; i < n_samples; i++) {
        struct wire_msg d;
        size_t len = encode_flat(&samples[i], dgram);

        for (k = 0; k < len; k++) {
            /* short ones in a buffer of exactly their size: a read past it is ASan's */
            uint8_t *exact = len <= 4096 ? malloc(k + 1) : NULL;
            int rc;

            if (exact != NULL) {
                memcpy(exact, dgram, k);
                rc = wire_decode(exact, k, &d);
                free(exact);
            } else {
                rc = wire_decode(dgram, k, &d);
            }
            if (rc != -1)
                fail_msg("%s: %zu of %zu bytes decoded", wire_type_name(samples[i].type), k, len);
        }
    }
}

static void test_trailing_byte_refused(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < n_samples; i++) {
        struct wire_msg d;
        size_t len = encode_flat(&samples[i], dgram);

        dgram[len] = 0;
        assert_int_equal(wire_decode(dgram, len + 1, &d), -1);
        dgram[len] = 0xff;
        assert_int_equal(wire_decode(dgram, len + 1, &d), -1);
        assert_int_equal(wire_decode(dgram, len, &d), 0);
    }
}

/* ---- datagrams written byte by byte (u16 version, u16 type, u32 seq, fields) ---- */

struct raw {
    uint8_t b[WIRE_MAX_MSG + 64];
    size_t n;
};

static struct raw raw;

static void r8(struct raw *r, uint64_t v)
{
    r->b[r->n++] = (uint8_t)v;
}

static void r16(struct raw *r, uint64_t v)
{
    r8(r, v);
    r8(r, v >> 8);
}

static void r32(struct raw *r, uint64_t v)
{
    r16(r, v);
    r16(r, v >> 16);
}

static void r64(struct raw *r, uint64_t v)
{
    r32(r, v);
    r32(r, v >> 32);
}

static void rfill(struct raw *r, size_t n, uint8_t v)
{
    memset(r->b + r->n, v, n);
    r->n += n;
}

static void rstr(struct raw *r, const char *s, size_t n)
{
    r16(r, n);
    memcpy(r->b + r->n, s, n);
    r->n += n;
}

static void rname(struct raw *r, size_t n)
{
    r16(r, n);
    rfill(r, n, 'x');
}

static void rhead(struct raw *r, uint16_t version, uint16_t type)
{
    r->n = 0;
    r16(r, version);
    r16(r, type);
    r32(r, 77);
}

static void test_header_refused(void **state)
{
    static const uint16_t versions[] = {0, 1, WIRE_VERSION + 1, 0x0200, 0xffff};
    static const uint16_t types[] = {0, 9, 15, 24, 31, 42, 47, 57, 255, 0x0100, 0xffff};
    struct wire_msg d, m;
    struct wire_frame f;
    size_t i;

    (void)state;
    /* a valid C_CLOSE, to show the rows below fail for their one reason */
    rhead(&raw, WIRE_VERSION, WIRE_C_CLOSE);
    r32(&raw, 5);
    assert_int_equal(wire_decode(raw.b, raw.n, &d), 0);
    assert_int_equal(d.u.close_req.handle, 5);
    assert_int_equal(d.seq, 77);
    for (i = 0; i < N_ELEMS(versions); i++) {
        rhead(&raw, versions[i], WIRE_C_CLOSE);
        r32(&raw, 5);
        assert_int_equal(wire_decode(raw.b, raw.n, &d), -1);
    }
    for (i = 0; i < N_ELEMS(types); i++) {
        rhead(&raw, WIRE_VERSION, types[i]);
        assert_int_equal(wire_decode(raw.b, raw.n, &d), -1);
        r32(&raw, 5);
        assert_int_equal(wire_decode(raw.b, raw.n, &d), -1);
        /* nor does the encoder make one */
        memset(&m, 0, sizeof(m));
        m.type = types[i];
        assert_int_equal(wire_encode(&f, &m), -1);
    }
    /* nothing, or a bare header of a type with fields */
    assert_int_equal(wire_decode(raw.b, 0, &d), -1);
    rhead(&raw, WIRE_VERSION, WIRE_R_CALL);
    assert_int_equal(wire_decode(raw.b, raw.n, &d), -1);
    /* a datagram longer than any either side accepts */
    rhead(&raw, WIRE_VERSION, WIRE_S_STOP);
    assert_int_equal(wire_decode(raw.b, raw.n, &d), 0);
    assert_int_equal(wire_decode(raw.b, WIRE_MAX_MSG + 1, &d), -1);
}

/* Each row writes a datagram that keeps the rule (bad false: it decodes)
 * or breaks it (bad true: it is refused). */
struct decode_row {
    const char *rule;
    void (*build)(struct raw *r, bool bad);
};

static void d_call_head(struct raw *r, uint8_t flags, uint8_t n_in, uint8_t n_out)
{
    rhead(r, WIRE_VERSION, WIRE_C_CALL);
    r32(r, 1);    /* handle */
    r32(r, 0);    /* type */
    r8(r, flags); /* flags */
    r8(r, n_in);  /* vectors */
    r8(r, n_out);
}

static void d_call_count(struct raw *r, bool bad)
{
    uint8_t n_in = bad ? 3 : 2, i;

    d_call_head(r, WIRE_CALL_MEMFD, n_in, 2);
    for (i = 0; i < n_in + 2; i++)
        r32(r, 1);
}

static void d_call_count_in(struct raw *r, bool bad)
{
    uint8_t n_in = bad ? 5 : 4, i;

    d_call_head(r, WIRE_CALL_MEMFD, n_in, 0);
    for (i = 0; i < n_in; i++)
        r32(r, 1);
}

static void d_call_count_out(struct raw *r, bool bad)
{
    uint8_t n_out = bad ? 5 : 4, i;

    d_call_head(r, WIRE_CALL_MEMFD, 0, n_out);
    for (i = 0; i < n_out; i++)
        r32(r, 1);
}

static void d_call_payload(struct raw *r, bool bad)
{
    d_call_head(r, WIRE_CALL_MEMFD, 1, 2);
    r32(r, WIRE_MAX_PAYLOAD);
    r32(r, 0);
    r32(r, bad ? 1 : 0);
}

static void d_call_payload_wrap(struct raw *r, bool bad)
{
    d_call_head(r, WIRE_CALL_MEMFD, 2, 2); /* 4 x 0xffffffff must not wrap to small */
    r32(r, bad ? 0xffffffffu : 1);
    r32(r, bad ? 0xffffffffu : 1);
    r32(r, bad ? 0xffffffffu : 1);
    r32(r, bad ? 0xffffffffu : 1);
}

static void d_call_inline(struct raw *r, bool bad)
{
    d_call_head(r, 0, 1, 1);
    r32(r, 16);
    r32(r, WIRE_INLINE_MAX - 16 + bad);
    rfill(r, 16, 0xab);
}

static void d_call_flags(struct raw *r, bool bad)
{
    d_call_head(r, bad ? 0x02 : 0x01, 0, 0);
}

static void d_call_bytes(struct raw *r, bool bad)
{
    d_call_head(r, 0, 2, 0);
    r32(r, 3);
    r32(r, 2);
    rfill(r, bad ? 4 : 5, 1); /* exactly in_len[0] + in_len[1] */
}

static void d_call_memfd_bytes(struct raw *r, bool bad)
{
    d_call_head(r, WIRE_CALL_MEMFD, 1, 0);
    r32(r, 3);
    rfill(r, bad ? 3 : 0, 1); /* none with the memfd */
}

static void d_deliver_inline(struct raw *r, bool bad)
{
    rhead(r, WIRE_VERSION, WIRE_S_MSG);
    r32(r, 1);  /* msg */
    r32(r, 0);  /* type */
    r32(r, -1); /* client id */
    r64(r, 0);  /* rhandle */
    r32(r, 16); /* signal */
    r8(r, 0);   /* flags */
    r8(r, 1);
    r8(r, 1);
    r32(r, 8);
    r32(r, WIRE_INLINE_MAX - 8 + bad);
    rfill(r, 8, 0xcd);
}

static void d_deliver_count(struct raw *r, bool bad)
{
    rhead(r, WIRE_VERSION, WIRE_S_MSG);
    r32(r, 1);
    r32(r, 0);
    r32(r, -1);
    r64(r, 0);
    r32(r, 16);
    r8(r, WIRE_CALL_MEMFD);
    r8(r, 1);
    r8(r, bad ? 4 : 3);
    rfill(r, bad ? 20 : 16, 0);
}

static void d_call_rep_head(struct raw *r, uint8_t flags, uint8_t n_out)
{
    rhead(r, WIRE_VERSION, WIRE_R_CALL);
    r32(r, 0); /* status */
    r8(r, flags);
    r8(r, n_out);
}

static void d_call_rep_count(struct raw *r, bool bad)
{
    d_call_rep_head(r, WIRE_CALL_MEMFD, bad ? 5 : 4);
    rfill(r, bad ? 20 : 16, 0);
}

static void d_call_rep_inline(struct raw *r, bool bad)
{
    d_call_rep_head(r, 0, 1);
    r32(r, WIRE_INLINE_MAX + bad);
    rfill(r, WIRE_INLINE_MAX + bad, 0x5a);
}

static void d_call_rep_payload(struct raw *r, bool bad)
{
    d_call_rep_head(r, WIRE_CALL_MEMFD, 2);
    r32(r, WIRE_MAX_PAYLOAD);
    r32(r, bad ? 1 : 0);
}

static void d_call_rep_bytes(struct raw *r, bool bad)
{
    d_call_rep_head(r, 0, 2);
    r32(r, 4);
    r32(r, 1);
    rfill(r, bad ? 4 : 5, 9); /* exactly written[0] + written[1] */
}

static void d_call_rep_memfd_bytes(struct raw *r, bool bad)
{
    d_call_rep_head(r, WIRE_CALL_MEMFD, 1);
    r32(r, 4);
    rfill(r, bad ? 4 : 0, 9);
}

static void d_call_rep_flags(struct raw *r, bool bad)
{
    d_call_rep_head(r, bad ? WIRE_REPLY_SET_RHANDLE : 0, 0);
}

static void d_reply_head(struct raw *r, uint8_t flags)
{
    rhead(r, WIRE_VERSION, WIRE_P_REPLY);
    r32(r, 3); /* msg */
    r32(r, 0); /* status */
    r8(r, flags);
    r64(r, 0x1234); /* rhandle */
}

static void d_reply_flags(struct raw *r, bool bad)
{
    d_reply_head(r, bad ? 0x04 : WIRE_CALL_MEMFD | WIRE_REPLY_SET_RHANDLE);
    r8(r, 0);
}

static void d_reply_count(struct raw *r, bool bad)
{
    d_reply_head(r, WIRE_CALL_MEMFD);
    r8(r, bad ? 5 : 4);
    rfill(r, bad ? 20 : 16, 0);
}

static void d_reply_bytes(struct raw *r, bool bad)
{
    d_reply_head(r, WIRE_REPLY_SET_RHANDLE);
    r8(r, 1);
    r32(r, 6);
    rfill(r, bad ? 5 : 6, 1);
}

static void d_reply_memfd_bytes(struct raw *r, bool bad)
{
    d_reply_head(r, WIRE_CALL_MEMFD);
    r8(r, 1);
    r32(r, 6);
    rfill(r, bad ? 6 : 0, 1);
}

static void d_reply_inline(struct raw *r, bool bad)
{
    d_reply_head(r, 0);
    r8(r, 2);
    r32(r, WIRE_INLINE_MAX);
    r32(r, bad ? 1 : 0);
    rfill(r, WIRE_INLINE_MAX + bad, 1);
}

static void d_irq_level(struct raw *r, bool bad)
{
    rhead(r, WIRE_VERSION, WIRE_C_IRQ);
    rstr(r, "uart0", 5);
    r8(r, bad ? 2 : 1);
}

static void d_irq_nul(struct raw *r, bool bad)
{
    rhead(r, WIRE_VERSION, WIRE_C_IRQ);
    rstr(r, bad ? "ua\0t0" : "uart0", 5);
    r8(r, 0);
}

static void d_irq_long(struct raw *r, bool bad)
{
    rhead(r, WIRE_VERSION, WIRE_C_IRQ);
    rname(r, bad ? WIRE_MAX_NAME : WIRE_MAX_NAME - 1);
    r8(r, 0);
}

static void d_buffer_zero(struct raw *r, bool bad)
{
    rhead(r, WIRE_VERSION, WIRE_C_BUFFER);
    r64(r, bad ? 0 : 1);
}

static void d_buffer_max(struct raw *r, bool bad)
{
    rhead(r, WIRE_VERSION, WIRE_C_BUFFER);
    r64(r, bad ? (uint64_t)WIRE_MAX_PAYLOAD + 1 : WIRE_MAX_PAYLOAD);
}

static void d_buffer_huge(struct raw *r, bool bad)
{
    rhead(r, WIRE_VERSION, WIRE_C_BUFFER);
    r64(r, bad ? UINT64_MAX : 65537);
}

static void d_hello(struct raw *r, unsigned n_services, unsigned n_irqs, uint8_t flih, size_t name)
{
    unsigned i;

    rhead(r, WIRE_VERSION, WIRE_P_HELLO);
    rname(r, name);
    r8(r, n_services);
    for (i = 0; i < n_services; i++) {
        r32(r, 0x100 + i);
        r32(r, 0x10);
    }
    r8(r, n_irqs);
    for (i = 0; i < n_irqs; i++) {
        r32(r, 1u << 31);
        r8(r, flih);
    }
}

static void d_hello_services(struct raw *r, bool bad)
{
    d_hello(r, bad ? WIRE_MAX_SERVICES + 1 : WIRE_MAX_SERVICES, 0, 0, 4);
}

static void d_hello_irqs(struct raw *r, bool bad)
{
    d_hello(r, 1, bad ? WIRE_MAX_IRQS + 1 : WIRE_MAX_IRQS, 1, 4);
}

static void d_hello_flih(struct raw *r, bool bad)
{
    d_hello(r, 1, 1, bad ? 2 : 1, 4);
}

static void d_hello_name(struct raw *r, bool bad)
{
    d_hello(r, 0, 0, 0, bad ? WIRE_MAX_NAME : WIRE_MAX_NAME - 1);
}

static void d_log_long(struct raw *r, bool bad)
{
    rhead(r, WIRE_VERSION, WIRE_P_LOG);
    r8(r, WIRE_LOG_INFO);
    rname(r, bad ? WIRE_MAX_LOG : WIRE_MAX_LOG - 1);
}

static void d_panic_nul(struct raw *r, bool bad)
{
    rhead(r, WIRE_VERSION, WIRE_P_PANIC);
    rstr(r, bad ? "a\0b" : "a b", 3);
}

static void d_irq_op(struct raw *r, bool bad)
{
    rhead(r, WIRE_VERSION, WIRE_P_IRQ);
    r32(r, 0x80000000u);
    r8(r, bad ? 4 : WIRE_IRQ_EOI);
}

static void d_irq_op_zero(struct raw *r, bool bad)
{
    rhead(r, WIRE_VERSION, WIRE_P_IRQ);
    r32(r, 0x80000000u);
    r8(r, bad ? 0 : WIRE_IRQ_ENABLE);
}

static void d_reset_calls(struct raw *r, bool bad)
{
    unsigned i, n = bad ? WIRE_RESET_MAX_CALLS + 1 : WIRE_RESET_MAX_CALLS;

    rhead(r, WIRE_VERSION, WIRE_P_RESET);
    r32(r, 0);
    r8(r, n);
    for (i = 0; i < n; i++)
        r32(r, i + 1);
}

static void d_config(struct raw *r, unsigned n_services, uint8_t flags, unsigned n_partitions,
                     uint8_t storage)
{
    unsigned i;

    rhead(r, WIRE_VERSION, WIRE_S_CONFIG);
    r32(r, 259);
    r8(r, WIRE_LOG_INFO);
    r32(r, 0x3000);
    r8(r, n_services);
    for (i = 0; i < n_services; i++) {
        r32(r, 0x80 + i);
        r32(r, 0x10);
        r32(r, 1);
        r8(r, flags);
    }
    r16(r, n_partitions);
    for (i = 0; i < n_partitions; i++)
        r32(r, 256 + i);
    r8(r, 0);
    r8(r, storage);
    r8(r, 0); /* fast */
}

static void d_config_services(struct raw *r, bool bad)
{
    d_config(r, bad ? WIRE_MAX_SERVICES + 1 : WIRE_MAX_SERVICES, 0, 1, 0);
}

static void d_config_flags(struct raw *r, bool bad)
{
    d_config(r, 1, bad ? 0x04 : WIRE_SVC_CONNECTION_BASED | WIRE_SVC_MM_IOVEC, 1, 0);
}

static void d_config_partitions(struct raw *r, bool bad)
{
    d_config(r, 0, 0, bad ? WIRE_MAX_PARTITIONS + 1 : WIRE_MAX_PARTITIONS, 0);
}

static void d_config_storage(struct raw *r, bool bad)
{
    d_config(r, 0, 0, 0, bad ? 2 : 1);
}

static void d_region_slot(struct raw *r, uint8_t writable, uint8_t trap, uint8_t otp,
                          uint8_t report, uint16_t ack_slot, size_t name)
{
    rhead(r, WIRE_VERSION, WIRE_S_REGION);
    r8(r, 0);
    r64(r, 0x40000000);
    r64(r, 0x1000);
    r64(r, 0x40000000);
    r64(r, 0x100);
    r8(r, writable);
    r8(r, trap);
    r8(r, otp);
    r8(r, report);
    r64(r, 0x1000); /* ack_off */
    r16(r, ack_slot);
    rname(r, name);
}

static void d_region(struct raw *r, uint8_t writable, uint8_t trap, uint8_t otp, size_t name)
{
    d_region_slot(r, writable, trap, otp, 0, 0, name);
}

static void d_region_ack_slot(struct raw *r, bool bad)
{
    d_region_slot(r, 0, 1, 0, 1, bad ? WIRE_ACK_SLOTS : WIRE_ACK_SLOTS - 1, 3);
}

static void d_region_report(struct raw *r, bool bad)
{
    d_region_slot(r, 0, 1, 0, bad ? 2 : 1, 0, 3);
}

static void d_region_writable(struct raw *r, bool bad)
{
    d_region(r, bad ? 2 : 1, 0, 0, 3);
}

static void d_region_trap(struct raw *r, bool bad)
{
    d_region(r, 0, bad ? 0xff : 1, 0, 3);
}

static void d_region_otp(struct raw *r, bool bad)
{
    d_region(r, 0, 0, bad ? 2 : 1, 3);
}

static void d_region_name(struct raw *r, bool bad)
{
    d_region(r, 0, 0, 0, bad ? WIRE_MAX_NAME : WIRE_MAX_NAME - 1);
}

static const struct decode_row decode_rows[] = {
    {"C_CALL: n_in + n_out <= 4", d_call_count},
    {"C_CALL: n_in <= 4", d_call_count_in},
    {"C_CALL: n_out <= 4", d_call_count_out},
    {"C_CALL: in + out <= WIRE_MAX_PAYLOAD", d_call_payload},
    {"C_CALL: lengths do not wrap", d_call_payload_wrap},
    {"C_CALL: inline in + out <= WIRE_INLINE_MAX", d_call_inline},
    {"C_CALL: known flags only", d_call_flags},
    {"C_CALL: exactly the inputs inline", d_call_bytes},
    {"C_CALL: no inputs inline with a memfd", d_call_memfd_bytes},
    {"S_MSG: inline in + out <= WIRE_INLINE_MAX", d_deliver_inline},
    {"S_MSG: n_in + n_out <= 4", d_deliver_count},
    {"R_CALL: n_out <= 4", d_call_rep_count},
    {"R_CALL: inline written <= WIRE_INLINE_MAX", d_call_rep_inline},
    {"R_CALL: written <= WIRE_MAX_PAYLOAD", d_call_rep_payload},
    {"R_CALL: exactly written[i] bytes inline", d_call_rep_bytes},
    {"R_CALL: no bytes with a memfd", d_call_rep_memfd_bytes},
    {"R_CALL: known flags only", d_call_rep_flags},
    {"P_REPLY: known flags only", d_reply_flags},
    {"P_REPLY: n_out <= 4", d_reply_count},
    {"P_REPLY: exactly written[i] bytes inline", d_reply_bytes},
    {"P_REPLY: no bytes with a memfd", d_reply_memfd_bytes},
    {"P_REPLY: inline written <= WIRE_INLINE_MAX", d_reply_inline},
    {"C_IRQ: level 0 or 1", d_irq_level},
    {"C_IRQ: no NUL in the source", d_irq_nul},
    {"C_IRQ: the source fits", d_irq_long},
    {"C_BUFFER: at least 1 byte", d_buffer_zero},
    {"C_BUFFER: at most WIRE_MAX_PAYLOAD", d_buffer_max},
    {"C_BUFFER: no huge size", d_buffer_huge},
    {"P_HELLO: services <= WIRE_MAX_SERVICES", d_hello_services},
    {"P_HELLO: irqs <= WIRE_MAX_IRQS", d_hello_irqs},
    {"P_HELLO: flih 0 or 1", d_hello_flih},
    {"P_HELLO: the name fits", d_hello_name},
    {"P_LOG: the text fits", d_log_long},
    {"P_PANIC: no NUL in the text", d_panic_nul},
    {"P_IRQ: a known operation", d_irq_op},
    {"P_IRQ: no operation 0", d_irq_op_zero},
    {"P_RESET: calls <= WIRE_RESET_MAX_CALLS", d_reset_calls},
    {"S_CONFIG: services <= WIRE_MAX_SERVICES", d_config_services},
    {"S_CONFIG: known service flags only", d_config_flags},
    {"S_CONFIG: partitions <= WIRE_MAX_PARTITIONS", d_config_partitions},
    {"S_CONFIG: storage 0 or 1", d_config_storage},
    {"S_REGION: writable 0 or 1", d_region_writable},
    {"S_REGION: trap 0 or 1", d_region_trap},
    {"S_REGION: otp 0 or 1", d_region_otp},
    {"S_REGION: report 0 or 1", d_region_report},
    {"S_REGION: ack_slot < WIRE_ACK_SLOTS", d_region_ack_slot},
    {"S_REGION: the name fits", d_region_name},
};

static void test_decode_rules(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(decode_rows); i++) {
        struct wire_msg d;

        decode_rows[i].build(&raw, false);
        if (wire_decode(raw.b, raw.n, &d) != 0)
            fail_msg("%s: the valid datagram was refused", decode_rows[i].rule);
        decode_rows[i].build(&raw, true);
        if (wire_decode(raw.b, raw.n, &d) != -1)
            fail_msg("%s: the breaking datagram was accepted", decode_rows[i].rule);
    }
}

/* Each row fills a struct that keeps the rule (encodes) or breaks it (-1). */
struct encode_row {
    const char *rule;
    void (*build)(struct wire_msg *m, bool bad);
};

static void e_type(struct wire_msg *m, bool bad)
{
    m->type = bad ? 99 : WIRE_C_CLOSE;
}

static void e_call_count(struct wire_msg *m, bool bad)
{
    m->type = WIRE_C_CALL;
    m->u.call_req.flags = WIRE_CALL_MEMFD;
    m->u.call_req.vecs = (struct wire_vecs){bad ? 3 : 2, 2, {1, 1, 1}, {1, 1}};
}

static void e_call_count_out(struct wire_msg *m, bool bad)
{
    m->type = WIRE_C_CALL;
    m->u.call_req.flags = WIRE_CALL_MEMFD;
    m->u.call_req.vecs = (struct wire_vecs){0, bad ? 5 : 4, {0}, {1, 1, 1, 1}};
}

static void e_call_payload(struct wire_msg *m, bool bad)
{
    m->type = WIRE_C_CALL;
    m->u.call_req.flags = WIRE_CALL_MEMFD;
    m->u.call_req.vecs = (struct wire_vecs){1, 1, {WIRE_MAX_PAYLOAD}, {bad ? 1 : 0}};
}

static void e_call_inline(struct wire_msg *m, bool bad)
{
    m->type = WIRE_C_CALL;
    m->u.call_req.vecs = (struct wire_vecs){1, 1, {16}, {WIRE_INLINE_MAX - 16 + bad}};
    m->u.call_req.in[0] = pay_c;
}

static void e_call_flags(struct wire_msg *m, bool bad)
{
    m->type = WIRE_C_CALL;
    m->u.call_req.flags = bad ? 0x02 : WIRE_CALL_MEMFD;
}

static void e_call_null_in(struct wire_msg *m, bool bad)
{
    m->type = WIRE_C_CALL;
    m->u.call_req.vecs = (struct wire_vecs){1, 0, {4}, {0}};
    m->u.call_req.in[0] = bad ? NULL : pay_c;
}

static void e_deliver_inline(struct wire_msg *m, bool bad)
{
    m->type = WIRE_S_MSG;
    m->u.deliver.vecs = (struct wire_vecs){1, 1, {16}, {WIRE_INLINE_MAX - 16 + bad}};
    m->u.deliver.in[0] = pay_c;
}

static void e_call_rep_count(struct wire_msg *m, bool bad)
{
    m->type = WIRE_R_CALL;
    m->u.call_rep.flags = WIRE_CALL_MEMFD;
    m->u.call_rep.n_out = bad ? 5 : 4;
}

static void e_call_rep_inline(struct wire_msg *m, bool bad)
{
    m->type = WIRE_R_CALL;
    m->u.call_rep.n_out = 1;
    m->u.call_rep.written[0] = WIRE_INLINE_MAX + bad;
    m->u.call_rep.out[0] = pay_big;
}

static void e_call_rep_payload(struct wire_msg *m, bool bad)
{
    m->type = WIRE_R_CALL;
    m->u.call_rep.flags = WIRE_CALL_MEMFD;
    m->u.call_rep.n_out = 2;
    m->u.call_rep.written[0] = WIRE_MAX_PAYLOAD;
    m->u.call_rep.written[1] = bad ? 1 : 0;
}

static void e_call_rep_null_out(struct wire_msg *m, bool bad)
{
    m->type = WIRE_R_CALL;
    m->u.call_rep.n_out = 1;
    m->u.call_rep.written[0] = 3;
    m->u.call_rep.out[0] = bad ? NULL : pay_c;
}

static void e_call_rep_flags(struct wire_msg *m, bool bad)
{
    m->type = WIRE_R_CALL;
    m->u.call_rep.flags = bad ? WIRE_REPLY_SET_RHANDLE : WIRE_CALL_MEMFD;
}

static void e_reply_flags(struct wire_msg *m, bool bad)
{
    m->type = WIRE_P_REPLY;
    m->u.reply.flags = bad ? 0x04 : WIRE_CALL_MEMFD | WIRE_REPLY_SET_RHANDLE;
}

static void e_reply_inline(struct wire_msg *m, bool bad)
{
    m->type = WIRE_P_REPLY;
    m->u.reply.n_out = 2;
    m->u.reply.written[0] = WIRE_INLINE_MAX;
    m->u.reply.written[1] = bad ? 1 : 0;
    m->u.reply.out[0] = pay_big;
    m->u.reply.out[1] = pay_big;
}

static void e_irq_level(struct wire_msg *m, bool bad)
{
    m->type = WIRE_C_IRQ;
    strcpy(m->u.irq_req.source, "uart0");
    m->u.irq_req.level = bad ? 2 : 1;
}

static void e_irq_source(struct wire_msg *m, bool bad)
{
    m->type = WIRE_C_IRQ;
    memset(m->u.irq_req.source, 's', sizeof(m->u.irq_req.source)); /* unterminated */
    if (!bad)
        m->u.irq_req.source[WIRE_MAX_NAME - 1] = '\0';
}

static void e_buffer_zero(struct wire_msg *m, bool bad)
{
    m->type = WIRE_C_BUFFER;
    m->u.buffer_req.size = bad ? 0 : 1;
}

static void e_buffer_max(struct wire_msg *m, bool bad)
{
    m->type = WIRE_C_BUFFER;
    m->u.buffer_req.size = bad ? (uint64_t)WIRE_MAX_PAYLOAD + 1 : WIRE_MAX_PAYLOAD;
}

static void e_hello_services(struct wire_msg *m, bool bad)
{
    m->type = WIRE_P_HELLO;
    m->u.hello.n_services = bad ? WIRE_MAX_SERVICES + 1 : WIRE_MAX_SERVICES;
}

static void e_hello_irqs(struct wire_msg *m, bool bad)
{
    m->type = WIRE_P_HELLO;
    m->u.hello.n_irqs = bad ? WIRE_MAX_IRQS + 1 : WIRE_MAX_IRQS;
}

static void e_hello_flih(struct wire_msg *m, bool bad)
{
    m->type = WIRE_P_HELLO;
    m->u.hello.n_irqs = 1;
    m->u.hello.irqs[0].flih = bad ? 2 : 1;
}

static void e_hello_name(struct wire_msg *m, bool bad)
{
    m->type = WIRE_P_HELLO;
    memset(m->u.hello.name, 'n', sizeof(m->u.hello.name));
    if (!bad)
        m->u.hello.name[WIRE_MAX_NAME - 1] = '\0';
}

static void e_log_text(struct wire_msg *m, bool bad)
{
    m->type = WIRE_P_LOG;
    memset(m->u.text.text, 't', sizeof(m->u.text.text));
    if (!bad)
        m->u.text.text[WIRE_MAX_LOG - 1] = '\0';
}

static void e_panic_text(struct wire_msg *m, bool bad)
{
    e_log_text(m, bad);
    m->type = WIRE_P_PANIC;
}

static void e_irq_op(struct wire_msg *m, bool bad)
{
    m->type = WIRE_P_IRQ;
    m->u.irq_ctl.op = bad ? 4 : WIRE_IRQ_DISABLE;
}

static void e_irq_op_zero(struct wire_msg *m, bool bad)
{
    m->type = WIRE_P_IRQ;
    m->u.irq_ctl.op = bad ? 0 : WIRE_IRQ_ENABLE;
}

static void e_reset_calls(struct wire_msg *m, bool bad)
{
    m->type = WIRE_P_RESET;
    m->u.reset.n_calls = bad ? WIRE_RESET_MAX_CALLS + 1 : WIRE_RESET_MAX_CALLS;
}

static void e_config_services(struct wire_msg *m, bool bad)
{
    m->type = WIRE_S_CONFIG;
    m->u.config.n_services = bad ? WIRE_MAX_SERVICES + 1 : WIRE_MAX_SERVICES;
}

static void e_config_partitions(struct wire_msg *m, bool bad)
{
    m->type = WIRE_S_CONFIG;
    m->u.config.n_partitions = bad ? WIRE_MAX_PARTITIONS + 1 : WIRE_MAX_PARTITIONS;
}

static void e_config_flags(struct wire_msg *m, bool bad)
{
    m->type = WIRE_S_CONFIG;
    m->u.config.n_services = 1;
    m->u.config.services[0].flags = bad ? 0x80 : WIRE_SVC_MM_IOVEC;
}

static void e_config_storage(struct wire_msg *m, bool bad)
{
    m->type = WIRE_S_CONFIG;
    m->u.config.storage = bad ? 2 : 1;
}

static void e_region_bools(struct wire_msg *m, bool bad)
{
    m->type = WIRE_S_REGION;
    m->u.region.writable = 1;
    m->u.region.trap = 1;
    m->u.region.otp = bad ? 3 : 1;
}

static void e_region_name(struct wire_msg *m, bool bad)
{
    m->type = WIRE_S_REGION;
    memset(m->u.region.name, 'r', sizeof(m->u.region.name));
    if (!bad)
        m->u.region.name[0] = '\0';
}

static const struct encode_row encode_rows[] = {
    {"a known type", e_type},
    {"C_CALL: n_in + n_out <= 4", e_call_count},
    {"C_CALL: n_out <= 4", e_call_count_out},
    {"C_CALL: in + out <= WIRE_MAX_PAYLOAD", e_call_payload},
    {"C_CALL: inline in + out <= WIRE_INLINE_MAX", e_call_inline},
    {"C_CALL: known flags only", e_call_flags},
    {"C_CALL: an inline input has its buffer", e_call_null_in},
    {"S_MSG: inline in + out <= WIRE_INLINE_MAX", e_deliver_inline},
    {"R_CALL: n_out <= 4", e_call_rep_count},
    {"R_CALL: inline written <= WIRE_INLINE_MAX", e_call_rep_inline},
    {"R_CALL: written <= WIRE_MAX_PAYLOAD", e_call_rep_payload},
    {"R_CALL: written bytes have their buffer", e_call_rep_null_out},
    {"R_CALL: known flags only", e_call_rep_flags},
    {"P_REPLY: known flags only", e_reply_flags},
    {"P_REPLY: inline written <= WIRE_INLINE_MAX", e_reply_inline},
    {"C_IRQ: level 0 or 1", e_irq_level},
    {"C_IRQ: the source fits", e_irq_source},
    {"C_BUFFER: at least 1 byte", e_buffer_zero},
    {"C_BUFFER: at most WIRE_MAX_PAYLOAD", e_buffer_max},
    {"P_HELLO: services <= WIRE_MAX_SERVICES", e_hello_services},
    {"P_HELLO: irqs <= WIRE_MAX_IRQS", e_hello_irqs},
    {"P_HELLO: flih 0 or 1", e_hello_flih},
    {"P_HELLO: the name fits", e_hello_name},
    {"P_LOG: the text fits", e_log_text},
    {"P_PANIC: the text fits", e_panic_text},
    {"P_IRQ: a known operation", e_irq_op},
    {"P_IRQ: no operation 0", e_irq_op_zero},
    {"P_RESET: calls <= WIRE_RESET_MAX_CALLS", e_reset_calls},
    {"S_CONFIG: services <= WIRE_MAX_SERVICES", e_config_services},
    {"S_CONFIG: partitions <= WIRE_MAX_PARTITIONS", e_config_partitions},
    {"S_CONFIG: known service flags only", e_config_flags},
    {"S_CONFIG: storage 0 or 1", e_config_storage},
    {"S_REGION: otp 0 or 1", e_region_bools},
    {"S_REGION: the name fits", e_region_name},
};

static void test_encode_rules(void **state)
{
    struct wire_msg m;
    struct wire_frame f;
    size_t i;

    (void)state;
    for (i = 0; i < N_ELEMS(encode_rows); i++) {
        memset(&m, 0, sizeof(m));
        encode_rows[i].build(&m, false);
        if (wire_encode(&f, &m) != 0)
            fail_msg("%s: the valid message was refused", encode_rows[i].rule);
        memset(&m, 0, sizeof(m));
        encode_rows[i].build(&m, true);
        if (wire_encode(&f, &m) != -1)
            fail_msg("%s: the breaking message was encoded", encode_rows[i].rule);
    }
}

/* ---- datagram I/O ---- */

static int count_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int n = 0;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n - 1; /* the directory's own */
}

/* The descriptor number the next received one would get. */
static int next_fd(void)
{
    int fd = dup(0);

    assert_true(fd >= 0);
    close(fd);
    return fd;
}

static void send_fds(int sock, const void *data, size_t len, const int *fds, int n)
{
    union {
        char buf[CMSG_SPACE(2 * sizeof(int))];
        struct cmsghdr align;
    } ctl;
    struct iovec iov = {(void *)(uintptr_t)data, len};
    struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
    struct cmsghdr *c;

    memset(&ctl, 0, sizeof(ctl));
    mh.msg_control = ctl.buf;
    mh.msg_controllen = CMSG_SPACE((size_t)n * sizeof(int));
    c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN((size_t)n * sizeof(int));
    memcpy(CMSG_DATA(c), fds, (size_t)n * sizeof(int));
    assert_int_equal(sendmsg(sock, &mh, 0), (ssize_t)len);
}

/* A zero-length datagram carrying a descriptor: wire_recv returns 0 and
 * the descriptor it received is closed, not leaked. */
static void test_recv_closes_fd_of_empty_datagram(void **state)
{
    uint8_t buf[64];
    int sv[2], p[2], fd = 7, before, expect;
    long n;

    (void)state;
    assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
    assert_int_equal(pipe(p), 0);
    send_fds(sv[1], "", 0, &p[0], 1);
    close(p[0]);
    close(p[1]);
    before = count_fds();
    expect = next_fd();
    n = wire_recv(sv[0], buf, sizeof(buf), &fd);
    assert_int_equal(n, 0);
    assert_int_equal(fd, -1);
    errno = 0;
    assert_int_equal(fcntl(expect, F_GETFD), -1);
    assert_int_equal(errno, EBADF);
    assert_int_equal(count_fds(), before);
    close(sv[0]);
    close(sv[1]);
}

/* A frame with payload iovecs and a descriptor arrives whole; two
 * descriptors or a datagram past the buffer are EBADMSG, leaking nothing. */
static void test_send_recv(void **state)
{
    static uint8_t buf[WIRE_MAX_MSG];
    struct wire_frame f;
    struct wire_msg d;
    int sv[2], p[2], fd, before, two[2];
    long n;
    size_t i;

    (void)state;
    assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
    assert_int_equal(pipe(p), 0);
    for (i = 0; i < n_samples; i++) {
        assert_int_equal(wire_encode(&f, &samples[i]), 0);
        assert_int_equal(wire_send(sv[1], &f, i == 2 ? p[0] : -1), 0);
        n = wire_recv(sv[0], buf, sizeof(buf), &fd);
        assert_int_equal(n, (long)f.len);
        assert_int_equal(wire_decode(buf, (size_t)n, &d), 0);
        assert_msg_equal(&samples[i], &d);
        if (i == 2) {
            assert_true(fd >= 0 && fd != p[0]);
            assert_int_equal(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
            close(fd);
        } else {
            assert_int_equal(fd, -1);
        }
    }
    before = count_fds();
    two[0] = p[0];
    two[1] = p[1];
    send_fds(sv[1], "12345678", 8, two, 2);
    n = wire_recv(sv[0], buf, sizeof(buf), &fd);
    assert_int_equal(n, -1);
    assert_int_equal(errno, EBADMSG);
    assert_int_equal(fd, -1);
    assert_int_equal(count_fds(), before);
    /* truncated: the receiver's buffer is smaller than the datagram */
    send_fds(sv[1], "12345678", 8, &p[0], 1);
    n = wire_recv(sv[0], buf, 4, &fd);
    assert_int_equal(n, -1);
    assert_int_equal(errno, EBADMSG);
    assert_int_equal(fd, -1);
    assert_int_equal(count_fds(), before);
    /* end of stream */
    close(sv[1]);
    assert_int_equal(wire_recv(sv[0], buf, sizeof(buf), &fd), 0);
    assert_int_equal(fd, -1);
    /* a peer that is gone: EPIPE, and no SIGPIPE */
    assert_int_equal(wire_encode(&f, &samples[0]), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, two), 0);
    close(two[0]);
    assert_int_equal(wire_send(two[1], &f, -1), -1);
    assert_int_equal(errno, EPIPE);
    close(two[1]);
    close(sv[0]);
    close(p[0]);
    close(p[1]);
}

/* An unreadable payload buffer is the sender's EFAULT, nothing sent. */
static void test_send_efault(void **state)
{
    struct wire_msg m;
    struct wire_frame f;
    int sv[2];

    (void)state;
    memset(&m, 0, sizeof(m));
    m.type = WIRE_C_CALL;
    m.u.call_req.vecs = (struct wire_vecs){1, 0, {16}, {0}};
    m.u.call_req.in[0] = (const void *)(uintptr_t)16; /* the first page is never mapped */
    assert_int_equal(wire_encode(&f, &m), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv), 0);
    assert_int_equal(wire_send(sv[0], &f, -1), -1);
    assert_int_equal(errno, EFAULT);
    close(sv[0]);
    close(sv[1]);
}

/* ---- stateless handles, vector totals ---- */

static void test_stateless_handles(void **state)
{
    static const int32_t not_stateless[] = {0, 1, 0x100, 0x3fffffff, -0x40000100, INT32_MIN, -1};
    static const int32_t malformed[] = {0x40000020, 0x40010100, 0x40000080, 0x60000100};
    uint32_t version, slot, v, s;
    size_t i;

    (void)state;
    /* TF-M's: Crypto is slot 0 at version 1, ITS slot 2 */
    assert_int_equal(wire_stateless_handle(1, 0), 0x40000100);
    assert_int_equal(wire_stateless_handle(1, 2), 0x40000102);
    assert_int_equal(wire_stateless_handle(255, 31), 0x4000ff1f);
    for (version = 0; version < 256; version += 17) {
        for (slot = 0; slot < 32; slot++) {
            int32_t h = (int32_t)wire_stateless_handle(version, slot);

            assert_true(wire_is_stateless(h));
            assert_int_equal(wire_stateless_parts(h, &v, &s), 0);
            assert_int_equal(v, version);
            assert_int_equal(s, slot);
            assert_int_equal(wire_stateless_parts(h, NULL, NULL), 0);
        }
    }
    for (i = 0; i < N_ELEMS(not_stateless); i++) {
        assert_false(wire_is_stateless(not_stateless[i]));
        assert_int_equal(wire_stateless_parts(not_stateless[i], &v, &s), -1);
    }
    for (i = 0; i < N_ELEMS(malformed); i++) {
        assert_true(wire_is_stateless(malformed[i]));
        assert_int_equal(wire_stateless_parts(malformed[i], &v, &s), -1);
    }
}

static void test_vecs_totals(void **state)
{
    struct wire_vecs v = {2, 2, {3, 4, 99, 99}, {0xffffffffu, 0xffffffffu, 99, 99}};

    (void)state;
    assert_int_equal(wire_vecs_in_total(&v), 7);
    assert_true(wire_vecs_out_total(&v) == 2ull * 0xffffffffu); /* no wrap */
    v.n_in = 0;
    v.n_out = 0;
    assert_int_equal(wire_vecs_in_total(&v) + wire_vecs_out_total(&v), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_type_has_a_sample),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_payload_is_not_copied),
        cmocka_unit_test(test_every_truncation_refused),
        cmocka_unit_test(test_trailing_byte_refused),
        cmocka_unit_test(test_header_refused),
        cmocka_unit_test(test_decode_rules),
        cmocka_unit_test(test_encode_rules),
        cmocka_unit_test(test_recv_closes_fd_of_empty_datagram),
        cmocka_unit_test(test_send_recv),
        cmocka_unit_test(test_send_efault),
        cmocka_unit_test(test_stateless_handles),
        cmocka_unit_test(test_vecs_totals),
    };

    return cmocka_run_group_tests_name("wire", tests, setup, NULL);
}
