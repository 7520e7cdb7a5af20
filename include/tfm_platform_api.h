/*
 * tfm_platform_api.h - the client API of TF-M's Platform service
 * (TFM_SP_PLATFORM, SID 0x40): non-volatile counters, a system reset, and
 * platform-specific ioctls.  TF-M's names, values and signatures, so code
 * written against TF-M's header builds unchanged; under partix the caller
 * is a Linux program linked with -lpsa-client (docs/services.md).
 */
#ifndef TFM_PLATFORM_API_H
#define TFM_PLATFORM_API_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "psa/client.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The version of TF-M's Platform API this header follows (0.3). */
#define TFM_PLATFORM_API_VERSION_MAJOR (0)
#define TFM_PLATFORM_API_VERSION_MINOR (3)

/* The call types of the service (TF-M's).  1010 and 1011 are confirmed in
 * upstream TF-M's header; 1012 and 1013 only in a vendor copy of it
 * (nrfconnect/sdk-trusted-firmware-m), not in an upstream copy. */
#define TFM_PLATFORM_API_ID_NV_READ (1010)
#define TFM_PLATFORM_API_ID_NV_INCREMENT (1011)
#define TFM_PLATFORM_API_ID_SYSTEM_RESET (1012)
#define TFM_PLATFORM_API_ID_IOCTL (1013)

/** What each call returns (TF-M's values). */
enum tfm_platform_err_t {
    TFM_PLATFORM_ERR_SUCCESS = 0,
    TFM_PLATFORM_ERR_SYSTEM_ERROR,  /**< refused or failed; also every PSA error of the call */
    TFM_PLATFORM_ERR_INVALID_PARAM, /**< a non-secure caller named a counter it has not */
    TFM_PLATFORM_ERR_NOT_SUPPORTED, /**< no such ioctl */
    /* keeps the enum the size of an int */
    TFM_PLATFORM_ERR_FORCE_INT_SIZE = INT_MAX
};

/** An ioctl's request number (platform-specific: partix defines none). */
typedef int32_t tfm_platform_ioctl_req_t;

/**
 * Resets the system: every partition is stopped and started again from
 * its entry point, as after a power-on (the calling Linux program is not
 * reset: it is no part of the simulated chip).  Returns once the
 * partitions have started again, so a call made after it sees fresh
 * partitions; connections made before are dead (docs/faults.md).
 *
 * @return TFM_PLATFORM_ERR_SUCCESS once the reset is over;
 *         TFM_PLATFORM_ERR_SYSTEM_ERROR if it could not be asked for (no
 *         psa-spm, the service out of service).
 */
enum tfm_platform_err_t tfm_platform_system_reset(void);

/**
 * Performs platform-specific service @p request with @p input (or NULL)
 * and @p output (or NULL; output->len becomes the bytes written).
 *
 * @return TFM_PLATFORM_ERR_NOT_SUPPORTED for every request: the host
 *         platform has no ioctls; TFM_PLATFORM_ERR_SYSTEM_ERROR for an
 *         input or output of more than 64 bytes.
 */
enum tfm_platform_err_t tfm_platform_ioctl(tfm_platform_ioctl_req_t request, psa_invec *input,
                                           psa_outvec *output);

/**
 * Increments non-volatile counter @p counter_id by one, durably: once this
 * returns success the new value survives a crash, a system reset and a
 * restart of psa-spm.  A counter never goes down; one at its maximum
 * (UINT32_MAX) is not incremented.
 *
 * A non-secure caller (a Linux program) names a counter by its index among
 * the non-secure counters: 0, 1 or 2 (TF-M's PLAT_NV_COUNTER_NS_0..2).
 * Each Linux user has its own three counters.
 *
 * @return TFM_PLATFORM_ERR_SUCCESS; TFM_PLATFORM_ERR_INVALID_PARAM for an
 *         index past 2; TFM_PLATFORM_ERR_SYSTEM_ERROR at the maximum, for a
 *         counter the caller may not use, or if the counter cannot be
 *         stored (the value is then unchanged).
 */
enum tfm_platform_err_t tfm_platform_nv_counter_increment(uint32_t counter_id);

/**
 * Reads non-volatile counter @p counter_id (named as for
 * tfm_platform_nv_counter_increment()) into @p val, @p size bytes: a
 * counter is 4 bytes, a uint32_t in the host's byte order.
 *
 * @return TFM_PLATFORM_ERR_SUCCESS; TFM_PLATFORM_ERR_INVALID_PARAM for an
 *         index past 2; TFM_PLATFORM_ERR_SYSTEM_ERROR if @p size is not 4,
 *         for a counter the caller may not use, or if the stored counters
 *         fail their checks.
 */
enum tfm_platform_err_t tfm_platform_nv_counter_read(uint32_t counter_id, uint32_t size,
                                                     uint8_t *val);

#ifdef __cplusplus
}
#endif

#endif /* TFM_PLATFORM_API_H */
