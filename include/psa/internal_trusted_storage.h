/*
 * psa/internal_trusted_storage.h - the PSA Internal Trusted Storage API:
 * small secrets (keys, counters, configuration) kept by a PSA Root of Trust
 * partition, each caller in a namespace of its own.  Under partix the
 * caller is the Linux user (docs/services.md).
 */
#ifndef PSA_INTERNAL_TRUSTED_STORAGE_H
#define PSA_INTERNAL_TRUSTED_STORAGE_H

#include <stddef.h>
#include <stdint.h>

#include "psa/error.h"
#include "psa/storage_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The version of the ITS API this header describes (1.0). */
#define PSA_ITS_API_VERSION_MAJOR 1
#define PSA_ITS_API_VERSION_MINOR 0

/**
 * Creates entry @p uid, or replaces its value, with @p data_length bytes
 * from @p p_data.  The write is atomic: a later get sees the old value or
 * the new one, never a mix.
 *
 * @return PSA_SUCCESS; PSA_ERROR_INVALID_ARGUMENT (uid 0, bad pointer);
 *         PSA_ERROR_NOT_PERMITTED (the entry is WRITE_ONCE);
 *         PSA_ERROR_NOT_SUPPORTED (an unknown flag);
 *         PSA_ERROR_INSUFFICIENT_STORAGE; PSA_ERROR_STORAGE_FAILURE.
 */
psa_status_t psa_its_set(psa_storage_uid_t uid, size_t data_length, const void *p_data,
                         psa_storage_create_flags_t create_flags);

/**
 * Copies up to @p data_size bytes of entry @p uid, starting at byte
 * @p data_offset, to @p p_data; *p_data_length says how many were copied.
 *
 * @return PSA_SUCCESS; PSA_ERROR_DOES_NOT_EXIST; PSA_ERROR_INVALID_ARGUMENT
 *         (uid 0, data_offset past the entry's size, bad pointer);
 *         PSA_ERROR_DATA_CORRUPT; PSA_ERROR_STORAGE_FAILURE.
 */
psa_status_t psa_its_get(psa_storage_uid_t uid, size_t data_offset, size_t data_size, void *p_data,
                         size_t *p_data_length);

/**
 * Reports the size and flags of entry @p uid.
 *
 * @return PSA_SUCCESS; PSA_ERROR_DOES_NOT_EXIST; PSA_ERROR_INVALID_ARGUMENT.
 */
psa_status_t psa_its_get_info(psa_storage_uid_t uid, struct psa_storage_info_t *p_info);

/**
 * Removes entry @p uid.
 *
 * @return PSA_SUCCESS; PSA_ERROR_DOES_NOT_EXIST; PSA_ERROR_NOT_PERMITTED
 *         (WRITE_ONCE); PSA_ERROR_INVALID_ARGUMENT; PSA_ERROR_STORAGE_FAILURE.
 */
psa_status_t psa_its_remove(psa_storage_uid_t uid);

#ifdef __cplusplus
}
#endif

#endif /* PSA_INTERNAL_TRUSTED_STORAGE_H */
