/* echo_api.c - client API of the echo service. */
#include "psa_manifest/sid.h"
#include "tfm_echo_api.h"

psa_status_t tfm_echo_service(const uint8_t *data, size_t data_len, uint8_t *out_data,
                              size_t out_len, size_t *out_size)
{
    psa_handle_t h = psa_connect(TFM_ECHO_SERVICE_SID, TFM_ECHO_SERVICE_VERSION);
    psa_invec in = {data, data_len};
    psa_outvec out = {out_data, out_len};
    psa_status_t st;

    if (!PSA_HANDLE_IS_VALID(h))
        return PSA_HANDLE_TO_ERROR(h);
    st = psa_call(h, PSA_IPC_CALL, &in, 1, &out, 1);
    psa_close(h);
    if (out_size != NULL)
        *out_size = st == PSA_SUCCESS ? out.len : 0;
    return st;
}
