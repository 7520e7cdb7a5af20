/*
 * hrot_caps.h - the HRoT partition's table: the keys it keeps (the TPM's
 * wrapped blobs: nothing here is secret outside the TPM) and the
 * capabilities that reach them, saved whole in the partition's storage
 * directory (hrot.db) after every change.  docs/hrot.md, "Capabilities".
 */
#ifndef PARTIX_HROT_CAPS_H
#define PARTIX_HROT_CAPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "partix/hrot.h"

#define HROT_MAX_KEYS 32     /* in all */
#define HROT_USER_MAX_KEYS 8 /* owned by one client */
#define HROT_MAX_CAPS 256    /* in all */
#define HROT_KEY_MAX_CAPS 32 /* of one key */
#define HROT_PRIV_MAX 1024   /* a TPM2B_PRIVATE */
#define HROT_PUB_MAX 512     /* a TPM2B_PUBLIC */

struct hrot_key {
    bool used;
    uint32_t id;
    int32_t owner; /* the client that made it */
    uint32_t type; /* HROT_KEY_* */
    uint16_t priv_len, pub_len;
    uint8_t priv[HROT_PRIV_MAX];
    uint8_t pub[HROT_PUB_MAX];
};

struct hrot_cap {
    bool used;
    uint8_t token[HROT_CAP_SIZE];
    uint32_t key_id;
    int32_t client;  /* the only client it works for */
    uint32_t rights; /* HROT_RIGHT_* */
    uint32_t serial; /* names it for revocation; never reused */
    uint32_t parent; /* the serial of the capability that granted it, 0: the owner's */
};

/* Reads hrot.db of @p dir (none: an empty table).  PSA_SUCCESS, or
 * PSA_ERROR_DATA_CORRUPT (logged; the file is left for inspection and every
 * later call fails so). */
psa_status_t hrot_caps_load(int dir);

/*
 * The capability @p token held by @p client, and its key: PSA_SUCCESS, or
 * PSA_ERROR_INVALID_HANDLE when no capability has that value or it is
 * another client's (the same answer: a stolen value tells nothing).  Every
 * entry is compared in full, whatever matches.
 */
psa_status_t hrot_caps_find(const uint8_t token[HROT_CAP_SIZE], int32_t client,
                            struct hrot_cap **cap, struct hrot_key **key);

/* Adds a key made for @p owner and its owner's capability (every right):
 * the new token and serial in *out_token, *serial. */
psa_status_t hrot_caps_add_key(int32_t owner, uint32_t type, const uint8_t *priv, size_t priv_len,
                               const uint8_t *pub, size_t pub_len, uint8_t out_token[HROT_CAP_SIZE],
                               uint32_t *serial);

/* A capability for @p grantee with @p rights (a subset of @p from's, which
 * holds HROT_RIGHT_GRANT) of @p from's key. */
psa_status_t hrot_caps_grant(const struct hrot_cap *from, int32_t grantee, uint32_t rights,
                             uint8_t out_token[HROT_CAP_SIZE], uint32_t *serial);

/* Revokes capability @p serial of @p by's key, and what was granted from
 * it (by: the owner, or the capability that granted it; GRANT right). */
psa_status_t hrot_caps_revoke(const struct hrot_cap *by, const struct hrot_key *key,
                              uint32_t serial);

/* Removes @p key and every capability of it (by its owner). */
psa_status_t hrot_caps_destroy(const struct hrot_cap *by, const struct hrot_key *key);

/* Serialises the table into @p out (capacity @p cap): its length, or 0
 * when it does not fit.  Parses @p n bytes back: 0, or -1 if malformed.
 * (Exposed for the fuzzer and the unit test.) */
size_t hrot_caps_encode(uint8_t *out, size_t cap);
int hrot_caps_decode(const uint8_t *in, size_t n);

#endif /* PARTIX_HROT_CAPS_H */
