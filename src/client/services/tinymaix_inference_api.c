/* tinymaix_inference_api.c - client API of the TinyMaix inference service:
 * one psa_call per function. */
#include "psa_manifest/sid.h"
#include "tfm_tinymaix_inference_api.h"

psa_status_t tfm_tinymaix_open(psa_handle_t *handle)
{
    psa_handle_t h;

    if (handle == NULL)
        return PSA_ERROR_INVALID_ARGUMENT;
    h = psa_connect(TFM_TINYMAIX_INFERENCE_SERVICE_SID, TFM_TINYMAIX_INFERENCE_SERVICE_VERSION);
    *handle = PSA_HANDLE_IS_VALID(h) ? h : PSA_NULL_HANDLE;
    return PSA_HANDLE_IS_VALID(h) ? PSA_SUCCESS : PSA_HANDLE_TO_ERROR(h);
}

void tfm_tinymaix_close(psa_handle_t handle)
{
    psa_close(handle);
}

psa_status_t tfm_tinymaix_load_model(psa_handle_t handle, const uint8_t *sealed, size_t len)
{
    psa_invec in[] = {{sealed, len}};

    if (sealed == NULL)
        return PSA_ERROR_INVALID_ARGUMENT;
    return psa_call(handle, TFM_TINYMAIX_LOAD_MODEL, in, 1, NULL, 0);
}

psa_status_t tfm_tinymaix_set_input(psa_handle_t handle, const uint8_t *image, size_t len)
{
    psa_invec in[] = {{image, len}};

    if (image == NULL)
        return PSA_ERROR_INVALID_ARGUMENT;
    return psa_call(handle, TFM_TINYMAIX_SET_INPUT, in, 1, NULL, 0);
}

psa_status_t tfm_tinymaix_run(psa_handle_t handle)
{
    return psa_call(handle, TFM_TINYMAIX_RUN_INFERENCE, NULL, 0, NULL, 0);
}

psa_status_t tfm_tinymaix_get_output(psa_handle_t handle, float *scores, size_t max,
                                     size_t *classes)
{
    psa_outvec out[] = {{scores, max * sizeof(float)}};
    psa_status_t st;

    if (scores == NULL || classes == NULL || max > SIZE_MAX / sizeof(float))
        return PSA_ERROR_INVALID_ARGUMENT;
    st = psa_call(handle, TFM_TINYMAIX_GET_OUTPUT, NULL, 0, out, 1);
    *classes = st == PSA_SUCCESS ? out[0].len / sizeof(float) : 0;
    return st;
}

psa_status_t tfm_tinymaix_classify(psa_handle_t handle, const uint8_t *images, size_t count,
                                   struct tfm_tinymaix_result *results)
{
    if (images == NULL || results == NULL || count == 0 || count > TFM_TINYMAIX_BATCH_MAX)
        return PSA_ERROR_INVALID_ARGUMENT;
    psa_invec in[] = {{images, count * TFM_TINYMAIX_INPUT_SIZE}};
    psa_outvec out[] = {{results, count * sizeof(*results)}};
    psa_status_t st = psa_call(handle, TFM_TINYMAIX_CLASSIFY, in, 1, out, 1);

    if (st == PSA_SUCCESS && out[0].len != count * sizeof(*results))
        st = PSA_ERROR_COMMUNICATION_FAILURE;
    return st;
}

psa_status_t tfm_tinymaix_seal_model(psa_handle_t handle, const uint8_t *model, size_t len,
                                     uint8_t *sealed, size_t size, size_t *sealed_len)
{
    psa_invec in[] = {{model, len}};
    psa_outvec out[] = {{sealed, size}};
    psa_status_t st;

    if (model == NULL || sealed == NULL || sealed_len == NULL)
        return PSA_ERROR_INVALID_ARGUMENT;
    st = psa_call(handle, TFM_TINYMAIX_SEAL_MODEL, in, 1, out, 1);
    *sealed_len = st == PSA_SUCCESS ? out[0].len : 0;
    return st;
}

psa_status_t tfm_tinymaix_get_model_key(psa_handle_t handle, uint8_t key[TFM_TINYMAIX_KEY_SIZE])
{
    psa_outvec out[] = {{key, TFM_TINYMAIX_KEY_SIZE}};
    psa_status_t st;

    if (key == NULL)
        return PSA_ERROR_INVALID_ARGUMENT;
    st = psa_call(handle, TFM_TINYMAIX_GET_MODEL_KEY, NULL, 0, out, 1);
    if (st == PSA_SUCCESS && out[0].len != TFM_TINYMAIX_KEY_SIZE)
        st = PSA_ERROR_COMMUNICATION_FAILURE;
    return st;
}
