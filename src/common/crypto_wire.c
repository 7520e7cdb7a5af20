/*
 * crypto_wire.c - the Crypto service's codec: a row of CRYPTO_CALLS and an
 * argument array to headers and back, for the client stubs and the
 * partition alike.  Every length is checked; a header with a byte too many
 * or too few is refused.
 */
#include <string.h>

#include "crypto_wire.h"

static const struct cw_call calls[] = {
#define CW_ROW(nm, fid, opk, fl, ...) {fid, opk, fl, #nm, {__VA_ARGS__, CW_END}},
    CRYPTO_CALLS(CW_ROW)
#undef CW_ROW
};

const struct cw_call *cw_find(int32_t id)
{
    size_t i;

    for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
        if (calls[i].id == id)
            return &calls[i];
    return NULL;
}

void cw_layout(const struct cw_call *c, struct cw_layout *l)
{
    const uint8_t *k;

    l->n_in = 1;
    l->n_out = 0;
    l->reply_len = 0;
    for (k = c->kind; *k != CW_END; k++) {
        if (*k == CW_IN)
            l->n_in++;
        else if (*k == CW_OUT)
            l->n_out++;
        else if (*k == CW_KEY_OUT || *k == CW_OP_NEW)
            l->reply_len += 4;
        else if (*k == CW_ATTR_OUT)
            l->reply_len += CW_ATTR_LEN;
        else if (*k == CW_SIZE_OUT)
            l->reply_len += 8;
    }
    l->has_reply = l->reply_len > 0;
    l->n_out += l->has_reply;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
    return p + 4;
}

static uint8_t *put64(uint8_t *p, uint64_t v)
{
    return put32(put32(p, (uint32_t)v), (uint32_t)(v >> 32));
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
    return get32(p) | (uint64_t)get32(p + 4) << 32;
}

void cw_set_attr_id(psa_key_attributes_t *attr, uint32_t id, uint32_t lifetime)
{
    attr->core.lifetime = lifetime; /* Mbed TLS 2.28's struct */
    attr->core.id = mbedtls_svc_key_id_make(0, id);
}

void cw_put_attr(uint8_t *p, const psa_key_attributes_t *attr)
{
    p = put32(p, (uint32_t)psa_get_key_type(attr) | (uint32_t)psa_get_key_bits(attr) << 16);
    p = put32(p, psa_get_key_lifetime(attr));
    p = put32(p, MBEDTLS_SVC_KEY_ID_GET_KEY_ID(psa_get_key_id(attr)));
    p = put32(p, psa_get_key_usage_flags(attr));
    p = put32(p, psa_get_key_algorithm(attr));
    put32(p, psa_get_key_enrollment_algorithm(attr));
}

/* Sets every field the wire carries.  The id and the lifetime are stored as
 * they are: psa_set_key_id() would make a volatile key persistent and
 * psa_set_key_lifetime() would clear the id of a volatile key, yet a volatile
 * key's attributes carry its id. */
void cw_get_attr(const uint8_t *p, psa_key_attributes_t *attr)
{
    uint32_t tb = get32(p);

    *attr = psa_key_attributes_init();
    psa_set_key_type(attr, (psa_key_type_t)(tb & 0xffff));
    psa_set_key_bits(attr, (size_t)(tb >> 16));
    cw_set_attr_id(attr, get32(p + 8), get32(p + 4));
    psa_set_key_usage_flags(attr, get32(p + 12));
    psa_set_key_algorithm(attr, get32(p + 16));
    psa_set_key_enrollment_algorithm(attr, get32(p + 20));
}

int cw_encode_request(const struct cw_call *c, const struct cw_arg *a, uint8_t *hdr)
{
    uint8_t *p = hdr;
    const uint8_t *k;

    for (k = c->kind; *k != CW_END; k++, a++) {
        switch (*k) {
        case CW_U32:
        case CW_KEY:
        case CW_OP:
            p = put32(p, a->u32);
            break;
        case CW_SIZE:
            p = put64(p, a->size);
            break;
        case CW_ATTR:
            cw_put_attr(p, a->attr);
            p += CW_ATTR_LEN;
            break;
        case CW_IN_HDR:
            if (a->len > CW_IN_HDR_MAX)
                return -1;
            p = put32(p, (uint32_t)a->len);
            if (a->len > 0)
                memcpy(p, a->in, a->len);
            p += a->len;
            break;
        default:
            break;
        }
    }
    return (int)(p - hdr);
}

int cw_decode_request(const struct cw_call *c, struct cw_arg *a, psa_key_attributes_t *attrs,
                      const uint8_t *hdr, size_t len)
{
    const uint8_t *p = hdr, *end = hdr + len;
    const uint8_t *k;
    uint32_t n;

    for (k = c->kind; *k != CW_END; k++, a++) {
        switch (*k) {
        case CW_U32:
        case CW_KEY:
        case CW_OP:
            if (end - p < 4)
                return -1;
            a->u32 = get32(p);
            p += 4;
            break;
        case CW_SIZE:
            if (end - p < 8)
                return -1;
            a->size = get64(p);
            p += 8;
            break;
        case CW_ATTR:
            if (end - p < CW_ATTR_LEN)
                return -1;
            a->attr = attrs++;
            cw_get_attr(p, a->attr);
            p += CW_ATTR_LEN;
            break;
        case CW_IN_HDR:
            if (end - p < 4)
                return -1;
            n = get32(p);
            p += 4;
            if (n > CW_IN_HDR_MAX || (size_t)(end - p) < n)
                return -1;
            memcpy(a->hdr_in, p, n);
            a->in = a->hdr_in;
            a->len = n;
            p += n;
            break;
        case CW_ATTR_OUT:
            a->attr = attrs++;
            *a->attr = psa_key_attributes_init();
            break;
        default:
            break;
        }
    }
    return p == end ? 0 : -1;
}

size_t cw_encode_reply(const struct cw_call *c, const struct cw_arg *a, uint8_t *reply)
{
    uint8_t *p = reply;
    const uint8_t *k;

    for (k = c->kind; *k != CW_END; k++, a++) {
        if (*k == CW_KEY_OUT || *k == CW_OP_NEW) {
            p = put32(p, a->u32);
        } else if (*k == CW_SIZE_OUT) {
            p = put64(p, a->size);
        } else if (*k == CW_ATTR_OUT) {
            cw_put_attr(p, a->attr);
            p += CW_ATTR_LEN;
        }
    }
    return (size_t)(p - reply);
}

int cw_decode_reply(const struct cw_call *c, struct cw_arg *a, const uint8_t *reply, size_t len)
{
    struct cw_layout l;
    const uint8_t *p = reply;
    const uint8_t *k;

    cw_layout(c, &l);
    if (len != l.reply_len)
        return -1;
    for (k = c->kind; *k != CW_END; k++, a++) {
        if (*k == CW_KEY_OUT || *k == CW_OP_NEW) {
            a->u32 = get32(p);
            p += 4;
        } else if (*k == CW_SIZE_OUT) {
            a->size = get64(p);
            p += 8;
        } else if (*k == CW_ATTR_OUT) {
            cw_get_attr(p, a->attr);
            p += CW_ATTR_LEN;
        }
    }
    return 0;
}
