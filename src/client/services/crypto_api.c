/*
 * crypto_api.c - the PSA Crypto API of Mbed TLS 2.28's <psa/crypto.h> as
 * thin stubs over psa_call to the Crypto partition.  Each stub lists its
 * arguments in the order of its row in CRYPTO_CALLS (crypto_wire.h) and
 * calls crypto_call(); crypto_wire.c does all the marshalling.
 *
 * Multi-part operations live in the partition.  The caller's operation
 * struct (Mbed TLS's own type) holds only the partition's handle of it: in
 * its `id` member for hash, MAC and cipher operations (Mbed TLS's own "0 is
 * inactive" member, so PSA_*_OPERATION_INIT is the inactive state), in the
 * first four bytes of `ctx` for key derivation, in `ctx.dummy` for AEAD
 * (zero in PSA_AEAD_OPERATION_INIT).  The rest of the struct is
 * never used.  Calls on operations travel on one connection per process
 * (PARTIX_CRYPTO_SESSION): when the process ends, the SPM closes it and the
 * partition frees what it left open.  Everything else uses the stateless
 * TFM_CRYPTO handle.
 */
#include <pthread.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "crypto_wire.h"
#include "psa_manifest/sid.h"

static pthread_mutex_t session_lock = PTHREAD_MUTEX_INITIALIZER;
static psa_handle_t session;
static pid_t session_pid;

/* The process's session connection, connected on first use (and again in a
 * forked child, whose parent's handles are not its own).  Locked. */
static psa_handle_t session_get(void)
{
    if (session > 0 && session_pid == getpid())
        return session;
    session = psa_connect(PARTIX_CRYPTO_SESSION_SID, PARTIX_CRYPTO_SESSION_VERSION);
    session_pid = getpid();
    return session;
}

static bool uses_op(const struct cw_call *c)
{
    return memchr(c->kind, CW_OP, sizeof(c->kind)) != NULL;
}

/* A call on the session.  A session the SPM no longer knows (psa-spm was
 * restarted) is dropped; its operations are gone, but a setup is retried on
 * a new one.  Locked. */
static psa_status_t session_call(const struct cw_call *c, const psa_invec *in, size_t ni,
                                 psa_outvec *out, size_t no)
{
    psa_status_t st = PSA_ERROR_COMMUNICATION_FAILURE;
    size_t len[PSA_MAX_IOVEC], i;
    psa_handle_t h;
    int tries;

    for (i = 0; i < no; i++)
        len[i] = out[i].len;
    for (tries = uses_op(c) ? 1 : 2; tries > 0; tries--) {
        if ((h = session_get()) <= 0)
            return PSA_HANDLE_TO_ERROR(h);
        for (i = 0; i < no; i++)
            out[i].len = len[i];
        st = psa_call(h, c->id, in, ni, out, no);
        if (st != PSA_ERROR_PROGRAMMER_ERROR && st != PSA_ERROR_COMMUNICATION_FAILURE)
            break;
        psa_close(h);
        session = PSA_NULL_HANDLE;
    }
    return st;
}

static psa_status_t crypto_call(enum cw_fn fn, struct cw_arg *a)
{
    const struct cw_call *c = cw_find(fn);
    uint8_t hdr[CW_HDR_MAX], reply[CW_HDR_MAX];
    psa_invec in[PSA_MAX_IOVEC];
    psa_outvec out[PSA_MAX_IOVEC];
    struct cw_layout l;
    size_t ni = 1, no = 0, i, first_out;
    psa_handle_t h = TFM_CRYPTO_HANDLE;
    psa_status_t st;
    int n;

    cw_layout(c, &l);
    if (l.has_reply)
        out[no++] = (psa_outvec){reply, l.reply_len};
    first_out = no;
    for (i = 0; c->kind[i] != CW_END; i++) /* what the caller has if the call fails */
        if (c->kind[i] == CW_KEY_OUT)
            *a[i].op = PSA_KEY_ID_NULL;
    for (i = 0; c->kind[i] != CW_END; i++) {
        if (c->kind[i] == CW_IN)
            in[ni++] = (psa_invec){a[i].in, a[i].len};
        else if (c->kind[i] == CW_OUT)
            out[no++] = (psa_outvec){a[i].out, a[i].len};
        else if (c->kind[i] == CW_OP && (a[i].u32 = *a[i].op) == 0)
            return PSA_ERROR_BAD_STATE;
        else if (c->kind[i] == CW_OP_NEW && *a[i].op != 0)
            return PSA_ERROR_BAD_STATE;
    }
    if ((n = cw_encode_request(c, a, hdr)) < 0)
        return PSA_ERROR_NOT_SUPPORTED; /* a nonce longer than any algorithm's */
    in[0] = (psa_invec){hdr, (size_t)n};

    if (c->op_kind != CW_OPK_NONE) {
        pthread_mutex_lock(&session_lock);
        st = session_call(c, in, ni, out, no);
        pthread_mutex_unlock(&session_lock);
    } else {
        st = psa_call(h, c->id, in, ni, out, no);
    }

    if (st == PSA_SUCCESS && l.has_reply && cw_decode_reply(c, a, reply, out[0].len) != 0)
        st = PSA_ERROR_COMMUNICATION_FAILURE;
    for (i = 0, no = first_out; c->kind[i] != CW_END; i++) {
        switch (c->kind[i]) {
        case CW_OUT:
            if (a[i].length != NULL)
                *a[i].length = st == PSA_SUCCESS ? out[no].len : 0;
            no++;
            break;
        case CW_OP:
            if (c->flags & CW_F_END)
                *a[i].op = 0;
            break;
        case CW_OP_NEW:
        case CW_KEY_OUT:
            if (st == PSA_SUCCESS)
                *a[i].op = a[i].u32;
            break;
        case CW_SIZE_OUT:
            if (st == PSA_SUCCESS)
                *a[i].length = (size_t)a[i].size;
            break;
        default:
            break;
        }
    }
    return st;
}

/* Argument constructors, one per kind. */
#define A_U32(v)                                                                                   \
    {                                                                                              \
        .u32 = (uint32_t)(v)                                                                       \
    }
#define A_SIZE(v)                                                                                  \
    {                                                                                              \
        .size = (v)                                                                                \
    }
#define A_KEY(k)                                                                                   \
    {                                                                                              \
        .u32 = MBEDTLS_SVC_KEY_ID_GET_KEY_ID(k)                                                    \
    }
#define A_ATTR(p)                                                                                  \
    {                                                                                              \
        .attr = (psa_key_attributes_t *)(uintptr_t)(p)                                             \
    }
#define A_IN(p, n)                                                                                 \
    {                                                                                              \
        .in = (p), .len = (n)                                                                      \
    }
#define A_OUT(p, n, lp)                                                                            \
    {                                                                                              \
        .out = (p), .len = (n), .length = (lp)                                                     \
    }
#define A_OP(p)                                                                                    \
    {                                                                                              \
        .op = (uint32_t *)(uintptr_t)(p)                                                           \
    }
#define A_KEY_OUT(p)                                                                               \
    {                                                                                              \
        .op = (uint32_t *)(p)                                                                      \
    }
#define A_ATTR_OUT(p)                                                                              \
    {                                                                                              \
        .attr = (p)                                                                                \
    }
#define A_SIZE_OUT(p)                                                                              \
    {                                                                                              \
        .length = (p)                                                                              \
    }

/* The handle inside a key derivation operation (see the top of the file). */
#define KDF_HANDLE(op) ((uint32_t *)(uintptr_t)(const void *)&(op)->ctx)

#define CALL(fn, ...)                                                                              \
    do {                                                                                           \
        struct cw_arg a_[] = {__VA_ARGS__};                                                        \
        return crypto_call(CW_##fn, a_);                                                           \
    } while (0)

psa_status_t psa_crypto_init(void)
{
    /* The partition initialised its Mbed TLS when it started; this checks
     * that the service is there for this caller. */
    return psa_version(TFM_CRYPTO_SID) == PSA_VERSION_NONE ? PSA_ERROR_COMMUNICATION_FAILURE
                                                           : PSA_SUCCESS;
}

psa_status_t psa_generate_random(uint8_t *output, size_t output_size)
{
    if (output_size == 0)
        return PSA_SUCCESS;
    CALL(GENERATE_RANDOM, A_OUT(output, output_size, NULL));
}

psa_status_t psa_get_key_attributes(mbedtls_svc_key_id_t key, psa_key_attributes_t *attributes)
{
    CALL(GET_KEY_ATTRIBUTES, A_KEY(key), A_ATTR_OUT(attributes));
}

void psa_reset_key_attributes(psa_key_attributes_t *attributes)
{
    /* domain parameters never leave the partition: nothing to free */
    *attributes = psa_key_attributes_init();
}

psa_status_t psa_set_key_domain_parameters(psa_key_attributes_t *attributes, psa_key_type_t type,
                                           const uint8_t *data, size_t data_length)
{
    (void)data;
    if (data_length != 0)
        return PSA_ERROR_NOT_SUPPORTED;
    psa_set_key_type(attributes, type);
    return PSA_SUCCESS;
}

psa_status_t psa_get_key_domain_parameters(const psa_key_attributes_t *attributes, uint8_t *data,
                                           size_t data_size, size_t *data_length)
{
    (void)attributes;
    (void)data;
    (void)data_size;
    *data_length = 0;
    return PSA_SUCCESS;
}

psa_status_t psa_import_key(const psa_key_attributes_t *attributes, const uint8_t *data,
                            size_t data_length, mbedtls_svc_key_id_t *key)
{
    CALL(IMPORT_KEY, A_ATTR(attributes), A_IN(data, data_length), A_KEY_OUT(key));
}

psa_status_t psa_generate_key(const psa_key_attributes_t *attributes, mbedtls_svc_key_id_t *key)
{
    CALL(GENERATE_KEY, A_ATTR(attributes), A_KEY_OUT(key));
}

psa_status_t psa_copy_key(mbedtls_svc_key_id_t source_key, const psa_key_attributes_t *attributes,
                          mbedtls_svc_key_id_t *target_key)
{
    CALL(COPY_KEY, A_KEY(source_key), A_ATTR(attributes), A_KEY_OUT(target_key));
}

psa_status_t psa_destroy_key(mbedtls_svc_key_id_t key)
{
    CALL(DESTROY_KEY, A_KEY(key));
}

psa_status_t psa_purge_key(mbedtls_svc_key_id_t key)
{
    CALL(PURGE_KEY, A_KEY(key));
}

/* Mbed TLS's pre-1.0 compatibility calls (crypto_compat.h): a handle is the
 * key id.  Opening checks that the caller has the persistent key (and, as
 * in Mbed TLS, loads it); closing it frees its copy in memory, while a
 * volatile key's close destroys it, as Mbed TLS documents. */
psa_status_t psa_open_key(mbedtls_svc_key_id_t key, psa_key_handle_t *handle)
{
    psa_key_id_t id = MBEDTLS_SVC_KEY_ID_GET_KEY_ID(key);
    psa_key_attributes_t attr = PSA_KEY_ATTRIBUTES_INIT;
    psa_status_t st;

    *handle = PSA_KEY_HANDLE_INIT;
    if (id < PSA_KEY_ID_USER_MIN || id > PSA_KEY_ID_USER_MAX)
        return PSA_ERROR_INVALID_ARGUMENT;
    st = psa_get_key_attributes(key, &attr);
    if (st == PSA_ERROR_INVALID_HANDLE)
        return PSA_ERROR_DOES_NOT_EXIST;
    if (st == PSA_SUCCESS)
        *handle = key;
    return st;
}

psa_status_t psa_close_key(psa_key_handle_t handle)
{
    psa_key_id_t id = MBEDTLS_SVC_KEY_ID_GET_KEY_ID(handle);

    if (id == 0)
        return PSA_SUCCESS;
    if (id >= PSA_KEY_ID_USER_MIN && id <= PSA_KEY_ID_USER_MAX)
        return psa_purge_key(handle);
    return psa_destroy_key(handle);
}

psa_status_t psa_export_key(mbedtls_svc_key_id_t key, uint8_t *data, size_t data_size,
                            size_t *data_length)
{
    CALL(EXPORT_KEY, A_KEY(key), A_OUT(data, data_size, data_length));
}

psa_status_t psa_export_public_key(mbedtls_svc_key_id_t key, uint8_t *data, size_t data_size,
                                   size_t *data_length)
{
    CALL(EXPORT_PUBLIC_KEY, A_KEY(key), A_OUT(data, data_size, data_length));
}

psa_status_t psa_hash_compute(psa_algorithm_t alg, const uint8_t *input, size_t input_length,
                              uint8_t *hash, size_t hash_size, size_t *hash_length)
{
    CALL(HASH_COMPUTE, A_U32(alg), A_IN(input, input_length), A_OUT(hash, hash_size, hash_length));
}

psa_status_t psa_hash_compare(psa_algorithm_t alg, const uint8_t *input, size_t input_length,
                              const uint8_t *hash, size_t hash_length)
{
    CALL(HASH_COMPARE, A_U32(alg), A_IN(input, input_length), A_IN(hash, hash_length));
}

psa_status_t psa_hash_setup(psa_hash_operation_t *operation, psa_algorithm_t alg)
{
    CALL(HASH_SETUP, A_OP(&operation->id), A_U32(alg));
}

psa_status_t psa_hash_update(psa_hash_operation_t *operation, const uint8_t *input,
                             size_t input_length)
{
    CALL(HASH_UPDATE, A_OP(&operation->id), A_IN(input, input_length));
}

psa_status_t psa_hash_clone(const psa_hash_operation_t *source_operation,
                            psa_hash_operation_t *target_operation)
{
    CALL(HASH_CLONE, A_OP(&source_operation->id), A_OP(&target_operation->id));
}

psa_status_t psa_hash_finish(psa_hash_operation_t *operation, uint8_t *hash, size_t hash_size,
                             size_t *hash_length)
{
    CALL(HASH_FINISH, A_OP(&operation->id), A_OUT(hash, hash_size, hash_length));
}

psa_status_t psa_hash_verify(psa_hash_operation_t *operation, const uint8_t *hash,
                             size_t hash_length)
{
    CALL(HASH_VERIFY, A_OP(&operation->id), A_IN(hash, hash_length));
}

psa_status_t psa_hash_abort(psa_hash_operation_t *operation)
{
    if (operation->id == 0)
        return PSA_SUCCESS;
    CALL(HASH_ABORT, A_OP(&operation->id));
}

psa_status_t psa_mac_compute(mbedtls_svc_key_id_t key, psa_algorithm_t alg, const uint8_t *input,
                             size_t input_length, uint8_t *mac, size_t mac_size, size_t *mac_length)
{
    CALL(MAC_COMPUTE, A_KEY(key), A_U32(alg), A_IN(input, input_length),
         A_OUT(mac, mac_size, mac_length));
}

psa_status_t psa_mac_verify(mbedtls_svc_key_id_t key, psa_algorithm_t alg, const uint8_t *input,
                            size_t input_length, const uint8_t *mac, size_t mac_length)
{
    CALL(MAC_VERIFY, A_KEY(key), A_U32(alg), A_IN(input, input_length), A_IN(mac, mac_length));
}

psa_status_t psa_mac_sign_setup(psa_mac_operation_t *operation, mbedtls_svc_key_id_t key,
                                psa_algorithm_t alg)
{
    CALL(MAC_SIGN_SETUP, A_OP(&operation->id), A_KEY(key), A_U32(alg));
}

psa_status_t psa_mac_verify_setup(psa_mac_operation_t *operation, mbedtls_svc_key_id_t key,
                                  psa_algorithm_t alg)
{
    CALL(MAC_VERIFY_SETUP, A_OP(&operation->id), A_KEY(key), A_U32(alg));
}

psa_status_t psa_mac_update(psa_mac_operation_t *operation, const uint8_t *input,
                            size_t input_length)
{
    CALL(MAC_UPDATE, A_OP(&operation->id), A_IN(input, input_length));
}

psa_status_t psa_mac_sign_finish(psa_mac_operation_t *operation, uint8_t *mac, size_t mac_size,
                                 size_t *mac_length)
{
    CALL(MAC_SIGN_FINISH, A_OP(&operation->id), A_OUT(mac, mac_size, mac_length));
}

psa_status_t psa_mac_verify_finish(psa_mac_operation_t *operation, const uint8_t *mac,
                                   size_t mac_length)
{
    CALL(MAC_VERIFY_FINISH, A_OP(&operation->id), A_IN(mac, mac_length));
}

psa_status_t psa_mac_abort(psa_mac_operation_t *operation)
{
    if (operation->id == 0)
        return PSA_SUCCESS;
    CALL(MAC_ABORT, A_OP(&operation->id));
}

psa_status_t psa_cipher_encrypt(mbedtls_svc_key_id_t key, psa_algorithm_t alg, const uint8_t *input,
                                size_t input_length, uint8_t *output, size_t output_size,
                                size_t *output_length)
{
    CALL(CIPHER_ENCRYPT, A_KEY(key), A_U32(alg), A_IN(input, input_length),
         A_OUT(output, output_size, output_length));
}

psa_status_t psa_cipher_decrypt(mbedtls_svc_key_id_t key, psa_algorithm_t alg, const uint8_t *input,
                                size_t input_length, uint8_t *output, size_t output_size,
                                size_t *output_length)
{
    CALL(CIPHER_DECRYPT, A_KEY(key), A_U32(alg), A_IN(input, input_length),
         A_OUT(output, output_size, output_length));
}

psa_status_t psa_cipher_encrypt_setup(psa_cipher_operation_t *operation, mbedtls_svc_key_id_t key,
                                      psa_algorithm_t alg)
{
    CALL(CIPHER_ENCRYPT_SETUP, A_OP(&operation->id), A_KEY(key), A_U32(alg));
}

psa_status_t psa_cipher_decrypt_setup(psa_cipher_operation_t *operation, mbedtls_svc_key_id_t key,
                                      psa_algorithm_t alg)
{
    CALL(CIPHER_DECRYPT_SETUP, A_OP(&operation->id), A_KEY(key), A_U32(alg));
}

psa_status_t psa_cipher_generate_iv(psa_cipher_operation_t *operation, uint8_t *iv, size_t iv_size,
                                    size_t *iv_length)
{
    CALL(CIPHER_GENERATE_IV, A_OP(&operation->id), A_OUT(iv, iv_size, iv_length));
}

psa_status_t psa_cipher_set_iv(psa_cipher_operation_t *operation, const uint8_t *iv,
                               size_t iv_length)
{
    CALL(CIPHER_SET_IV, A_OP(&operation->id), A_IN(iv, iv_length));
}

psa_status_t psa_cipher_update(psa_cipher_operation_t *operation, const uint8_t *input,
                               size_t input_length, uint8_t *output, size_t output_size,
                               size_t *output_length)
{
    CALL(CIPHER_UPDATE, A_OP(&operation->id), A_IN(input, input_length),
         A_OUT(output, output_size, output_length));
}

psa_status_t psa_cipher_finish(psa_cipher_operation_t *operation, uint8_t *output,
                               size_t output_size, size_t *output_length)
{
    CALL(CIPHER_FINISH, A_OP(&operation->id), A_OUT(output, output_size, output_length));
}

psa_status_t psa_cipher_abort(psa_cipher_operation_t *operation)
{
    if (operation->id == 0)
        return PSA_SUCCESS;
    CALL(CIPHER_ABORT, A_OP(&operation->id));
}

psa_status_t psa_aead_encrypt(mbedtls_svc_key_id_t key, psa_algorithm_t alg, const uint8_t *nonce,
                              size_t nonce_length, const uint8_t *additional_data,
                              size_t additional_data_length, const uint8_t *plaintext,
                              size_t plaintext_length, uint8_t *ciphertext, size_t ciphertext_size,
                              size_t *ciphertext_length)
{
    CALL(AEAD_ENCRYPT, A_KEY(key), A_U32(alg), A_IN(nonce, nonce_length),
         A_IN(additional_data, additional_data_length), A_IN(plaintext, plaintext_length),
         A_OUT(ciphertext, ciphertext_size, ciphertext_length));
}

psa_status_t psa_aead_decrypt(mbedtls_svc_key_id_t key, psa_algorithm_t alg, const uint8_t *nonce,
                              size_t nonce_length, const uint8_t *additional_data,
                              size_t additional_data_length, const uint8_t *ciphertext,
                              size_t ciphertext_length, uint8_t *plaintext, size_t plaintext_size,
                              size_t *plaintext_length)
{
    CALL(AEAD_DECRYPT, A_KEY(key), A_U32(alg), A_IN(nonce, nonce_length),
         A_IN(additional_data, additional_data_length), A_IN(ciphertext, ciphertext_length),
         A_OUT(plaintext, plaintext_size, plaintext_length));
}

psa_status_t psa_sign_message(mbedtls_svc_key_id_t key, psa_algorithm_t alg, const uint8_t *input,
                              size_t input_length, uint8_t *signature, size_t signature_size,
                              size_t *signature_length)
{
    CALL(SIGN_MESSAGE, A_KEY(key), A_U32(alg), A_IN(input, input_length),
         A_OUT(signature, signature_size, signature_length));
}

psa_status_t psa_verify_message(mbedtls_svc_key_id_t key, psa_algorithm_t alg, const uint8_t *input,
                                size_t input_length, const uint8_t *signature,
                                size_t signature_length)
{
    CALL(VERIFY_MESSAGE, A_KEY(key), A_U32(alg), A_IN(input, input_length),
         A_IN(signature, signature_length));
}

psa_status_t psa_sign_hash(mbedtls_svc_key_id_t key, psa_algorithm_t alg, const uint8_t *hash,
                           size_t hash_length, uint8_t *signature, size_t signature_size,
                           size_t *signature_length)
{
    CALL(SIGN_HASH, A_KEY(key), A_U32(alg), A_IN(hash, hash_length),
         A_OUT(signature, signature_size, signature_length));
}

psa_status_t psa_verify_hash(mbedtls_svc_key_id_t key, psa_algorithm_t alg, const uint8_t *hash,
                             size_t hash_length, const uint8_t *signature, size_t signature_length)
{
    CALL(VERIFY_HASH, A_KEY(key), A_U32(alg), A_IN(hash, hash_length),
         A_IN(signature, signature_length));
}

psa_status_t psa_asymmetric_encrypt(mbedtls_svc_key_id_t key, psa_algorithm_t alg,
                                    const uint8_t *input, size_t input_length, const uint8_t *salt,
                                    size_t salt_length, uint8_t *output, size_t output_size,
                                    size_t *output_length)
{
    CALL(ASYMMETRIC_ENCRYPT, A_KEY(key), A_U32(alg), A_IN(input, input_length),
         A_IN(salt, salt_length), A_OUT(output, output_size, output_length));
}

psa_status_t psa_asymmetric_decrypt(mbedtls_svc_key_id_t key, psa_algorithm_t alg,
                                    const uint8_t *input, size_t input_length, const uint8_t *salt,
                                    size_t salt_length, uint8_t *output, size_t output_size,
                                    size_t *output_length)
{
    CALL(ASYMMETRIC_DECRYPT, A_KEY(key), A_U32(alg), A_IN(input, input_length),
         A_IN(salt, salt_length), A_OUT(output, output_size, output_length));
}

psa_status_t psa_raw_key_agreement(psa_algorithm_t alg, mbedtls_svc_key_id_t private_key,
                                   const uint8_t *peer_key, size_t peer_key_length, uint8_t *output,
                                   size_t output_size, size_t *output_length)
{
    CALL(RAW_KEY_AGREEMENT, A_U32(alg), A_KEY(private_key), A_IN(peer_key, peer_key_length),
         A_OUT(output, output_size, output_length));
}

psa_status_t psa_key_derivation_setup(psa_key_derivation_operation_t *operation,
                                      psa_algorithm_t alg)
{
    CALL(KEY_DERIVATION_SETUP, A_OP(KDF_HANDLE(operation)), A_U32(alg));
}

psa_status_t psa_key_derivation_get_capacity(const psa_key_derivation_operation_t *operation,
                                             size_t *capacity)
{
    CALL(KEY_DERIVATION_GET_CAPACITY, A_OP(KDF_HANDLE(operation)), A_SIZE_OUT(capacity));
}

psa_status_t psa_key_derivation_set_capacity(psa_key_derivation_operation_t *operation,
                                             size_t capacity)
{
    CALL(KEY_DERIVATION_SET_CAPACITY, A_OP(KDF_HANDLE(operation)), A_SIZE(capacity));
}

psa_status_t psa_key_derivation_input_bytes(psa_key_derivation_operation_t *operation,
                                            psa_key_derivation_step_t step, const uint8_t *data,
                                            size_t data_length)
{
    CALL(KEY_DERIVATION_INPUT_BYTES, A_OP(KDF_HANDLE(operation)), A_U32(step),
         A_IN(data, data_length));
}

psa_status_t psa_key_derivation_input_key(psa_key_derivation_operation_t *operation,
                                          psa_key_derivation_step_t step, mbedtls_svc_key_id_t key)
{
    CALL(KEY_DERIVATION_INPUT_KEY, A_OP(KDF_HANDLE(operation)), A_U32(step), A_KEY(key));
}

psa_status_t psa_key_derivation_key_agreement(psa_key_derivation_operation_t *operation,
                                              psa_key_derivation_step_t step,
                                              mbedtls_svc_key_id_t private_key,
                                              const uint8_t *peer_key, size_t peer_key_length)
{
    CALL(KEY_DERIVATION_KEY_AGREEMENT, A_OP(KDF_HANDLE(operation)), A_U32(step), A_KEY(private_key),
         A_IN(peer_key, peer_key_length));
}

psa_status_t psa_key_derivation_output_bytes(psa_key_derivation_operation_t *operation,
                                             uint8_t *output, size_t output_length)
{
    CALL(KEY_DERIVATION_OUTPUT_BYTES, A_OP(KDF_HANDLE(operation)),
         A_OUT(output, output_length, NULL));
}

psa_status_t psa_key_derivation_output_key(const psa_key_attributes_t *attributes,
                                           psa_key_derivation_operation_t *operation,
                                           mbedtls_svc_key_id_t *key)
{
    CALL(KEY_DERIVATION_OUTPUT_KEY, A_ATTR(attributes), A_OP(KDF_HANDLE(operation)),
         A_KEY_OUT(key));
}

psa_status_t psa_key_derivation_abort(psa_key_derivation_operation_t *operation)
{
    if (*KDF_HANDLE(operation) == 0)
        return PSA_SUCCESS;
    CALL(KEY_DERIVATION_ABORT, A_OP(KDF_HANDLE(operation)));
}

/* The handle inside an AEAD operation (see the top of the file). */
#define AEAD_HANDLE(op) ((uint32_t *)(uintptr_t)(const void *)&(op)->ctx.dummy)

/* Multi-part AEAD: Mbed TLS 2.28 declares it and implements none of it; the
 * partition does (its crypto_aead.c). */
psa_status_t psa_aead_encrypt_setup(psa_aead_operation_t *operation, mbedtls_svc_key_id_t key,
                                    psa_algorithm_t alg)
{
    CALL(AEAD_ENCRYPT_SETUP, A_OP(AEAD_HANDLE(operation)), A_KEY(key), A_U32(alg));
}

psa_status_t psa_aead_decrypt_setup(psa_aead_operation_t *operation, mbedtls_svc_key_id_t key,
                                    psa_algorithm_t alg)
{
    CALL(AEAD_DECRYPT_SETUP, A_OP(AEAD_HANDLE(operation)), A_KEY(key), A_U32(alg));
}

psa_status_t psa_aead_generate_nonce(psa_aead_operation_t *operation, uint8_t *nonce,
                                     size_t nonce_size, size_t *nonce_length)
{
    CALL(AEAD_GENERATE_NONCE, A_OP(AEAD_HANDLE(operation)), A_OUT(nonce, nonce_size, nonce_length));
}

psa_status_t psa_aead_set_nonce(psa_aead_operation_t *operation, const uint8_t *nonce,
                                size_t nonce_length)
{
    CALL(AEAD_SET_NONCE, A_OP(AEAD_HANDLE(operation)), A_IN(nonce, nonce_length));
}

psa_status_t psa_aead_set_lengths(psa_aead_operation_t *operation, size_t ad_length,
                                  size_t plaintext_length)
{
    CALL(AEAD_SET_LENGTHS, A_OP(AEAD_HANDLE(operation)), A_SIZE(ad_length),
         A_SIZE(plaintext_length));
}

psa_status_t psa_aead_update_ad(psa_aead_operation_t *operation, const uint8_t *input,
                                size_t input_length)
{
    CALL(AEAD_UPDATE_AD, A_OP(AEAD_HANDLE(operation)), A_IN(input, input_length));
}

psa_status_t psa_aead_update(psa_aead_operation_t *operation, const uint8_t *input,
                             size_t input_length, uint8_t *output, size_t output_size,
                             size_t *output_length)
{
    CALL(AEAD_UPDATE, A_OP(AEAD_HANDLE(operation)), A_IN(input, input_length),
         A_OUT(output, output_size, output_length));
}

psa_status_t psa_aead_finish(psa_aead_operation_t *operation, uint8_t *ciphertext,
                             size_t ciphertext_size, size_t *ciphertext_length, uint8_t *tag,
                             size_t tag_size, size_t *tag_length)
{
    CALL(AEAD_FINISH, A_OP(AEAD_HANDLE(operation)),
         A_OUT(ciphertext, ciphertext_size, ciphertext_length), A_OUT(tag, tag_size, tag_length));
}

psa_status_t psa_aead_verify(psa_aead_operation_t *operation, uint8_t *plaintext,
                             size_t plaintext_size, size_t *plaintext_length, const uint8_t *tag,
                             size_t tag_length)
{
    CALL(AEAD_VERIFY, A_OP(AEAD_HANDLE(operation)),
         A_OUT(plaintext, plaintext_size, plaintext_length), A_IN(tag, tag_length));
}

psa_status_t psa_aead_abort(psa_aead_operation_t *operation)
{
    if (*AEAD_HANDLE(operation) == 0)
        return PSA_SUCCESS;
    CALL(AEAD_ABORT, A_OP(AEAD_HANDLE(operation)));
}
