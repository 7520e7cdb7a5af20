/*
 * crypto_main.c - the Crypto partition: Mbed TLS 2.28's PSA core behind
 * TF-M's crypto service.  Every call is one row of CRYPTO_CALLS: decoded by
 * crypto_wire.c, its key ids mapped into the caller's namespace
 * (crypto_keys.c; crypto_pkeys.c for persistent keys), its operations
 * looked up on the caller's connection (crypto_ops.c), its buffers mapped,
 * then Mbed TLS's function of that name (crypto_impl.c).  Key material
 * never leaves Mbed TLS but by export, and persistent keys' to Internal
 * Trusted Storage (crypto_its.c).
 */
#include <string.h>

#include "crypto_sp.h"
#include "psa_manifest/tfm_crypto.h"
#include "tfm_sp_log.h"

/* the manifest's entry_init: TF-M's generated header does not declare it */
psa_status_t tfm_crypto_init(void);
psa_status_t tfm_crypto_init(void)
{
    /* entropy: Mbed TLS reads getrandom(), which the sandbox allows.  It
     * touches no key storage here (no MBEDTLS_PSA_INJECT_ENTROPY, no secure
     * element): a partition cannot call ITS before it is ready, so the
     * persistent key map is read on first use (crypto_pkeys.c). */
    psa_status_t st = psa_crypto_init();

    if (st != PSA_SUCCESS)
        LOG_ERRFMT("[Crypto] psa_crypto_init failed: %d\n", (int)st);
    else
        LOG_INFFMT("[Crypto] Mbed TLS %s PSA core ready\n", "2.28");
    return st;
}

/* What a call does to the persistent keys, from prepare() to settle(). */
struct key_change {
    uint32_t new_app, new_internal; /* a persistent key being made (new_internal != 0) */
    uint32_t gone_internal;         /* a persistent key unmapped before its destruction */
    uint32_t builtin;               /* a built-in key's stand-in for this call (crypto_builtin.c) */
};

/* Key attributes from a client: keys in the partition's own storage; a
 * persistent key's id, the client's, becomes a free one of Mbed TLS's. */
static psa_status_t check_attr(int32_t client, psa_key_attributes_t *attr, struct key_change *kc)
{
    psa_key_lifetime_t lifetime = psa_get_key_lifetime(attr);
    uint32_t app = MBEDTLS_SVC_KEY_ID_GET_KEY_ID(psa_get_key_id(attr));
    psa_status_t st;

    if (PSA_KEY_LIFETIME_GET_LOCATION(lifetime) != PSA_KEY_LOCATION_LOCAL_STORAGE)
        return PSA_ERROR_NOT_SUPPORTED;
    if (PSA_KEY_LIFETIME_IS_VOLATILE(lifetime))
        return PSA_SUCCESS; /* with an id, Mbed TLS refuses it */
    if ((st = cp_reserve(client, app, &kc->new_internal)) != PSA_SUCCESS)
        return st;
    kc->new_app = app;
    cw_set_attr_id(attr, kc->new_internal, lifetime);
    return PSA_SUCCESS;
}

/* Before the call: each argument in the partition's terms. */
static psa_status_t prepare(const psa_msg_t *msg, struct co_conn *conn, const struct cw_call *c,
                            struct cw_arg *a, size_t first_out, struct key_change *kc)
{
    uint32_t vi = 1, vo = (uint32_t)first_out, app;
    psa_status_t st;
    size_t i;

    for (i = 0; c->kind[i] != CW_END; i++) {
        switch (c->kind[i]) {
        case CW_KEY:
            app = a[i].u32;
            if (cb_is_builtin(app)) {
                st = cb_open(msg->client_id, c->id, app, &a[i].u32);
                kc->builtin = a[i].u32;
                if (st != PSA_SUCCESS)
                    return st;
                break;
            }
            if ((st = ck_lookup(msg->client_id, app, &a[i].u32)) != PSA_SUCCESS)
                return st;
            /* psa_destroy_key(), whose only argument this is: the map
             * forgets a persistent key before Mbed TLS removes it */
            if ((c->flags & CW_F_GONE) && cp_is_app_id(app)) {
                if ((st = cp_unmap(msg->client_id, app)) != PSA_SUCCESS)
                    return st;
                kc->gone_internal = a[i].u32;
            }
            break;
        case CW_ATTR:
            if ((st = check_attr(msg->client_id, a[i].attr, kc)) != PSA_SUCCESS)
                return st;
            break;
        case CW_KEY_OUT:
            if (kc->new_internal == 0 && (st = ck_room(msg->client_id)) != PSA_SUCCESS)
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

/* After Mbed TLS: the persistent key map follows what it did to storage. */
static psa_status_t settle(int32_t client, const struct key_change *kc, psa_status_t st)
{
    psa_status_t its = cits_failure();

    if (kc->new_internal != 0) {
        if (st == PSA_SUCCESS)
            return cp_commit(client, kc->new_app, kc->new_internal);
        if (its != PSA_SUCCESS) {
            cp_forget(); /* the key may be stored: the next load removes it */
            if (st == PSA_ERROR_DATA_INVALID)
                st = its; /* how Mbed TLS reports any failed write (a full ITS too) */
        }
    } else if (kc->gone_internal != 0 && st != PSA_SUCCESS) {
        if (st == PSA_ERROR_INVALID_HANDLE || st == PSA_ERROR_DOES_NOT_EXIST)
            return PSA_SUCCESS; /* nothing was stored: the map's entry was all there was */
        cp_forget();            /* the key may be stored, unmapped: the next load removes it */
    }
    return st;
}

/* After the call: outputs back in the client's terms, mappings ended,
 * operations ended or abandoned. */
static void finish(const psa_msg_t *msg, struct co_conn *conn, const struct cw_call *c,
                   struct cw_arg *a, size_t first_out, const struct key_change *kc, psa_status_t st)
{
    uint32_t vi = 1, vo = (uint32_t)first_out;
    size_t i;

    for (i = 0; c->kind[i] != CW_END; i++) {
        switch (c->kind[i]) {
        case CW_KEY:
            if (st == PSA_SUCCESS && (c->flags & CW_F_GONE) && kc->gone_internal == 0)
                ck_remove(msg->client_id, ck_app_id(msg->client_id, a[i].u32));
            break;
        case CW_KEY_OUT:
            if (st == PSA_SUCCESS)
                a[i].u32 = kc->new_internal != 0 ? kc->new_app : ck_add(msg->client_id, a[i].u32);
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
    struct key_change kc = {0, 0, 0, 0};
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
    st = prepare(msg, conn, c, a, l.has_reply, &kc);
    if (st == PSA_SUCCESS) {
        cits_reset();
        st = settle(msg->client_id, &kc, crypto_impl(c->id)(a));
    }
    finish(msg, conn, c, a, l.has_reply, &kc, st);
    cb_close(kc.builtin);
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
