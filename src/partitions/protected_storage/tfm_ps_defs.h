/*
 * tfm_ps_defs.h - the Protected Storage service's call types, TF-M's values
 * (its tfm_ps_defs.h), shared by the client API
 * (src/client/services/ps_api.c) and the partition.  TF-M has no call for
 * psa_ps_create() and psa_ps_set_extended() (its client library answers
 * PSA_ERROR_NOT_SUPPORTED itself): theirs are partix's own, the next two
 * values, which a TF-M client never sends.
 *
 * Vectors of each call (TF-M's layout, as its client library sends them):
 *   TFM_PS_SET          in: uid (u64), data, flags (u32)
 *   TFM_PS_GET          in: uid, offset (the caller's size_t: 4 or 8 bytes)
 *                       out: data
 *   TFM_PS_GET_INFO     in: uid               out: struct psa_storage_info_t
 *   TFM_PS_REMOVE       in: uid
 *   TFM_PS_GET_SUPPORT  out: the support flags (u32)
 *   PARTIX_PS_CREATE    in: uid, capacity (the caller's size_t), flags (u32)
 *   PARTIX_PS_SET_EXTENDED  in: uid, offset (the caller's size_t), data
 */
#ifndef TFM_PS_DEFS_H
#define TFM_PS_DEFS_H

#define TFM_PS_SET 1001
#define TFM_PS_GET 1002
#define TFM_PS_GET_INFO 1003
#define TFM_PS_REMOVE 1004
#define TFM_PS_GET_SUPPORT 1005
#define PARTIX_PS_CREATE 1006
#define PARTIX_PS_SET_EXTENDED 1007

#endif /* TFM_PS_DEFS_H */
