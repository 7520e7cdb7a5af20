/* attest_api.c - client API of Initial Attestation: one psa_call each. */
#include "psa/client.h"
#include "psa/initial_attestation.h"
#include "psa_manifest/sid.h"
#include "tfm_attest_defs.h"

#define ATTEST_HANDLE TFM_ATTESTATION_SERVICE_HANDLE

psa_status_t psa_initial_attest_get_token(const uint8_t *auth_challenge, size_t challenge_size,
                                          uint8_t *token_buf, size_t token_buf_size,
                                          size_t *token_size)
{
    psa_invec in[] = {{auth_challenge, challenge_size}};
    psa_outvec out[] = {{token_buf, token_buf_size}};
    psa_status_t st;

    if (token_size == NULL)
        return PSA_ERROR_INVALID_ARGUMENT;
    st = psa_call(ATTEST_HANDLE, TFM_ATTEST_GET_TOKEN, in, 1, out, 1);
    *token_size = st == PSA_SUCCESS ? out[0].len : 0;
    return st;
}

psa_status_t psa_initial_attest_get_token_size(size_t challenge_size, size_t *token_size)
{
    psa_invec in[] = {{&challenge_size, sizeof(challenge_size)}};
    psa_outvec out[] = {{token_size, sizeof(*token_size)}};

    if (token_size == NULL)
        return PSA_ERROR_INVALID_ARGUMENT;
    return psa_call(ATTEST_HANDLE, TFM_ATTEST_GET_TOKEN_SIZE, in, 1, out, 1);
}
