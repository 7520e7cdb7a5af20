/*
 * cbor.c - the strict CBOR encoder and decoder of cbor.h.
 *
 * Every length read from the input is compared with what is left of the
 * input before it is used, in 64 bits, so a length near 2^64 is simply
 * "truncated"; nothing is allocated; recursion is bounded by
 * CBOR_MAX_DEPTH.
 */
#include <string.h>

#include "cbor.h"

const char *cbor_strerror(int err)
{
    switch (err) {
    case CBOR_OK:
        return "no error";
    case CBOR_ERR_TRUNCATED:
        return "truncated input";
    case CBOR_ERR_INDEFINITE:
        return "an indefinite length (not allowed)";
    case CBOR_ERR_MALFORMED:
        return "a reserved or ill-formed value";
    case CBOR_ERR_OVERLONG:
        return "a head longer than needed (not the shortest form)";
    case CBOR_ERR_DEPTH:
        return "nested too deeply";
    case CBOR_ERR_TRAILING:
        return "trailing bytes after the item";
    case CBOR_ERR_UTF8:
        return "a text string that is not UTF-8";
    case CBOR_ERR_DUPLICATE:
        return "a map with a duplicate key";
    case CBOR_ERR_TOO_LARGE:
        return "a map with too many pairs";
    case CBOR_ERR_TYPE:
        return "an item of the wrong type";
    case CBOR_ERR_NO_ROOM:
        return "no room in the output buffer";
    default:
        return "unknown error";
    }
}

/* ---- encoder ---- */

void cbor_enc_init(struct cbor_enc *e, uint8_t *buf, size_t cap)
{
    e->buf = buf;
    e->cap = buf != NULL ? cap : 0;
    e->len = 0;
    e->no_room = false;
}

static void put(struct cbor_enc *e, const void *p, size_t n)
{
    if (e->buf != NULL && !e->no_room) {
        if (n > e->cap - e->len)
            e->no_room = true;
        else if (n > 0)
            memcpy(e->buf + e->len, p, n);
    }
    e->len += n;
}

/* A head in its shortest form (RFC 8949 section 4.2.1). */
static void head(struct cbor_enc *e, unsigned major, uint64_t v)
{
    uint8_t h[9];
    size_t n, i;

    if (v < 24) {
        h[0] = (uint8_t)(major << 5 | v);
        n = 1;
    } else {
        unsigned ai = v <= 0xff ? 24 : v <= 0xffff ? 25 : v <= 0xffffffffu ? 26 : 27;

        n = (size_t)1 << (ai - 24);
        h[0] = (uint8_t)(major << 5 | ai);
        for (i = 0; i < n; i++)
            h[n - i] = (uint8_t)(v >> (8 * i));
        n++;
    }
    put(e, h, n);
}

void cbor_put_uint(struct cbor_enc *e, uint64_t v)
{
    head(e, CBOR_UINT, v);
}

void cbor_put_int(struct cbor_enc *e, int64_t v)
{
    if (v >= 0)
        head(e, CBOR_UINT, (uint64_t)v);
    else
        head(e, CBOR_NINT, (uint64_t)(-1 - v));
}

void cbor_put_bstr(struct cbor_enc *e, const void *p, size_t n)
{
    head(e, CBOR_BSTR, n);
    put(e, p, n);
}

void cbor_put_tstr(struct cbor_enc *e, const char *s, size_t n)
{
    head(e, CBOR_TSTR, n);
    put(e, s, n);
}

void cbor_put_array(struct cbor_enc *e, size_t n)
{
    head(e, CBOR_ARRAY, n);
}

void cbor_put_map(struct cbor_enc *e, size_t n)
{
    head(e, CBOR_MAP, n);
}

void cbor_put_tag(struct cbor_enc *e, uint64_t tag)
{
    head(e, CBOR_TAG, tag);
}

void cbor_put_simple(struct cbor_enc *e, uint8_t v)
{
    head(e, 7, v);
}

void cbor_put_bstr_head(struct cbor_enc *e, size_t n)
{
    head(e, CBOR_BSTR, n);
}

void cbor_put_raw(struct cbor_enc *e, const void *p, size_t n)
{
    put(e, p, n);
}

int cbor_enc_finish(const struct cbor_enc *e, size_t *len)
{
    *len = e->len;
    return e->no_room ? CBOR_ERR_NO_ROOM : CBOR_OK;
}

/* ---- decoder ---- */

void cbor_dec_init(struct cbor_dec *d, const uint8_t *buf, size_t len)
{
    d->p = buf;
    d->end = buf + len;
}

static bool utf8_ok(const uint8_t *s, uint64_t n)
{
    uint64_t i = 0, j, k;

    while (i < n) {
        uint8_t c = s[i];
        uint32_t cp, min;

        if (c < 0x80) {
            i++;
            continue;
        }
        if ((c & 0xe0) == 0xc0) {
            k = 1, cp = c & 0x1f, min = 0x80;
        } else if ((c & 0xf0) == 0xe0) {
            k = 2, cp = c & 0x0f, min = 0x800;
        } else if ((c & 0xf8) == 0xf0) {
            k = 3, cp = c & 0x07, min = 0x10000;
        } else {
            return false;
        }
        if (n - i - 1 < k)
            return false;
        for (j = 1; j <= k; j++) {
            if ((s[i + j] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + j] & 0x3fu);
        }
        /* no overlong forms, no surrogates, nothing past U+10FFFF */
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return false;
        i += k + 1;
    }
    return true;
}

int cbor_next(struct cbor_dec *d, struct cbor_item *it)
{
    unsigned major, ai, n, i;
    uint64_t v;

    if (d->p >= d->end)
        return CBOR_ERR_TRUNCATED;
    memset(it, 0, sizeof(*it));
    it->at = d->p;
    major = *d->p >> 5;
    ai = *d->p & 31u;
    d->p++;
    if (ai < 24) {
        v = ai;
    } else if (ai <= 27) {
        n = 1u << (ai - 24);
        if ((size_t)(d->end - d->p) < n)
            return CBOR_ERR_TRUNCATED;
        for (v = 0, i = 0; i < n; i++)
            v = v << 8 | d->p[i];
        d->p += n;
        if (major == 7 && ai > 24) {
            it->type = CBOR_FLOAT;
            it->u = v;
            it->float_bytes = n;
            return CBOR_OK;
        }
        if (major == 7 && v < 32)
            return CBOR_ERR_MALFORMED; /* a simple value below 32 has a one-byte form */
        if (major != 7 && ((n == 1 && v < 24) || (n == 2 && v <= 0xff) || (n == 4 && v <= 0xffff) ||
                           (n == 8 && v <= 0xffffffffu)))
            return CBOR_ERR_OVERLONG;
    } else if (ai == 31 && major >= CBOR_BSTR && major != CBOR_TAG) {
        return CBOR_ERR_INDEFINITE; /* a streamed string, array or map, or "break" */
    } else {
        return CBOR_ERR_MALFORMED; /* 28..30 are reserved; 31 means nothing here */
    }
    it->type = (enum cbor_type)major;
    it->u = v;
    if (major == CBOR_BSTR || major == CBOR_TSTR) {
        if (v > (uint64_t)(d->end - d->p))
            return CBOR_ERR_TRUNCATED;
        it->ptr = d->p;
        d->p += v;
        if (major == CBOR_TSTR && !utf8_ok(it->ptr, v))
            return CBOR_ERR_UTF8;
    }
    return CBOR_OK;
}

int cbor_expect(struct cbor_dec *d, enum cbor_type type, struct cbor_item *it)
{
    int r = cbor_next(d, it);

    return r != CBOR_OK ? r : it->type == type ? CBOR_OK : CBOR_ERR_TYPE;
}

static int skip_item(struct cbor_dec *d, unsigned depth);

static int skip_content(struct cbor_dec *d, const struct cbor_item *it, unsigned depth)
{
    uint64_t n, i;
    int r;

    if (it->type != CBOR_ARRAY && it->type != CBOR_MAP && it->type != CBOR_TAG)
        return CBOR_OK;
    if (depth >= CBOR_MAX_DEPTH)
        return CBOR_ERR_DEPTH;
    n = it->type == CBOR_TAG ? 1 : it->u;
    /* every item takes a byte at least: a count beyond the input is short */
    if (n > (uint64_t)(d->end - d->p) ||
        (it->type == CBOR_MAP && n > (uint64_t)(d->end - d->p) / 2))
        return CBOR_ERR_TRUNCATED;
    if (it->type == CBOR_MAP)
        n *= 2;
    for (i = 0; i < n; i++)
        if ((r = skip_item(d, depth + 1)) != CBOR_OK)
            return r;
    return CBOR_OK;
}

static int skip_item(struct cbor_dec *d, unsigned depth)
{
    struct cbor_item it;
    int r = cbor_next(d, &it);

    return r != CBOR_OK ? r : skip_content(d, &it, depth);
}

int cbor_skip(struct cbor_dec *d)
{
    return skip_item(d, 0);
}

int cbor_skip_rest(struct cbor_dec *d, const struct cbor_item *it)
{
    return skip_content(d, it, 0);
}

int cbor_dec_end(const struct cbor_dec *d)
{
    return d->p == d->end ? CBOR_OK : CBOR_ERR_TRAILING;
}

static int check_item(struct cbor_dec *d, unsigned depth);

/* The pairs of a map whose head was just read: keys compare by their
 * encoding, which is unique now that every head is in its shortest form. */
static int check_map(struct cbor_dec *d, uint64_t n, unsigned depth)
{
    struct {
        const uint8_t *at;
        size_t len;
    } keys[CBOR_MAX_MAP];
    uint64_t i, j;
    int r;

    if (n > CBOR_MAX_MAP)
        return CBOR_ERR_TOO_LARGE;
    for (i = 0; i < n; i++) {
        keys[i].at = d->p;
        if ((r = check_item(d, depth)) != CBOR_OK)
            return r;
        keys[i].len = (size_t)(d->p - keys[i].at);
        for (j = 0; j < i; j++)
            if (keys[j].len == keys[i].len && memcmp(keys[j].at, keys[i].at, keys[i].len) == 0)
                return CBOR_ERR_DUPLICATE;
        if ((r = check_item(d, depth)) != CBOR_OK)
            return r;
    }
    return CBOR_OK;
}

/* Checks one item and everything in it, at nesting @p depth. */
static int check_item(struct cbor_dec *d, unsigned depth)
{
    struct cbor_item it;
    uint64_t i;
    int r = cbor_next(d, &it);

    if (r != CBOR_OK || (it.type != CBOR_ARRAY && it.type != CBOR_MAP && it.type != CBOR_TAG))
        return r;
    if (depth >= CBOR_MAX_DEPTH)
        return CBOR_ERR_DEPTH;
    if (it.type == CBOR_TAG)
        return check_item(d, depth + 1);
    /* every item takes a byte at least: a count beyond the input is short */
    if (it.u > (uint64_t)(d->end - d->p))
        return CBOR_ERR_TRUNCATED;
    if (it.type == CBOR_MAP)
        return check_map(d, it.u, depth + 1);
    for (i = 0; i < it.u; i++)
        if ((r = check_item(d, depth + 1)) != CBOR_OK)
            return r;
    return CBOR_OK;
}

int cbor_check(const uint8_t *buf, size_t len)
{
    struct cbor_dec d;
    int r;

    cbor_dec_init(&d, buf, len);
    r = check_item(&d, 0);
    return r != CBOR_OK ? r : cbor_dec_end(&d);
}

int cbor_item_int(const struct cbor_item *it, int64_t *v)
{
    if ((it->type != CBOR_UINT && it->type != CBOR_NINT) || it->u > (uint64_t)INT64_MAX)
        return CBOR_ERR_TYPE;
    *v = it->type == CBOR_UINT ? (int64_t)it->u : -1 - (int64_t)it->u;
    return CBOR_OK;
}

double cbor_item_double(const struct cbor_item *it)
{
    uint64_t bits = it->u;
    double d;
    float f;

    if (it->float_bytes == 4) {
        uint32_t b32 = (uint32_t)bits;

        memcpy(&f, &b32, sizeof(f));
        return f;
    }
    if (it->float_bytes == 2) {
        /* half precision (RFC 8949 appendix D), rebuilt as a double */
        uint64_t sign = (bits >> 15) & 1, exp = (bits >> 10) & 0x1f, mant = bits & 0x3ff;

        if (exp == 0) {
            d = (double)mant / 16777216.0; /* subnormal: mant * 2^-24 */
            return sign ? -d : d;
        }
        bits = sign << 63 | (exp == 31 ? 0x7ffu : exp - 15 + 1023) << 52 | mant << 42;
    }
    memcpy(&d, &bits, sizeof(d));
    return d;
}
