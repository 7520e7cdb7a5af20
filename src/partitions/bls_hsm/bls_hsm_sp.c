/*
 * bls_hsm_sp.c - the BLS HSM partition (PARTIX_SP_BLS_HSM, SFN model): each
 * call type of bls_hsm_defs.h checks its vectors' sizes, reads them, and
 * calls the keystore (bls_hsm.c) with the caller's client id, which the SPM
 * sets from the kernel's word on the caller, never from what it sent.
 * Secret inputs (an imported key, a seed) are wiped from this partition's
 * memory after use; no reply carries a secret key.
 */
#include <stdbool.h>
#include <string.h>

#include "bls_hsm.h"
#include "bls_hsm_defs.h"
#include "psa/service.h"
#include "psa_manifest/partix_bls_hsm.h"
#include "tfm_sp_log.h"

static uint8_t msg_buf[TFM_BLS_HSM_MAX_MSG];

/* the manifest's entry_init: TF-M's generated header does not declare it */
psa_status_t partix_bls_hsm_init(void);
psa_status_t partix_bls_hsm_init(void)
{
    /* ITS may not be ready yet: the keystore loads on first use. */
    bls_hsm_setup(&bls_hsm_its_store);
    LOG_INFFMT("[BLS HSM] ready: %d key slots\n", TFM_BLS_HSM_KEYSTORE_SIZE);
    return PSA_SUCCESS;
}

/* A u32 index in in_vec[0]. */
static psa_status_t read_index(const psa_msg_t *msg, uint32_t *index)
{
    if (msg->in_size[0] != sizeof(*index) ||
        psa_read(msg->handle, 0, index, sizeof(*index)) != sizeof(*index))
        return PSA_ERROR_INVALID_ARGUMENT;
    return PSA_SUCCESS;
}

/* (@p index by pointer: read after the call that sets it) */
static psa_status_t reply_index(const psa_msg_t *msg, psa_status_t st, const uint32_t *index)
{
    if (st == PSA_SUCCESS)
        psa_write(msg->handle, 0, index, sizeof(*index));
    return st;
}

static psa_status_t keystore_size_req(const psa_msg_t *msg)
{
    uint32_t n[2];
    psa_status_t st;

    if (msg->out_size[0] < sizeof(n))
        return PSA_ERROR_BUFFER_TOO_SMALL;
    if ((st = bls_hsm_get_keystore(msg->client_id, &n[0], &n[1])) == PSA_SUCCESS)
        psa_write(msg->handle, 0, n, sizeof(n));
    return st;
}

static psa_status_t keygen_req(const psa_msg_t *msg)
{
    uint8_t info[TFM_BLS_HSM_MAX_INFO];
    size_t n = msg->in_size[0];
    uint32_t index = 0;

    if (n > sizeof(info))
        return PSA_ERROR_INVALID_ARGUMENT;
    if (msg->out_size[0] < sizeof(index))
        return PSA_ERROR_BUFFER_TOO_SMALL;
    if (psa_read(msg->handle, 0, info, n) != n)
        return PSA_ERROR_INVALID_ARGUMENT;
    return reply_index(msg, bls_hsm_secure_keygen(msg->client_id, info, n, &index), &index);
}

static psa_status_t get_key_req(const psa_msg_t *msg)
{
    uint8_t pk[TFM_BLS_HSM_PK_LEN];
    uint32_t index;
    psa_status_t st;

    if ((st = read_index(msg, &index)) != PSA_SUCCESS)
        return st;
    if (msg->out_size[0] < sizeof(pk))
        return PSA_ERROR_BUFFER_TOO_SMALL;
    if ((st = bls_hsm_get_key(msg->client_id, index, pk)) == PSA_SUCCESS)
        psa_write(msg->handle, 0, pk, sizeof(pk));
    return st;
}

static psa_status_t sign_req(const psa_msg_t *msg)
{
    uint8_t sig[TFM_BLS_HSM_SIG_LEN];
    size_t n = msg->in_size[1];
    uint32_t index;
    psa_status_t st;

    if ((st = read_index(msg, &index)) != PSA_SUCCESS)
        return st;
    if (n > sizeof(msg_buf))
        return PSA_ERROR_INVALID_ARGUMENT;
    if (msg->out_size[0] < sizeof(sig))
        return PSA_ERROR_BUFFER_TOO_SMALL;
    if (psa_read(msg->handle, 1, msg_buf, n) != n)
        return PSA_ERROR_INVALID_ARGUMENT;
    if ((st = bls_hsm_sign(msg->client_id, index, msg_buf, n, sig)) == PSA_SUCCESS)
        psa_write(msg->handle, 0, sig, sizeof(sig));
    return st;
}

static psa_status_t import_key_req(const psa_msg_t *msg)
{
    uint8_t sk[TFM_BLS_HSM_SK_LEN];
    uint32_t index = 0;
    psa_status_t st = PSA_ERROR_INVALID_ARGUMENT;

    if (msg->out_size[0] < sizeof(index))
        return PSA_ERROR_BUFFER_TOO_SMALL;
    if (msg->in_size[0] == sizeof(sk) && psa_read(msg->handle, 0, sk, sizeof(sk)) == sizeof(sk))
        st = bls_hsm_import_key(msg->client_id, sk, &index);
    explicit_bzero(sk, sizeof(sk));
    return reply_index(msg, st, &index);
}

static psa_status_t import_seed_req(const psa_msg_t *msg)
{
    uint8_t seed[TFM_BLS_HSM_MAX_SEED];
    size_t n = msg->in_size[0];
    uint32_t index = 0;
    psa_status_t st = PSA_ERROR_INVALID_ARGUMENT;

    if (msg->out_size[0] < sizeof(index))
        return PSA_ERROR_BUFFER_TOO_SMALL;
    if (n >= TFM_BLS_HSM_MIN_SEED && n <= sizeof(seed) && psa_read(msg->handle, 0, seed, n) == n)
        st = bls_hsm_import_seed(msg->client_id, seed, n, &index);
    explicit_bzero(seed, sizeof(seed));
    return reply_index(msg, st, &index);
}

static psa_status_t delete_key_req(const psa_msg_t *msg)
{
    uint32_t index;
    psa_status_t st = read_index(msg, &index);

    return st == PSA_SUCCESS ? bls_hsm_delete_key(msg->client_id, index) : st;
}

/* Whether @p msg carries a non-empty vector past the @p n_in inputs and
 * @p n_out outputs of its call type: a malformed call, refused. */
static bool extra_vectors(const psa_msg_t *msg, size_t n_in, size_t n_out)
{
    size_t i;

    for (i = n_in; i < PSA_MAX_IOVEC; i++)
        if (msg->in_size[i] != 0)
            return true;
    for (i = n_out; i < PSA_MAX_IOVEC; i++)
        if (msg->out_size[i] != 0)
            return true;
    return false;
}

psa_status_t partix_bls_hsm_sfn(const psa_msg_t *msg)
{
    /* inputs and outputs of each call type (bls_hsm_defs.h) */
    size_t n_in = msg->type == BLS_HSM_GET_KEYSTORE_SIZE ? 0 : msg->type == BLS_HSM_SIGN ? 2 : 1;
    size_t n_out = msg->type == BLS_HSM_DELETE_KEY ? 0 : 1;

    if (extra_vectors(msg, n_in, n_out))
        return PSA_ERROR_INVALID_ARGUMENT;
    switch (msg->type) {
    case BLS_HSM_GET_KEYSTORE_SIZE:
        return keystore_size_req(msg);
    case BLS_HSM_SECURE_KEYGEN:
        return keygen_req(msg);
    case BLS_HSM_GET_KEY:
        return get_key_req(msg);
    case BLS_HSM_SIGN:
        return sign_req(msg);
    case BLS_HSM_IMPORT_KEY:
        return import_key_req(msg);
    case BLS_HSM_IMPORT_SEED:
        return import_seed_req(msg);
    case BLS_HSM_DELETE_KEY:
        return delete_key_req(msg);
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}
