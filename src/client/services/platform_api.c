/*
 * platform_api.c - client API of the Platform service: one psa_call each,
 * a PSA error of the call itself reported as TFM_PLATFORM_ERR_SYSTEM_ERROR
 * (as TF-M's non-secure interface does).
 */
#include "psa/client.h"
#include "psa_manifest/sid.h"
#include "tfm_platform_api.h"

#define PLATFORM_HANDLE TFM_PLATFORM_SERVICE_HANDLE

static enum tfm_platform_err_t result(psa_status_t st)
{
    return st < PSA_SUCCESS ? TFM_PLATFORM_ERR_SYSTEM_ERROR : (enum tfm_platform_err_t)st;
}

enum tfm_platform_err_t tfm_platform_system_reset(void)
{
    return result(psa_call(PLATFORM_HANDLE, TFM_PLATFORM_API_ID_SYSTEM_RESET, NULL, 0, NULL, 0));
}

enum tfm_platform_err_t tfm_platform_ioctl(tfm_platform_ioctl_req_t request, psa_invec *input,
                                           psa_outvec *output)
{
    psa_invec in[] = {{&request, sizeof(request)}, {NULL, 0}};

    if (input != NULL)
        in[1] = *input;
    return result(psa_call(PLATFORM_HANDLE, TFM_PLATFORM_API_ID_IOCTL, in, input != NULL ? 2 : 1,
                           output, output != NULL ? 1 : 0));
}

enum tfm_platform_err_t tfm_platform_nv_counter_increment(uint32_t counter_id)
{
    psa_invec in[] = {{&counter_id, sizeof(counter_id)}};

    return result(psa_call(PLATFORM_HANDLE, TFM_PLATFORM_API_ID_NV_INCREMENT, in, 1, NULL, 0));
}

enum tfm_platform_err_t tfm_platform_nv_counter_read(uint32_t counter_id, uint32_t size,
                                                     uint8_t *val)
{
    psa_invec in[] = {{&counter_id, sizeof(counter_id)}};
    psa_outvec out[] = {{val, size}};

    return result(psa_call(PLATFORM_HANDLE, TFM_PLATFORM_API_ID_NV_READ, in, 1, out, 1));
}
