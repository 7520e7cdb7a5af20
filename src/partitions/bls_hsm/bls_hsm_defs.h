/*
 * bls_hsm_defs.h - the BLS HSM service's call types (the psa_call type),
 * shared by the client API (src/client/services/bls_hsm_api.c) and the
 * partition (bls_hsm_sp.c).  Integers travel in host byte order (both
 * ends run on one machine), as fixed-width fields, never as size_t.
 *
 * Vectors of each call:
 *   BLS_HSM_GET_KEYSTORE_SIZE                 out: u32 keys, u32 free slots
 *   BLS_HSM_SECURE_KEYGEN  in: key_info (0..255 bytes)       out: u32 index
 *   BLS_HSM_GET_KEY        in: u32 index                     out: public key (48)
 *   BLS_HSM_SIGN           in: u32 index, message (0..4096)  out: signature (96)
 *   BLS_HSM_IMPORT_KEY     in: secret key (32)               out: u32 index
 *   BLS_HSM_IMPORT_SEED    in: seed (32..256)                out: u32 index
 *   BLS_HSM_DELETE_KEY     in: u32 index
 */
#ifndef BLS_HSM_DEFS_H
#define BLS_HSM_DEFS_H

#define BLS_HSM_GET_KEYSTORE_SIZE 1
#define BLS_HSM_SECURE_KEYGEN 2
#define BLS_HSM_GET_KEY 3
#define BLS_HSM_SIGN 4
#define BLS_HSM_IMPORT_KEY 5
#define BLS_HSM_IMPORT_SEED 6
#define BLS_HSM_DELETE_KEY 7

#endif /* BLS_HSM_DEFS_H */
