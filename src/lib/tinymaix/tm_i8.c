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

static inline int32_t dot(const int8_t *restrict a, const int8_t *restrict w, size_t k)
{
    int32_t s = 0;
    for (size_t i = 0; i < k; i++)
        s += a[i] * w[i];
    return s;
}

/* Four output channels against one window: the window is read once. */
static inline void dot4(const int8_t *restrict a, const int8_t *restrict w, size_t k,
                        int32_t *restrict s)
{
    int32_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    const int8_t *w1 = w + k, *w2 = w + 2 * k, *w3 = w + 3 * k;
    for (size_t i = 0; i < k; i++) {
        s0 += a[i] * w[i];
        s1 += a[i] * w1[i];
        s2 += a[i] * w2[i];
        s3 += a[i] * w3[i];
    }
    s[0] = s0, s[1] = s1, s[2] = s2, s[3] = s3;
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

static void conv(struct tmx_plan *p, const struct tmx_layer *L, const int8_t *in, int8_t *out)
{
    const int8_t *W = TMX_AT(p, L->w, int8_t);
    const int32_t *B = TMX_AT(p, L->b, int32_t);
    const float *S = TMX_AT(p, L->sc, float);
    int8_t *patch = TMX_AT(p, p->patch, int8_t);
    const float inv = 1.0f / L->out_s, zp = (float)L->out_zp;
    const int8_t padv = (int8_t)L->in_zp;
    const long ih = L->ih, iw = L->iw, ic = L->ic;
    const long ekh = (long)(L->kh - 1) * L->dy + 1, ekw = (long)(L->kw - 1) * L->dx + 1;
    const size_t run = (size_t)L->kw * ic, k = L->k;
    const uint32_t oc = L->oc;
    int32_t s[4];

    for (uint32_t oy = 0; oy < L->oh; oy++) {
        long y0 = (long)oy * L->sy - L->pad_t;
        for (uint32_t ox = 0; ox < L->ow; ox++) {
            long x0 = (long)ox * L->sx - L->pad_l;
            int inb = y0 >= 0 && x0 >= 0 && y0 + ekh <= ih && x0 + ekw <= iw;
            const int8_t *a = patch;
            if (inb && L->contig) {
                a = in + (y0 * iw + x0) * ic;
            } else if (inb && L->dx == 1) {
                for (uint32_t ky = 0; ky < L->kh; ky++)
                    memcpy(patch + ky * run, in + ((y0 + (long)ky * L->dy) * iw + x0) * ic, run);
            } else {
                for (uint32_t ky = 0; ky < L->kh; ky++) {
                    long y = y0 + (long)ky * L->dy;
                    for (uint32_t kx = 0; kx < L->kw; kx++) {
                        long x = x0 + (long)kx * L->dx;
                        int8_t *d = patch + (ky * L->kw + kx) * ic;
                        if (y >= 0 && y < ih && x >= 0 && x < iw)
                            memcpy(d, in + (y * iw + x) * ic, (size_t)ic);
                        else
                            memset(d, padv, (size_t)ic);
                    }
                }
            }
            uint32_t c = 0;
            for (; c + 4 <= oc; c += 4) {
                dot4(a, W + c * k, k, s);
                for (int j = 0; j < 4; j++)
                    out[c + j] = post(s[j], B[c + j], S[c + j], L->act, inv, zp);
            }
            for (; c < oc; c++)
                out[c] = post(dot(a, W + c * k, k), B[c], S[c], L->act, inv, zp);
            out += oc;
        }
    }
}

/* Depthwise: across the channels, one kernel tap at a time. */
static void dwconv(struct tmx_plan *p, const struct tmx_layer *L, const int8_t *in, int8_t *out)
{
    const int8_t *W = TMX_AT(p, L->w, int8_t);
    const int32_t *B = TMX_AT(p, L->b, int32_t);
    const float *S = TMX_AT(p, L->sc, float);
    int32_t *restrict acc = TMX_AT(p, p->acc, int32_t);
    const float inv = 1.0f / L->out_s, zp = (float)L->out_zp;
    const int32_t padv = (int8_t)L->in_zp;
    const long ih = L->ih, iw = L->iw, ic = L->ic;
    const uint32_t oc = L->oc, dmul = L->dmul;

    for (uint32_t oy = 0; oy < L->oh; oy++) {
        long y0 = (long)oy * L->sy - L->pad_t;
        for (uint32_t ox = 0; ox < L->ow; ox++) {
            long x0 = (long)ox * L->sx - L->pad_l;
            memset(acc, 0, oc * sizeof *acc);
            for (uint32_t ky = 0; ky < L->kh; ky++) {
                long y = y0 + (long)ky * L->dy;
                for (uint32_t kx = 0; kx < L->kw; kx++) {
                    long x = x0 + (long)kx * L->dx;
                    const int8_t *restrict w = W + (size_t)(ky * L->kw + kx) * oc;
                    if (y < 0 || y >= ih || x < 0 || x >= iw) {
                        for (uint32_t c = 0; c < oc; c++)
                            acc[c] += padv * w[c];
                        continue;
                    }
                    const int8_t *restrict src = in + (y * iw + x) * ic;
                    if (dmul == 1)
                        for (uint32_t c = 0; c < oc; c++)
                            acc[c] += src[c] * w[c];
                    else
                        for (uint32_t c = 0; c < oc; c++)
                            acc[c] += src[c / dmul] * w[c];
                }
            }
            for (uint32_t c = 0; c < oc; c++)
                out[c] = post(acc[c], B[c], S[c], L->act, inv, zp);
            out += oc;
        }
    }
}

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
    const int8_t *W = TMX_AT(p, L->w, int8_t);
    const int32_t *B = TMX_AT(p, L->b, int32_t);
    const float ws = TMX_AT(p, L->sc, float)[0];

    for (uint32_t c = 0; c < L->oc; c++) {
        int32_t s = (int32_t)((uint32_t)dot(in, W + (size_t)c * L->ic, L->ic) + (uint32_t)B[c]);
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
