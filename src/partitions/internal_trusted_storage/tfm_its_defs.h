/*
 * tfm_its_defs.h - the ITS service's call types, TF-M's values, shared by
 * the client API (src/client/services/its_api.c) and the partition.
 *
 * Vectors of each call (TF-M's layout):
 *   TFM_ITS_SET       in: uid (u64), data, flags (u32)
 *   TFM_ITS_GET       in: uid, offset (the caller's size_t: 4 or 8 bytes)
 *                     out: data
 *   TFM_ITS_GET_INFO  in: uid               out: struct psa_storage_info_t
 *   TFM_ITS_REMOVE    in: uid
 */
#ifndef TFM_ITS_DEFS_H
#define TFM_ITS_DEFS_H

#define TFM_ITS_SET 1001
#define TFM_ITS_GET 1002
#define TFM_ITS_GET_INFO 1003
#define TFM_ITS_REMOVE 1004

#endif /* TFM_ITS_DEFS_H */
