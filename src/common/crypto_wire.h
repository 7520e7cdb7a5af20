/*
 * crypto_wire.h - the one description of the Crypto service's calls, read by
 * both the client stubs of libpsa-client and the partition's dispatcher.
 *
 * Each PSA Crypto function is one row: TF-M's function id (the psa_call
 * type), the operation kind it works on, and the kinds of its arguments in
 * the order of the C prototype.  crypto_wire.c turns a row and an argument
 * array into vectors and back; no function has marshalling of its own.
 *
 * A call's vectors, in order:
 *   in_vec[0]   the request header: every CW_U32, CW_SIZE, CW_KEY, CW_ATTR,
 *               CW_IN_HDR and CW_OP argument, fixed-width little-endian
 *   in_vec[1..] one per CW_IN argument
 *   out_vec[0]  the reply header, if the row has a CW_KEY_OUT, CW_ATTR_OUT,
 *               CW_SIZE_OUT or CW_OP_NEW argument
 *   out_vec[..] one per CW_OUT argument; its written length is the output's
 */
#ifndef PARTIX_CRYPTO_WIRE_H
#define PARTIX_CRYPTO_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include <psa/crypto.h>

#include "psa/client.h"

/* Argument kinds. */
enum cw_kind {
    CW_END = 0,
    CW_U32,      /* an algorithm, a derivation step: u32 in the header */
    CW_SIZE,     /* a size_t value (a capacity): u64 in the header */
    CW_KEY,      /* a key id of the caller's namespace: u32 in the header */
    CW_ATTR,     /* const psa_key_attributes_t *: CW_ATTR_LEN bytes in the header */
    CW_IN_HDR,   /* a short input (a nonce): u32 length + bytes in the header */
    CW_IN,       /* const uint8_t *, size_t: an input vector of its own */
    CW_OUT,      /* uint8_t *, size_t, size_t *: an output vector of its own */
    CW_OP,       /* an operation in use: its handle, u32 in the header */
    CW_OP_NEW,   /* an operation being set up: its new handle in the reply */
    CW_KEY_OUT,  /* psa_key_id_t *: u32 in the reply header */
    CW_ATTR_OUT, /* psa_key_attributes_t *: CW_ATTR_LEN bytes in the reply */
    CW_SIZE_OUT, /* size_t *: u64 in the reply header */
};

/* Operation kinds: which Mbed TLS operation a partition slot holds. */
enum cw_op_kind {
    CW_OPK_NONE = 0,
    CW_OPK_HASH,
    CW_OPK_MAC,
    CW_OPK_CIPHER,
    CW_OPK_KDF,
    CW_OPK_AEAD
};

/* Row flags. */
#define CW_F_END 0x1u  /* the call ends its CW_OP operation, whatever its status */
#define CW_F_GONE 0x2u /* on success the CW_KEY no longer exists */

#define CW_MAX_ARGS 6
#define CW_ATTR_LEN 24   /* type u16, bits u16, lifetime, id, usage, alg, alg2 */
#define CW_IN_HDR_MAX 32 /* a CW_IN_HDR input: the longest nonce of Mbed TLS 2.28 is 16 */
#define CW_HDR_MAX 128

/*
 * X(NAME, TF-M function id, operation kind, flags, argument kinds...).
 * The ids are TF-M's tfm_crypto_func_sid_t values (group << 8 | index).
 */
#define CRYPTO_CALLS(X)                                                                            \
    X(GENERATE_RANDOM, 0x0100, CW_OPK_NONE, 0, CW_OUT)                                             \
    X(GET_KEY_ATTRIBUTES, 0x0200, CW_OPK_NONE, 0, CW_KEY, CW_ATTR_OUT)                             \
    X(IMPORT_KEY, 0x0203, CW_OPK_NONE, 0, CW_ATTR, CW_IN, CW_KEY_OUT)                              \
    X(DESTROY_KEY, 0x0204, CW_OPK_NONE, CW_F_GONE, CW_KEY)                                         \
    X(EXPORT_KEY, 0x0205, CW_OPK_NONE, 0, CW_KEY, CW_OUT)                                          \
    X(EXPORT_PUBLIC_KEY, 0x0206, CW_OPK_NONE, 0, CW_KEY, CW_OUT)                                   \
    X(PURGE_KEY, 0x0207, CW_OPK_NONE, 0, CW_KEY)                                                   \
    X(COPY_KEY, 0x0208, CW_OPK_NONE, 0, CW_KEY, CW_ATTR, CW_KEY_OUT)                               \
    X(GENERATE_KEY, 0x0209, CW_OPK_NONE, 0, CW_ATTR, CW_KEY_OUT)                                   \
    X(HASH_COMPUTE, 0x0300, CW_OPK_NONE, 0, CW_U32, CW_IN, CW_OUT)                                 \
    X(HASH_COMPARE, 0x0301, CW_OPK_NONE, 0, CW_U32, CW_IN, CW_IN)                                  \
    X(HASH_SETUP, 0x0302, CW_OPK_HASH, 0, CW_OP_NEW, CW_U32)                                       \
    X(HASH_UPDATE, 0x0303, CW_OPK_HASH, 0, CW_OP, CW_IN)                                           \
    X(HASH_CLONE, 0x0304, CW_OPK_HASH, 0, CW_OP, CW_OP_NEW)                                        \
    X(HASH_FINISH, 0x0305, CW_OPK_HASH, CW_F_END, CW_OP, CW_OUT)                                   \
    X(HASH_VERIFY, 0x0306, CW_OPK_HASH, CW_F_END, CW_OP, CW_IN)                                    \
    X(HASH_ABORT, 0x0307, CW_OPK_HASH, CW_F_END, CW_OP)                                            \
    X(MAC_COMPUTE, 0x0400, CW_OPK_NONE, 0, CW_KEY, CW_U32, CW_IN, CW_OUT)                          \
    X(MAC_VERIFY, 0x0401, CW_OPK_NONE, 0, CW_KEY, CW_U32, CW_IN, CW_IN)                            \
    X(MAC_SIGN_SETUP, 0x0402, CW_OPK_MAC, 0, CW_OP_NEW, CW_KEY, CW_U32)                            \
    X(MAC_VERIFY_SETUP, 0x0403, CW_OPK_MAC, 0, CW_OP_NEW, CW_KEY, CW_U32)                          \
    X(MAC_UPDATE, 0x0404, CW_OPK_MAC, 0, CW_OP, CW_IN)                                             \
    X(MAC_SIGN_FINISH, 0x0405, CW_OPK_MAC, CW_F_END, CW_OP, CW_OUT)                                \
    X(MAC_VERIFY_FINISH, 0x0406, CW_OPK_MAC, CW_F_END, CW_OP, CW_IN)                               \
    X(MAC_ABORT, 0x0407, CW_OPK_MAC, CW_F_END, CW_OP)                                              \
    X(CIPHER_ENCRYPT, 0x0500, CW_OPK_NONE, 0, CW_KEY, CW_U32, CW_IN, CW_OUT)                       \
    X(CIPHER_DECRYPT, 0x0501, CW_OPK_NONE, 0, CW_KEY, CW_U32, CW_IN, CW_OUT)                       \
    X(CIPHER_ENCRYPT_SETUP, 0x0502, CW_OPK_CIPHER, 0, CW_OP_NEW, CW_KEY, CW_U32)                   \
    X(CIPHER_DECRYPT_SETUP, 0x0503, CW_OPK_CIPHER, 0, CW_OP_NEW, CW_KEY, CW_U32)                   \
    X(CIPHER_GENERATE_IV, 0x0504, CW_OPK_CIPHER, 0, CW_OP, CW_OUT)                                 \
    X(CIPHER_SET_IV, 0x0505, CW_OPK_CIPHER, 0, CW_OP, CW_IN)                                       \
    X(CIPHER_UPDATE, 0x0506, CW_OPK_CIPHER, 0, CW_OP, CW_IN, CW_OUT)                               \
    X(CIPHER_FINISH, 0x0507, CW_OPK_CIPHER, CW_F_END, CW_OP, CW_OUT)                               \
    X(CIPHER_ABORT, 0x0508, CW_OPK_CIPHER, CW_F_END, CW_OP)                                        \
    X(AEAD_ENCRYPT, 0x0600, CW_OPK_NONE, 0, CW_KEY, CW_U32, CW_IN_HDR, CW_IN, CW_IN, CW_OUT)       \
    X(AEAD_DECRYPT, 0x0601, CW_OPK_NONE, 0, CW_KEY, CW_U32, CW_IN_HDR, CW_IN, CW_IN, CW_OUT)       \
    X(AEAD_ENCRYPT_SETUP, 0x0602, CW_OPK_AEAD, 0, CW_OP_NEW, CW_KEY, CW_U32)                       \
    X(AEAD_DECRYPT_SETUP, 0x0603, CW_OPK_AEAD, 0, CW_OP_NEW, CW_KEY, CW_U32)                       \
    X(AEAD_GENERATE_NONCE, 0x0604, CW_OPK_AEAD, 0, CW_OP, CW_OUT)                                  \
    X(AEAD_SET_NONCE, 0x0605, CW_OPK_AEAD, 0, CW_OP, CW_IN)                                        \
    X(AEAD_SET_LENGTHS, 0x0606, CW_OPK_AEAD, 0, CW_OP, CW_SIZE, CW_SIZE)                           \
    X(AEAD_UPDATE_AD, 0x0607, CW_OPK_AEAD, 0, CW_OP, CW_IN)                                        \
    X(AEAD_UPDATE, 0x0608, CW_OPK_AEAD, 0, CW_OP, CW_IN, CW_OUT)                                   \
    X(AEAD_FINISH, 0x0609, CW_OPK_AEAD, CW_F_END, CW_OP, CW_OUT, CW_OUT)                           \
    X(AEAD_VERIFY, 0x060A, CW_OPK_AEAD, CW_F_END, CW_OP, CW_OUT, CW_IN)                            \
    X(AEAD_ABORT, 0x060B, CW_OPK_AEAD, CW_F_END, CW_OP)                                            \
    X(SIGN_MESSAGE, 0x0700, CW_OPK_NONE, 0, CW_KEY, CW_U32, CW_IN, CW_OUT)                         \
    X(VERIFY_MESSAGE, 0x0701, CW_OPK_NONE, 0, CW_KEY, CW_U32, CW_IN, CW_IN)                        \
    X(SIGN_HASH, 0x0702, CW_OPK_NONE, 0, CW_KEY, CW_U32, CW_IN, CW_OUT)                            \
    X(VERIFY_HASH, 0x0703, CW_OPK_NONE, 0, CW_KEY, CW_U32, CW_IN, CW_IN)                           \
    X(ASYMMETRIC_ENCRYPT, 0x0800, CW_OPK_NONE, 0, CW_KEY, CW_U32, CW_IN, CW_IN, CW_OUT)            \
    X(ASYMMETRIC_DECRYPT, 0x0801, CW_OPK_NONE, 0, CW_KEY, CW_U32, CW_IN, CW_IN, CW_OUT)            \
    X(RAW_KEY_AGREEMENT, 0x0900, CW_OPK_NONE, 0, CW_U32, CW_KEY, CW_IN, CW_OUT)                    \
    X(KEY_DERIVATION_SETUP, 0x0901, CW_OPK_KDF, 0, CW_OP_NEW, CW_U32)                              \
    X(KEY_DERIVATION_GET_CAPACITY, 0x0902, CW_OPK_KDF, 0, CW_OP, CW_SIZE_OUT)                      \
    X(KEY_DERIVATION_SET_CAPACITY, 0x0903, CW_OPK_KDF, 0, CW_OP, CW_SIZE)                          \
    X(KEY_DERIVATION_INPUT_BYTES, 0x0904, CW_OPK_KDF, 0, CW_OP, CW_U32, CW_IN)                     \
    X(KEY_DERIVATION_INPUT_KEY, 0x0905, CW_OPK_KDF, 0, CW_OP, CW_U32, CW_KEY)                      \
    X(KEY_DERIVATION_KEY_AGREEMENT, 0x0907, CW_OPK_KDF, 0, CW_OP, CW_U32, CW_KEY, CW_IN)           \
    X(KEY_DERIVATION_OUTPUT_BYTES, 0x0908, CW_OPK_KDF, 0, CW_OP, CW_OUT)                           \
    X(KEY_DERIVATION_OUTPUT_KEY, 0x0909, CW_OPK_KDF, 0, CW_ATTR, CW_OP, CW_KEY_OUT)                \
    X(KEY_DERIVATION_ABORT, 0x090A, CW_OPK_KDF, CW_F_END, CW_OP)

enum cw_fn {
#define CW_ENUM(name, id, opk, flags, ...) CW_##name = id,
    CRYPTO_CALLS(CW_ENUM)
#undef CW_ENUM
};

/* One row of the table. */
struct cw_call {
    uint16_t id;
    uint8_t op_kind;
    uint8_t flags;
    const char *name;
    uint8_t kind[CW_MAX_ARGS + 1]; /* ends with CW_END */
};

/*
 * One argument, as the C prototype has it.  The client fills the fields of
 * its kind from the caller's arguments; the partition gets them filled by
 * cw_decode() and points the buffers at its mapped vectors.
 */
struct cw_arg {
    uint32_t u32;                  /* CW_U32, CW_KEY, CW_KEY_OUT, CW_OP, CW_OP_NEW */
    uint64_t size;                 /* CW_SIZE, CW_SIZE_OUT */
    psa_key_attributes_t *attr;    /* CW_ATTR, CW_ATTR_OUT */
    const uint8_t *in;             /* CW_IN, CW_IN_HDR */
    uint8_t *out;                  /* CW_OUT */
    size_t len;                    /* CW_IN, CW_IN_HDR: length; CW_OUT: capacity */
    size_t *length;                /* CW_OUT: bytes written (NULL: not reported) */
    size_t written;                /* partition: what `length` points to */
    uint32_t *op;                  /* client: the handle inside the caller's struct */
    void *slot;                    /* partition: the operation a CW_OP names */
    uint8_t hdr_in[CW_IN_HDR_MAX]; /* partition: the bytes of a CW_IN_HDR */
};

/* The row of function @p id, or NULL. */
const struct cw_call *cw_find(int32_t id);

/* The vector layout of a row. */
struct cw_layout {
    uint8_t n_in, n_out; /* vectors in all, header vectors included */
    uint8_t has_reply;   /* out_vec[0] is the reply header */
    size_t reply_len;    /* its exact length */
};
void cw_layout(const struct cw_call *c, struct cw_layout *l);

/* Client: the request header into @p hdr (CW_HDR_MAX); its length, or -1 if
 * an argument cannot travel (a CW_IN_HDR longer than CW_IN_HDR_MAX). */
int cw_encode_request(const struct cw_call *c, const struct cw_arg *a, uint8_t *hdr);

/* Partition: decodes a request header; 0, or -1 if it is not exactly what
 * the row describes. */
int cw_decode_request(const struct cw_call *c, struct cw_arg *a, psa_key_attributes_t *attrs,
                      const uint8_t *hdr, size_t len);

/* Partition: the reply header from the CW_*_OUT arguments; its length. */
size_t cw_encode_reply(const struct cw_call *c, const struct cw_arg *a, uint8_t *reply);

/* Client: stores the reply header into the caller's CW_*_OUT arguments; 0, or
 * -1 if it is not exactly what the row describes. */
int cw_decode_reply(const struct cw_call *c, struct cw_arg *a, const uint8_t *reply, size_t len);

void cw_put_attr(uint8_t *p, const psa_key_attributes_t *attr);
void cw_get_attr(const uint8_t *p, psa_key_attributes_t *attr);
void cw_set_attr_id(psa_key_attributes_t *attr, uint32_t id, uint32_t lifetime);

#endif
