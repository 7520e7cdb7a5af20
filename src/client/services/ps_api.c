/* ps_api.c - client API of Protected Storage: one psa_call each. */
#include "psa/client.h"
#include "psa/protected_storage.h"
#include "psa_manifest/sid.h"
#include "tfm_ps_defs.h"

#define PS_HANDLE TFM_PROTECTED_STORAGE_SERVICE_HANDLE

psa_status_t psa_ps_set(psa_storage_uid_t uid, size_t data_length, const void *p_data,
                        psa_storage_create_flags_t create_flags)
{
    psa_invec in[] = {
        {&uid, sizeof(uid)}, {p_data, data_length}, {&create_flags, sizeof(create_flags)}};

    if (p_data == NULL && data_length != 0)
        return PSA_ERROR_INVALID_ARGUMENT;
    return psa_call(PS_HANDLE, TFM_PS_SET, in, 3, NULL, 0);
}

psa_status_t psa_ps_get(psa_storage_uid_t uid, size_t data_offset, size_t data_size, void *p_data,
                        size_t *p_data_length)
{
    psa_invec in[] = {{&uid, sizeof(uid)}, {&data_offset, sizeof(data_offset)}};
    psa_outvec out[] = {{p_data, data_size}};
    psa_status_t st;

    if (p_data_length == NULL || (p_data == NULL && data_size != 0))
        return PSA_ERROR_INVALID_ARGUMENT;
    st = psa_call(PS_HANDLE, TFM_PS_GET, in, 2, out, 1);
    *p_data_length = st == PSA_SUCCESS ? out[0].len : 0;
    return st;
}

psa_status_t psa_ps_get_info(psa_storage_uid_t uid, struct psa_storage_info_t *p_info)
{
    psa_invec in[] = {{&uid, sizeof(uid)}};
    psa_outvec out[] = {{p_info, sizeof(*p_info)}};

    if (p_info == NULL)
        return PSA_ERROR_INVALID_ARGUMENT;
    return psa_call(PS_HANDLE, TFM_PS_GET_INFO, in, 1, out, 1);
}

psa_status_t psa_ps_remove(psa_storage_uid_t uid)
{
    psa_invec in[] = {{&uid, sizeof(uid)}};

    return psa_call(PS_HANDLE, TFM_PS_REMOVE, in, 1, NULL, 0);
}

psa_status_t psa_ps_create(psa_storage_uid_t uid, size_t capacity,
                           psa_storage_create_flags_t create_flags)
{
    psa_invec in[] = {
        {&uid, sizeof(uid)}, {&capacity, sizeof(capacity)}, {&create_flags, sizeof(create_flags)}};

    return psa_call(PS_HANDLE, PARTIX_PS_CREATE, in, 3, NULL, 0);
}

psa_status_t psa_ps_set_extended(psa_storage_uid_t uid, size_t data_offset, size_t data_length,
                                 const void *p_data)
{
    psa_invec in[] = {
        {&uid, sizeof(uid)}, {&data_offset, sizeof(data_offset)}, {p_data, data_length}};

    if (p_data == NULL && data_length != 0)
        return PSA_ERROR_INVALID_ARGUMENT;
    return psa_call(PS_HANDLE, PARTIX_PS_SET_EXTENDED, in, 3, NULL, 0);
}

uint32_t psa_ps_get_support(void)
{
    uint32_t support = 0;
    psa_outvec out[] = {{&support, sizeof(support)}};

    /* the API has no status: a failed call reports nothing supported */
    if (psa_call(PS_HANDLE, TFM_PS_GET_SUPPORT, NULL, 0, out, 1) != PSA_SUCCESS)
        return 0;
    return support;
}
