/*
 * tmdl_build.c - the .tmdl writer of tmdl_build.h.
 */
#include <string.h>

#include "tmdl_build.h"

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void putf(uint8_t *p, float f)
{
    uint32_t v;
    memcpy(&v, &f, 4);
    put32(p, v);
}

static size_t align8(size_t n)
{
    return (n + 7) / 8 * 8;
}

void tmdl_begin(struct tmdl *m, int type, uint32_t buf_size, const uint16_t in[3], int out_deq)
{
    memset(m, 0, sizeof *m);
    m->type = type;
    put32(m->b, 0x5849414D);
    m->b[4] = (uint8_t)type;
    m->b[5] = (uint8_t)out_deq;
    put16(m->b + 6, 1);
    put32(m->b + 12, buf_size);
    put16(m->b + 20, 3);
    for (int i = 0; i < 3; i++)
        put16(m->b + 22 + 2 * i, in[i]);
    m->len = 64;
}

/* The 48-byte head of a layer of size bytes at m->len. */
static uint8_t *head(struct tmdl *m, int type, const struct tmdl_io *io, size_t size)
{
    uint8_t *l = m->b + m->len;
    memset(l, 0, size);
    put16(l, (uint16_t)type);
    put16(l + 2, io->is_out);
    put32(l + 4, (uint32_t)size);
    put32(l + 8, io->in_oft);
    put32(l + 12, io->out_oft);
    put16(l + 16, 3);
    put16(l + 24, 3);
    for (int i = 0; i < 3; i++) {
        put16(l + 18 + 2 * i, io->in[i]);
        put16(l + 26 + 2 * i, io->out[i]);
    }
    if (m->type == 0) {
        putf(l + 32, io->q.in_s);
        put32(l + 36, (uint32_t)io->q.in_zp);
        putf(l + 40, io->q.out_s);
        put32(l + 44, (uint32_t)io->q.out_zp);
    } else {
        putf(l + 32, 1.0f);
        putf(l + 40, 1.0f);
    }
    if (io->is_out) {
        m->outs++;
        for (int i = 0; i < 3; i++)
            put16(m->b + 30 + 2 * i, io->out[i]);
        put16(m->b + 28, 3);
    }
    return l;
}

/* Parameters after the layer's fixed part: scales (int8), weights, biases. */
static void params(struct tmdl *m, uint8_t *l, size_t fixed, int oc, int nws, const float *ws,
                   size_t nw, const void *w, const void *b, uint32_t offs[3])
{
    size_t es = m->type == 0 ? 1 : 4, at = fixed;
    offs[0] = (uint32_t)at;
    if (m->type == 0) {
        for (int i = 0; i < nws; i++)
            putf(l + at + 4 * i, ws[i]);
        at = align8(at + 4 * (size_t)nws);
    }
    offs[1] = (uint32_t)at;
    memcpy(l + at, w, nw * es);
    at = align8(at + nw * es);
    offs[2] = (uint32_t)at;
    memcpy(l + at, b, (size_t)oc * 4);
}

static size_t param_size(const struct tmdl *m, size_t fixed, int oc, int nws, size_t nw)
{
    size_t es = m->type == 0 ? 1 : 4, n = fixed;
    if (m->type == 0)
        n = align8(n + 4 * (size_t)nws);
    return align8(align8(n + nw * es) + 4 * (size_t)oc);
}

void tmdl_conv(struct tmdl *m, const struct tmdl_io *io, const struct tmdl_conv *c, const float *ws,
               const void *w, const void *b)
{
    int oc = io->out[2];
    size_t nw = (size_t)oc * c->kh * c->kw * (c->dmul ? 1 : io->in[2]);
    size_t size = param_size(m, 80, oc, oc, nw);
    uint8_t *l = head(m, c->dmul ? 5 : 0, io, size);
    uint32_t offs[3];
    l[48] = c->kw, l[49] = c->kh, l[50] = c->sx, l[51] = c->sy;
    l[52] = c->dx, l[53] = c->dy;
    put16(l + 54, c->act);
    memcpy(l + 56, c->pad, 4);
    put32(l + 60, c->dmul);
    params(m, l, 80, oc, oc, ws, nw, w, b, offs);
    put32(l + 68, offs[0]);
    put32(l + 72, offs[1]);
    put32(l + 76, offs[2]);
    m->len += size;
    put16(m->b + 10, (uint16_t)(m->b[10] + (m->b[11] << 8) + 1));
}

void tmdl_fc(struct tmdl *m, const struct tmdl_io *io, float ws, const void *w, const void *b)
{
    int oc = io->out[2];
    size_t nw = (size_t)oc * io->in[2];
    size_t size = param_size(m, 64, oc, 1, nw);
    uint8_t *l = head(m, 2, io, size);
    uint32_t offs[3];
    params(m, l, 64, oc, 1, &ws, nw, w, b, offs);
    put32(l + 48, offs[0]);
    put32(l + 52, offs[1]);
    put32(l + 56, offs[2]);
    m->len += size;
    put16(m->b + 10, (uint16_t)(m->b[10] + (m->b[11] << 8) + 1));
}

void tmdl_plain(struct tmdl *m, int type, const struct tmdl_io *io)
{
    head(m, type, io, 48);
    m->len += 48;
    put16(m->b + 10, (uint16_t)(m->b[10] + (m->b[11] << 8) + 1));
}

void tmdl_add(struct tmdl *m, const struct tmdl_io *io, uint32_t in1_oft, float s1, int32_t zp1)
{
    uint8_t *l = head(m, 6, io, 64);
    put32(l + 48, in1_oft);
    if (m->type == 0) {
        putf(l + 52, s1);
        put32(l + 56, (uint32_t)zp1);
    } else {
        putf(l + 52, 1.0f);
    }
    m->len += 64;
    put16(m->b + 10, (uint16_t)(m->b[10] + (m->b[11] << 8) + 1));
}

size_t tmdl_end(struct tmdl *m)
{
    put16(m->b + 8, m->outs);
    return m->len;
}
