/*
 * tfm_hal_platform.h - the system reset of TF-M's platform HAL, the one
 * function of TF-M's platform/include/tfm_hal_platform.h that partix gives
 * partitions, with TF-M's name and signature.
 *
 * On an M33 it resets the chip.  Under partix it asks psa-spm for the
 * system reset of docs/faults.md: every partition is stopped and started
 * again from its entry point, the caller included.  Only a PSA-ROT
 * partition may ask: psa-spm panics an APPLICATION-ROT one instead, as an
 * unprivileged partition's write to the reset register faults at TF-M
 * isolation levels 2 and 3.
 */
#ifndef TFM_HAL_PLATFORM_H
#define TFM_HAL_PLATFORM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The reset syndrome a partition passes when it has none of its own (TF-M's default). */
#ifndef TFM_PLAT_SWSYN_DEFAULT
#define TFM_PLAT_SWSYN_DEFAULT (0x0UL)
#endif

/**
 * Resets the system; never returns.  @p sw_reset_syn_value, a reset
 * syndrome on hardware, is only logged: the host has no such register.
 *
 * The calls this partition has taken with psa_get() and not answered (in
 * the SFN model: the one whose service function called this) are answered
 * PSA_SUCCESS by psa-spm once every partition has started again (or failed
 * to, or the call timeout passed), so a Linux caller, which a reset does
 * not stop, learns the reset is over.  Calls still queued get
 * PSA_ERROR_COMMUNICATION_FAILURE, as at any partition's death.
 */
__attribute__((noreturn)) void tfm_hal_system_reset(uint32_t sw_reset_syn_value);

#ifdef __cplusplus
}
#endif

#endif /* TFM_HAL_PLATFORM_H */
