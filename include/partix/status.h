/*
 * partix/status.h - the names of PSA statuses, for messages and logs.
 * Part of libpsa-client (pkg-config psa-client); not an FF-M function, so
 * code that must also build for TF-M keeps it out of its secure side.
 */
#ifndef PARTIX_STATUS_H
#define PARTIX_STATUS_H

#include <stddef.h>

#include "psa/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Returns the name of @p status as <psa/error.h> spells it
 * ("PSA_SUCCESS", "PSA_ERROR_CONNECTION_REFUSED", ...; the PSA Crypto
 * API's codes such as PSA_ERROR_INVALID_PADDING too), or NULL for a value
 * with no PSA name (a service's own positive status, an unknown code).
 * The string is static.
 */
const char *partix_status_name(psa_status_t status);

/**
 * Writes @p status for a human into @p buf (@p size bytes, always
 * terminated if @p size > 0): "PSA_ERROR_CONNECTION_REFUSED (-130)" for a
 * named status, the bare number ("-42", "5") for any other.  Returns the
 * length the whole text has, as snprintf() does, so a result >= @p size
 * means it was cut.  PARTIX_STATUS_TEXT_MAX bytes always hold it.
 */
int partix_status_text(psa_status_t status, char *buf, size_t size);

/** Room for any partix_status_text() result, with its terminating NUL. */
#define PARTIX_STATUS_TEXT_MAX 64

#ifdef __cplusplus
}
#endif

#endif /* PARTIX_STATUS_H */
