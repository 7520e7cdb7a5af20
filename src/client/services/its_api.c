/* its_api.c - client API of Internal Trusted Storage: one psa_call each. */
#include "psa/client.h"
#include "psa/internal_trusted_storage.h"
#include "psa_manifest/sid.h"
#include "tfm_its_defs.h"

#define ITS_HANDLE TFM_INTERNAL_TRUSTED_STORAGE_SERVICE_HANDLE

psa_status_t psa_its_set(psa_storage_uid_t uid, size_t data_length, const void *p_data,
                         psa_storage_create_flags_t create_flags)
{
    psa_invec in[] = {
        {&uid, sizeof(uid)}, {p_data, data_length}, {&create_flags, sizeof(create_flags)}};

    return psa_call(ITS_HANDLE, TFM_ITS_SET, in, 3, NULL, 0);
}

psa_status_t psa_its_get(psa_storage_uid_t uid, size_t data_offset, size_t data_size, void *p_data,
                         size_t *p_data_length)
{
    psa_invec in[] = {{&uid, sizeof(uid)}, {&data_offset, sizeof(data_offset)}};
    psa_outvec out[] = {{p_data, data_size}};
    psa_status_t st;

    if (p_data_length == NULL)
        return PSA_ERROR_INVALID_ARGUMENT;
    st = psa_call(ITS_HANDLE, TFM_ITS_GET, in, 2, out, 1);
    *p_data_length = st == PSA_SUCCESS ? out[0].len : 0;
    return st;
}

psa_status_t psa_its_get_info(psa_storage_uid_t uid, struct psa_storage_info_t *p_info)
{
    psa_invec in[] = {{&uid, sizeof(uid)}};
    psa_outvec out[] = {{p_info, sizeof(*p_info)}};

    if (p_info == NULL)
        return PSA_ERROR_INVALID_ARGUMENT;
    return psa_call(ITS_HANDLE, TFM_ITS_GET_INFO, in, 1, out, 1);
}

psa_status_t psa_its_remove(psa_storage_uid_t uid)
{
    psa_invec in[] = {{&uid, sizeof(uid)}};

    return psa_call(ITS_HANDLE, TFM_ITS_REMOVE, in, 1, NULL, 0);
}
