/*
 * psa/client.h - the PSA client API (PSA Firmware Framework-M 1.1).
 *
 * Linux applications link libpsa-client to get these functions; secure
 * partitions get them from the partition runtime and may call only the
 * services their manifest lists in "dependencies".
 */
#ifndef PSA_CLIENT_H
#define PSA_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "psa/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The number of elements of the array @p arr, for psa_call()'s in_len/out_len. */
#ifndef IOVEC_LEN
#define IOVEC_LEN(arr) ((uint32_t)(sizeof(arr) / sizeof((arr)[0])))
#endif

/** size_t as the RoT Service environment (a 32-bit Cortex-M) defines it. */
typedef uint32_t rot_size_t;
/** The largest rot_size_t. */
#define ROT_SIZE_MAX UINT32_MAX

/** The FF-M version this implementation provides (1.1). */
#define PSA_FRAMEWORK_VERSION (0x0101u)

/** psa_version() result for an unknown or inaccessible service. */
#define PSA_VERSION_NONE (0u)

/** The null connection handle. */
#define PSA_NULL_HANDLE ((psa_handle_t)0)

/** True if a psa_connect() result is a valid handle rather than an error. */
#define PSA_HANDLE_IS_VALID(handle) ((psa_handle_t)(handle) > 0)

/** Converts an invalid psa_connect() result into its status code. */
#define PSA_HANDLE_TO_ERROR(handle) ((psa_status_t)(handle))

/** The maximum number of input plus output vectors in one psa_call(). */
#define PSA_MAX_IOVEC (4u)

/** The smallest call type psa_call() takes. */
#define PSA_CALL_TYPE_MIN (0)
/** The largest call type psa_call() takes (TF-M packs the type in 16 bits). */
#define PSA_CALL_TYPE_MAX (INT16_MAX)

/** The call type of a plain request; psa_call() types are 0..INT16_MAX. */
#define PSA_IPC_CALL (0)

/** A connection handle, or a stateless service handle from sid.h. */
typedef int32_t psa_handle_t;

/** An input vector: len bytes at base, read by the service. */
typedef struct psa_invec {
    const void *base; /**< start of the input buffer */
    size_t len;       /**< its length in bytes */
} psa_invec;

/** An output vector: room for len bytes at base, written by the service. */
typedef struct psa_outvec {
    void *base; /**< start of the output buffer */
    size_t len; /**< its capacity; after psa_call() the bytes written */
} psa_outvec;

/**
 * Returns the FF-M version of the implementation, PSA_FRAMEWORK_VERSION.
 */
uint32_t psa_framework_version(void);

/**
 * Returns the version of the service @p sid, or PSA_VERSION_NONE if the
 * service does not exist or the caller is not allowed to use it.
 */
uint32_t psa_version(uint32_t sid);

/**
 * Connects to the connection-based service @p sid at @p version.
 *
 * Returns a handle (> 0) on success, or PSA_ERROR_CONNECTION_REFUSED (unknown
 * SID, caller not allowed, version refused by the service's version policy or
 * by the service itself), PSA_ERROR_CONNECTION_BUSY (no room for another
 * connection), or PSA_ERROR_PROGRAMMER_ERROR (the service is stateless).
 * A secure partition is panicked instead of receiving an error.
 */
psa_handle_t psa_connect(uint32_t sid, uint32_t version);

/**
 * Sends a request of @p type (0..INT16_MAX) on @p handle, which is a
 * connection handle or a stateless service handle, and waits for the reply.
 *
 * in_len + out_len must not exceed PSA_MAX_IOVEC.  On return each
 * out_vec[i].len holds the number of bytes the service wrote.  Returns the
 * service's status, or PSA_ERROR_PROGRAMMER_ERROR for an invalid handle or
 * type, too many vectors, or unusable or overlapping vectors.
 */
psa_status_t psa_call(psa_handle_t handle, int32_t type, const psa_invec *in_vec, size_t in_len,
                      psa_outvec *out_vec, size_t out_len);

/**
 * Closes the connection @p handle.  PSA_NULL_HANDLE is a no-op; a stateless
 * or invalid handle is a programmer error.  The service sees
 * PSA_IPC_DISCONNECT and its reply status is ignored.
 */
void psa_close(psa_handle_t handle);

#ifdef __cplusplus
}
#endif

#endif /* PSA_CLIENT_H */
