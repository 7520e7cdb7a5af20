/*
 * tm_load.c - tm_load(): check every byte of a .tmdl model that will be
 * followed and build the plan tm_run() executes (see tmx.h).
 *
 * Two passes over the layers with one parser: the first sizes the plan,
 * the second fills it; a model that answers differently the second time
 * (changed under us) is refused, never trusted.
 */
#include <string.h>

#include "tmx.h"

#define HEAD_SIZE 64u
#define LAYER_HEAD 48u
#define PLAN_ALIGN 16u
/* int8 products are at most 2^14: keep every dot product inside int32. */
#define I8_MAX_K 131071u
/* The main buffer a model may ask for (TinyMaix's MobileNet 1.0 takes ~1 MiB). */
#define MAX_BUF_SIZE (64u << 20)
/* int8 global average pooling sums h * w values of at most 2^7. */
#define I8_MAX_GAP 16777215u

static uint16_t rd16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static float rdf(const uint8_t *p)
{
    uint32_t v = rd32(p);
    float f;
    memcpy(&f, &v, sizeof f);
    return f;
}

static size_t align_up(size_t n)
{
    return (n + PLAN_ALIGN - 1) / PLAN_ALIGN * PLAN_ALIGN;
}

/* What one layer adds to the plan. */
struct need {
    size_t data;   /* weights, biases, scales */
    size_t patch;  /* values */
    size_t acc;    /* 4-byte slots */
    uint32_t size; /* bytes of the layer in the model */
};

/* [off, off + n) inside [0, lim)? */
static int inside(uint64_t off, uint64_t n, uint64_t lim)
{
    return off <= lim && n <= lim - off;
}

static int zp_ok(int32_t zp)
{
    return zp >= -128 && zp <= 127;
}

/* The quantization fields: int32 zero points for int8, floats for fp32. */
static void read_quant(const uint8_t *q, int type, float *s, int32_t *zp)
{
    *s = rdf(q);
    *zp = type == TM_MDL_INT8 ? (int32_t)rd32(q + 4) : 0;
}

/* Products per output, and what the weights and a window take: int8 weights
 * are widened to int16 rows of kp (k rounded up to 8) values, fp32 rows are
 * rounded up to 4; the tails are zero. */
static void set_k(struct tmx_layer *L, int type, uint32_t k, struct need *nd)
{
    size_t es = type == TM_MDL_INT8 ? 2 : 4;
    L->k = k;
    L->kp = type == TM_MDL_INT8 ? (k + 7) / 8 * 8 : (k + 3) / 4 * 4;
    L->ocp = type == TM_MDL_INT8 ? (L->oc + 15) / 16 * 16 : L->oc;
    nd->data = align_up((size_t)L->kp * L->oc * es) + 2 * align_up((size_t)L->ocp * 4);
    nd->patch = 2 * (size_t)L->kp * es; /* fp32: two windows (tm_f32.c) */
    if (type == TM_MDL_INT8)            /* the window, then the whole input widened (tmx.h) */
        nd->patch = (TMX_WIDE_AT(L->kp) + (size_t)L->ih * L->iw * L->ic + 8) * 2;
}

static tm_err_t parse_conv(const uint8_t *l, uint32_t size, int type, struct tmx_layer *L,
                           struct need *nd)
{
    size_t es = type == TM_MDL_INT8 ? 1 : 4;
    const uint8_t *c = l + LAYER_HEAD;
    uint32_t pad_b = c[9], pad_r = c[11];

    if (size < LAYER_HEAD + 32)
        return TM_ERR;
    L->kw = c[0], L->kh = c[1], L->sx = c[2], L->sy = c[3], L->dx = c[4], L->dy = c[5];
    L->act = rd16(c + 6);
    L->pad_t = c[8], L->pad_l = c[10];
    L->dmul = rd32(c + 12);
    if (L->kw == 0 || L->kh == 0)
        return TM_ERR_KSIZE;
    if (L->sx == 0 || L->sy == 0 || L->dx == 0 || L->dy == 0)
        return TM_ERR_DIMS;
    if (L->act >= TM_ACT_MAXCNT)
        return TM_ERR_UNSUPPORT;
    if (L->dmul != 0 && (uint64_t)L->ic * L->dmul != L->oc)
        return TM_ERR_DIMS;

    /* the output is exactly what the padded input, kernel and stride make */
    uint64_t ekh = (uint64_t)(L->kh - 1) * L->dy + 1, ekw = (uint64_t)(L->kw - 1) * L->dx + 1;
    uint64_t ph = (uint64_t)L->ih + L->pad_t + pad_b, pw = (uint64_t)L->iw + L->pad_l + pad_r;
    if (ph < ekh || pw < ekw || (ph - ekh) / L->sy + 1 != L->oh || (pw - ekw) / L->sx + 1 != L->ow)
        return TM_ERR_DIMS;

    uint64_t k = (uint64_t)L->kh * L->kw * (L->dmul ? 1 : L->ic);
    if (type == TM_MDL_INT8 && k > I8_MAX_K)
        return TM_ERR_KSIZE;
    uint32_t ws_oft = rd32(c + 20), w_oft = rd32(c + 24), b_oft = rd32(c + 28);
    if (!inside(w_oft, k * L->oc * es, size) || !inside(b_oft, (uint64_t)L->oc * 4, size))
        return TM_ERR;
    if (type == TM_MDL_INT8 && !inside(ws_oft, (uint64_t)L->oc * 4, size))
        return TM_ERR;
    L->contig = L->dx == 1 && L->dy == 1 && (L->kh == 1 || L->kw == L->iw);
    set_k(L, type, (uint32_t)k, nd);
    if (L->dmul && type == TM_MDL_INT8) {
        /* depthwise int8: int16 weights [k][ocp], the input widened */
        nd->data = align_up(k * L->ocp * 2) + 2 * align_up((size_t)L->ocp * 4);
        nd->patch = ((size_t)L->ih * L->iw * L->ic + 16) * 2;
        nd->acc = L->oc > k ? L->oc : k; /* the window's tap offsets */
        return TM_OK;
    } else if (L->dmul) { /* depthwise fp32: weights [k][oc], no window */
        nd->data = align_up(k * L->oc * es) + 2 * align_up((size_t)L->oc * 4), nd->patch = 0;
    }
    nd->acc = L->oc;
    return TM_OK;
}

static tm_err_t parse_fc(const uint8_t *l, uint32_t size, int type, struct tmx_layer *L,
                         struct need *nd)
{
    size_t es = type == TM_MDL_INT8 ? 1 : 4;
    const uint8_t *c = l + LAYER_HEAD;

    if (size < LAYER_HEAD + 16)
        return TM_ERR;
    if (L->ih * L->iw != 1 || L->oh * L->ow != 1)
        return TM_ERR_DIMS;
    uint32_t ws_oft = rd32(c), w_oft = rd32(c + 4), b_oft = rd32(c + 8);
    if (!inside(w_oft, (uint64_t)L->ic * L->oc * es, size) ||
        !inside(b_oft, (uint64_t)L->oc * 4, size))
        return TM_ERR;
    if (type == TM_MDL_INT8 && !inside(ws_oft, 4, size))
        return TM_ERR;
    set_k(L, type, L->ic, nd);
    return TM_OK;
}

/* One layer at model offset off: its head, dims, regions and parameters. */
static tm_err_t parse_layer(const uint8_t *bin, size_t len, size_t off, int type, uint32_t buf_size,
                            struct tmx_layer *L, struct need *nd)
{
    static const uint32_t min_size[TML_MAXCNT] = {80, 48, 64, 48, 48, 80, 64};
    const uint8_t *l = bin + off;
    uint64_t es = type == TM_MDL_INT8 ? 1 : 4;

    memset(L, 0, sizeof *L);
    memset(nd, 0, sizeof *nd);
    if (len - off < LAYER_HEAD)
        return TM_ERR;
    L->head = l;
    L->type = rd16(l);
    L->is_out = rd16(l + 2);
    uint32_t size = rd32(l + 4);
    if (L->type >= TML_MAXCNT)
        return TM_ERR_LAYERTYPE;
    if (size < min_size[L->type] || size > len - off)
        return TM_ERR;
    nd->size = size;
    L->in_oft = rd32(l + 8);
    L->out_oft = rd32(l + 12);
    for (int i = 0; i < 4; i++) {
        L->in_dims[i] = rd16(l + 16 + 2 * i);
        L->out_dims[i] = rd16(l + 24 + 2 * i);
    }
    L->ih = L->in_dims[1], L->iw = L->in_dims[2], L->ic = L->in_dims[3];
    L->oh = L->out_dims[1], L->ow = L->out_dims[2], L->oc = L->out_dims[3];
    if (L->in_dims[0] > 3 || L->out_dims[0] > 3 || !L->ih || !L->iw || !L->ic || !L->oh || !L->ow ||
        !L->oc)
        return TM_ERR_DIMS;
    read_quant(l + 32, type, &L->in_s, &L->in_zp);
    read_quant(l + 40, type, &L->out_s, &L->out_zp);
    if (type == TM_MDL_INT8 && (!zp_ok(L->in_zp) || !zp_ok(L->out_zp)))
        return TM_ERR_UNSUPPORT;

    uint64_t n_in = (uint64_t)L->ih * L->iw * L->ic, n_out = (uint64_t)L->oh * L->ow * L->oc;
    if (!inside(L->in_oft, n_in * es, buf_size) || !inside(L->out_oft, n_out * es, buf_size))
        return TM_ERR_DIMS;
    if (type == TM_MDL_FP32 && (L->in_oft % 4 || L->out_oft % 4))
        return TM_ERR_DIMS;

    switch (L->type) {
    case TML_CONV2D:
    case TML_DWCONV2D:
        return parse_conv(l, size, type, L, nd);
    case TML_FC:
        return parse_fc(l, size, type, L, nd);
    case TML_GAP:
        if (L->oh * L->ow != 1 || L->ic != L->oc)
            return TM_ERR_DIMS;
        if (type == TM_MDL_INT8 && (uint64_t)L->ih * L->iw > I8_MAX_GAP)
            return TM_ERR_DIMS;
        nd->acc = L->oc;
        return TM_OK;
    case TML_SOFTMAX:
        if (L->ih * L->iw != 1 || L->oh * L->ow != 1 || L->ic != L->oc)
            return TM_ERR_DIMS;
        nd->acc = L->oc;
        return TM_OK;
    case TML_RESHAPE:
        return n_in == n_out ? TM_OK : TM_ERR_DIMS;
    default: /* TML_ADD */
        L->in1_oft = rd32(l + LAYER_HEAD);
        read_quant(l + LAYER_HEAD + 4, type, &L->in_s1, &L->in_zp1);
        if (type == TM_MDL_INT8 && !zp_ok(L->in_zp1))
            return TM_ERR_UNSUPPORT;
        if (n_in != n_out || !inside(L->in1_oft, n_in * es, buf_size) ||
            (type == TM_MDL_FP32 && L->in1_oft % 4))
            return TM_ERR_DIMS;
        return TM_OK;
    }
}

/* Copy a layer's parameters into the plan at *at, in the kernels' order. */
static void fill_params(struct tmx_plan *p, struct tmx_layer *L, int type, size_t *at)
{
    const uint8_t *c = L->head + LAYER_HEAD;
    int conv = L->type == TML_CONV2D || L->type == TML_DWCONV2D;
    uint32_t ws_oft = rd32(c + (conv ? 20 : 0)), w_oft = rd32(c + (conv ? 24 : 4)),
             b_oft = rd32(c + (conv ? 28 : 8));
    const uint8_t *w = L->head + w_oft, *ws = L->head + ws_oft, *b = L->head + b_oft;
    uint8_t *dst;

    L->w = *at;
    if (L->dmul)
        *at += align_up((size_t)L->k * L->ocp * (type == TM_MDL_INT8 ? 2 : 4));
    else
        *at += align_up((size_t)L->kp * L->oc * (type == TM_MDL_INT8 ? 2 : 4));
    L->b = *at;
    *at += align_up((size_t)L->ocp * 4);
    L->sc = *at;
    *at += align_up((size_t)L->ocp * 4);

    dst = TMX_AT(p, L->w, uint8_t);
    if (conv && L->dmul) {
        /* depthwise [cho][kh][kw] -> [kh][kw][ocp]: kernels run across channels */
        for (uint32_t o = 0; o < L->oc; o++)
            for (uint32_t t = 0; t < L->k; t++) {
                size_t to = (size_t)t * L->ocp + o, from = (size_t)o * L->k + t;
                if (type == TM_MDL_INT8)
                    TMX_AT(p, L->w, int16_t)[to] = (int8_t)w[from];
                else
                    memcpy(dst + to * 4, w + from * 4, 4);
            }
    } else {
        /* conv [cho][chi][kh][kw] -> [cho][kh][kw][chi] (a window row is one
         * run of the input), fc [cho][chi] as stored; rows of kp */
        uint32_t kk = conv ? L->kh * L->kw : 1, ci = conv ? L->ic : L->k;
        for (uint32_t o = 0; o < L->oc; o++)
            for (uint32_t i = 0; i < ci; i++)
                for (uint32_t t = 0; t < kk; t++) {
                    size_t from = ((size_t)o * ci + i) * kk + t;
                    size_t to = (size_t)o * L->kp + (size_t)t * ci + i;
                    if (type == TM_MDL_INT8)
                        TMX_AT(p, L->w, int16_t)[to] = (int8_t)w[from];
                    else
                        memcpy(dst + to * 4, w + from * 4, 4);
                }
    }
    for (uint32_t o = 0; o < L->oc; o++) {
        if (type == TM_MDL_INT8)
            TMX_AT(p, L->b, int32_t)[o] = (int32_t)rd32(b + 4 * o);
        else
            TMX_AT(p, L->b, float)[o] = rdf(b + 4 * o);
    }
    if (type != TM_MDL_INT8)
        return;
    if (conv) /* TinyMaix's per-channel sum scale, rounded as it rounds it */
        for (uint32_t o = 0; o < L->oc; o++)
            TMX_AT(p, L->sc, float)[o] = rdf(ws + 4 * o) * L->in_s;
    else /* fc: one weight scale, applied in TinyMaix's order at run time */
        TMX_AT(p, L->sc, float)[0] = rdf(ws);
}

/* Where the dequantized copy of an output goes: after it, 8-byte aligned
 * in memory, as TinyMaix puts it. */
static tm_err_t place_deq(struct tmx_layer *L, const uint8_t *buf, uint32_t buf_size)
{
    size_t n = (size_t)L->oh * L->ow * L->oc;
    uintptr_t end = (uintptr_t)buf + L->out_oft + n;
    size_t deq = (size_t)((end + 7) / 8 * 8 - (uintptr_t)buf);
    if (!inside(deq, (uint64_t)n * 4, buf_size))
        return TM_ERR_DIMS;
    L->deq = deq;
    return TM_OK;
}

/* Walk the layers; with p == NULL only size the plan. */
static tm_err_t walk(const uint8_t *bin, size_t len, int type, uint32_t buf_size, uint16_t n,
                     struct tmx_plan *p, size_t *data_size, size_t *max_patch, size_t *max_acc)
{
    size_t off = HEAD_SIZE, at = 0, outs = 0;
    struct tmx_layer tmp;
    struct need nd;
    tm_err_t err;

    *data_size = *max_patch = *max_acc = 0;
    if (p != NULL)
        at = align_up(sizeof *p + (size_t)n * sizeof(struct tmx_layer));
    for (uint16_t i = 0; i < n; i++) {
        struct tmx_layer *L = p != NULL ? &p->l[i] : &tmp;
        if ((err = parse_layer(bin, len, off, type, buf_size, L, &nd)) != TM_OK)
            return err;
        if (i == 0) {
            /* the input is read from where tm_load() said it is: buffer offset 0 */
            if (L->ih != rd16(bin + 22) || L->iw != rd16(bin + 24) || L->ic != rd16(bin + 26))
                return TM_ERR_DIMS;
            if ((uint64_t)L->ih * L->iw * L->ic * (type == TM_MDL_INT8 ? 1 : 4) > buf_size)
                return TM_ERR_DIMS;
        }
        if (L->is_out)
            outs++;
        if (nd.data != 0 && p != NULL) {
            if (at + nd.data > p->patch)
                return TM_ERR; /* the model changed between the passes */
            fill_params(p, L, type, &at);
        }
        *data_size += nd.data;
        if (nd.patch > *max_patch)
            *max_patch = nd.patch;
        if (nd.acc > *max_acc)
            *max_acc = nd.acc;
        off += nd.size;
    }
    if (outs != rd16(bin + 8) || outs == 0)
        return TM_ERR_DIMS;
    return TM_OK;
}

tm_err_t tmx_load(tm_mdl_t *mdl, const uint8_t *bin, size_t bin_len, uint8_t *buf, tm_cb_t cb,
                  tm_mat_t *in, int want_type)
{
    size_t data_size, max_patch, max_acc, data2, patch2, acc2;
    struct tmx_plan *p = NULL;
    tm_err_t err;

    if (mdl == NULL)
        return TM_ERR;
    memset(mdl, 0, sizeof *mdl);
    if (bin == NULL || in == NULL || bin_len < HEAD_SIZE)
        return TM_ERR;
    if (rd32(bin) != TM_MDL_MAGIC)
        return TM_ERR_MAGIC;
    int type = bin[4];
    if (type != want_type || (type != TM_MDL_INT8 && type != TM_MDL_FP32))
        return TM_ERR_MDLTYPE;
    uint16_t n = rd16(bin + 10);
    uint32_t buf_size = rd32(bin + 12);
    if (n == 0 || buf_size == 0)
        return TM_ERR_DIMS;
    if (buf_size > MAX_BUF_SIZE)
        return TM_ERR_OOM;
    if (type == TM_MDL_FP32 && buf != NULL && (uintptr_t)buf % 4)
        return TM_ERR;

    err = walk(bin, bin_len, type, buf_size, n, NULL, &data_size, &max_patch, &max_acc);
    if (err != TM_OK)
        return err;

    size_t head = align_up(sizeof *p + (size_t)n * sizeof(struct tmx_layer));
    size_t size = head + data_size + align_up(max_patch) + align_up(max_acc * 4);
    p = aligned_alloc(PLAN_ALIGN, align_up(size));
    if (p == NULL)
        return TM_ERR_OOM;
    memset(p, 0, size);
    p->magic = TMX_PLAN_MAGIC;
    p->type = (uint8_t)type;
    p->out_deq = bin[5];
#ifdef TMX_X86_64
    p->avx2 = __builtin_cpu_supports("avx2") ? 1 : 0;
#endif
    p->n = n;
    p->buf_size = buf_size;
    p->patch = head + data_size;
    p->acc = p->patch + align_up(max_patch);
    p->size = size;

    if (buf == NULL) {
        buf = aligned_alloc(PLAN_ALIGN, align_up(buf_size));
        if (buf == NULL) {
            free(p);
            return TM_ERR_OOM;
        }
        mdl->main_alloc = 1;
    }
    mdl->buf = buf;
    mdl->subbuf = (uint8_t *)p;

    err = walk(bin, bin_len, type, buf_size, n, p, &data2, &patch2, &acc2);
    if (err == TM_OK && (data2 != data_size || patch2 > max_patch || acc2 > max_acc))
        err = TM_ERR;
    for (uint16_t i = 0; err == TM_OK && i < n; i++)
        if (p->l[i].is_out && p->out_deq && type == TM_MDL_INT8)
            err = place_deq(&p->l[i], buf, buf_size);
    if (err != TM_OK) {
        tm_unload(mdl);
        return err;
    }

    mdl->b = (tm_mdlbin_t *)(uintptr_t)bin;
    mdl->cb = (void *)cb;
    mdl->layer_body = mdl->b->layers_body;
    in->dims = rd16(bin + 20);
    in->h = rd16(bin + 22);
    in->w = rd16(bin + 24);
    in->c = rd16(bin + 26);
    in->data = (mtype_t *)buf;
    return TM_OK;
}

void tm_unload(tm_mdl_t *mdl)
{
    if (mdl == NULL)
        return;
    if (mdl->main_alloc)
        free(mdl->buf);
    free(mdl->subbuf);
    memset(mdl, 0, sizeof *mdl);
}
