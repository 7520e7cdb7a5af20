/*
 * fuzz_crypto_wire.c - libFuzzer target: the Crypto partition's decoder
 * (cw_decode_request) on any request header a client could send, and the
 * client's (cw_decode_reply) on any reply.  The first two bytes pick a row
 * of CRYPTO_CALLS.  A header is refused or accepted; one accepted encodes
 * back to as many bytes, which decode again and encode to the same bytes.
 * Never a crash, an out-of-bounds read or undefined behaviour.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "crypto_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint16_t ids[] = {
#define ID(nm, fid, ...) fid,
    CRYPTO_CALLS(ID)
#undef ID
};

static void request(const struct cw_call *c, const uint8_t *hdr, size_t size)
{
    struct cw_arg a[CW_MAX_ARGS], b[CW_MAX_ARGS];
    psa_key_attributes_t attrs[2], attrs2[2];
    uint8_t once[CW_HDR_MAX], twice[CW_HDR_MAX];
    int n, m;

    memset(a, 0, sizeof(a));
    if (cw_decode_request(c, a, attrs, hdr, size) != 0)
        return;
    n = cw_encode_request(c, a, once);
    if (n < 0 || (size_t)n != size)
        abort();
    memset(b, 0, sizeof(b));
    if (cw_decode_request(c, b, attrs2, once, (size_t)n) != 0)
        abort();
    m = cw_encode_request(c, b, twice);
    if (m != n || memcmp(once, twice, (size_t)n) != 0)
        abort();
}

static void reply(const struct cw_call *c, const uint8_t *rep, size_t size)
{
    psa_key_attributes_t attrs[CW_MAX_ARGS];
    struct cw_arg a[CW_MAX_ARGS];
    uint8_t again[CW_HDR_MAX];
    size_t i;

    memset(a, 0, sizeof(a));
    for (i = 0; i < CW_MAX_ARGS; i++)
        a[i].attr = &attrs[i];
    if (cw_decode_reply(c, a, rep, size) != 0)
        return;
    if (cw_encode_reply(c, a, again) != size)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct cw_call *c;
    uint8_t *copy;

    if (size < 2)
        return 0;
    c = cw_find(ids[(data[0] | data[1] << 8) % (sizeof(ids) / sizeof(ids[0]))]);
    if (c == NULL)
        abort();
    /* a buffer of the exact size, so that a read past it is caught */
    copy = malloc(size - 2 > 0 ? size - 2 : 1);
    if (copy == NULL)
        return 0;
    memcpy(copy, data + 2, size - 2);
    request(c, copy, size - 2);
    reply(c, copy, size - 2);
    free(copy);
    return 0;
}
