/*
 * attest_req.c - the Initial Attestation service: TF-M's call types and
 * vectors (tfm_attest_defs.h), each size checked before anything is read.
 * The caller's client id, as the SPM gives it, goes into the token.
 */
#include <stdbool.h>

#include "attest.h"
#include "psa/initial_attestation.h"
#include "psa/service.h"
#include "psa_manifest/tfm_initial_attestation.h"
#include "tfm_attest_defs.h"

/* The caller's size_t: 8 bytes on the host, 4 from a 32-bit build. */
static bool size_t_len(size_t n)
{
    return n == sizeof(uint32_t) || n == sizeof(uint64_t);
}

static bool challenge_size_ok(uint64_t n)
{
    return n == PSA_INITIAL_ATTEST_CHALLENGE_SIZE_32 || n == PSA_INITIAL_ATTEST_CHALLENGE_SIZE_48 ||
           n == PSA_INITIAL_ATTEST_CHALLENGE_SIZE_64;
}

/* Exactly one input and one output vector; the rest empty. */
static bool one_in_one_out(const psa_msg_t *msg)
{
    size_t i;

    for (i = 1; i < PSA_MAX_IOVEC; i++)
        if (msg->in_size[i] != 0 || msg->out_size[i] != 0)
            return false;
    return true;
}

static psa_status_t get_token_req(const psa_msg_t *msg)
{
    static uint8_t token[PSA_INITIAL_ATTEST_MAX_TOKEN_SIZE];
    uint8_t challenge[PSA_INITIAL_ATTEST_CHALLENGE_SIZE_64];
    size_t n = msg->in_size[0], len;
    psa_status_t st;

    /* no buffer at all is INVALID_ARGUMENT, TF-M's answer and the PSA
     * conformance suite's; a buffer too small is BUFFER_TOO_SMALL */
    if (!one_in_one_out(msg) || !challenge_size_ok(n) || msg->out_size[0] == 0 ||
        psa_read(msg->handle, 0, challenge, n) != n)
        return PSA_ERROR_INVALID_ARGUMENT;
    st = attest_token(challenge, n, msg->client_id, token, sizeof(token), &len);
    if (st != PSA_SUCCESS)
        return st;
    if (len > msg->out_size[0])
        return PSA_ERROR_BUFFER_TOO_SMALL;
    psa_write(msg->handle, 0, token, len);
    return PSA_SUCCESS;
}

static psa_status_t get_token_size_req(const psa_msg_t *msg)
{
    static const uint8_t zeros[PSA_INITIAL_ATTEST_CHALLENGE_SIZE_64];
    uint64_t n = 0;
    size_t len;
    psa_status_t st;

    if (!one_in_one_out(msg) || !size_t_len(msg->in_size[0]) || !size_t_len(msg->out_size[0]) ||
        psa_read(msg->handle, 0, &n, msg->in_size[0]) != msg->in_size[0] || !challenge_size_ok(n))
        return PSA_ERROR_INVALID_ARGUMENT;
    /* the size depends on the challenge's length, not on its bytes */
    st = attest_token(zeros, (size_t)n, msg->client_id, NULL, 0, &len);
    if (st != PSA_SUCCESS)
        return st;
    if (msg->out_size[0] == sizeof(uint32_t)) {
        uint32_t len32 = (uint32_t)len;

        psa_write(msg->handle, 0, &len32, sizeof(len32));
    } else {
        uint64_t len64 = len;

        psa_write(msg->handle, 0, &len64, sizeof(len64));
    }
    return PSA_SUCCESS;
}

/* the manifest's entry_init: TF-M's generated header does not declare it */
psa_status_t attest_partition_init(void);
psa_status_t attest_partition_init(void)
{
    return attest_token_init();
}

psa_status_t tfm_attestation_service_sfn(const psa_msg_t *msg)
{
    switch (msg->type) {
    case TFM_ATTEST_GET_TOKEN:
        return get_token_req(msg);
    case TFM_ATTEST_GET_TOKEN_SIZE:
        return get_token_size_req(msg);
    default:
        return PSA_ERROR_NOT_SUPPORTED;
    }
}
