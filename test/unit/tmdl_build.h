/*
 * tmdl_build.h - write small .tmdl models in memory, for the engine's
 * tests and the fuzzer's seeds: the format as TinyMaix's converter writes
 * it (64-byte header, layers 8-byte aligned, parameters after each head).
 */
#ifndef TMDL_BUILD_H
#define TMDL_BUILD_H

#include <stddef.h>
#include <stdint.h>

struct tmdl {
    uint8_t b[1 << 21];
    size_t len;
    int type; /* 0 int8, 2 fp32 */
    uint16_t outs;
};

/* quantization of a layer (ignored for fp32 models) */
struct tmdl_q {
    float in_s;
    int32_t in_zp;
    float out_s;
    int32_t out_zp;
};

/* A layer's place: where it reads and writes in the main buffer, its dims. */
struct tmdl_io {
    uint16_t is_out;
    uint32_t in_oft, out_oft;
    uint16_t in[3], out[3]; /* h, w, c */
    struct tmdl_q q;
};

struct tmdl_conv {
    uint8_t kw, kh, sx, sy, dx, dy;
    uint16_t act;
    uint8_t pad[4]; /* top, bottom, left, right */
    uint32_t dmul;  /* 0: conv2d */
};

/**
 * tmdl_begin() - start a model of type (0 int8, 2 fp32) with input dims in.
 */
void tmdl_begin(struct tmdl *m, int type, uint32_t buf_size, const uint16_t in[3], int out_deq);

/**
 * tmdl_conv() - add a conv2d (c->dmul 0) or depthwise layer.
 * @ws: oc weight scales (int8), @w: int8_t or float weights [oc][ic][kh][kw]
 *      ([oc][kh][kw] depthwise), @b: int32_t or float biases.
 */
void tmdl_conv(struct tmdl *m, const struct tmdl_io *io, const struct tmdl_conv *c, const float *ws,
               const void *w, const void *b);

/**
 * tmdl_fc() - add a fully connected layer: @w [oc][ic], @ws one scale.
 */
void tmdl_fc(struct tmdl *m, const struct tmdl_io *io, float ws, const void *w, const void *b);

/**
 * tmdl_plain() - add a GAP, softmax or reshape layer (type 1, 3, 4).
 */
void tmdl_plain(struct tmdl *m, int type, const struct tmdl_io *io);

/**
 * tmdl_add() - add an ADD layer: in (io) + in1 at in1_oft with scale s1, zp1.
 */
void tmdl_add(struct tmdl *m, const struct tmdl_io *io, uint32_t in1_oft, float s1, int32_t zp1);

/**
 * tmdl_end() - set the header's counts and output dims; returns the length.
 */
size_t tmdl_end(struct tmdl *m);

#endif
