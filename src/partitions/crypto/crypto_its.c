/*
 * crypto_its.c - Mbed TLS's key storage on the Internal Trusted Storage
 * partition.  Mbed TLS 2.28 stores persistent key K through psa_its_set/
 * get/get_info/remove with uid K; these definitions make each of them one
 * psa_call from this partition to ITS (its manifest dependency), so the keys
 * live in this partition's ITS namespace (client id 259), as on TF-M.
 *
 * Linking: the partition links libmbedcrypto.a, not the shared library
 * (partitions.mk).  Debian's libmbedcrypto.so defines psa_its_* too (its
 * file backend, MBEDTLS_PSA_ITS_FILE_C) and calls them through its PLT
 * (R_X86_64_JUMP_SLOT relocations, no -Bsymbolic), so definitions in the
 * executable would interpose today; but that rests on how the .so is built
 * and on run-time symbol lookup, and if either changed, Mbed TLS would
 * quietly call its file backend (which the sandbox denies) instead of this
 * file.  With the static library, the link binds Mbed TLS's calls to these
 * definitions: psa_its_file.o is never pulled in, and a clash would be a
 * link error, not a different backend at run time.
 *
 * The prototypes are Mbed TLS's (crypto_sp.h), not <psa/internal_trusted_
 * storage.h>'s: 32-bit lengths and a two-field info struct, converted here
 * to TF-M's vectors.
 */
#include "crypto_sp.h"
#include "psa_manifest/sid.h"
#include "tfm_its_defs.h"

#define ITS_HANDLE TFM_INTERNAL_TRUSTED_STORAGE_SERVICE_HANDLE

/* What ITS's get_info writes: TF-M's struct psa_storage_info_t
 * (include/psa/storage_common.h), which this file cannot include. */
struct its_info {
    size_t capacity;
    size_t size;
    uint32_t flags;
};

static psa_status_t failure;

void cits_reset(void)
{
    failure = PSA_SUCCESS;
}

psa_status_t cits_failure(void)
{
    return failure;
}

/* ITS unreachable (restarting, or out of service) is, to Mbed TLS and its
 * callers, a storage failure. */
static psa_status_t seen(psa_status_t st)
{
    if (st == PSA_ERROR_COMMUNICATION_FAILURE)
        st = PSA_ERROR_STORAGE_FAILURE;
    if (st != PSA_SUCCESS && st != PSA_ERROR_DOES_NOT_EXIST && failure == PSA_SUCCESS)
        failure = st;
    return st;
}

psa_status_t psa_its_set(psa_storage_uid_t uid, uint32_t data_length, const void *p_data,
                         uint32_t create_flags)
{
    psa_invec in[] = {
        {&uid, sizeof(uid)}, {p_data, data_length}, {&create_flags, sizeof(create_flags)}};

    return seen(psa_call(ITS_HANDLE, TFM_ITS_SET, in, 3, NULL, 0));
}

psa_status_t psa_its_get(psa_storage_uid_t uid, uint32_t data_offset, uint32_t data_length,
                         void *p_data, size_t *p_data_length)
{
    uint64_t offset = data_offset;
    psa_invec in[] = {{&uid, sizeof(uid)}, {&offset, sizeof(offset)}};
    psa_outvec out[] = {{p_data, data_length}};
    psa_status_t st = seen(psa_call(ITS_HANDLE, TFM_ITS_GET, in, 2, out, 1));

    *p_data_length = st == PSA_SUCCESS ? out[0].len : 0;
    return st;
}

psa_status_t psa_its_get_info(psa_storage_uid_t uid, struct psa_storage_info_t *p_info)
{
    struct its_info info = {0, 0, 0};
    psa_invec in[] = {{&uid, sizeof(uid)}};
    psa_outvec out[] = {{&info, sizeof(info)}};
    psa_status_t st = seen(psa_call(ITS_HANDLE, TFM_ITS_GET_INFO, in, 1, out, 1));

    if (st == PSA_SUCCESS && (out[0].len != sizeof(info) || info.size > UINT32_MAX))
        st = seen(PSA_ERROR_STORAGE_FAILURE);
    p_info->size = st == PSA_SUCCESS ? (uint32_t)info.size : 0;
    p_info->flags = st == PSA_SUCCESS ? info.flags : 0;
    return st;
}

psa_status_t psa_its_remove(psa_storage_uid_t uid)
{
    psa_invec in[] = {{&uid, sizeof(uid)}};

    return seen(psa_call(ITS_HANDLE, TFM_ITS_REMOVE, in, 1, NULL, 0));
}
