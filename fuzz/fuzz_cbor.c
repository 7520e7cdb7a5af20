/*
 * fuzz_cbor.c - libFuzzer target: any bytes through the strict CBOR
 * decoder and the COSE_Sign1 decoder (src/cbor/) must give an answer,
 * never a crash, a hang or undefined behaviour; and whatever cbor_check()
 * accepts must be exactly what the encoder writes for the same items
 * (the decoder takes the canonical encoding only), floats aside.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cbor.h"
#include "cose.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Writes the item at @p d again: false on a float or an int64_t overflow. */
static bool reencode(struct cbor_dec *d, struct cbor_enc *e)
{
    struct cbor_item it;
    uint64_t i, n;
    int64_t v;

    if (cbor_next(d, &it) != CBOR_OK)
        abort(); /* cbor_check() accepted it */
    switch (it.type) {
    case CBOR_UINT:
        cbor_put_uint(e, it.u);
        return true;
    case CBOR_NINT:
        if (cbor_item_int(&it, &v) != CBOR_OK)
            return false;
        cbor_put_int(e, v);
        return true;
    case CBOR_BSTR:
        cbor_put_bstr(e, it.ptr, (size_t)it.u);
        return true;
    case CBOR_TSTR:
        cbor_put_tstr(e, (const char *)it.ptr, (size_t)it.u);
        return true;
    case CBOR_SIMPLE:
        cbor_put_simple(e, (uint8_t)it.u);
        return true;
    case CBOR_TAG:
        cbor_put_tag(e, it.u);
        return reencode(d, e);
    case CBOR_ARRAY:
    case CBOR_MAP:
        if (it.type == CBOR_MAP)
            cbor_put_map(e, (size_t)it.u);
        else
            cbor_put_array(e, (size_t)it.u);
        n = it.type == CBOR_MAP ? 2 * it.u : it.u;
        for (i = 0; i < n; i++)
            if (!reencode(d, e))
                return false;
        return true;
    default:
        return false;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t out[1 << 16];
    struct cose_sign1 s;
    struct cbor_dec d;
    struct cbor_enc e;
    const char *why;
    size_t n;

    cbor_dec_init(&d, data, size);
    (void)cbor_skip(&d); /* the cursor alone, on unchecked input */
    if (cbor_check(data, size) == CBOR_OK && size <= sizeof(out)) {
        cbor_dec_init(&d, data, size);
        cbor_enc_init(&e, out, sizeof(out));
        if (reencode(&d, &e) &&
            (cbor_enc_finish(&e, &n) != CBOR_OK || n != size || memcmp(out, data, size) != 0))
            abort(); /* accepted, yet not the canonical encoding */
    }
    if (cose_sign1_decode(data, size, &s, &why) == 0 &&
        (s.sig_len != COSE_ES256_SIG_LEN || s.alg != COSE_ALG_ES256))
        abort();
    return 0;
}
