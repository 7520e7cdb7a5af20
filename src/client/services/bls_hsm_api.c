/* bls_hsm_api.c - client API of the BLS HSM partition: one psa_call each,
 * on the stateless handle; the client only marshals (no BLS code here). */
#include "bls_hsm_defs.h"
#include "psa/client.h"
#include "psa_manifest/sid.h"
#include "tfm_bls_hsm_api.h"

#define BLS_HSM_HANDLE PARTIX_BLS_HSM_HANDLE

psa_status_t tfm_get_keystore_size(uint32_t *keys, uint32_t *free_slots)
{
    uint32_t n[2] = {0, 0};
    psa_outvec out[] = {{n, sizeof(n)}};
    psa_status_t st;

    if (keys == NULL || free_slots == NULL)
        return PSA_ERROR_INVALID_ARGUMENT;
    st = psa_call(BLS_HSM_HANDLE, BLS_HSM_GET_KEYSTORE_SIZE, NULL, 0, out, 1);
    if (st == PSA_SUCCESS && out[0].len != sizeof(n))
        st = PSA_ERROR_COMMUNICATION_FAILURE;
    *keys = st == PSA_SUCCESS ? n[0] : 0;
    *free_slots = st == PSA_SUCCESS ? n[1] : 0;
    return st;
}

/* One call whose reply is a u32 index. */
static psa_status_t index_call(int32_t type, const void *in, size_t in_len, uint32_t *index)
{
    psa_invec iv[] = {{in, in_len}};
    psa_outvec out[] = {{index, sizeof(*index)}};
    psa_status_t st;

    if (index == NULL || (in == NULL && in_len > 0))
        return PSA_ERROR_INVALID_ARGUMENT;
    st = psa_call(BLS_HSM_HANDLE, type, iv, 1, out, 1);
    if (st == PSA_SUCCESS && out[0].len != sizeof(*index))
        st = PSA_ERROR_COMMUNICATION_FAILURE;
    return st;
}

psa_status_t tfm_secure_keygen(const uint8_t *key_info, size_t info_len, uint32_t *index)
{
    return index_call(BLS_HSM_SECURE_KEYGEN, key_info, info_len, index);
}

psa_status_t tfm_get_key(uint32_t index, uint8_t pk[TFM_BLS_HSM_PK_LEN])
{
    psa_invec in[] = {{&index, sizeof(index)}};
    psa_outvec out[] = {{pk, TFM_BLS_HSM_PK_LEN}};
    psa_status_t st;

    if (pk == NULL)
        return PSA_ERROR_INVALID_ARGUMENT;
    st = psa_call(BLS_HSM_HANDLE, BLS_HSM_GET_KEY, in, 1, out, 1);
    return st == PSA_SUCCESS && out[0].len != TFM_BLS_HSM_PK_LEN ? PSA_ERROR_COMMUNICATION_FAILURE
                                                                 : st;
}

psa_status_t tfm_bls_sign(uint32_t index, const uint8_t *msg, size_t msg_len,
                          uint8_t sig[TFM_BLS_HSM_SIG_LEN])
{
    psa_invec in[] = {{&index, sizeof(index)}, {msg, msg_len}};
    psa_outvec out[] = {{sig, TFM_BLS_HSM_SIG_LEN}};
    psa_status_t st;

    if (sig == NULL || (msg == NULL && msg_len > 0))
        return PSA_ERROR_INVALID_ARGUMENT;
    st = psa_call(BLS_HSM_HANDLE, BLS_HSM_SIGN, in, 2, out, 1);
    return st == PSA_SUCCESS && out[0].len != TFM_BLS_HSM_SIG_LEN ? PSA_ERROR_COMMUNICATION_FAILURE
                                                                  : st;
}

psa_status_t tfm_bls_import_key(const uint8_t sk[TFM_BLS_HSM_SK_LEN], uint32_t *index)
{
    if (sk == NULL)
        return PSA_ERROR_INVALID_ARGUMENT;
    return index_call(BLS_HSM_IMPORT_KEY, sk, TFM_BLS_HSM_SK_LEN, index);
}

psa_status_t tfm_bls_import_seed(const uint8_t *seed, size_t seed_len, uint32_t *index)
{
    if (seed == NULL)
        return PSA_ERROR_INVALID_ARGUMENT;
    return index_call(BLS_HSM_IMPORT_SEED, seed, seed_len, index);
}

psa_status_t tfm_bls_delete_key(uint32_t index)
{
    psa_invec in[] = {{&index, sizeof(index)}};

    return psa_call(BLS_HSM_HANDLE, BLS_HSM_DELETE_KEY, in, 1, NULL, 0);
}
