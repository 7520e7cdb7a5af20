/*
 * tm_run.c - tm_run(), tm_preprocess(): walk the plan tm_load() built.
 */
#include <string.h>

#include "tmx.h"

static struct tmx_plan *plan_of(const tm_mdl_t *mdl)
{
    struct tmx_plan *p = mdl != NULL ? (struct tmx_plan *)(void *)mdl->subbuf : NULL;
    return p != NULL && p->magic == TMX_PLAN_MAGIC ? p : NULL;
}

tm_err_t tm_run(tm_mdl_t *mdl, tm_mat_t *in, tm_mat_t *out)
{
    struct tmx_plan *p = plan_of(mdl);
    int o = 0;

    if (p == NULL || in == NULL || in->data == NULL || out == NULL)
        return TM_ERR;
    for (uint16_t i = 0; i < p->n; i++) {
        const struct tmx_layer *L = &p->l[i];
        mdl->layer_i = i;
        mdl->layer_body = (uint8_t *)(uintptr_t)L->head;
        if (p->type == TM_MDL_INT8)
            tmx_run_i8(p, L, mdl->buf, i == 0 ? (const int8_t *)in->data : NULL);
        else
            tmx_run_f32(p, L, mdl->buf, i == 0 ? (const float *)(void *)in->data : NULL);
        if (mdl->cb != NULL)
            ((tm_cb_t)mdl->cb)(mdl, (tml_head_t *)(uintptr_t)L->head);
        if (!L->is_out)
            continue;
        tm_mat_t *m = &out[o++];
        m->dims = L->out_dims[0];
        m->h = L->out_dims[1];
        m->w = L->out_dims[2];
        m->c = L->out_dims[3];
        m->data = (mtype_t *)(mdl->buf + L->out_oft);
        if (L->deq != 0) {
            const int8_t *q = (const int8_t *)(mdl->buf + L->out_oft);
            float *f = (float *)(void *)(mdl->buf + L->deq);
            size_t n = (size_t)L->oh * L->ow * L->oc;
            for (size_t j = 0; j < n; j++)
                f[j] = (float)((int32_t)q[j] - L->out_zp) * L->out_s;
            m->dataf = f;
        }
    }
    mdl->layer_i = p->n;
    return TM_OK;
}

tm_err_t tm_preprocess(tm_mdl_t *mdl, tm_pp_t pp_type, tm_mat_t *in, tm_mat_t *out)
{
    struct tmx_plan *p = plan_of(mdl);

    if (p == NULL || in == NULL || out == NULL)
        return TM_ERR;
    const uint8_t *u = (const uint8_t *)in->data;
    size_t n = (size_t)in->h * in->w * in->c;
    const struct tmx_layer *L0 = &p->l[0];
    if (p->type == TM_MDL_INT8 && pp_type == TMPP_UINT2INT) {
        int8_t *d = (int8_t *)out->data;
        for (size_t i = 0; i < n; i++)
            d[i] = (int8_t)(u[i] - 128);
    } else if (p->type == TM_MDL_INT8 && pp_type == TMPP_FP2INT) {
        int8_t *d = (int8_t *)out->data;
        for (size_t i = 0; i < n; i++)
            d[i] = tmx_f2q(in->dataf[i] / L0->in_s + (float)L0->in_zp);
    } else if (p->type == TM_MDL_FP32 &&
               (pp_type == TMPP_UINT2FP01 || pp_type == TMPP_UINT2FPN11)) {
        /* backwards, so that the bytes can be widened in place */
        float *d = out->dataf;
        for (size_t i = n; i-- > 0;)
            d[i] =
                pp_type == TMPP_UINT2FP01 ? (float)(u[i] / 255.0) : (float)((u[i] - 128) / 128.0);
    } else {
        out->data = in->data;
    }
    return TM_OK;
}
