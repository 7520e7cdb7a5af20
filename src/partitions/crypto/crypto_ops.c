/*
 * crypto_ops.c - the multi-part operations the clients' operation structs
 * name by handle.  Each belongs to the session connection that set it up:
 * another connection's handle is an operation that does not exist, and when
 * a connection closes (its process ended), its operations are aborted and
 * their slots freed.  A user's operations are bounded too, whatever the
 * number of its connections: AEAD ones, the largest, by CO_MAX_AEAD_PER_USER,
 * the others by CO_MAX_PER_USER; counted from the table, so a slot freed is
 * at once the user's again.
 */
#include <stdbool.h>
#include <string.h>

#include "crypto_sp.h"

struct co_conn {
    bool used;
    int32_t client;
    unsigned n_ops;
};

static struct co_conn conns[CO_MAX_CONNS];

static struct {
    struct co_conn *conn; /* NULL: free */
    uint32_t handle;
    uint8_t kind;
    union {
        psa_hash_operation_t hash;
        psa_mac_operation_t mac;
        psa_cipher_operation_t cipher;
        psa_key_derivation_operation_t kdf;
        struct ca_op aead;
    } u;
} ops[CO_MAX_OPS];

static uint32_t last_handle;

struct co_conn *co_connect(int32_t client)
{
    size_t i;

    for (i = 0; i < CO_MAX_CONNS; i++) {
        if (!conns[i].used) {
            conns[i] = (struct co_conn){true, client, 0};
            return &conns[i];
        }
    }
    return NULL;
}

static void slot_free(size_t i)
{
    switch (ops[i].kind) {
    case CW_OPK_HASH:
        psa_hash_abort(&ops[i].u.hash);
        break;
    case CW_OPK_MAC:
        psa_mac_abort(&ops[i].u.mac);
        break;
    case CW_OPK_CIPHER:
        psa_cipher_abort(&ops[i].u.cipher);
        break;
    case CW_OPK_KDF:
        psa_key_derivation_abort(&ops[i].u.kdf);
        break;
    case CW_OPK_AEAD:
        ca_abort(&ops[i].u.aead);
        break;
    }
    ops[i].conn->n_ops--;
    ops[i].conn = NULL;
}

unsigned co_disconnect(struct co_conn *conn)
{
    unsigned n = 0;
    size_t i;

    for (i = 0; i < CO_MAX_OPS; i++) {
        if (ops[i].conn == conn) {
            slot_free(i);
            n++;
        }
    }
    conn->used = false;
    return n;
}

/* The operations of @p client's connections that share a quota with one of
 * kind @p kind: its AEAD ones, or its others. */
static unsigned user_ops(int32_t client, uint8_t kind)
{
    bool aead = kind == CW_OPK_AEAD;
    unsigned n = 0;
    size_t i;

    for (i = 0; i < CO_MAX_OPS; i++)
        n += ops[i].conn != NULL && ops[i].conn->client == client &&
             (ops[i].kind == CW_OPK_AEAD) == aead;
    return n;
}

void *co_new(struct co_conn *conn, uint8_t kind, uint32_t *handle)
{
    unsigned quota = kind == CW_OPK_AEAD ? CO_MAX_AEAD_PER_USER : CO_MAX_PER_USER;
    size_t i;

    if (conn->n_ops >= CO_MAX_PER_CONN || user_ops(conn->client, kind) >= quota)
        return NULL;
    for (i = 0; i < CO_MAX_OPS && ops[i].conn != NULL; i++)
        ;
    if (i == CO_MAX_OPS)
        return NULL;
    if (++last_handle == 0)
        last_handle = 1;
    ops[i].conn = conn;
    ops[i].handle = *handle = last_handle;
    ops[i].kind = kind;
    switch (kind) {
    case CW_OPK_HASH:
        ops[i].u.hash = psa_hash_operation_init();
        break;
    case CW_OPK_MAC:
        ops[i].u.mac = psa_mac_operation_init();
        break;
    case CW_OPK_CIPHER:
        ops[i].u.cipher = psa_cipher_operation_init();
        break;
    case CW_OPK_AEAD:
        memset(&ops[i].u.aead, 0, sizeof(ops[i].u.aead)); /* inactive: ca_setup() starts it */
        break;
    default:
        ops[i].u.kdf = psa_key_derivation_operation_init();
        break;
    }
    conn->n_ops++;
    return &ops[i].u;
}

void *co_find(struct co_conn *conn, uint32_t handle, uint8_t kind)
{
    size_t i;

    for (i = 0; i < CO_MAX_OPS; i++)
        if (ops[i].conn == conn && ops[i].handle == handle && ops[i].kind == kind)
            return &ops[i].u;
    return NULL;
}

void co_free(struct co_conn *conn, uint32_t handle)
{
    size_t i;

    for (i = 0; i < CO_MAX_OPS; i++)
        if (ops[i].conn == conn && ops[i].handle == handle)
            slot_free(i);
}
