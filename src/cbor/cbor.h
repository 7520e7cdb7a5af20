/*
 * cbor.h - a small, strict CBOR (RFC 8949) encoder and decoder: what the
 * attestation token needs and nothing more.
 *
 * Why not libcbor (Debian ships it): the encoder and decoder here are a few
 * hundred lines, and a verifier needs strict decoding, which libcbor does
 * not give: it accepts indefinite lengths, non-shortest heads and
 * duplicate map keys, each of which lets two parties read one token two
 * ways.
 *
 * The encoder writes the deterministic encoding of RFC 8949 section 4.2.1
 * as far as it is the encoder's to choose: definite lengths only, every
 * head in its shortest form.  Map keys are written in the order the caller
 * gives them; a caller that wants canonical maps gives them sorted (the
 * attestation token does, see attest_token.c).
 *
 * The decoder accepts only what the encoder could have written, plus
 * floating-point values (which it reports, not converts): cbor_check()
 * refuses truncated input, indefinite lengths, reserved values, heads
 * longer than needed, text that is not UTF-8, maps with duplicate keys,
 * nesting deeper than CBOR_MAX_DEPTH and trailing bytes, so that the
 * cursor functions that follow it meet only well-formed, valid data.
 */
#ifndef PARTIX_CBOR_H
#define PARTIX_CBOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Nesting deeper than this (arrays, maps, tags) is refused. */
#define CBOR_MAX_DEPTH 16
/* A map with more pairs than this is refused (duplicates are looked for
 * pairwise). */
#define CBOR_MAX_MAP 256

/* Major types, RFC 8949 section 3.1. */
enum cbor_type {
    CBOR_UINT = 0,
    CBOR_NINT = 1, /* the value is -1 - u */
    CBOR_BSTR = 2,
    CBOR_TSTR = 3,
    CBOR_ARRAY = 4,
    CBOR_MAP = 5,
    CBOR_TAG = 6,
    CBOR_SIMPLE = 7, /* false, true, null, undefined, other simple values */
    CBOR_FLOAT = 8,  /* major type 7 with a 2-, 4- or 8-byte float */
};

/* Simple values, RFC 8949 section 3.3. */
#define CBOR_FALSE 20
#define CBOR_TRUE 21
#define CBOR_NULL 22
#define CBOR_UNDEFINED 23

enum cbor_err {
    CBOR_OK = 0,
    CBOR_ERR_TRUNCATED = -1,  /* the input ends inside an item */
    CBOR_ERR_INDEFINITE = -2, /* an indefinite length, or a "break" */
    CBOR_ERR_MALFORMED = -3,  /* a reserved value, or a simple value in two bytes below 32 */
    CBOR_ERR_OVERLONG = -4,   /* a head longer than its value needs */
    CBOR_ERR_DEPTH = -5,      /* nested deeper than CBOR_MAX_DEPTH */
    CBOR_ERR_TRAILING = -6,   /* bytes after the item */
    CBOR_ERR_UTF8 = -7,       /* a text string that is not UTF-8 */
    CBOR_ERR_DUPLICATE = -8,  /* a map with a key twice */
    CBOR_ERR_TOO_LARGE = -9,  /* a map of more than CBOR_MAX_MAP pairs */
    CBOR_ERR_TYPE = -10,      /* not the type the caller expected */
    CBOR_ERR_NO_ROOM = -11,   /* the encoder's buffer is too small */
};

/* What one error means, in words ("truncated input"). */
const char *cbor_strerror(int err);

/* ---- encoder ---- */

/* The encoder writes into buf, or, with buf NULL, only counts: the length
 * of what would be written, for sizing a buffer. */
struct cbor_enc {
    uint8_t *buf;
    size_t cap;
    size_t len; /* what was written (or would have been) */
    bool no_room;
};

/* Starts an encoding into @p buf of @p cap bytes (buf NULL: count only). */
void cbor_enc_init(struct cbor_enc *e, uint8_t *buf, size_t cap);
/* An unsigned integer. */
void cbor_put_uint(struct cbor_enc *e, uint64_t v);
/* A signed integer (major type 0 or 1). */
void cbor_put_int(struct cbor_enc *e, int64_t v);
/* A byte string of @p n bytes. */
void cbor_put_bstr(struct cbor_enc *e, const void *p, size_t n);
/* A text string of @p n bytes (the caller gives UTF-8). */
void cbor_put_tstr(struct cbor_enc *e, const char *s, size_t n);
/* The head of an array of @p n items; the items follow. */
void cbor_put_array(struct cbor_enc *e, size_t n);
/* The head of a map of @p n pairs; key, value, key, value... follow. */
void cbor_put_map(struct cbor_enc *e, size_t n);
/* A tag; the tagged item follows. */
void cbor_put_tag(struct cbor_enc *e, uint64_t tag);
/* A simple value (CBOR_FALSE, CBOR_TRUE, CBOR_NULL...). */
void cbor_put_simple(struct cbor_enc *e, uint8_t v);
/* The head of a byte string of @p n bytes whose content the caller writes
 * next (cbor_put_raw): to wrap an encoding whose length is known. */
void cbor_put_bstr_head(struct cbor_enc *e, size_t n);
/* Bytes as they are: an item encoded elsewhere. */
void cbor_put_raw(struct cbor_enc *e, const void *p, size_t n);
/* CBOR_OK and the length in *len, or CBOR_ERR_NO_ROOM (nothing useful in
 * the buffer; *len is then the length the encoding needs). */
int cbor_enc_finish(const struct cbor_enc *e, size_t *len);

/* ---- decoder ---- */

/* Checks that @p buf holds exactly one item, with every rule above;
 * CBOR_OK or the first problem found. */
int cbor_check(const uint8_t *buf, size_t len);

/* One head, as the cursor reads it. */
struct cbor_item {
    enum cbor_type type;
    uint64_t u;           /* UINT/NINT value, BSTR/TSTR length, ARRAY/MAP count,
                           TAG number, SIMPLE value, FLOAT bits */
    const uint8_t *ptr;   /* BSTR/TSTR content */
    const uint8_t *at;    /* where the item's encoding starts */
    unsigned float_bytes; /* FLOAT: 2, 4 or 8 */
};

/* A cursor over checked input: each cbor_next() reads one head (and a
 * string's content); the items of an array or map follow it. */
struct cbor_dec {
    const uint8_t *p, *end;
};

/* Starts a cursor at @p buf (best after cbor_check()). */
void cbor_dec_init(struct cbor_dec *d, const uint8_t *buf, size_t len);
/* Reads the next head into @p it; CBOR_OK or an error. */
int cbor_next(struct cbor_dec *d, struct cbor_item *it);
/* Reads the next head and checks its type is @p type. */
int cbor_expect(struct cbor_dec *d, enum cbor_type type, struct cbor_item *it);
/* Skips the next whole item (an array or map with everything in it). */
int cbor_skip(struct cbor_dec *d);
/* Skips the rest of the item whose head was just read into @p it (its
 * content for an array, map or tag; nothing otherwise). */
int cbor_skip_rest(struct cbor_dec *d, const struct cbor_item *it);
/* CBOR_OK if the cursor is at the end of its input, else CBOR_ERR_TRAILING. */
int cbor_dec_end(const struct cbor_dec *d);

/* An integer item's value in *v: CBOR_OK, or CBOR_ERR_TYPE if it is not an
 * integer or does not fit int64_t. */
int cbor_item_int(const struct cbor_item *it, int64_t *v);
/* A FLOAT item's value as a double. */
double cbor_item_double(const struct cbor_item *it);

#endif /* PARTIX_CBOR_H */
