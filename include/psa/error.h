/*
 * psa/error.h - PSA status codes (PSA Firmware Framework-M 1.1).
 *
 * Mbed TLS's <psa/crypto.h> defines psa_status_t and several of these codes
 * as well.  The typedef is guarded on PSA_SUCCESS exactly as Mbed TLS guards
 * its own, and every shared macro is spelled token for token as Mbed TLS 2.28
 * spells it, so the two headers may be included in either order.
 */
#ifndef PSA_ERROR_H
#define PSA_ERROR_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef PSA_SUCCESS
/** Function return status: PSA_SUCCESS (0) or a negative error code. */
typedef int32_t psa_status_t;
#endif

/** The operation completed successfully. */
#define PSA_SUCCESS ((psa_status_t)0)

/** The caller broke an FF-M rule; a secure caller is panicked instead. */
#define PSA_ERROR_PROGRAMMER_ERROR ((psa_status_t)-129)
/** The service refused the connection (unknown SID, policy, version). */
#define PSA_ERROR_CONNECTION_REFUSED ((psa_status_t)-130)
/** The service cannot accept another connection now. */
#define PSA_ERROR_CONNECTION_BUSY ((psa_status_t)-131)
/** An error without a more specific code. */
#define PSA_ERROR_GENERIC_ERROR ((psa_status_t)-132)
/** The caller is not permitted to perform the operation. */
#define PSA_ERROR_NOT_PERMITTED ((psa_status_t)-133)
/** The operation or a parameter value is not supported. */
#define PSA_ERROR_NOT_SUPPORTED ((psa_status_t)-134)
/** A parameter is invalid. */
#define PSA_ERROR_INVALID_ARGUMENT ((psa_status_t)-135)
/** A handle parameter is not valid. */
#define PSA_ERROR_INVALID_HANDLE ((psa_status_t)-136)
/** The operation is not valid in the current state. */
#define PSA_ERROR_BAD_STATE ((psa_status_t)-137)
/** An output buffer is too small. */
#define PSA_ERROR_BUFFER_TOO_SMALL ((psa_status_t)-138)
/** The item to create already exists. */
#define PSA_ERROR_ALREADY_EXISTS ((psa_status_t)-139)
/** The item to access does not exist. */
#define PSA_ERROR_DOES_NOT_EXIST ((psa_status_t)-140)
/** Not enough runtime memory. */
#define PSA_ERROR_INSUFFICIENT_MEMORY ((psa_status_t)-141)
/** Not enough persistent storage. */
#define PSA_ERROR_INSUFFICIENT_STORAGE ((psa_status_t)-142)
/** A data source holds too little data. */
#define PSA_ERROR_INSUFFICIENT_DATA ((psa_status_t)-143)
/** The service failed while handling the request. */
#define PSA_ERROR_SERVICE_FAILURE ((psa_status_t)-144)
/** Communication with another component failed. */
#define PSA_ERROR_COMMUNICATION_FAILURE ((psa_status_t)-145)
/** The storage medium failed. */
#define PSA_ERROR_STORAGE_FAILURE ((psa_status_t)-146)
/** A hardware failure was detected. */
#define PSA_ERROR_HARDWARE_FAILURE ((psa_status_t)-147)
/** Not enough entropy was available (PSA Crypto). */
#define PSA_ERROR_INSUFFICIENT_ENTROPY ((psa_status_t)-148)
/** A signature, MAC or hash is incorrect. */
#define PSA_ERROR_INVALID_SIGNATURE ((psa_status_t)-149)
/** Decrypted padding is incorrect (PSA Crypto). */
#define PSA_ERROR_INVALID_PADDING ((psa_status_t)-150)
/** A tampering attempt or an internal inconsistency was detected. */
#define PSA_ERROR_CORRUPTION_DETECTED ((psa_status_t)-151)
/** Stored data has been corrupted. */
#define PSA_ERROR_DATA_CORRUPT ((psa_status_t)-152)
/** Data read from storage is not valid for the implementation. */
#define PSA_ERROR_DATA_INVALID ((psa_status_t)-153)
#ifndef PSA_OPERATION_INCOMPLETE
/** An interruptible operation has more work to do: call it again. */
#define PSA_OPERATION_INCOMPLETE ((psa_status_t)-248)
#endif

#ifdef __cplusplus
}
#endif

#endif /* PSA_ERROR_H */
