/*
 * tinymaix_inference.h - between the files of the TinyMaix inference
 * partition (docs/tinymaix-integration.md, docs/model-encryption.md).
 */
#ifndef PARTIX_TINYMAIX_INFERENCE_H
#define PARTIX_TINYMAIX_INFERENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "psa/client.h"
#include "tfm_tinymaix_inference_api.h"

/* Sessions (connections) at once; one more is PSA_ERROR_CONNECTION_BUSY.
 * Each holds a decrypted model and TinyMaix's work buffer, statically: the
 * partition has no heap, as on the M33. */
#ifndef TI_SESSIONS
#define TI_SESSIONS 4
#endif
/* TinyMaix's main buffer (the model's buf_size) a session can give. */
#ifndef TI_ARENA_SIZE
#define TI_ARENA_SIZE (32 * 1024)
#endif

/* The guide's HKDF label (info) of the model keys. */
#define TI_KEY_LABEL "pico2w-tinymaix-mnist-aes128-v1.0"

/* tinymaix_seal.c: the model keys, derived through the Crypto service from
 * the hardware unique key as bound to this partition, live in the Crypto
 * service for one call only. */

/* Checks the tag of sealed model @p sealed (@p len bytes: IV, ciphertext,
 * tag) and decrypts it into @p plain (room for @p size bytes): *@p plain_len
 * gets the model's length.  PSA_ERROR_INVALID_SIGNATURE for a tag that does
 * not match (nothing decrypted), PSA_ERROR_INVALID_ARGUMENT for a length no
 * sealed model has or bad padding. */
psa_status_t ti_unseal(const uint8_t *sealed, size_t len, uint8_t *plain, size_t size,
                       size_t *plain_len);

/* Seals @p len bytes of @p plain into @p sealed (room for @p size bytes):
 * a fresh IV, AES-128-CBC with PKCS#7 padding, then the HMAC-SHA256 tag of
 * IV || ciphertext.  *@p sealed_len gets its length. */
psa_status_t ti_seal(const uint8_t *plain, size_t len, uint8_t *sealed, size_t size,
                     size_t *sealed_len);

#ifdef DEV_MODE
/* The AES-128 model key, exported (DEV_MODE builds only). */
psa_status_t ti_export_key(uint8_t key[TFM_TINYMAIX_KEY_SIZE]);
#endif

/* Zeroes @p n bytes at @p p in a way the compiler keeps. */
void ti_wipe(void *p, size_t n);

#endif
