/*
 * psa/protected_storage.h - the PSA Protected Storage API (PSA Storage API
 * 1.0): data kept by a Root of Trust service, encrypted and authenticated
 * at rest, each caller in a namespace of its own.  Under partix the caller
 * is the Linux user, and the data is sealed with a key derived from the
 * device's hardware unique key (docs/services.md).
 */
#ifndef PSA_PROTECTED_STORAGE_H
#define PSA_PROTECTED_STORAGE_H

#include <stddef.h>
#include <stdint.h>

#include "psa/error.h"
#include "psa/storage_common.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The version of the PS API this header describes (1.0). */
#define PSA_PS_API_VERSION_MAJOR 1
#define PSA_PS_API_VERSION_MINOR 0

/** psa_ps_get_support(): psa_ps_create() and psa_ps_set_extended() work.
 *  The PS API's pre-1.0 name for PSA_STORAGE_SUPPORT_SET_EXTENDED. */
#define PSA_PS_SUPPORT_SET_EXTENDED PSA_STORAGE_SUPPORT_SET_EXTENDED

/**
 * Creates object @p uid, or replaces its value, with @p data_length bytes
 * from @p p_data and the properties in @p create_flags.  The write is
 * atomic and durable: a later get sees the old value or the new one, never
 * a mix, and a set that succeeded survives a crash.
 *
 * @return PSA_SUCCESS; PSA_ERROR_INVALID_ARGUMENT (uid 0, p_data NULL with
 *         a nonzero length); PSA_ERROR_NOT_PERMITTED (the object is
 *         WRITE_ONCE); PSA_ERROR_NOT_SUPPORTED (a flag this API does not
 *         define); PSA_ERROR_INSUFFICIENT_STORAGE;
 *         PSA_ERROR_STORAGE_FAILURE.
 */
psa_status_t psa_ps_set(psa_storage_uid_t uid, size_t data_length, const void *p_data,
                        psa_storage_create_flags_t create_flags);

/**
 * Copies up to @p data_size bytes of object @p uid, starting at byte
 * @p data_offset, to @p p_data; *p_data_length says how many were copied.
 * The object's stored copy is authenticated first.
 *
 * @return PSA_SUCCESS; PSA_ERROR_DOES_NOT_EXIST; PSA_ERROR_INVALID_ARGUMENT
 *         (uid 0, data_offset past the object's size, a NULL pointer);
 *         PSA_ERROR_INVALID_SIGNATURE (the stored copy fails
 *         authentication: changed, another object's, or an older copy);
 *         PSA_ERROR_DATA_CORRUPT (the stored copy is missing or not whole);
 *         PSA_ERROR_STORAGE_FAILURE.
 */
psa_status_t psa_ps_get(psa_storage_uid_t uid, size_t data_offset, size_t data_size, void *p_data,
                        size_t *p_data_length);

/**
 * Reports the capacity, size and flags of object @p uid.
 *
 * @return PSA_SUCCESS; PSA_ERROR_DOES_NOT_EXIST; PSA_ERROR_INVALID_ARGUMENT
 *         (uid 0, p_info NULL); PSA_ERROR_DATA_CORRUPT (the service's table
 *         of objects failed its checks).
 */
psa_status_t psa_ps_get_info(psa_storage_uid_t uid, struct psa_storage_info_t *p_info);

/**
 * Removes object @p uid.
 *
 * @return PSA_SUCCESS; PSA_ERROR_DOES_NOT_EXIST; PSA_ERROR_NOT_PERMITTED
 *         (WRITE_ONCE); PSA_ERROR_INVALID_ARGUMENT (uid 0);
 *         PSA_ERROR_STORAGE_FAILURE.
 */
psa_status_t psa_ps_remove(psa_storage_uid_t uid);

/**
 * Reserves @p capacity bytes for a new object, to be written with
 * psa_ps_set_extended().  Optional in the API and not offered by partix:
 * psa_ps_get_support() does not report PSA_STORAGE_SUPPORT_SET_EXTENDED.
 *
 * @return PSA_ERROR_NOT_SUPPORTED.
 */
psa_status_t psa_ps_create(psa_storage_uid_t uid, size_t capacity,
                           psa_storage_create_flags_t create_flags);

/**
 * Writes @p data_length bytes at @p data_offset of an object made with
 * psa_ps_create().  Optional in the API and not offered by partix.
 *
 * @return PSA_ERROR_NOT_SUPPORTED.
 */
psa_status_t psa_ps_set_extended(psa_storage_uid_t uid, size_t data_offset, size_t data_length,
                                 const void *p_data);

/**
 * The optional features the service offers, as PSA_STORAGE_SUPPORT_* bits:
 * 0 under partix (and 0 when the service cannot be reached).
 */
uint32_t psa_ps_get_support(void);

#ifdef __cplusplus
}
#endif

#endif /* PSA_PROTECTED_STORAGE_H */
