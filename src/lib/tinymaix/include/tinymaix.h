/*
 * tinymaix.h - partix's inference engine, source-compatible with TinyMaix.
 *
 * The names, types, structures and .tmdl format are TinyMaix's
 * (github.com/sipeed/TinyMaix): a program written against TinyMaix's API
 * builds unchanged against partix-tinymaix.  Unlike TinyMaix, one library
 * serves every model type: the program's TM_MDL_TYPE (TM_MDL_INT8 unless it
 * defines it, before this header or with -D) selects the types this header
 * shows and is handed to the engine by tm_load(), which refuses a model of
 * another type with TM_ERR_MDLTYPE.  The engine runs int8 and fp32 models.
 *
 * Every offset, size and dimension of a model is checked at load, and
 * tm_run() only follows what the load checked.  tm_load() has no length
 * argument, so it trusts the model to be as long as its layers say; a
 * model from an untrusted source goes through tm_load_len() (a partix
 * extension, TM_HAVE_LOAD_LEN), which never reads past the given length.
 * See docs/tinymaix-integration.md.
 */
#ifndef TINYMAIX_H
#define TINYMAIX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#ifdef __cplusplus
extern "C" {
#endif

#define TM_MDL_INT8 0
#define TM_MDL_INT16 1
#define TM_MDL_FP32 2
#define TM_MDL_FP16 3
#define TM_MDL_FP8_143 4
#define TM_MDL_FP8_152 5

#include "tm_port.h"

#ifndef TM_STATIC
#define TM_STATIC static
#endif

/* "MAIX" read as a little-endian uint32_t (TinyMaix writes 'XIAM'). */
#define TM_MDL_MAGIC 0x5849414DU
#define TM_ALIGN_SIZE (8)
#define TM_ALIGN(addr) ((((size_t)(addr)) + (TM_ALIGN_SIZE - 1)) / TM_ALIGN_SIZE * TM_ALIGN_SIZE)
#define TM_MATP(mat, y, x, ch) ((mat)->data + ((y) * (mat)->w + (x)) * (mat)->c + (ch))

#if TM_MDL_TYPE == TM_MDL_INT8
typedef int8_t mtype_t;
typedef int8_t wtype_t;
typedef int32_t btype_t;
typedef int32_t sumtype_t;
typedef int32_t zptype_t;
#define UINT2INT_SHIFT (0)
#elif TM_MDL_TYPE == TM_MDL_INT16
typedef int16_t mtype_t;
typedef int16_t wtype_t;
typedef int32_t btype_t;
typedef int32_t sumtype_t;
typedef int32_t zptype_t;
#define UINT2INT_SHIFT (8)
#elif TM_MDL_TYPE == TM_MDL_FP32
typedef float mtype_t;
typedef float wtype_t;
typedef float btype_t;
typedef float sumtype_t;
typedef float zptype_t;
#elif TM_MDL_TYPE == TM_MDL_FP16
/* storage only: the engine answers TM_ERR_MDLTYPE to fp16 models */
typedef uint16_t mtype_t;
typedef uint16_t wtype_t;
typedef uint16_t btype_t;
typedef float sumtype_t;
typedef float zptype_t;
#elif TM_MDL_TYPE == TM_MDL_FP8_143 || TM_MDL_TYPE == TM_MDL_FP8_152
/* storage only: the engine answers TM_ERR_MDLTYPE to fp8 models */
typedef uint8_t mtype_t;
typedef uint8_t wtype_t;
typedef uint8_t btype_t;
typedef float sumtype_t;
typedef float zptype_t;
#else
#error "tinymaix.h: unknown TM_MDL_TYPE"
#endif

typedef float sctype_t;
#define TM_FASTSCALE_SHIFT (8)

typedef enum {
    TM_OK = 0,
    TM_ERR = 1,
    TM_ERR_MAGIC = 2,
    TM_ERR_UNSUPPORT = 3,
    TM_ERR_OOM = 4,
    TM_ERR_LAYERTYPE = 5,
    TM_ERR_DIMS = 6,
    TM_ERR_TODO = 7,
    TM_ERR_MDLTYPE = 8,
    TM_ERR_KSIZE = 9,
} tm_err_t;

typedef enum {
    TML_CONV2D = 0,
    TML_GAP = 1,
    TML_FC = 2,
    TML_SOFTMAX = 3,
    TML_RESHAPE = 4,
    TML_DWCONV2D = 5,
    TML_ADD = 6,
    TML_MAXCNT,
} tm_layer_type_t;

typedef enum {
    TM_PAD_VALID = 0,
    TM_PAD_SAME = 1,
} tm_pad_type_t;

typedef enum {
    TM_ACT_NONE = 0,
    TM_ACT_RELU = 1,
    TM_ACT_RELU1 = 2,
    TM_ACT_RELU6 = 3,
    TM_ACT_TANH = 4,
    TM_ACT_SIGNBIT = 5,
    TM_ACT_MAXCNT,
} tm_act_type_t;

typedef enum {
    TMPP_NONE = 0,
    TMPP_FP2INT = 1,     /* float input -> quantized int8 */
    TMPP_UINT2INT = 2,   /* uint8 -> int8 (u - 128), in place allowed */
    TMPP_UINT2FP01 = 3,  /* uint8 -> float u / 255 */
    TMPP_UINT2FPN11 = 4, /* uint8 -> float (u - 128) / 128 */
    TMPP_UINT2DTYPE = 5,
    TMPP_MAXCNT,
} tm_pp_t;

/* The model as stored: a 64-byte header, then layer_cnt layers. */
typedef struct {
    uint32_t magic;   /* TM_MDL_MAGIC */
    uint8_t mdl_type; /* TM_MDL_INT8, TM_MDL_FP32, ... */
    uint8_t out_deq;  /* 1: int8 outputs are also given dequantized (dataf) */
    uint16_t input_cnt;
    uint16_t output_cnt; /* layers with is_out set */
    uint16_t layer_cnt;
    uint32_t buf_size;   /* bytes of the main buffer (activations) */
    uint32_t sub_size;   /* TinyMaix's ping-pong buffer size; unused here */
    uint16_t in_dims[4]; /* dims, h, w, c */
    uint16_t out_dims[4];
    uint8_t reserve[28];
    uint8_t layers_body[];
} tm_mdlbin_t;

/* A loaded model.  subbuf holds the engine's validated plan and scratch. */
typedef struct {
    tm_mdlbin_t *b;
    void *cb;
    uint8_t *buf;
    uint8_t *subbuf;
    uint16_t main_alloc;
    uint16_t layer_i;
    uint8_t *layer_body;
} tm_mdl_t;

/* A tensor, HWC: dims 3 is h,w,c; 2 is 1,w,c; 1 is 1,1,c. */
typedef struct {
    uint16_t dims;
    uint16_t h;
    uint16_t w;
    uint16_t c;
    union {
        mtype_t *data;
        float *dataf;
    };
} tm_mat_t;

/* Every layer starts with this 48-byte head; real = scale * (q - zeropoint). */
typedef struct {
    uint16_t type;
    uint16_t is_out;
    uint32_t size; /* bytes of this layer, head included */
    uint32_t in_oft;
    uint32_t out_oft;
    uint16_t in_dims[4];
    uint16_t out_dims[4];
    sctype_t in_s;
    zptype_t in_zp;
    sctype_t out_s;
    zptype_t out_zp;
} tml_head_t;

/* TML_CONV2D and TML_DWCONV2D (depth_mul 0: conv2d, >= 1: depthwise). */
typedef struct {
    tml_head_t h;
    uint8_t kernel_w;
    uint8_t kernel_h;
    uint8_t stride_w;
    uint8_t stride_h;
    uint8_t dilation_w;
    uint8_t dilation_h;
    uint16_t act;   /* tm_act_type_t */
    uint8_t pad[4]; /* top, bottom, left, right */
    uint32_t depth_mul;
    uint32_t reserve;
    uint32_t ws_oft; /* per-channel weight scales (int8), from the layer start */
    uint32_t w_oft;  /* weights [cho][chi][kh][kw] ([cho][kh][kw] depthwise) */
    uint32_t b_oft;  /* biases, zero points folded in */
} tml_conv2d_dw_t;

typedef struct {
    tml_head_t h;
} tml_gap_t;

typedef struct {
    tml_head_t h;
    uint32_t ws_oft;
    uint32_t w_oft; /* weights [cho][chi] */
    uint32_t b_oft;
    uint32_t reserve;
} tml_fc_t;

typedef struct {
    tml_head_t h;
} tml_softmax_t;

typedef struct {
    tml_head_t h;
} tml_reshape_t;

/* TinyMaix's older depthwise layout, kept for the name; models use
 * tml_conv2d_dw_t for both kinds. */
typedef struct {
    tml_head_t h;
    uint8_t kernel_w;
    uint8_t kernel_h;
    uint8_t stride_w;
    uint8_t stride_h;
    uint8_t dilation_w;
    uint8_t dilation_h;
    uint16_t act;
    uint8_t pad[4];
    uint32_t ws_oft;
    uint32_t w_oft;
    uint32_t b_oft;
} tml_dwconv2d_t;

/* TML_ADD: out = in (in_oft, head's scale) + in1 (in_oft1, these). */
typedef struct {
    tml_head_t h;
    uint32_t in_oft1;
    sctype_t in_s1;
    zptype_t in_zp1;
    uint32_t reserve;
} tml_add_t;

typedef tm_err_t (*tml_stat_t)(tml_head_t *layer, tm_mat_t *in, tm_mat_t *out);
/* Called after each layer with the model and that layer's head (in the model). */
typedef tm_err_t (*tm_cb_t)(tm_mdl_t *mdl, tml_head_t *lh);

/* partix extension: tm_load_len() is available. */
#define TM_HAVE_LOAD_LEN 1

/**
 * tmx_load() - the loader behind tm_load() and tm_load_len(); call those.
 * @want_type: the program's TM_MDL_TYPE; a model of another type is refused.
 */
tm_err_t tmx_load(tm_mdl_t *mdl, const uint8_t *bin, size_t bin_len, uint8_t *buf, tm_cb_t cb,
                  tm_mat_t *in, int want_type);

/**
 * tm_load() - check a model and prepare it to run.
 * @mdl: filled in; release with tm_unload() (also after a failed load).
 * @bin: the .tmdl model; it must stay in place until tm_unload().
 * @buf: the main buffer, at least bin's buf_size bytes, or NULL to allocate it.
 * @cb: called after each layer, or NULL.
 * @in: receives the input tensor: its dims and data = the main buffer.
 *
 * Return: TM_OK; TM_ERR_MAGIC, TM_ERR_MDLTYPE (not this program's type, or a
 * type the engine does not run), TM_ERR_LAYERTYPE, TM_ERR_DIMS, TM_ERR_KSIZE,
 * TM_ERR_UNSUPPORT or TM_ERR (a malformed model), TM_ERR_OOM.
 */
static inline tm_err_t tm_load(tm_mdl_t *mdl, const uint8_t *bin, uint8_t *buf, tm_cb_t cb,
                               tm_mat_t *in)
{
    return tmx_load(mdl, bin, SIZE_MAX, buf, cb, in, TM_MDL_TYPE);
}

/**
 * tm_load_len() - tm_load() for a model of bin_len bytes (partix extension).
 *
 * Nothing past bin + bin_len is read; a model longer than bin_len is refused
 * with TM_ERR.  Bytes after the model's last layer are allowed.
 */
static inline tm_err_t tm_load_len(tm_mdl_t *mdl, const uint8_t *bin, size_t bin_len, uint8_t *buf,
                                   tm_cb_t cb, tm_mat_t *in)
{
    return tmx_load(mdl, bin, bin_len, buf, cb, in, TM_MDL_TYPE);
}

/**
 * tm_unload() - free what tm_load() allocated; mdl can be loaded again.
 */
void tm_unload(tm_mdl_t *mdl);

/**
 * tm_preprocess() - convert an input into the model's input type.
 * @pp_type: TMPP_UINT2INT or TMPP_FP2INT (int8 models), TMPP_UINT2FP01 or
 *           TMPP_UINT2FPN11 (fp32 models); any other: out->data = in->data.
 * @in: in->h * in->w * in->c values (uint8 in in->data, or floats).
 * @out: where the converted values go; may be in's own buffer.
 *
 * Return: TM_OK, or TM_ERR for a model that was not loaded.
 */
tm_err_t tm_preprocess(tm_mdl_t *mdl, tm_pp_t pp_type, tm_mat_t *in, tm_mat_t *out);

/**
 * tm_run() - run the model on the input.
 * @in: in->data holds the input (the main buffer, as tm_load() returned it,
 *      or any buffer of the input's size); its dims are the model's.
 * @out: receives one tensor per output layer (output_cnt entries): data in
 *       the main buffer, valid until the next tm_run(); dataf dequantized
 *       floats when the model asks (out_deq) for an int8 model.
 *
 * Allocates nothing.  Return: TM_OK, or TM_ERR for a model that was not loaded.
 */
tm_err_t tm_run(tm_mdl_t *mdl, tm_mat_t *in, tm_mat_t *out);

/**
 * tm_stat() - print a model's header and layers to stdout.
 *
 * Reads the model as far as its layers say: give it a model that loaded.
 * Return: TM_OK, or TM_ERR_MAGIC / TM_ERR_LAYERTYPE.
 */
tm_err_t tm_stat(tm_mdlbin_t *mdl);

#define TML_GET_INPUT(mdl, lh) ((mtype_t *)((mdl)->buf + (lh)->in_oft))
#define TML_GET_OUTPUT(mdl, lh) ((mtype_t *)((mdl)->buf + (lh)->out_oft))
#if TM_MDL_TYPE == TM_MDL_INT8 || TM_MDL_TYPE == TM_MDL_INT16
#define TML_DEQUANT(lh, x) (((sumtype_t)(x) - ((lh)->out_zp)) * ((lh)->out_s))
#define TM_DEQUANT(i8, s, zp) (((sumtype_t)(i8) - (zp)) * (s))
#define TM_QUANT(fp32, s, zp) ((mtype_t)((fp32) / (s) + zp))
#else
#define TML_DEQUANT(lh, x) ((float)(x))
#define TM_DEQUANT(x, s, zp) (x)
#define TM_QUANT(x, s, zp) (x)
#endif
#define tm_exp exp

#ifdef __cplusplus
}
#endif

#endif
