/*
 * cose.c - the COSE_Sign1 envelope of cose.h: encoded by the Initial
 * Attestation partition, decoded (strictly) by psa-attest.
 */
#include <string.h>

#include "cose.h"

const uint8_t cose_es256_protected[3] = {0xa1, 0x01, 0x26}; /* {1: -7} */

void cose_sig_structure(struct cbor_enc *e, const uint8_t *prot, size_t prot_len,
                        const uint8_t *payload, size_t payload_len)
{
    static const char context[] = "Signature1";

    cbor_put_array(e, 4);
    cbor_put_tstr(e, context, sizeof(context) - 1);
    cbor_put_bstr(e, prot, prot_len);
    cbor_put_bstr(e, NULL, 0);
    cbor_put_bstr(e, payload, payload_len);
}

void cose_sign1_encode(struct cbor_enc *e, const uint8_t *prot, size_t prot_len, const uint8_t *kid,
                       size_t kid_len, const uint8_t *payload, size_t payload_len,
                       const uint8_t *sig, size_t sig_len)
{
    cbor_put_tag(e, COSE_TAG_SIGN1);
    cbor_put_array(e, 4);
    cbor_put_bstr(e, prot, prot_len);
    cbor_put_map(e, kid_len != 0 ? 1 : 0);
    if (kid_len != 0) {
        cbor_put_uint(e, COSE_HDR_KID);
        cbor_put_bstr(e, kid, kid_len);
    }
    cbor_put_bstr(e, payload, payload_len);
    cbor_put_bstr(e, sig, sig_len);
}

#define FAIL(msg)                                                                                  \
    do {                                                                                           \
        *why = (msg);                                                                              \
        return -1;                                                                                 \
    } while (0)

/* The protected header: a map naming the algorithm, nothing critical. */
static int decode_protected(struct cose_sign1 *out, const char **why)
{
    struct cbor_dec d;
    struct cbor_item it;
    int64_t key;
    uint64_t i;
    bool have_alg = false;

    if (out->prot_len == 0 || cbor_check(out->prot, out->prot_len) != CBOR_OK)
        FAIL("the protected header is not one well-formed CBOR map");
    cbor_dec_init(&d, out->prot, out->prot_len);
    if (cbor_expect(&d, CBOR_MAP, &it) != CBOR_OK)
        FAIL("the protected header is not a map");
    for (i = it.u; i > 0; i--) {
        struct cbor_item k, v;

        if (cbor_next(&d, &k) != CBOR_OK)
            FAIL("the protected header is malformed");
        if (cbor_item_int(&k, &key) != CBOR_OK) {
            if (cbor_skip_rest(&d, &k) != CBOR_OK || cbor_skip(&d) != CBOR_OK)
                FAIL("the protected header is malformed");
            continue;
        }
        if (key == COSE_HDR_CRIT)
            FAIL("the protected header has critical parameters, which this verifier does not "
                 "know");
        if (key != COSE_HDR_ALG) {
            if (cbor_skip(&d) != CBOR_OK)
                FAIL("the protected header is malformed");
            continue;
        }
        if (cbor_next(&d, &v) != CBOR_OK || cbor_item_int(&v, &out->alg) != CBOR_OK)
            FAIL("the protected header's algorithm is not an integer");
        have_alg = true;
    }
    if (!have_alg)
        FAIL("the protected header names no algorithm");
    if (out->alg != COSE_ALG_ES256)
        FAIL("the algorithm is not ES256 (-7)");
    return 0;
}

/* The unprotected header: a map, perhaps with a key id. */
static int decode_unprotected(struct cbor_dec *d, struct cose_sign1 *out, const char **why)
{
    struct cbor_item it, k, v;
    int64_t key;
    uint64_t i;

    if (cbor_expect(d, CBOR_MAP, &it) != CBOR_OK)
        FAIL("the unprotected header is not a map");
    for (i = it.u; i > 0; i--) {
        if (cbor_next(d, &k) != CBOR_OK)
            FAIL("the unprotected header is malformed");
        if (cbor_item_int(&k, &key) != CBOR_OK)
            key = 0; /* not a label this verifier knows */
        if (key == COSE_HDR_KID) {
            if (cbor_expect(d, CBOR_BSTR, &v) != CBOR_OK)
                FAIL("the key id is not a byte string");
            out->kid = v.ptr;
            out->kid_len = (size_t)v.u;
            continue;
        }
        if (key == COSE_HDR_ALG || key == COSE_HDR_CRIT)
            FAIL("the unprotected header carries what must be protected (alg or crit)");
        if (cbor_skip_rest(d, &k) != CBOR_OK || cbor_skip(d) != CBOR_OK)
            FAIL("the unprotected header is malformed");
    }
    return 0;
}

int cose_sign1_decode(const uint8_t *buf, size_t len, struct cose_sign1 *out, const char **why)
{
    struct cbor_dec d;
    struct cbor_item it;
    int r = cbor_check(buf, len);

    memset(out, 0, sizeof(*out));
    if (r != CBOR_OK) {
        *why = cbor_strerror(r);
        return -1;
    }
    cbor_dec_init(&d, buf, len);
    if (cbor_expect(&d, CBOR_TAG, &it) != CBOR_OK || it.u != COSE_TAG_SIGN1)
        FAIL("not a tagged COSE_Sign1 (CBOR tag 18)");
    if (cbor_expect(&d, CBOR_ARRAY, &it) != CBOR_OK || it.u != 4)
        FAIL("a COSE_Sign1 is an array of four items");
    if (cbor_expect(&d, CBOR_BSTR, &it) != CBOR_OK)
        FAIL("the protected header is not a byte string");
    out->prot = it.ptr;
    out->prot_len = (size_t)it.u;
    if (decode_protected(out, why) < 0 || decode_unprotected(&d, out, why) < 0)
        return -1;
    if (cbor_expect(&d, CBOR_BSTR, &it) != CBOR_OK)
        FAIL("the payload is not a byte string (a detached payload is not a token)");
    out->payload = it.ptr;
    out->payload_len = (size_t)it.u;
    if (cbor_expect(&d, CBOR_BSTR, &it) != CBOR_OK || it.u != COSE_ES256_SIG_LEN)
        FAIL("the signature is not 64 bytes (ES256: r || s)");
    out->sig = it.ptr;
    out->sig_len = (size_t)it.u;
    return 0;
}
