/*
 * platform_nv_counters_ids.h - the non-volatile counters of the host
 * platform: TF-M's default set (tfm_plat_nv_counters.h with
 * PLATFORM_DEFAULT_NV_COUNTERS), same names, same numbers, 4 bytes each.
 *
 * Who may use which through the Platform service (TF-M's template rules):
 *   PS_0..PS_2   the Protected Storage partition (TFM_SP_PS) only
 *   BL2_x, BL1_0 nobody: the bootloaders' own, not served
 *   NS_0..NS_2   non-secure callers only, which name them by index 0..2
 */
#ifndef PLATFORM_NV_COUNTERS_IDS_H
#define PLATFORM_NV_COUNTERS_IDS_H

#include <stdint.h>

enum tfm_nv_counter_t {
    PLAT_NV_COUNTER_PS_0 = 0,
    PLAT_NV_COUNTER_PS_1,
    PLAT_NV_COUNTER_PS_2,
    PLAT_NV_COUNTER_BL2_0, /* the BL2 ones are contiguous */
    PLAT_NV_COUNTER_BL2_1,
    PLAT_NV_COUNTER_BL2_2,
    PLAT_NV_COUNTER_BL2_3,
    PLAT_NV_COUNTER_BL1_0,
    PLAT_NV_COUNTER_NS_0, /* the NS ones are contiguous */
    PLAT_NV_COUNTER_NS_1,
    PLAT_NV_COUNTER_NS_2,
    PLAT_NV_COUNTER_MAX,
    PLAT_NV_COUNTER_BOUNDARY = UINT32_MAX /* makes the enum 4 bytes, as on the wire */
};

/* The non-secure counters: a non-secure caller's index n is NS_0 + n. */
#define PLATFORM_NS_NV_COUNTERS 3

/* Bytes of a counter's value (a uint32_t). */
#define NV_COUNTER_SIZE 4

#endif /* PLATFORM_NV_COUNTERS_IDS_H */
