/*
 * tm_f32.c - the fp32 kernels.
 *
 * TinyMaix's results within float rounding: the dot products add in four
 * lanes (as TinyMaix's SSE2 build does), the rest follows TinyMaix's
 * expressions.  Depthwise, pooling, softmax and add keep its exact order.
 */
#include <float.h>
#include <math.h>
#include <string.h>

#include "tmx.h"

#ifdef TMX_SSE2
#include <emmintrin.h>
#endif

static inline float dot(const float *restrict a, const float *restrict w, size_t k)
{
    float l0 = 0, l1 = 0, l2 = 0, l3 = 0, s;
    size_t i = 0;
    for (; i + 4 <= k; i += 4) {
        l0 += a[i] * w[i];
        l1 += a[i + 1] * w[i + 1];
        l2 += a[i + 2] * w[i + 2];
        l3 += a[i + 3] * w[i + 3];
    }
    s = (l0 + l2) + (l1 + l3);
    for (; i < k; i++)
        s += a[i] * w[i];
    return s;
}

static inline float act(float s, uint32_t a)
{
    switch (a) {
    case TM_ACT_RELU:
        return s > 0 ? s : 0;
    case TM_ACT_RELU6:
        s = s > 0 ? s : 0;
        return s > 6 ? 6 : s;
    case TM_ACT_RELU1:
        s = s > 1 ? 1 : s;
        return s < -1 ? -1 : s;
    case TM_ACT_TANH:
        return tanhf(s);
    default:
        return s;
    }
}

/* Four output channels against one window of k (a multiple of 4) values,
 * bias and activation: maxps is s > 0 ? s : 0, minps 6 < s ? 6 : s. */
static inline void out4(const float *restrict a, const float *restrict w, size_t k, const float *b,
                        uint32_t ac, float *out)
{
#ifdef TMX_SSE2
    __m128 s0 = _mm_setzero_ps(), s1 = s0, s2 = s0, s3 = s0;
    for (size_t i = 0; i < k; i += 4) {
        __m128 x = _mm_loadu_ps(a + i);
        s0 = _mm_add_ps(s0, _mm_mul_ps(x, _mm_loadu_ps(w + i)));
        s1 = _mm_add_ps(s1, _mm_mul_ps(x, _mm_loadu_ps(w + k + i)));
        s2 = _mm_add_ps(s2, _mm_mul_ps(x, _mm_loadu_ps(w + 2 * k + i)));
        s3 = _mm_add_ps(s3, _mm_mul_ps(x, _mm_loadu_ps(w + 3 * k + i)));
    }
    __m128 u0 = _mm_add_ps(_mm_unpacklo_ps(s0, s1), _mm_unpackhi_ps(s0, s1));
    __m128 u1 = _mm_add_ps(_mm_unpacklo_ps(s2, s3), _mm_unpackhi_ps(s2, s3));
    __m128 sum = _mm_add_ps(_mm_movelh_ps(u0, u1), _mm_movehl_ps(u1, u0));
    sum = _mm_add_ps(sum, _mm_loadu_ps(b));
    if (ac == TM_ACT_RELU || ac == TM_ACT_RELU6)
        sum = _mm_max_ps(sum, _mm_setzero_ps());
    if (ac == TM_ACT_RELU6)
        sum = _mm_min_ps(_mm_set1_ps(6.0f), sum);
    _mm_storeu_ps(out, sum);
    if (ac == TM_ACT_RELU1 || ac == TM_ACT_TANH)
        for (int j = 0; j < 4; j++)
            out[j] = act(out[j], ac);
#else
    for (int j = 0; j < 4; j++)
        out[j] = act(dot(a, w + j * k, k) + b[j], ac);
#endif
}

/* A short run of floats; the empty asm keeps it from becoming a memcpy call. */
static inline void copy(float *restrict d, const float *restrict s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        d[i] = s[i];
        __asm__ volatile("");
    }
}

/* The window of output pixel (oy, ox): in place when it is one run of the
 * input and needs no zero tail, else copied into patch. */
static inline const float *window(const struct tmx_layer *L, const float *in, float *patch,
                                  uint32_t oy, uint32_t ox)
{
    const long ih = L->ih, iw = L->iw, ic = L->ic;
    const long ekh = (long)(L->kh - 1) * L->dy + 1, ekw = (long)(L->kw - 1) * L->dx + 1;
    const size_t run = (size_t)L->kw * ic;
    long y0 = (long)oy * L->sy - L->pad_t, x0 = (long)ox * L->sx - L->pad_l;
    int inb = y0 >= 0 && x0 >= 0 && y0 + ekh <= ih && x0 + ekw <= iw;

    if (inb && L->contig && L->k == L->kp)
        return in + (y0 * iw + x0) * ic;
    if (inb && L->dx == 1) {
        for (uint32_t ky = 0; ky < L->kh; ky++)
            copy(patch + ky * run, in + ((y0 + (long)ky * L->dy) * iw + x0) * ic, run);
        return patch;
    }
    for (uint32_t ky = 0; ky < L->kh; ky++) {
        long y = y0 + (long)ky * L->dy;
        for (uint32_t kx = 0; kx < L->kw; kx++) {
            long x = x0 + (long)kx * L->dx;
            float *d = patch + (ky * L->kw + kx) * ic;
            if (y >= 0 && y < ih && x >= 0 && x < iw)
                copy(d, in + (y * iw + x) * ic, (size_t)ic);
            else
                for (long i = 0; i < ic; i++)
                    d[i] = 0;
        }
    }
    return patch;
}

/* conv2d: the next pixel's window is built before this one is used, so
 * that its loads do not wait on its stores (tm_i8.c). */
static void conv(struct tmx_plan *p, const struct tmx_layer *L, const float *in, float *out)
{
    const float *W = TMX_AT(p, L->w, float);
    const float *B = TMX_AT(p, L->b, float);
    float *buf2[2] = {TMX_AT(p, p->patch, float), TMX_AT(p, p->patch, float) + L->kp};
    const size_t k = L->kp, n = (size_t)L->oh * L->ow;

    for (size_t i = L->k; i < k; i++) /* the zero tails */
        buf2[0][i] = buf2[1][i] = 0;
    const float *next = window(L, in, buf2[0], 0, 0);
    for (size_t i = 0; i < n; i++, out += L->oc) {
        const float *a = next;
        if (i + 1 < n)
            next = window(L, in, buf2[(i + 1) & 1], (uint32_t)((i + 1) / L->ow),
                          (uint32_t)((i + 1) % L->ow));
        uint32_t c = 0;
        for (; c + 4 <= L->oc; c += 4)
            out4(a, W + c * k, k, B + c, L->act, out + c);
        for (; c < L->oc; c++)
            out[c] = act(dot(a, W + c * k, k) + B[c], L->act);
    }
}

static void dwconv(struct tmx_plan *p, const struct tmx_layer *L, const float *in, float *out)
{
    const float *W = TMX_AT(p, L->w, float);
    const float *B = TMX_AT(p, L->b, float);
    float *restrict acc = TMX_AT(p, p->acc, float);
    const long ih = L->ih, iw = L->iw, ic = L->ic;
    const uint32_t oc = L->oc, dmul = L->dmul;

    for (uint32_t oy = 0; oy < L->oh; oy++) {
        long y0 = (long)oy * L->sy - L->pad_t;
        for (uint32_t ox = 0; ox < L->ow; ox++) {
            long x0 = (long)ox * L->sx - L->pad_l;
            for (uint32_t c = 0; c < oc; c++)
                acc[c] = 0;
            for (uint32_t ky = 0; ky < L->kh; ky++) {
                long y = y0 + (long)ky * L->dy;
                for (uint32_t kx = 0; kx < L->kw; kx++) {
                    long x = x0 + (long)kx * L->dx;
                    const float *restrict w = W + (size_t)(ky * L->kw + kx) * oc;
                    if (y < 0 || y >= ih || x < 0 || x >= iw)
                        continue; /* padding is 0 */
                    const float *restrict src = in + (y * iw + x) * ic;
                    if (dmul == 1)
                        for (uint32_t c = 0; c < oc; c++)
                            acc[c] += src[c] * w[c];
                    else
                        for (uint32_t c = 0; c < oc; c++)
                            acc[c] += src[c / dmul] * w[c];
                }
            }
            for (uint32_t c = 0; c < oc; c++)
                out[c] = act(acc[c] + B[c], L->act);
            out += oc;
        }
    }
}

static void gap(struct tmx_plan *p, const struct tmx_layer *L, const float *in, float *out)
{
    float *restrict acc = TMX_AT(p, p->acc, float);
    const uint32_t c = L->oc;
    const int n = (int)(L->ih * L->iw);

    for (uint32_t j = 0; j < c; j++)
        acc[j] = 0;
    for (int i = 0; i < n; i++, in += c)
        for (uint32_t j = 0; j < c; j++)
            acc[j] += in[j];
    for (uint32_t j = 0; j < c; j++)
        out[j] = acc[j] / (float)n;
}

static void fc(struct tmx_plan *p, const struct tmx_layer *L, const float *in, float *out)
{
    const float *W = TMX_AT(p, L->w, float);
    const float *B = TMX_AT(p, L->b, float);
    float *a = TMX_AT(p, p->patch, float);
    uint32_t c = 0;

    copy(a, in, L->ic);
    for (size_t i = L->ic; i < L->kp; i++)
        a[i] = 0;
    for (; c + 4 <= L->oc; c += 4)
        out4(a, W + (size_t)c * L->kp, L->kp, B + c, TM_ACT_NONE, out + c);
    for (; c < L->oc; c++)
        out[c] = dot(a, W + (size_t)c * L->kp, L->kp) + B[c];
}

static void softmax(struct tmx_plan *p, const struct tmx_layer *L, const float *in, float *out)
{
    float *d = TMX_AT(p, p->acc, float);
    float dmax = -FLT_MAX, sum = 0;

    for (uint32_t c = 0; c < L->ic; c++) {
        d[c] = in[c];
        if (d[c] > dmax)
            dmax = d[c];
    }
    for (uint32_t c = 0; c < L->ic; c++) {
        d[c] -= dmax;
        d[c] = (float)exp(d[c]);
        sum += d[c];
        d[c] = (float)(d[c] - 0.000001);
    }
    for (uint32_t c = 0; c < L->ic; c++)
        out[c] = d[c] / sum;
}

void tmx_run_f32(struct tmx_plan *p, const struct tmx_layer *L, uint8_t *buf, const float *in)
{
    float *out = (float *)(void *)(buf + L->out_oft);
    size_t n = (size_t)L->ih * L->iw * L->ic;

    if (in == NULL)
        in = (const float *)(const void *)(buf + L->in_oft);
    switch (L->type) {
    case TML_CONV2D:
    case TML_DWCONV2D:
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
            memmove(out, in, n * sizeof *out);
        break;
    default: {
        const float *b = (const float *)(const void *)(buf + L->in1_oft);
        for (size_t i = 0; i < n; i++)
            out[i] = in[i] + b[i];
        break;
    }
    }
}
