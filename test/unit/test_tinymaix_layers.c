/*
 * test_tinymaix_layers.c - the engine's layers, one by one, int8 and fp32.
 *
 * Small hand-computed cases first; then every layer over many shapes
 * (kernel, stride, dilation, padding, depth multiplier, activation)
 * against a naive implementation written here: for int8 the arithmetic
 * TinyMaix specifies, compared bit for bit; for fp32 a double-precision
 * one, compared within float rounding.  Models are built in memory
 * (tmdl_build.h) and run through tm_load_len()/tm_run().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tinymaix.h"
#include "tmdl_build.h"
#include "tmx.h" /* white box: the plan's AVX2 switch */

static uint32_t rng = 2463534242u;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

static int rnd_in(int lo, int hi)
{
    return lo + (int)(rnd() % (uint32_t)(hi - lo + 1));
}

static float rnd_f(float lo, float hi)
{
    return lo + (hi - lo) * (float)(rnd() % 100000) / 100000.0f;
}

static struct tmdl M;

static size_t align8(size_t n)
{
    return (n + 7) / 8 * 8;
}

/* Load M for its own type. */
static tm_err_t load(tm_mdl_t *mdl, tm_mat_t *in)
{
    return tmx_load(mdl, M.b, M.len, NULL, NULL, in, M.type);
}

/* ---- the reference ---- */

/* x86's float -> int8 as TinyMaix's (mtype_t) cast performs it */
static int8_t ref_q(float f)
{
    if (!(f >= -2147483648.0f && f < 2147483648.0f))
        return 0;
    return (int8_t)(int32_t)f;
}

static float ref_act(float f, int act)
{
    if (act == TM_ACT_RELU || act == TM_ACT_RELU6)
        f = f > 0 ? f : 0;
    if (act == TM_ACT_RELU6)
        f = f > 6 ? 6 : f;
    if (act == TM_ACT_RELU1)
        f = f > 1 ? 1 : (f < -1 ? -1 : f);
    if (act == TM_ACT_TANH)
        f = tanhf(f);
    return f;
}

struct shape {
    int ih, iw, ic, oc, kh, kw, sy, sx, dy, dx, pad[4], dmul, act;
};

static int out_dim(int in, int p0, int p1, int k, int d, int s)
{
    return (in + p0 + p1 - ((k - 1) * d + 1)) / s + 1;
}

/* conv2d / depthwise by the definition, int8: integer sum in TinyMaix's
 * order, padding with the input zero point, TinyMaix's float steps */
static void ref_conv_i8(const struct shape *s, const struct tmdl_q *q, const int8_t *in,
                        const int8_t *w, const int32_t *b, const float *ws, int8_t *out)
{
    int oh = out_dim(s->ih, s->pad[0], s->pad[1], s->kh, s->dy, s->sy);
    int ow = out_dim(s->iw, s->pad[2], s->pad[3], s->kw, s->dx, s->sx);
    for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
            for (int c = 0; c < s->oc; c++) {
                int32_t sum = 0;
                int c0 = s->dmul ? c / s->dmul : 0, c1 = s->dmul ? c0 + 1 : s->ic;
                for (int ci = c0; ci < c1; ci++)
                    for (int ky = 0; ky < s->kh; ky++)
                        for (int kx = 0; kx < s->kw; kx++) {
                            int y = oy * s->sy - s->pad[0] + ky * s->dy;
                            int x = ox * s->sx - s->pad[2] + kx * s->dx;
                            int v = (y < 0 || y >= s->ih || x < 0 || x >= s->iw)
                                        ? (int8_t)q->in_zp
                                        : in[(y * s->iw + x) * s->ic + ci];
                            int wi = s->dmul ? (c * s->kh + ky) * s->kw + kx
                                             : ((c * s->ic + ci) * s->kh + ky) * s->kw + kx;
                            sum += v * w[wi];
                        }
                float f = (float)(sum + b[c]) * (ws[c] * q->in_s);
                f = ref_act(f, s->act);
                out[(oy * ow + ox) * s->oc + c] = ref_q(f * (1.0f / q->out_s) + (float)q->out_zp);
            }
}

/* the same in double, for fp32 models; tol[] gets the rounding allowance */
static void ref_conv_f(const struct shape *s, const float *in, const float *w, const float *b,
                       double *out, double *tol)
{
    int oh = out_dim(s->ih, s->pad[0], s->pad[1], s->kh, s->dy, s->sy);
    int ow = out_dim(s->iw, s->pad[2], s->pad[3], s->kw, s->dx, s->sx);
    for (int oy = 0; oy < oh; oy++)
        for (int ox = 0; ox < ow; ox++)
            for (int c = 0; c < s->oc; c++) {
                double sum = b[c], mag = fabs(b[c]);
                int c0 = s->dmul ? c / s->dmul : 0, c1 = s->dmul ? c0 + 1 : s->ic;
                for (int ci = c0; ci < c1; ci++)
                    for (int ky = 0; ky < s->kh; ky++)
                        for (int kx = 0; kx < s->kw; kx++) {
                            int y = oy * s->sy - s->pad[0] + ky * s->dy;
                            int x = ox * s->sx - s->pad[2] + kx * s->dx;
                            if (y < 0 || y >= s->ih || x < 0 || x >= s->iw)
                                continue;
                            int wi = s->dmul ? (c * s->kh + ky) * s->kw + kx
                                             : ((c * s->ic + ci) * s->kh + ky) * s->kw + kx;
                            double p = (double)in[(y * s->iw + x) * s->ic + ci] * w[wi];
                            sum += p;
                            mag += fabs(p);
                        }
                int o = (oy * ow + ox) * s->oc + c;
                out[o] = ref_act((float)sum, s->act);
                if (s->act == TM_ACT_NONE)
                    out[o] = sum;
                tol[o] = 1e-5 * mag + 1e-6;
            }
}

/* ---- conv2d and depthwise over shapes ---- */

static void run_conv(const struct shape *s, int type)
{
    int oh = out_dim(s->ih, s->pad[0], s->pad[1], s->kh, s->dy, s->sy);
    int ow = out_dim(s->iw, s->pad[2], s->pad[3], s->kw, s->dx, s->sx);
    size_t n_in = (size_t)s->ih * s->iw * s->ic, n_out = (size_t)oh * ow * s->oc;
    size_t nw = (size_t)s->oc * s->kh * s->kw * (s->dmul ? 1 : s->ic), es = type ? 4 : 1;
    static int8_t qi[4096], qw[8192], qo[4096], qr[4096];
    static float fi[4096], fw[8192], fb[256], ws[256];
    static int32_t qb[256];
    static double dr[4096], tol[4096];
    struct tmdl_io io = {1, 0, (uint32_t)align8(n_in * es), {0}, {0}, {0, 0, 0, 0}};
    struct tmdl_conv c = {
        (uint8_t)s->kw,
        (uint8_t)s->kh,
        (uint8_t)s->sx,
        (uint8_t)s->sy,
        (uint8_t)s->dx,
        (uint8_t)s->dy,
        (uint16_t)s->act,
        {(uint8_t)s->pad[0], (uint8_t)s->pad[1], (uint8_t)s->pad[2], (uint8_t)s->pad[3]},
        (uint32_t)s->dmul};
    uint16_t in3[3] = {(uint16_t)s->ih, (uint16_t)s->iw, (uint16_t)s->ic};

    assert_true(n_in <= 4096 && n_out <= 4096 && nw <= 8192 && s->oc <= 256);
    memcpy(io.in, in3, sizeof in3);
    io.out[0] = (uint16_t)oh, io.out[1] = (uint16_t)ow, io.out[2] = (uint16_t)s->oc;
    int k = s->kh * s->kw * (s->dmul ? 1 : s->ic);
    io.q.in_s = rnd_f(0.005f, 0.03f);
    io.q.in_zp = rnd_in(-128, 127);
    io.q.out_zp = rnd_in(-20, 20);
    for (size_t i = 0; i < n_in; i++) {
        qi[i] = (int8_t)rnd_in(-128, 127);
        fi[i] = rnd_f(-1, 1);
    }
    for (size_t i = 0; i < nw; i++) {
        qw[i] = (int8_t)rnd_in(-128, 127);
        fw[i] = rnd_f(-1, 1);
    }
    for (int i = 0; i < s->oc; i++) {
        ws[i] = rnd_f(0.002f, 0.01f);
        qb[i] = rnd_in(-3000, 3000);
        fb[i] = rnd_f(-0.5f, 0.5f);
    }
    /* an output scale that keeps most results inside int8 */
    io.q.out_s = io.q.in_s * 0.006f * 80.0f * sqrtf((float)k) * 80.0f / 60.0f;
    tmdl_begin(&M, type, (uint32_t)(io.out_oft + n_out * es + 8), in3, 0);
    if (type == 0)
        tmdl_conv(&M, &io, &c, ws, qw, qb);
    else
        tmdl_conv(&M, &io, &c, NULL, fw, fb);
    tmdl_end(&M);

    tm_mdl_t mdl;
    tm_mat_t in, out[1];
    tm_err_t err = load(&mdl, &in);
    if (err != TM_OK)
        fail_msg("load %d: %dx%dx%d k%dx%d s%d,%d d%d,%d pad %d,%d,%d,%d dmul %d", (int)err, s->ih,
                 s->iw, s->ic, s->kh, s->kw, s->sy, s->sx, s->dy, s->dx, s->pad[0], s->pad[1],
                 s->pad[2], s->pad[3], s->dmul);
    memcpy(in.data, type ? (void *)fi : (void *)qi, n_in * es);
    assert_int_equal(tm_run(&mdl, &in, out), TM_OK);
    assert_int_equal(out[0].h, oh);
    assert_int_equal(out[0].w, ow);
    assert_int_equal(out[0].c, s->oc);
    if (type == 0) {
        ref_conv_i8(s, &io.q, qi, qw, qb, ws, qr);
        memcpy(qo, out[0].data, n_out);
        /* the SSE2 kernels too, where the CPU made the load pick AVX2 */
        struct tmx_plan *plan = (struct tmx_plan *)(void *)mdl.subbuf;
        if (plan->avx2) {
            plan->avx2 = 0;
            memcpy(in.data, qi, n_in);
            assert_int_equal(tm_run(&mdl, &in, out), TM_OK);
            assert_memory_equal(out[0].data, qo, n_out);
        }
        for (size_t i = 0; i < n_out; i++)
            if (qo[i] != qr[i])
                fail_msg("int8 %dx%dx%d->%d k%dx%d s%d,%d d%d,%d pad %d,%d,%d,%d dmul %d act %d: "
                         "out[%zu] = %d, want %d",
                         s->ih, s->iw, s->ic, s->oc, s->kh, s->kw, s->sy, s->sx, s->dy, s->dx,
                         s->pad[0], s->pad[1], s->pad[2], s->pad[3], s->dmul, s->act, i, qo[i],
                         qr[i]);
    } else {
        ref_conv_f(s, fi, fw, fb, dr, tol);
        for (size_t i = 0; i < n_out; i++)
            if (fabs(out[0].dataf[i] - dr[i]) > tol[i])
                fail_msg("fp32 %dx%dx%d->%d k%dx%d s%d,%d d%d,%d pad %d,%d,%d,%d dmul %d act %d: "
                         "out[%zu] = %.9g, want %.9g",
                         s->ih, s->iw, s->ic, s->oc, s->kh, s->kw, s->sy, s->sx, s->dy, s->dx,
                         s->pad[0], s->pad[1], s->pad[2], s->pad[3], s->dmul, s->act, i,
                         (double)out[0].dataf[i], dr[i]);
    }
    tm_unload(&mdl);
}

/* Shapes: kernels 1..5, strides 1..3, dilations 1..3, no / same / odd
 * padding, channels 1..19 (the SIMD paths and their tails), every act. */
static void conv_shapes(int type, int depthwise)
{
    int n = 0;
    for (int i = 0; i < 300; i++) {
        struct shape s;
        memset(&s, 0, sizeof s);
        s.kh = rnd_in(1, 5), s.kw = rnd_in(1, 5);
        s.sy = rnd_in(1, 3), s.sx = rnd_in(1, 3);
        s.dy = rnd_in(0, 3) == 0 ? 2 : 1, s.dx = rnd_in(0, 3) == 0 ? rnd_in(2, 3) : 1;
        s.ih = rnd_in(1, 12), s.iw = rnd_in(1, 12);
        s.ic = rnd_in(1, depthwise ? 12 : 19);
        s.dmul = depthwise ? rnd_in(1, 2) : 0;
        s.oc = depthwise ? s.ic * s.dmul : rnd_in(1, 19);
        s.act = rnd_in(0, 4);
        int mode = rnd_in(0, 2);
        for (int j = 0; j < 4; j++)
            s.pad[j] = mode == 0 ? 0 : rnd_in(0, 3);
        if (mode == 1) { /* TensorFlow's SAME */
            int eh = (s.kh - 1) * s.dy + 1, ew = (s.kw - 1) * s.dx + 1;
            int oh = (s.ih + s.sy - 1) / s.sy, ow = (s.iw + s.sx - 1) / s.sx;
            int th = (oh - 1) * s.sy + eh - s.ih, tw = (ow - 1) * s.sx + ew - s.iw;
            th = th > 0 ? th : 0, tw = tw > 0 ? tw : 0;
            s.pad[0] = th / 2, s.pad[1] = th - th / 2, s.pad[2] = tw / 2, s.pad[3] = tw - tw / 2;
        }
        if (s.ih + s.pad[0] + s.pad[1] < (s.kh - 1) * s.dy + 1 ||
            s.iw + s.pad[2] + s.pad[3] < (s.kw - 1) * s.dx + 1)
            continue;
        run_conv(&s, type);
        n++;
    }
    assert_true(n > 100);
}

static void test_conv_i8(void **state)
{
    (void)state;
    conv_shapes(0, 0);
}

static void test_conv_f32(void **state)
{
    (void)state;
    conv_shapes(2, 0);
}

static void test_dwconv_i8(void **state)
{
    (void)state;
    conv_shapes(0, 1);
}

static void test_dwconv_f32(void **state)
{
    (void)state;
    conv_shapes(2, 1);
}

/* A MobileNet-sized pointwise and depthwise pair, the wide-channel paths. */
static void test_conv_wide(void **state)
{
    (void)state;
    for (int type = 0; type <= 2; type += 2) {
        struct shape pw = {6, 5, 64, 72, 1, 1, 1, 1, 1, 1, {0, 0, 0, 0}, 0, TM_ACT_RELU6};
        struct shape dw = {7, 7, 64, 64, 3, 3, 2, 2, 1, 1, {0, 1, 0, 1}, 1, TM_ACT_RELU};
        struct shape big = {4, 4, 40, 12, 3, 3, 1, 1, 1, 1, {1, 1, 1, 1}, 0, TM_ACT_NONE};
        run_conv(&pw, type);
        run_conv(&dw, type);
        run_conv(&big, type);
    }
}

/* ---- by hand ---- */

/* 3x3 input 1..9, 2x2 kernel [[1,0],[0,-1]], bias 1, unit scales:
 * every output is x[y][x] - x[y+1][x+1] + 1 = -3; relu makes it 0. */
static void test_conv_by_hand(void **state)
{
    (void)state;
    for (int type = 0; type <= 2; type += 2)
        for (int act = 0; act <= 1; act++) {
            uint16_t in3[3] = {3, 3, 1};
            struct tmdl_io io = {1, 0, 64, {3, 3, 1}, {2, 2, 1}, {1, 0, 1, 0}};
            struct tmdl_conv c = {2, 2, 1, 1, 1, 1, (uint16_t)act, {0, 0, 0, 0}, 0};
            int8_t qw[4] = {1, 0, 0, -1};
            float fw[4] = {1, 0, 0, -1}, ws = 1, fb = 1;
            int32_t qb = 1;
            tmdl_begin(&M, type, 128, in3, 0);
            tmdl_conv(&M, &io, &c, &ws, type ? (void *)fw : (void *)qw,
                      type ? (void *)&fb : (void *)&qb);
            tmdl_end(&M);
            tm_mdl_t mdl;
            tm_mat_t in, out[1];
            assert_int_equal(load(&mdl, &in), TM_OK);
            for (int i = 0; i < 9; i++) {
                if (type)
                    in.dataf[i] = (float)(i + 1);
                else
                    in.data[i] = (int8_t)(i + 1);
            }
            assert_int_equal(tm_run(&mdl, &in, out), TM_OK);
            for (int i = 0; i < 4; i++) {
                if (type)
                    assert_true(out[0].dataf[i] == (act ? 0.0f : -3.0f));
                else
                    assert_int_equal(((int8_t *)out[0].data)[i], act ? 0 : -3);
            }
            tm_unload(&mdl);
        }
}

/* fc [1,2,3] x [[1,1,1],[1,-1,0]] + [0,10] = [6, 9]; GAP of 2x2 [1,2,3,5]
 * is 11/4, which int8 truncates to 2 (TinyMaix divides the integer sum)
 * and fp32 keeps as 2.75. */
static void test_fc_gap_by_hand(void **state)
{
    (void)state;
    for (int type = 0; type <= 2; type += 2) {
        uint16_t in3[3] = {1, 1, 3};
        struct tmdl_io io = {1, 0, 16, {1, 1, 3}, {1, 1, 2}, {1, 0, 1, 0}};
        int8_t qw[6] = {1, 1, 1, 1, -1, 0};
        float fw[6] = {1, 1, 1, 1, -1, 0}, fb[2] = {0, 10};
        int32_t qb[2] = {0, 10};
        tmdl_begin(&M, type, 64, in3, 0);
        tmdl_fc(&M, &io, 1.0f, type ? (void *)fw : (void *)qw, type ? (void *)fb : (void *)qb);
        tmdl_end(&M);
        tm_mdl_t mdl;
        tm_mat_t in, out[1];
        assert_int_equal(load(&mdl, &in), TM_OK);
        for (int i = 0; i < 3; i++) {
            if (type)
                in.dataf[i] = (float)(i + 1);
            else
                in.data[i] = (int8_t)(i + 1);
        }
        assert_int_equal(tm_run(&mdl, &in, out), TM_OK);
        if (type) {
            assert_true(out[0].dataf[0] == 6.0f && out[0].dataf[1] == 9.0f);
        } else {
            assert_int_equal(((int8_t *)out[0].data)[0], 6);
            assert_int_equal(((int8_t *)out[0].data)[1], 9);
        }
        tm_unload(&mdl);

        uint16_t g3[3] = {2, 2, 1};
        struct tmdl_io g = {1, 0, 16, {2, 2, 1}, {1, 1, 1}, {1, 0, 1, 0}};
        tmdl_begin(&M, type, 64, g3, 0);
        tmdl_plain(&M, TML_GAP, &g);
        tmdl_end(&M);
        assert_int_equal(load(&mdl, &in), TM_OK);
        float gv[4] = {1, 2, 3, 5};
        for (int i = 0; i < 4; i++) {
            if (type)
                in.dataf[i] = gv[i];
            else
                in.data[i] = (int8_t)gv[i];
        }
        assert_int_equal(tm_run(&mdl, &in, out), TM_OK);
        if (type)
            assert_true(out[0].dataf[0] == 2.75f);
        else
            assert_int_equal(((int8_t *)out[0].data)[0], 2);
        tm_unload(&mdl);
    }
}

/* softmax of [0, ln 2]: exp after the max is taken off gives [1/2, 1],
 * TinyMaix takes 1e-6 off each (so that 1.0 never wraps an int8) and
 * divides by the sum 3/2. */
static void test_softmax_by_hand(void **state)
{
    (void)state;
    uint16_t in3[3] = {1, 1, 2};
    struct tmdl_io io = {1, 0, 8, {1, 1, 2}, {1, 1, 2}, {1, 0, 1, 0}};
    tmdl_begin(&M, 2, 64, in3, 0);
    tmdl_plain(&M, TML_SOFTMAX, &io);
    tmdl_end(&M);
    tm_mdl_t mdl;
    tm_mat_t in, out[1];
    assert_int_equal(load(&mdl, &in), TM_OK);
    in.dataf[0] = 0;
    in.dataf[1] = logf(2);
    assert_int_equal(tm_run(&mdl, &in, out), TM_OK);
    assert_true(fabs(out[0].dataf[0] - (0.5 - 1e-6) / 1.5) < 1e-7);
    assert_true(fabs(out[0].dataf[1] - (1.0 - 1e-6) / 1.5) < 1e-7);
    tm_unload(&mdl);

    /* int8: input scale 1/16, zero point 0; output scale 1/256, zp -128 */
    io.q = (struct tmdl_q){1.0f / 16, 0, 1.0f / 256, -128};
    tmdl_begin(&M, 0, 64, in3, 1);
    tmdl_plain(&M, TML_SOFTMAX, &io);
    tmdl_end(&M);
    assert_int_equal(load(&mdl, &in), TM_OK);
    in.data[0] = 0;
    in.data[1] = 11; /* 11/16 = 0.6875: e^0.6875 / (1 + e^0.6875) = 0.6654 */
    assert_int_equal(tm_run(&mdl, &in, out), TM_OK);
    /* out_deq: the int8 values stay at the layer's output, out's data is
     * their dequantized floats (q - zp) * s */
    /* 0.3346 * 256 - 128 = -42.35, truncated toward zero: -42 */
    assert_int_equal(((int8_t *)(mdl.buf + 8))[0], 86 - 128);
    assert_int_equal(((int8_t *)(mdl.buf + 8))[1], 170 - 128); /* 0.6654 * 256 = 170.3 */
    assert_true(out[0].dataf[0] == 86.0f / 256 && out[0].dataf[1] == 170.0f / 256);
    tm_unload(&mdl);
}

/* ---- the other layers over sizes, against the references ---- */

static void test_fc_gap_softmax_random(void **state)
{
    (void)state;
    static int8_t qi[2048], qw[2048 * 4];
    static float fi[2048], fw[2048 * 4];
    static int32_t qb[64];
    static float fb[64];
    for (int round = 0; round < 60; round++) {
        int type = round % 2 ? 2 : 0, es = type ? 4 : 1;
        int ic = rnd_in(1, 200), oc = rnd_in(1, 37);
        uint16_t in3[3] = {1, 1, (uint16_t)ic};
        struct tmdl_io io = {0,
                             0,
                             (uint32_t)align8((size_t)ic * es),
                             {1, 1, (uint16_t)ic},
                             {1, 1, (uint16_t)oc},
                             {0.02f, rnd_in(-50, 50), 0, rnd_in(-9, 9)}};
        io.q.out_s = 0.02f * 0.004f * 60 * 60 * sqrtf((float)ic) / 40;
        for (int i = 0; i < ic; i++)
            qi[i] = (int8_t)rnd_in(-128, 127), fi[i] = rnd_f(-1, 1);
        for (int i = 0; i < ic * oc; i++)
            qw[i] = (int8_t)rnd_in(-128, 127), fw[i] = rnd_f(-1, 1);
        for (int i = 0; i < oc; i++)
            qb[i] = rnd_in(-999, 999), fb[i] = rnd_f(-1, 1);
        /* fc, then softmax on its output */
        struct tmdl_io sm = {1,
                             io.out_oft,
                             (uint32_t)align8(io.out_oft + (size_t)oc * es),
                             {1, 1, (uint16_t)oc},
                             {1, 1, (uint16_t)oc},
                             {io.q.out_s, io.q.out_zp, 1.0f / 256, -128}};
        tmdl_begin(&M, type, sm.out_oft + (uint32_t)oc * 4 + 8, in3, 0);
        tmdl_fc(&M, &io, 0.004f, type ? (void *)fw : (void *)qw, type ? (void *)fb : (void *)qb);
        tmdl_plain(&M, TML_SOFTMAX, &sm);
        tmdl_end(&M);
        tm_mdl_t mdl;
        tm_mat_t in, out[1];
        assert_int_equal(load(&mdl, &in), TM_OK);
        memcpy(in.data, type ? (void *)fi : (void *)qi, (size_t)ic * es);
        assert_int_equal(tm_run(&mdl, &in, out), TM_OK);
        float dout[64], dmax = -INFINITY, sum = 0;
        int8_t fcq[64];
        for (int c = 0; c < oc; c++) {
            if (type) {
                double s = fb[c], mag = fabs(fb[c]);
                for (int i = 0; i < ic; i++)
                    s += (double)fi[i] * fw[c * ic + i], mag += fabs(fi[i] * fw[c * ic + i]);
                float got = ((float *)(void *)(mdl.buf + io.out_oft))[c];
                assert_true(fabs(got - s) <= 1e-5 * mag + 1e-6);
                dout[c] = got; /* softmax from the engine's own fc output */
            } else {
                int32_t s = qb[c];
                for (int i = 0; i < ic; i++)
                    s += qi[i] * qw[c * ic + i];
                fcq[c] = ref_q((float)s * 0.02f * 0.004f / io.q.out_s + (float)io.q.out_zp);
                assert_int_equal(((int8_t *)(mdl.buf + io.out_oft))[c], fcq[c]);
                dout[c] = (float)(fcq[c] - io.q.out_zp) * io.q.out_s;
            }
            if (dout[c] > dmax)
                dmax = dout[c];
        }
        for (int c = 0; c < oc; c++) {
            dout[c] = (float)exp(dout[c] - dmax);
            sum += dout[c];
            dout[c] = (float)(dout[c] - 0.000001);
        }
        for (int c = 0; c < oc; c++) {
            if (type)
                assert_true(fabs(out[0].dataf[c] - dout[c] / sum) < 1e-6);
            else
                assert_int_equal(((int8_t *)out[0].data)[c],
                                 ref_q(dout[c] / sum / (1.0f / 256) + -128.0f));
        }
        tm_unload(&mdl);
    }
}

/* GAP over h x w x c, then reshape to 1x1xc and add to itself at another
 * scale: every value the references give. */
static void test_gap_reshape_add_random(void **state)
{
    (void)state;
    static int8_t qi[4096];
    static float fi[4096];
    for (int round = 0; round < 40; round++) {
        int type = round % 2 ? 2 : 0, es = type ? 4 : 1;
        int h = rnd_in(1, 9), w = rnd_in(1, 9), c = rnd_in(1, 40);
        size_t n = (size_t)h * w * c;
        uint16_t in3[3] = {(uint16_t)h, (uint16_t)w, (uint16_t)c};
        uint32_t g_out = (uint32_t)align8(n * es), r_out = g_out + 256, a_out = r_out + 256;
        struct tmdl_q gq = {0.03f, rnd_in(-60, 60), 0.02f, rnd_in(-60, 60)};
        struct tmdl_io g = {0, 0, g_out, {in3[0], in3[1], in3[2]}, {1, 1, (uint16_t)c}, gq};
        struct tmdl_io r = {0,           g_out, r_out, {1, 1, (uint16_t)c}, {1, 1, (uint16_t)c},
                            {1, 0, 1, 0}};
        struct tmdl_io a = {1,
                            r_out,
                            a_out,
                            {1, 1, (uint16_t)c},
                            {1, 1, (uint16_t)c},
                            {0.02f, gq.out_zp, 0.05f, 3}};
        tmdl_begin(&M, type, a_out + 256, in3, 0);
        tmdl_plain(&M, TML_GAP, &g);
        tmdl_plain(&M, TML_RESHAPE, &r);
        tmdl_add(&M, &a, g_out, 0.02f, gq.out_zp);
        tmdl_end(&M);
        for (size_t i = 0; i < n; i++)
            qi[i] = (int8_t)rnd_in(-128, 127), fi[i] = rnd_f(-2, 2);
        tm_mdl_t mdl;
        tm_mat_t in, out[1];
        assert_int_equal(load(&mdl, &in), TM_OK);
        memcpy(in.data, type ? (void *)fi : (void *)qi, n * es);
        assert_int_equal(tm_run(&mdl, &in, out), TM_OK);
        for (int j = 0; j < c; j++) {
            if (type) {
                double s = 0;
                for (int p = 0; p < h * w; p++)
                    s += fi[p * c + j];
                s /= h * w;
                assert_true(fabs(out[0].dataf[j] - 2 * s) < 1e-5);
            } else {
                int32_t s = 0;
                for (int p = 0; p < h * w; p++)
                    s += qi[p * c + j];
                int8_t gv =
                    ref_q((float)(s / (h * w) - gq.in_zp) * gq.in_s / gq.out_s + (float)gq.out_zp);
                assert_int_equal(((int8_t *)(mdl.buf + g_out))[j], gv);
                assert_int_equal(((int8_t *)(mdl.buf + r_out))[j], gv); /* reshape copied */
                float d = (float)(gv - gq.out_zp) * 0.02f;
                assert_int_equal(((int8_t *)out[0].data)[j], ref_q((d + d) / 0.05f + 3.0f));
            }
        }
        tm_unload(&mdl);
    }
}

/* ---- preprocess, dequantized outputs, the API's edges ---- */

static void test_preprocess(void **state)
{
    (void)state;
    uint16_t in3[3] = {1, 1, 4};
    struct tmdl_io io = {1, 0, 16, {1, 1, 4}, {1, 1, 4}, {0.5f, 3, 1, 0}};
    uint8_t u[4] = {0, 127, 128, 255};
    tm_mdl_t mdl;
    tm_mat_t in, raw = {3, 1, 1, 4, {NULL}};

    tmdl_begin(&M, 0, 64, in3, 0);
    tmdl_plain(&M, TML_RESHAPE, &io);
    tmdl_end(&M);
    assert_int_equal(load(&mdl, &in), TM_OK);
    raw.data = (mtype_t *)(void *)u;
    assert_int_equal(tm_preprocess(&mdl, TMPP_UINT2INT, &raw, &in), TM_OK);
    int8_t want[4] = {-128, -1, 0, 127};
    assert_memory_equal(in.data, want, 4);
    float f[4] = {-1.0f, 0.25f, 10.0f, 100.0f}; /* / 0.5 + 3, truncated */
    raw.dataf = f;
    assert_int_equal(tm_preprocess(&mdl, TMPP_FP2INT, &raw, &in), TM_OK);
    int8_t want2[4] = {1, 3, 23, (int8_t)203};
    assert_memory_equal(in.data, want2, 4);
    /* anything else: out takes in's data */
    tm_mat_t o2 = in;
    assert_int_equal(tm_preprocess(&mdl, TMPP_NONE, &raw, &o2), TM_OK);
    assert_ptr_equal(o2.dataf, f);
    tm_unload(&mdl);

    tmdl_begin(&M, 2, 64, in3, 0);
    tmdl_plain(&M, TML_RESHAPE, &io);
    tmdl_end(&M);
    assert_int_equal(load(&mdl, &in), TM_OK);
    memcpy(in.data, u, 4); /* widened in place */
    raw = in;
    assert_int_equal(tm_preprocess(&mdl, TMPP_UINT2FP01, &raw, &in), TM_OK);
    assert_true(in.dataf[0] == 0.0f && in.dataf[1] == (float)(127 / 255.0) && in.dataf[3] == 1.0f);
    memcpy(in.data, u, 4);
    assert_int_equal(tm_preprocess(&mdl, TMPP_UINT2FPN11, &raw, &in), TM_OK);
    assert_true(in.dataf[0] == -1.0f && in.dataf[2] == 0.0f && in.dataf[3] == 127 / 128.0f);
    tm_unload(&mdl);
}

static tm_err_t count_cb(tm_mdl_t *mdl, tml_head_t *lh)
{
    int *n = (int *)(void *)mdl->buf; /* not used: the counter is static */
    (void)n;
    (void)lh;
    return TM_OK;
}

static int layers_seen;

static tm_err_t seen_cb(tm_mdl_t *mdl, tml_head_t *lh)
{
    assert_int_equal(mdl->layer_i, layers_seen);
    assert_ptr_equal((uint8_t *)lh, mdl->layer_body);
    layers_seen++;
    return TM_OK;
}

static void test_callback_and_api_edges(void **state)
{
    (void)state;
    uint16_t in3[3] = {1, 1, 4};
    struct tmdl_io io = {0, 0, 8, {1, 1, 4}, {1, 1, 4}, {1, 0, 1, 0}};
    tm_mdl_t mdl;
    tm_mat_t in, out[2];
    uint8_t buf[64] __attribute__((aligned(8)));

    tmdl_begin(&M, 0, 64, in3, 0);
    tmdl_plain(&M, TML_RESHAPE, &io);
    io.is_out = 1, io.in_oft = 8, io.out_oft = 16;
    tmdl_plain(&M, TML_RESHAPE, &io);
    tmdl_end(&M);
    /* the caller's buffer, the layer callback */
    assert_int_equal(tm_load_len(&mdl, M.b, M.len, buf, seen_cb, &in), TM_OK);
    assert_ptr_equal(in.data, buf);
    assert_int_equal(in.c, 4);
    layers_seen = 0;
    memcpy(in.data, "\1\2\3\4", 4);
    assert_int_equal(tm_run(&mdl, &in, out), TM_OK);
    assert_int_equal(layers_seen, 2);
    assert_ptr_equal(out[0].data, buf + 16);
    assert_memory_equal(out[0].data, "\1\2\3\4", 4);
    tm_unload(&mdl);
    tm_unload(&mdl);
    (void)count_cb;
    /* a model never loaded, or not loaded: an error, not a crash */
    assert_int_equal(tm_run(&mdl, &in, out), TM_ERR);
    assert_int_equal(tm_preprocess(&mdl, TMPP_UINT2INT, &in, &in), TM_ERR);
    assert_int_equal(tm_load(&mdl, NULL, NULL, NULL, &in), TM_ERR);
    assert_int_equal(tm_run(&mdl, &in, out), TM_ERR);
    /* tm_stat prints the table */
    assert_int_equal(tm_stat((tm_mdlbin_t *)(void *)M.b), TM_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conv_by_hand),
        cmocka_unit_test(test_fc_gap_by_hand),
        cmocka_unit_test(test_softmax_by_hand),
        cmocka_unit_test(test_conv_i8),
        cmocka_unit_test(test_conv_f32),
        cmocka_unit_test(test_dwconv_i8),
        cmocka_unit_test(test_dwconv_f32),
        cmocka_unit_test(test_conv_wide),
        cmocka_unit_test(test_fc_gap_softmax_random),
        cmocka_unit_test(test_gap_reshape_add_random),
        cmocka_unit_test(test_preprocess),
        cmocka_unit_test(test_callback_and_api_edges),
    };
    return cmocka_run_group_tests_name("tinymaix layers", tests, NULL, NULL);
}
