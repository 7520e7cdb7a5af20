/*
 * crypto_main.c - the Crypto partition: Mbed TLS 2.28's PSA core behind
 * TF-M's crypto service.  Every call is one row of CRYPTO_CALLS: decoded by
 * crypto_wire.c, its key ids mapped into the caller's namespace
 * (crypto_keys.c), its operations looked up on the caller's connection
 * (crypto_ops.c), its buffers mapped, then Mbed TLS's function of that name
 * (crypto_impl.c).  Key material never leaves Mbed TLS but by export.
 */
#include <string.h>

#include "crypto_sp.h"
#include "psa_manifest/tfm_crypto.h"
#include "tfm_sp_log.h"

psa_status_t tfm_crypto_init(void)
{
    /* entropy: Mbed TLS reads getrandom(), which the sandbox allows */
    psa_status_t st = psa_crypto_init();

    if (st != PSA_SUCCESS)
        LOG_ERRFMT("[Crypto] psa_crypto_init failed: %d\n", (int)st);
    else
        LOG_INFFMT("[Crypto] Mbed TLS %s PSA core ready\n", "2.28");
    return st;
}

/* Key attributes from a client: volatile keys only, until the key store
 * (Internal Trusted Storage) arrives. */
static psa_status_t check_attr(const psa_key_attributes_t *attr)
{
    if (!PSA_KEY_LIFETIME_IS_VOLATILE(psa_get_key_lifetime(attr)) ||
        PSA_KEY_LIFETIME_GET_LOCATION(psa_get_key_lifetime(attr)) != PSA_KEY_LOCATION_LOCAL_STORAGE)
        return PSA_ERROR_NOT_SUPPORTED;
    return PSA_SUCCESS;
}

/* Before the call: each argument in the partition's terms. */
static psa_status_t prepare(const psa_msg_t *msg, struct co_conn *conn, const struct cw_call *c,
                            struct cw_arg *a, size_t first_out)
{
    uint32_t vi = 1, vo = (uint32_t)first_out;
    psa_status_t st;
    size_t i;

    for (i = 0; c->kind[i] != CW_END; i++) {
        switch (c->kind[i]) {
        case CW_KEY:
            if ((st = ck_lookup(msg->client_id, a[i].u32, &a[i].u32)) != PSA_SUCCESS)
                return st;
            break;
        case CW_ATTR:
            if ((st = check_attr(a[i].attr)) != PSA_SUCCESS)
                return st;
            break;
        case CW_KEY_OUT:
            if ((st = ck_room(msg->client_id)) != PSA_SUCCESS)
                return st;
            break;
        case CW_IN:
            a[i].len = msg->in_size[vi];
            a[i].in = a[i].len > 0 ? psa_map_invec(msg->handle, vi) : NULL;
            vi++;
            break;
        case CW_OUT:
            a[i].len = msg->out_size[vo];
            a[i].out = a[i].len > 0 ? psa_map_outvec(msg->handle, vo) : NULL;
            a[i].written = a[i].len; /* for the functions that fill it all */
            a[i].length = &a[i].written;
            vo++;
            break;
        case CW_OP:
            if ((a[i].slot = co_find(conn, a[i].u32, c->op_kind)) == NULL)
                return PSA_ERROR_BAD_STATE;
            break;
        case CW_OP_NEW:
            if ((a[i].slot = co_new(conn, c->op_kind, &a[i].u32)) == NULL)
                return PSA_ERROR_INSUFFICIENT_MEMORY;
            break;
        default:
            break;
        }
    }
    return PSA_SUCCESS;
}

/* After the call: outputs back in the client's terms, mappings ended,
 * operations ended or abandoned. */
static void finish(const psa_msg_t *msg, struct co_conn *conn, const struct cw_call *c,
                   struct cw_arg *a, size_t first_out, psa_status_t st)
{
    uint32_t vi = 1, vo = (uint32_t)first_out;
    size_t i;

    for (i = 0; c->kind[i] != CW_END; i++) {
        switch (c->kind[i]) {
        case CW_KEY:
            if (st == PSA_SUCCESS && (c->flags & CW_F_GONE))
                ck_remove(msg->client_id, ck_app_id(msg->client_id, a[i].u32));
            break;
        case CW_KEY_OUT:
            if (st == PSA_SUCCESS)
                a[i].u32 = ck_add(msg->client_id, a[i].u32);
            break;
        case CW_ATTR_OUT:
            if (st == PSA_SUCCESS)
                cw_set_attr_id(a[i].attr, ck_app_id(msg->client_id, psa_get_key_id(a[i].attr)),
                               psa_get_key_lifetime(a[i].attr));
            break;
        case CW_IN:
            if (a[i].in != NULL)
                psa_unmap_invec(msg->handle, vi);
            vi++;
            break;
        case CW_OUT:
            if (a[i].out != NULL)
                psa_unmap_outvec(msg->handle, vo, st == PSA_SUCCESS ? a[i].written : 0);
            vo++;
            break;
        case CW_OP:
            if (a[i].slot != NULL && (c->flags & CW_F_END))
                co_free(conn, a[i].u32);
            break;
        case CW_OP_NEW:
            if (a[i].slot != NULL && st != PSA_SUCCESS)
                co_free(conn, a[i].u32);
            break;
        default:
            break;
        }
    }
}

static psa_status_t dispatch(const psa_msg_t *msg, struct co_conn *conn)
{
    const struct cw_call *c = cw_find(msg->type);
    struct cw_arg a[CW_MAX_ARGS];
    psa_key_attributes_t attrs[2];
    uint8_t hdr[CW_HDR_MAX], reply[CW_HDR_MAX];
    struct cw_layout l;
    psa_status_t st;
    size_t n;

    if (c == NULL)
        return PSA_ERROR_NOT_SUPPORTED;
    if (c->op_kind != CW_OPK_NONE && conn == NULL)
        return PSA_ERROR_NOT_SUPPORTED; /* operations live on a session */
    cw_layout(c, &l);
    n = msg->in_size[0];
    memset(a, 0, sizeof(a));
    if (n > sizeof(hdr) || psa_read(msg->handle, 0, hdr, n) != n ||
        cw_decode_request(c, a, attrs, hdr, n) != 0 ||
        (l.has_reply && msg->out_size[0] < l.reply_len)) {
        LOG_ERRFMT("[Crypto] %s (0x%04x): malformed request from client %d\n", c->name, c->id,
                   (int)msg->client_id);
        return PSA_ERROR_INVALID_ARGUMENT;
    }
    st = prepare(msg, conn, c, a, l.has_reply);
    if (st == PSA_SUCCESS)
        st = crypto_impl(c->id)(a);
    finish(msg, conn, c, a, l.has_reply, st);
    if (st == PSA_SUCCESS && l.has_reply)
        psa_write(msg->handle, 0, reply, cw_encode_reply(c, a, reply));
    return st;
}

psa_status_t tfm_crypto_sfn(const psa_msg_t *msg)
{
    return dispatch(msg, NULL);
}

psa_status_t partix_crypto_session_sfn(const psa_msg_t *msg)
{
    struct co_conn *conn;
    unsigned n;

    switch (msg->type) {
    case PSA_IPC_CONNECT:
        if ((conn = co_connect(msg->client_id)) == NULL)
            return PSA_ERROR_CONNECTION_BUSY;
        psa_set_rhandle(msg->handle, conn);
        return PSA_SUCCESS;
    case PSA_IPC_DISCONNECT:
        if (msg->rhandle != NULL && (n = co_disconnect(msg->rhandle)) > 0)
            LOG_INFFMT("[Crypto] client %d closed its session: freed %u open operation(s)\n",
                       (int)msg->client_id, n);
        return PSA_SUCCESS;
    default:
        return dispatch(msg, msg->rhandle);
    }
}
