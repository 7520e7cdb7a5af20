/*
 * psa/storage_common.h - what the PSA Secure Storage API's two services
 * (Internal Trusted Storage and Protected Storage) share: the entry id, the
 * creation flags and an entry's metadata.
 *
 * The layout of psa_storage_info_t is TF-M's (size_t fields), so a caller
 * built against TF-M's header reads the same bytes.
 */
#ifndef PSA_STORAGE_COMMON_H
#define PSA_STORAGE_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "psa/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Names an entry within the caller's own namespace; 0 is never valid. */
typedef uint64_t psa_storage_uid_t;

/** A combination of PSA_STORAGE_FLAG_* bits, fixed when an entry is set. */
typedef uint32_t psa_storage_create_flags_t;

/** No special property. */
#define PSA_STORAGE_FLAG_NONE 0u
/** The entry can never be changed or removed once set. */
#define PSA_STORAGE_FLAG_WRITE_ONCE (1u << 0)
/** The entry needs integrity only, not confidentiality. */
#define PSA_STORAGE_FLAG_NO_CONFIDENTIALITY (1u << 1)
/** The entry needs no protection against replay of an older value. */
#define PSA_STORAGE_FLAG_NO_REPLAY_PROTECTION (1u << 2)

/** psa_ps_get_support(): psa_ps_create() and psa_ps_set_extended() work. */
#define PSA_STORAGE_SUPPORT_SET_EXTENDED (1u << 0)

/** What psa_its_get_info() and psa_ps_get_info() report about an entry. */
struct psa_storage_info_t {
    size_t capacity;                  /**< bytes reserved for the entry */
    size_t size;                      /**< bytes it holds now */
    psa_storage_create_flags_t flags; /**< the flags it was created with */
};

#ifdef __cplusplus
}
#endif

#endif /* PSA_STORAGE_COMMON_H */
