/*
 * tpm2_codec.c - the TPM 2.0 commands the driver writes and the responses
 * it reads (tpm2_codec.h).  Our own small codec rather than tpm2-tss's
 * libtss2-mu: the driver needs ten commands and a handful of structures,
 * each response is read once into slices of the device's own bytes, and a
 * reader of a few hundred lines that refuses every bad length is easier to
 * fuzz whole and to audit than the generic unmarshalling of every TPM type
 * (and adds no library to the partition's sandbox).
 */
#include <string.h>

#include "tpm2_codec.h"

/* ---- writing ---- */

static void put(struct tpm2_cmd *c, const void *p, size_t n)
{
    if (c->err || n > sizeof(c->b) - c->len) {
        c->err = true;
        return;
    }
    memcpy(c->b + c->len, p, n);
    c->len += n;
}

static void put16(struct tpm2_cmd *c, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};

    put(c, b, 2);
}

static void put32(struct tpm2_cmd *c, uint32_t v)
{
    uint8_t b[4] = {(uint8_t)(v >> 24), (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};

    put(c, b, 4);
}

static void put_tpm2b(struct tpm2_cmd *c, const uint8_t *p, size_t n)
{
    if (n > UINT16_MAX) {
        c->err = true;
        return;
    }
    put16(c, (uint16_t)n);
    if (n > 0)
        put(c, p, n);
}

static void patch32(struct tpm2_cmd *c, size_t at, uint32_t v)
{
    c->b[at] = (uint8_t)(v >> 24);
    c->b[at + 1] = (uint8_t)(v >> 16);
    c->b[at + 2] = (uint8_t)(v >> 8);
    c->b[at + 3] = (uint8_t)v;
}

static void begin(struct tpm2_cmd *c, uint16_t tag, uint32_t cc)
{
    c->len = 0;
    c->err = false;
    c->auth_at = 0;
    put16(c, tag);
    put32(c, 0); /* commandSize, patched by end() */
    put32(c, cc);
}

/* The authorization area after the handles: @p n password sessions with
 * an empty password (every object here has an empty authValue). */
static void auth_pw(struct tpm2_cmd *c, unsigned n)
{
    unsigned i;

    put32(c, 9u * n);
    for (i = 0; i < n; i++) {
        put32(c, TPM2_RS_PW);
        put16(c, 0);     /* nonceCaller */
        put(c, "\0", 1); /* sessionAttributes */
        put16(c, 0);     /* hmac: the password */
    }
}

static int end(struct tpm2_cmd *c)
{
    if (c->err)
        return -1;
    patch32(c, 2, (uint32_t)c->len);
    return 0;
}

int tpm2_cmd_startup(struct tpm2_cmd *c)
{
    begin(c, TPM2_ST_NO_SESSIONS, TPM2_CC_STARTUP);
    put16(c, 0x0000); /* TPM_SU_CLEAR */
    return end(c);
}

int tpm2_cmd_self_test(struct tpm2_cmd *c)
{
    begin(c, TPM2_ST_NO_SESSIONS, TPM2_CC_SELF_TEST);
    put(c, "\1", 1); /* fullTest: YES */
    return end(c);
}

int tpm2_cmd_get_random(struct tpm2_cmd *c, uint16_t n)
{
    begin(c, TPM2_ST_NO_SESSIONS, TPM2_CC_GET_RANDOM);
    put16(c, n);
    return end(c);
}

int tpm2_cmd_flush(struct tpm2_cmd *c, uint32_t handle)
{
    begin(c, TPM2_ST_NO_SESSIONS, TPM2_CC_FLUSH_CONTEXT);
    put32(c, handle);
    return end(c);
}

/* objectAttributes (Part 2, 8.3) */
#define OA_FIXED_TPM (1u << 1)
#define OA_FIXED_PARENT (1u << 4)
#define OA_SENSITIVE_DATA_ORIGIN (1u << 5)
#define OA_USER_WITH_AUTH (1u << 6)
#define OA_NO_DA (1u << 10)
#define OA_RESTRICTED (1u << 16)
#define OA_DECRYPT (1u << 17)
#define OA_SIGN (1u << 18)
/* Every key: made in the TPM and never leaving it (fixedTPM, fixedParent,
 * sensitiveDataOrigin), usable with its empty authValue, and exempt from
 * dictionary-attack lockout, which a partition killed mid-command (an
 * unorderly shutdown) would otherwise run into. */
#define OA_BASE                                                                                    \
    (OA_FIXED_TPM | OA_FIXED_PARENT | OA_SENSITIVE_DATA_ORIGIN | OA_USER_WITH_AUTH | OA_NO_DA)

/* A TPM2B_PUBLIC of template @p t with an empty unique field. */
static void put_template(struct tpm2_cmd *c, enum tpm2_template t)
{
    size_t at = c->len;
    bool ecc = t != TPM2_T_RSA_DECRYPT;
    uint32_t attrs = OA_BASE;

    put16(c, 0); /* size, patched below */
    put16(c, ecc ? TPM2_ALG_ECC : TPM2_ALG_RSA);
    put16(c, TPM2_ALG_SHA256); /* nameAlg */
    switch (t) {
    case TPM2_T_STORAGE_PRIMARY:
        attrs |= OA_RESTRICTED | OA_DECRYPT;
        break;
    case TPM2_T_ATTEST_PRIMARY:
        attrs |= OA_RESTRICTED | OA_SIGN;
        break;
    case TPM2_T_ECC_SIGN:
        attrs |= OA_SIGN;
        break;
    case TPM2_T_RSA_DECRYPT:
        attrs |= OA_DECRYPT;
        break;
    }
    put32(c, attrs);
    put16(c, 0); /* authPolicy: none */
    if (t == TPM2_T_STORAGE_PRIMARY) {
        put16(c, TPM2_ALG_AES); /* a storage key's symmetric: its children's wrapping */
        put16(c, 128);
        put16(c, TPM2_ALG_CFB);
    } else {
        put16(c, TPM2_ALG_NULL);
    }
    if (ecc) {
        if (t == TPM2_T_STORAGE_PRIMARY) {
            put16(c, TPM2_ALG_NULL);
        } else {
            put16(c, TPM2_ALG_ECDSA);
            put16(c, TPM2_ALG_SHA256);
        }
        put16(c, TPM2_ECC_NIST_P256);
        put16(c, TPM2_ALG_NULL); /* kdf */
        put16(c, 0);             /* unique.x */
        put16(c, 0);             /* unique.y */
    } else {
        put16(c, TPM2_ALG_OAEP);
        put16(c, TPM2_ALG_SHA256);
        put16(c, 2048); /* keyBits */
        put32(c, 0);    /* exponent: 65537 */
        put16(c, 0);    /* unique.rsa */
    }
    if (!c->err)
        c->b[at] = (uint8_t)((c->len - at - 2) >> 8), c->b[at + 1] = (uint8_t)(c->len - at - 2);
}

/* inSensitive (empty authValue, no data), inPublic, outsideInfo, creationPCR */
static void put_create_params(struct tpm2_cmd *c, enum tpm2_template t)
{
    put16(c, 4);
    put16(c, 0);
    put16(c, 0);
    put_template(c, t);
    put16(c, 0);
    put32(c, 0);
}

int tpm2_cmd_create_primary(struct tpm2_cmd *c, uint32_t hierarchy, enum tpm2_template t)
{
    begin(c, TPM2_ST_SESSIONS, TPM2_CC_CREATE_PRIMARY);
    put32(c, hierarchy);
    auth_pw(c, 1);
    put_create_params(c, t);
    return end(c);
}

int tpm2_cmd_create(struct tpm2_cmd *c, uint32_t parent, enum tpm2_template t)
{
    begin(c, TPM2_ST_SESSIONS, TPM2_CC_CREATE);
    put32(c, parent);
    auth_pw(c, 1);
    put_create_params(c, t);
    return end(c);
}

int tpm2_cmd_load(struct tpm2_cmd *c, uint32_t parent, const uint8_t *priv, size_t priv_len,
                  const uint8_t *pub, size_t pub_len)
{
    begin(c, TPM2_ST_SESSIONS, TPM2_CC_LOAD);
    put32(c, parent);
    auth_pw(c, 1);
    put(c, priv, priv_len); /* whole TPM2Bs, as Create returned them */
    put(c, pub, pub_len);
    return end(c);
}

int tpm2_cmd_sign(struct tpm2_cmd *c, uint32_t key, const uint8_t digest[32])
{
    begin(c, TPM2_ST_SESSIONS, TPM2_CC_SIGN);
    put32(c, key);
    auth_pw(c, 1);
    put_tpm2b(c, digest, 32);
    put16(c, TPM2_ALG_ECDSA);
    put16(c, TPM2_ALG_SHA256);
    put16(c, TPM2_ST_HASHCHECK); /* validation: a null ticket */
    put32(c, TPM2_RH_NULL);
    put16(c, 0);
    return end(c);
}

int tpm2_cmd_rsa_decrypt(struct tpm2_cmd *c, uint32_t key, const uint8_t *ct, size_t ct_len)
{
    begin(c, TPM2_ST_SESSIONS, TPM2_CC_RSA_DECRYPT);
    put32(c, key);
    auth_pw(c, 1);
    put_tpm2b(c, ct, ct_len);
    put16(c, TPM2_ALG_OAEP);
    put16(c, TPM2_ALG_SHA256);
    put16(c, 0); /* label: empty */
    return end(c);
}

int tpm2_cmd_certify(struct tpm2_cmd *c, uint32_t object, uint32_t signer, const uint8_t *nonce,
                     size_t nonce_len)
{
    begin(c, TPM2_ST_SESSIONS, TPM2_CC_CERTIFY);
    put32(c, object);
    put32(c, signer);
    auth_pw(c, 2);
    put_tpm2b(c, nonce, nonce_len);
    put16(c, TPM2_ALG_ECDSA);
    put16(c, TPM2_ALG_SHA256);
    return end(c);
}

/* ---- reading ---- */

struct rd {
    const uint8_t *p;
    size_t len, off;
    bool err;
};

static const uint8_t *take(struct rd *r, size_t n)
{
    const uint8_t *p;

    if (r->err || n > r->len - r->off) {
        r->err = true;
        return NULL;
    }
    p = r->p + r->off;
    r->off += n;
    return p;
}

static uint16_t get16(struct rd *r)
{
    const uint8_t *p = take(r, 2);

    return p ? (uint16_t)(p[0] << 8 | p[1]) : 0;
}

static uint32_t get32(struct rd *r)
{
    const uint8_t *p = take(r, 4);

    return p ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3] : 0;
}

/* A TPM2B of at most @p max bytes: its contents in *s. */
static void get_tpm2b(struct rd *r, size_t max, struct tpm2_slice *s)
{
    uint16_t n = get16(r);
    const uint8_t *p;

    if (n > max)
        r->err = true;
    p = take(r, r->err ? 0 : n);
    s->p = p;
    s->len = r->err ? 0 : n;
}

/* A TPM2B of at most @p max bytes, whole (its size prefix included). */
static void get_whole_tpm2b(struct rd *r, size_t max, struct tpm2_slice *s)
{
    size_t at = r->off;
    struct tpm2_slice inner;

    get_tpm2b(r, max, &inner);
    s->p = r->err ? NULL : r->p + at;
    s->len = r->err ? 0 : r->off - at;
}

static int done(const struct rd *r)
{
    return r->err || r->off != r->len ? -1 : 0;
}

int tpm2_rsp_frame(const uint8_t *b, size_t len, unsigned sessions, unsigned n_handles,
                   uint32_t *rc, uint32_t *handles, struct tpm2_slice *params)
{
    struct rd r = {b, len, 0, false};
    uint16_t tag = get16(&r);
    uint32_t size = get32(&r);
    unsigned i;

    *rc = get32(&r);
    params->p = NULL;
    params->len = 0;
    if (r.err || size != len || (tag != TPM2_ST_NO_SESSIONS && tag != TPM2_ST_SESSIONS))
        return -1;
    if (*rc != TPM2_RC_SUCCESS)
        return len == 10 ? 0 : -1; /* an error is a bare header */
    if (tag != (sessions ? TPM2_ST_SESSIONS : TPM2_ST_NO_SESSIONS))
        return -1;
    for (i = 0; i < n_handles; i++)
        handles[i] = get32(&r);
    if (sessions) {
        uint32_t psize = get32(&r);
        struct tpm2_slice s;

        params->p = take(&r, psize);
        params->len = r.err ? 0 : psize;
        for (i = 0; i < sessions; i++) {
            get_tpm2b(&r, 64, &s); /* nonceTPM */
            take(&r, 1);           /* sessionAttributes */
            get_tpm2b(&r, 64, &s); /* hmac */
        }
    } else {
        params->p = b + r.off;
        params->len = len - r.off;
        r.off = len;
    }
    return done(&r);
}

int tpm2_parse_random(struct tpm2_slice params, uint16_t asked, struct tpm2_slice *bytes)
{
    struct rd r = {params.p, params.len, 0, false};

    get_tpm2b(&r, asked, bytes);
    return done(&r);
}

/* creationData, creationHash, creationTicket: checked, not kept */
static void skip_creation(struct rd *r)
{
    struct tpm2_slice s;

    get_tpm2b(r, TPM2_MAX_BUF, &s);
    get_tpm2b(r, 64, &s);
    get16(r);
    get32(r);
    get_tpm2b(r, 64, &s);
}

int tpm2_parse_create(struct tpm2_slice params, struct tpm2_slice *priv, struct tpm2_slice *pub)
{
    struct rd r = {params.p, params.len, 0, false};

    get_whole_tpm2b(&r, TPM2_MAX_BUF, priv);
    get_whole_tpm2b(&r, TPM2_MAX_BUF, pub);
    skip_creation(&r);
    if (!r.err && (priv->len <= 2 || pub->len <= 2))
        return -1;
    return done(&r);
}

int tpm2_parse_create_primary(struct tpm2_slice params, struct tpm2_slice *pub)
{
    struct rd r = {params.p, params.len, 0, false};
    struct tpm2_slice name;

    get_whole_tpm2b(&r, TPM2_MAX_BUF, pub);
    skip_creation(&r);
    get_tpm2b(&r, 66, &name);
    return done(&r);
}

int tpm2_parse_load(struct tpm2_slice params)
{
    struct rd r = {params.p, params.len, 0, false};
    struct tpm2_slice name;

    get_tpm2b(&r, 66, &name);
    return done(&r);
}

/* A big-endian integer of at most 32 bytes, left-padded to 32. */
static void get_scalar(struct rd *r, uint8_t out[32])
{
    struct tpm2_slice s;

    get_tpm2b(r, 32, &s);
    memset(out, 0, 32);
    if (!r->err && s.len > 0)
        memcpy(out + 32 - s.len, s.p, s.len);
}

static void get_ecdsa(struct rd *r, uint8_t rs[64])
{
    if (get16(r) != TPM2_ALG_ECDSA || get16(r) != TPM2_ALG_SHA256)
        r->err = true;
    get_scalar(r, rs);
    get_scalar(r, rs + 32);
}

int tpm2_parse_sign(struct tpm2_slice params, uint8_t rs[64])
{
    struct rd r = {params.p, params.len, 0, false};

    get_ecdsa(&r, rs);
    return done(&r);
}

int tpm2_parse_decrypt(struct tpm2_slice params, struct tpm2_slice *msg)
{
    struct rd r = {params.p, params.len, 0, false};

    get_tpm2b(&r, 256, msg);
    return done(&r);
}

int tpm2_parse_certify(struct tpm2_slice params, struct tpm2_slice *attest, uint8_t rs[64])
{
    struct rd r = {params.p, params.len, 0, false};

    get_tpm2b(&r, 1024, attest);
    get_ecdsa(&r, rs);
    if (!r.err && attest->len < 6)
        return -1; /* magic and type at least */
    return done(&r);
}

/* A scheme's details: a hash algorithm, but for NULL and RSAES (none) and
 * ECDAA (and a count). */
static void get_scheme(struct rd *r)
{
    uint16_t alg = get16(r);

    if (alg == TPM2_ALG_NULL || alg == 0x0015u)
        return;
    get16(r);
    if (alg == 0x001Au)
        get16(r);
}

int tpm2_parse_public(struct tpm2_slice tpm2b, struct tpm2_public *pub)
{
    struct rd r = {tpm2b.p, tpm2b.len, 0, false};
    struct tpm2_slice policy;
    uint16_t size = get16(&r), sym;

    memset(pub, 0, sizeof(*pub));
    if (r.err || size != tpm2b.len - 2)
        return -1;
    pub->area.p = tpm2b.p + 2;
    pub->area.len = size;
    pub->type = get16(&r);
    get16(&r); /* nameAlg */
    pub->attributes = get32(&r);
    get_tpm2b(&r, 64, &policy);
    sym = get16(&r);
    if (sym == TPM2_ALG_AES) {
        get16(&r);
        get16(&r);
    } else if (sym != TPM2_ALG_NULL) {
        return -1;
    }
    get_scheme(&r);
    if (pub->type == TPM2_ALG_ECC) {
        if (get16(&r) != TPM2_ECC_NIST_P256)
            return -1;
        get_scheme(&r); /* kdf */
        get_tpm2b(&r, 32, &pub->x);
        get_tpm2b(&r, 32, &pub->y);
    } else if (pub->type == TPM2_ALG_RSA) {
        pub->bits = get16(&r);
        pub->exponent = get32(&r);
        get_tpm2b(&r, 256, &pub->n);
        if (!r.err && (pub->bits != 2048 || pub->n.len != 256))
            return -1;
    } else {
        return -1;
    }
    return done(&r);
}
