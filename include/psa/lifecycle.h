/*
 * psa/lifecycle.h - the PSA RoT security lifecycle (FF-M 1.1).
 */
#ifndef PSA_LIFECYCLE_H
#define PSA_LIFECYCLE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Bits of a lifecycle value that hold the PSA state. */
#define PSA_LIFECYCLE_PSA_STATE_MASK (0xff00u)
/** Bits of a lifecycle value that hold an implementation-defined sub-state. */
#define PSA_LIFECYCLE_IMP_STATE_MASK (0x00ffu)

/** The lifecycle state is not known. */
#define PSA_LIFECYCLE_UNKNOWN (0x0000u)
/** Assembly and test: no device secrets yet. */
#define PSA_LIFECYCLE_ASSEMBLY_AND_TEST (0x1000u)
/** PSA RoT provisioning: secrets being injected. */
#define PSA_LIFECYCLE_PSA_ROT_PROVISIONING (0x2000u)
/** Secured: the normal operating state. */
#define PSA_LIFECYCLE_SECURED (0x3000u)
/** Non-PSA-RoT debug enabled. */
#define PSA_LIFECYCLE_NON_PSA_ROT_DEBUG (0x4000u)
/** Recoverable PSA RoT debug enabled. */
#define PSA_LIFECYCLE_RECOVERABLE_PSA_ROT_DEBUG (0x5000u)
/** Decommissioned: secrets destroyed. */
#define PSA_LIFECYCLE_DECOMMISSIONED (0x6000u)

/**
 * Returns the current PSA RoT lifecycle state: one of the PSA_LIFECYCLE_*
 * values, possibly with implementation bits in PSA_LIFECYCLE_IMP_STATE_MASK.
 */
uint32_t psa_rot_lifecycle_state(void);

#ifdef __cplusplus
}
#endif

#endif /* PSA_LIFECYCLE_H */
