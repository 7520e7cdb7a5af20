/* my_custom_service_api.c - client API of the custom example service. */
#include "psa_manifest/sid.h"
#include "tfm_my_custom_service_api.h"

static tfm_my_custom_service_status_t result_of(psa_status_t st)
{
    if (st == PSA_SUCCESS)
        return TFM_MY_CUSTOM_SERVICE_SUCCESS;
    if (st == PSA_ERROR_INVALID_ARGUMENT)
        return TFM_MY_CUSTOM_SERVICE_ERROR_INVALID_PARAM;
    return TFM_MY_CUSTOM_SERVICE_ERROR_GENERIC;
}

static psa_status_t call(int32_t type, const psa_invec *in, psa_outvec *out)
{
    psa_handle_t h = psa_connect(TFM_MY_CUSTOM_SERVICE_SID, TFM_MY_CUSTOM_SERVICE_VERSION);
    psa_status_t st;

    if (!PSA_HANDLE_IS_VALID(h))
        return PSA_HANDLE_TO_ERROR(h);
    st = psa_call(h, type, in, 1, out, 1);
    psa_close(h);
    return st;
}

tfm_my_custom_service_status_t tfm_my_custom_service_foo(const uint8_t *input_data,
                                                         size_t input_size, uint8_t *output_data,
                                                         size_t *output_size)
{
    psa_status_t st;

    if (input_data == NULL || output_data == NULL || output_size == NULL)
        return TFM_MY_CUSTOM_SERVICE_ERROR_INVALID_PARAM;
    psa_invec in = {input_data, input_size};
    psa_outvec out = {output_data, *output_size};

    st = call(MY_SERVICE_IPC_OPERATION_FOO, &in, &out);
    if (st == PSA_SUCCESS)
        *output_size = out.len;
    return result_of(st);
}

tfm_my_custom_service_status_t tfm_my_custom_service_bar(int32_t param, int32_t *result)
{
    if (result == NULL)
        return TFM_MY_CUSTOM_SERVICE_ERROR_INVALID_PARAM;
    psa_invec in = {&param, sizeof(param)};
    psa_outvec out = {result, sizeof(*result)};

    return result_of(call(MY_SERVICE_IPC_OPERATION_BAR, &in, &out));
}
