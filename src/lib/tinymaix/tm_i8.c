/*
 * tm_i8.c - the int8 kernels.
 *
 * Results are TinyMaix's bit for bit: the integer sums are exact whatever
 * their order, and every float step after them (sum scale, activation,
 * requantization, softmax) is TinyMaix's expression, in its order and
 * precision (the build has -ffp-contract=off: no fused multiply-add).
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "tmx.h"

#ifdef TMX_SSE2
#include <emmintrin.h>
#endif
#ifdef TMX_X86_64
#include <immintrin.h>
#endif

/* The products of int8 values fit int16: the kernels widen both sides to
 * int16 (weights at load, windows here) and multiply-add pairs (SSE2
 * pmaddwd).  k is a multiple of 8, the tails zero. */
static inline int32_t dot(const int16_t *restrict a, const int16_t *restrict w, size_t k)
{
    int32_t s = 0;
    for (size_t i = 0; i < k; i++)
        s += a[i] * w[i];
    return s;
}

static inline void widen(int16_t *restrict d, const int8_t *restrict s, size_t n)
{
    size_t i = 0;
#ifdef TMX_SSE2
    for (; i + 8 <= n; i += 8) {
        __m128i x = _mm_loadl_epi64((const __m128i *)(const void *)(s + i));
        _mm_storeu_si128((__m128i *)(void *)(d + i), _mm_srai_epi16(_mm_unpacklo_epi8(x, x), 8));
    }
#endif
    for (; i < n; i++)
        d[i] = s[i];
}

/* TinyMaix's tm_postprocess_sum: bias, sum scale, activation, requantize.
 * The bias add wraps as two's complement, as TinyMaix's does on x86. */
static inline int8_t post(int32_t sum, int32_t b, float sc, uint32_t act, float inv, float zp)
{
    float f = (float)(int32_t)((uint32_t)sum + (uint32_t)b) * sc;
    switch (act) {
    case TM_ACT_RELU:
        f = f > 0 ? f : 0;
        break;
    case TM_ACT_RELU6:
        f = f > 0 ? f : 0;
        f = f > 6 ? 6 : f;
        break;
    case TM_ACT_RELU1:
        f = f > 1 ? 1 : f;
        f = f < -1 ? -1 : f;
        break;
    case TM_ACT_TANH:
        f = tanhf(f);
        break;
    default:
        break;
    }
    return tmx_f2q(f * inv + zp);
}

/* The activations the vector post-processing does (the others need libm). */
static inline int vec_act(uint32_t act)
{
    return act == TM_ACT_NONE || act == TM_ACT_RELU || act == TM_ACT_RELU6;
}

#ifdef TMX_SSE2
/* post() on four channels at once, for the activations that need no libm:
 * maxps is f > 0 ? f : 0, minps 6 < f ? 6 : f, cvttps2dq the conversion
 * tmx_f2q emulates; the low bytes are kept (pand, then packs that cannot
 * saturate). */
static inline int32_t post4(__m128i sum, const int32_t *b, const float *sc, uint32_t act, float inv,
                            float zp)
{
    sum = _mm_add_epi32(sum, _mm_loadu_si128((const void *)b));
    __m128 f = _mm_mul_ps(_mm_cvtepi32_ps(sum), _mm_loadu_ps(sc));
    if (act != TM_ACT_NONE)
        f = _mm_max_ps(f, _mm_setzero_ps());
    if (act == TM_ACT_RELU6)
        f = _mm_min_ps(_mm_set1_ps(6.0f), f);
    f = _mm_add_ps(_mm_mul_ps(f, _mm_set1_ps(inv)), _mm_set1_ps(zp));
    __m128i q = _mm_and_si128(_mm_cvttps_epi32(f), _mm_set1_epi32(0xff));
    q = _mm_packus_epi16(_mm_packs_epi32(q, q), q);
    return _mm_cvtsi128_si32(q);
}

#endif

/* Four output channels c..c+3 against one window, post-processed. */
static inline void out4(const int16_t *restrict a, const int16_t *restrict w, size_t k,
                        const int32_t *b, const float *sc, uint32_t act, float inv, float zp,
                        int8_t *out)
{
#ifdef TMX_SSE2
    __m128i s0 = _mm_setzero_si128(), s1 = s0, s2 = s0, s3 = s0;
    for (size_t i = 0; i < k; i += 8) {
        __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(a + i));
        s0 = _mm_add_epi32(s0, _mm_madd_epi16(x, _mm_loadu_si128((const void *)(w + i))));
        s1 = _mm_add_epi32(s1, _mm_madd_epi16(x, _mm_loadu_si128((const void *)(w + k + i))));
        s2 = _mm_add_epi32(s2, _mm_madd_epi16(x, _mm_loadu_si128((const void *)(w + 2 * k + i))));
        s3 = _mm_add_epi32(s3, _mm_madd_epi16(x, _mm_loadu_si128((const void *)(w + 3 * k + i))));
    }
    /* four horizontal sums into one vector: lane j is channel c + j */
    __m128i u0 = _mm_add_epi32(_mm_unpacklo_epi32(s0, s1), _mm_unpackhi_epi32(s0, s1));
    __m128i u1 = _mm_add_epi32(_mm_unpacklo_epi32(s2, s3), _mm_unpackhi_epi32(s2, s3));
    __m128i sum = _mm_add_epi32(_mm_unpacklo_epi64(u0, u1), _mm_unpackhi_epi64(u0, u1));
    if (vec_act(act)) {
        int32_t four = post4(sum, b, sc, act, inv, zp);
        memcpy(out, &four, 4);
        return;
    }
    int32_t s[4];
    _mm_storeu_si128((void *)s, sum);
#else
    int32_t s[4] = {0, 0, 0, 0};
    for (size_t i = 0; i < k; i++) {
        s[0] += a[i] * w[i];
        s[1] += a[i] * w[k + i];
        s[2] += a[i] * w[2 * k + i];
        s[3] += a[i] * w[3 * k + i];
    }
#endif
    for (int j = 0; j < 4; j++)
        out[j] = post(s[j], b[j], sc[j], act, inv, zp);
}

#ifdef TMX_X86_64
#define TMX_AVX2 1
/* out4() with 16 lanes: the same exact integer sums, so the same results. */
__attribute__((target("avx2"))) static inline void
out4_avx2(const int16_t *restrict a, const int16_t *restrict w, size_t k, const int32_t *b,
          const float *sc, uint32_t act, float inv, float zp, int8_t *out)
{
    __m256i t0 = _mm256_setzero_si256(), t1 = t0, t2 = t0, t3 = t0;
    size_t i = 0;
    for (; i + 16 <= k; i += 16) {
        __m256i x = _mm256_loadu_si256((const void *)(a + i));
        t0 = _mm256_add_epi32(t0, _mm256_madd_epi16(x, _mm256_loadu_si256((const void *)(w + i))));
        t1 = _mm256_add_epi32(t1,
                              _mm256_madd_epi16(x, _mm256_loadu_si256((const void *)(w + k + i))));
        t2 = _mm256_add_epi32(
            t2, _mm256_madd_epi16(x, _mm256_loadu_si256((const void *)(w + 2 * k + i))));
        t3 = _mm256_add_epi32(
            t3, _mm256_madd_epi16(x, _mm256_loadu_si256((const void *)(w + 3 * k + i))));
    }
    __m128i s0 = _mm_add_epi32(_mm256_castsi256_si128(t0), _mm256_extracti128_si256(t0, 1));
    __m128i s1 = _mm_add_epi32(_mm256_castsi256_si128(t1), _mm256_extracti128_si256(t1, 1));
    __m128i s2 = _mm_add_epi32(_mm256_castsi256_si128(t2), _mm256_extracti128_si256(t2, 1));
    __m128i s3 = _mm_add_epi32(_mm256_castsi256_si128(t3), _mm256_extracti128_si256(t3, 1));
    if (i < k) { /* k is a multiple of 8: one half vector left */
        __m128i x = _mm_loadu_si128((const void *)(a + i));
        s0 = _mm_add_epi32(s0, _mm_madd_epi16(x, _mm_loadu_si128((const void *)(w + i))));
        s1 = _mm_add_epi32(s1, _mm_madd_epi16(x, _mm_loadu_si128((const void *)(w + k + i))));
        s2 = _mm_add_epi32(s2, _mm_madd_epi16(x, _mm_loadu_si128((const void *)(w + 2 * k + i))));
        s3 = _mm_add_epi32(s3, _mm_madd_epi16(x, _mm_loadu_si128((const void *)(w + 3 * k + i))));
    }
    __m128i u0 = _mm_add_epi32(_mm_unpacklo_epi32(s0, s1), _mm_unpackhi_epi32(s0, s1));
    __m128i u1 = _mm_add_epi32(_mm_unpacklo_epi32(s2, s3), _mm_unpackhi_epi32(s2, s3));
    __m128i sum = _mm_add_epi32(_mm_unpacklo_epi64(u0, u1), _mm_unpackhi_epi64(u0, u1));
    if (vec_act(act)) {
        int32_t four = post4(sum, b, sc, act, inv, zp);
        memcpy(out, &four, 4);
        return;
    }
    int32_t s[4];
    _mm_storeu_si128((void *)s, sum);
    for (int j = 0; j < 4; j++)
        out[j] = post(s[j], b[j], sc[j], act, inv, zp);
}
#endif

/* Copy a window row of int16 in whole vectors (see TMX_WIDE_AT); the empty
 * asm keeps the compiler from making the short loop a memcpy call. */
__attribute__((always_inline)) static inline void copy_row(int16_t *restrict d,
                                                           const int16_t *restrict s, size_t n)
{
#ifdef TMX_SSE2
    for (size_t i = 0; i < n; i += 8) {
        _mm_storeu_si128((void *)(d + i), _mm_loadu_si128((const void *)(s + i)));
        __asm__ volatile("");
    }
#else
    memcpy(d, s, n * sizeof *d);
#endif
}

/* The window of output pixel (oy, ox): in place when it is one run of the
 * input, else copied into patch. */
__attribute__((always_inline)) static inline const int16_t *
window(const struct tmx_layer *L, const int16_t *x, int16_t *patch, uint32_t oy, uint32_t ox)
{
    const long ih = L->ih, iw = L->iw, ic = L->ic;
    const long ekh = (long)(L->kh - 1) * L->dy + 1, ekw = (long)(L->kw - 1) * L->dx + 1;
    const size_t run = (size_t)L->kw * ic, rstride = (size_t)(L->dy * iw * ic);
    const int16_t padv = (int8_t)L->in_zp;
    long y0 = (long)oy * L->sy - L->pad_t, x0 = (long)ox * L->sx - L->pad_l;
    int inb = y0 >= 0 && x0 >= 0 && y0 + ekh <= ih && x0 + ekw <= iw;

    if (inb && L->contig)
        return x + (y0 * iw + x0) * ic;
    if (inb && L->dx == 1) {
        const int16_t *src = x + (y0 * iw + x0) * ic;
        int16_t *d = patch;
#ifdef TMX_SSE2
        if (run <= 8) /* the common first layers: one vector a row */
            for (uint32_t ky = 0; ky < L->kh; ky++, d += run, src += rstride)
                _mm_storeu_si128((void *)d, _mm_loadu_si128((const void *)src));
        else
#endif
            for (uint32_t ky = 0; ky < L->kh; ky++, d += run, src += rstride)
                copy_row(d, src, run);
        return patch;
    }
    for (uint32_t ky = 0; ky < L->kh; ky++) {
        long y = y0 + (long)ky * L->dy;
        for (uint32_t kx = 0; kx < L->kw; kx++) {
            long xx = x0 + (long)kx * L->dx;
            int16_t *d = patch + (ky * L->kw + kx) * ic;
            if (y >= 0 && y < ih && xx >= 0 && xx < iw)
                memcpy(d, x + (y * iw + xx) * ic, (size_t)ic * sizeof *d);
            else
                for (long i = 0; i < ic; i++)
                    d[i] = padv;
        }
    }
    return patch;
}

/* conv2d; avx2 is a constant: the two callers below are two builds of it.
 * The next pixel's window is built before this one is used: a window read
 * straight after its overlapping stores would wait for them (the loads
 * span several stores, which the CPU cannot forward). */
__attribute__((always_inline)) static inline void
conv_impl(struct tmx_plan *p, const struct tmx_layer *L, const int8_t *in, int8_t *out, int avx2)
{
    const int16_t *W = TMX_AT(p, L->w, int16_t);
    const int32_t *B = TMX_AT(p, L->b, int32_t);
    const float *S = TMX_AT(p, L->sc, float);
    int16_t *patch = TMX_AT(p, p->patch, int16_t), *x = patch + TMX_WIDE_AT(L->kp);
    int16_t *buf2[2] = {patch, patch + TMX_WIN(L->kp)};
    const float inv = 1.0f / L->out_s, zp = (float)L->out_zp;
    const size_t k = L->kp;
    const uint32_t oc = L->oc, ow = L->ow;
    const size_t n = (size_t)L->oh * ow;

    (void)avx2;
    widen(x, in, (size_t)L->ih * L->iw * L->ic);
    const int16_t *next = window(L, x, buf2[0], 0, 0);
    for (size_t i = 0; i < n; i++, out += oc) {
        const int16_t *a = next;
        if (i + 1 < n)
            next =
                window(L, x, buf2[(i + 1) & 1], (uint32_t)((i + 1) / ow), (uint32_t)((i + 1) % ow));
        uint32_t c = 0;
        for (; c + 4 <= oc; c += 4) {
#ifdef TMX_AVX2
            if (avx2) {
                out4_avx2(a, W + c * k, k, B + c, S + c, L->act, inv, zp, out + c);
                continue;
            }
#endif
            out4(a, W + c * k, k, B + c, S + c, L->act, inv, zp, out + c);
        }
        for (; c < oc; c++)
            out[c] = post(dot(a, W + c * k, k), B[c], S[c], L->act, inv, zp);
    }
}

static void conv(struct tmx_plan *p, const struct tmx_layer *L, const int8_t *in, int8_t *out)
{
    conv_impl(p, L, in, out, 0);
}

#ifdef TMX_AVX2
__attribute__((target("avx2"))) static void conv_avx2(struct tmx_plan *p, const struct tmx_layer *L,
                                                      const int8_t *in, int8_t *out)
{
    conv_impl(p, L, in, out, 1);
}
#endif

#define PAD_TAP INT32_MIN

/* Where a window's taps are in the widened input, PAD_TAP for padding;
 * returns whether every tap is inside. */
static inline int dw_taps(const struct tmx_layer *L, long y0, long x0, int32_t *off)
{
    const long ih = L->ih, iw = L->iw, ic = L->ic;
    int inside = 1;
    uint32_t t = 0;
    for (uint32_t ky = 0; ky < L->kh; ky++) {
        long y = y0 + (long)ky * L->dy;
        for (uint32_t kx = 0; kx < L->kw; kx++, t++) {
            long xx = x0 + (long)kx * L->dx;
            if (y < 0 || y >= ih || xx < 0 || xx >= iw)
                off[t] = PAD_TAP, inside = 0;
            else
                off[t] = (int32_t)((y * iw + xx) * ic);
        }
    }
    return inside;
}

#ifdef TMX_AVX2
/* dw_impl()'s loop on 16 channels */
__attribute__((target("avx2"))) static inline void
dw_avx2(const struct tmx_layer *L, const int16_t *x, const int32_t *off, int inside,
        const int16_t *W, const int32_t *B, const float *S, float inv, float zp, int8_t *out)
{
    const uint32_t oc = L->oc, ocp = L->ocp, k = L->k;
    const int16_t padv = (int8_t)L->in_zp;
    int32_t q[4];
    int8_t o16[16];

    for (uint32_t c = 0; c < oc; c += 16) {
        __m256i lo = _mm256_setzero_si256(), hi = lo, pv = _mm256_set1_epi16(padv);
        for (uint32_t t = 0; t < k; t++) {
            __m256i v = !inside && off[t] == PAD_TAP
                            ? pv
                            : _mm256_loadu_si256((const void *)(x + off[t] + c));
            __m256i m =
                _mm256_mullo_epi16(v, _mm256_loadu_si256((const void *)(W + (size_t)t * ocp + c)));
            lo = _mm256_add_epi32(lo, _mm256_srai_epi32(_mm256_unpacklo_epi16(m, m), 16));
            hi = _mm256_add_epi32(hi, _mm256_srai_epi32(_mm256_unpackhi_epi16(m, m), 16));
        }
        /* unpack works per 128-bit lane: lo holds channels 0-3 and 8-11 */
        q[0] = post4(_mm256_castsi256_si128(lo), B + c, S + c, L->act, inv, zp);
        q[1] = post4(_mm256_castsi256_si128(hi), B + c + 4, S + c + 4, L->act, inv, zp);
        q[2] = post4(_mm256_extracti128_si256(lo, 1), B + c + 8, S + c + 8, L->act, inv, zp);
        q[3] = post4(_mm256_extracti128_si256(hi, 1), B + c + 12, S + c + 12, L->act, inv, zp);
        memcpy(o16, q, 16);
        memcpy(out + c, o16, oc - c < 16 ? oc - c : 16);
    }
}
#endif

/* Depthwise, multiplier 1: blocks of 8 (16 with AVX2) channels, each tap
 * into int32 vectors (int8 products fit int16: pmullw, then widened).
 * Past the last channel a block reads the next pixel's values (or the
 * slack) and multiplies them by zero weights. */
__attribute__((always_inline)) static inline void
dw_impl(const struct tmx_layer *L, const int16_t *x, const int32_t *off, int inside,
        const int16_t *W, const int32_t *B, const float *S, float inv, float zp, int8_t *out,
        int avx2)
{
    const uint32_t oc = L->oc, ocp = L->ocp, k = L->k;
    const int16_t padv = (int8_t)L->in_zp;
    uint32_t c = 0;

    (void)inside, (void)avx2;
#ifdef TMX_AVX2
    if (avx2) {
        dw_avx2(L, x, off, inside, W, B, S, inv, zp, out);
        return;
    }
#endif
#ifdef TMX_SSE2
    int32_t q[2];
    int8_t o8[8];
    for (; c < oc; c += 8) { /* the weights, biases and scales go on to ocp */
        __m128i lo = _mm_setzero_si128(), hi = lo, pv = _mm_set1_epi16(padv);
        for (uint32_t t = 0; t < k; t++) {
            __m128i v =
                !inside && off[t] == PAD_TAP ? pv : _mm_loadu_si128((const void *)(x + off[t] + c));
            __m128i m =
                _mm_mullo_epi16(v, _mm_loadu_si128((const void *)(W + (size_t)t * ocp + c)));
            lo = _mm_add_epi32(lo, _mm_srai_epi32(_mm_unpacklo_epi16(m, m), 16));
            hi = _mm_add_epi32(hi, _mm_srai_epi32(_mm_unpackhi_epi16(m, m), 16));
        }
        q[0] = post4(lo, B + c, S + c, L->act, inv, zp);
        q[1] = post4(hi, B + c + 4, S + c + 4, L->act, inv, zp);
        memcpy(o8, q, 8);
        memcpy(out + c, o8, oc - c < 8 ? oc - c : 8);
    }
#else
    for (; c < oc; c++) {
        int32_t sum = 0;
        for (uint32_t t = 0; t < k; t++)
            sum += (off[t] == PAD_TAP ? padv : x[off[t] + c]) * W[(size_t)t * ocp + c];
        out[c] = post(sum, B[c], S[c], L->act, inv, zp);
    }
#endif
}

__attribute__((always_inline)) static inline void
dwconv_impl(struct tmx_plan *p, const struct tmx_layer *L, const int8_t *in, int8_t *out, int avx2)
{
    const int16_t *W = TMX_AT(p, L->w, int16_t);
    const int32_t *B = TMX_AT(p, L->b, int32_t);
    const float *S = TMX_AT(p, L->sc, float);
    int16_t *x = TMX_AT(p, p->patch, int16_t);
    int32_t *off = TMX_AT(p, p->acc, int32_t);
    const float inv = 1.0f / L->out_s, zp = (float)L->out_zp;
    const int16_t padv = (int8_t)L->in_zp;
    const int vec = L->dmul == 1 && vec_act(L->act);

    widen(x, in, (size_t)L->ih * L->iw * L->ic);
    for (uint32_t oy = 0; oy < L->oh; oy++) {
        long y0 = (long)oy * L->sy - L->pad_t;
        for (uint32_t ox = 0; ox < L->ow; ox++, out += L->oc) {
            long x0 = (long)ox * L->sx - L->pad_l;
            int inside = dw_taps(L, y0, x0, off);
            if (vec) {
                if (inside) /* two builds of the loop: one without the pad test */
                    dw_impl(L, x, off, 1, W, B, S, inv, zp, out, avx2);
                else
                    dw_impl(L, x, off, 0, W, B, S, inv, zp, out, avx2);
                continue;
            }
            for (uint32_t c = 0; c < L->oc; c++) {
                int32_t sum = 0;
                for (uint32_t t = 0; t < L->k; t++)
                    sum += (off[t] == PAD_TAP ? padv : x[off[t] + c / L->dmul]) *
                           W[(size_t)t * L->ocp + c];
                out[c] = post(sum, B[c], S[c], L->act, inv, zp);
            }
        }
    }
}

static void dwconv(struct tmx_plan *p, const struct tmx_layer *L, const int8_t *in, int8_t *out)
{
    dwconv_impl(p, L, in, out, 0);
}

#ifdef TMX_AVX2
__attribute__((target("avx2"))) static void
dwconv_avx2(struct tmx_plan *p, const struct tmx_layer *L, const int8_t *in, int8_t *out)
{
    dwconv_impl(p, L, in, out, 1);
}
#endif

static void gap(struct tmx_plan *p, const struct tmx_layer *L, const int8_t *in, int8_t *out)
{
    int32_t *restrict acc = TMX_AT(p, p->acc, int32_t);
    const uint32_t c = L->oc;
    const int32_t n = (int32_t)(L->ih * L->iw);

    memset(acc, 0, c * sizeof *acc);
    for (int32_t i = 0; i < n; i++, in += c)
        for (uint32_t j = 0; j < c; j++)
            acc[j] += in[j];
    for (uint32_t j = 0; j < c; j++)
        out[j] = tmx_f2q((float)(acc[j] / n - L->in_zp) * L->in_s / L->out_s + (float)L->out_zp);
}

static void fc(struct tmx_plan *p, const struct tmx_layer *L, const int8_t *in, int8_t *out)
{
    const int16_t *W = TMX_AT(p, L->w, int16_t);
    const int32_t *B = TMX_AT(p, L->b, int32_t);
    const float ws = TMX_AT(p, L->sc, float)[0];
    int16_t *a = TMX_AT(p, p->patch, int16_t) + TMX_WIDE_AT(L->kp);

    widen(a, in, L->ic);
    for (uint32_t c = 0; c < L->oc; c++) {
        int32_t s = (int32_t)((uint32_t)dot(a, W + (size_t)c * L->kp, L->kp) + (uint32_t)B[c]);
        out[c] = tmx_f2q((float)s * L->in_s * ws / L->out_s + (float)L->out_zp);
    }
}

static void softmax(struct tmx_plan *p, const struct tmx_layer *L, const int8_t *in, int8_t *out)
{
    float *d = TMX_AT(p, p->acc, float);
    float dmax = -FLT_MAX, sum = 0;

    for (uint32_t c = 0; c < L->ic; c++) {
        d[c] = (float)((int32_t)in[c] - L->in_zp) * L->in_s;
        if (d[c] > dmax)
            dmax = d[c];
    }
    for (uint32_t c = 0; c < L->ic; c++) {
        d[c] -= dmax;
        d[c] = (float)exp(d[c]);
        sum += d[c];
        d[c] = (float)(d[c] - 0.000001); /* TinyMaix: keeps 1.0 from wrapping */
    }
    for (uint32_t c = 0; c < L->ic; c++)
        out[c] = tmx_f2q(d[c] / sum / L->out_s + (float)L->out_zp);
}

static void add(const struct tmx_layer *L, const int8_t *a, const int8_t *b, int8_t *out)
{
    size_t n = (size_t)L->ih * L->iw * L->ic;
    for (size_t i = 0; i < n; i++) {
        float f = (float)((int32_t)a[i] - L->in_zp) * L->in_s +
                  (float)((int32_t)b[i] - L->in_zp1) * L->in_s1;
        out[i] = tmx_f2q(f / L->out_s + (float)L->out_zp);
    }
}

void tmx_run_i8(struct tmx_plan *p, const struct tmx_layer *L, uint8_t *buf, const int8_t *in)
{
    int8_t *out = (int8_t *)(buf + L->out_oft);

    if (in == NULL)
        in = (const int8_t *)(buf + L->in_oft);
    switch (L->type) {
    case TML_CONV2D:
    case TML_DWCONV2D:
#ifdef TMX_AVX2
        if (p->avx2) {
            if (L->dmul)
                dwconv_avx2(p, L, in, out);
            else
                conv_avx2(p, L, in, out);
            break;
        }
#endif
        if (L->dmul)
            dwconv(p, L, in, out);
        else
            conv(p, L, in, out);
        break;
    case TML_GAP:
        gap(p, L, in, out);
        break;
    case TML_FC:
        fc(p, L, in, out);
        break;
    case TML_SOFTMAX:
        softmax(p, L, in, out);
        break;
    case TML_RESHAPE:
        if (in != out)
            memmove(out, in, (size_t)L->ih * L->iw * L->ic);
        break;
    default:
        add(L, in, (const int8_t *)(buf + L->in1_oft), out);
        break;
    }
}
