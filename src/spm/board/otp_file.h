/*
 * otp_file.h - the simulated OTP's file (otp_file.c), for psa-spm and
 * partix-ctl.  Fuse semantics are the callers': provisioning only sets
 * what is unset, and the lifecycle state only moves forward.
 */
#ifndef PARTIX_OTP_FILE_H
#define PARTIX_OTP_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manifest.h"
#include "otp_layout.h"

/* The lifecycle states the OTP can hold: option name, OTP value, PSA value. */
struct otp_lcs_name {
    const char *name;
    uint32_t lcs, psa;
};
extern const struct otp_lcs_name otp_lcs_names[];
extern const size_t otp_n_lcs;

/* The index of OTP lifecycle value @p lcs in otp_lcs_names, or -1. */
int otp_lcs_index(uint32_t lcs);
/* The PSA lifecycle value (psa/lifecycle.h) of the OTP's state. */
uint32_t spm_otp_psa_lifecycle(const struct partix_otp *o);
/* Sets @p o's CRC over what precedes it. */
void otp_seal(struct partix_otp *o);
/* A new device in @p o: random HUK and P-256 attestation key, lifecycle
 * @p lcs, partix's defaults, @p impl_id (32 bytes) or partix's own
 * implementation id if NULL.  0, or -1 (reported on stderr). */
int otp_generate(struct partix_otp *o, uint32_t lcs, const uint8_t *impl_id);
/* STATE_DIR/otp in @p path: 0, or -1 if it does not fit. */
int otp_path(const char *state_dir, char *path, size_t size);
/* Reads @p path into @p o: 0; 1 if there is no such file; -1 (reported on
 * stderr: unreadable, or not a sound OTP image). */
int otp_read(const char *path, struct partix_otp *o);
/* Replaces STATE_DIR/otp (@p path) with @p o, crash-safe (durable_file.h):
 * 0, or -1 (reported on stderr). */
int otp_write(const char *state_dir, const char *path, const struct partix_otp *o);
/* Removes the replacement of @p path a crash cut short, if there is one
 * (never read, but it holds a device's secrets): true with its path in
 * @p tmp if one was removed. */
bool otp_remove_stale_tmp(const char *path, char *tmp, size_t size);

#endif /* PARTIX_OTP_FILE_H */
