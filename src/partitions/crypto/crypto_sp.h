/* crypto_sp.h - between the files of the Crypto partition. */
#ifndef PARTIX_CRYPTO_SP_H
#define PARTIX_CRYPTO_SP_H

#include <stdint.h>

#include "crypto_wire.h"

/* crypto_keys.c: each client's key ids, mapped to Mbed TLS's.  A key of
 * another client is, to a caller, a key that does not exist. */
#define CK_MAX_KEYS 32       /* Mbed TLS 2.28's key slots (MBEDTLS_PSA_KEY_SLOT_COUNT) */
#define CK_MAX_PER_CLIENT 16 /* so that one user cannot take every slot */
psa_status_t ck_lookup(int32_t client, uint32_t app, uint32_t *internal);
psa_status_t ck_room(int32_t client);
uint32_t ck_add(int32_t client, uint32_t internal);
void ck_remove(int32_t client, uint32_t app);
uint32_t ck_app_id(int32_t client, uint32_t internal);

/* crypto_ops.c: multi-part operations, each owned by one connection. */
#define CO_MAX_CONNS 32
#define CO_MAX_OPS 32
#define CO_MAX_PER_CONN 8
struct co_conn;
struct co_conn *co_connect(int32_t client);
unsigned co_disconnect(struct co_conn *conn); /* the operations it freed */
void *co_new(struct co_conn *conn, uint8_t kind, uint32_t *handle);
void *co_find(struct co_conn *conn, uint32_t handle, uint8_t kind);
void co_free(struct co_conn *conn, uint32_t handle);

/* crypto_impl.c: the Mbed TLS function of each row, on decoded arguments. */
typedef psa_status_t (*crypto_impl_fn)(struct cw_arg *a);
crypto_impl_fn crypto_impl(uint16_t id);

#endif
