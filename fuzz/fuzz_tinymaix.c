/*
 * fuzz_tinymaix.c - libFuzzer on the TinyMaix-compatible engine: the input
 * is a .tmdl model, loaded with its length (tm_load_len's path) for the
 * type it claims; a model that loads is preprocessed and run, with the
 * AVX2 kernels (where the CPU has them) and the SSE2 ones.  ASan and
 * UBSan stop on any read or write out of bounds, any undefined arithmetic.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tinymaix.h"
#include "tmx.h" /* the plan's AVX2 switch: both kernel builds get the input */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tm_mdl_t mdl;
    tm_mat_t in, out[8], raw;
    uint8_t u8[256];

    int type = size > 4 ? data[4] : 0;
    if (tmx_load(&mdl, data, size, NULL, NULL, &in, type) != TM_OK) {
        tm_unload(&mdl);
        return 0;
    }
    if (mdl.b->output_cnt > 8) { /* the caller's out[] is sized by output_cnt */
        tm_unload(&mdl);
        return 0;
    }
    size_t n = (size_t)in.h * in.w * in.c;
    for (size_t i = 0; i < sizeof u8; i++)
        u8[i] = (uint8_t)(i * 29 + size);
    raw = in;
    raw.data = (mtype_t *)(void *)u8;
    if (n <= sizeof u8)
        tm_preprocess(&mdl, type == TM_MDL_FP32 ? TMPP_UINT2FP01 : TMPP_UINT2INT, &raw, &in);
    else
        memset(in.data, 0x11, n * (type == TM_MDL_FP32 ? 4 : 1));
    tm_run(&mdl, &in, out);
    ((struct tmx_plan *)(void *)mdl.subbuf)->avx2 = 0;
    tm_run(&mdl, &in, out);
    tm_unload(&mdl);
    return 0;
}
