/*
 * tmx.h - the engine's private view: the plan tm_load() builds from a
 * checked model, and the kernels tm_run() drives with it.
 *
 * tm_run() never reads an offset, size or dimension from the model again:
 * everything it follows is in the plan, copied and checked at load (the
 * model's bytes may even change afterwards without taking it out of bounds).
 * Weights are copied into the plan in the order the kernels read them,
 * biases and scales are copied aligned; the scratch the kernels need is
 * sized at load, so tm_run() allocates nothing.
 */
#ifndef TMX_H
#define TMX_H

#include <stddef.h>
#include <stdint.h>

#include "tinymaix.h"

/* The SIMD kernels: SSE2 where the compiler targets it, AVX2 chosen at load
 * on x86-64; -DTMX_NO_SIMD builds the plain C ones everywhere (the tests
 * run that build too). */
#if defined(__SSE2__) && !defined(TMX_NO_SIMD)
#define TMX_SSE2 1
#endif
#if defined(__x86_64__) && defined(__GNUC__) && !defined(TMX_NO_SIMD)
#define TMX_X86_64 1
#endif

#define TMX_PLAN_MAGIC 0x786d7470U /* "ptmx" */

/* One layer, as tm_run() runs it. */
struct tmx_layer {
    const uint8_t *head; /* the layer in the model, for the callback */
    uint16_t type;
    uint16_t is_out;
    uint32_t in_oft, in1_oft, out_oft; /* in the main buffer */
    uint32_t ih, iw, ic, oh, ow, oc;
    uint16_t in_dims[4], out_dims[4];
    float in_s, in_s1, out_s;
    int32_t in_zp, in_zp1, out_zp;
    /* convolution and fully connected */
    uint32_t kh, kw, sy, sx, dy, dx, pad_t, pad_l, dmul, act;
    uint32_t k;      /* products per output value */
    uint32_t kp;     /* k rounded up to 8: the int16 weight rows of int8 conv and fc */
    uint32_t ocp;    /* oc rounded up to 16 (int8): rows of biases, scales, dw weights */
    size_t w, b, sc; /* plan offsets: weights, biases, per-channel scales */
    int contig;      /* conv: a whole kernel window is one run of the input */
    size_t deq;      /* main-buffer offset of the dequantized output, or 0 */
};

struct tmx_plan {
    uint32_t magic;
    uint8_t type; /* TM_MDL_INT8 or TM_MDL_FP32 */
    uint8_t out_deq;
    uint8_t avx2; /* the CPU has AVX2: the int8 conv kernels use it */
    uint16_t n;   /* layers */
    uint32_t buf_size;
    size_t patch; /* plan offset of the im2col patch (max_k values) */
    size_t acc;   /* plan offset of the per-channel scratch (int32/float) */
    size_t size;  /* bytes of the plan */
    struct tmx_layer l[];
};

/* int8 conv and fc widen their whole input to int16 once, after two
 * window buffers in the patch scratch (conv builds the next window while
 * the stores of the last settle), at this index; windows and input have 8
 * values of slack, so that the kernels copy and read in whole vectors (what
 * they read past a window meets the zero tail of the weight rows). */
#define TMX_WIN(kp) (((size_t)(kp) + 8 + 7) / 8 * 8)
#define TMX_WIDE_AT(kp) (2 * TMX_WIN(kp))

#define TMX_AT(plan, off, type) ((type *)((uint8_t *)(plan) + (off)))

void tmx_run_i8(struct tmx_plan *p, const struct tmx_layer *l, uint8_t *buf, const int8_t *in);
void tmx_run_f32(struct tmx_plan *p, const struct tmx_layer *l, uint8_t *buf, const float *in);

/* TinyMaix's float -> int8 conversion as x86 performs it: truncate to
 * int32 (0x80000000 when out of range or NaN), keep the low byte. */
static inline int8_t tmx_f2q(float f)
{
    if (!(f >= -2147483648.0f && f < 2147483648.0f))
        return 0;
    return (int8_t)(uint8_t)(uint32_t)(int32_t)f;
}

#endif
