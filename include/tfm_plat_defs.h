/*
 * tfm_plat_defs.h - the platform layer's status codes, with TF-M's names
 * and values, for the platform functions partix gives partitions
 * (tfm_plat_otp.h).
 */
#ifndef TFM_PLAT_DEFS_H
#define TFM_PLAT_DEFS_H

#include <limits.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Status of a platform function. */
enum tfm_plat_err_t {
    TFM_PLAT_ERR_SUCCESS = 0,
    TFM_PLAT_ERR_SYSTEM_ERR = 0x3A5C,
    TFM_PLAT_ERR_MAX_VALUE = 0x55A3,
    TFM_PLAT_ERR_INVALID_INPUT = 0xA3C5,
    TFM_PLAT_ERR_UNSUPPORTED = 0xC35A,
    TFM_PLAT_ERR_FORCE_INT_SIZE = INT_MAX
};

#ifdef __cplusplus
}
#endif

#endif /* TFM_PLAT_DEFS_H */
