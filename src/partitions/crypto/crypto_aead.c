/*
 * crypto_aead.c - multi-part AEAD with the PSA Crypto API's state machine
 * (crypto_aead.h).  GCM (NIST SP 800-38D) and CCM (SP 800-38C) are counter
 * mode plus a MAC over 16-byte blocks, both driven from the block cipher in
 * ECB: GHASH multiplies in GF(2^128), CCM's CBC-MAC encrypts; nothing is
 * held back, so update writes exactly as many bytes as it reads.  Any error
 * leaves the operation in the error state, where every call but abort is
 * BAD_STATE, as the API requires.
 */
#include <string.h>

#include <mbedtls/platform_util.h>

#include "crypto_aead.h"

enum { CA_GCM = 1, CA_CCM, CA_CHACHAPOLY };

/* SP 800-38D 5.2.1.1: plaintext at most 2^39 - 256 bits; RFC 8439 2.8:
 * at most 2^32 - 1 blocks of 64 bytes after the one for Poly1305's key. */
#define GCM_MAX_BODY ((UINT64_C(1) << 36) - 32)
#define CHACHAPOLY_MAX_BODY (((UINT64_C(1) << 32) - 1) * 64)

static psa_status_t fail(struct ca_op *op, psa_status_t st)
{
    op->error = true;
    return st;
}

/* The state every call but setup and abort needs. */
static bool usable(const struct ca_op *op)
{
    return op->mode != 0 && !op->error;
}

static int block(struct ca_op *op, const uint8_t in[16], uint8_t out[16])
{
    uint8_t tmp[16];
    size_t n = 0;
    int rc = mbedtls_cipher_update(&op->blk, in, 16, tmp, &n);

    memcpy(out, tmp, 16);
    return rc != 0 || n != 16 ? -1 : 0;
}

static uint64_t get_be64(const uint8_t *p)
{
    uint64_t v = 0;
    int i;

    for (i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static void put_be(uint8_t *p, uint64_t v, int n)
{
    while (n-- > 0) {
        p[n] = (uint8_t)v;
        v >>= 8;
    }
}

/* x = x * h in GF(2^128), SP 800-38D algorithm 1, without branches on data. */
static void gf_mult(uint8_t x[16], const uint8_t h[16])
{
    uint64_t zh = 0, zl = 0, vh = get_be64(h), vl = get_be64(h + 8), mask;
    int i;

    for (i = 0; i < 128; i++) {
        mask = 0 - (uint64_t)((x[i / 8] >> (7 - i % 8)) & 1);
        zh ^= vh & mask;
        zl ^= vl & mask;
        mask = 0 - (vl & 1);
        vl = vl >> 1 | vh << 63;
        vh = vh >> 1 ^ (UINT64_C(0xE100000000000000) & mask);
    }
    put_be(x, zh, 8);
    put_be(x + 8, zl, 8);
}

/* One whole block into the MAC: GHASH or CBC-MAC. */
static int mac_block(struct ca_op *op, const uint8_t b[16])
{
    int i;

    for (i = 0; i < 16; i++)
        op->mac[i] ^= b[i];
    if (op->mode == CA_GCM) {
        gf_mult(op->mac, op->h);
        return 0;
    }
    return block(op, op->mac, op->mac);
}

static int mac_absorb(struct ca_op *op, const uint8_t *p, size_t n)
{
    size_t take;

    while (n > 0) {
        take = 16u - op->part_len < n ? 16u - op->part_len : n;
        memcpy(op->part + op->part_len, p, take);
        op->part_len = (uint8_t)(op->part_len + take);
        p += take;
        n -= take;
        if (op->part_len == 16) {
            op->part_len = 0;
            if (mac_block(op, op->part) != 0)
                return -1;
        }
    }
    return 0;
}

/* Ends a field of the MAC's input: zeros to the end of its block. */
static int mac_pad(struct ca_op *op)
{
    if (op->part_len == 0)
        return 0;
    memset(op->part + op->part_len, 0, 16u - op->part_len);
    op->part_len = 0;
    return mac_block(op, op->part);
}

/* The next keystream byte; the counter's low @p w bytes count blocks. */
static int ks_byte(struct ca_op *op, uint8_t *k)
{
    int i, w = op->mode == CA_GCM ? 4 : 15 - op->nonce_len;

    if (op->ks_used == 16) {
        if (block(op, op->ctr, op->ks) != 0)
            return -1;
        for (i = 15; i >= 16 - w && ++op->ctr[i] == 0; i--)
            ;
        op->ks_used = 0;
    }
    *k = op->ks[op->ks_used++];
    return 0;
}

static psa_status_t gcm_nonce(struct ca_op *op, const uint8_t *nonce, size_t length)
{
    uint8_t lens[16] = {0};

    memset(op->mac, 0, 16);
    op->part_len = 0;
    if (length == 12) {
        memcpy(op->ctr, nonce, 12);
        put_be(op->ctr + 12, 1, 4);
    } else { /* J0 = GHASH(IV || 0-pad || [0]64 || [len(IV)]64) */
        put_be(lens + 8, (uint64_t)length * 8, 8);
        if (mac_absorb(op, nonce, length) != 0 || mac_pad(op) != 0 || mac_block(op, lens) != 0)
            return PSA_ERROR_GENERIC_ERROR;
        memcpy(op->ctr, op->mac, 16);
        memset(op->mac, 0, 16);
    }
    if (block(op, op->ctr, op->s0) != 0)
        return PSA_ERROR_GENERIC_ERROR;
    op->ks_used = 16;
    for (int i = 15; i >= 12 && ++op->ctr[i] == 0; i--)
        ;
    return PSA_SUCCESS;
}

/* CCM once its nonce and lengths are known: B0 and the associated data's
 * length into the CBC-MAC, A0 masks the tag, counting from A1. */
static int ccm_begin(struct ca_op *op)
{
    int q = 15 - op->nonce_len;
    uint8_t b[16], alen[10];
    size_t n;

    b[0] = (uint8_t)((op->ad_len > 0) << 6 | (op->tag_len - 2) / 2 << 3 | (q - 1));
    memcpy(b + 1, op->nonce, op->nonce_len);
    put_be(b + 1 + op->nonce_len, op->body_len, q);
    memset(op->mac, 0, 16);
    op->part_len = 0;
    if (mac_block(op, b) != 0)
        return -1;
    if (op->ad_len > 0) {
        if (op->ad_len < 0xFF00) {
            put_be(alen, op->ad_len, 2);
            n = 2;
        } else if (op->ad_len <= UINT32_MAX) {
            alen[0] = 0xFF, alen[1] = 0xFE;
            put_be(alen + 2, op->ad_len, 4);
            n = 6;
        } else {
            alen[0] = 0xFF, alen[1] = 0xFF;
            put_be(alen + 2, op->ad_len, 8);
            n = 10;
        }
        if (mac_absorb(op, alen, n) != 0)
            return -1;
    }
    memset(op->ctr, 0, 16);
    op->ctr[0] = (uint8_t)(q - 1);
    memcpy(op->ctr + 1, op->nonce, op->nonce_len);
    if (block(op, op->ctr, op->s0) != 0)
        return -1;
    op->ctr[15] = 1;
    op->ks_used = 16;
    op->ccm_begun = true;
    return 0;
}

/* CCM's length field has 15 - nonce length bytes. */
static bool ccm_fits(const struct ca_op *op)
{
    int q = 15 - op->nonce_len;

    return q >= 8 || op->body_len < UINT64_C(1) << (8 * q);
}

static psa_status_t cipher_setup(struct ca_op *op, psa_key_type_t type, const uint8_t *key,
                                 size_t key_len)
{
    static const uint8_t zero[16];
    const mbedtls_cipher_info_t *info;
    mbedtls_cipher_id_t id;

    if (type == PSA_KEY_TYPE_AES)
        id = MBEDTLS_CIPHER_ID_AES;
    else if (type == PSA_KEY_TYPE_ARIA)
        id = MBEDTLS_CIPHER_ID_ARIA;
    else if (type == PSA_KEY_TYPE_CAMELLIA)
        id = MBEDTLS_CIPHER_ID_CAMELLIA;
    else
        return PSA_ERROR_INVALID_ARGUMENT;
    if ((info = mbedtls_cipher_info_from_values(id, (int)key_len * 8, MBEDTLS_MODE_ECB)) == NULL)
        return PSA_ERROR_NOT_SUPPORTED;
    mbedtls_cipher_init(&op->blk);
    if (mbedtls_cipher_setup(&op->blk, info) != 0 ||
        mbedtls_cipher_setkey(&op->blk, key, (int)key_len * 8, MBEDTLS_ENCRYPT) != 0 ||
        block(op, zero, op->h) != 0) {
        mbedtls_cipher_free(&op->blk);
        return PSA_ERROR_GENERIC_ERROR;
    }
    return PSA_SUCCESS;
}

psa_status_t ca_setup(struct ca_op *op, bool encrypt, psa_key_type_t type, const uint8_t *key,
                      size_t key_len, psa_algorithm_t alg)
{
    size_t tag = PSA_ALG_AEAD_GET_TAG_LENGTH(alg);
    psa_status_t st;
    uint8_t mode;

    memset(op, 0, sizeof(*op));
    if (!PSA_ALG_IS_AEAD(alg) || (alg & PSA_ALG_AEAD_AT_LEAST_THIS_LENGTH_FLAG))
        return PSA_ERROR_INVALID_ARGUMENT; /* a wildcard is a policy, not an algorithm */
    switch (PSA_ALG_AEAD_WITH_DEFAULT_LENGTH_TAG(alg)) {
    case PSA_ALG_GCM:
        mode = CA_GCM;
        if (tag != 4 && tag != 8 && (tag < 12 || tag > 16))
            return PSA_ERROR_INVALID_ARGUMENT;
        break;
    case PSA_ALG_CCM:
        mode = CA_CCM;
        if (tag < 4 || tag > 16 || tag % 2 != 0)
            return PSA_ERROR_INVALID_ARGUMENT;
        break;
    case PSA_ALG_CHACHA20_POLY1305:
        mode = CA_CHACHAPOLY;
        if (tag != 16)
            return PSA_ERROR_INVALID_ARGUMENT;
        break;
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
    if (mode == CA_CHACHAPOLY) {
        if (type != PSA_KEY_TYPE_CHACHA20 || key_len != 32)
            return PSA_ERROR_INVALID_ARGUMENT;
        mbedtls_chachapoly_init(&op->cp);
        if (mbedtls_chachapoly_setkey(&op->cp, key) != 0) {
            mbedtls_chachapoly_free(&op->cp);
            return PSA_ERROR_GENERIC_ERROR;
        }
    } else if ((st = cipher_setup(op, type, key, key_len)) != PSA_SUCCESS) {
        return st;
    }
    op->mode = mode;
    op->encrypt = encrypt;
    op->tag_len = (uint8_t)tag;
    return PSA_SUCCESS;
}

psa_status_t ca_set_nonce(struct ca_op *op, const uint8_t *nonce, size_t length)
{
    psa_status_t st = PSA_SUCCESS;

    if (!usable(op) || op->nonce_set)
        return fail(op, PSA_ERROR_BAD_STATE);
    if ((op->mode == CA_GCM && (length < 1 || length > CA_GCM_NONCE_MAX)) ||
        (op->mode == CA_CCM && (length < 7 || length > 13)) ||
        (op->mode == CA_CHACHAPOLY && length != 12))
        return fail(op, PSA_ERROR_INVALID_ARGUMENT);
    if (op->mode == CA_CCM) { /* B0 and the counter blocks hold it */
        memcpy(op->nonce, nonce, length);
        op->nonce_len = (uint8_t)length;
        if (op->lengths_set && !ccm_fits(op))
            return fail(op, PSA_ERROR_INVALID_ARGUMENT);
    }
    if (op->mode == CA_GCM)
        st = gcm_nonce(op, nonce, length);
    else if (op->mode == CA_CHACHAPOLY &&
             mbedtls_chachapoly_starts(&op->cp, nonce,
                                       op->encrypt ? MBEDTLS_CHACHAPOLY_ENCRYPT
                                                   : MBEDTLS_CHACHAPOLY_DECRYPT) != 0)
        st = PSA_ERROR_GENERIC_ERROR;
    if (st != PSA_SUCCESS)
        return fail(op, st);
    op->nonce_set = true;
    return PSA_SUCCESS;
}

psa_status_t ca_generate_nonce(struct ca_op *op, uint8_t *nonce, size_t size, size_t *length)
{
    size_t n = op->mode == CA_CCM ? 13 : 12;
    uint8_t buf[16];
    psa_status_t st;

    *length = 0;
    if (!usable(op) || op->nonce_set || !op->encrypt)
        return fail(op, PSA_ERROR_BAD_STATE);
    if (size < n)
        return fail(op, PSA_ERROR_BUFFER_TOO_SMALL);
    if ((st = psa_generate_random(buf, n)) != PSA_SUCCESS)
        return fail(op, st);
    if ((st = ca_set_nonce(op, buf, n)) != PSA_SUCCESS)
        return st;
    memcpy(nonce, buf, n);
    *length = n;
    return PSA_SUCCESS;
}

psa_status_t ca_set_lengths(struct ca_op *op, uint64_t ad_length, uint64_t plaintext_length)
{
    if (!usable(op) || op->lengths_set || op->ad_started || op->body_started)
        return fail(op, PSA_ERROR_BAD_STATE);
    op->ad_len = ad_length;
    op->body_len = plaintext_length;
    if ((op->mode == CA_GCM && plaintext_length > GCM_MAX_BODY) ||
        (op->mode == CA_CHACHAPOLY && plaintext_length > CHACHAPOLY_MAX_BODY) ||
        (op->mode == CA_CCM && op->nonce_set && !ccm_fits(op)))
        return fail(op, PSA_ERROR_INVALID_ARGUMENT);
    op->lengths_set = true;
    return PSA_SUCCESS;
}

/* What update_ad, update, finish and verify all need first: a nonce, CCM's
 * lengths, and CCM begun. */
static psa_status_t ready(struct ca_op *op)
{
    if (!usable(op) || !op->nonce_set || (op->mode == CA_CCM && !op->lengths_set))
        return PSA_ERROR_BAD_STATE;
    if (op->mode == CA_CCM && !op->ccm_begun && ccm_begin(op) != 0)
        return PSA_ERROR_GENERIC_ERROR;
    return PSA_SUCCESS;
}

psa_status_t ca_update_ad(struct ca_op *op, const uint8_t *input, size_t length)
{
    psa_status_t st = ready(op);

    if (st != PSA_SUCCESS)
        return fail(op, st);
    if (op->body_started)
        return fail(op, PSA_ERROR_BAD_STATE);
    if (length > UINT64_MAX - op->ad_done || (op->lengths_set && op->ad_done + length > op->ad_len))
        return fail(op, PSA_ERROR_INVALID_ARGUMENT);
    if (op->mode == CA_CHACHAPOLY ? mbedtls_chachapoly_update_aad(&op->cp, input, length) != 0
                                  : mac_absorb(op, input, length) != 0)
        return fail(op, PSA_ERROR_GENERIC_ERROR);
    op->ad_done += length;
    op->ad_started = true;
    return PSA_SUCCESS;
}

/* The associated data ends where the text begins. */
static psa_status_t body_begin(struct ca_op *op)
{
    if (op->body_started)
        return PSA_SUCCESS;
    if (op->lengths_set && op->ad_done != op->ad_len)
        return PSA_ERROR_INVALID_ARGUMENT;
    if (op->mode != CA_CHACHAPOLY && mac_pad(op) != 0)
        return PSA_ERROR_GENERIC_ERROR;
    op->body_started = true;
    return PSA_SUCCESS;
}

psa_status_t ca_update(struct ca_op *op, const uint8_t *input, size_t length, uint8_t *output,
                       size_t size, size_t *output_length)
{
    uint64_t max = op->mode == CA_GCM          ? GCM_MAX_BODY
                   : op->mode == CA_CHACHAPOLY ? CHACHAPOLY_MAX_BODY
                                               : UINT64_MAX;
    psa_status_t st = ready(op);
    uint8_t in, out, k;
    size_t i;

    *output_length = 0;
    if (st != PSA_SUCCESS)
        return fail(op, st);
    if (length > max - op->body_done || (op->lengths_set && op->body_done + length > op->body_len))
        return fail(op, PSA_ERROR_INVALID_ARGUMENT);
    if ((st = body_begin(op)) != PSA_SUCCESS)
        return fail(op, st);
    if (size < length)
        return fail(op, PSA_ERROR_BUFFER_TOO_SMALL);
    if (op->mode == CA_CHACHAPOLY) {
        if (mbedtls_chachapoly_update(&op->cp, length, input, output) != 0)
            return fail(op, PSA_ERROR_GENERIC_ERROR);
    } else {
        for (i = 0; i < length; i++) {
            in = input[i];
            if (ks_byte(op, &k) != 0)
                return fail(op, PSA_ERROR_GENERIC_ERROR);
            out = in ^ k;
            /* GCM authenticates the ciphertext, CCM the plaintext */
            if (mac_absorb(op, op->encrypt == (op->mode == CA_GCM) ? &out : &in, 1) != 0)
                return fail(op, PSA_ERROR_GENERIC_ERROR);
            output[i] = out;
        }
    }
    op->body_done += length;
    *output_length = length;
    return PSA_SUCCESS;
}

/* The full tag into @p tag (16 bytes). */
static psa_status_t compute_tag(struct ca_op *op, uint8_t tag[16])
{
    uint8_t lens[16];
    psa_status_t st = ready(op);
    int i;

    if (st != PSA_SUCCESS)
        return st;
    if (op->lengths_set && (op->ad_done != op->ad_len || op->body_done != op->body_len))
        return PSA_ERROR_INVALID_ARGUMENT;
    if ((st = body_begin(op)) != PSA_SUCCESS)
        return st;
    if (op->mode == CA_CHACHAPOLY)
        return mbedtls_chachapoly_finish(&op->cp, tag) != 0 ? PSA_ERROR_GENERIC_ERROR : PSA_SUCCESS;
    if (mac_pad(op) != 0)
        return PSA_ERROR_GENERIC_ERROR;
    if (op->mode == CA_GCM) {
        put_be(lens, op->ad_done * 8, 8);
        put_be(lens + 8, op->body_done * 8, 8);
        if (mac_block(op, lens) != 0)
            return PSA_ERROR_GENERIC_ERROR;
    }
    for (i = 0; i < 16; i++)
        tag[i] = op->mac[i] ^ op->s0[i];
    return PSA_SUCCESS;
}

psa_status_t ca_finish(struct ca_op *op, uint8_t *ciphertext, size_t ciphertext_size,
                       size_t *ciphertext_length, uint8_t *tag, size_t tag_size, size_t *tag_length)
{
    uint8_t full[16];
    psa_status_t st;

    (void)ciphertext;
    (void)ciphertext_size; /* nothing is held back: no ciphertext is left */
    *ciphertext_length = 0;
    *tag_length = 0;
    if (usable(op) && !op->encrypt)
        return fail(op, PSA_ERROR_BAD_STATE);
    if ((st = compute_tag(op, full)) != PSA_SUCCESS)
        return fail(op, st);
    if (tag_size < op->tag_len)
        return fail(op, PSA_ERROR_BUFFER_TOO_SMALL);
    memcpy(tag, full, op->tag_len);
    *tag_length = op->tag_len;
    mbedtls_platform_zeroize(full, sizeof(full));
    return PSA_SUCCESS;
}

psa_status_t ca_verify(struct ca_op *op, uint8_t *plaintext, size_t plaintext_size,
                       size_t *plaintext_length, const uint8_t *tag, size_t tag_length)
{
    uint8_t full[16], diff = 0;
    psa_status_t st;
    size_t i;

    (void)plaintext;
    (void)plaintext_size;
    *plaintext_length = 0;
    if (usable(op) && op->encrypt)
        return fail(op, PSA_ERROR_BAD_STATE);
    if ((st = compute_tag(op, full)) != PSA_SUCCESS)
        return fail(op, st);
    if (tag_length != op->tag_len)
        return fail(op, PSA_ERROR_INVALID_SIGNATURE);
    for (i = 0; i < tag_length; i++)
        diff |= full[i] ^ tag[i];
    mbedtls_platform_zeroize(full, sizeof(full));
    return diff != 0 ? fail(op, PSA_ERROR_INVALID_SIGNATURE) : PSA_SUCCESS;
}

void ca_abort(struct ca_op *op)
{
    if (op->mode == CA_CHACHAPOLY)
        mbedtls_chachapoly_free(&op->cp);
    else if (op->mode != 0)
        mbedtls_cipher_free(&op->blk);
    mbedtls_platform_zeroize(op, sizeof(*op));
}
